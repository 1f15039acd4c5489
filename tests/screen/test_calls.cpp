// call_screen on hand-made screens (every status and rule), and on a simulated screen with planted
// reactive constructs (negative-binomial ELISpot background, gamma-distributed flow background).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "screen/calls.hpp"

namespace ts = tilmatch::screen;
using ts::CallRule;
using ts::CallStatus;
using ts::Readout;

namespace {

// Appends one readout per value, replicates "1", "2", ..., numbering lines from `lines`.
void wells(std::vector<Readout>& out, const std::string& fragment, const std::string& construct,
           const std::string& assay, const std::vector<double>& values) {
  int rep = 0;
  for (const double v : values) {
    Readout r;
    r.fragment_id = fragment;
    r.construct = construct;
    r.assay = assay;
    r.replicate = std::to_string(++rep);
    r.value = v;
    r.line = static_cast<std::int64_t>(out.size()) + 2;  // line 1 is the header
    out.push_back(r);
  }
}

const ts::Call& find(const std::vector<ts::Call>& calls, const std::string& fragment, const std::string& construct,
                     const std::string& assay) {
  for (const auto& c : calls)
    if (c.fragment_id == fragment && c.construct == construct && c.assay == assay) return c;
  throw std::runtime_error("no call for " + fragment + "/" + construct + "/" + assay);
}

ts::CallParams fold_params() {
  ts::CallParams p;
  p.elispot_rule = ts::ElispotRule::kFold;
  return p;
}

}  // namespace

TEST(Calls, AssayKindsAndCompartments) {
  EXPECT_EQ(ts::assay_kind("elispot_ifng"), tilmatch::screen::AssayKind::kElispot);
  EXPECT_EQ(ts::assay_kind("cd137_cd8"), tilmatch::screen::AssayKind::kFlow);
  EXPECT_EQ(ts::assay_kind("ifng_elisa"), tilmatch::screen::AssayKind::kOther);
  EXPECT_EQ(ts::assay_compartment("cd137_cd8"), tilmatch::screen::Compartment::kCd8);
  EXPECT_EQ(ts::assay_compartment("cd137_cd4"), tilmatch::screen::Compartment::kCd4);
  EXPECT_EQ(ts::assay_compartment("ox40_cd4"), tilmatch::screen::Compartment::kCd4);
  EXPECT_EQ(ts::assay_compartment("elispot_ifng"), tilmatch::screen::Compartment::kUnknown);
}

