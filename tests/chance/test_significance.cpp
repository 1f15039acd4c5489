// Tail probabilities and per-culture significance against values computed independently by
// tests/chance/make_reference_values.py (scipy 1.17.1; the Poisson-binomial's far tail in exact
// rational arithmetic, since scipy's sf = 1 - cdf loses it). Tolerance: 1e-9 relative, far below
// anything a q-value threshold could notice and above the ~1e-12 the continued fractions reach.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "chance/significance.hpp"

namespace tc = tilmatch::chance;

namespace {

constexpr double kRelTol = 1e-9;

void expect_rel(double got, double want) {
  if (want == 0) {
    EXPECT_EQ(got, 0.0);
    return;
  }
  EXPECT_NEAR(got / want, 1.0, kRelTol) << "got " << got << ", want " << want;
}

TEST(ChanceTails, PoissonUpperTailMatchesScipy) {
  struct Case { std::int64_t k; double lambda, sf; };
  const Case cases[] = {
      {1, 0.5, 0.39346934028736652},          {3, 0.5, 0.014387677966970684},
      {10, 2, 4.6498075017263859e-05},        {50, 10, 1.8547268838698457e-19},
      {5, 20, 0.9999830552560699},            {100, 100, 0.5132987982791487},
      {150, 100, 1.8842104660386844e-06},     {1000, 900, 0.0005499022657117818},
      {1, 9.9999999999999995e-07, 9.9999950000016797e-07}, {30, 3, 4.2770477214269347e-20},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::Message() << "k=" << c.k << " lambda=" << c.lambda);
    expect_rel(tc::poisson_upper_tail(c.k, c.lambda), c.sf);
  }
  EXPECT_EQ(tc::poisson_upper_tail(0, 3.0), 1.0);
  EXPECT_EQ(tc::poisson_upper_tail(-2, 3.0), 1.0);
  EXPECT_EQ(tc::poisson_upper_tail(1, 0.0), 0.0);
  EXPECT_THROW(tc::poisson_upper_tail(1, -1.0), std::invalid_argument);
}

TEST(ChanceTails, BinomialUpperTailMatchesScipy) {
  struct Case { std::int64_t k, n; double p, sf; };
  const Case cases[] = {
      {1, 10, 0.1, 0.65132155990000007},            {5, 10, 0.1, 0.0016349374000000003},
      {10, 10, 0.1, 1.0000000000000006e-10},        {3, 20000, 5e-05, 0.080296798367607156},
      {10, 20000, 5e-05, 1.1122286880532437e-07},   {40, 100000, 2e-04, 5.3096554796254687e-05},
      {15, 100000, 2e-04, 0.8951589620638063},      {500, 1000, 0.5, 0.51261250908918021},
      {2, 3, 0.999, 0.99999700199999997},           {120, 100000, 0.001, 0.028167005850853494},
      {60, 20000, 0.001, 4.0692065622341851e-13},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::Message() << "k=" << c.k << " n=" << c.n << " p=" << c.p);
    expect_rel(tc::binomial_upper_tail(c.k, c.n, c.p), c.sf);
  }
  EXPECT_EQ(tc::binomial_upper_tail(0, 5, 0.3), 1.0);
  EXPECT_EQ(tc::binomial_upper_tail(6, 5, 0.3), 0.0);
  EXPECT_EQ(tc::binomial_upper_tail(1, 5, 0.0), 0.0);
  EXPECT_EQ(tc::binomial_upper_tail(5, 5, 1.0), 1.0);
  EXPECT_EQ(tc::binomial_upper_tail(1, 0, 0.5), 0.0);
  EXPECT_THROW(tc::binomial_upper_tail(1, 5, 1.5), std::invalid_argument);
  EXPECT_THROW(tc::binomial_upper_tail(1, -1, 0.5), std::invalid_argument);
}

TEST(ChanceTails, PoissonBinomialUpperTailMatchesExactValues) {
  const std::vector<double> ps = {0.1, 0.5, 0.02, 0.9, 0.3, 0.001, 0.25, 0.6};
  const double exact[] = {1, 0.99074826100000002, 0.87607827549999995, 0.55659618700000002,
                          0.20670891750000001, 0.038112414999999997, 0.0027127664999999999,
                          4.3136999999999997e-05, 4.0499999999999999e-08, 0};
  for (int k = 0; k < 10; ++k) {
    SCOPED_TRACE(testing::Message() << "k=" << k);
    expect_rel(tc::poisson_binomial_upper_tail(k, ps), exact[k]);
  }
  std::vector<double> small;
  for (int i = 0; i < 200; ++i) small.push_back(1e-3 * (1 + i % 7));
  expect_rel(tc::poisson_binomial_upper_tail(1, small), 0.54886217326543896);
  expect_rel(tc::poisson_binomial_upper_tail(3, small), 0.04613459907748111);
  expect_rel(tc::poisson_binomial_upper_tail(8, small), 1.6798505781149869e-06);
  expect_rel(tc::poisson_binomial_upper_tail(15, small), 6.231600169137176e-15);
  EXPECT_EQ(tc::poisson_binomial_upper_tail(1, std::vector<double>{}), 0.0);
  EXPECT_THROW(tc::poisson_binomial_upper_tail(1, std::vector<double>{0.5, -0.1}), std::invalid_argument);
}

TEST(ChanceTails, PoissonBinomialWithEqualProbabilitiesIsBinomial) {
  const std::vector<double> ps(300, 0.013);
  for (int k : {1, 2, 4, 9, 20}) expect_rel(tc::poisson_binomial_upper_tail(k, ps), tc::binomial_upper_tail(k, 300, 0.013));
}

