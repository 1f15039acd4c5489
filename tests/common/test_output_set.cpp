// OutputSet: the folder is published whole or left as it was, whatever fails; the lock; folders
// it refuses; what killed runs left next to it.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/fault_injector.hpp"
#include "common/fs_ops.hpp"
#include "common/test_support.hpp"
#include "tilmatch/atomic_file.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::ScratchDir;
using test::snapshot_folder;
using test::write_file;

using Files = std::map<std::string, std::string>;

void write_set(const fs::path& dir, const Files& files) {
  OutputSet set(dir);
  for (const auto& [name, text] : files) set.open(name).write(text);
  set.commit();
}

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

/// A pid that surely ran on this host and no longer does.
long dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  test::wait_status(pid);
  return pid;
}

/// A folder's snapshot with each file's bytes replaced by their size and hash: a failure then
/// prints a readable line instead of megabytes.
std::map<std::string, std::string> digest(const Files& files) {
  std::map<std::string, std::string> out;
  for (const auto& [name, text] : files)
    out[name] = std::to_string(text.size()) + " bytes, hash " + std::to_string(std::hash<std::string>{}(text));
  return out;
}

/// The manifest a set with these files writes, for comparing whole folders.
Files published(const Files& files) {
  Files out = files;
  std::string manifest = "# tilmatch output set: these files were written together by one run\n";
  for (const auto& [name, text] : files) manifest += name + "\n";
  out[std::string(kOutputSetManifest)] = manifest;
  return out;
}

TEST(OutputSet, PublishesTheFilesTogetherWithTheirManifestAndNothingBeside) {
  ScratchDir dir;
  write_set(dir / "out", {{"a.tsv", "A\n"}, {"b.fasta", ">b\nMK\n"}});
  EXPECT_EQ(snapshot_folder(dir / "out"), published({{"a.tsv", "A\n"}, {"b.fasta", ">b\nMK\n"}}));
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out"}) << "no staging folder or lock file may remain";
}

TEST(OutputSet, ReplacesAnEarlierSetWhole) {
  ScratchDir dir;
  write_set(dir / "out", {{"a.tsv", "old a"}, {"b.tsv", "old b"}});
  write_set(dir / "out", {{"a.tsv", "new a"}, {"c.tsv", "new c"}});
  // b.tsv belonged to the earlier set only: a mixed folder would still hold it.
  EXPECT_EQ(snapshot_folder(dir / "out"), published({{"a.tsv", "new a"}, {"c.tsv", "new c"}}));
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out"});
}

TEST(OutputSet, UncommittedLeavesTheFolderAsItWas) {
  ScratchDir dir;
  {
    OutputSet set(dir / "fresh");
    set.open("a.tsv").write("A");
  }
  EXPECT_FALSE(fs::exists(dir / "fresh"));
  write_set(dir / "out", {{"a.tsv", "old"}});
  const auto before = snapshot_folder(dir / "out");
  {
    OutputSet set(dir / "out");
    set.open("a.tsv").write("new");
    set.open("b.tsv").write("new");
  }
  EXPECT_EQ(snapshot_folder(dir / "out"), before);
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out"});
}

/// A user's own entries in an output folder: a file, a folder with a file, a symlink.
void add_users_own(const fs::path& out) {
  write_file(out / "notes.txt", "my notes");
  fs::create_directory(out / "plots");
  write_file(out / "plots" / "fig.txt", "a figure");
  fs::create_symlink("notes.txt", out / "notes.link");
}

Files with_users_own(Files files) {
  files["notes.txt"] = "my notes";
  files["plots"] = "<dir>";
  files["plots/fig.txt"] = "a figure";
  files["notes.link"] = "<other>";
  return files;
}

ino_t inode_of(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 ? st.st_ino : 0;
}

TEST(OutputSet, TheFoldersOwnEntriesAreCarriedOverUntouched) {
  ScratchDir dir;
  write_set(dir / "out", {{"a.tsv", "old a"}, {"gone.tsv", "only in the old set"}});
  add_users_own(dir / "out");
  const ino_t notes = inode_of(dir / "out" / "notes.txt"), plots = inode_of(dir / "out" / "plots");
  write_set(dir / "out", {{"a.tsv", "new a"}, {"c.tsv", "new c"}});
  EXPECT_EQ(snapshot_folder(dir / "out"), with_users_own(published({{"a.tsv", "new a"}, {"c.tsv", "new c"}})));
  EXPECT_EQ(inode_of(dir / "out" / "notes.txt"), notes) << "the same file, not a copy";
  EXPECT_EQ(inode_of(dir / "out" / "plots"), plots);
  EXPECT_EQ(fs::read_symlink(dir / "out" / "notes.link"), "notes.txt");
  EXPECT_EQ(fs::hard_link_count(dir / "out" / "notes.txt"), 1u) << "no link left in a staging folder";
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out"});
}