TEST(Calls, EmpiricalElispotRule) {
  std::vector<Readout> r;
  wells(r, "F1", "negative", "elispot_ifng", {10, 12});
  wells(r, "F1", "positive", "elispot_ifng", {400, 380});
  wells(r, "F1", "TMG1", "elispot_ifng", {50, 55});   // 4.77x, 52.5 spots: positive
  wells(r, "F1", "TMG2", "elispot_ifng", {15, 18});   // 1.5x: negative
  wells(r, "F1", "TMG3", "elispot_ifng", {25, 30});   // 2.5x, 27.5 spots: positive
  wells(r, "F1", "TMG4", "elispot_ifng", {16, 18});   // 1.55x ... below
  wells(r, "F1", "TMG5", "elispot_ifng", {0, 0});     // nothing at all
  const auto calls = ts::call_screen(r, fold_params());
  ASSERT_EQ(calls.size(), 5u);
  const auto& c1 = find(calls, "F1", "TMG1", "elispot_ifng");
  EXPECT_EQ(c1.status, CallStatus::kPositive);
  EXPECT_EQ(c1.rule, CallRule::kFold);
  EXPECT_FALSE(c1.fallback);
  EXPECT_EQ(c1.n_test, 2u);
  EXPECT_EQ(c1.n_control, 2u);
  EXPECT_DOUBLE_EQ(c1.mean_test, 52.5);
  EXPECT_DOUBLE_EQ(c1.mean_control, 11);
  EXPECT_DOUBLE_EQ(c1.fold, 52.5 / 11);
  EXPECT_DOUBLE_EQ(c1.statistic, 41.5);
  EXPECT_TRUE(std::isnan(c1.p));
  EXPECT_TRUE(std::isnan(c1.q));
  EXPECT_EQ(c1.positive_control, ts::PositiveControlStatus::kPassed);
  EXPECT_EQ(c1.compartment, tilmatch::screen::Compartment::kUnknown);
  EXPECT_EQ(c1.test_lines, (std::vector<ts::ReadoutPlace>{{0, 6}, {0, 7}}));
  EXPECT_EQ(c1.control_lines, (std::vector<ts::ReadoutPlace>{{0, 2}, {0, 3}}));
  EXPECT_EQ(c1.positive_lines, (std::vector<ts::ReadoutPlace>{{0, 4}, {0, 5}}));
  EXPECT_EQ(find(calls, "F1", "TMG2", "elispot_ifng").status, CallStatus::kNegative);
  EXPECT_EQ(find(calls, "F1", "TMG3", "elispot_ifng").status, CallStatus::kPositive);
  EXPECT_EQ(find(calls, "F1", "TMG4", "elispot_ifng").status, CallStatus::kNegative);
  const auto& c5 = find(calls, "F1", "TMG5", "elispot_ifng");
  EXPECT_EQ(c5.status, CallStatus::kNegative);
  EXPECT_DOUBLE_EQ(c5.fold, 0.0);

  // Raising the spot floor above 27.5 turns TMG3 negative; TMG1 stays.
  auto strict = fold_params();
  strict.elispot_min_spots = 30;
  const auto calls2 = ts::call_screen(r, strict);
  EXPECT_EQ(find(calls2, "F1", "TMG3", "elispot_ifng").status, CallStatus::kNegative);
  EXPECT_EQ(find(calls2, "F1", "TMG1", "elispot_ifng").status, CallStatus::kPositive);
}

TEST(Calls, FlowRuleNeedsFoldAndPointsAboveBackground) {
  std::vector<Readout> r;
  wells(r, "F1", "negative", "cd137_cd8", {0.4, 0.6});
  wells(r, "F1", "TMG1", "cd137_cd8", {2.0, 2.4});  // 4.4x, +1.7 points
  wells(r, "F1", "TMG2", "cd137_cd8", {0.8, 0.9});  // 1.7x
  wells(r, "F1", "TMG3", "cd137_cd8", {1.0, 1.1});  // 2.1x, +0.55 points
  wells(r, "F2", "negative", "ox40_cd4", {0.1, 0.2});
  wells(r, "F2", "TMG1", "ox40_cd4", {0.4, 0.5});  // 3x but only +0.3 points
  const auto calls = ts::call_screen(r, {});
  const auto& c1 = find(calls, "F1", "TMG1", "cd137_cd8");
  EXPECT_EQ(c1.status, CallStatus::kPositive);
  EXPECT_EQ(c1.rule, CallRule::kFlowFold);
  EXPECT_EQ(c1.compartment, tilmatch::screen::Compartment::kCd8);
  EXPECT_EQ(c1.positive_control, ts::PositiveControlStatus::kAbsent);
  EXPECT_EQ(find(calls, "F1", "TMG2", "cd137_cd8").status, CallStatus::kNegative);
  EXPECT_EQ(find(calls, "F1", "TMG3", "cd137_cd8").status, CallStatus::kPositive);
  const auto& c4 = find(calls, "F2", "TMG1", "ox40_cd4");
  EXPECT_EQ(c4.status, CallStatus::kNegative);
  EXPECT_EQ(c4.compartment, tilmatch::screen::Compartment::kCd4);
}

