// The evidence stage on hand-made neoantigens, references and clonotypes: epitope matching rules,
// HLA, source weights, distance weighting, neighbourhood support and provenance.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "pipeline/evidence_stage.hpp"
#include "rank/params.hpp"
#include "scoring/vgene_table.hpp"

namespace tilmatch::pipeline {
namespace {

rank::Neoantigen neo(std::string id, std::vector<std::pair<std::string, std::string>> pairs) {
  rank::Neoantigen n;
  n.id = std::move(id);
  n.epitope_pairs = std::move(pairs);
  for (const auto& p : n.epitope_pairs) n.mt_epitopes.push_back(p.first);
  return n;
}

ReferenceTcr ref(std::string id, std::string cdr3b, std::string epitope, std::string mhc = "HLA-A*02:01") {
  ReferenceTcr r;
  r.id = std::move(id);
  r.tcr.cdr3b = std::move(cdr3b);
  r.tcr.vb = "TRBV27*01";
  r.epitope = std::move(epitope);
  r.mhc = std::move(mhc);
  r.source = "test";
  return r;
}

/// One culture holding `cdr3s` equally, under TRBV27 or, where given, `vbs[i]`.
ClonotypeTable clonotypes(const std::vector<std::string>& cdr3s, const std::vector<std::string>& vbs = {}) {
  ClonotypeTable t;
  FragmentSummary f;
  f.id = "F1";
  t.fragments.push_back(f);
  for (std::uint32_t i = 0; i < cdr3s.size(); ++i) {
    t.clonotypes.push_back(Tcr{cdr3s[i], vbs.empty() ? "TRBV27" : vbs[i], "", "", "", ""});
    t.counts.push_back({i, 0, 1, 1.0 / static_cast<double>(cdr3s.size())});
  }
  return t;
}

struct Fixture {
  std::vector<rank::Neoantigen> neos;
  ReferenceSet refs;
  ClonotypeTable table;
  EvidenceConfig cfg;
  EvidenceCounts counts;
  std::vector<rank::Evidence> run() {
    const auto backend = scoring::make_backend(scoring::BackendKind::kCpu, 2);
    counts = {};
    return collect_evidence(neos, refs, table, *backend, cfg, counts);
  }
  void add(ReferenceTcr r, bool validated) {
    refs.rows.push_back(std::move(r));
    refs.validated.push_back(validated);
  }
};

/// A background of 20 rows of one CDR3 unrelated to the tests' references.
tilmatch::Background unrelated_background() {
  tilmatch::Background bg;
  for (int i = 0; i < 20; ++i) bg.add("CSARDRTGNGYTF", "TRBV20-1");
  return bg;
}

TEST(Evidence, ExactEpitopeAndCloseClonotypes) {
  Fixture f;
  f.neos = {neo("TP53.R175H", {{"HMTEVVRHC", "HMTEVVRRC"}})};
  f.add(ref("r1", "CASSLAPGATNEKLFF", "HMTEVVRHC"), false);
  // C0 identical, C1 one conservative substitution (L->I), C2 unrelated.
  f.table = clonotypes({"CASSLAPGATNEKLFF", "CASSIAPGATNEKLFF", "CASRGQGNYGYTF"});
  const auto ev = f.run();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].clonotype, 0u);
  EXPECT_EQ(ev[0].tcrdist, 0);
  EXPECT_DOUBLE_EQ(ev[0].score, f.cfg.params.public_weight);
  EXPECT_EQ(ev[0].reference_id, "r1");
  EXPECT_EQ(ev[0].mt_epitope, "HMTEVVRHC");
  EXPECT_EQ(ev[0].hla, "not_checked");
  EXPECT_EQ(ev[1].clonotype, 1u);
  ASSERT_GT(ev[1].tcrdist, 0);
  EXPECT_DOUBLE_EQ(ev[1].score,
                   f.cfg.params.public_weight * rank::distance_factor(ev[1].tcrdist, f.cfg.params.radius));
  EXPECT_EQ(f.counts.epitope_matches, 1);
  EXPECT_EQ(f.counts.active_references, 1);
}

