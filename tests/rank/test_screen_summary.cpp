// The screen's results as ranking inputs: measured reactivity, reactive clonotypes bound to
// neoantigens, product candidates with their positive groups.

#include <gtest/gtest.h>

#include <span>

#include "rank/screen_summary.hpp"

namespace tilmatch::rank {
namespace {

IdIndex index_of(const std::vector<std::string>& ids) {
  IdIndex out;
  for (std::uint32_t i = 0; i < ids.size(); ++i) out.emplace(ids[i], i);
  return out;
}

ClonotypeTable fragments(const std::vector<std::string>& ids) {
  ClonotypeTable t;
  for (const auto& id : ids) {
    FragmentSummary s;
    s.id = id;
    t.fragments.push_back(s);
  }
  return t;
}

screen::NeoantigenCall call(std::string f, std::string n, screen::ReactivityStatus s) {
  screen::NeoantigenCall c;
  c.fragment_id = std::move(f);
  c.neoantigen = std::move(n);
  c.status = s;
  c.constructs = {"TMG1"};
  return c;
}

screen::PositiveConstruct positive(std::string f, std::string construct, screen::Resolution r,
                                   std::vector<std::string> neos, std::vector<screen::Compartment> comps) {
  screen::PositiveConstruct p;
  p.fragment_id = std::move(f);
  p.construct = std::move(construct);
  p.resolution = r;
  p.neoantigens = std::move(neos);
  p.compartments = std::move(comps);
  return p;
}

TEST(MeasuredReactivity, ResolvedAmbiguousClearedAndFailedControlsPerCulture) {
  screen::Deconvolution d;
  d.neoantigen_calls = {call("F1", "A", screen::ReactivityStatus::kReactive),
                        call("F1", "B", screen::ReactivityStatus::kAmbiguous),
                        call("F2", "A", screen::ReactivityStatus::kNotReactive),
                        call("F2", "C", screen::ReactivityStatus::kNotTested)};
  d.positives = {positive("F1", "TMG2", screen::Resolution::kAmbiguous, {"C", "B"}, {})};
  d.calls = {{"F2", "TMG1", screen::ConstructResult::kNegative, {}, {}, {}, {}, {}}};
  screen::Call failed;
  failed.fragment_id = "F2";
  failed.positive_control = screen::PositiveControlStatus::kFailed;
  const auto m = measured_reactivity(d, {failed}, index_of({"F1", "F2"}), index_of({"A", "B", "C"}));
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].reactive, (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(m[0].ambiguous, (std::vector<std::vector<std::uint32_t>>{{1, 2}}));
  EXPECT_FALSE(m[0].screened);  // no conclusive construct call was given for F1
  EXPECT_NE(m[0].why.find("A: TMG1"), std::string::npos) << m[0].why;
  EXPECT_TRUE(m[1].screened);
  EXPECT_TRUE(m[1].control_failed);
  EXPECT_EQ(m[1].cleared, (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(m[1].tested, (std::vector<std::uint32_t>{0}));
}

TEST(ReactiveClonotypes, BoundToTheResolvedNeoantigenOfTheirCultureElseTheCandidates) {
  // F1: TMG1 (A, B, C) positive and ambiguous, but A is resolved reactive in F1 (through another
  // construct): clonotype 7 sorted from F1 x TMG1 stands for A. F2: TMG1 ambiguous among B, C, nothing
  // resolved: clonotype 8 stands for B|C. Clonotype 7 proven again in F2 gains B and C.
  screen::Construct tmg1;
  tmg1.id = "TMG1";
  tmg1.neoantigens = {"A", "B", "C"};
  tmg1.sequences = {"a", "b", "c"};
  screen::Deconvolution d;
  d.neoantigen_calls = {call("F1", "A", screen::ReactivityStatus::kReactive)};
  d.positives = {positive("F1", "TMG1", screen::Resolution::kAmbiguous, {"A", "B", "C"}, {screen::Compartment::kCd8}),
                 positive("F2", "TMG1", screen::Resolution::kAmbiguous, {"B", "C"},
                          {screen::Compartment::kCd4, screen::Compartment::kUnknown})};
  auto result = [](std::string f, std::vector<std::uint64_t> reactive_keys) {
    screen::EnrichmentResult r;
    r.fragment_id = std::move(f);
    r.construct = "TMG1";
    for (std::uint64_t k : reactive_keys) {
      screen::ClonotypeEnrichment e;
      e.key = k;
      e.reactive = true;
      e.q = 0.001;
      r.clonotypes.push_back(e);
    }
    screen::ClonotypeEnrichment idle;
    idle.key = 9;
    r.clonotypes.push_back(idle);
    return r;
  };
  std::vector<Tcr> tcrs(10);
  tcrs[7].cdr3b = "CASSSEVENF";
  tcrs[8].cdr3b = "CASSEIGHTF";
  const auto r = reactive_clonotypes({result("F1", {7}), result("F2", {8, 7})}, {&tmg1, &tmg1},
                                     [&tcrs](std::uint64_t key) { return tcrs.at(key); }, d, index_of({"A", "B", "C"}));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].clonotype.id, "R1");
  EXPECT_EQ(r[0].tcr.cdr3b, "CASSSEVENF");
  EXPECT_EQ(r[0].clonotype.neoantigens, (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(r[0].proofs, 2);
  EXPECT_EQ(r[0].clonotype.compartment, screen::Compartment::kUnknown);  // CD8 in F1, CD4 in F2
  EXPECT_EQ(r[0].clonotype.fragment_id, "F1");
  EXPECT_EQ(r[1].clonotype.neoantigens, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(r[1].clonotype.compartment, screen::Compartment::kCd4);
}

ReactiveClonotype reactive_in(std::string id, std::string fragment, std::vector<std::uint32_t> neoantigens) {
  ReactiveClonotype r;
  r.id = std::move(id);
  r.fragment_id = std::move(fragment);
  r.construct = "TMG1";
  r.neoantigens = std::move(neoantigens);
  return r;
}

TEST(ProductCandidates, EachAmbiguousConstructIsAGroupOfItsOwnAndEachClonotypeOneSharedGroup) {
  const auto table = fragments({"F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8"});
  // R1 proven in F1 against TMG1, ambiguous among 1, 2, 3; R2 bound to 6 alone; R3 bound to 1, 2, 3 as well.
  const std::vector<ReactiveClonotype> reactive = {reactive_in("R1", "F1", {1, 2, 3}), reactive_in("R2", "F3", {6}),
                                                   reactive_in("R3", "F9", {1, 2, 3})};
  std::vector<MeasuredReactivity> m(8);
  std::vector<TrackedReactivity> t(8);
  m[0].ambiguous = {{1, 2, 3}};  // F1: the construct that proved R1 (R1 absent from F1's bulk repertoire)
  m[1].ambiguous = {{3, 2, 1}};  // F2: the same TMG ambiguous, and F2 carries R1 and R3: R1 explains all
  t[1].unresolved = {{1, 2, 3}};
  t[1].unresolved_reactive = {0, 2};
  m[2].ambiguous = {{1, 2, 3}};  // F3: the same TMG, no R1: a reactivity of its own
  m[3].reactive = {0};           // F4: 0 resolved explains {0, 5}; {4, 5} narrows {4, 5, 7}
  m[3].ambiguous = {{0, 5}, {4, 5, 7}, {4, 5}};
  t[4].neoantigens = {6};        // F5: tracked to 6 through R2, CD4
  t[4].cd4_frequency = 0.02;
  m[5].ambiguous = {{7, 8, 9}, {9, 10}, {11, 12}};  // F6: a TMG and a pool sharing 9 (one reactivity); a TMG
  m[6].ambiguous = {{3, 11}};    // F7: carries R1, and a construct sharing 3 with R1's binding
  t[6].unresolved_reactive = {0};
  std::vector<screen::ProductGroup> groups;
  std::vector<ProductGroupSource> sources;
  std::vector<double> weights;
  const auto c = product_candidates(table, m, t, reactive, groups, sources, weights, 0.5);
  ASSERT_EQ(c.size(), 7u);  // F8 offers nothing
  EXPECT_EQ(weights, std::vector<double>(5, 1.0));  // no assay counts given: every group confirmed
  ASSERT_EQ(groups.size(), 5u);
  EXPECT_EQ(groups[0], (screen::ProductGroup{1, 2, 3}));  // R1's, shared by F1, F2 and F7
  EXPECT_EQ(groups[1], (screen::ProductGroup{1, 2, 3}));  // F3's own
  EXPECT_EQ(groups[2], (screen::ProductGroup{4, 5}));
  EXPECT_EQ(groups[3], (screen::ProductGroup{9, 10}));    // the pool's, narrower than the TMG's
  EXPECT_EQ(groups[4], (screen::ProductGroup{11, 12}));
  ASSERT_EQ(sources.size(), 5u);
  EXPECT_EQ(sources[0].id, "R1");
  EXPECT_TRUE(sources[0].clonotype);
  EXPECT_EQ(sources[1].id, "F3");
  EXPECT_FALSE(sources[1].clonotype);
  EXPECT_EQ(sources[2].id, "F4");
  EXPECT_EQ(c[0].fragment_id, "F1");
  EXPECT_EQ(c[0].groups, std::vector<std::uint32_t>{0});
  EXPECT_EQ(c[1].groups, std::vector<std::uint32_t>{0});
  EXPECT_EQ(c[2].groups, std::vector<std::uint32_t>{1});
  EXPECT_TRUE(c[2].resolved.empty());
  EXPECT_EQ(c[3].resolved, std::vector<std::uint32_t>{0});
  EXPECT_EQ(c[3].groups, std::vector<std::uint32_t>{2});
  EXPECT_EQ(c[4].resolved, std::vector<std::uint32_t>{6});
  EXPECT_TRUE(c[4].groups.empty());
  EXPECT_DOUBLE_EQ(c[4].cd4_frequency, 0.02);
  EXPECT_EQ(c[5].groups, (std::vector<std::uint32_t>{3, 4}));
  EXPECT_EQ(c[6].fragment_id, "F7");
  EXPECT_EQ(c[6].groups, std::vector<std::uint32_t>{0});
  // F1 + F2: one reactivity among 3; F1 + F3: two independent draws, 3 (1 - (2/3)^2) = 5/3.
  const auto e = [&](std::vector<std::uint32_t> set) {
    return screen::evaluate_product(c, groups, std::move(set)).expected_neoantigens;
  };
  EXPECT_DOUBLE_EQ(e({0, 1}), 1.0);
  EXPECT_NEAR(e({0, 2}), 5.0 / 3.0, 1e-15);
  EXPECT_DOUBLE_EQ(e({5}), 2.0);
  EXPECT_DOUBLE_EQ(e({6}), 1.0);  // F7: R1's reactivity only
}

TEST(ProductCandidates, AConstructReadInOneAssayOnlyWeighsLessUnlessASecondConstructJoinsIt) {
  const auto table = fragments({"F1", "F2", "F3", "F4"});
  std::vector<MeasuredReactivity> m(4);
  m[0].ambiguous = {{1, 2}};  // F1: one construct, one assay (a false call looks like this)
  m[0].ambiguous_assays = {1};
  m[1].ambiguous = {{3, 4}, {4, 5}};  // F2: two constructs sharing 4, each read in one assay: one reactivity
  m[1].ambiguous_assays = {1, 1};
  m[2].ambiguous = {{6, 7}};  // F3: read positive in two assays
  m[2].ambiguous_assays = {2};
  m[3].reactive = {8};  // F4: a resolved neoantigen
  std::vector<screen::ProductGroup> groups;
  std::vector<ProductGroupSource> sources;
  std::vector<double> weights;
  const auto c = product_candidates(table, m, std::vector<TrackedReactivity>(4), {}, groups, sources, weights, 0.5);
  ASSERT_EQ(c.size(), 4u);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(weights, (std::vector<double>{0.5, 1.0, 1.0}));
  EXPECT_FALSE(sources[0].confirmed);
  EXPECT_TRUE(sources[1].confirmed);
  EXPECT_EQ(groups[1], (screen::ProductGroup{3, 4}));
  const auto e = [&](std::vector<std::uint32_t> set) {
    return screen::evaluate_product(c, groups, std::move(set), weights).expected_neoantigens;
  };
  EXPECT_DOUBLE_EQ(e({0}), 0.5);  // 2 x (0.5 / 2)
  EXPECT_DOUBLE_EQ(e({1}), 1.0);
  EXPECT_DOUBLE_EQ(e({2}), 1.0);
  EXPECT_DOUBLE_EQ(e({3}), 1.0);
  // One culture: a group read in two constructs beats a lone single-assay positive that ties it unweighted.
  const auto pick = [&](std::span<const double> w) {
    const std::vector<screen::ProductCandidate> two = {c[0], c[1]};
    return two[screen::choose_product(two, groups, {1, 0}, w).chosen.fragments.at(0)].fragment_id;
  };
  EXPECT_EQ(pick(weights), "F2");
  EXPECT_EQ(pick({}), "F1");  // unweighted the tie goes to the smaller id
}

TEST(ProductCandidates, CulturesWithNothingAreLeftOut) {
  std::vector<screen::ProductGroup> groups;
  std::vector<ProductGroupSource> sources;
  std::vector<double> weights;
  EXPECT_TRUE(product_candidates(fragments({"F1"}), std::vector<MeasuredReactivity>(1),
                                 std::vector<TrackedReactivity>(1), {}, groups, sources, weights, 0.5)
                  .empty());
  EXPECT_TRUE(groups.empty());
}

TEST(TrackedFragmentsAndFailedControls, IdenticalClonotypesOnlyAndAssaysPerCulture) {
  const auto table = fragments({"F1", "F2", "F3"});
  std::vector<TrackedReactivity> t(3);
  t[0].frequency = 0.01;
  t[1].neighbor_frequency = 0.5;  // neighbours alone: not proposed
  t[2].frequency = 0.2;
  screen::Readout r;
  r.fragment_id = "F3";
  const auto tf = tracked_fragments(table, t, {r});
  ASSERT_EQ(tf.size(), 2u);
  EXPECT_EQ(tf[0].fragment_id, "F1");
  EXPECT_FALSE(tf[0].screened);
  EXPECT_TRUE(tf[1].screened);
  std::vector<screen::Call> calls(3);
  calls[0] = {};
  calls[0].fragment_id = "F1";
  calls[0].assay = "elispot_ifng";
  calls[0].positive_control = screen::PositiveControlStatus::kFailed;
  calls[1] = calls[0];
  calls[1].assay = "cd137_cd8";
  calls[2].fragment_id = "F2";
  calls[2].positive_control = screen::PositiveControlStatus::kPassed;
  const auto f = failed_controls(calls);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].fragment_id, "F1");
  EXPECT_EQ(f[0].assays, (std::vector<std::string>{"cd137_cd8", "elispot_ifng"}));
}

}  // namespace
}  // namespace tilmatch::rank
