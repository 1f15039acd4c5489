// Device faults injected at the backend interface (TILMATCH_FAULT_BACKEND, read by the backend
// factory) on the bundled example: out of device memory, search / neighbors / run fall back to
// smaller tiles and write the same bytes; a lost device, or no room even for the smallest tile,
// exits 3 and publishes nothing. The faults wrap the CPU backend, so no device is needed.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "cli/command.hpp"
#include "common/test_support.hpp"

namespace tilmatch::test {
namespace {

namespace fs = std::filesystem;
using cli::kExitDevice;

fs::path example() { return source_dir() / "data" / "example"; }

/// Runs the CLI with TILMATCH_FAULT_BACKEND set to `faults` (unset again after).
CommandResult run_with_faults(const std::string& faults, const std::string& args) {
  ::setenv("TILMATCH_FAULT_BACKEND", faults.c_str(), 1);
  CommandResult r = run_tilmatch(args);
  ::unsetenv("TILMATCH_FAULT_BACKEND");
  return r;
}

std::set<std::string> entries(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const char kFallback[] = "scoring in tiles of";
const char kFloor[] = "device out of memory even at the smallest tile";

std::string search_args(const std::string& metric, const std::string& extra) {
  const std::string threshold = metric == "tcrdist" ? " --max-distance 60" : " --min-score 0.8";
  return "search --query " + shell_quote(example() / "fragments/F07.airr.tsv") + " --reference " +
         shell_quote(example() / "reference.tsv") + " --metric " + metric + threshold +
         " --backend cpu --threads 2 " + extra;
}

std::string neighbors_args(const std::string& extra) {
  return "neighbors --input " + shell_quote(example() / "fragments/F03.airr.tsv") +
         " --max-distance 24 --backend cpu --threads 2 " + extra;
}

std::string run_args(const fs::path& out) {
  const fs::path ex = example();
  return "run --vcf " + shell_quote(ex / "patient.vcf") + " --sample EXAMPLE_TUMOR --normal-sample EXAMPLE_NORMAL" +
         " --fragments " + shell_quote(ex / "fragments.tsv") + " --reference " + shell_quote(ex / "reference.tsv") +
         " --validated " + shell_quote(ex / "validated.tsv") + " --hla 'A*02:01,A*24:02,B*07:02,B*44:02,C*05:01'" +
         " --backend cpu --threads 2 --out " + shell_quote(out);
}

// The run outputs whose bytes do not name the backend (run.json and report.html do).
const char* const kRunTables[] = {"fragments.tsv",   "affinity.tsv", "clonotypes.tsv", "tmg_design.tsv",
                                  "tmg_design.fasta", "candidates.tsv", "epitopes.tsv", "minigenes.fasta"};

}  // namespace

TEST(CliDeviceFaults, SearchOutOfDeviceMemoryFallsBackToSmallerTilesWithTheSameBytes) {
  ScratchDir dir;
  for (const std::string metric : {"tcrdist", "tcrmatch"}) {
    const auto plain = run_tilmatch(search_args(metric, "--out " + shell_quote(dir / "plain.tsv")));
    ASSERT_EQ(plain.exit_code, 0) << plain.err;
    const std::string want = read_file(dir / "plain.tsv");
    ASSERT_GT(parse_tsv(want).size(), 20u) << metric;
    // ~1,500 queries x 252 references in one run: a tile of ~380,000 pairs, room for 20,000.
    const auto oom = run_with_faults("oom:20000", search_args(metric, "--out " + shell_quote(dir / "oom.tsv")));
    ASSERT_EQ(oom.exit_code, 0) << oom.err;
    EXPECT_TRUE(contains(oom.err, kFallback)) << oom.err;
    EXPECT_EQ(read_file(dir / "oom.tsv"), want) << metric;
    // With --memory 1M the query is scored in many runs; the smaller tile carries over.
    const auto runs =
        run_with_faults("oom:5000", search_args(metric, "--memory 1M --out " + shell_quote(dir / "runs.tsv")));
    ASSERT_EQ(runs.exit_code, 0) << runs.err;
    EXPECT_EQ(read_file(dir / "runs.tsv"), want) << metric;
  }
}

TEST(CliDeviceFaults, NeighborsOutOfDeviceMemoryFallsBackWithTheSameBytes) {
  ScratchDir dir;
  const auto plain = run_tilmatch(neighbors_args("--out " + shell_quote(dir / "plain.tsv")));
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const std::string want = read_file(dir / "plain.tsv");
  ASSERT_GT(parse_tsv(want).size(), 20u);
  const auto oom = run_with_faults("oom:10000", neighbors_args("--out " + shell_quote(dir / "oom.tsv")));
  ASSERT_EQ(oom.exit_code, 0) << oom.err;
  EXPECT_TRUE(contains(oom.err, kFallback)) << oom.err;
  EXPECT_EQ(read_file(dir / "oom.tsv"), want);
}

TEST(CliDeviceFaults, RunOutOfDeviceMemoryFallsBackWithTheSameBytes) {
  ScratchDir dir;
  const auto plain = run_tilmatch(run_args(dir / "plain"));
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const auto oom = run_with_faults("oom:5000", run_args(dir / "oom"));
  ASSERT_EQ(oom.exit_code, 0) << oom.err;
  EXPECT_TRUE(contains(oom.err, kFallback)) << oom.err;
  ASSERT_GT(parse_tsv(read_file(dir / "plain" / "affinity.tsv")).size(), 5u);  // 9 evidence entries
  for (const char* f : kRunTables) EXPECT_EQ(read_file(dir / "oom" / f), read_file(dir / "plain" / f)) << f;
}

TEST(CliDeviceFaults, ALostDeviceExitsThreeAndPublishesNothing) {
  ScratchDir dir;
  // lost:1 fails the first search; with --memory 1M, lost:3 fails after two runs were written.
  for (const std::string faults : {"lost:1", "lost:3"}) {
    for (const std::string metric : {"tcrdist", "tcrmatch"}) {
      const auto r =
          run_with_faults(faults, search_args(metric, "--memory 1M --out " + shell_quote(dir / "hits.tsv")));
      EXPECT_EQ(r.exit_code, kExitDevice) << faults << " " << metric << ": " << r.err;
      EXPECT_TRUE(contains(r.err, "tilmatch search: ")) << r.err;
      EXPECT_TRUE(contains(r.err, "device lost")) << r.err;
      EXPECT_TRUE(entries(dir.path()).empty()) << faults << " " << metric << ": left " << *entries(dir.path()).begin();
    }
    const auto n = run_with_faults(faults, neighbors_args("--memory 1M --out " + shell_quote(dir / "pairs.tsv")));
    EXPECT_EQ(n.exit_code, kExitDevice) << faults << ": " << n.err;
    EXPECT_TRUE(contains(n.err, "tilmatch neighbors: ")) << n.err;
    EXPECT_TRUE(entries(dir.path()).empty()) << faults;
  }
  // run: the transfer search (lost:1) or the neighbourhood search after it (lost:2).
  for (const std::string faults : {"lost:1", "lost:2"}) {
    const auto r = run_with_faults(faults, run_args(dir / "out"));
    EXPECT_EQ(r.exit_code, kExitDevice) << faults << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "tilmatch run: ")) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out")) << faults;
  }
  // An --out folder that already exists keeps only what it had (--force: it holds files that are not
  // a tilmatch result).
  fs::create_directory(dir / "kept");
  write_file(dir / "kept" / "notes.txt", "mine\n");
  const auto r = run_with_faults("lost:2", run_args(dir / "kept") + " --force");
  EXPECT_EQ(r.exit_code, kExitDevice) << r.err;
  EXPECT_EQ(entries(dir / "kept"), (std::set<std::string>{"notes.txt"}));
}

