// `tilmatch run` with reference TCRs labelled 0 (a `label` column): evidence for their epitope is
// weighed against them (class balance, docs/scoring.md), end to end on the bundled example.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/test_support.hpp"

namespace tilmatch::test {
namespace {

namespace fs = std::filesystem;

std::string args(const fs::path& out, const std::string& extra) {
  return shell_join(example_run_args(out)) + " --threads 2 " + extra;
}

/// affinity.tsv's class_balance of (neoantigen, clonotype); -1 when the pair has no row.
double balance_of(const fs::path& dir, const std::string& neoantigen, const std::string& clonotype) {
  for (const auto& row : tsv_rows(dir / "affinity.tsv"))
    if (row.at("neoantigen_id") == neoantigen && row.at("clonotype_id") == clonotype)
      return std::stod(row.at("class_balance"));
  return -1;
}

double score_of(const fs::path& dir, const std::string& fragment) {
  for (const auto& row : tsv_rows(dir / "fragments.tsv"))
    if (row.at("fragment_id") == fragment) return std::stod(row.at("score"));
  return -1;
}

TEST(RunNegativesCli, EvidenceNearANegativeIsWeighedDownOrDropped) {
  ScratchDir dir;
  // C747 (CASSCFYTITQYF, culture F05's evidence) lies at TCRdist 12 of the TP53X epitope's
  // validated TCR (C746's CDR3, in F03); a TCR labelled as not recognising that epitope is C747.
  write_file(dir / "negatives.tsv",
             "cdr3_beta\tv_beta\tj_beta\tepitope\tlabel\tsource\n"
             "CASSCFYTITQYF\tTRBV27*01\tTRBJ2-3*01\tLFGTMPDPV\t0\tscreen-negative\n");
  const auto plain = run_tilmatch(args(dir / "plain", ""));
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const auto with = run_tilmatch(args(dir / "with", "--reference " + shell_quote(dir / "negatives.tsv")));
  ASSERT_EQ(with.exit_code, 0) << with.err;

  EXPECT_EQ(balance_of(dir / "plain", "TP53X.T122M", "C747"), 1.0);
  EXPECT_EQ(balance_of(dir / "plain", "TP53X.T122M", "C746"), 1.0);
  // The negative itself is as near as can be: C747's evidence goes, and with it F05's score.
  EXPECT_EQ(balance_of(dir / "with", "TP53X.T122M", "C747"), -1.0);
  EXPECT_GT(score_of(dir / "plain", "F05"), 0.0);
  EXPECT_EQ(score_of(dir / "with", "F05"), 0.0);
  // C746 is the validated TCR's own CDR3, but the negative lies 12 from it and the epitope's four
  // positives average ~0.5 (two at 0, two far): the mean kernel weighs it away too (docs/scoring.md).
  EXPECT_EQ(balance_of(dir / "with", "TP53X.T122M", "C746"), -1.0);
  EXPECT_LT(score_of(dir / "with", "F03"), score_of(dir / "plain", "F03"));
  // Other epitopes' evidence is untouched (F01: SMAD4 only; F04: CTNB1 only).
  EXPECT_EQ(score_of(dir / "with", "F01"), score_of(dir / "plain", "F01"));
  EXPECT_EQ(score_of(dir / "with", "F04"), score_of(dir / "plain", "F04"));
  EXPECT_EQ(balance_of(dir / "with", "CTNB1.T255Q", "C9399"), 1.0);
  const std::string json = read_file(dir / "with" / "run.json");
  EXPECT_NE(json.find("\"reference_negatives\": 1"), std::string::npos) << json;
  EXPECT_EQ(json.find("\"class_balance_dropped\": 0"), std::string::npos) << json;
}

TEST(RunNegativesCli, ABadLabelIsAnErrorNamingFileLineAndColumn) {
  ScratchDir dir;
  write_file(dir / "labels.tsv", "cdr3_beta\tepitope\tlabel\nCASSCFYTITQYF\tLFGTMPDPV\tmaybe\n");
  const auto r = run_tilmatch(args(dir / "out", "--reference " + shell_quote(dir / "labels.tsv")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("labels.tsv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("label"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out" / "fragments.tsv"));
}

}  // namespace
}  // namespace tilmatch::test