TEST(Evidence, VLoopsSeparateOtherVGenesAndUnknownOnesCountOnCdr3Alone) {
  Fixture f;
  f.neos = {neo("TP53.R175H", {{"HMTEVVRHC", "HMTEVVRRC"}})};
  f.add(ref("r1", "CASSLAPGATNEKLFF", "HMTEVVRHC"), false);  // TRBV27*01
  // The same CDR3 under the reference's V gene, another V gene, an unknown one and none.
  f.table = clonotypes({"CASSLAPGATNEKLFF", "CASSLAPGATNEKLFF", "CASSLAPGATNEKLFF", "CASSLAPGATNEKLFF"},
                       {"TRBV27", "TRBV7-9", "TRBV_NOPE", ""});
  f.cfg.params.neighbors = false;  // direct transfer only
  EXPECT_EQ(f.run().size(), 4u);  // CDR3 only: all four
  f.cfg.vgenes = &scoring::VGeneTable::builtin();
  const auto ev = f.run();
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[0].clonotype, 0u);
  EXPECT_EQ(ev[1].clonotype, 2u);
  EXPECT_EQ(ev[2].clonotype, 3u);
  for (const auto& e : ev) EXPECT_EQ(e.tcrdist, 0);
}

TEST(Evidence, ReferenceRecognisingTheWildTypeIsRejected) {
  Fixture f;
  f.neos = {neo("N", {{"HMTEVVRHC", "HMTEVVRRC"}})};
  f.add(ref("wt", "CASSLAPGATNEKLFF", "HMTEVVRRC"), true);  // the WT epitope itself
  f.table = clonotypes({"CASSLAPGATNEKLFF"});
  f.cfg.params.min_epitope_similarity = 0.5;  // low enough that MT and WT both match
  EXPECT_TRUE(f.run().empty());
  EXPECT_EQ(f.counts.wild_type_matches, 1);
  EXPECT_EQ(f.counts.epitope_matches, 0);
}

TEST(Evidence, SimilarEpitopeMatchesWithItsSimilarity) {
  Fixture f;
  // Frameshift-like MT epitope without a WT partner; the reference epitope differs at one anchor.
  f.neos = {neo("N", {{"KLMEQWSAV", ""}})};
  f.add(ref("r", "CASSLAPGATNEKLFF", "KLMEQWSAL"), true);
  f.table = clonotypes({"CASSLAPGATNEKLFF"});
  f.cfg.params.min_epitope_similarity = 0.8;
  const auto ev = f.run();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_GT(ev[0].epitope_similarity, 0.8);
  EXPECT_LT(ev[0].epitope_similarity, 1.0);
  EXPECT_DOUBLE_EQ(ev[0].score, ev[0].epitope_similarity);  // validated, distance 0
  f.cfg.params.min_epitope_similarity = 0.999;
  EXPECT_TRUE(f.run().empty());
  f.cfg.params.min_epitope_similarity = 0.8;
  f.cfg.params.max_epitope_mismatches = 0;
  EXPECT_TRUE(f.run().empty());
}

TEST(Evidence, TwoSubstitutionsOrAnotherLengthDoNotMatch) {
  Fixture f;
  f.neos = {neo("N", {{"KLMEQWSAV", ""}})};
  f.add(ref("two", "CASSLAPGATNEKLFF", "KLMDQWSAL"), true);   // two substitutions
  f.add(ref("longer", "CASSLAPGATNEKLFF", "KLMEQWSAVL"), true);  // one residue longer
  f.table = clonotypes({"CASSLAPGATNEKLFF"});
  f.cfg.params.min_epitope_similarity = 0.5;
  EXPECT_TRUE(f.run().empty());
  EXPECT_EQ(f.counts.epitope_matches, 0);
}

HlaVerdict a02_only(std::string_view mhc) {
  if (mhc.empty()) return HlaVerdict::kUnknown;
  return mhc == "HLA-A*02:01" ? HlaVerdict::kMatch : HlaVerdict::kMismatch;
}

