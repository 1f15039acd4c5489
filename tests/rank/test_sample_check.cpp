#include <gtest/gtest.h>

#include <string>

#include "rank/sample_check.hpp"

namespace tilmatch::rank {
namespace {

Measure measure(double v) { return {v, std::to_string(v)}; }

VariantTranscript site(std::int64_t pos, double tumour_vaf, double tumour_depth, double normal_vaf,
                       double normal_depth, std::string transcript = "T1") {
  VariantTranscript v;
  v.chromosome_name = "chr1";
  v.start = pos;
  // Move-assigned, not assigned from a literal: gcc 12 -O2 warns falsely (-Wrestrict, GCC bug 105329)
  // on assigning a one-character literal to a std::string.
  v.reference = std::string(1, 'C');
  v.variant = std::string(1, 'T');
  v.transcript_name = std::move(transcript);
  v.tdna_vaf = measure(tumour_vaf);
  v.tdna_depth = measure(tumour_depth);
  v.normal_vaf = measure(normal_vaf);
  v.normal_depth = measure(normal_depth);
  return v;
}

TEST(AltReadTally, SumsVafTimesDepthOncePerVariant) {
  AltReadTally t;
  t.add(site(100, 0.5, 40, 0.0, 30));        // 20 tumour alt reads
  t.add(site(100, 0.5, 40, 0.0, 30, "T2"));  // the same variant on another transcript: not again
  t.add(site(200, 0.25, 80, 0.05, 20));      // 20 + 1
  EXPECT_DOUBLE_EQ(t.tumour_alt_reads(), 40);
  EXPECT_DOUBLE_EQ(t.normal_alt_reads(), 1);
  ASSERT_TRUE(t.normal_share());
  EXPECT_DOUBLE_EQ(*t.normal_share(), 1.0 / 41);
  EXPECT_FALSE(t.swap_note("TUMOR", "NORMAL"));
}

TEST(AltReadTally, MostAltReadsInTheNormalAreASwap) {
  AltReadTally t;
  t.add(site(100, 0.0, 40, 0.5, 30));  // 15 normal
  t.add(site(200, 0.1, 50, 0.4, 25));  // 5 tumour, 10 normal
  const auto note = t.swap_note("NORMAL", "TUMOR");
  ASSERT_TRUE(note);
  EXPECT_NE(note->find("83%"), std::string::npos) << *note;  // 25 of 30
  EXPECT_NE(note->find("'TUMOR'"), std::string::npos) << *note;
  EXPECT_NE(note->find("swapped"), std::string::npos) << *note;
}

TEST(AltReadTally, ExactlyHalfIsNotMostAndFewReadsSayNothing) {
  AltReadTally half;
  half.add(site(100, 0.5, 20, 0.5, 20));  // 10 and 10
  ASSERT_TRUE(half.normal_share());
  EXPECT_DOUBLE_EQ(*half.normal_share(), 0.5);
  EXPECT_FALSE(half.swap_note("T", "N"));
  AltReadTally few;
  few.add(site(100, 0.0, 10, 0.5, 10));  // 5 alt reads in all, below kSwapCheckMinAltReads
  EXPECT_FALSE(few.normal_share());
  EXPECT_FALSE(few.swap_note("T", "N"));
}

TEST(AltReadTally, AVariantWithoutDepthOrVafIsNotCounted) {
  AltReadTally t;
  VariantTranscript v = site(100, 0.5, 40, 0.5, 40);
  v.normal_depth = Measure{};
  t.add(v);
  EXPECT_DOUBLE_EQ(t.tumour_alt_reads() + t.normal_alt_reads(), 0);
  EXPECT_FALSE(t.normal_share());
}

TEST(GenotypeSwapNote, MostRecordsWithoutTheAltInTheTumourGenotype) {
  const auto swapped = genotype_swap_note(26, 25, "EXAMPLE_NORMAL", std::string("EXAMPLE_TUMOR"));
  ASSERT_TRUE(swapped);
  EXPECT_NE(swapped->find("25 of 26"), std::string::npos) << *swapped;
  EXPECT_NE(swapped->find("swapped"), std::string::npos) << *swapped;
  const auto wrong = genotype_swap_note(26, 25, "S2", std::nullopt);
  ASSERT_TRUE(wrong);
  EXPECT_NE(wrong->find("is --sample the tumour?"), std::string::npos) << *wrong;
  EXPECT_FALSE(genotype_swap_note(26, 13, "T", std::string("N"))) << "exactly half is not most";
  EXPECT_TRUE(genotype_swap_note(26, 14, "T", std::string("N")));
  EXPECT_FALSE(genotype_swap_note(4, 4, "T", std::string("N"))) << "too few records to say";
}

}  // namespace
}  // namespace tilmatch::rank
