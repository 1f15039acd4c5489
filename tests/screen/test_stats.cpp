// Fisher's exact test, odds ratios, BH and DFR against values computed independently by
// tests/screen/make_reference_values.py (scipy 1.17; mpmath at 50 digits where scipy's own
// hypergeometric code is only good to ~1e-9, i.e. at totals of 1e6-1e7 reads).

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "screen/stats.hpp"

namespace ts = tilmatch::screen;
using ts::Alternative;
using ts::DfrNull;
using ts::Table2x2;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Relative agreement; infinities and NaNs must match exactly.
::testing::AssertionResult near_rel(double actual, double expected, double rtol) {
  if (std::isnan(expected) || std::isinf(expected)) {
    if ((std::isnan(expected) && std::isnan(actual)) || actual == expected) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << actual << " != " << expected;
  }
  const double err = std::fabs(actual - expected);
  if (err <= rtol * std::fabs(expected)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "actual " << actual << " expected " << expected << " relative error "
                                       << err / std::fabs(expected) << " > " << rtol;
}

struct FisherCase {
  Table2x2 t;
  double greater, less, two_sided, conditional_or, sample_or;
};

}  // namespace

// scipy computes these small tables exactly (to double rounding): 1e-12 relative.
TEST(FisherExact, SmallTablesMatchScipy) {
  const std::vector<FisherCase> cases = {
      {{3, 1, 1, 3}, 0.24285714285714283, 0.9857142857142858, 0.48571428571428565, 6.408319658199662, 9.0},
      {{8, 2, 1, 5}, 0.024475524475524483, 0.9991258741258742, 0.034965034965034975, 15.465819716921013, 20.0},
      {{0, 5, 3, 4}, 1.0, 0.15909090909090912, 0.20454545454545459, 0.0, 0.0},
      {{5, 0, 3, 4}, 0.0707070707070707, 1.0, 0.0808080808080808, kInf, kInf},
      {{0, 3, 4, 0}, 1.0, 0.028571428571428567, 0.028571428571428567, 0.0, 0.0},
      {{0, 0, 3, 4}, 1.0, 1.0, 1.0, kNaN, kNaN},
      {{0, 5, 0, 4}, 1.0, 1.0, 1.0, kNaN, kNaN},
      {{1, 4, 4, 1}, 0.996031746031746, 0.1031746031746032, 0.2063492063492064, 0.09168148703693017, 0.0625},
      {{5, 5, 5, 5}, 0.6718591006516703, 0.6718591006516703, 1.0, 1.0, 1.0},
      {{2, 7, 8, 2}, 0.9990149169715733, 0.01852172595206651, 0.02301413756522116, 0.0858523999512399,
       0.07142857142857142},
      {{7, 12, 0, 15}, 0.009366467792496712, 1.0, 0.010562649824820209, kInf, kInf},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::Message() << c.t.a << " " << c.t.b << " " << c.t.c << " " << c.t.d);
    EXPECT_TRUE(near_rel(ts::fisher_exact(c.t, Alternative::kGreater), c.greater, 1e-12));
    EXPECT_TRUE(near_rel(ts::fisher_exact(c.t, Alternative::kLess), c.less, 1e-12));
    EXPECT_TRUE(near_rel(ts::fisher_exact(c.t, Alternative::kTwoSided), c.two_sided, 1e-12));
    EXPECT_TRUE(near_rel(ts::conditional_odds_ratio(c.t), c.conditional_or, 1e-10));
    EXPECT_TRUE(near_rel(ts::sample_odds_ratio(c.t), c.sample_or, 1e-15));
  }
}