TEST(Evidence, HlaMismatchIsPenalisedUnknownHalvedAndFactorZeroDrops) {
  Fixture f;
  f.neos = {neo("N", {{"HMTEVVRHC", "HMTEVVRRC"}})};
  f.add(ref("a24", "CASSLAPGATNEKLFF", "HMTEVVRHC", "HLA-A*24:02"), true);
  f.add(ref("none", "CASRGQGNYGYTF", "HMTEVVRHC", ""), true);
  f.table = clonotypes({"CASSLAPGATNEKLFF", "CASRGQGNYGYTF"});
  f.cfg.hla = a02_only;
  f.cfg.params.neighbors = false;
  f.cfg.params.hla_mismatch_factor = 0.3;
  auto ev = f.run();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].reference_id, "a24");
  EXPECT_EQ(ev[0].hla, "mismatch");
  EXPECT_DOUBLE_EQ(ev[0].hla_factor, 0.3);
  EXPECT_DOUBLE_EQ(ev[0].score, 0.3);  // validated, distance 0
  EXPECT_EQ(ev[1].reference_id, "none");
  EXPECT_EQ(ev[1].hla, "unknown");
  EXPECT_DOUBLE_EQ(ev[1].score, f.cfg.params.hla_unknown_factor);
  EXPECT_EQ(f.counts.hla_mismatches, 1);
  EXPECT_EQ(f.counts.hla_dropped, 0);

  f.cfg.params.hla_mismatch_factor = 0;
  ev = f.run();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].reference_id, "none");
  EXPECT_EQ(f.counts.hla_mismatches, 1);
  EXPECT_EQ(f.counts.hla_dropped, 1);
}

TEST(Evidence, AnotherAnnotationOfTheSameTcrThatMatchesWins) {
  Fixture f;
  f.neos = {neo("N", {{"HMTEVVRHC", "HMTEVVRRC"}})};
  // The lab's row says A*24:02, a public database's row of the same TCR says A*02:01.
  f.add(ref("lab", "CASSLAPGATNEKLFF", "HMTEVVRHC", "HLA-A*24:02"), true);
  f.add(ref("db", "CASSLAPGATNEKLFF", "HMTEVVRHC", "HLA-A*02:01"), false);
  f.table = clonotypes({"CASSLAPGATNEKLFF"});
  f.cfg.hla = a02_only;
  const auto ev = f.run();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].reference_id, "lab") << "validated at factor 1 beats public";
  EXPECT_EQ(ev[0].hla, "match_other_annotation");
  EXPECT_DOUBLE_EQ(ev[0].score, 1.0);
  EXPECT_EQ(f.counts.hla_other_annotation, 1);
  EXPECT_EQ(f.counts.hla_mismatches, 0);
  EXPECT_EQ(f.counts.matched_epitopes, std::vector<std::string>{"HMTEVVRHC"});
}

TEST(Evidence, AnotherTcrOfTheEpitopeRestrictedByAPatientAlleleSettlesAMismatch) {
  Fixture f;
  f.neos = {neo("N", {{"HMTEVVRHC", "HMTEVVRRC"}}), neo("M", {{"KLMEQWSAV", "KLMEQWSAL"}})};
  // VDJdb-like: one TCR of HMTEVVRHC annotated A*24:02, another TCR of it A*02:01 (the patient's).
  f.add(ref("a24", "CASSLAPGATNEKLFF", "HMTEVVRHC", "HLA-A*24:02"), false);
  f.add(ref("a02", "CASRGQGNYGYTF", "HMTEVVRHC", "HLA-A*02:01"), false);
  // KLMEQWSAV: two TCRs, both restricted by alleles the patient lacks.
  f.add(ref("b08", "CASSPGTGELFF", "KLMEQWSAV", "HLA-B*08:01"), false);
  f.add(ref("b07", "CASSQDRGSYEQYF", "KLMEQWSAV", "HLA-B*07:02"), false);
  f.table = clonotypes({"CASSLAPGATNEKLFF", "CASSPGTGELFF"});
  f.cfg.hla = a02_only;
  f.cfg.params.neighbors = false;
  const auto ev = f.run();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].reference_id, "a24");
  EXPECT_EQ(ev[0].hla, "match_epitope_annotation");
  EXPECT_DOUBLE_EQ(ev[0].hla_factor, f.cfg.params.hla_unknown_factor);
  EXPECT_EQ(ev[1].reference_id, "b08");
  EXPECT_EQ(ev[1].hla, "mismatch") << "another TCR of the epitope settles it only with a patient allele";
  EXPECT_DOUBLE_EQ(ev[1].hla_factor, f.cfg.params.hla_mismatch_factor);
  EXPECT_EQ(f.counts.hla_epitope_annotation, 1);
  EXPECT_EQ(f.counts.hla_mismatches, 2) << "routes: b08's and b07's (no clonotype near b07)";
}

