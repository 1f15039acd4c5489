// Ranking of cultures from hand-made evidence, and the screening design.

#include <gtest/gtest.h>

#include <map>

#include "rank/ranking.hpp"

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
  for (std::size_t c = 0; c < clonotypes; ++c) t.clonotypes.push_back(Tcr{"CASS" + std::to_string(c) + "F", "", "", "", "", ""});
  t.counts = counts;
  return t;
}

Neoantigen neo(std::string id, double weight, int minigenes = 1) {
  Neoantigen n;
  n.id = std::move(id);
  n.weight = weight;
  for (int i = 0; i < minigenes; ++i) n.minigenes.push_back(n.id + "-mg" + std::to_string(i));
  return n;
}

Evidence ev(std::uint32_t n, std::uint32_t c, double score, bool validated = false, double similarity = 1.0,
            Route route = Route::kReference) {
  Evidence e;
  e.neoantigen = n;
  e.clonotype = c;
  e.score = score;
  e.validated = validated;
  e.epitope_similarity = similarity;
  e.route = route;
  e.chance_hit = route == Route::kReference;  // as the evidence stage sets it: a neighbour route is no hit
  e.mt_epitope = "EPI" + std::to_string(n) + "_" + std::to_string(c);
  return e;
}

TEST(RankFragments, ScoresAreFrequencyWeightedBestEvidence) {
  // Fragments A, B, C, D; clonotypes 0..3.
  const auto table = table_of({"A", "B", "C", "D"}, 4,
                              {{0, 0, 10, 0.10}, {0, 1, 5, 0.05}, {1, 1, 20, 0.20}, {2, 2, 1, 0.01},
                               {3, 0, 30, 0.30}, {3, 3, 50, 0.50}});
  const std::vector<Neoantigen> neos = {neo("N1", 1.0), neo("N2", 0.5)};
  // Clonotype 0: N1 (0.8, validated exact) and N2 (1.0 -> weighted 0.5): best is N1.
  // Clonotype 1: N2 0.6 via a neighbour. Clonotype 2: N1 0.5 public pepsim. Clonotype 3: none.
  const std::vector<Evidence> evidence = {ev(0, 0, 0.8, true), ev(0, 2, 0.5, false, 0.93), ev(1, 0, 1.0),
                                          ev(1, 1, 0.6, false, 1.0, Route::kNeighbor)};
  const auto best = best_evidence_per_clonotype(neos, evidence, 4);
  EXPECT_EQ(best, (std::vector<std::uint32_t>{0, 3, 1, kNone}));
  const auto r = rank_fragments(neos, evidence, best, table);
  ASSERT_EQ(r.size(), 4u);
  std::map<std::string, const FragmentScore*> by_id;
  for (const auto& s : r) by_id[table.fragments[s.fragment].id] = &s;
  // A: 0.10 * 0.8 = 0.08.  B: 0.05 * 0.8 + 0.20 * 0.6 * 0.5 = 0.04 + 0.06 = 0.10.  C: 0.01 * 0.5. D: 0.
  EXPECT_DOUBLE_EQ(by_id["A"]->score, 0.08);
  EXPECT_DOUBLE_EQ(by_id["B"]->score, 0.10);
  EXPECT_DOUBLE_EQ(by_id["C"]->score, 0.005);
  EXPECT_DOUBLE_EQ(by_id["D"]->score, 0.0);
  EXPECT_EQ(table.fragments[r[0].fragment].id, "B");
  EXPECT_EQ(table.fragments[r[1].fragment].id, "A");
  EXPECT_EQ(table.fragments[r[2].fragment].id, "C");
  EXPECT_EQ(table.fragments[r[3].fragment].id, "D");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(r[static_cast<std::size_t>(i)].rank, i + 1);
  EXPECT_DOUBLE_EQ(by_id["B"]->evidenced_frequency, 0.25);
  EXPECT_EQ(by_id["B"]->evidenced_clonotypes, 2);
  EXPECT_EQ(by_id["B"]->neoantigens, 2);
  EXPECT_EQ(by_id["A"]->neoantigens, 2);  // clonotype 0 carries evidence for both
  EXPECT_EQ(by_id["B"]->best_evidence, 3u);  // 0.06 beats 0.04
  EXPECT_EQ(by_id["A"]->confidence, "high");
  EXPECT_EQ(by_id["C"]->confidence, "medium");
  EXPECT_EQ(by_id["D"]->confidence, "none");
  EXPECT_EQ(by_id["D"]->best_evidence, kNone);
  // Heatmap cells of A: N1 0.10 * 0.8, N2 0.10 * 1.0 * 0.5.
  ASSERT_EQ(by_id["A"]->by_neoantigen.size(), 2u);
  EXPECT_DOUBLE_EQ(by_id["A"]->by_neoantigen[0].second, 0.08);
  EXPECT_DOUBLE_EQ(by_id["A"]->by_neoantigen[1].second, 0.05);
}