TEST(Calls, NoControlFailedControlAndUncalledAssays) {
  std::vector<Readout> r;
  wells(r, "F2", "TMG1", "elispot_ifng", {300, 280});  // no negative wells for F2
  wells(r, "F3", "negative", "elispot_ifng", {10, 10});
  wells(r, "F3", "positive", "elispot_ifng", {30, 25});  // below the 50-spot floor: failed
  wells(r, "F3", "TMG1", "elispot_ifng", {100, 90});
  wells(r, "F3", "TMG2", "elispot_ifng", {10, 11});
  wells(r, "F3", "negative", "ifng_elisa", {5});
  wells(r, "F3", "TMG1", "ifng_elisa", {500});
  const auto calls = ts::call_screen(r, fold_params());
  ASSERT_EQ(calls.size(), 4u);
  const auto& nc = find(calls, "F2", "TMG1", "elispot_ifng");
  EXPECT_EQ(nc.status, CallStatus::kNoControl);
  EXPECT_EQ(nc.rule, CallRule::kNone);
  EXPECT_EQ(nc.n_control, 0u);
  EXPECT_TRUE(std::isnan(nc.mean_control));
  const auto& pos = find(calls, "F3", "TMG1", "elispot_ifng");
  EXPECT_EQ(pos.status, CallStatus::kPositive);  // positives stay positive, flagged
  EXPECT_EQ(pos.positive_control, ts::PositiveControlStatus::kFailed);
  EXPECT_EQ(find(calls, "F3", "TMG2", "elispot_ifng").status, CallStatus::kControlFailed);
  EXPECT_EQ(find(calls, "F3", "TMG1", "ifng_elisa").status, CallStatus::kNotCalled);
  // Sorted by fragment, construct, assay.
  EXPECT_EQ(calls[0].fragment_id, "F2");
  EXPECT_EQ(calls[1].assay, "elispot_ifng");
  EXPECT_EQ(calls[2].assay, "ifng_elisa");
  EXPECT_EQ(calls[3].construct, "TMG2");

  // A positive control below the negative's fold fails too, whatever its floor.
  std::vector<Readout> r2;
  wells(r2, "F4", "negative", "elispot_ifng", {60, 70});
  wells(r2, "F4", "positive", "elispot_ifng", {100, 90});  // 95 < 2 x 65
  wells(r2, "F4", "TMG1", "elispot_ifng", {60, 64});
  EXPECT_EQ(ts::call_screen(r2, fold_params()).front().status, CallStatus::kControlFailed);
}

TEST(Calls, DfrWithBenjaminiHochbergAcrossTheScreen) {
  // 6 vs 6 wells, 4 ELISpot tests: a p of 1/924 can pass (0.05 / 4 = 0.0125), so DFR(2x) is used.
  std::vector<Readout> r;
  wells(r, "F1", "negative", "elispot_ifng", {11, 9, 14, 10, 8, 12});
  wells(r, "F1", "TMG1", "elispot_ifng", {60, 52, 71, 66, 58, 49});
  wells(r, "F1", "TMG2", "elispot_ifng", {16, 12, 19, 14, 11, 20});
  wells(r, "F2", "negative", "elispot_ifng", {10, 9, 12, 8, 11, 13});
  wells(r, "F2", "TMG1", "elispot_ifng", {16, 12, 19, 14, 11, 20});
  wells(r, "F2", "TMG2", "elispot_ifng", {45, 50, 55, 47, 52, 49});
  const auto calls = ts::call_screen(r, {});
  ASSERT_EQ(calls.size(), 4u);
  std::vector<double> p;
  for (const auto& c : calls) {
    EXPECT_EQ(c.rule, CallRule::kDfr2x);
    EXPECT_FALSE(c.fallback);
    EXPECT_DOUBLE_EQ(c.min_p, 1.0 / 924);
    p.push_back(c.p);
  }
  const auto& strong = find(calls, "F1", "TMG1", "elispot_ifng");
  EXPECT_NEAR(strong.p, 0.0010822510822510823, 1e-15);  // scipy, make_reference_values.py
  EXPECT_DOUBLE_EQ(strong.statistic, 38.0);
  EXPECT_EQ(strong.status, CallStatus::kPositive);
  const auto& weak = find(calls, "F2", "TMG1", "elispot_ifng");
  EXPECT_NEAR(weak.p, 0.9880952380952381, 1e-12);  // scipy: the same wells tested 2x
  EXPECT_EQ(weak.status, CallStatus::kNegative);
  EXPECT_EQ(find(calls, "F2", "TMG2", "elispot_ifng").status, CallStatus::kPositive);
  const auto q = ts::benjamini_hochberg(p);
  for (std::size_t i = 0; i < calls.size(); ++i) EXPECT_DOUBLE_EQ(calls[i].q, q[i]);

  // DFR(eq) on the same wells: TMG1 of F2 (4.8 spots above background, p = 0.0119, scipy) passes
  // the test but not the 2x fold floor (1.46x), so it stays negative.
  ts::CallParams eq;
  eq.elispot_rule = ts::ElispotRule::kDfrEq;
  const auto eq_calls = ts::call_screen(r, eq);
  const auto& f1t2 = find(eq_calls, "F2", "TMG1", "elispot_ifng");
  EXPECT_EQ(f1t2.rule, CallRule::kDfrEq);
  EXPECT_NEAR(f1t2.p, 0.011904761904761904, 1e-15);
  EXPECT_EQ(f1t2.status, CallStatus::kNegative);
}