TEST(Evidence, PresentationByAPatientAlleleSettlesAMismatch) {
  Fixture f;
  f.neos = {neo("N", {{"HMTEVVRHC", "HMTEVVRRC"}}), neo("M", {{"KLMEQWSAV", "KLMEQWSAL"}})};
  f.add(ref("presented", "CASSLAPGATNEKLFF", "HMTEVVRHC", "HLA-B*08:01"), true);
  f.add(ref("not_presented", "CASRGQGNYGYTF", "KLMEQWSAV", "HLA-B*08:01"), true);
  f.table = clonotypes({"CASSLAPGATNEKLFF", "CASRGQGNYGYTF"});
  f.cfg.hla = a02_only;
  f.cfg.params.neighbors = false;
  f.cfg.presented = [](const std::string& epitope) { return epitope == "HMTEVVRHC"; };
  const auto ev = f.run();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].reference_id, "presented");
  EXPECT_EQ(ev[0].hla, "presented");
  EXPECT_DOUBLE_EQ(ev[0].score, 1.0);
  EXPECT_EQ(ev[1].reference_id, "not_presented");
  EXPECT_EQ(ev[1].hla, "mismatch");
  EXPECT_DOUBLE_EQ(ev[1].score, f.cfg.params.hla_mismatch_factor);
  EXPECT_EQ(f.counts.hla_presented, 1);
  EXPECT_EQ(f.counts.hla_mismatches, 1);
}

TEST(Evidence, ValidatedOutranksPublicAndPresentationScales) {
  Fixture f;
  f.neos = {neo("N", {{"HMTEVVRHC", "HMTEVVRRC"}})};
  f.add(ref("public", "CASSLAPGATNEKLFF", "HMTEVVRHC"), false);
  f.add(ref("lab", "CASSLAPGATNEKLFF", "HMTEVVRHC"), true);
  f.table = clonotypes({"CASSLAPGATNEKLFF"});
  f.cfg.presentation = [](const std::string&) { return 0.7; };
  const auto ev = f.run();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].reference_id, "lab");
  EXPECT_TRUE(ev[0].validated);
  EXPECT_DOUBLE_EQ(ev[0].score, 0.7);
  EXPECT_DOUBLE_EQ(ev[0].presentation, 0.7);
}

TEST(Evidence, NeighboursInheritADiscountedShare) {
  Fixture f;
  f.neos = {neo("N", {{"HMTEVVRHC", "HMTEVVRRC"}})};
  f.add(ref("r", "CASSLAPGATNEKLFF", "HMTEVVRHC"), true);
  // C0 = the reference TCR; C1 is one substitution (A->S, TCRdist 9) away: beyond the transfer
  // radius 4, within the neighbour radius 12, so it can only be reached as C0's neighbour.
  f.table = clonotypes({"CASSLAPGATNEKLFF", "CASSLAPGSTNEKLFF", "CASRGQGNYGYTF"});
  f.cfg.params.radius = 4;
  f.cfg.params.neighbor_radius = 12;
  auto ev = f.run();
  ASSERT_GE(ev.size(), 2u);
  EXPECT_EQ(ev[0].route, rank::Route::kReference);
  const auto it = std::find_if(ev.begin(), ev.end(), [](const rank::Evidence& e) { return e.clonotype == 1; });
  ASSERT_NE(it, ev.end());
  EXPECT_EQ(it->route, rank::Route::kNeighbor);
  EXPECT_EQ(it->via_clonotype, 0u);
  EXPECT_EQ(it->reference_id, "r");
  EXPECT_DOUBLE_EQ(it->score, f.cfg.params.neighbor_share * ev[0].score *
                                  rank::distance_factor(it->neighbor_distance, f.cfg.params.neighbor_radius));
  EXPECT_GT(f.counts.neighbor_evidence, 0);
  f.cfg.params.neighbors = false;
  ev = f.run();
  EXPECT_EQ(ev.size(), 1u);
}

