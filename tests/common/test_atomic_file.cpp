#include <gtest/gtest.h>

#include <filesystem>

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