TEST(Calls, FewWellsFallBackToTheEmpiricalRule) {
  // 3 vs 3 wells, 2 tests: the smallest DFR p is 1/20 > 0.05 / 2, so BH could never call either.
  std::vector<Readout> r;
  wells(r, "F1", "negative", "elispot_ifng", {5, 8, 6});
  wells(r, "F1", "TMG1", "elispot_ifng", {30, 35, 40});
  wells(r, "F1", "TMG2", "elispot_ifng", {6, 7, 5});
  const auto fallback = ts::call_screen(r, {});
  ASSERT_EQ(fallback.size(), 2u);
  EXPECT_EQ(fallback[1].status, CallStatus::kNegative);
  EXPECT_TRUE(fallback[1].fallback);
  EXPECT_EQ(fallback[0].rule, CallRule::kFold);
  EXPECT_TRUE(fallback[0].fallback);
  EXPECT_DOUBLE_EQ(fallback[0].min_p, 0.05);
  EXPECT_TRUE(std::isnan(fallback[0].p));
  EXPECT_EQ(fallback[0].status, CallStatus::kPositive);

  ts::CallParams strict;
  strict.elispot_fold_fallback = false;
  const auto tested = ts::call_screen(r, strict);
  EXPECT_EQ(tested[0].rule, CallRule::kDfr2x);
  EXPECT_FALSE(tested[0].fallback);
  EXPECT_DOUBLE_EQ(tested[0].p, 0.05);  // every test well above every doubled control: 1/20
  EXPECT_DOUBLE_EQ(tested[0].q, 0.1);   // BH over the 2 tests
  EXPECT_EQ(tested[0].status, CallStatus::kNegative);
}

TEST(Calls, WestfallYoungWithinTheFragment) {
  // The family of make_reference_values.py (DFR(2x)): adjusted p in construct order C1..C5.
  std::vector<Readout> r;
  wells(r, "F1", "negative", "elispot_ifng", {10, 8, 12, 9, 11, 7});
  const std::vector<std::vector<double>> tests{{18, 12, 16}, {13, 17, 11}, {9, 12, 10}, {13, 14, 12}, {30, 26, 35}};
  const std::vector<std::string> names{"C1", "C2", "C3", "C4", "C5"};
  for (std::size_t k = 0; k < tests.size(); ++k) wells(r, "F1", names[k], "elispot_ifng", tests[k]);
  ts::CallParams params;
  params.multiplicity = ts::Multiplicity::kWestfallYoung;
  const auto calls = ts::call_screen(r, params);
  const std::vector<double> adjusted{0.9642857142857143, 0.9880952380952381, 1.0, 1.0, 0.011904761904761904};
  ASSERT_EQ(calls.size(), 5u);
  for (std::size_t k = 0; k < calls.size(); ++k) {
    EXPECT_EQ(calls[k].construct, names[k]);
    EXPECT_NEAR(calls[k].q, adjusted[k], 1e-12) << k;
  }
  EXPECT_EQ(calls[4].status, CallStatus::kPositive);
  EXPECT_EQ(calls[0].status, CallStatus::kNegative);
}

