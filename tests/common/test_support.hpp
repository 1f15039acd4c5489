#pragma once
/// Helpers shared by the test suites: where ../shared/data is, scratch directories, running the CLI.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tilmatch::test {

/// Root of ../shared/data (env TILMATCH_SHARED_DATA overrides the configured path).
std::filesystem::path shared_data_root();

/// Path under shared data when it exists, nullopt otherwise.
std::optional<std::filesystem::path> shared_data(const std::string& relative);

/// A fresh empty directory under the system temp dir, removed by the destructor.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);
/// Reads a plain or gzip-compressed text file whole.
std::string read_text_maybe_gz(const std::filesystem::path& path);

/// Re-encodes a VCF/BCF with HTSlib: `mode` "wz" (bgzipped VCF) or "wb" (BCF).
void convert_vcf(const std::filesystem::path& in, const std::filesystem::path& out, const char* mode);

/// FASTA records as (header without '>', sequence with line breaks removed), in file order.
std::vector<std::pair<std::string, std::string>> parse_fasta(const std::string& text);

/// Lines of a TSV split into fields (header included), skipping a trailing empty line.
std::vector<std::vector<std::string>> parse_tsv(const std::string& text);

/// The data rows of a TSV file as maps from column name to value (cells past the header's width dropped).
std::vector<std::map<std::string, std::string>> tsv_rows(const std::filesystem::path& path);

/// Result of running the tilmatch binary.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
/// Runs the built tilmatch CLI with `args` (a shell-quoted argument string), standard input read
/// from `stdin_path`.
CommandResult run_tilmatch(const std::string& args, const std::filesystem::path& stdin_path = "/dev/null");
/// As run_tilmatch, with `env` (shell assignments such as "TILMATCH_FAULT=rename:1") set for the CLI.
CommandResult run_tilmatch_env(const std::string& env, const std::string& args);
/// Starts the CLI directly (no shell between, so signals reach it) with `args` and the extra
/// environment entries `env` ("NAME=value"); stdout and stderr go to `log_dir`/stdout and /stderr.
/// Returns its pid; the caller waits for it.
int spawn_tilmatch(const std::vector<std::string>& args, const std::vector<std::string>& env,
                   const std::filesystem::path& log_dir);
/// waitpid() for `pid`, retried on EINTR; returns the raw status.
int wait_status(int pid, int options = 0);
/// Every entry under `dir`, by path relative to it: a regular file's bytes, "<dir>" for a folder,
/// "<other>" for anything else. Empty when `dir` does not exist.
std::map<std::string, std::string> snapshot_folder(const std::filesystem::path& dir);
/// Arguments of `tilmatch run` on the bundled example patient (data/example, as scripts/run-example
/// runs it, CPU backend) writing to `out`.
std::vector<std::string> example_run_args(const std::filesystem::path& out);
/// Arguments of `tilmatch peptides` on the bundled example VCF writing to `out`.
std::vector<std::string> example_peptides_args(const std::filesystem::path& out);
/// Arguments joined into a shell command line, each single-quoted.
std::string shell_join(const std::vector<std::string>& args);
/// run.json's top-level fields that differ between two runs of the same inputs (docs/formats.md):
/// the command line (it names the output folder), when, where and with how many threads.
inline constexpr const char* kRunSpecificJsonFields[] = {"command_line", "timestamp", "host", "threads"};
/// snapshot_folder() of a run's output folder with what differs between identical runs taken out:
/// run.json's kRunSpecificJsonFields and stage timings, and report.html's run-specific blocks
/// (report::kRunSpecificBegin .. End: date, command line, timings); run.log (times of day).
std::map<std::string, std::string> comparable_outputs(const std::filesystem::path& dir);
/// One output file's bytes with what differs between identical runs taken out, as comparable_outputs().
std::string comparable_file(const std::filesystem::path& path);
/// Single-quotes a path for a shell command line.
std::string shell_quote(const std::filesystem::path& path);
std::filesystem::path tilmatch_binary();
/// The OLGA sampler test tool: env TILMATCH_OLGA_SAMPLER, else `compiled_path` (the build's own).
std::filesystem::path olga_sampler(const char* compiled_path);
std::filesystem::path source_dir();

}  // namespace tilmatch::test

/// Skips the current test with a message unless ../shared/data/<rel> exists; binds `var` to it.
#define TILMATCH_REQUIRE_SHARED(var, rel)                                                 \
  auto var##_opt = ::tilmatch::test::shared_data(rel);                                    \
  if (!var##_opt) GTEST_SKIP() << "shared data not found: " << (rel)                      \
                               << " (expected under " << ::tilmatch::test::shared_data_root() << ")"; \
  const std::filesystem::path var = *var##_opt