// Totals of 1e6-1e7 reads. One-sided p and the conditional OR against mpmath (50 digits) at 1e-12
// relative; scipy agrees only to ~1e-8 there (its values are checked at 1e-8), two-sided from scipy.
TEST(FisherExact, LargeMarginsMatchHighPrecision) {
  struct Large {
    Table2x2 t;
    double greater, less, two_sided_scipy, conditional_or, greater_scipy, conditional_or_scipy;
  };
  const std::vector<Large> cases = {
      {{12, 1, 9'999'988, 9'999'999}, 0.0017089796142615021, 0.99987793016357359, 0.0034179592366112674,
       12.000012184629054, 0.0017089796183056337, 12.000012256523446},
      {{30, 2, 999'970, 1'199'998}, 8.3089492576754325e-9, 0.99999999956562376, 1.2077657274611885e-08,
       18.000494076912186, 8.30894925853344e-09, 18.000494056657985},
      {{42, 43, 310'542, 471'909}, 0.043628639045068676, 0.97305092598352531, 0.0758409966618463,
       1.4842891873692239, 0.043628639039040684, 1.4842891873876547},
      {{498, 623, 8'703'349, 4'290'931}, 1.0, 3.5474929329953539e-54, 4.579648162941564e-54, 0.3941000248599547,
       1.0, 0.3941000245686063},
      {{1635, 659, 4'581'531, 7'905'444}, 1.2434345717110637e-247, 1.0, 1.7318328983881382e-247,
       4.2810266141264595, 1.243434569373769e-247, 4.281026611925993},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::Message() << c.t.a << " " << c.t.b << " " << c.t.c << " " << c.t.d);
    EXPECT_TRUE(near_rel(ts::fisher_exact(c.t, Alternative::kGreater), c.greater, 1e-12));
    EXPECT_TRUE(near_rel(ts::fisher_exact(c.t, Alternative::kLess), c.less, 1e-12));
    EXPECT_TRUE(near_rel(ts::conditional_odds_ratio(c.t), c.conditional_or, 1e-12));
    EXPECT_TRUE(near_rel(ts::fisher_exact(c.t, Alternative::kTwoSided), c.two_sided_scipy, 1e-8));
    EXPECT_TRUE(near_rel(ts::fisher_exact(c.t, Alternative::kGreater), c.greater_scipy, 1e-8));
    EXPECT_TRUE(near_rel(ts::conditional_odds_ratio(c.t), c.conditional_or_scipy, 1e-8));
  }
}

TEST(FisherExact, TwoSidedCountsTablesTiedWithTheObserved) {
  // Margins symmetric under a <-> 5 - a: P(a = 1) = P(a = 4), so the two-sided p is twice the tail.
  const Table2x2 t{1, 4, 4, 1};
  EXPECT_TRUE(near_rel(ts::fisher_exact(t, Alternative::kTwoSided), 2 * ts::fisher_exact(t, Alternative::kLess),
                       1e-14));
  // The observed table at the mode is as probable as any: p = 1.
  EXPECT_EQ(ts::fisher_exact({5, 5, 5, 5}, Alternative::kTwoSided), 1.0);
}

TEST(FisherExact, HypergeometricLawSumsToOne) {
  for (const auto& [white, black, draws] : std::vector<std::array<std::int64_t, 3>>{
           {5, 7, 6}, {40, 3, 10}, {1000, 1'000'000, 900}, {0, 10, 4}}) {
    double sum = 0;
    for (std::int64_t x = 0; x <= draws; ++x) sum += std::exp(ts::hypergeometric_log_pmf(x, white, black, draws));
    EXPECT_TRUE(near_rel(sum, 1.0, 1e-12)) << white << " " << black << " " << draws;
  }
  EXPECT_EQ(ts::hypergeometric_log_pmf(-1, 5, 5, 5), -kInf);
  EXPECT_THROW(ts::hypergeometric_log_pmf(0, 5, 5, 11), std::invalid_argument);
}

TEST(FisherExact, RejectsNegativeCounts) {
  EXPECT_THROW(ts::fisher_exact({-1, 2, 3, 4}, Alternative::kGreater), std::invalid_argument);
  EXPECT_THROW(ts::conditional_odds_ratio({1, 2, -3, 4}), std::invalid_argument);
  EXPECT_THROW(ts::sample_odds_ratio({1, 2, 3, -4}), std::invalid_argument);
}

TEST(OddsRatio, ConditionalMleSolvesTheMeanEquation) {
  // R's fisher.test prints 6.408309 for the tea-tasting table: uniroot's default tolerance
  // (~1.2e-4) stops it early; the root of the mean equation is scipy's 6.408319658199662.
  EXPECT_TRUE(near_rel(ts::conditional_odds_ratio({3, 1, 1, 3}), 6.408319658199662, 1e-10));
  EXPECT_FALSE(near_rel(ts::conditional_odds_ratio({3, 1, 1, 3}), 6.408309, 1e-7));
}

