#include <gtest/gtest.h>

#include <htslib/bgzf.h>

#include "common/test_support.hpp"
#include "io/presentation.hpp"
#include "names/hla.hpp"
#include "tilmatch/error.hpp"

using namespace tilmatch;
using namespace tilmatch::io;
using tilmatch::test::ScratchDir;
using tilmatch::test::write_file;

namespace {

std::vector<names::HlaAllele> hla(std::string_view list) { return names::parse_hla_list(list); }

/// Reads `text` written as `name` in `d`.
PresentationTable read_text(const ScratchDir& d, const std::string& name, const std::string& text) {
  write_file(d / name, text);
  return read_presentation((d / name).string());
}

/// The InputError message read_presentation throws for `text`; "" when it throws none.
std::string error_for(const ScratchDir& d, const std::string& name, const std::string& text) {
  write_file(d / name, text);
  try {
    read_presentation((d / name).string());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const std::string kTilmatch =
    "peptide\tallele\tic50\tpercentile\n"
    "SIINFEKL\tHLA-A*02:01\t25.5\t0.3\n"
    "siinfekl\tHLA-B*07:02\tNA\t1.2\n"
    "SIINFEKL\tA*02:06\t5\t0.1\n"
    "GILGFVFTL\tHLA-A02:01\t\t0.05\n"
    "BAD*PEP\tHLA-A*02:01\t1\t1\n"
    "GILGFVFTL\tH-2Kb\t1\t1\n"
    "NLVPMVATV\tHLA-A*02:01\t\tNA\n";

// NetMHCpan 4.1 run with -BA on two peptides and two alleles (values shortened by hand).
const std::string kNetMhcPanBa =
    "# NetMHCpan version 4.1b\n"
    "\n"
    "# Input is in PEPTIDE format\n"
    "\n"
    "# Make both EL and BA predictions\n"
    "\n"
    "HLA-A02:01 : Distance to training data  0.000 (using nearest neighbor HLA-A02:01)\n"
    "\n"
    "# Rank Threshold for Strong binding peptides   0.500\n"
    "# Rank Threshold for Weak binding peptides   2.000\n"
    "-----------------------------------------------------------------------------------------------------\n"
    " Pos         MHC        Peptide      Core Of Gp Gl Ip Il        Icore        Identity  Score_EL %Rank_EL "
    "Score_BA %Rank_BA  Aff(nM) BindLevel\n"
    "-----------------------------------------------------------------------------------------------------\n"
    "   1 HLA-A*02:01      GILGFVFTL GILGFVFTL  0  0  0  0  0    GILGFVFTL         PEPLIST 0.9286480    0.017 "
    "0.803215    0.031     4.92 <= SB\n"
    "   1 HLA-A*02:01       SIINFEKL SIINF-EKL  0  0  0  5  1     SIINFEKL         PEPLIST 0.0143900    6.238 "
    "0.124513    8.953  3880.66\n"
    "-----------------------------------------------------------------------------------------------------\n"
    "\n"
    "Protein PEPLIST. Allele HLA-A*02:01. Number of high binders 1. Number of weak binders 0. Number of peptides 2\n"
    "\n"
    "-----------------------------------------------------------------------------------------------------\n"
    "HLA-B07:02 : Distance to training data  0.000 (using nearest neighbor HLA-B07:02)\n"
    "-----------------------------------------------------------------------------------------------------\n"
    " Pos         MHC        Peptide      Core Of Gp Gl Ip Il        Icore        Identity  Score_EL %Rank_EL "
    "Score_BA %Rank_BA  Aff(nM) BindLevel\n"
    "-----------------------------------------------------------------------------------------------------\n"
    "   1 HLA-B*07:02      GILGFVFTL GILGFVFTL  0  0  0  0  0    GILGFVFTL         PEPLIST 0.0011200   12.500 "
    "0.050000   20.100 21000.00\n"
    "   1 HLA-B*07:02       SIINFEKL SIINF-EKL  0  0  0  5  1     SIINFEKL         PEPLIST 0.3000000    1.500 "
    "0.400000    1.200   300.50 <= WB\n"
    "-----------------------------------------------------------------------------------------------------\n";

}  // namespace

TEST(Presentation, TilmatchTsv) {
  ScratchDir d;
  PresentationTable t = read_text(d, "pred.tsv", kTilmatch);
  EXPECT_EQ(t.format, "tilmatch");
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.skipped["invalid_peptide"], 1);
  EXPECT_EQ(t.skipped["unusable_allele"], 1);
  EXPECT_EQ(t.skipped["no_score"], 1);
  // Sorted by peptide, file order kept within one peptide.
  EXPECT_EQ(t.rows[0].peptide, "GILGFVFTL");
  EXPECT_EQ(t.rows[1].peptide, "SIINFEKL");
  EXPECT_EQ(t.rows[1].allele.text(), "HLA-A*02:01");
  EXPECT_EQ(t.rows[2].allele.text(), "HLA-B*07:02");
  EXPECT_FALSE(t.rows[2].ic50_nm.has_value());
  EXPECT_EQ(t.rows[3].allele.text(), "HLA-A*02:06");
  EXPECT_FALSE(t.rows[0].ic50_nm.has_value());
  EXPECT_DOUBLE_EQ(*t.rows[0].percentile_rank, 0.05);
}

TEST(Presentation, BestScoresFollowThePatientsAlleles) {
  ScratchDir d;
  PresentationTable t = read_text(d, "pred.tsv", kTilmatch);
  EXPECT_DOUBLE_EQ(*t.best_rank("SIINFEKL", {}), 0.1);  // empty list: every allele
  EXPECT_DOUBLE_EQ(*t.best_rank("siinfekl", {}), 0.1);  // any case
  EXPECT_DOUBLE_EQ(*t.best_rank("SIINFEKL", hla("A*02:01,B*08:01")), 0.3);
  EXPECT_DOUBLE_EQ(*t.best_rank("SIINFEKL", hla("A*02")), 0.1);  // 1-field typing matches both A*02 rows
  EXPECT_DOUBLE_EQ(*t.best_rank("SIINFEKL", hla("B*07:02")), 1.2);
  EXPECT_FALSE(t.best_ic50("SIINFEKL", hla("B*07:02")).has_value());  // NA
  EXPECT_DOUBLE_EQ(*t.best_ic50("SIINFEKL", hla("A*02:01:01,B*07:02")), 25.5);
  EXPECT_DOUBLE_EQ(*t.best_ic50("SIINFEKL", {}), 5);
  EXPECT_FALSE(t.best_rank("SIINFEKL", hla("C*07:02")).has_value());
  EXPECT_FALSE(t.best_rank("NLVPMVATV", {}).has_value());  // skipped row
  EXPECT_FALSE(t.best_rank("AAAAAAAAA", {}).has_value());
  auto [first, last] = t.rows_of("SIINFEKL");
  EXPECT_EQ(last - first, 3);
}

TEST(Presentation, HeaderOnlyOrNoUsableRowIsAnErrorAndOneRowReads) {
  ScratchDir d;
  // Without a usable row every epitope would silently lack presentation evidence.
  std::string msg = error_for(d, "h.tsv", "peptide\tallele\tpercentile\n");
  EXPECT_NE(msg.find((d / "h.tsv").string() + ": no usable prediction (no data rows)"), std::string::npos) << msg;
  msg = error_for(d, "s.tsv", "peptide\tallele\tpercentile\nSIINF1KL\tHLA-A*02:01\t0.5\nSIINFEKL\tHLA-A*02:01\tNA\n");
  EXPECT_NE(msg.find("s.tsv: no usable prediction (rows skipped: invalid_peptide 1, no_score 1)"), std::string::npos)
      << msg;
  msg = error_for(d, "n.out", " Pos MHC Peptide Core Of Gp Gl Ip Il Icore Identity Score_EL %Rank_EL BindLevel\n");
  EXPECT_NE(msg.find("n.out: no usable prediction"), std::string::npos) << msg;
  PresentationTable one = read_text(d, "one.csv", "peptide,allele,ic50\nSIINFEKL,HLA-A*02:01,12\n");
  ASSERT_EQ(one.rows.size(), 1u);
  EXPECT_DOUBLE_EQ(*one.best_ic50("SIINFEKL", hla("HLA-A*02:01")), 12);
}

TEST(Presentation, PvacseqPrefersMedianScoresAndReadsClassIIPairs) {
  ScratchDir d;
  PresentationTable t = read_text(
      d, "x.all_epitopes.tsv",
      "Chromosome\tHLA Allele\tPeptide Length\tMT Epitope Seq\tBest MT IC50 Score\tBest MT Percentile\t"
      "Median MT IC50 Score\tMedian MT Percentile\n"
      "chr1\tHLA-A*29:02\t9\tVVFEYVAIY\t13.34\t0.03\t41.063\t0.115\n"
      "chr1\tDQA1*01:02-DQB1*06:02\t15\tALHFLALDAPQHSSL\t20\t0.2\t24.095\t0.39\n"
      "chr1\tDRB1*04:05\t15\tLAFTRLTSELNFLLQ\t30\tNA\t40.455\tNA\n");
  EXPECT_EQ(t.format, "pvacseq");
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_DOUBLE_EQ(*t.best_ic50("VVFEYVAIY", hla("HLA-A*29:02")), 41.063);
  EXPECT_DOUBLE_EQ(*t.best_rank("VVFEYVAIY", hla("HLA-A*29:02")), 0.115);
  const PresentationEntry& dq = *t.rows_of("ALHFLALDAPQHSSL").first;
  EXPECT_EQ(dq.allele.text(), "HLA-DQB1*06:02");
  ASSERT_TRUE(dq.alpha_chain.has_value());
  EXPECT_EQ(dq.alpha_chain->text(), "HLA-DQA1*01:02");
  EXPECT_DOUBLE_EQ(*t.best_rank("ALHFLALDAPQHSSL", hla("DQA1*05:01,DQB1*06:02")), 0.39);
  EXPECT_FALSE(t.best_rank("ALHFLALDAPQHSSL", hla("DQA1*01:02,DQB1*02:01")).has_value());
  EXPECT_FALSE(t.best_rank("LAFTRLTSELNFLLQ", {}).has_value());
  EXPECT_DOUBLE_EQ(*t.best_ic50("LAFTRLTSELNFLLQ", {}), 40.455);

  // A filtered report carrying only the Best columns.
  PresentationTable best = read_text(d, "x.filtered.tsv",
                                     "HLA Allele\tMT Epitope Seq\tBest MT IC50 Score\tBest MT Percentile\n"
                                     "HLA-B*45:01\tVENYSQNVA\t51.583\t0.043\n");
  ASSERT_EQ(best.rows.size(), 1u);
  EXPECT_DOUBLE_EQ(*best.best_rank("VENYSQNVA", {}), 0.043);
}

TEST(Presentation, MhcflurryPrefersThePresentationPercentile) {
  ScratchDir d;
  const std::string header =
      "allele,peptide,mhcflurry_affinity,mhcflurry_affinity_percentile,mhcflurry_processing_score,"
      "mhcflurry_presentation_score,mhcflurry_presentation_percentile\n";
  PresentationTable t = read_text(d, "mhcflurry.csv",
                                  header +
                                      "HLA-A0201,SIINFEKL,4899.04,4.6,0.07,0.01,10.5\n"
                                      "HLA-A*02:01,GILGFVFTL,15.2,0.01,0.9,0.99,0.02\n"
                                      "HLA-B*07:02,GILGFVFTL,,,,,\n");
  EXPECT_EQ(t.format, "mhcflurry");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.skipped["no_score"], 1);
  EXPECT_DOUBLE_EQ(*t.best_rank("SIINFEKL", hla("A*02:01")), 10.5);
  EXPECT_DOUBLE_EQ(*t.best_ic50("SIINFEKL", hla("A*02:01")), 4899.04);
  EXPECT_DOUBLE_EQ(*t.best_rank("GILGFVFTL", {}), 0.02);

