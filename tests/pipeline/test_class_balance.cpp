// Class balance of run's reference transfer: an evidenced clonotype keeps (K+ - K-) / K+ of its
// score, K+- tilmatch predict's mean kernels exp(-d/24) over the epitope's positive and negative
// reference TCRs, and is dropped at 0; epitopes without negatives are left alone.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "pipeline/class_balance.hpp"
#include "scoring/backend.hpp"
#include "scoring/engine.hpp"

namespace tilmatch::pipeline {
namespace {

ReferenceTcr ref(std::string cdr3b, std::string epitope) {
  ReferenceTcr r;
  r.id = cdr3b;
  r.tcr.cdr3b = std::move(cdr3b);
  r.epitope = std::move(epitope);
  return r;
}

rank::Evidence entry(std::uint32_t clonotype, std::string epitope, double score) {
  rank::Evidence e;
  e.clonotype = clonotype;
  e.reference_epitope = std::move(epitope);
  e.score = score;
  return e;
}

int distance(const std::string& a, const std::string& b) {
  const std::vector<scoring::TcrRecord> x{{"", a, "", ""}}, y{{"", b, "", ""}};
  return scoring::tcrdist_pair(scoring::encode_tcrdist_set(x, scoring::Chains::beta, nullptr), 0,
                               scoring::encode_tcrdist_set(y, scoring::Chains::beta, nullptr), 0);
}

TEST(ClassBalance, EvidenceKeepsItsShareOverTheNegativesAndIsDroppedAtZero) {
  const std::string pos1 = "CASSLAPGATNEKLFF", pos2 = "CASSIRSSYEQYF", neg = "CASSLAPGSSNEKLFF", other = "CASSPDRGEAFF";
  ReferenceSet refs;
  refs.rows = {ref(pos1, "NLVPMVATV"), ref(pos2, "NLVPMVATV"), ref(other, "GILGFVFTL")};
  refs.validated = {false, false, false};
  refs.negatives = {ref(neg, "NLVPMVATV")};
  ClonotypeTable table;
  for (const std::string& s : {pos1, neg, other}) {
    Clonotype c;
    c.tcr.cdr3b = s;
    table.clonotypes.push_back(c);
  }
  // Clonotype 0 is the positive itself; 1 is the negative itself (a route from pos1 would reach it
  // at TCRdist 18); 2 carries evidence for an epitope without negatives.
  std::vector<rank::Evidence> direct{entry(0, "NLVPMVATV", 0.5), entry(1, "NLVPMVATV", 0.4),
                                     entry(2, "GILGFVFTL", 0.3)};
  EvidenceConfig cfg;
  const auto backend = scoring::make_backend(scoring::BackendKind::kCpu, 2);
  const BalanceCounts counts = balance_against_negatives(direct, refs, table, *backend, cfg);

  const auto k = [](int d) { return std::exp(-d / 24.0); };
  const double k_pos0 = (k(0) + k(distance(pos1, pos2))) / 2, k_neg0 = k(distance(pos1, neg));
  const double k_pos1 = (k(distance(neg, pos1)) + k(distance(neg, pos2))) / 2, k_neg1 = k(0);
  ASSERT_GT(k_pos0, k_neg0);
  ASSERT_LT(k_pos1, k_neg1);  // nearer its negative than its positives: balanced to 0
  ASSERT_EQ(direct.size(), 2u);
  EXPECT_EQ(direct[0].clonotype, 0u);
  EXPECT_NEAR(direct[0].class_balance, (k_pos0 - k_neg0) / k_pos0, 1e-12);
  EXPECT_NEAR(direct[0].score, 0.5 * (k_pos0 - k_neg0) / k_pos0, 1e-12);
  EXPECT_EQ(direct[1].clonotype, 2u);
  EXPECT_EQ(direct[1].class_balance, 1.0);
  EXPECT_EQ(direct[1].score, 0.3);
  EXPECT_EQ(counts.negatives, 1);
  EXPECT_EQ(counts.epitopes, 1);
  EXPECT_EQ(counts.balanced_entries, 2);
  EXPECT_EQ(counts.dropped_entries, 1);
}

TEST(ClassBalance, NoNegativesChangesNothing) {
  ReferenceSet refs;
  refs.rows = {ref("CASSLAPGATNEKLFF", "NLVPMVATV")};
  refs.validated = {false};
  ClonotypeTable table;
  Clonotype c;
  c.tcr.cdr3b = "CASSLAPGATNEKLFF";
  table.clonotypes.push_back(c);
  std::vector<rank::Evidence> direct{entry(0, "NLVPMVATV", 0.5)};
  const auto backend = scoring::make_backend(scoring::BackendKind::kCpu, 1);
  const BalanceCounts counts = balance_against_negatives(direct, refs, table, *backend, EvidenceConfig{});
  ASSERT_EQ(direct.size(), 1u);
  EXPECT_EQ(direct[0].score, 0.5);
  EXPECT_EQ(direct[0].class_balance, 1.0);
  EXPECT_EQ(counts.balanced_entries, 0);
}

}  // namespace
}  // namespace tilmatch::pipeline
