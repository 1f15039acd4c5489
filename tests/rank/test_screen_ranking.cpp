// Screen-aware ranking: tracked reactive clonotypes and the evidence tiers, on hand-made cultures.

#include <gtest/gtest.h>

#include <map>

#include "rank/screen_ranking.hpp"

namespace tilmatch::rank {
namespace {

ClonotypeTable table_of(const std::vector<std::string>& fragments, std::size_t clonotypes,
                            const std::vector<ClonotypeCount>& counts) {
  ClonotypeTable t;
  for (const auto& f : fragments) {
    FragmentSummary s;
    s.id = f;
    t.fragments.push_back(s);
  }
  for (std::size_t c = 0; c < clonotypes; ++c) t.clonotypes.push_back(Tcr{});
  t.counts = counts;
  return t;
}

std::vector<Neoantigen> neoantigens(int n) {
  std::vector<Neoantigen> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    std::string& id = out[static_cast<std::size_t>(i)].id;
    id = std::to_string(i + 1);
    id.insert(id.begin(), 'N');
  }
  return out;
}

ReactiveClonotype reactive(std::string id, std::uint32_t clonotype, std::vector<std::uint32_t> neos,
                           screen::Compartment c) {
  return ReactiveClonotype{clonotype, std::move(id), std::string(1, 'A'), std::string("TMG1"), std::move(neos), c};
}

TEST(TrackReactive, EachClonotypeCountsOnceThroughItsClosestReactiveClonotype) {
  // Clonotype 0 is reactive clonotype R1 itself; clonotype 1 is 6 away from R1 and 3 away from R2;
  // clonotype 2 is R2 itself (CD4).
  const auto table = table_of({"A", "B"}, 3, {{0, 0, 10, 0.10}, {0, 1, 4, 0.04}, {1, 1, 20, 0.20},
                                              {2, 0, 5, 0.05}});
  const std::vector<ReactiveClonotype> rcs = {reactive("R1", 0, {0}, screen::Compartment::kCd8),
                                              reactive("R2", 2, {1, 2}, screen::Compartment::kCd4)};
  const std::vector<TrackedHit> hits = {{1, 0, 6, false}, {0, 0, 0, true}, {1, 1, 3, false}, {2, 1, 0, true}};
  const auto t = track_reactive(table, rcs, hits, {}, 12);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_DOUBLE_EQ(t[0].frequency, 0.15);
  EXPECT_DOUBLE_EQ(t[0].cd8_frequency, 0.10);
  EXPECT_DOUBLE_EQ(t[0].cd4_frequency, 0.05);
  EXPECT_DOUBLE_EQ(t[0].neighbor_frequency, 0.0);
  EXPECT_EQ(t[0].neoantigens, (std::vector<std::uint32_t>{0}));  // R2 is bound to two candidates
  EXPECT_EQ(t[0].unresolved, (std::vector<std::vector<std::uint32_t>>{{1, 2}}));
  EXPECT_DOUBLE_EQ(t[0].score, 0.15);
  // Fragment B: clonotype 0 at 4% (identical to R1) and clonotype 1 at 20%, 3 from R2 (closer than R1).
  EXPECT_DOUBLE_EQ(t[1].frequency, 0.04);
  EXPECT_DOUBLE_EQ(t[1].neighbor_frequency, 0.20);
  EXPECT_DOUBLE_EQ(t[1].score, 0.04 + 0.20 * (1.0 - 0.5 * 3.0 / 12.0));
  EXPECT_EQ(t[1].reactive, (std::vector<std::uint32_t>{0, 1}));
}

TEST(SameBetaClonotype, NeedsTheSameCdr3AndTheSameVGene) {
  const auto tcr = [](std::string cdr3, std::string v) {
    Tcr t;
    t.cdr3b = std::move(cdr3);
    t.vb = std::move(v);
    return t;
  };
  const Tcr a = tcr("CASSQGYEQYF", "TRBV11-2*01"), b = tcr("CASSQGYEQYF", "TRBV11-2");
  const Tcr c = tcr("CASSQGYEQYF", "TRBV7-9"), d = tcr("CASSQGYEQFF", "TRBV11-2"), e = tcr("CASSQGYEQYF", "");
  EXPECT_TRUE(same_beta_clonotype(a, b));
  EXPECT_FALSE(same_beta_clonotype(b, c));
  EXPECT_FALSE(same_beta_clonotype(b, d));
  EXPECT_TRUE(same_beta_clonotype(e, c));  // V unknown
}

TEST(TrackReactive, ACdr3SharedWithAnotherVGeneIsANeighbourNotTheClonotype) {
  // Clonotype 1 carries R1's CDR3b under another V gene: TCRdist 0 on the CDR3 alone, yet a
  // different clonotype, so B is not tracked (no identical frequency) and counts a neighbour.
  const auto table = table_of({"A", "B"}, 2, {{0, 0, 10, 0.10}, {1, 1, 1, 0.02}});
  const std::vector<ReactiveClonotype> rcs = {reactive("R1", 0, {0}, screen::Compartment::kCd8)};
  const auto t = track_reactive(table, rcs, {{0, 0, 0, true}, {1, 0, 0, false}}, {}, 12);
  EXPECT_DOUBLE_EQ(t[0].frequency, 0.10);
  EXPECT_DOUBLE_EQ(t[1].frequency, 0.0);
  EXPECT_DOUBLE_EQ(t[1].cd8_frequency, 0.0);
  EXPECT_TRUE(t[1].neoantigens.empty());
  EXPECT_DOUBLE_EQ(t[1].neighbor_frequency, 0.02);
  const auto r = rank_with_screen(table, {}, {}, t, rcs, neoantigens(1));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].tier, "tracked");
  EXPECT_EQ(table.fragments[r[1].fragment].id, "B");
  EXPECT_NE(r[1].tier, "tracked");
}