  PresentationTable affinity_only =
      read_text(d, "affinity.csv",
                "allele,peptide,mhcflurry_affinity,mhcflurry_affinity_percentile\nHLA-A*02:01,SIINFEKL,4899.04,4.6\n");
  EXPECT_EQ(affinity_only.format, "mhcflurry");
  EXPECT_DOUBLE_EQ(*affinity_only.best_rank("SIINFEKL", {}), 4.6);
}

TEST(Presentation, NetMhcPanTextWithBindingAffinity) {
  ScratchDir d;
  PresentationTable t = read_text(d, "netmhcpan.out", kNetMhcPanBa);
  EXPECT_EQ(t.format, "netmhcpan");
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_DOUBLE_EQ(*t.best_rank("GILGFVFTL", hla("HLA-A02:01")), 0.017);
  EXPECT_DOUBLE_EQ(*t.best_ic50("GILGFVFTL", hla("HLA-A02:01")), 4.92);
  EXPECT_DOUBLE_EQ(*t.best_rank("SIINFEKL", {}), 1.5);
  EXPECT_DOUBLE_EQ(*t.best_ic50("SIINFEKL", hla("A*02:01")), 3880.66);
  EXPECT_DOUBLE_EQ(*t.best_ic50("GILGFVFTL", hla("B7")), 21000);
}

