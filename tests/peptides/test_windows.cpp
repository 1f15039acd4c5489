// make_windows / make_epitopes on hand-made variants: each WindowSkip, the shapes, and pairing.
#include <gtest/gtest.h>

#include <string>

#include "peptides/peptides.hpp"
#include "peptides/synthetic_variant.hpp"

namespace tilmatch::peptides {
namespace {

using testing::kAlphabet;
using testing::kProtein;
using testing::variant;

WindowSkip skip_of(const VariantTranscript& v, WindowOptions options = {}) { return make_windows(v, options).skip; }

TEST(Windows, MissenseFlank8) {
  const auto r = make_windows(variant(VariantType::kMissense, "L/A", "30"), {});
  ASSERT_TRUE(r.pair);
  EXPECT_EQ(r.pair->wt, "CDEFGHIKLMNPQRSTV");
  EXPECT_EQ(r.pair->mt, "CDEFGHIKAMNPQRSTV");
}

TEST(Windows, ShiftedAtProteinStartAndEnd) {
  auto r = make_windows(variant(VariantType::kMissense, "C/W", "2"), {});
  ASSERT_TRUE(r.pair);
  EXPECT_EQ(r.pair->mt, "AWDEFGHIKLMNPQRST");
  r = make_windows(variant(VariantType::kMissense, "Y/A", "60"), {});
  ASSERT_TRUE(r.pair);
  EXPECT_EQ(r.pair->wt, "EFGHIKLMNPQRSTVWY");
  EXPECT_EQ(r.pair->mt, "EFGHIKLMNPQRSTVWA");
}

TEST(Windows, StopGainedTruncatesMutant) {
  const auto r = make_windows(variant(VariantType::kMissense, "Q/W*", "34"), {});
  ASSERT_TRUE(r.pair);
  EXPECT_EQ(r.pair->wt, "GHIKLMNPQRSTVWYAC");
  EXPECT_EQ(r.pair->mt, "GHIKLMNPW");
  WindowOptions ten;
  ten.min_length = 10;
  EXPECT_EQ(skip_of(variant(VariantType::kMissense, "Q/W*", "34"), ten), WindowSkip::kTooShort);
  // A bare stop leaves a prefix of the WT window.
  EXPECT_EQ(skip_of(variant(VariantType::kMissense, "Q/*", "34")), WindowSkip::kNotNovel);
}

TEST(Windows, Insertion) {
  const auto r = make_windows(variant(VariantType::kInframeIns, "-/GG", "30-31"), {});
  ASSERT_TRUE(r.pair);
  EXPECT_EQ(r.pair->mt.find("KLGGMN"), 6u);
}

TEST(Windows, Skips) {
  EXPECT_EQ(skip_of(variant(VariantType::kMissense, "L", "30")), WindowSkip::kNoAminoAcidChange);
  EXPECT_EQ(skip_of(variant(VariantType::kMissense, "L/A", "61")), WindowSkip::kPositionOutOfBounds);
  EXPECT_EQ(skip_of(variant(VariantType::kMissense, "L/A", "30", "")), WindowSkip::kPositionOutOfBounds);
  EXPECT_EQ(skip_of(variant(VariantType::kMissense, "W/A", "30")), WindowSkip::kWildtypeMismatch);
  EXPECT_EQ(skip_of(variant(VariantType::kMissense, "L/L", "30")), WindowSkip::kNotNovel);
  std::string p = kProtein;
  p[25] = '*';
  EXPECT_EQ(skip_of(variant(VariantType::kMissense, "L/A", "30", p)), WindowSkip::kStopInWindow);
  p[25] = 'X';
  WindowOptions no_trim;
  no_trim.trim_unknown_residues = false;
  EXPECT_EQ(skip_of(variant(VariantType::kMissense, "L/A", "30", p), no_trim), WindowSkip::kUnknownResidueInWindow);
  p[25] = 'U';
  EXPECT_EQ(skip_of(variant(VariantType::kMissense, "L/A", "30", p)), WindowSkip::kSelenocysteine);
  EXPECT_EQ(skip_of(variant(VariantType::kMissense, "L/A", "3", "ACL")), WindowSkip::kTooShort);
}

TEST(Windows, UnknownResidueTrimmedWithShorterSide) {
  std::string p = kProtein;
  p[23] = 'X';  // window CDEFGHIKLMNPQRSTV spans 21..37: X at offset 2 cuts "CDX"
  const auto r = make_windows(variant(VariantType::kMissense, "L/A", "30", p), {});
  ASSERT_TRUE(r.pair);
  EXPECT_EQ(r.pair->wt, "FGHIKLMNPQRSTV");
  EXPECT_EQ(r.pair->mt, "FGHIKAMNPQRSTV");
  p = kProtein;
  p[35] = 'X';  // offset 14: cuts "XTV"
  const auto r2 = make_windows(variant(VariantType::kMissense, "L/A", "30", p), {});
  ASSERT_TRUE(r2.pair);
  EXPECT_EQ(r2.pair->wt, "CDEFGHIKLMNPQR");
}

TEST(Windows, FrameshiftDownstreamLimit) {
  auto v = variant(VariantType::kFrameshift, "", "41");
  v.frameshift_protein = kProtein.substr(0, 40) + "QQQQQRRRRRSSSSS";
  WindowOptions options;
  auto r = make_windows(v, options);
  ASSERT_TRUE(r.pair);
  EXPECT_EQ(r.pair->wt, "PQRSTVWYACDEFGHI");
  EXPECT_EQ(r.pair->mt, "PQRSTVWYQQQQQRRRRRSSSSS");
  options.downstream_limit = 3;
  r = make_windows(v, options);
  ASSERT_TRUE(r.pair);
  EXPECT_EQ(r.pair->mt, "PQRSTVWYQQQ");
}

TEST(Epitopes, MissensePairsSamePosition) {
  const auto v = variant(VariantType::kMissense, "L/A", "30");
  const auto w = make_windows(v, {});
  ASSERT_TRUE(w.pair);
  const auto e = make_epitopes(v, *w.pair, 9);
  ASSERT_EQ(e.size(), 9u);  // every 9-mer covers the mutated residue
  EXPECT_EQ(e[0].mt, "CDEFGHIKA");
  EXPECT_EQ(e[0].wt, "CDEFGHIKL");
  EXPECT_EQ(e[0].position, 1);
  EXPECT_EQ(e[0].mutation_position, "9");
  EXPECT_EQ(e[1].mt, "DEFGHIKAM");
  EXPECT_EQ(e[1].mutation_position, "8");
  EXPECT_EQ(e[8].mt, "AMNPQRSTV");
  EXPECT_EQ(e[8].mutation_position, "1");
}

TEST(Epitopes, FrameshiftEpitopesBeyondWildtypeHaveNoPartner) {
  auto v = variant(VariantType::kFrameshift, "", "41");
  v.frameshift_protein = kProtein.substr(0, 40) + "QQQQQRRRRRSSSSS";
  WindowOptions options;
  const auto w = make_windows(v, options);
  ASSERT_TRUE(w.pair);
  const auto e = make_epitopes(v, *w.pair, 9);
  ASSERT_FALSE(e.empty());
  EXPECT_EQ(e.front().mt, "PQRSTVWYQ");
  EXPECT_EQ(e.front().wt, "PQRSTVWYA");
  EXPECT_EQ(e.front().mutation_position, "9");
  EXPECT_EQ(e.back().mt, "RRRRSSSSS");
  EXPECT_EQ(e.back().position, 15);
  EXPECT_EQ(e.back().mutation_position, "NA");
  EXPECT_TRUE(e.back().wt.empty());
}

}  // namespace
}  // namespace tilmatch::peptides
