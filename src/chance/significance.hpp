#pragma once
/// Per-culture significance of reference evidence against chance (docs/scoring.md, "Chance
/// model"): the upper tails of the binomial, Poisson and Poisson-binomial distributions, and the
/// test of a culture's hit count with Benjamini-Hochberg q-values across cultures.
/// Pure functions; tests/chance/make_reference_values.py computes the values the tests check.

#include <cstdint>
#include <span>
#include <vector>

namespace tilmatch::chance {

/// P(X >= k) for X ~ Poisson(lambda), lambda >= 0: the regularised lower incomplete gamma
/// function P(k, lambda) (Abramowitz & Stegun 6.5.2, 26.4.21), by its series when lambda < k + 1
/// and 1 - Q(k, lambda) by the Legendre continued fraction (Lentz's method) otherwise (Press et al.,
/// Numerical Recipes 3rd ed. 2007, section 6.2); scipy.stats.poisson.sf(k - 1, lambda).
/// 1 when k <= 0. Throws std::invalid_argument on lambda < 0 or NaN.
double poisson_upper_tail(std::int64_t k, double lambda);

/// P(X >= k) for X ~ Binomial(n, p): the regularised incomplete beta function I_p(k, n - k + 1)
/// (Abramowitz & Stegun 26.5.24), by its continued fraction (Numerical Recipes 3rd ed., section
/// 6.4); scipy.stats.binom.sf(k - 1, n, p). 1 when k <= 0, 0 when k > n.
/// Throws std::invalid_argument on n < 0 or p outside [0, 1].
double binomial_upper_tail(std::int64_t k, std::int64_t n, double p);

/// P(X >= k) for X the number of successes of independent Bernoulli trials with probabilities
/// `p` (the Poisson-binomial distribution), by the exact recursion over trials (Chen & Liu 1997,
/// Statistica Sinica 7:875; Hong 2013, Comput Stat Data Anal 59:41), truncated at k: O(|p| k).
/// scipy.stats.poisson_binom(p).sf(k - 1). Throws std::invalid_argument on a p outside [0, 1].
double poisson_binomial_upper_tail(std::int64_t k, std::span<const double> p);

/// One culture's evidence against chance.
struct CultureChance {
  std::int64_t clonotypes = 0;  ///< N, distinct clonotypes of the culture
  std::int64_t observed = 0;    ///< clonotypes within the radius of some active reference TCR
  double expected = 0;          ///< N q: what chance gives a repertoire of N unrelated clonotypes
  double p = 1;                 ///< P(X >= observed), X ~ Binomial(N, q) (or the weighted test's p)
  double observed_frequency = 0; ///< the weighted test's s (sum of hit clonotypes' frequencies)
  /// The weighted test's E[s] under its null: K ~ Binomial(N, q) hits on random clonotypes, so
  /// q times the culture's total frequency (q when its frequencies sum to 1).
  double expected_frequency = 0;
  double q = 1;                 ///< Benjamini-Hochberg q-value across the cultures tested together
};

/// Tests each culture's count of hit clonotypes against Binomial(N, q_any): each of its N distinct
/// clonotypes, if unrelated to the references, is a hit with probability q_any (chance::
/// union_probability of the active references), independently. q-values by
/// screen::benjamini_hochberg over the cultures given. `clonotypes` and `observed` are per culture,
/// same length (std::invalid_argument otherwise, or on observed outside [0, N]).
std::vector<CultureChance> culture_significance(std::span<const std::int64_t> clonotypes,
                                                std::span<const std::int64_t> observed, double q_any);

/// Monte Carlo p-value of a culture's evidenced frequency s = sum of the frequencies of its hit
/// clonotypes, under the null that each of its clonotypes (frequencies `frequencies`) is a chance
/// hit independently with probability q: draws of K ~ Binomial(N, q) hits placed on K distinct
/// clonotypes uniformly at random, p = (1 + #{s* >= s}) / (draws + 1) (Davison & Hinkley,
/// Bootstrap Methods and their Application, 1997, section 4.2.2; North, Curtis & Sham, Am J Hum
/// Genet 2002;71:439). Unlike the count test it sees expansion: a chance hit lands on a typical
/// clonotype, a reactive one is expanded. Deterministic for `seed` on every platform (mt19937_64
/// and hand-written draws). s* >= s is judged with a relative tolerance of 1e-12 (sums in
/// different orders). Throws std::invalid_argument on q outside [0, 1] or draws = 0.
double weighted_hits_p(std::span<const double> frequencies, double observed, double q, std::uint64_t draws,
                       std::uint64_t seed);

/// Draws of weighted_hits_p per culture, and its seed (written to run.json).
inline constexpr std::uint64_t kChanceDraws = 10000;
inline constexpr std::uint64_t kChanceSeed = 20261201;

/// As culture_significance, with each culture's p from weighted_hits_p on its clonotypes'
/// frequencies (`frequencies[i]`) and evidenced frequency `observed_frequency[i]`; `observed` and
/// `expected` stay the counts' (hit clonotypes, N q). The seed of culture i is seed + i.
std::vector<CultureChance> culture_significance_weighted(const std::vector<std::vector<double>>& frequencies,
                                                         std::span<const double> observed_frequency,
                                                         std::span<const std::int64_t> observed, double q_any,
                                                         std::uint64_t draws = kChanceDraws,
                                                         std::uint64_t seed = kChanceSeed);

/// Significance level of the q-values below which a culture's evidence stands out from chance
/// (the false discovery rate controlled by Benjamini-Hochberg, 5% as in their paper's example).
inline constexpr double kChanceFdr = 0.05;

}  // namespace tilmatch::chance