TEST(Presentation, NetMhcPanTextWithoutAffinity) {
  ScratchDir d;
  PresentationTable t = read_text(
      d, "el.txt",
      "# NetMHCpan version 4.1b\n"
      "---------------------------------------------------------------------------------------------\n"
      " Pos         MHC        Peptide      Core Of Gp Gl Ip Il        Icore        Identity  Score_EL %Rank_EL "
      "BindLevel\n"
      "---------------------------------------------------------------------------------------------\n"
      "   1 HLA-A*02:01      GILGFVFTL GILGFVFTL  0  0  0  0  0    GILGFVFTL         PEPLIST 0.9286480    0.017 <= SB\n"
      "   2 HLA-A*02:01      ILGFVFTLT ILGFVFTLT  0  0  0  0  0    ILGFVFTLT         PEPLIST 0.0010000   30.000\n"
      "---------------------------------------------------------------------------------------------\n"
      "Protein PEPLIST. Allele HLA-A*02:01. Number of high binders 1. Number of weak binders 0. Number of peptides 2\n");
  EXPECT_EQ(t.format, "netmhcpan");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_FALSE(t.rows[0].ic50_nm.has_value());
  EXPECT_DOUBLE_EQ(*t.best_rank("ILGFVFTLT", {}), 30);
}

