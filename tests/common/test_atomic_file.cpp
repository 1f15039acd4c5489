#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "common/fault_injector.hpp"
#include "common/fs_ops.hpp"
#include "common/test_support.hpp"
#include "tilmatch/atomic_file.hpp"
#include "tilmatch/error.hpp"

namespace fs = std::filesystem;
using tilmatch::AtomicFile;
using tilmatch::OutputSet;

TEST(AtomicFile, AppearsOnlyAfterCommit) {
  tilmatch::test::ScratchDir dir;
  fs::path target = dir / "out.tsv";
  {
    AtomicFile f(target);
    f.write("a\tb\n");
    EXPECT_FALSE(fs::exists(target));
    f.commit();
  }
  ASSERT_TRUE(fs::exists(target));
  EXPECT_EQ(tilmatch::test::read_file(target), "a\tb\n");
  // Only the final file remains: no temporary left over.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}), 1);
}

TEST(AtomicFile, UncommittedLeavesNothing) {
  tilmatch::test::ScratchDir dir;
  {
    AtomicFile f(dir / "out.tsv");
    f.write("partial");
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(AtomicFile, UnwritableDirectoryThrowsIoError) {
  EXPECT_THROW(AtomicFile("/nonexistent-dir-for-tilmatch/x.tsv"), tilmatch::IoError);
}

TEST(OutputSet, AllOrNothing) {
  tilmatch::test::ScratchDir dir;
  fs::path out = dir / "run";
  {
    OutputSet set(out);
    set.open("a.txt").write("A");
    set.open("b.txt").write("B");
    // Destroyed without commit: as if a later stage had thrown.
  }
  EXPECT_FALSE(fs::exists(out)) << "a directory the failed set created must not be left behind";
  fs::create_directory(out);
  {
    OutputSet set(out);
    set.open("a.txt").write("A");
  }
  EXPECT_TRUE(fs::is_directory(out)) << "a directory the user made must stay";
  EXPECT_TRUE(fs::is_empty(out));
  {
    OutputSet set(out);
    set.open("a.txt").write("A");
    set.open("b.txt").write("B");
    set.commit();
  }
  EXPECT_EQ(tilmatch::test::read_file(out / "a.txt"), "A");
  EXPECT_EQ(tilmatch::test::read_file(out / "b.txt"), "B");
}

namespace {

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

/// A pid that surely ran on this host and no longer does.
long dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  tilmatch::test::wait_status(pid);
  return pid;
}

}  // namespace

TEST(AtomicFile, TemporaryNameCarriesHostAndPid) {
  tilmatch::test::ScratchDir dir;
  AtomicFile f(dir / "hits.tsv");
  const std::string expected = "hits.tsv.tmp." + tilmatch::detail::host_name() + "." + std::to_string(::getpid());
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{expected});
}

TEST(AtomicFile, RemovesTemporariesOfDeadRunsOnThisHostOnly) {
  tilmatch::test::ScratchDir dir;
  const std::string host = tilmatch::detail::host_name();
  const std::string dead = "hits.tsv.tmp." + host + "." + std::to_string(dead_pid());
  const std::string live = "hits.tsv.tmp." + host + ".1";  // pid 1 always runs
  const std::string other_host = "hits.tsv.tmp.another-host." + std::to_string(dead_pid());
  const std::string other_name = "other.tsv.tmp." + host + "." + std::to_string(dead_pid());
  for (const std::string& n : {dead, live, other_host, other_name}) tilmatch::test::write_file(dir / n, "partial");
  AtomicFile f(dir / "hits.tsv");
  f.write("x");
  f.commit();
  std::vector<std::string> expected = {"hits.tsv", live, other_host, other_name};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(names_in(dir.path()), expected);
}

TEST(AtomicFile, AFailedWriteFsyncOrRenameLeavesNoFile) {
  for (const char* fault : {"write:1", "fsync:1", "rename:1"}) {
    tilmatch::test::ScratchDir dir;
    tilmatch::test::write_file(dir / "hits.tsv", "previous");
    tilmatch::detail::FaultInjector::instance().rearm(fault);
    try {
      AtomicFile f(dir / "hits.tsv");
      f.write("new");
      f.commit();
      ADD_FAILURE() << fault << " did not fail";
    } catch (const tilmatch::IoError& e) {
      EXPECT_NE(std::string(e.what()).find("hits.tsv"), std::string::npos) << e.what();
    }
    tilmatch::detail::FaultInjector::instance().rearm("");
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"hits.tsv"}) << fault;
    EXPECT_EQ(tilmatch::test::read_file(dir / "hits.tsv"), "previous") << fault;
  }
}

TEST(AtomicFile, LargeWritesArriveWholeAndInOrder) {
  tilmatch::test::ScratchDir dir;
  std::string expected;
  {
    AtomicFile f(dir / "big.tsv");
    for (int i = 0; i < 5; ++i) {
      // Around the 1 MiB buffer: small pieces, one larger than the buffer, and pieces that cross it.
      const std::string piece(i == 2 ? (3u << 20) : (700u << 10), static_cast<char>('a' + i));
      f.write(piece);
      expected += piece;
    }
    f.commit();
  }
  EXPECT_EQ(tilmatch::test::read_file(dir / "big.tsv"), expected);
}