TEST(Evidence, CrowdedReferenceNeighbourhoodsAreDiscounted) {
  Fixture f;
  f.neos = {neo("N", {{"HMTEVVRHC", "HMTEVVRRC"}})};
  f.add(ref("r", "CASSLAPGATNEKLFF", "HMTEVVRHC"), true);
  // Five clonotypes within radius 12 of the reference: identical, and four single substitutions.
  f.table = clonotypes({"CASSLAPGATNEKLFF", "CASSLAPGSTNEKLFF", "CASSLAPGTTNEKLFF", "CASSLAPGGTNEKLFF",
                        "CASSLSPGATNEKLFF"});
  f.cfg.params.neighbors = false;
  f.cfg.params.reference_neighbors = 3;
  auto ev = f.run();
  ASSERT_EQ(ev.size(), 5u);
  for (const auto& e : ev) {
    EXPECT_EQ(e.reference_neighbors, 5);
    EXPECT_DOUBLE_EQ(e.density, 3.0 / 5.0);
  }
  EXPECT_DOUBLE_EQ(ev[0].score, 3.0 / 5.0);  // identical clonotype, validated, exact epitope
  f.cfg.params.reference_neighbors = 0;  // off
  ev = f.run();
  EXPECT_DOUBLE_EQ(ev[0].score, 1.0);
  EXPECT_DOUBLE_EQ(ev[0].density, 1.0);
  f.cfg.params.reference_neighbors = 5;  // n = k: no discount
  EXPECT_DOUBLE_EQ(f.run()[0].score, 1.0);
}

TEST(Evidence, WithABackgroundHitsTransferToTheCapWeightedBySurprise) {
  Fixture f;
  f.neos = {neo("N", {{"HMTEVVRHC", "HMTEVVRRC"}})};
  f.add(ref("r", "CASSLAPGATNEKLFF", "HMTEVVRHC"), true);
  // The reference itself and a clonotype two conservative substitutions away (A->S, T->S: 3 x 3
  // each, TCRdist 18): outside the default radius 12.
  f.table = clonotypes({"CASSLAPGATNEKLFF", "CASSLAPGSSNEKLFF"});
  f.cfg.params.neighbors = false;
  ASSERT_EQ(f.run().size(), 1u);
  // A background of 20 unrelated rows: no neighbour within 24, so the surprise weight's p_r(d) is
  // the floor a0 / (20 + 1) over both halves (a hit's own distance is chosen by no count), a0 =
  // (0 + 10 x 0.5) / (1 + 10) for the one active reference, without a row; the selection half
  // gives radius 0 (10^5 p >> 1).
  const tilmatch::Background background = unrelated_background();
  f.cfg.background = &background;
  const auto ev = f.run();
  ASSERT_EQ(ev.size(), 2u);
  const double n = 2.0;  // the patient's distinct clonotypes: the surprise weight's N
  const double weight = 1.0 / (1.0 + n * (5.0 / 11.0) / 21.0);
  EXPECT_DOUBLE_EQ(f.counts.surprise_clonotypes, n);
  EXPECT_DOUBLE_EQ(f.counts.surprise_ceiling, weight);  // no background row near it: the largest weight
  EXPECT_EQ(f.counts.max_chance_radius, 0);
  EXPECT_EQ(ev[0].tcrdist, 0);
  EXPECT_TRUE(ev[0].chance_hit);  // within its radius: counted by the per-culture test
  EXPECT_DOUBLE_EQ(ev[0].density, weight);
  EXPECT_DOUBLE_EQ(ev[0].score, weight);
  EXPECT_EQ(ev[1].tcrdist, 18);
  EXPECT_FALSE(ev[1].chance_hit);  // scored, not counted
  EXPECT_DOUBLE_EQ(ev[1].proximity, 1.0 - 18.0 / 48.0);  // k(d) over the cap 24
  EXPECT_DOUBLE_EQ(ev[1].score, (1.0 - 18.0 / 48.0) * weight);
}

TEST(Evidence, SurpriseCountsEveryClonotypeOfThePatientOnce) {
  Fixture f;
  f.neos = {neo("N", {{"HMTEVVRHC", "HMTEVVRRC"}})};
  f.add(ref("r", "CASSLAPGATNEKLFF", "HMTEVVRHC"), true);
  // Two cultures of two clonotypes each, one shared: 2 per culture, 3 in the patient. Every
  // reference is searched against all 3, so a chance neighbour could have turned up in any.
  f.table = clonotypes({"CASSLAPGATNEKLFF", "CASRGQGNYGYTF", "CSARDRTGNGYTF"});
  FragmentSummary second;
  second.id = "F2";
  f.table.fragments.push_back(second);
  f.table.counts = {{0, 0, 1, 0.5}, {1, 0, 1, 0.5}, {1, 1, 1, 0.5}, {2, 1, 1, 0.5}};
  f.cfg.params.neighbors = false;
  const tilmatch::Background background = unrelated_background();
  f.cfg.background = &background;
  const auto ev = f.run();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_DOUBLE_EQ(f.counts.surprise_clonotypes, 3.0);
  EXPECT_DOUBLE_EQ(ev[0].density, 1.0 / (1.0 + 3.0 * (5.0 / 11.0) / 21.0));  // the floor, as above
}