TEST(OutputSet, AFileNamedLikeAnOutputThatNoRunWroteIsNeverReplaced) {
  ScratchDir dir;
  fs::create_directory(dir / "out");
  write_file(dir / "out" / "a.tsv", "a user's a.tsv");
  try {
    write_set(dir / "out", {{"a.tsv", "new"}});
    FAIL() << "a user's a.tsv would have been replaced";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("a.tsv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find((dir / "out").string()), std::string::npos) << e.what();
  }
  EXPECT_EQ(snapshot_folder(dir / "out"), (Files{{"a.tsv", "a user's a.tsv"}}));
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out"});
}

TEST(OutputSet, AResultFromBeforeManifestsIsReplacedByName) {
  // Written by a tilmatch without .tilmatch-set: its run.json says so, and files named like the
  // new set's are that result's; anything else stays.
  ScratchDir dir;
  fs::create_directory(dir / "out");
  write_file(dir / "out" / "run.json", "{\n  \"tool\": \"tilmatch\",\n  \"version\": \"0.1.0\"\n}\n");
  write_file(dir / "out" / "a.tsv", "old a");
  write_file(dir / "out" / "notes.txt", "my notes");
  write_set(dir / "out", {{"a.tsv", "new a"}, {"run.json", "{}"}});
  Files expected = published({{"a.tsv", "new a"}, {"run.json", "{}"}});
  expected["notes.txt"] = "my notes";
  EXPECT_EQ(snapshot_folder(dir / "out"), expected);
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out"});
}

TEST(OutputSet, RefusesAFileTheRootAndTheWorkingDirectory) {
  ScratchDir dir;
  write_file(dir / "file", "x");
  EXPECT_THROW(OutputSet(dir / "file"), IoError);
  EXPECT_EQ(read_file(dir / "file"), "x");
  EXPECT_THROW(OutputSet("/"), IoError);
  fs::create_directory(dir / "cwd");
  const fs::path back = fs::current_path();
  fs::current_path(dir / "cwd");
  EXPECT_THROW(OutputSet("."), IoError);
  fs::current_path(back);
}

TEST(OutputSet, AnEmptyFolderIsReplacedKeepingItsPermissions) {
  ScratchDir dir;
  fs::create_directory(dir / "out");
  ASSERT_EQ(::chmod((dir / "out").c_str(), 0750), 0);
  write_set(dir / "out", {{"a.tsv", "A"}});
  struct stat st {};
  ASSERT_EQ(::stat((dir / "out").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0750u);
  EXPECT_EQ(read_file(dir / "out" / "a.tsv"), "A");
}

TEST(OutputSet, ASymlinkToAFolderIsFollowed) {
  ScratchDir dir;
  fs::create_directory(dir / "real");
  fs::create_directory_symlink(dir / "real", dir / "link");
  write_set(dir / "link", {{"a.tsv", "A"}});
  EXPECT_TRUE(fs::is_symlink(dir / "link"));
  EXPECT_EQ(read_file(dir / "real" / "a.tsv"), "A");
  EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"link", "real"}));
}

TEST(OutputSet, ASecondSetOnTheSameFolderIsRefusedWhileTheFirstLives) {
  ScratchDir dir;
  {
    OutputSet first(dir / "out");
    first.open("a.tsv").write("first");
    try {
      OutputSet second(dir / "out");
      FAIL() << "two sets on one folder";
    } catch (const IoError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("another tilmatch run"), std::string::npos) << msg;
      EXPECT_NE(msg.find("pid " + std::to_string(::getpid())), std::string::npos) << msg;
      EXPECT_NE(msg.find((dir / "out").string()), std::string::npos) << msg;
    }
    OutputSet other(dir / "other");  // the lock is per folder
    first.commit();
  }
  EXPECT_EQ(read_file(dir / "out" / "a.tsv"), "first");
  write_set(dir / "out", {{"a.tsv", "again"}});  // released with the first set
  EXPECT_EQ(read_file(dir / "out" / "a.tsv"), "again");
}

TEST(OutputSet, RemovesWhatDeadRunsOnThisHostLeftAndNothingElse) {
  ScratchDir dir;
  const std::string host = detail::host_name();
  const long dead = dead_pid();
  const std::string manifest = "# tilmatch output set: these files were written together by one run\nx.tsv\n";
  auto make = [&](const std::string& name, bool with_stray) {
    fs::create_directory(dir / name);
    write_file(dir / name / std::string(kOutputSetManifest), manifest);
    write_file(dir / name / "x.tsv", "partial");
    if (with_stray) write_file(dir / name / "stray.txt", "not listed");
  };
  const std::string dead_staging = ".out.tilmatch-staging." + host + "." + std::to_string(dead);
  const std::string dead_old = ".out.tilmatch-old." + host + "." + std::to_string(dead);
  const std::string live = ".out.tilmatch-staging." + host + ".1";  // pid 1 always runs
  const std::string other_host = ".out.tilmatch-staging.another-host." + std::to_string(dead);
  const std::string unlisted = ".out.tilmatch-staging." + host + "." + std::to_string(dead) + "0";
  const std::string other_folder = ".results.tilmatch-staging." + host + "." + std::to_string(dead);
  make(dead_staging, false);
  make(dead_old, false);
  make(live, false);
  make(other_host, false);
  make(other_folder, false);
  if (::kill(static_cast<pid_t>(dead * 10), 0) != 0) make(unlisted, true);
  write_set(dir / "out", {{"a.tsv", "A"}});
  const auto left = names_in(dir.path());
  EXPECT_FALSE(left.count(dead_staging));
  EXPECT_FALSE(left.count(dead_old));
  EXPECT_TRUE(left.count(live)) << "a live run's staging folder must stay";
  EXPECT_TRUE(left.count(other_host)) << "another host's staging folder must stay";
  EXPECT_TRUE(left.count(other_folder)) << "only this folder's leftovers are looked at";
  if (left.count(unlisted)) {
    EXPECT_TRUE(fs::exists(dir / unlisted / "stray.txt")) << "a file no run listed is never deleted";
    EXPECT_FALSE(fs::exists(dir / unlisted / "x.tsv"));
  }
}