TEST(Presentation, NetMhcPanXls) {
  ScratchDir d;
  PresentationTable t = read_text(
      d, "netmhcpan.xls",
      "\t\t\tHLA-A02:01\t\t\t\t\t\tHLA-B07:02\t\t\t\t\t\t\t\n"
      "Pos\tPeptide\tID\tcore\ticore\tEL-score\tEL_Rank\tBA-score\tnM\tcore\ticore\tEL-score\tEL_Rank\tBA-score\tnM\t"
      "Ave\tNB\n"
      "0\tGILGFVFTL\tPEPLIST\tGILGFVFTL\tGILGFVFTL\t0.9286\t0.017\t0.8032\t4.92\tGILGFVFTL\tGILGFVFTL\t0.0011\t12.5\t"
      "0.05\t21000\t0.46\t1\n"
      "1\tSIINFEKL\tPEPLIST\tSIINF-EKL\tSIINFEKL\t0.0144\t6.238\t0.1245\t3880.66\tSIINF-EKL\tSIINFEKL\t0.3\t1.5\t0.4\t"
      "300.5\t0.15\t1\n");
  EXPECT_EQ(t.format, "netmhcpan_xls");
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_DOUBLE_EQ(*t.best_rank("GILGFVFTL", hla("A*02:01")), 0.017);
  EXPECT_DOUBLE_EQ(*t.best_ic50("GILGFVFTL", hla("B*07:02")), 21000);
  EXPECT_DOUBLE_EQ(*t.best_rank("SIINFEKL", {}), 1.5);
  EXPECT_DOUBLE_EQ(*t.best_ic50("SIINFEKL", hla("A*02:01")), 3880.66);
}

TEST(Presentation, AutoDetectionPicksEachFormat) {
  ScratchDir d;
  // Same data, different spellings of the header: the header alone decides the format.
  EXPECT_EQ(read_text(d, "a.tsv", "Peptide\tAllele\tIC50_nM\nSIINFEKL\tA0201\t5\n").format, "tilmatch");
  EXPECT_EQ(read_text(d, "b.txt", "allele,peptide,mhcflurry_affinity\nA0201,SIINFEKL,5\n").format, "mhcflurry");
  EXPECT_EQ(read_text(d, "c.csv", "HLA Allele\tMT Epitope Seq\tMedian MT IC50 Score\nA0201\tSIINFEKL\t5\n").format,
            "pvacseq");
  EXPECT_EQ(read_text(d, "d.tsv", kNetMhcPanBa).format, "netmhcpan");
}

