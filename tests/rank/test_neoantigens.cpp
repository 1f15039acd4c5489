// Candidates merged into neoantigens, their ids and weights, and the model's per-factor formulas.

#include <gtest/gtest.h>

#include "rank/neoantigens.hpp"
#include "rank/params.hpp"

namespace tilmatch::rank {
namespace {

VariantTranscript variant(std::string gene, std::int64_t pos, std::string aa, std::string position,
                          VariantType type = VariantType::kMissense) {
  VariantTranscript v;
  v.chromosome_name = "chr1";
  v.pos = pos;
  v.reference.assign(1, 'A');
  v.variant.assign(1, 'T');
  v.gene_name = std::move(gene);
  v.amino_acid_change = std::move(aa);
  v.protein_position = std::move(position);
  v.variant_type = type;
  v.index = std::to_string(pos) + "." + v.gene_name;
  return v;
}

TEST(ProteinChange, FollowsHgvsLikeShortForms) {
  EXPECT_EQ(protein_change(variant("G", 1, "P/A", "58")), "P58A");
  EXPECT_EQ(protein_change(variant("G", 1, "VE/EK", "600-601")), "VE600-601EK");
  EXPECT_EQ(protein_change(variant("G", 1, "K/-", "10", VariantType::kInframeDel)), "K10del");
  EXPECT_EQ(protein_change(variant("G", 1, "-/L", "10-11", VariantType::kInframeIns)), "10-11insL");
  EXPECT_EQ(protein_change(variant("G", 1, "G/GL", "12", VariantType::kInframeIns)), "G12GL");
  EXPECT_EQ(protein_change(variant("G", 1, "W/QX", "181", VariantType::kFrameshift)), "W181fs");
}

TEST(GroupNeoantigens, MergesTranscriptsOfOneVariantAndKeepsFileOrder) {
  std::vector<CandidatePeptides> c(4);
  c[0].variant = variant("KRAS", 100, "G/D", "12");
  c[0].variant.transcript_expression = "3";
  c[0].epitopes = {{"VVGADGVGK", "VVGAGGVGK"}, {"KLVVVGADGV", "KLVVVGAGGV"}};
  c[0].minigenes = {"MTEYKLVVVGADGVGKSALTIQLIQ"};
  c[1].variant = variant("TP53", 200, "R/H", "175");
  c[2].variant = variant("KRAS", 100, "G/D", "12");  // second transcript of the first variant
  c[2].variant.index = "100.KRAS.t2";
  c[2].variant.transcript_expression = "15";
  c[2].epitopes = {{"VVGADGVGK", "VVGAGGVGK"}};
  c[2].minigenes = {"MTEYKLVVVGADGVGKSALTIQLIQ"};
  c[3].variant = variant("TP53", 300, "R/H", "175");  // same gene and change, other variant
  const ModelParams p;
  const auto n = group_neoantigens(c, p);
  ASSERT_EQ(n.size(), 3u);
  EXPECT_EQ(n[0].id, "KRAS.G12D");
  EXPECT_EQ(n[1].id, "TP53.R175H");
  EXPECT_EQ(n[2].id, "TP53.R175H.2");
  EXPECT_EQ(n[0].candidate_keys, (std::vector<std::string>{"100.KRAS", "100.KRAS.t2"}));
  EXPECT_EQ(n[0].mt_epitopes, (std::vector<std::string>{"KLVVVGADGV", "VVGADGVGK"}));
  EXPECT_EQ(n[0].epitope_pairs.size(), 2u);
  EXPECT_EQ(n[0].minigenes.size(), 1u);
  ASSERT_TRUE(n[0].expression);
  EXPECT_DOUBLE_EQ(*n[0].expression, 15.0);
  EXPECT_DOUBLE_EQ(n[0].expressed, 15.0 / 16.0);
  EXPECT_EQ(n[0].variant, "chr1:100 A>T");
  EXPECT_DOUBLE_EQ(n[1].weight, 1.0);  // nothing known: no penalty
}

TEST(GroupNeoantigens, WeightIsClonalityTimesExpression) {
  std::vector<CandidatePeptides> c(1);
  c[0].variant = variant("G", 1, "P/A", "58");
  c[0].variant.tdna_vaf.value = 0.2;
  c[0].variant.trna_vaf.value = 0.0;
  c[0].variant.trna_depth.value = 30;
  c[0].variant.gene_expression = "1";
  const ModelParams p;
  const auto n = group_neoantigens(c, p);
  ASSERT_EQ(n.size(), 1u);
  EXPECT_DOUBLE_EQ(n[0].clonality, 0.4);
  EXPECT_DOUBLE_EQ(n[0].expressed, 0.5 * p.unexpressed_allele);
  EXPECT_DOUBLE_EQ(n[0].weight, 0.4 * 0.5 * p.unexpressed_allele);
}

TEST(ModelFactors, MatchTheDocumentedFormulas) {
  const ModelParams p;
  EXPECT_DOUBLE_EQ(distance_factor(0, 24), 1.0);
  EXPECT_DOUBLE_EQ(distance_factor(12, 24), 0.75);
  EXPECT_DOUBLE_EQ(distance_factor(24, 24), 0.5);
  EXPECT_DOUBLE_EQ(distance_factor(5, 0), 1.0);
  EXPECT_DOUBLE_EQ(tcrmatch_factor(1.0, 0.97), 1.0);
  EXPECT_NEAR(tcrmatch_factor(0.97, 0.97), 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(clonality_factor(std::nullopt, p), 1.0);
  EXPECT_DOUBLE_EQ(clonality_factor(0.5, p), 1.0);
  EXPECT_DOUBLE_EQ(clonality_factor(0.7, p), 1.0);
  EXPECT_DOUBLE_EQ(clonality_factor(0.01, p), p.min_clonality);
  EXPECT_DOUBLE_EQ(expression_factor(std::nullopt, std::nullopt, std::nullopt, p), 1.0);
  EXPECT_DOUBLE_EQ(expression_factor(0.0, std::nullopt, std::nullopt, p), p.min_expression);
  EXPECT_DOUBLE_EQ(expression_factor(9.0, 0.3, 20.0, p), 0.9);
  EXPECT_DOUBLE_EQ(expression_factor(std::nullopt, 0.0, 0.0, p), 1.0);  // no RNA coverage: unknown
  EXPECT_DOUBLE_EQ(presentation_factor(0.3, 5000.0, p), 1.0);  // rank wins over IC50
  EXPECT_DOUBLE_EQ(presentation_factor(1.5, std::nullopt, p), 0.7);
  EXPECT_DOUBLE_EQ(presentation_factor(7.0, std::nullopt, p), 0.2);
  EXPECT_DOUBLE_EQ(presentation_factor(std::nullopt, 40.0, p), 1.0);
  EXPECT_DOUBLE_EQ(presentation_factor(std::nullopt, 400.0, p), 0.7);
  EXPECT_DOUBLE_EQ(presentation_factor(std::nullopt, std::nullopt, p), p.presentation_missing);
}

}  // namespace
}  // namespace tilmatch::rank
