// tilmatch neighbors under a memory budget: rows are scored in runs (scoring/search_runs.hpp) that
// shrink when their pairs pass the budget, without changing a byte of the output.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cli/command.hpp"
#include "common/test_support.hpp"

namespace tt = tilmatch::test;
using tilmatch::cli::kExitInput;
using tt::run_tilmatch;

namespace {

std::string q(const std::filesystem::path& p) { return tt::shell_quote(p); }

}  // namespace

TEST(CliNeighbors, RunsSplitWhenTheirPairsPassTheBudget) {
  // 2,000 distinct CDR3s (each only its own neighbour at distance 0), then 300 copies of one: 90,000
  // hits among them, more than half of 1M holds (43,690 of 12 bytes) in one run. Runs grow over the
  // distinct rows, so the run that reaches the copies must be scored again in smaller runs.
  tt::ScratchDir dir;
  static const char kLetters[] = "ACDEFGHIKLMNPQRSTVWY";
  std::string rows;
  for (int i = 0; i < 2000; ++i)
    rows += std::string("CASS") + kLetters[i % 20] + kLetters[(i / 20) % 20] + kLetters[i / 400] + "YEQYF\n";
  for (int i = 0; i < 300; ++i) rows += "CASSLGQGAYEQYF\n";
  tt::write_file(dir / "rep.txt", rows);
  const std::string common = "neighbors --input " + q(dir / "rep.txt") + " --max-distance 0 --threads 2";
  const auto small = run_tilmatch(common + " --memory 1M -vv --out " + q(dir / "small.tsv"));
  ASSERT_EQ(small.exit_code, 0) << small.err;
  EXPECT_NE(small.err.find("neighbors: pairs of rows "), std::string::npos) << small.err;
  EXPECT_NE(small.err.find("pass the budget; scoring them"), std::string::npos) << small.err;
  const auto big = run_tilmatch(common + " --memory 1G --out " + q(dir / "big.tsv"));
  ASSERT_EQ(big.exit_code, 0) << big.err;
  const std::string want = tt::read_file(dir / "big.tsv");
  EXPECT_EQ(tt::parse_tsv(want).size(), 1u + 300 * 299 / 2);  // the header, then each pair of copies once
  EXPECT_EQ(tt::read_file(dir / "small.tsv"), want);
}

TEST(CliNeighbors, ARowWhosePairsAloneDoNotFitIsAnError) {
  // Each of 50,000 copies is a neighbour of all 50,000: more than half of 1M holds for one row.
  tt::ScratchDir dir;
  std::string rows;
  for (int i = 0; i < 50000; ++i) rows += "CASSLGQGAYEQYF\n";
  tt::write_file(dir / "rep.txt", rows);
  const auto r = run_tilmatch("neighbors --input " + q(dir / "rep.txt") + " --max-distance 0 --memory 1M --out " +
                              q(dir / "pairs.tsv"));
  EXPECT_EQ(r.exit_code, kExitInput) << r.err;
  EXPECT_NE(r.err.find("tilmatch neighbors: row 1 (CDR3b CASSLGQGAYEQYF) alone has more neighbours within 0 than "
                       "--memory 1M holds"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "pairs.tsv"));
}
