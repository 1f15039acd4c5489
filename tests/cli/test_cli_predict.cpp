// tilmatch predict: layouts of references and queries, leave-one-out, bad inputs, determinism,
// and the leave-one-out AUC on IMMREP22's training files (../shared).

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "common/test_support.hpp"

namespace tt = tilmatch::test;
using tilmatch::cli::kExitInput;
using tt::run_tilmatch;

namespace {

std::string q(const std::filesystem::path& p) { return tt::shell_quote(p); }

const std::string kImmrepHeader = "Label\tTRAV\tTRAJ\tTRA_CDR3\tTRBV\tTRBJ\tTRB_CDR3\n";

/// Two epitopes in IMMREP22's layout: GILGFVFTL (two positives, one negative) and NLVPMVATV (two
/// positives and, as IMMREP22 does, a GILGFVFTL positive as its negative).
void write_immrep_folder(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  tt::write_file(dir / "GILGFVFTL.txt",
                 kImmrepHeader +
                     "1\tTRAV27*01\tTRAJ42*01\tCAGAGSQGNLIF\tTRBV19*01\tTRBJ2-7*01\tCASSIRSSYEQYF\n"
                     "1\tTRAV27*01\tTRAJ42*01\tCAGAGSQGNLIF\tTRBV19*01\tTRBJ2-7*01\tCASSIRSAYEQYF\n"
                     "-1\tTRAV12-2*01\tTRAJ30*01\tCAVNRDDKIIF\tTRBV28*01\tTRBJ2-1*01\tCASSLDRGEQFF\n");
  tt::write_file(dir / "NLVPMVATV.txt",
                 kImmrepHeader +
                     "1\tTRAV24*01\tTRAJ49*01\tCAFNTGNQFYF\tTRBV7-6*01\tTRBJ1-2*01\tCASSLAPGATNEKLFF\n"
                     "1\tTRAV35*01\tTRAJ33*01\tCAGPMDSNYQLIW\tTRBV12-4*01\tTRBJ1-2*01\tCASSPVTGGIYGYTF\n"
                     "-1\tTRAV27*01\tTRAJ42*01\tCAGAGSQGNLIF\tTRBV19*01\tTRBJ2-7*01\tCASSIRSSYEQYF\n");
  tt::write_file(dir / "UPSTREAM_README.txt", "not an epitope file\n");
}

void write_immrep_queries(const std::filesystem::path& file) {
  tt::write_file(file, "TRAV\tTRAJ\tTRA_CDR3\tTRBV\tTRBJ\tTRB_CDR3\n"
                       "TRAV27*01\tTRAJ42*01\tCAGAGSQGNLIF\tTRBV19*01\tTRBJ2-7*01\tCASSIRSSYEQYF\n"
                       "TRAV24*01\tTRAJ49*01\tCAFNTGNQFYF\tTRBV7-6*01\tTRBJ1-2*01\tCASSLAPGATNEKLFF\n");
}

using Rows = std::vector<std::vector<std::string>>;

Rows predict(const std::string& args) {
  const auto r = run_tilmatch("predict " + args + " -o -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return tt::parse_tsv(r.out);
}

TEST(CliPredict, ImmrepFolderAndQueriesGiveEveryQueryTimesEpitope) {
  tt::ScratchDir dir;
  write_immrep_folder(dir / "train");
  write_immrep_queries(dir / "queries.txt");
  const Rows rows = predict("--reference " + q(dir / "train") + " --query " + q(dir / "queries.txt") +
                            " --chains beta --kernel nearest --no-balance");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"query_id", "epitope", "score", "nearest_positive_id",
                                               "nearest_positive_distance"}));
  // Query 1 is GILGFVFTL's first positive: exp(-0/s) = 1 there, with that positive as nearest.
  EXPECT_EQ(rows[1], (std::vector<std::string>{"1", "GILGFVFTL", "1.0", "GILGFVFTL:1", "0"}));
  EXPECT_EQ(rows[2][0], "1");
  EXPECT_EQ(rows[2][1], "NLVPMVATV");
  EXPECT_LT(std::stod(rows[2][2]), 1.0);
  EXPECT_EQ(rows[4], (std::vector<std::string>{"2", "NLVPMVATV", "1.0", "NLVPMVATV:1", "0"}));
}