TEST(BenjaminiHochberg, MatchesScipyWithTiesInAnyOrder) {
  struct Case {
    std::vector<double> p, q;
  };
  const std::vector<Case> cases = {
      {{0.01, 0.02, 0.02, 0.5, 0.04}, {0.03333333333333333, 0.03333333333333333, 0.03333333333333333, 0.5, 0.05}},
      {{0.9, 0.001, 0.03, 0.03, 0.03, 0.2, 1.0, 0.0}, {1.0, 0.004, 0.048, 0.048, 0.048, 0.26666666666666666, 1.0, 0.0}},
      {{0.2}, {0.2}},
      {{0.04, 0.01, 0.03}, {0.04, 0.03, 0.04}},
  };
  for (const auto& c : cases) {
    const auto q = ts::benjamini_hochberg(c.p);
    ASSERT_EQ(q.size(), c.q.size());
    for (std::size_t i = 0; i < q.size(); ++i) EXPECT_TRUE(near_rel(q[i], c.q[i], 1e-15)) << i;
    // Reversed input gives the reversed q-values.
    std::vector<double> rev(c.p.rbegin(), c.p.rend());
    const auto qr = ts::benjamini_hochberg(rev);
    for (std::size_t i = 0; i < q.size(); ++i) EXPECT_EQ(qr[q.size() - 1 - i], q[i]);
  }
  EXPECT_TRUE(ts::benjamini_hochberg({}).empty());
}

TEST(BenjaminiHochberg, NanIsAbsentAndOutOfRangeThrows) {
  // NaN gets NaN and leaves m = 2: q equals BH of {0.01, 0.04} = {0.02, 0.04}.
  const auto q = ts::benjamini_hochberg(std::vector<double>{0.01, kNaN, 0.04});
  EXPECT_DOUBLE_EQ(q[0], 0.02);
  EXPECT_TRUE(std::isnan(q[1]));
  EXPECT_DOUBLE_EQ(q[2], 0.04);
  EXPECT_THROW(ts::benjamini_hochberg(std::vector<double>{0.1, 1.5}), std::invalid_argument);
  EXPECT_THROW(ts::benjamini_hochberg(std::vector<double>{-0.1}), std::invalid_argument);
}

TEST(Dfr, ExactPermutationMatchesScipy) {
  struct Case {
    std::vector<double> test, control;
    DfrNull null;
    double p, statistic;
  };
  const std::vector<Case> cases = {
      {{30, 35, 40}, {5, 8, 6}, DfrNull::kEqual, 0.05, 28.666666666666668},
      {{30, 35, 40}, {10, 12, 20}, DfrNull::kTwofold, 0.2, 7.0},
      {{60, 52, 71, 66, 58, 49}, {11, 9, 14, 10, 8, 12}, DfrNull::kTwofold, 0.0010822510822510823, 38.0},
      {{16, 12, 19, 14, 11, 20}, {10, 9, 12, 8, 11, 13}, DfrNull::kEqual, 0.011904761904761904, 4.833333333333334},
      {{16, 12, 19, 14, 11, 20}, {10, 9, 12, 8, 11, 13}, DfrNull::kTwofold, 0.9880952380952381, -5.666666666666666},
      {{5, 5, 5}, {5, 5, 5}, DfrNull::kEqual, 1.0, 0.0},
      {{4, 6, 6}, {6, 6, 2, 4}, DfrNull::kEqual, 0.45714285714285713, 0.833333333333333},
      {{1.25, 2.5}, {0.31, 0.4, 0.35, 0.28, 0.5}, DfrNull::kTwofold, 0.047619047619047616, 1.139},
      {{0, 0, 1}, {0, 0, 0, 0}, DfrNull::kEqual, 0.42857142857142855, 0.3333333333333333},
  };
  const ts::DfrParams params;
  for (const auto& c : cases) {
    const auto r = ts::dfr_test(c.test, c.control, c.null, params);
    EXPECT_TRUE(r.exact);
    EXPECT_TRUE(near_rel(r.p, c.p, 1e-12)) << c.test.front();
    EXPECT_TRUE(near_rel(r.statistic, c.statistic, 1e-12)) << c.test.front();
    EXPECT_EQ(r.p_adjusted, r.p);
  }
}