TEST(OutputSet, AFolderCarriedByAKilledRunGoesBack) {
  // Killed after moving the folder's own sub-folder into its staging folder, before the swap.
  ScratchDir dir;
  write_set(dir / "out", {{"a.tsv", "A"}});
  const fs::path staging = dir / (".out.tilmatch-staging." + detail::host_name() + "." + std::to_string(dead_pid()));
  fs::create_directory(staging);
  write_file(staging / std::string(kOutputSetManifest),
             "# tilmatch output set: these files were written together by one run\na.tsv\n");
  write_file(staging / "a.tsv", "partial");
  fs::create_directory(staging / "plots");
  write_file(staging / "plots" / "fig.txt", "a figure");
  write_set(dir / "out", {{"a.tsv", "B"}});
  EXPECT_EQ(read_file(dir / "out" / "plots" / "fig.txt"), "a figure");
  EXPECT_EQ(read_file(dir / "out" / "a.tsv"), "B");
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out"});
}

TEST(OutputSet, APreviousFolderMovedAsideByAKilledRunIsPutBack) {
  // Killed between the two renames of the no-exchange swap: out/ is gone, its contents aside.
  ScratchDir dir;
  write_set(dir / "out", {{"a.tsv", "A"}});
  fs::rename(dir / "out", dir / (".out.tilmatch-old." + detail::host_name() + "." + std::to_string(dead_pid())));
  {
    OutputSet set(dir / "out");
    EXPECT_EQ(read_file(dir / "out" / "a.tsv"), "A") << "restored before the new run replaces it";
  }
  EXPECT_EQ(snapshot_folder(dir / "out"), published({{"a.tsv", "A"}}));
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out"});
}

// Every write, fsync and rename a set does is made to fail in turn: the folder must then hold
// exactly what it held before (an earlier set, or nothing), and nothing may be left beside it.
// When k passes the number of such calls the set is published whole.
class OutputSetFaults : public ::testing::TestWithParam<const char*> {
 protected:
  void TearDown() override { detail::FaultInjector::instance().rearm(""); }
};

TEST_P(OutputSetFaults, EveryFailureLeavesTheFolderAsItWasOrComplete) {
  const std::string point = GetParam();
  const Files old_files = {{"a.tsv", "old a"}, {"gone.tsv", "only in the old set"}};
  const Files new_files = {{"a.tsv", std::string(3u << 20, 'a')}, {"b.tsv", "new b"}, {"c.fasta", ">c\nMK\n"}};
  for (const char* prefix : {"", "exchange:1,"}) {  // with and without RENAME_EXCHANGE
    for (int mode = 0; mode < 3; ++mode) {
      const bool earlier = mode > 0, own = mode == 2;
      SCOPED_TRACE(std::string(prefix) + point +
                   (own ? " over an earlier set with the folder's own entries" : earlier ? " over an earlier set" : " into a new folder"));
      int failures = 0;
      bool published_whole = false;
      for (int k = 1; k <= 200 && !published_whole; ++k) {
        ScratchDir dir;
        if (earlier) write_set(dir / "out", old_files);
        if (own) add_users_own(dir / "out");
        const auto before = snapshot_folder(dir / "out");
        detail::FaultInjector::instance().rearm(std::string(prefix) + point + ":" + std::to_string(k));
        try {
          OutputSet set(dir / "out");
          for (const auto& [name, text] : new_files) set.open(name).write(text);
          set.commit();
          published_whole = true;
        } catch (const IoError& e) {
          ++failures;
          EXPECT_EQ(digest(snapshot_folder(dir / "out")), digest(before)) << "k=" << k << ": " << e.what();
        }
        detail::FaultInjector::instance().rearm("");
        if (published_whole) {
          EXPECT_EQ(digest(snapshot_folder(dir / "out")),
                    digest(own ? with_users_own(published(new_files)) : published(new_files)))
              << "k=" << k;
        }
        EXPECT_EQ(names_in(dir.path()), earlier || published_whole ? std::set<std::string>{"out"}
                                                                    : std::set<std::string>{})
            << "k=" << k;
      }
      EXPECT_TRUE(published_whole);
      EXPECT_GE(failures, 1) << "the set never reached a " << point;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Points, OutputSetFaults, ::testing::Values("write", "fsync", "rename"));

}  // namespace
}  // namespace tilmatch
