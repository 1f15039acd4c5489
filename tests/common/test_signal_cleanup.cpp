// The signal cleanup registry, exercised in forked children that install the handler and are
// signalled: what is registered is removed, nothing else is, and the child ends by the signal.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <optional>

#include "common/signal_cleanup.hpp"
#include "common/test_support.hpp"

namespace tilmatch::detail {
namespace {

namespace fs = std::filesystem;
using test::ScratchDir;
using test::write_file;

// Runs `body` in a forked child with the cleanup handler installed and returns the wait status.
// The child only signals itself or exits; gtest assertions stay in the parent.
template <typename Body>
int in_child(Body body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    install_cleanup_signal_handlers();
    body();
    ::_exit(0);
  }
  return test::wait_status(pid);
}

TEST(SignalCleanup, SigtermRemovesRegisteredFilesAndFoldersAndEndsByTheSignal) {
  ScratchDir dir;
  const fs::path folder = dir / "staging";
  fs::create_directory(folder);
  write_file(folder / "a.tsv", "a");
  write_file(dir / "lock", "");
  write_file(dir / "keep.tsv", "not registered");
  const int status = in_child([&] {
    CleanupRegistration a(folder / "a.tsv", CleanupKind::kFile);
    CleanupRegistration f(folder, CleanupKind::kFolder);  // removed after its files
    CleanupRegistration l(dir / "lock", CleanupKind::kLock);
    ::raise(SIGTERM);
  });
  ASSERT_TRUE(WIFSIGNALED(status)) << "status " << status;
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_FALSE(fs::exists(folder));
  EXPECT_FALSE(fs::exists(dir / "lock"));
  EXPECT_TRUE(fs::exists(dir / "keep.tsv"));
}

TEST(SignalCleanup, ReleasedPathsStay) {
  ScratchDir dir;
  write_file(dir / "published.tsv", "p");
  write_file(dir / "moved.tsv", "m");
  const int status = in_child([&] {
    CleanupRegistration p(dir / "published.tsv", CleanupKind::kFile);
    p.release();
    CleanupRegistration m(dir / "moved.tsv", CleanupKind::kFile);
    CleanupRegistration moved = std::move(m);  // the registration moves, the path stays registered
    ::raise(SIGINT);
  });
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGINT);
  EXPECT_TRUE(fs::exists(dir / "published.tsv"));
  EXPECT_FALSE(fs::exists(dir / "moved.tsv"));
}

TEST(SignalCleanup, ADeferredSignalWaitsForTheDeferralToEnd) {
  ScratchDir dir;
  write_file(dir / "temp", "t");
  const int status = in_child([&] {
    CleanupRegistration t(dir / "temp", CleanupKind::kFile);
    {
      SignalDeferral defer;
      ::raise(SIGTERM);
      // Still here: the handler only noted the signal. Leave a mark that this ran.
      test::write_file(dir / "ran-after-signal", "");
    }
    ::_exit(0);  // not reached: the deferral's end raises SIGTERM again
  });
  ASSERT_TRUE(WIFSIGNALED(status)) << "status " << status;
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_TRUE(fs::exists(dir / "ran-after-signal"));
  EXPECT_FALSE(fs::exists(dir / "temp"));
}

TEST(SignalCleanup, AnIgnoredSignalStaysIgnored) {
  // nohup and background jobs start a process with SIGHUP/SIGINT ignored: the CLI must not undo that.
  ScratchDir dir;
  write_file(dir / "temp", "t");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::signal(SIGHUP, SIG_IGN);
    install_cleanup_signal_handlers();
    CleanupRegistration t(dir / "temp", CleanupKind::kFile);
    ::raise(SIGHUP);
    ::_exit(7);
  }
  const int status = test::wait_status(pid);
  ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 7);
  EXPECT_TRUE(fs::exists(dir / "temp"));
}

}  // namespace
}  // namespace tilmatch::detail
