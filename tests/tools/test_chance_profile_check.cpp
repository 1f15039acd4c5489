// tilmatch_chance_profile_check (scripts/eval-chance-profile) on hand-made backgrounds: its counts
// of cells, held rows and predictions against what the estimator gives by hand, and its errors.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "common/test_support.hpp"

namespace tt = tilmatch::test;

namespace {

std::string airr(const std::vector<std::string>& cdr3s) {
  std::string out = "sequence_id\tv_call\tj_call\tjunction_aa\n";
  for (std::size_t i = 0; i < cdr3s.size(); ++i) {
    out += 'r';  // appended piecewise: "r" + std::to_string() trips GCC 12's -Wrestrict
    out += std::to_string(i);
    out += "\tTRBV5-1*01\tTRBJ2-7*01\t";
    out += cdr3s[i];
    out += '\n';
  }
  return out;
}

struct Result {
  int exit_code = -1;
  std::string out, err;
};

/// Runs the tool with `args`, its stdout and stderr captured in `dir`.
Result run_tool(const std::string& args, const tt::ScratchDir& dir) {
  const auto out = dir / "tool.out", err = dir / "tool.err";
  const std::string cmd = tt::shell_quote(TILMATCH_CHANCE_PROFILE_CHECK) + args + " > " + tt::shell_quote(out) +
                          " 2> " + tt::shell_quote(err);
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, tt::read_file(out), tt::read_file(err)};
}

std::vector<std::vector<std::string>> data_rows(const std::string& out) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#' || line.rfind("kappa", 0) == 0) continue;
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string f; std::getline(fields, f, '\t');) cells.push_back(f);
    rows.push_back(cells);
  }
  return rows;
}

TEST(ChanceProfileCheck, CountsAndPredictionsOnHandMadeBackgrounds) {
  tt::ScratchDir dir;
  // Two references: one A holds twice (no cell of it is empty), one A holds nothing near (25 empty
  // cells, d = 0..24) and B holds once, at d = 0.
  tt::write_file(dir / "refs.tsv",
                 "id\tcdr3_beta\tv_beta\tj_beta\tepitope\tmhc\tmhc_class\tantigen_gene\tantigen_species\tsource\n"
                 "a\tCASSLGQAYEQYF\tTRBV5-1*01\tTRBJ2-7*01\tGILGFVFTL\tHLA-A*02:01\tMHCI\tM\tInfluenza\tt\n"
                 "b\tCASSWWWWWWWWWWWWQYF\tTRBV5-1*01\tTRBJ2-7*01\tGILGFVFTL\tHLA-A*02:01\tMHCI\tM\tInfluenza\tt\n");
  tt::write_file(dir / "a.tsv", airr({"CASSLGQAYEQYF", "CASSLGQAYEQYF", "CASSIGQAYEQYF", "CASSIGQAYEQYF"}));
  tt::write_file(dir / "b.tsv", airr({"CASSLGQAYEQYF", "CASSWWWWWWWWWWWWQYF", "CAKKKKKKKKKKKKF", "CAKKKKKKKKKKKKF",
                                      "CAKKKKKKKKKKKKF", "CAKKKKKKKKKKKKF", "CAKKKKKKKKKKKKF", "CAKKKKKKKKKKKKF"}));
  const std::string args = " --reference " + tt::shell_quote(dir / "refs.tsv") + " --background " +
                           tt::shell_quote(dir / "a.tsv") + " --truth " + tt::shell_quote(dir / "b.tsv") +
                           " --strengths 0,50 --patient-clonotypes 10";
  const auto r = run_tool(args + " --every 1", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = data_rows(r.out);
  ASSERT_EQ(rows.size(), 2u) << r.out;
  ASSERT_EQ(rows[0].size(), 16u);
  EXPECT_EQ(rows[0][0], "0");
  EXPECT_EQ(rows[1][0], "50");
  for (const auto& row : rows) {
    EXPECT_EQ(row[3], "25");  // empty cells: reference b's
    EXPECT_EQ(row[4], "7");   // B's rows in them within d <= 6: b's one row, at every d = 0..6
    EXPECT_EQ(row[6], "13");  // d <= 12
    EXPECT_EQ(row[12], "1");  // references A holds nothing within the cap of: b
    EXPECT_EQ(row[13], "1");  // B's rows within the cap of b: its one row
    EXPECT_EQ(row[14], "1");  // the floor: 8 x 0.5 / (4 + 1) = 0.8, at any kappa (p(D) is not shrunk)
    EXPECT_EQ(row[15], "0");  // Robbins: no reference has exactly one row of A within the cap
  }
  // kappa = 0: each empty cell predicts |B| x 0.5 / (|A| + 1) = 0.8 rows: 7 cells within 6 -> 5.6.
  EXPECT_EQ(rows[0][5], "6");
  EXPECT_EQ(rows[0][7], "10");  // 13 cells x 0.8 = 10.4
  // kappa = 50: reference b has no row in A, so its p(d) is the pooled profile's share of p(D):
  // phi = (2 + 0.5) / (4 + 0.5) below d = 6 (reference a's two rows at 0 of four within the cap),
  // 1 from 6 (its two at TCRdist 6). Within 6: 8 x 0.1 x (6 x 5/9 + 1) = 3.47; within 12: 8.27.
  EXPECT_EQ(rows[1][5], "3");
  EXPECT_EQ(rows[1][7], "8");

  // With b's own CDR3 added to A, b holds exactly one row of A: no empty reference, and Robbins'
  // estimate predicts n1 x |B| / |A| = 1 x 8 / 5 rows.
  tt::write_file(dir / "a1.tsv", airr({"CASSLGQAYEQYF", "CASSLGQAYEQYF", "CASSIGQAYEQYF", "CASSIGQAYEQYF",
                                       "CASSWWWWWWWWWWWWQYF"}));
  const auto one = run_tool(" --reference " + tt::shell_quote(dir / "refs.tsv") + " --background " +
                                tt::shell_quote(dir / "a1.tsv") + " --truth " + tt::shell_quote(dir / "b.tsv") +
                                " --strengths 50 --every 1",
                            dir);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto one_rows = data_rows(one.out);
  ASSERT_EQ(one_rows.size(), 1u) << one.out;
  EXPECT_EQ(one_rows[0][12], "0");
  EXPECT_EQ(one_rows[0][15], "2");

  const auto bad = run_tool(args + " --every 0", dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--every"), std::string::npos) << bad.err;
  const auto missing = run_tool(" --reference " + tt::shell_quote(dir / "refs.tsv") + " --background " +
                                    tt::shell_quote(dir / "none.tsv") + " --truth " + tt::shell_quote(dir / "b.tsv"),
                                dir);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("none.tsv"), std::string::npos) << missing.err;
}

}  // namespace
