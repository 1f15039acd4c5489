// `tilmatch run` interrupted: SIGKILL at every output call and at random moments (then a rerun must
// end clean and complete), SIGINT/SIGTERM at every output call and at random moments (the run's
// temporary files must go, and the process ends by the signal: 130/143/129 to a shell).

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/test_support.hpp"

namespace tilmatch::test {
namespace {

namespace fs = std::filesystem;
using Files = std::map<std::string, std::string>;

constexpr int kMaxCalls = 200;              // far above the output calls of one run
constexpr unsigned kRandomSeed = 20240612;  // printed; the moments of the random kills
constexpr int kRandomKills = 20;

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

class RunInterrupted : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dirs_ = new ScratchDir();
    const auto start = std::chrono::steady_clock::now();
    const CommandResult r = run_tilmatch(shell_join(example_run_args(*dirs_ / "reference")));
    run_ms_ = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    complete_ = new Files(comparable_outputs(*dirs_ / "reference"));
    (*complete_)["sample-sheet.xlsx"] = "the lab's own file";
    (*complete_)["plots"] = "<dir>";
    (*complete_)["plots/fig1.svg"] = "<svg/>";
    const CommandResult p = run_tilmatch(shell_join(example_peptides_args(*dirs_ / "earlier")));
    ASSERT_EQ(p.exit_code, 0) << p.err;
  }
  static void TearDownTestSuite() {
    delete complete_;
    delete dirs_;
  }

  /// A scratch folder with the earlier result at out/, where the lab also keeps its own files.
  static fs::path prepare(const ScratchDir& dir) {
    fs::copy(*dirs_ / "earlier", dir / "out", fs::copy_options::recursive);
    write_file(dir / "out" / "sample-sheet.xlsx", "the lab's own file");
    fs::create_directory(dir / "out" / "plots");
    write_file(dir / "out" / "plots" / "fig1.svg", "<svg/>");
    fs::create_directory(dir / "log");
    return dir / "out";
  }

  /// The folder holds the earlier result or the complete new one, never a mix.
  static void expect_whole(const fs::path& out, const Files& before, const std::string& what) {
    const Files now = snapshot_folder(out);
    EXPECT_TRUE(now == before || comparable_outputs(out) == *complete_) << what << ": a mixed folder";
  }

  /// After SIGKILL: as expect_whole, except that the lab's sub-folder may be in the hidden staging
  /// folder beside out/ (moved there for the swap an instant before it), where the next run finds it.
  static void expect_whole_after_kill(const ScratchDir& dir, const fs::path& out, const Files& before,
                                      const std::string& what) {
    const Files now = snapshot_folder(out);
    if (now == before || comparable_outputs(out) == *complete_) return;
    auto without_plots = [](Files f) {
      f.erase("plots");
      f.erase("plots/fig1.svg");
      return f;
    };
    bool plots_aside = false;
    for (const auto& e : fs::directory_iterator(dir.path()))
      plots_aside |= fs::exists(e.path() / "plots" / "fig1.svg") && e.path() != out;
    EXPECT_TRUE(plots_aside && !fs::exists(out / "plots") &&
                (without_plots(now) == without_plots(before) ||
                 without_plots(comparable_outputs(out)) == without_plots(*complete_)))
        << what << ": a mixed folder";
  }

  /// A rerun must succeed, publish the complete set and remove everything the interrupted run left.
  static void expect_rerun_cleans_up(const ScratchDir& dir, const fs::path& out, const std::string& what) {
    const CommandResult r = run_tilmatch(shell_join(example_run_args(out)));
    ASSERT_EQ(r.exit_code, 0) << what << ": " << r.err;
    EXPECT_TRUE(comparable_outputs(out) == *complete_) << what;
    EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"log", "out"})) << what << ": stale files remain";
  }

  static ScratchDir* dirs_;
  static Files* complete_;
  static int run_ms_;
};
ScratchDir* RunInterrupted::dirs_ = nullptr;
Files* RunInterrupted::complete_ = nullptr;
int RunInterrupted::run_ms_ = 0;

TEST_F(RunInterrupted, KilledAtEachOutputCallARerunEndsCleanAndComplete) {
  ASSERT_NE(complete_, nullptr);
  for (const char* point : {"write", "fsync", "rename"}) {
    bool completed = false;
    int kills = 0;
    for (int k = 1; k <= kMaxCalls && !completed; ++k) {
      const std::string fault = std::string(point) + ":" + std::to_string(k) + ":kill";
      ScratchDir dir;
      const fs::path out = prepare(dir);
      const Files before = snapshot_folder(out);
      const int status = wait_status(spawn_tilmatch(example_run_args(out), {"TILMATCH_FAULT=" + fault}, dir / "log"));
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        completed = true;
        continue;
      }
      ++kills;
      ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << fault << ": status " << status;
      expect_whole_after_kill(dir, out, before, fault);
      expect_rerun_cleans_up(dir, out, fault);
    }
    EXPECT_TRUE(completed) << point;
    EXPECT_GE(kills, 1) << point;
  }
}