TEST(Presentation, GzipInput) {
  ScratchDir d;
  const std::string path = (d / "pred.tsv.gz").string();
  BGZF* fp = bgzf_open(path.c_str(), "w");
  ASSERT_NE(fp, nullptr);
  ASSERT_EQ(bgzf_write(fp, kTilmatch.data(), kTilmatch.size()), static_cast<ssize_t>(kTilmatch.size()));
  ASSERT_EQ(bgzf_close(fp), 0);
  PresentationTable t = read_presentation(path);
  EXPECT_EQ(t.format, "tilmatch");
  EXPECT_EQ(t.rows.size(), 4u);
}

TEST(Presentation, BadNumbersNameFileLineAndColumn) {
  ScratchDir d;
  std::string msg = error_for(d, "bad.tsv", "peptide\tallele\tic50\tpercentile\nSIINFEKL\tA*02:01\t5\t0.1\n"
                                            "GILGFVFTL\tA*02:01\t7\t0.3x\n");
  EXPECT_NE(msg.find((d / "bad.tsv").string() + ", line 3, column 'percentile'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'0.3x'"), std::string::npos) << msg;

  msg = error_for(d, "neg.tsv", "HLA Allele\tMT Epitope Seq\tMedian MT IC50 Score\nA*02:01\tSIINFEKL\t-4\n");
  EXPECT_NE(msg.find("neg.tsv, line 2, column 'Median MT IC50 Score'"), std::string::npos) << msg;

  std::string text = kNetMhcPanBa;
  text.replace(text.find("3880.66"), 7, "3880,66");
  msg = error_for(d, "bad.out", text);
  EXPECT_NE(msg.find("bad.out, line 15, column 'Aff(nM)'"), std::string::npos) << msg;

  msg = error_for(d, "bad.csv", "allele,peptide,mhcflurry_affinity\nHLA-A*02:01,SIINFEKL,inf\n");
  EXPECT_NE(msg.find("bad.csv, line 2, column 'mhcflurry_affinity'"), std::string::npos) << msg;

  msg = error_for(d, "short.out",
                  " Pos MHC Peptide Core Of Gp Gl Ip Il Icore Identity Score_EL %Rank_EL BindLevel\n"
                  "   1 HLA-A*02:01 GILGFVFTL\n");
  EXPECT_NE(msg.find("short.out, line 2"), std::string::npos) << msg;
}

TEST(Presentation, PercentileAbove100IsAnErrorNamingFileLineAndColumn) {
  ScratchDir d;
  std::string msg = error_for(d, "p.tsv", "peptide\tallele\tic50\tpercentile\nSIINFEKL\tA*02:01\t5\t100\n"
                                          "GILGFVFTL\tA*02:01\t7\t100.5\n");
  EXPECT_NE(msg.find((d / "p.tsv").string() + ", line 3, column 'percentile': percentile rank '100.5' is above 100"),
            std::string::npos)
      << msg;
  // An IC50 above 100 nM is ordinary; only percentile columns are bounded.
  EXPECT_EQ(read_text(d, "ic.tsv", "peptide\tallele\tic50\nSIINFEKL\tA*02:01\t25000\n").rows.size(), 1u);
  msg = error_for(d, "m.csv", "allele,peptide,mhcflurry_affinity,mhcflurry_affinity_percentile\n"
                              "HLA-A*02:01,SIINFEKL,30,250\n");
  EXPECT_NE(msg.find("m.csv, line 2, column 'mhcflurry_affinity_percentile'"), std::string::npos) << msg;
  msg = error_for(d, "pv.tsv", "HLA Allele\tMT Epitope Seq\tMedian MT IC50 Score\tMedian MT Percentile\n"
                               "HLA-A*02:01\tSIINFEKL\t40\t101\n");
  EXPECT_NE(msg.find("pv.tsv, line 2, column 'Median MT Percentile'"), std::string::npos) << msg;
  std::string text = kNetMhcPanBa;
  text.replace(text.find("    6.238 "), 10, "  106.238 ");
  msg = error_for(d, "n.out", text);
  EXPECT_NE(msg.find("n.out, line 15, column '%Rank_EL': percentile rank '106.238' is above 100"), std::string::npos)
      << msg;
}