TEST(CultureSignificance, BinomialPValuesAndBenjaminiHochbergMatchScipy) {
  const std::vector<std::int64_t> n = {20000, 50000, 100000, 20000};
  const std::vector<std::int64_t> observed = {3, 25, 18, 9};
  const auto got = tc::culture_significance(n, observed, 2e-4);
  ASSERT_EQ(got.size(), 4u);
  const double p[] = {0.76192600191090221, 4.6847021570676696e-05, 0.7029943909670211, 0.021351526614188186};
  const double q[] = {0.76192600191090221, 0.00018738808628270678, 0.76192600191090221, 0.042703053228376371};
  for (std::size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(testing::Message() << "culture " << i);
    EXPECT_EQ(got[i].clonotypes, n[i]);
    EXPECT_EQ(got[i].observed, observed[i]);
    EXPECT_DOUBLE_EQ(got[i].expected, static_cast<double>(n[i]) * 2e-4);
    expect_rel(got[i].p, p[i]);
    expect_rel(got[i].q, q[i]);
  }
  // The significant ones at the documented FDR: cultures 1 and 3.
  EXPECT_LT(got[1].q, tc::kChanceFdr);
  EXPECT_LT(got[3].q, tc::kChanceFdr);
  EXPECT_GT(got[0].q, tc::kChanceFdr);
}

TEST(CultureSignificance, RejectsInconsistentInput) {
  EXPECT_THROW(tc::culture_significance(std::vector<std::int64_t>{10}, std::vector<std::int64_t>{}, 0.1),
               std::invalid_argument);
  EXPECT_THROW(tc::culture_significance(std::vector<std::int64_t>{10}, std::vector<std::int64_t>{11}, 0.1),
               std::invalid_argument);
  EXPECT_TRUE(tc::culture_significance(std::vector<std::int64_t>{}, std::vector<std::int64_t>{}, 0.1).empty());
}

}  // namespace

namespace {

// Monte Carlo p-values are checked against exact ones to 4 standard errors of the estimate
// (sqrt(p (1 - p) / draws)): a correct sampler fails this about once in 16,000 runs, and the
// seeds are fixed, so a pass stays a pass.
void expect_mc(double got, double exact, std::uint64_t draws) {
  const double se = std::sqrt(exact * (1 - exact) / static_cast<double>(draws));
  EXPECT_NEAR(got, exact, 4 * se + 1.0 / static_cast<double>(draws)) << "exact " << exact;
}

TEST(WeightedHits, EqualFrequenciesGiveTheBinomialTail) {
  const std::vector<double> f(3000, 1.0 / 3000);
  const double q = 3e-4;
  for (std::int64_t k : {1, 2, 3, 5}) {
    SCOPED_TRACE(testing::Message() << "k=" << k);
    expect_mc(tc::weighted_hits_p(f, static_cast<double>(k) / 3000, q, 20000, 11), tc::binomial_upper_tail(k, 3000, q),
              20000);
  }
}

TEST(WeightedHits, SeesExpansion) {
  // Two clonotypes at 0.9 and 0.1, q = 1/2: s* is 0, 0.1, 0.9 or 1, each with probability 1/4.
  const std::vector<double> f = {0.9, 0.1};
  expect_mc(tc::weighted_hits_p(f, 0.9, 0.5, 20000, 3), 0.5, 20000);
  expect_mc(tc::weighted_hits_p(f, 0.1, 0.5, 20000, 3), 0.75, 20000);
  expect_mc(tc::weighted_hits_p(f, 1.0, 0.5, 20000, 3), 0.25, 20000);
  // One hit on a clone of 5% among 1,000 clonotypes (one at 5%, the rest equal), q = 10^-3: by
  // chance only when that clone is hit (~10^-3) or 53 others are; a typical clonotype's hit is
  // matched whenever K >= 1 (1 - 0.999^1000 = 0.63).
  std::vector<double> g(1000, 0.95 / 999);
  g[17] = 0.05;
  const double p_big = tc::weighted_hits_p(g, 0.05, 1e-3, 20000, 5);
  const double p_small = tc::weighted_hits_p(g, 0.95 / 999, 1e-3, 20000, 5);
  EXPECT_LT(p_big, 0.01);
  EXPECT_GT(p_small, 0.5);
}

TEST(WeightedHits, SameSeedSameP) {
  std::vector<double> f(500);
  for (std::size_t i = 0; i < f.size(); ++i) f[i] = (1.0 + static_cast<double>(i % 13)) / 3500.0;
  const double a = tc::weighted_hits_p(f, 0.004, 2e-3, 5000, 99);
  EXPECT_EQ(a, tc::weighted_hits_p(f, 0.004, 2e-3, 5000, 99));
  EXPECT_GE(a, 1.0 / 5001);
  EXPECT_LE(a, 1.0);
  EXPECT_THROW(tc::weighted_hits_p(f, 0.1, 1.5, 10, 1), std::invalid_argument);
  EXPECT_THROW(tc::weighted_hits_p(f, 0.1, 0.5, 0, 1), std::invalid_argument);
}

TEST(WeightedHits, CultureWithoutHitsHasPOne) {
  const std::vector<std::vector<double>> f = {std::vector<double>(100, 0.01), std::vector<double>(50, 0.02)};
  const auto got = tc::culture_significance_weighted(f, std::vector<double>{0.0, 0.5}, std::vector<std::int64_t>{0, 25},
                                                     0.01, 2000, 1);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].p, 1.0);
  EXPECT_EQ(got[1].p, 1.0 / 2001);  // 25 hits of 50 at q = 0.01: never by chance in 2,000 draws
  EXPECT_DOUBLE_EQ(got[1].observed_frequency, 0.5);
  EXPECT_DOUBLE_EQ(got[1].expected, 0.5);
}

}  // namespace
