// The screen's results as ranking inputs: measured reactivity, reactive clonotypes bound to
// neoantigens, product candidates counted in reactivities.

#include <gtest/gtest.h>

#include "rank/screen_summary.hpp"

namespace tilmatch::rank {
namespace {

IdIndex index_of(const std::vector<std::string>& ids) {
  IdIndex out;
  for (std::uint32_t i = 0; i < ids.size(); ++i) out.emplace(ids[i], i);
  return out;
}

io::ClonotypeTable fragments(const std::vector<std::string>& ids) {
  io::ClonotypeTable t;
  for (const auto& id : ids) {
    io::FragmentSummary s;
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
  d.calls = {{"F2", "TMG1", screen::ConstructResult::kNegative, {}, {}, {}, {}}};
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
  const auto r = reactive_clonotypes({result("F1", {7}), result("F2", {8, 7})}, {&tmg1, &tmg1}, tcrs, d,
                                     index_of({"A", "B", "C"}));
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

TEST(ProductCandidates, OverlappingUnresolvedGroupsCountOnceAndExplainedGroupsNotAtAll) {
  const auto table = fragments({"F1", "F2", "F3", "F4"});
  std::vector<MeasuredReactivity> m(4);
  std::vector<TrackedReactivity> t(4);
  m[0].ambiguous = {{1, 2, 3}};        // F1: TMG ambiguous among 1, 2, 3
  m[1].ambiguous = {{2, 3}};           // F2: the same TMG, 1 cleared there: overlaps F1's group
  t[1].unresolved = {{3, 4}};          // ... and a tracked clonotype bound to 3|4: same component
  m[2].reactive = {0};                 // F3: 0 resolved; its group {0, 5} is explained by it
  m[2].ambiguous = {{0, 5}};
  t[3].neoantigens = {6};              // F4: tracked to 6, CD4 frequency
  t[3].cd4_frequency = 0.02;
  std::vector<std::vector<std::uint32_t>> units;
  const auto c = product_candidates(table, m, t, 7, units);
  ASSERT_EQ(c.size(), 4u);
  ASSERT_EQ(c[0].neoantigens.size(), 1u);
  EXPECT_EQ(c[0].neoantigens, c[1].neoantigens);  // one reactivity, however many groups show it
  EXPECT_EQ(units[c[0].neoantigens[0]], (std::vector<std::uint32_t>{1, 2, 3, 4}));
  ASSERT_EQ(c[2].neoantigens.size(), 1u);
  EXPECT_EQ(units[c[2].neoantigens[0]], (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(units[c[3].neoantigens[0]], (std::vector<std::uint32_t>{6}));
  EXPECT_DOUBLE_EQ(c[3].cd4_frequency, 0.02);
}

TEST(ProductCandidates, CulturesWithNothingAreLeftOut) {
  std::vector<std::vector<std::uint32_t>> units;
  EXPECT_TRUE(product_candidates(fragments({"F1"}), std::vector<MeasuredReactivity>(1),
                                 std::vector<TrackedReactivity>(1), 3, units)
                  .empty());
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