TEST(Calls, SameCallsWhateverTheReadoutOrder) {
  std::vector<Readout> r;
  wells(r, "F1", "negative", "elispot_ifng", {11, 9, 14, 10, 8, 12});
  wells(r, "F1", "TMG1", "elispot_ifng", {60, 52, 71, 66, 58, 49});
  wells(r, "F1", "positive", "elispot_ifng", {500, 480});
  wells(r, "F1", "negative", "cd137_cd4", {0.3, 0.5});
  wells(r, "F1", "TMG1", "cd137_cd4", {1.9, 2.2});
  std::vector<Readout> shuffled = r;
  std::mt19937 rng(5);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  const auto a = ts::call_screen(r, {});
  const auto b = ts::call_screen(shuffled, {});
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].construct, b[i].construct);
    EXPECT_EQ(a[i].assay, b[i].assay);
    EXPECT_EQ(a[i].status, b[i].status);
    EXPECT_TRUE((std::isnan(a[i].p) && std::isnan(b[i].p)) || a[i].p == b[i].p);
    EXPECT_EQ(a[i].test_lines, b[i].test_lines);
    EXPECT_EQ(a[i].control_lines, b[i].control_lines);
  }
}

TEST(Calls, RejectsBrokenPreconditions) {
  std::vector<Readout> r;
  wells(r, "F1", "TMG1", "elispot_ifng", {10});
  auto dup = r;
  dup.push_back(r.front());
  EXPECT_THROW(ts::call_screen(dup, {}), std::invalid_argument);
  auto negative = r;
  negative.front().value = -1;
  EXPECT_THROW(ts::call_screen(negative, {}), std::invalid_argument);
  auto nan = r;
  nan.front().value = std::nan("");
  EXPECT_THROW(ts::call_screen(nan, {}), std::invalid_argument);
  EXPECT_TRUE(ts::call_screen({}, {}).empty());
}

