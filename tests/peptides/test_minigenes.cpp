// Minigene shapes (docs/peptides.md) on a synthetic 60-residue protein P = "ACDEFGHIKLMNPQRSTVWY" x 3,
// with expected strings written out by hand.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "peptides/peptides.hpp"
#include "peptides/synthetic_variant.hpp"

namespace tilmatch::peptides {
namespace {

using testing::kAlphabet;
using testing::kProtein;
using testing::variant;

void expect_one(const std::vector<Minigene>& got, const std::string& sequence, int begin, int end) {
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].sequence, sequence);
  EXPECT_EQ(got[0].tile, 1);
  EXPECT_EQ(got[0].mutation_begin, begin);
  EXPECT_EQ(got[0].mutation_end, end);
}

TEST(Minigenes, MissenseCentred) {
  expect_one(make_minigenes(variant(VariantType::kMissense, "L/A", "30"), {}), "VWYACDEFGHIKAMNPQRSTVWYAC", 12, 13);
}

TEST(Minigenes, MissenseAtFirstResidueShiftsRight) {
  expect_one(make_minigenes(variant(VariantType::kMissense, "A/W", "1"), {}), "WCDEFGHIKLMNPQRSTVWYACDEF", 0, 1);
}

TEST(Minigenes, MissenseAtLastResidueShiftsLeft) {
  expect_one(make_minigenes(variant(VariantType::kMissense, "Y/H", "60"), {}), "STVWYACDEFGHIKLMNPQRSTVWH", 24, 25);
}

TEST(Minigenes, MnvKeepsAllMutatedResidues) {
  expect_one(make_minigenes(variant(VariantType::kMissense, "LM/AA", "30-31"), {}), "VWYACDEFGHIKAANPQRSTVWYACD", 12,
             14);
}

TEST(Minigenes, MnvUnchangedResidueIsNotMutated) {
  expect_one(make_minigenes(variant(VariantType::kMissense, "LM/LA", "30-31"), {}), "WYACDEFGHIKLANPQRSTVWYACD", 12,
             13);
}

TEST(Minigenes, InsertionDashForm) {
  expect_one(make_minigenes(variant(VariantType::kInframeIns, "-/GG", "30-31"), {}), "WYACDEFGHIKLGGMNPQRSTVWYAC", 12,
             14);
}

TEST(Minigenes, InsertionWithAnchorResidue) {
  expect_one(make_minigenes(variant(VariantType::kInframeIns, "L/LGG", "30"), {}), "WYACDEFGHIKLGGMNPQRSTVWYAC", 12,
             14);
}

TEST(Minigenes, DeletionJunction) {
  expect_one(make_minigenes(variant(VariantType::kInframeDel, "LMN/-", "30-32"), {}), "VWYACDEFGHIKPQRSTVWYACDE", 12,
             12);
}

TEST(Minigenes, DeletionWithAnchorResidue) {
  expect_one(make_minigenes(variant(VariantType::kInframeDel, "KLM/K", "29-31"), {}), "VWYACDEFGHIKNPQRSTVWYACD", 12,
             12);
}

TEST(Minigenes, DeletionWithReplacement) {
  expect_one(make_minigenes(variant(VariantType::kInframeDel, "LMN/Q", "30-32"), {}), "VWYACDEFGHIKQPQRSTVWYACDE", 12,
             13);
}

TEST(Minigenes, ProteinShorterThanLength) {
  expect_one(make_minigenes(variant(VariantType::kMissense, "E/W", "4", "ACDEFGHIKL"), {}), "ACDWFGHIKL", 3, 4);
}

TEST(Minigenes, FrameshiftTiles) {
  auto v = variant(VariantType::kFrameshift, "", "41");
  v.frameshift_protein = kProtein.substr(0, 40) + "QQQQQRRRRRSSSSSTTTTTVVVVVWWWWW*";
  const auto got = make_minigenes(v, {});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].sequence, "KLMNPQRSTVWYQQQQQRRRRRSSS");
  EXPECT_EQ(got[0].mutation_begin, 12);
  EXPECT_EQ(got[0].mutation_end, 25);
  EXPECT_EQ(got[1].sequence, "QQQQRRRRRSSSSSTTTTTVVVVVW");
  EXPECT_EQ(got[1].mutation_begin, 0);
  EXPECT_EQ(got[2].sequence, "RRRRRSSSSSTTTTTVVVVVWWWWW");
  EXPECT_EQ(got[2].mutation_end, 25);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(got[static_cast<std::size_t>(i)].tile, i + 1);
}

TEST(Minigenes, FrameshiftShortNovelSequenceAlignsToEnd) {
  auto v = variant(VariantType::kFrameshift, "", "41");
  v.frameshift_protein = kProtein.substr(0, 40) + "QQQ";
  expect_one(make_minigenes(v, {}), "WYACDEFGHIKLMNPQRSTVWYQQQ", 22, 25);
}

TEST(Minigenes, FrameshiftWithoutNovelResidues) {
  auto v = variant(VariantType::kFrameshift, "", "41");
  v.frameshift_protein = kProtein.substr(0, 40) + "*";
  EXPECT_TRUE(make_minigenes(v, {}).empty());
}

TEST(Minigenes, StopGainedHasNoMinigene) {
  EXPECT_TRUE(make_minigenes(variant(VariantType::kMissense, "L/*", "30"), {}).empty());
}

TEST(Minigenes, EmptyWildtypeProtein) {
  EXPECT_TRUE(make_minigenes(variant(VariantType::kMissense, "L/A", "30", ""), {}).empty());
}

TEST(Minigenes, WildtypeMismatch) {
  EXPECT_TRUE(make_minigenes(variant(VariantType::kMissense, "W/A", "30"), {}).empty());
}

TEST(Minigenes, UnknownResidueDropsMinigene) {
  std::string protein = kProtein;
  protein[25] = 'X';
  EXPECT_TRUE(make_minigenes(variant(VariantType::kMissense, "L/A", "30", protein), {}).empty());
  protein = kProtein;
  protein[5] = 'X';  // outside the 25-mer
  EXPECT_EQ(make_minigenes(variant(VariantType::kMissense, "L/A", "30", protein), {}).size(), 1u);
}

TEST(Minigenes, OtherOddLength) {
  MinigeneOptions options;
  options.length = 5;
  expect_one(make_minigenes(variant(VariantType::kMissense, "L/A", "30"), options), "IKAMN", 2, 3);
  options.length = 4;
  EXPECT_TRUE(make_minigenes(variant(VariantType::kMissense, "L/A", "30"), options).empty());
}

}  // namespace
}  // namespace tilmatch::peptides