TEST(Dfr, OneVersusOneAndEmptyGroups) {
  // Two relabellings: the observed (9 - 3 = 6) and the swap (-6): p = 1/2 (hand count).
  const auto r = ts::dfr_test(std::vector<double>{9}, std::vector<double>{3}, DfrNull::kEqual, {});
  EXPECT_EQ(r.relabellings, 2u);
  EXPECT_DOUBLE_EQ(r.p, 0.5);
  const auto none = ts::dfr_test(std::vector<double>{9, 8}, std::vector<double>{}, DfrNull::kEqual, {});
  EXPECT_TRUE(std::isnan(none.p));
  EXPECT_TRUE(std::isnan(none.statistic));
  EXPECT_TRUE(std::isnan(ts::dfr_min_p(3, 0, {})));
}

TEST(Dfr, MinimumAttainablePValue) {
  const ts::DfrParams params;
  EXPECT_DOUBLE_EQ(ts::dfr_min_p(3, 3, params), 1.0 / 20);
  EXPECT_DOUBLE_EQ(ts::dfr_min_p(3, 6, params), 1.0 / 84);
  EXPECT_DOUBLE_EQ(ts::dfr_min_p(6, 6, params), 1.0 / 924);
  EXPECT_DOUBLE_EQ(ts::dfr_min_p(10, 12, params), 1.0 / 10000);  // C(22, 10) > 1e5: Monte Carlo
  EXPECT_EQ(ts::binomial_coefficient(22, 10), 646646u);
  EXPECT_EQ(ts::binomial_coefficient(200, 100), std::numeric_limits<std::uint64_t>::max());
}

TEST(Dfr, MonteCarloApproachesTheExactPAndIsSeeded) {
  const std::vector<double> test{22, 25, 19, 30, 27, 24, 21, 26, 28, 23};
  const std::vector<double> control{18, 20, 17, 22, 19, 21, 16, 23, 20, 18, 19, 24};
  const double exact = 0.0008814714697067638;  // scipy, all 646,646 relabellings
  ts::DfrParams params;
  params.resamples = 99'999;
  const auto r = ts::dfr_test(test, control, DfrNull::kEqual, params, 7);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.relabellings, params.resamples);
  // Binomial standard error of the estimate; 5 SE leaves ~1e-6 chance of a false failure per seed.
  const double se = std::sqrt(exact * (1 - exact) / static_cast<double>(params.resamples));
  EXPECT_NEAR(r.p, exact, 5 * se + 1.0 / static_cast<double>(params.resamples));
  // Same seed and stream: same p; the order of the wells does not matter.
  std::vector<double> shuffled = test;
  std::reverse(shuffled.begin(), shuffled.end());
  EXPECT_EQ(ts::dfr_test(shuffled, control, DfrNull::kEqual, params, 7).p, r.p);
  // Enumerating instead (limit raised) gives scipy's exact value.
  params.exact_limit = 1'000'000;
  EXPECT_TRUE(near_rel(ts::dfr_test(test, control, DfrNull::kEqual, params).p, exact, 1e-12));
}

TEST(Dfr, WestfallYoungMatchesAnIndependentImplementation) {
  const std::vector<std::vector<double>> tests{{18, 12, 16}, {13, 17, 11}, {9, 12, 10}, {13, 14, 12}, {30, 26, 35}};
  const std::vector<double> control{10, 8, 12, 9, 11, 7};
  struct Expected {
    DfrNull null;
    std::vector<double> raw, adjusted;
  };
  const std::vector<Expected> expected = {
      {DfrNull::kEqual,
       {0.023809523809523808, 0.03571428571428571, 0.3333333333333333, 0.023809523809523808, 0.011904761904761904},
       {0.023809523809523808, 0.03571428571428571, 0.3333333333333333, 0.03571428571428571, 0.011904761904761904}},
      {DfrNull::kTwofold,
       {0.9404761904761905, 0.9761904761904762, 1.0, 1.0, 0.011904761904761904},
       {0.9642857142857143, 0.9880952380952381, 1.0, 1.0, 0.011904761904761904}},
  };
  for (const auto& e : expected) {
    const auto r = ts::dfr_family(tests, control, e.null, {});
    ASSERT_EQ(r.size(), tests.size());
    for (std::size_t k = 0; k < r.size(); ++k) {
      EXPECT_TRUE(near_rel(r[k].p, e.raw[k], 1e-12)) << k;
      EXPECT_TRUE(near_rel(r[k].p_adjusted, e.adjusted[k], 1e-12)) << k;
      EXPECT_GE(r[k].p_adjusted, r[k].p);
    }
  }
  EXPECT_THROW(ts::dfr_family({{1, 2}, {1, 2, 3}}, control, DfrNull::kEqual, {}), std::invalid_argument);
}