TEST(RankFragments, TiesBreakByEvidencedFrequencyThenFragmentId) {
  const auto table = table_of({"Z", "Y", "X"}, 1, {});
  const std::vector<Neoantigen> neos = {neo("N1", 1.0)};
  const auto r = rank_fragments(neos, {}, best_evidence_per_clonotype(neos, {}, 1), table);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(table.fragments[r[0].fragment].id, "X");
  EXPECT_EQ(table.fragments[r[1].fragment].id, "Y");
  EXPECT_EQ(table.fragments[r[2].fragment].id, "Z");
}

TEST(RankFragments, DistantEvidenceIsLowConfidence) {
  const auto table = table_of({"A"}, 1, {{0, 0, 1, 1.0}});
  const std::vector<Neoantigen> neos = {neo("N1", 1.0)};
  std::vector<Evidence> evidence = {ev(0, 0, 0.5, true)};
  evidence[0].proximity = 0.5;
  const auto r = rank_fragments(neos, evidence, best_evidence_per_clonotype(neos, evidence, 1), table);
  EXPECT_EQ(r[0].confidence, "low");
}

TEST(RankFragments, NeighbourOnlyEvidenceIsLowConfidence) {
  const auto table = table_of({"A"}, 1, {{0, 0, 1, 1.0}});
  const std::vector<Neoantigen> neos = {neo("N1", 1.0)};
  const std::vector<Evidence> evidence = {ev(0, 0, 0.3, true, 1.0, Route::kNeighbor)};
  const auto r = rank_fragments(neos, evidence, best_evidence_per_clonotype(neos, evidence, 1), table);
  EXPECT_EQ(r[0].confidence, "low");
}

TEST(DesignScreen, EvidenceFirstThenWeightInBalancedConstructs) {
  // 30 neoantigens, one minigene each; N7 has evidence in the top culture.
  std::vector<Neoantigen> neos;
  for (int i = 0; i < 30; ++i) neos.push_back(neo(std::string("N").append(std::to_string(i)), 0.01 * (i + 1)));
  const auto table = table_of({"A", "B"}, 1, {{0, 0, 1, 0.5}});
  const std::vector<Evidence> evidence = {ev(7, 0, 0.9)};
  const auto best = best_evidence_per_clonotype(neos, evidence, 1);
  const auto ranking = rank_fragments(neos, evidence, best, table);
  const ModelParams p;  // tmg_size 16 -> two constructs of 15
  const auto d = design_screen(neos, evidence, ranking, table, p);
  std::map<std::string, int> sizes;
  std::vector<const DesignSlot*> tmg, pools;
  for (const auto& s : d) {
    if (s.kind == "tandem_minigene") {
      ++sizes[s.construct];
      tmg.push_back(&s);
    } else {
      pools.push_back(&s);
    }
  }
  EXPECT_EQ(sizes, (std::map<std::string, int>{{"TMG1", 15}, {"TMG2", 15}}));
  ASSERT_EQ(tmg.size(), 30u);
  EXPECT_EQ(neos[tmg[0]->neoantigen].id, "N7");
  EXPECT_EQ(tmg[0]->reason, "evidence in A");
  EXPECT_EQ(neos[tmg[1]->neoantigen].id, "N29");  // then by weight
  EXPECT_EQ(neos[tmg[29]->neoantigen].id, "N0");
  EXPECT_EQ(tmg[1]->reason, "weight only");
  ASSERT_EQ(pools.size(), 1u);
  EXPECT_EQ(pools[0]->construct, "PP1");
  EXPECT_EQ(pools[0]->sequence, "EPI7_0");
}

TEST(DesignScreen, ConstructSizesStayWithinLimits) {
  const ModelParams p;
  const auto table = table_of({"A"}, 1, {});
  for (int m : {1, 11, 12, 17, 24, 25, 40, 49, 100, 201}) {
    std::vector<Neoantigen> neos;
    for (int i = 0; i < m; ++i) neos.push_back(neo(std::string("N").append(std::to_string(i)), 1.0));
    const auto ranking = rank_fragments(neos, {}, best_evidence_per_clonotype(neos, {}, 1), table);
    std::map<std::string, int> sizes;
    for (const auto& s : design_screen(neos, {}, ranking, table, p)) ++sizes[s.construct];
    int total = 0;
    for (const auto& [c, n] : sizes) {
      total += n;
      EXPECT_LE(n, p.tmg_max) << m;
      if (m >= p.tmg_min) {
        EXPECT_GE(n, p.tmg_min) << m;
      }
    }
    EXPECT_EQ(total, m);
  }
}