TEST(TrackReactive, AnIdenticalReactiveClonotypeWinsOverACloserLookingOne) {
  // Clonotype 0 is identical to R2 and shares R1's CDR3b under another V gene (both at TCRdist 0):
  // it counts once, through R2.
  const auto table = table_of({"A"}, 1, {{0, 0, 10, 0.10}});
  const std::vector<ReactiveClonotype> rcs = {reactive("R1", kNone, {0}, screen::Compartment::kCd8),
                                              reactive("R2", 0, {1}, screen::Compartment::kCd4)};
  const auto t = track_reactive(table, rcs, {{0, 0, 0, false}, {0, 1, 0, true}}, {}, 12);
  EXPECT_DOUBLE_EQ(t[0].frequency, 0.10);
  EXPECT_DOUBLE_EQ(t[0].cd4_frequency, 0.10);
  EXPECT_EQ(t[0].neoantigens, (std::vector<std::uint32_t>{1}));
}

TEST(TrackReactive, ACultureTestedAndClearedForTheNeoantigenContradictsTheTrackedClonotype) {
  const auto table = table_of({"A", "B"}, 1, {{0, 0, 10, 0.10}, {0, 1, 10, 0.30}});
  const std::vector<ReactiveClonotype> rcs = {reactive("R1", 0, {0}, screen::Compartment::kCd8)};
  std::vector<MeasuredReactivity> m(2);
  m[1].screened = true;
  m[1].cleared = {0};
  m[1].tested = {0};
  const auto t = track_reactive(table, rcs, {{0, 0, 0, true}}, m, 12);
  EXPECT_DOUBLE_EQ(t[0].frequency, 0.10);
  EXPECT_DOUBLE_EQ(t[1].frequency, 0.0);
  EXPECT_DOUBLE_EQ(t[1].score, 0.0);
  EXPECT_DOUBLE_EQ(t[1].contradicted_frequency, 0.30);
}