// One entry is kept per (neoantigen, clonotype): the best-scoring route. The per-culture test must
// still see that the clonotype lies within some reference's chance radius when that route is not
// the kept one (here a validated reference at TCRdist 9 outscores the public one it matches exactly).
TEST(Evidence, AClonotypeWithinAReferencesRadiusStaysAChanceHitWhicheverRouteIsKept) {
  Fixture f;
  f.neos = {neo("N", {{"HMTEVVRHC", "HMTEVVRRC"}})};
  f.add(ref("validated", "CASSLAPGATNEKLFF", "HMTEVVRHC"), true);
  f.add(ref("public", "CASSLAPGSTNEKLFF", "HMTEVVRHC"), false);
  f.table = clonotypes({"CASSLAPGATNEKLFF", "CASSLAPGSTNEKLFF"});
  // A background of unrelated rows: every reference's radius is 0 (exact matches only).
  const tilmatch::Background background = unrelated_background();
  f.cfg.background = &background;
  for (const bool neighbors : {false, true}) {
    f.cfg.params.neighbors = neighbors;
    const auto ev = f.run();
    ASSERT_EQ(ev.size(), 2u);
    EXPECT_EQ(f.counts.max_chance_radius, 0);
    EXPECT_EQ(ev[1].clonotype, 1u);
    EXPECT_EQ(ev[1].reference_id, "validated");  // A->S, 3 x 3: outside the validated one's radius
    EXPECT_EQ(ev[1].tcrdist, 9);
    EXPECT_TRUE(ev[1].chance_hit) << "the exact match to the public reference is lost to the test";
    EXPECT_TRUE(ev[0].chance_hit);
  }
}

// A route via a neighbour is no chance hit of the clonotype it reaches.
TEST(Evidence, ANeighbourRouteIsNoChanceHit) {
  Fixture f;
  f.neos = {neo("N", {{"HMTEVVRHC", "HMTEVVRRC"}})};
  f.add(ref("r", "CASSLAPGATNEKLFF", "HMTEVVRHC"), true);
  // C1 is C0 (the reference itself) with G->W (cost 4, x 3 = 12): within the neighbour radius of C0.
  f.table = clonotypes({"CASSLAPGATNEKLFF", "CASSLAPWATNEKLFF"});
  const tilmatch::Background background = unrelated_background();
  f.cfg.background = &background;
  f.cfg.chance.max_radius = 6;  // C1 (TCRdist 12) is within no reference's reach, only C0's
  const auto ev = f.run();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[1].route, rank::Route::kNeighbor);
  EXPECT_FALSE(ev[1].chance_hit);
  EXPECT_TRUE(ev[0].chance_hit);
}

TEST(Evidence, TcrmatchTransfer) {
  Fixture f;
  f.neos = {neo("N", {{"HMTEVVRHC", "HMTEVVRRC"}})};
  f.add(ref("r", "CASSLAPGATNEKLFF", "HMTEVVRHC"), true);
  f.table = clonotypes({"CASSLAPGATNEKLFF", "CASRGQGNYGYTF"});
  f.cfg.metric = EvidenceConfig::Metric::kTcrmatch;
  const auto ev = f.run();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].clonotype, 0u);
  EXPECT_EQ(ev[0].tcrdist, -1);
  EXPECT_NEAR(ev[0].tcrmatch, 1.0, 1e-6);
}

TEST(Evidence, NothingToMatch) {
  Fixture f;
  f.add(ref("r", "CASSLAPGATNEKLFF", "HMTEVVRHC"), true);
  f.table = clonotypes({"CASSLAPGATNEKLFF"});
  EXPECT_TRUE(f.run().empty());  // no neoantigens
  f.neos = {neo("N", {{"AAAAAAAAA", "AAAAAAAAC"}})};
  EXPECT_TRUE(f.run().empty());  // no matching epitope
  EXPECT_EQ(f.counts.active_references, 0);
}

}  // namespace
}  // namespace tilmatch::pipeline