// V loops by default (the built-in table, as `run`): a query with a positive's CDR3s but other V
// genes lies at TCRdist > 0 from it, and at 0 with --no-v-genes. A V gene the built-in table
// lacks scores on the CDR3 alone, reported, not an error; a table the user names must hold it.
TEST(CliPredict, VLoopsFromTheBuiltinTableByDefault) {
  tt::ScratchDir dir;
  write_immrep_folder(dir / "train");
  tt::write_file(dir / "q.txt", "TRAV\tTRAJ\tTRA_CDR3\tTRBV\tTRBJ\tTRB_CDR3\n"
                                "TRAV12-2*01\tTRAJ42*01\tCAGAGSQGNLIF\tTRBV28*01\tTRBJ2-7*01\tCASSIRSSYEQYF\n"
                                "TRAV27*01\tTRAJ42*01\tCAGAGSQGNLIF\tTRBV99*01\tTRBJ2-7*01\tCASSIRSSYEQYF\n");
  const std::string args = "--reference " + q(dir / "train") + " --query " + q(dir / "q.txt") + " --kernel nearest";
  const Rows with_v = predict(args);
  const Rows cdr3_only = predict(args + " --no-v-genes");
  ASSERT_EQ(with_v.size(), 5u);
  ASSERT_EQ(cdr3_only.size(), 5u);
  EXPECT_EQ(with_v[1][1], "GILGFVFTL");
  EXPECT_GT(std::stoi(with_v[1][4]), 0);  // other TRAV and TRBV loops
  EXPECT_EQ(cdr3_only[1][4], "0");
  EXPECT_EQ(with_v[3][4], "0");  // TRBV99: not a gene, so CDR3 alone on beta (alpha matches)
  const auto r = run_tilmatch("predict " + args + " -o " + q(dir / "p.tsv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("TRBV99"), std::string::npos) << r.err;
  const auto table = tt::shared_data("tcr_oracles/tcrdist3_alphabeta_gammadelta_db.tsv");
  if (!table) GTEST_SKIP() << "../shared/data's tcrdist3 V-gene table is absent: the strict case is not checked";
  const auto strict = run_tilmatch("predict " + args + " --v-gene-table " + q(*table) + " -o " + q(dir / "p2.tsv"));
  EXPECT_EQ(strict.exit_code, kExitInput) << strict.err;
  EXPECT_NE(strict.err.find("TRBV99"), std::string::npos) << strict.err;
}

TEST(CliPredict, BalancingSubtractsAnIdenticalNegative) {
  tt::ScratchDir dir;
  write_immrep_folder(dir / "train");
  write_immrep_queries(dir / "queries.txt");
  const Rows rows = predict("--reference " + q(dir / "train") + " --query " + q(dir / "queries.txt") +
                            " --chains beta --kernel nearest");
  ASSERT_EQ(rows.size(), 5u);
  // Query 1 equals NLVPMVATV's negative: its nearest negative scores exp(0) = 1, above any positive.
  EXPECT_LT(std::stod(rows[2][2]), 0.0);
  // ... and GILGFVFTL's: 1 - exp(-d(negative)/24) > 0.
  EXPECT_GT(std::stod(rows[1][2]), 0.0);
  EXPECT_LT(std::stod(rows[1][2]), 1.0);
}

TEST(CliPredict, EpitopeLabelTableInAirrLayoutScoresAsTheImmrepFolder) {
  tt::ScratchDir dir;
  write_immrep_folder(dir / "train");
  tt::write_file(dir / "train.tsv",
                 "sequence_id\tjunction_aa\tv_call\tj_call\tepitope\tlabel\n"
                 "g1\tCASSIRSSYEQYF\tTRBV19*01\tTRBJ2-7*01\tGILGFVFTL\t1\n"
                 "g2\tCASSIRSAYEQYF\tTRBV19*01\tTRBJ2-7*01\tgilgfvftl\t1\n"
                 "g3\tCASSLDRGEQFF\tTRBV28*01\tTRBJ2-1*01\tGILGFVFTL\t0\n"
                 "n1\tCASSLAPGATNEKLFF\tTRBV7-6*01\tTRBJ1-2*01\tNLVPMVATV\t1\n"
                 "n2\tCASSPVTGGIYGYTF\tTRBV12-4*01\tTRBJ1-2*01\tNLVPMVATV\t1\n"
                 "n3\tCASSIRSSYEQYF\tTRBV19*01\tTRBJ2-7*01\tNLVPMVATV\t-1\n");
  tt::write_file(dir / "queries.tsv",
                 "sequence_id\tjunction_aa\tv_call\tj_call\n"
                 "q1\tCASSIRSAYEQYF\tTRBV19*01\tTRBJ2-7*01\n"
                 "q2\tCASSPVTGGIYGYTW\tTRBV12-4*01\tTRBJ1-2*01\n");
  const std::string common = " --query " + q(dir / "queries.tsv") + " --chains beta";
  const Rows table = predict("--reference " + q(dir / "train.tsv") + common);
  const Rows folder = predict("--reference " + q(dir / "train") + common);
  ASSERT_EQ(table.size(), 5u);
  ASSERT_EQ(folder.size(), 5u);
  for (std::size_t i = 1; i < table.size(); ++i) {
    EXPECT_EQ(table[i][0], i <= 2 ? "q1" : "q2");  // the AIRR sequence_id
    EXPECT_EQ(table[i][1], folder[i][1]);
    EXPECT_EQ(table[i][2], folder[i][2]) << "row " << i;
    EXPECT_EQ(table[i][4], folder[i][4]) << "row " << i;
  }
  EXPECT_EQ(table[1][3], "g2");
  EXPECT_EQ(folder[1][3], "GILGFVFTL:2");
  EXPECT_EQ(table[4][3], "n2");
}

TEST(CliPredict, LeaveOneOutNeverScoresATcrAgainstItself) {
  tt::ScratchDir dir;
  write_immrep_folder(dir / "train");
  const auto r = run_tilmatch("predict --reference " + q(dir / "train") + " --leave-one-out --chains beta --auc " +
                              q(dir / "auc.tsv") + " -o " + q(dir / "loo.tsv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Rows rows = tt::parse_tsv(tt::read_file(dir / "loo.tsv"));
  ASSERT_EQ(rows.size(), 7u);  // one row per reference, for its own epitope
  EXPECT_EQ(rows[0].back(), "label");
  EXPECT_EQ(rows[1][0], "GILGFVFTL:1");
  // Its only other positive is GILGFVFTL:2, one substitution away: not itself at distance 0.
  EXPECT_EQ(rows[1][3], "GILGFVFTL:2");
  EXPECT_NE(rows[1][4], "0");
  EXPECT_EQ(rows[1].back(), "1");
  EXPECT_EQ(rows[3][0], "GILGFVFTL:3");
  EXPECT_EQ(rows[3].back(), "0");
  // NLVPMVATV:3 (a GILGFVFTL TCR) is the negative: scored against NLVPMVATV's two positives only.
  EXPECT_EQ(rows[6][0], "NLVPMVATV:3");
  EXPECT_EQ(rows[6][1], "NLVPMVATV");
  const Rows auc = tt::parse_tsv(tt::read_file(dir / "auc.tsv"));
  ASSERT_EQ(auc.size(), 4u);
  EXPECT_EQ(auc[0], (std::vector<std::string>{"epitope", "positives", "negatives", "auc"}));
  EXPECT_EQ(auc[1][0], "GILGFVFTL");
  EXPECT_EQ(auc[1][1], "2");
  EXPECT_EQ(auc[1][2], "1");
  EXPECT_EQ(auc[3][0], "mean");
}

TEST(CliPredict, BadInputsExitTwoNamingFileAndPlaceAndLeaveNoOutput) {
  tt::ScratchDir dir;
  write_immrep_folder(dir / "train");
  write_immrep_queries(dir / "queries.txt");
  const std::filesystem::path out = dir / "p.tsv";
  auto fails = [&](const std::string& args, const std::vector<std::string>& says) {
    const auto r = run_tilmatch("predict " + args + " -o " + q(out));
    EXPECT_EQ(r.exit_code, kExitInput) << args << "\n" << r.err;
    for (const auto& s : says) EXPECT_NE(r.err.find(s), std::string::npos) << "'" << s << "' not in: " << r.err;
    EXPECT_FALSE(std::filesystem::exists(out));
  };
  tt::write_file(dir / "bad_label.tsv", "junction_aa\tv_call\tepitope\tlabel\n"
                                        "CASSIRSSYEQYF\tTRBV19*01\tGILGFVFTL\t1\n"
                                        "CASSLDRGEQFF\tTRBV28*01\tGILGFVFTL\tyes\n");
  fails("--reference " + q(dir / "bad_label.tsv") + " --query " + q(dir / "queries.txt") + " --chains beta",
        {"bad_label.tsv", "line 3", "label", "'yes'"});
  tt::write_file(dir / "bad_epitope.tsv", "junction_aa\tv_call\tepitope\tlabel\n"
                                          "CASSIRSSYEQYF\tTRBV19*01\tGIL-GFV\t1\n");
  fails("--reference " + q(dir / "bad_epitope.tsv") + " --query " + q(dir / "queries.txt") + " --chains beta",
        {"bad_epitope.tsv", "line 2", "epitope"});
  tt::write_file(dir / "no_positive.tsv", "junction_aa\tv_call\tepitope\tlabel\n"
                                          "CASSIRSSYEQYF\tTRBV19*01\tGILGFVFTL\t0\n");
  fails("--reference " + q(dir / "no_positive.tsv") + " --query " + q(dir / "queries.txt") + " --chains beta",
        {"no_positive.tsv", "GILGFVFTL", "no positive"});
  tt::write_file(dir / "unlabelled.tsv", "junction_aa\tv_call\n"
                                         "CASSIRSSYEQYF\tTRBV19*01\n");
  fails("--reference " + q(dir / "unlabelled.tsv") + " --query " + q(dir / "queries.txt"),
        {"unlabelled.tsv", "'epitope' and 'label'"});
  std::filesystem::create_directories(dir / "empty");
  fails("--reference " + q(dir / "empty") + " --query " + q(dir / "queries.txt"), {"empty", "no <EPITOPE>.txt"});
  tt::write_file(dir / "queries_bad.txt", "TRB_CDR3\tTRBV\nCASSIRSSYEQYF\tTRBV19*01\nCASS\tTRBV19*01\n");
  tt::write_file(dir / "notcr.txt", "foo\tbar\n1\t2\n");
  fails("--reference " + q(dir / "train") + " --query " + q(dir / "notcr.txt"), {"notcr.txt"});
  // A query without the alpha chain the default scores is skipped; none usable is an error.
  fails("--reference " + q(dir / "train") + " --query " + q(dir / "queries_bad.txt"),
        {"queries_bad.txt", "no TCR here has an alpha chain", "--chains beta"});
  fails("--reference " + q(dir / "train") + " --query -", {"--query", "standard input"});
  const auto usage = run_tilmatch("predict --reference " + q(dir / "train") + " -o " + q(out));
  EXPECT_EQ(usage.exit_code, kExitInput);
  EXPECT_NE(usage.err.find("--query"), std::string::npos);
}

TEST(CliPredict, SameBytesWithOneAndTwoThreadsAndSmallBlocks) {
  tt::ScratchDir dir;
  write_immrep_folder(dir / "train");
  // Enough queries that --memory 1M splits them into blocks (about 5,000 queries x 6 references each).
  std::string queries = "TRAV\tTRAJ\tTRA_CDR3\tTRBV\tTRBJ\tTRB_CDR3\n";
  const std::vector<std::string> cdr3s{"CASSIRSSYEQYF", "CASSLAPGATNEKLFF", "CASSPVTGGIYGYTF", "CASSLDRGEQFF",
                                       "CASSQDLNTEAFF", "CSARDRTGNGYTF"};
  for (int i = 0; i < 12000; ++i)
    queries += "TRAV27*01\tTRAJ42*01\tCAGAGSQGNLIF\tTRBV19*01\tTRBJ2-7*01\t" + cdr3s[i % cdr3s.size()] + "\n";
  tt::write_file(dir / "queries.txt", queries);
  const std::string args = "predict --reference " + q(dir / "train") + " --query " + q(dir / "queries.txt");
  const auto one = run_tilmatch(args + " --threads 1 -o -");
  const auto two = run_tilmatch(args + " --threads 2 -o -");
  const auto small = run_tilmatch(args + " --threads 2 --memory 1M -o -");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(small.exit_code, 0) << small.err;
  EXPECT_EQ(tt::parse_tsv(one.out).size(), 24001u);
  EXPECT_TRUE(one.out == two.out);
  EXPECT_TRUE(one.out == small.out);
}

// Leave-one-out on IMMREP22's 16 training files (paired chains with the built-in table's V loops,
// the defaults; tcrdist3's table gives the same AUCs): measured 0.8730 mean AUC over epitopes (the
// nearest positive alone: 0.7987;
// scripts/bench-immrep, docs/BENCHMARKS.md), so the defaults must reach the 0.87 the issue measured
// with the class-balanced kernel on the test set, well above the nearest-positive 0.80.
TEST(CliPredictRealistic, Immrep22LeaveOneOutMeanAucOfTheDefaults) {
  const auto train = tt::shared_data("tcr_reference/immrep22_training");
  if (!train) GTEST_SKIP() << "../shared/data (IMMREP22 training files) is absent";
  tt::ScratchDir dir;
  const auto r = run_tilmatch("predict --reference " + q(*train) + " --leave-one-out --auc " + q(dir / "auc.tsv") +
                              " -o " + q(dir / "loo.tsv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Rows auc = tt::parse_tsv(tt::read_file(dir / "auc.tsv"));
  ASSERT_EQ(auc.size(), 18u);  // header, 16 epitopes, mean
  for (const auto& row : auc) std::printf("%s\t%s\n", row[0].c_str(), row.back().c_str());
  EXPECT_EQ(auc.back()[0], "mean");
  EXPECT_GE(std::stod(auc.back()[3]), 0.87);
}

}  // namespace