TEST(RankWithScreen, MeasuredBeforeTrackedBeforePublicBeforeNone) {
  // A: public evidence only, high score; B: tracked; C: measured, one neoantigen; D: nothing;
  // E: measured, two neoantigens (one resolved, one unresolved group).
  const auto table = table_of({"A", "B", "C", "D", "E"}, 2, {{0, 1, 1, 0.2}, {1, 0, 1, 0.9}});
  const auto neos = neoantigens(4);
  std::vector<FragmentScore> pub(5);
  for (std::uint32_t f = 0; f < 5; ++f) pub[f].fragment = f;
  pub[0].score = 0.9;
  pub[0].confidence = "medium";
  pub[3].score = 0.0;
  std::vector<MeasuredReactivity> m(5);
  m[2].screened = true;
  m[2].reactive = {0};
  m[4].screened = true;
  m[4].reactive = {1};
  m[4].ambiguous = {{2, 3}};
  m[3].screened = true;
  m[3].cleared = {0, 1};
  std::vector<TrackedReactivity> t(5);
  t[1].frequency = 0.2;
  t[1].score = 0.2;
  t[1].reactive = {0};
  const std::vector<ReactiveClonotype> rcs = {reactive("R1", 1, {0}, screen::Compartment::kCd8)};
  const auto r = rank_with_screen(table, pub, m, t, rcs, neos);
  ASSERT_EQ(r.size(), 5u);
  std::vector<std::string> order, tiers;
  for (const auto& s : r) {
    order.push_back(table.fragments[s.fragment].id);
    tiers.push_back(s.tier);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"E", "C", "B", "A", "D"}));
  EXPECT_EQ(tiers, (std::vector<std::string>{"measured", "measured", "tracked", "public", "none"}));
  EXPECT_EQ(r[0].reactive_neoantigens, 2);
  EXPECT_EQ(r[0].confidence, "high");
  EXPECT_EQ(r[2].confidence, "medium");
  EXPECT_EQ(r[3].confidence, "medium");  // the public evidence's own
  EXPECT_EQ(r[4].confidence, "none");
  EXPECT_EQ(r[0].rank, 1);
  EXPECT_NE(r[0].reason.find("N2"), std::string::npos) << r[0].reason;
  EXPECT_NE(r[0].reason.find("N3|N4"), std::string::npos) << r[0].reason;
  EXPECT_NE(r[2].reason.find("R1"), std::string::npos) << r[2].reason;
  EXPECT_EQ(r[4].reason, "screened: no reactivity");
}

TEST(RankWithScreen, NeighboursOfAReactiveClonotypeAloneDoNotMakeTheTrackedTier) {
  const auto table = table_of({"A", "B"}, 0, {});
  const auto neos = neoantigens(1);
  std::vector<TrackedReactivity> t(2);
  t[0].neighbor_frequency = 0.3;
  t[0].score = 0.2;
  t[1].frequency = 0.001;
  t[1].score = 0.001;
  const auto r = rank_with_screen(table, {}, {}, t, {}, neos);
  EXPECT_EQ(table.fragments[r[0].fragment].id, "B");
  EXPECT_EQ(r[0].tier, "tracked");
  EXPECT_EQ(r[1].tier, "none");
  EXPECT_NE(r[1].reason.find("neighbours"), std::string::npos) << r[1].reason;
}

TEST(RankWithScreen, UnresolvedGroupsOverlappingAResolvedNeoantigenAddNothing) {
  const auto table = table_of({"A", "B"}, 0, {});
  const auto neos = neoantigens(3);
  std::vector<MeasuredReactivity> m(2);
  m[0].reactive = {0};
  m[0].ambiguous = {{0, 1}};  // the same reactivity seen through another construct
  m[1].ambiguous = {{1, 2}, {2}};
  const auto r = rank_with_screen(table, {}, m, {}, {}, neos);
  EXPECT_EQ(r[0].reactive_neoantigens, 1);
  EXPECT_EQ(r[1].reactive_neoantigens, 1);
  // Ties within the tier fall to the fragment id.
  EXPECT_EQ(table.fragments[r[0].fragment].id, "A");
}