TEST(TestAgainstChance, ExpandedHitsStandOutTypicalOnesDoNot) {
  // Two cultures of 200 clonotypes each: culture A's clonotype 0 holds 30% of it, the rest share
  // 70%; culture B's 200 are equal. Reference evidence on A's clonotype 0 and on one of B's
  // (clonotype 250); clonotype 300 of B has only neighbour evidence, which is not tested.
  std::vector<ClonotypeCount> counts;
  counts.push_back({0, 0, 300, 0.30});
  for (std::uint32_t c = 1; c < 200; ++c) counts.push_back({c, 0, 1, 0.70 / 199});
  for (std::uint32_t c = 200; c < 400; ++c) counts.push_back({c, 1, 1, 1.0 / 200});
  const auto table = table_of({"A", "B"}, 400, counts);
  const std::vector<Neoantigen> neos = {neo("N1", 1.0)};
  const std::vector<Evidence> evidence = {ev(0, 0, 0.8), ev(0, 250, 0.8),
                                          ev(0, 300, 0.4, false, 1.0, Route::kNeighbor)};
  auto ranking = rank_fragments(neos, evidence, best_evidence_per_clonotype(neos, evidence, 400), table);
  ASSERT_EQ(ranking[0].fragment, 0u);
  EXPECT_EQ(ranking[0].confidence, "medium");
  // q_any = 1/200: one chance hit per culture is expected, so a hit on a typical clonotype is
  // nothing, and one on a clone of 30% happens by chance with p ~ 1/200.
  test_against_chance(ranking, evidence, table, 1.0 / 200, 0.05);
  EXPECT_EQ(ranking[0].fragment, 0u);  // the order stays
  EXPECT_EQ(ranking[0].chance_observed, 1);
  EXPECT_DOUBLE_EQ(ranking[0].chance_expected, 1.0);
  // The share the test weighs: A's hit is its 30% clone; chance covers q_any of any culture.
  EXPECT_DOUBLE_EQ(ranking[0].chance_frequency, 0.30);
  EXPECT_NEAR(ranking[0].chance_expected_frequency, 1.0 / 200, 1e-15);
  EXPECT_DOUBLE_EQ(ranking[1].chance_frequency, 1.0 / 200);
  EXPECT_LT(ranking[0].chance_p, 0.02);
  EXPECT_LT(ranking[0].chance_q, 0.05);
  EXPECT_EQ(ranking[0].confidence, "medium");
  EXPECT_EQ(ranking[1].chance_observed, 1);
  EXPECT_GT(ranking[1].chance_p, 0.3);
  EXPECT_EQ(ranking[1].confidence, "none");
}


TEST(TestAgainstChance, CulturesThatStandOutComeFirst) {
  // Culture A: 4,000 clonotypes, one at 2% with evidence 0.9 (score 0.018); B: ten clones at 10%,
  // one with evidence 0.2 (score 0.02, above A's); C: 100 clonotypes, no evidence. Chance hits
  // (q = 0.005) reach A's evidenced 2% only by hitting that clone (p ~ 0.005), but B's 10%
  // whenever they hit any of its ten clones (p = 1 - 0.995^10 = 0.049, q = 0.074 after BH).
  std::vector<ClonotypeCount> counts;
  counts.push_back({0, 0, 200, 0.02});
  for (std::uint32_t c = 1; c < 4000; ++c) counts.push_back({c, 0, 1, 0.98 / 3999});
  for (std::uint32_t c = 4000; c < 4010; ++c) counts.push_back({c, 1, 10, 0.1});
  for (std::uint32_t c = 4010; c < 4110; ++c) counts.push_back({c, 2, 1, 0.01});
  const auto table = table_of({"A", "B", "C"}, 4110, counts);
  const std::vector<Neoantigen> neos = {neo("N1", 1.0)};
  const std::vector<Evidence> evidence = {ev(0, 0, 0.9), ev(0, 4003, 0.2)};
  auto ranking = rank_fragments(neos, evidence, best_evidence_per_clonotype(neos, evidence, 4110), table);
  ASSERT_EQ(ranking[0].fragment, 1u);  // by score: B above A
  test_against_chance(ranking, evidence, table, 0.005, 0.05);
  ASSERT_EQ(ranking.size(), 3u);
  EXPECT_EQ(ranking[0].fragment, 0u);
  EXPECT_LT(ranking[0].chance_q, 0.05);
  EXPECT_EQ(ranking[1].fragment, 1u);  // the rest keep their score order
  EXPECT_GT(ranking[1].chance_q, 0.05);
  EXPECT_EQ(ranking[1].confidence, "none");
  EXPECT_EQ(ranking[2].fragment, 2u);
  for (std::size_t i = 0; i < ranking.size(); ++i) EXPECT_EQ(ranking[i].rank, static_cast<int>(i + 1));

  // The same 2% hit outside its reference's chance radius scores, but is no hit of the test.
  std::vector<Evidence> outside = evidence;
  outside[0].chance_hit = false;
  auto again = rank_fragments(neos, outside, best_evidence_per_clonotype(neos, outside, 4110), table);
  test_against_chance(again, outside, table, 0.005, 0.05);
  EXPECT_EQ(again[0].fragment, 1u);
  for (const FragmentScore& s : again) EXPECT_EQ(s.confidence, "none");
}

}  // namespace
}  // namespace tilmatch::rank