// A simulated screen: 12 fragments x 10 constructs, ELISpot with 6 test vs 12 negative wells
// (negative binomial, mean 10 spots, size 10) and cd137_cd8 flow with 2 test vs 4 negative wells
// (gamma, mean 0.5 %, CV 0.3). 12 (ELISpot) and 12 (flow) fragment x construct pairs are planted
// reactive at 6x background.
//
// Expected sensitivity (normal approximation of the DFR(2x) statistic): test mean 60 has variance
// 60 + 60^2/10 = 420 (/6 wells = 70); doubled controls 4 x (10 + 10) = 80 (/12 = 6.7); so
// (60 - 2 x 10) / sqrt(76.7) = 4.6 SD, against the ~2.6 SD BH asks with ~12 discoveries in 120
// tests (p <= 0.05 x 12 / 120): power ~ 0.98 per construct, and the 6x mean clears the fold and
// 20-spot floors. Flow: the fold of two means with CV 0.3 / sqrt(2) and 0.3 / sqrt(4) is below 2
// at 6x with probability < 1e-6. We assert sensitivity >= 0.8 for both (a miss of 3 of 12 at power
// 0.98 has probability ~0.2%).
// Expected false positives: BH at 5% with ~12 true discoveries allows ~0.6 false ones; a null
// ELISpot construct also needs 2x background. A null flow pair passes fold >= 2 with probability
// ~P(log-ratio > log 2) ~ 0.3% (SD of the log-ratio ~0.26). We assert a false-positive rate <= 2%
// (2 of 108) for each assay.
TEST(Calls, RecoversPlantedPositivesInASimulatedScreen) {
  constexpr std::uint32_t kSeed = 20250611;
  std::cout << "simulation seed " << kSeed << "\n";
  std::mt19937_64 rng(kSeed);
  auto nb = [&](double mean, double size) {
    std::gamma_distribution<double> g(size, mean / size);
    std::poisson_distribution<int> pois(g(rng));
    return static_cast<double>(pois(rng));
  };
  auto flow = [&](double mean) {
    std::gamma_distribution<double> g(1 / (0.3 * 0.3), mean * 0.3 * 0.3);
    return g(rng);
  };
  constexpr int kFragments = 12, kConstructs = 10;
  std::vector<Readout> r;
  std::vector<std::vector<bool>> planted_elispot(kFragments, std::vector<bool>(kConstructs, false));
  auto planted_flow = planted_elispot;
  for (int f = 0; f < kFragments; ++f) {
    planted_elispot[f][(f * 3) % kConstructs] = true;
    planted_flow[f][(f * 7 + 1) % kConstructs] = true;
  }
  for (int f = 0; f < kFragments; ++f) {
    const std::string frag = "F" + std::to_string(f + 1);
    std::vector<double> v;
    for (int i = 0; i < 12; ++i) v.push_back(nb(10, 10));
    wells(r, frag, "negative", "elispot_ifng", v);
    wells(r, frag, "positive", "elispot_ifng", {nb(400, 10), nb(400, 10)});
    v.clear();
    for (int i = 0; i < 4; ++i) v.push_back(flow(0.5));
    wells(r, frag, "negative", "cd137_cd8", v);
    for (int k = 0; k < kConstructs; ++k) {
      const std::string construct = "TMG" + std::to_string(k + 10);  // two digits: name order = k order
      v.clear();
      for (int i = 0; i < 6; ++i) v.push_back(nb(planted_elispot[f][k] ? 60 : 10, 10));
      wells(r, frag, construct, "elispot_ifng", v);
      wells(r, frag, construct, "cd137_cd8", {flow(planted_flow[f][k] ? 3 : 0.5), flow(planted_flow[f][k] ? 3 : 0.5)});
    }
  }
  const auto calls = ts::call_screen(r, {});
  ASSERT_EQ(calls.size(), static_cast<std::size_t>(2 * kFragments * kConstructs));
  int tp[2] = {0, 0}, fp[2] = {0, 0}, planted[2] = {0, 0}, nulls[2] = {0, 0};
  for (const auto& c : calls) {
    const int f = std::stoi(c.fragment_id.substr(1)) - 1;
    const int k = std::stoi(c.construct.substr(3)) - 10;
    const int a = c.assay == "elispot_ifng" ? 0 : 1;
    if (a == 0) {
      EXPECT_EQ(c.rule, CallRule::kDfr2x);  // 1/C(18, 6) = 5.4e-5 <= 0.05 / 120: DFR is used
      EXPECT_EQ(c.positive_control, ts::PositiveControlStatus::kPassed);
    }
    const bool truth = a == 0 ? planted_elispot[f][k] : planted_flow[f][k];
    const bool called = c.status == CallStatus::kPositive;
    (truth ? planted[a] : nulls[a])++;
    if (called) (truth ? tp[a] : fp[a])++;
  }
  for (int a = 0; a < 2; ++a) {
    const double sensitivity = static_cast<double>(tp[a]) / planted[a];
    const double fpr = static_cast<double>(fp[a]) / nulls[a];
    std::cout << (a == 0 ? "elispot DFR(2x)" : "cd137_cd8 flow") << ": sensitivity " << tp[a] << "/" << planted[a]
              << ", false positives " << fp[a] << "/" << nulls[a] << "\n";
    EXPECT_GE(sensitivity, 0.8);
    EXPECT_LE(fpr, 0.02);
  }
}