TEST(RankWithScreen, SingleReadingsOnlyAreUnconfirmedBelowPublicEvidenceThatStandsOutFromChance) {
  // A: one construct positive in one assay, nothing else: a single reading (the screen's false positives
  // look like this). B: the same construct read in two assays. C: one assay, but its own sorts proved a
  // reactive clonotype. D: two constructs sharing a candidate, one assay each: a second reading.
  // H: two constructs with no candidate in common, one assay each: still single readings.
  // E: tracked. F: public evidence only, high. G: a single reading that also carries a proven
  // clonotype: tracked. I: public evidence not above chance (confidence none), no reaction: tier none.
  const auto table =
      table_of({"A", "B", "C", "D", "E", "F", "G", "H", "I"}, 2, {{0, 4, 1, 0.3}, {0, 6, 1, 0.01}});
  const auto neos = neoantigens(4);
  std::vector<FragmentScore> pub(9);
  for (std::uint32_t f = 0; f < 9; ++f) pub[f].fragment = f;
  pub[0].score = 0.01;
  pub[0].confidence = "none";
  pub[8].score = 0.05;
  pub[8].confidence = "none";
  pub[5].score = 0.9;
  pub[5].confidence = "high";
  std::vector<MeasuredReactivity> m(9);
  for (std::uint32_t f : {0u, 1u, 2u, 3u, 6u, 7u}) {
    m[f].screened = true;
    m[f].ambiguous = {{0, 1}};
    m[f].ambiguous_assays = {1};
  }
  m[1].ambiguous_assays = {2};
  m[3].ambiguous = {{0, 1}, {3, 1}};
  m[3].ambiguous_assays = {1, 1};
  m[7].ambiguous = {{0, 1}, {3, 2}};
  m[7].ambiguous_assays = {1, 1};
  pub[7].score = 0.02;
  pub[7].confidence = "none";
  std::vector<TrackedReactivity> t(9);
  for (std::uint32_t f : {4u, 6u}) {
    t[f].frequency = f == 4 ? 0.3 : 0.01;
    t[f].score = t[f].frequency;
    t[f].reactive = {0};
  }
  std::vector<ReactiveClonotype> rcs = {reactive("R1", 0, {2}, screen::Compartment::kCd8)};
  rcs[0].fragment_id = "C";
  const auto r = rank_with_screen(table, pub, m, t, rcs, neos);
  std::map<std::string, const ScreenRank*> by_id;
  std::vector<std::string> order;
  for (const auto& s : r) {
    by_id[table.fragments[s.fragment].id] = &s;
    order.push_back(table.fragments[s.fragment].id);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"B", "C", "D", "E", "G", "F", "H", "A", "I"}));
  EXPECT_EQ(by_id["A"]->tier, "unconfirmed");
  EXPECT_EQ(by_id["A"]->confidence, "low");
  EXPECT_NE(by_id["A"]->reason.find("one assay"), std::string::npos) << by_id["A"]->reason;
  EXPECT_NE(by_id["A"]->reason.find("N1|N2"), std::string::npos) << by_id["A"]->reason;
  EXPECT_EQ(by_id["A"]->reactive_neoantigens, 1);  // still counted as a reactivity
  for (const char* id : {"B", "C", "D"}) EXPECT_EQ(by_id[id]->tier, "measured") << id;
  EXPECT_EQ(by_id["H"]->tier, "unconfirmed");
  EXPECT_EQ(by_id["H"]->reactive_neoantigens, 2);
  EXPECT_NE(by_id["H"]->reason.find("N4|N3"), std::string::npos) << by_id["H"]->reason;
  EXPECT_EQ(by_id["G"]->tier, "tracked");
  EXPECT_NE(by_id["G"]->reason.find("single readings only"), std::string::npos) << by_id["G"]->reason;
  EXPECT_EQ(by_id["F"]->tier, "public");
  EXPECT_EQ(by_id["F"]->confidence, "high");
  EXPECT_EQ(by_id["I"]->tier, "none");
  EXPECT_EQ(by_id["I"]->confidence, "none");
  EXPECT_NE(by_id["I"]->reason.find("not above chance"), std::string::npos) << by_id["I"]->reason;
}

}  // namespace
}  // namespace tilmatch::rank
