// "Nothing half-published": `tilmatch run` on the bundled example with each of its output writes,
// fsyncs and renames made to fail in turn (TILMATCH_FAULT), into a new folder and over an earlier
// result; two runs into one folder; single-file outputs.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "common/fs_ops.hpp"
#include "common/test_support.hpp"

namespace tilmatch::test {
namespace {

namespace fs = std::filesystem;
using Files = std::map<std::string, std::string>;

// Far above the calls one run makes (about 20 writes, 13 fsyncs, 1-2 renames); a loop reaching it
// means the fault never stopped being hit.
constexpr int kMaxCalls = 200;

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

/// The lab's own entries in an output folder, which every run must carry over untouched.
const Files kOwnEntries = {{"sample-sheet.xlsx", "the lab's own file"}, {"plots", "<dir>"}, {"plots/fig1.svg", "<svg/>"}};

void add_own_entries(const fs::path& out) {
  write_file(out / "sample-sheet.xlsx", "the lab's own file");
  fs::create_directory(out / "plots");
  write_file(out / "plots" / "fig1.svg", "<svg/>");
}

/// A clean run's outputs (the new set every faulty run must produce or not produce at all) and an
/// earlier result to run over: a `peptides` set, whose windows.fasta and minigenes.tsv a mixed
/// folder would still show.
class RunFaults : public ::testing::TestWithParam<const char*> {
 protected:
  static void SetUpTestSuite() {
    dirs_ = new ScratchDir();
    const CommandResult r = run_tilmatch(shell_join(example_run_args(*dirs_ / "reference")));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    reference_ = new Files(comparable_outputs(*dirs_ / "reference"));
    const CommandResult p = run_tilmatch(shell_join(example_peptides_args(*dirs_ / "earlier")));
    ASSERT_EQ(p.exit_code, 0) << p.err;
  }
  static void TearDownTestSuite() {
    delete reference_;
    delete dirs_;
  }
  static fs::path earlier() { return *dirs_ / "earlier"; }
  static ScratchDir* dirs_;
  static Files* reference_;
};
ScratchDir* RunFaults::dirs_ = nullptr;
Files* RunFaults::reference_ = nullptr;

TEST_P(RunFaults, EachFailureLeavesTheFolderAsItWasOrComplete) {
  ASSERT_NE(reference_, nullptr);
  ASSERT_TRUE(fs::exists(earlier() / "windows.fasta"));
  const std::string point = GetParam();
  struct Mode {
    const char* name;
    const char* prefix;  // extra rules
    bool over_earlier;
  };
  // The earlier result's folder also holds the lab's own files, which must be there before and after.
  Files complete = *reference_;
  for (const auto& [name, text] : kOwnEntries) complete[name] = text;
  for (const Mode& m : {Mode{"into a new folder", "", false}, Mode{"over an earlier result", "", true},
                        Mode{"over an earlier result, no RENAME_EXCHANGE", "exchange:1,", true}}) {
    SCOPED_TRACE(point + std::string(" ") + m.name);
    int failures = 0;
    bool completed = false;
    for (int k = 1; k <= kMaxCalls && !completed; ++k) {
      ScratchDir dir;
      const fs::path out = dir / "out";
      if (m.over_earlier) {
        fs::copy(earlier(), out, fs::copy_options::recursive);
        add_own_entries(out);
      }
      const Files before = snapshot_folder(out);
      const std::string fault = m.prefix + point + ":" + std::to_string(k);
      const CommandResult r = run_tilmatch_env("TILMATCH_FAULT=" + fault, shell_join(example_run_args(out)));
      if (r.exit_code == 0) {
        completed = true;
        EXPECT_TRUE(comparable_outputs(out) == (m.over_earlier ? complete : *reference_))
            << fault << ": the published folder differs from a clean run's";
      } else {
        ++failures;
        EXPECT_EQ(r.exit_code, cli::kExitInput) << fault << ": " << r.err;
        EXPECT_NE(r.err.find("tilmatch run: "), std::string::npos) << fault << ": " << r.err;
        EXPECT_TRUE(snapshot_folder(out) == before) << fault << ": the folder changed: " << r.err;
      }
      const std::set<std::string> expected =
          m.over_earlier || completed ? std::set<std::string>{"out"} : std::set<std::string>{};
      EXPECT_EQ(names_in(dir.path()), expected) << fault << ": staging or lock left beside the folder";
    }
    std::cout << "[ calls ] " << point << " " << m.name << ": " << failures << " made to fail\n";
    EXPECT_TRUE(completed) << "the run never completed";
    EXPECT_GE(failures, 1) << "no " << point << " was ever made to fail";
  }
}

INSTANTIATE_TEST_SUITE_P(Points, RunFaults, ::testing::Values("write", "fsync", "rename"));

TEST(RunReliability, ASecondRunIntoTheSameFolderIsRefusedAndTheFirstCompletes) {
  ScratchDir dir;
  const fs::path out = dir / "out";
  ASSERT_EQ(run_tilmatch(shell_join(example_run_args(dir / "reference"))).exit_code, 0);
  // The first run stops itself (SIGSTOP) at its first output write, holding the folder's lock.
  fs::create_directory(dir / "first-log");
  const int first = spawn_tilmatch(example_run_args(out), {"TILMATCH_FAULT=write:1:stop"}, dir / "first-log");
  const int stopped = wait_status(first, WUNTRACED);
  ASSERT_TRUE(WIFSTOPPED(stopped)) << "status " << stopped;

  const CommandResult second = run_tilmatch(shell_join(example_run_args(out)));
  EXPECT_EQ(second.exit_code, cli::kExitInput) << second.err;
  EXPECT_NE(second.err.find(out.string()), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("another tilmatch run (pid " + std::to_string(first)), std::string::npos) << second.err;
  const CommandResult peptides = run_tilmatch(shell_join(example_peptides_args(out)));
  EXPECT_EQ(peptides.exit_code, cli::kExitInput) << "any stage into the folder is refused: " << peptides.err;
  const CommandResult elsewhere = run_tilmatch(shell_join(example_peptides_args(dir / "other")));
  EXPECT_EQ(elsewhere.exit_code, 0) << "the lock is per folder: " << elsewhere.err;

  ::kill(first, SIGCONT);
  const int status = wait_status(first);
  ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 0) << read_file(dir / "first-log" / "stderr");
  EXPECT_TRUE(comparable_outputs(out) == comparable_outputs(dir / "reference"));
  EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"first-log", "other", "out", "reference"}));
}

