#include "common/test_support.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <htslib/vcf.h>

#include "io/line_reader.hpp"
#include "report/html_report.hpp"

namespace tilmatch::test {
namespace fs = std::filesystem;

fs::path shared_data_root() {
  if (const char* env = std::getenv("TILMATCH_SHARED_DATA"); env != nullptr && *env) return env;
  return TILMATCH_DEFAULT_SHARED_DATA;
}

std::optional<fs::path> shared_data(const std::string& relative) {
  fs::path p = shared_data_root() / relative;
  if (fs::exists(p)) return p;
  return std::nullopt;
}

ScratchDir::ScratchDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  fs::path base = fs::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path p = base / ("tilmatch-test-" + std::to_string(::getpid()) + "-" +
                         std::to_string(counter++) + "-" + std::to_string(rd() % 100000));
    std::error_code ec;
    if (fs::create_directory(p, ec)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a scratch directory");
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_text_maybe_gz(const fs::path& path) {
  io::LineReader reader(path.string());
  std::string line, all;
  while (reader.next(line)) {
    all += line;
    all += '\n';
  }
  return all;
}

void convert_vcf(const fs::path& in, const fs::path& out, const char* mode) {
  htsFile* src = hts_open(in.c_str(), "r");
  if (!src) throw std::runtime_error("cannot open " + in.string());
  bcf_hdr_t* hdr = bcf_hdr_read(src);
  htsFile* dst = hts_open(out.c_str(), mode);
  if (!hdr || !dst) throw std::runtime_error("cannot convert " + in.string());
  if (bcf_hdr_write(dst, hdr) != 0) throw std::runtime_error("cannot write header to " + out.string());
  bcf1_t* rec = bcf_init();
  int rc = 0;
  while ((rc = bcf_read(src, hdr, rec)) == 0) {
    if (bcf_write(dst, hdr, rec) != 0) throw std::runtime_error("cannot write " + out.string());
  }
  bcf_destroy(rec);
  bcf_hdr_destroy(hdr);
  if (rc < -1) throw std::runtime_error("error reading " + in.string());
  if (hts_close(dst) != 0 || hts_close(src) != 0) throw std::runtime_error("cannot close " + out.string());
}

std::vector<std::pair<std::string, std::string>> parse_fasta(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line[0] == '>') {
      out.emplace_back(line.substr(1), "");
    } else if (!out.empty()) {
      out.back().second += line;
    }
  }
  return out;
}

std::vector<std::vector<std::string>> parse_tsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> fields;
    std::size_t begin = 0;
    while (true) {
      std::size_t tab = line.find('\t', begin);
      fields.push_back(line.substr(begin, tab == std::string::npos ? std::string::npos : tab - begin));
      if (tab == std::string::npos) break;
      begin = tab + 1;
    }
    rows.push_back(std::move(fields));
  }
  return rows;
}

std::vector<std::map<std::string, std::string>> tsv_rows(const fs::path& path) {
  const auto t = parse_tsv(read_file(path));
  std::vector<std::map<std::string, std::string>> rows;
  for (std::size_t i = 1; i < t.size(); ++i) {
    std::map<std::string, std::string> r;
    for (std::size_t c = 0; c < t[0].size() && c < t[i].size(); ++c) r[t[0][c]] = t[i][c];
    rows.push_back(std::move(r));
  }
  return rows;
}

// Both can be overridden so a build can run from another place (e.g. a bundle on a GPU machine).
fs::path tilmatch_binary() {
  if (const char* env = std::getenv("TILMATCH_BINARY"); env != nullptr && *env) return env;
  return TILMATCH_BINARY;
}
fs::path source_dir() {
  if (const char* env = std::getenv("TILMATCH_SOURCE_DIR"); env != nullptr && *env) return env;
  return TILMATCH_SOURCE_DIR;
}