TEST(CliDeviceFaults, NoRoomEvenForTheSmallestTileExitsThree) {
  ScratchDir dir;
  const auto s = run_with_faults("oom:0", search_args("tcrdist", "--out " + shell_quote(dir / "hits.tsv")));
  EXPECT_EQ(s.exit_code, kExitDevice) << s.err;
  EXPECT_TRUE(contains(s.err, std::string("tilmatch search: ") + kFloor)) << s.err;
  const auto n = run_with_faults("oom:0", neighbors_args("--out " + shell_quote(dir / "pairs.tsv")));
  EXPECT_EQ(n.exit_code, kExitDevice) << n.err;
  EXPECT_TRUE(contains(n.err, std::string("tilmatch neighbors: ") + kFloor)) << n.err;
  const auto r = run_with_faults("oom:0", run_args(dir / "out"));
  EXPECT_EQ(r.exit_code, kExitDevice) << r.err;
  EXPECT_TRUE(contains(r.err, std::string("tilmatch run: ") + kFloor)) << r.err;
  EXPECT_TRUE(entries(dir.path()).empty()) << *entries(dir.path()).begin();
}

TEST(CliDeviceFaults, AMalformedFaultPlanIsAUsageError) {
  ScratchDir dir;
  const auto r = run_with_faults("oom", search_args("tcrdist", "--out " + shell_quote(dir / "hits.tsv")));
  EXPECT_EQ(r.exit_code, cli::kExitInput) << r.err;
  EXPECT_TRUE(contains(r.err, "TILMATCH_FAULT_BACKEND")) << r.err;
  EXPECT_FALSE(fs::exists(dir / "hits.tsv"));
}

}  // namespace tilmatch::test