TEST(RunReliability, TheFoldersOwnFilesStayAndAFileNamedLikeAnOutputIsNeverReplaced) {
  ScratchDir dir;
  const fs::path out = dir / "out";
  fs::create_directory(out);
  add_own_entries(out);
  // A folder of other files needs --force (docs/reliability.md); they stay even then.
  const CommandResult r = run_tilmatch(shell_join(example_run_args(out)) + " --force");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(out / "sample-sheet.xlsx"), "the lab's own file");
  EXPECT_EQ(read_file(out / "plots" / "fig1.svg"), "<svg/>");
  EXPECT_TRUE(fs::is_regular_file(out / "fragments.tsv"));
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out"});

  fs::create_directory(dir / "lab");
  write_file(dir / "lab" / "fragments.tsv", "the lab's own table");
  const CommandResult clash = run_tilmatch(shell_join(example_run_args(dir / "lab")) + " --force");
  EXPECT_EQ(clash.exit_code, cli::kExitInput) << clash.err;
  EXPECT_NE(clash.err.find("fragments.tsv"), std::string::npos) << clash.err;
  EXPECT_EQ(snapshot_folder(dir / "lab"), (Files{{"fragments.tsv", "the lab's own table"}}));
  EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"lab", "out"}));
}

// `search --out FILE` keeps one temporary file renamed into place: after any failure neither the
// file nor its temporary is there, and one a killed run left is removed by the next run.
TEST(SearchReliability, AFailedOrKilledSearchLeavesNoTemporaryFile) {
  const fs::path ex = source_dir() / "data" / "example";
  ScratchDir dir;
  const fs::path hits = dir / "hits.tsv";
  const std::vector<std::string> args = {"search", "--metric", "tcrdist", "--query",
                                         (ex / "fragments" / "F01.airr.tsv").string(), "--reference",
                                         (ex / "reference.tsv").string(), "--out", hits.string()};
  for (const char* fault : {"write:1", "fsync:1", "rename:1"}) {
    const CommandResult r = run_tilmatch_env(std::string("TILMATCH_FAULT=") + fault, shell_join(args));
    EXPECT_EQ(r.exit_code, cli::kExitInput) << fault << ": " << r.err;
    EXPECT_TRUE(fs::is_empty(dir.path())) << fault;
  }
  fs::create_directory(dir / "log");
  const int pid = spawn_tilmatch(args, {"TILMATCH_FAULT=fsync:1:kill"}, dir / "log");
  const int status = wait_status(pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
  const std::string stale = "hits.tsv.tmp." + detail::host_name() + "." + std::to_string(pid);
  EXPECT_TRUE(fs::exists(dir / stale)) << "a SIGKILLed run cannot clean up after itself";
  const CommandResult again = run_tilmatch(shell_join(args));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"hits.tsv", "log"}));
}

}  // namespace
}  // namespace tilmatch::test