TEST(Presentation, UnknownFormatAndEmptyFile) {
  ScratchDir d;
  std::string msg = error_for(d, "x.tsv", "a\tb\n1\t2\n");
  EXPECT_NE(msg.find((d / "x.tsv").string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("not a known presentation prediction format"), std::string::npos) << msg;
  msg = error_for(d, "notes.txt", "some text\nwith no header\n");
  EXPECT_NE(msg.find("not a known presentation prediction format"), std::string::npos) << msg;
  msg = error_for(d, "empty.tsv", "");
  EXPECT_NE(msg.find("empty.tsv: empty file"), std::string::npos) << msg;
  msg = error_for(d, "blank.tsv", "\n\n");
  EXPECT_NE(msg.find("empty file"), std::string::npos) << msg;
  EXPECT_THROW(read_presentation((d / "missing.tsv").string()), IoError);
}

// ---- real pVACseq reports in ../shared (values checked by hand with awk on the files) ----

TEST(Presentation, SharedPvacseqFilteredClassI) {
  TILMATCH_REQUIRE_SHARED(path, "pvacseq_example/hcc1395/MHC_Class_I/HCC1395_TUMOR_DNA.MHC_I.filtered.tsv");
  PresentationTable t = read_presentation(path.string());
  EXPECT_EQ(t.format, "pvacseq");
  EXPECT_EQ(t.rows.size(), 12u);
  EXPECT_TRUE(t.skipped.empty());
  // Row 2: HLA-A*29:02 VVFEYVAIY, Median MT IC50 41.063, Median MT Percentile 0.115.
  EXPECT_DOUBLE_EQ(*t.best_ic50("VVFEYVAIY", hla("HLA-A*29:02,HLA-B*45:01")), 41.063);
  EXPECT_DOUBLE_EQ(*t.best_rank("VVFEYVAIY", hla("HLA-A*29:02")), 0.115);
  EXPECT_FALSE(t.best_rank("VVFEYVAIY", hla("HLA-B*45:01")).has_value());
  // HLA-B*82:02 APRLIKKTL 283.716 / 0.13; HLA-A*29:02 EPLYLSFEY 382.42 / 1.167.
  EXPECT_DOUBLE_EQ(*t.best_ic50("APRLIKKTL", {}), 283.716);
  EXPECT_DOUBLE_EQ(*t.best_rank("APRLIKKTL", {}), 0.13);
  EXPECT_DOUBLE_EQ(*t.best_rank("EPLYLSFEY", hla("A*29")), 1.167);
}

TEST(Presentation, SharedPvacseqFilteredClassII) {
  TILMATCH_REQUIRE_SHARED(path, "pvacseq_example/hcc1395/MHC_Class_II/HCC1395_TUMOR_DNA.MHC_II.filtered.tsv");
  PresentationTable t = read_presentation(path.string());
  EXPECT_EQ(t.rows.size(), 61u);
  // DRB1*04:05 ALHFLALDAPQHSSL: 24.095 nM, percentile 0.39.
  EXPECT_DOUBLE_EQ(*t.best_ic50("ALHFLALDAPQHSSL", hla("DRB1*04:05")), 24.095);
  EXPECT_DOUBLE_EQ(*t.best_rank("ALHFLALDAPQHSSL", hla("DRB1*04:05")), 0.39);
  EXPECT_FALSE(t.best_rank("ALHFLALDAPQHSSL", hla("DRB1*04:01")).has_value());
}

TEST(Presentation, SharedPvacseqAllEpitopesGzip) {
  TILMATCH_REQUIRE_SHARED(path, "pvacseq_example/test_run/MHC_Class_I/Test.MHC_I.all_epitopes.tsv.gz");
  PresentationTable t = read_presentation(path.string());
  EXPECT_EQ(t.format, "pvacseq");
  EXPECT_EQ(t.rows.size(), 842u);  // README: 842 epitope rows, every one with median scores
  EXPECT_TRUE(t.skipped.empty());
  // AFTRLTSEL: HLA-E*01:01 33736.555 nM / 45.5; HLA-G*01:09 3807.28 nM / 4.8.
  EXPECT_DOUBLE_EQ(*t.best_rank("AFTRLTSEL", {}), 4.8);
  EXPECT_DOUBLE_EQ(*t.best_rank("AFTRLTSEL", hla("HLA-E*01:01")), 45.5);
  EXPECT_DOUBLE_EQ(*t.best_ic50("AFTRLTSEL", hla("HLA-E*01:01")), 33736.555);
  EXPECT_DOUBLE_EQ(*t.best_ic50("AFTRLTSEL", hla("HLA-G*01:09")), 3807.28);
  EXPECT_FALSE(t.best_rank("AFTRLTSEL", hla("HLA-A*02:01")).has_value());
}