TEST_F(RunInterrupted, KilledAtRandomMomentsARerunEndsCleanAndComplete) {
  ASSERT_NE(complete_, nullptr);
  std::cout << "[ seed ] " << kRandomSeed << ", a clean run took " << run_ms_ << " ms\n";
  std::mt19937 rng(kRandomSeed);
  // Moments spread over the whole run and a little past it, so every stage (and the end) is hit.
  std::uniform_int_distribution<int> delay_ms(0, run_ms_ + run_ms_ / 4 + 1);
  int writing = 0, finished = 0;
  for (int i = 0; i < kRandomKills; ++i) {
    const int delay = delay_ms(rng);
    const std::string what = "kill after " + std::to_string(delay) + " ms (seed " + std::to_string(kRandomSeed) + ")";
    ScratchDir dir;
    const fs::path out = prepare(dir);
    const Files before = snapshot_folder(out);
    const int pid = spawn_tilmatch(example_run_args(out), {}, dir / "log");
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    ::kill(pid, SIGKILL);
    const int status = wait_status(pid);
    ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0)) << what;
    finished += WIFEXITED(status) ? 1 : 0;
    for (const auto& e : fs::directory_iterator(dir.path())) {
      // A staging folder with more than its manifest: the kill came while outputs were written.
      if (e.path().filename().string().find("tilmatch-staging") != std::string::npos &&
          std::distance(fs::directory_iterator(e.path()), fs::directory_iterator{}) > 1)
        ++writing;
    }
    expect_whole_after_kill(dir, out, before, what);
    expect_rerun_cleans_up(dir, out, what);
  }
  std::cout << "[ kills ] " << kRandomKills << ": " << writing << " while output files were being written, "
            << finished << " after the run had finished\n";
}

TEST_F(RunInterrupted, SigintAndSigtermAtEachOutputCallLeaveNoTemporaryFile) {
  ASSERT_NE(complete_, nullptr);
  for (const auto& [action, sig] : {std::pair<const char*, int>{"int", SIGINT}, {"term", SIGTERM}}) {
    for (const char* point : {"write", "fsync", "rename"}) {
      bool completed = false;
      int interrupted = 0;
      for (int k = 1; k <= kMaxCalls && !completed; ++k) {
        const std::string fault = std::string(point) + ":" + std::to_string(k) + ":" + action;
        ScratchDir dir;
        const fs::path out = prepare(dir);
        const Files before = snapshot_folder(out);
        const int status = wait_status(spawn_tilmatch(example_run_args(out), {"TILMATCH_FAULT=" + fault}, dir / "log"));
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
          completed = true;
          continue;
        }
        ++interrupted;
        ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << fault << ": status " << status;
        expect_whole(out, before, fault);
        EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"log", "out"})) << fault << ": temporary files left";
      }
      EXPECT_TRUE(completed) << action << " " << point;
      EXPECT_GE(interrupted, 1) << action << " " << point;
    }
  }
}

TEST_F(RunInterrupted, SigtermAtRandomMomentsLeavesNoTemporaryFile) {
  ASSERT_NE(complete_, nullptr);
  std::cout << "[ seed ] " << kRandomSeed + 1 << "\n";
  std::mt19937 rng(kRandomSeed + 1);
  std::uniform_int_distribution<int> delay_ms(0, run_ms_ + 1);
  for (int i = 0; i < kRandomKills / 2; ++i) {
    const int delay = delay_ms(rng);
    const std::string what = "SIGTERM after " + std::to_string(delay) + " ms";
    ScratchDir dir;
    const fs::path out = prepare(dir);
    const Files before = snapshot_folder(out);
    const int pid = spawn_tilmatch(example_run_args(out), {}, dir / "log");
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    ::kill(pid, SIGTERM);
    const int status = wait_status(pid);
    ASSERT_TRUE((WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
        << what << ": status " << status;
    expect_whole(out, before, what);
    EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"log", "out"})) << what << ": temporary files left";
  }
}

TEST_F(RunInterrupted, AShellSeesExitCodes130And143And129) {
  for (const auto& [action, code] : {std::pair<const char*, int>{"int", 130}, {"term", 143}, {"hup", 129}}) {
    ScratchDir dir;
    const fs::path out = prepare(dir);
    // The shell runs tilmatch as a child and reports how it ended, as a user's script would.
    const std::string script = "TILMATCH_FAULT=write:3:" + std::string(action) + " " +
                               shell_quote(tilmatch_binary()) + " " + shell_join(example_run_args(out)) +
                               " 2>/dev/null; echo $?";
    const std::string command = "sh -c " + shell_quote(script) + " >" + shell_quote(dir / "log" / "status");
    ASSERT_EQ(std::system(command.c_str()), 0);
    EXPECT_EQ(read_file(dir / "log" / "status"), std::to_string(code) + "\n") << action;
    EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"log", "out"})) << action;
  }
}

}  // namespace
}  // namespace tilmatch::test