std::string shell_quote(const fs::path& path) {
  std::string out;
  out.reserve(path.native().size() + 2);
  out += '\'';
  for (char c : path.native()) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

CommandResult run_tilmatch(const std::string& args, const fs::path& stdin_path) {
  ScratchDir tmp;
  fs::path out = tmp / "stdout", err = tmp / "stderr";
  std::string cmd = shell_quote(tilmatch_binary());
  cmd += ' ';
  cmd += args;
  cmd += " >" + shell_quote(out) + " 2>" + shell_quote(err) + " <" + shell_quote(stdin_path);
  int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

std::vector<std::string> example_run_args(const fs::path& out) {
  const fs::path ex = source_dir() / "data" / "example";
  return {"run", "--vcf", (ex / "patient.vcf").string(), "--sample", "EXAMPLE_TUMOR", "--normal-sample",
          "EXAMPLE_NORMAL", "--fragments", (ex / "fragments.tsv").string(), "--reference",
          (ex / "reference.tsv").string(), "--validated", (ex / "validated.tsv").string(), "--hla",
          "A*02:01,A*24:02,B*07:02,B*44:02,C*05:01,C*07:02", "--backend", "cpu", "--out", out.string()};
}

std::vector<std::string> example_peptides_args(const fs::path& out) {
  const fs::path ex = source_dir() / "data" / "example";
  return {"peptides", "--vcf", (ex / "patient.vcf").string(), "--sample", "EXAMPLE_TUMOR", "--normal-sample",
          "EXAMPLE_NORMAL", "--out", out.string()};
}

std::string comparable_text(const std::string& name, std::string text) {
  if (name == "report.html") {
    // Its date, command line and timings (docs/formats.md).
    for (std::size_t at; (at = text.find(report::kRunSpecificBegin)) != std::string::npos;) {
      const std::size_t end = text.find(report::kRunSpecificEnd, at);
      if (end == std::string::npos) break;
      text.erase(at, end + report::kRunSpecificEnd.size() - at);
    }
    return text;
  }
  if (name != "run.json") return text;
  std::istringstream in(text);
  std::string line, kept;
  while (std::getline(in, line)) {
    if (line.rfind("  \"stages\"", 0) == 0) break;  // the last field: timings and memory
    bool run_specific = false;
    for (const char* field : kRunSpecificJsonFields)
      run_specific = run_specific || line.rfind(std::string("  \"") + field + "\"", 0) == 0;
    if (!run_specific) kept += line + '\n';
  }
  return kept;
}

std::string comparable_file(const fs::path& path) {
  return comparable_text(path.filename().string(), read_file(path));
}

std::map<std::string, std::string> comparable_outputs(const fs::path& dir) {
  auto files = snapshot_folder(dir);
  files.erase("run.log");  // timestamps and seconds
  for (auto& [name, text] : files) text = comparable_text(fs::path(name).filename().string(), std::move(text));
  return files;
}

std::string shell_join(const std::vector<std::string>& args) {
  std::string out;
  for (const std::string& a : args) {
    if (!out.empty()) out += ' ';
    out += shell_quote(a);
  }
  return out;
}

CommandResult run_tilmatch_env(const std::string& env, const std::string& args) {
  ScratchDir tmp;
  fs::path out = tmp / "stdout", err = tmp / "stderr";
  const std::string cmd = env + " " + shell_quote(tilmatch_binary()) + " " + args + " >" + shell_quote(out) +
                          " 2>" + shell_quote(err) + " </dev/null";
  int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

int spawn_tilmatch(const std::vector<std::string>& args, const std::vector<std::string>& env,
                   const fs::path& log_dir) {
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  const std::string binary = tilmatch_binary().string();
  std::vector<std::string> argv_text = {binary};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e) env_text.emplace_back(*e);
  env_text.insert(env_text.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (std::string& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string out = (log_dir / "stdout").string(), err = (log_dir / "stderr").string();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int in_fd = ::open("/dev/null", O_RDONLY);
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in_fd < 0 || out_fd < 0 || err_fd < 0) ::_exit(127);
    ::dup2(in_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

int wait_status(int pid, int options) {
  int status = 0;
  while (::waitpid(pid, &status, options) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  }
  return status;
}

std::map<std::string, std::string> snapshot_folder(const fs::path& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    const std::string rel = it->path().lexically_relative(dir).string();  // fs::relative would follow symlinks
    const auto st = it->symlink_status();
    if (fs::is_regular_file(st)) {
      out[rel] = read_file(it->path());
    } else if (fs::is_directory(st)) {
      out[rel] = "<dir>";
    } else {
      out[rel] = "<other>";
    }
  }
  return out;
}

std::filesystem::path olga_sampler(const char* compiled_path) {
  if (const char* env = std::getenv("TILMATCH_OLGA_SAMPLER"); env != nullptr && *env != '\0') return env;
  return compiled_path;
}

}  // namespace tilmatch::test
