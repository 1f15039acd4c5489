#pragma once
/// Textbook statistics of the screen: Fisher's exact test and odds ratios on 2x2 tables,
/// Benjamini-Hochberg q-values, and the DFR permutation test for replicate ELISpot wells (with the
/// Westfall-Young step-down max-T adjustment). Pure functions; every random draw takes an explicit
/// seed. tests/screen/make_reference_values.py computes the independent values the tests check.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace tilmatch::screen {

// ---------------------------------------------------------------------------------------------
// Fisher's exact test

/// A 2x2 table of counts [[a, b], [c, d]], e.g. [[sorted reads of the clonotype, reference reads
/// of the clonotype], [other sorted reads, other reference reads]]. Counts are >= 0.
struct Table2x2 {
  std::int64_t a = 0, b = 0, c = 0, d = 0;
};

/// Alternative hypothesis about the odds ratio (a d) / (b c).
enum class Alternative : std::uint8_t {
  kLess,      ///< odds ratio < 1: P(X <= a)
  kGreater,   ///< odds ratio > 1: P(X >= a)
  kTwoSided,  ///< sum of the tables no more probable than the observed one
};

/// Relative tolerance when the two-sided test compares table probabilities: a table counts when
/// P(table) <= P(observed) x (1 + kFisherRelTolerance). R's fisher.test uses 1 + 1e-7 (relErr);
/// scipy.stats.fisher_exact uses 1 + 1e-14. We take R's (FEST runs R): it only matters for tables
/// whose probabilities tie to within 1e-7, which the two codes may then count differently.
inline constexpr double kFisherRelTolerance = 1e-7;

/// Fisher's exact test of a 2x2 table conditional on its margins (Fisher 1935, The Design of
/// Experiments; Agresti 2002, Categorical Data Analysis, 2nd ed.). X = a is hypergeometric given the margins; the
/// one-sided p-values are its tails, the two-sided one sums every table with probability <= the
/// observed one (within kFisherRelTolerance), as R's fisher.test and scipy.stats.fisher_exact.
/// Probabilities are computed in log space with Loader's saddle-point expansion (C. Loader, "Fast and
/// accurate computation of binomial probabilities", 2000; R's dhyper), not as differences of
/// lgamma: at totals of 1e7 reads lgamma(N + 1) ~ 1.5e8 carries an absolute error of ~3e-8, which
/// would be the relative error of every p. Tail sums walk outward from the observed table by the
/// pmf ratio and stop once the rest cannot change the sum (geometric bound < 1e-17 of it), so the
/// cost is the support actually summed plus O(log support) for the two-sided cut-off.
/// A table with a zero row or column total has p = 1 (scipy). Throws std::invalid_argument on a
/// negative count. p may underflow to 0 for extreme tables (below ~1e-308).
double fisher_exact(const Table2x2& table, Alternative alternative);

/// Sample (unconditional maximum-likelihood) odds ratio a d / (b c) (Agresti 2002;
/// scipy.stats.contingency.odds_ratio kind="sample"). NaN when a row or column total is 0 or when
/// a d = b c = 0; +inf when only b c = 0; 0 when only a d = 0.
double sample_odds_ratio(const Table2x2& table);

/// Conditional maximum-likelihood odds ratio: the psi at which the mean of Fisher's noncentral
/// hypergeometric distribution of X given the margins equals the observed a (R's fisher.test
/// `estimate`, its "conditional Maximum Likelihood Estimate", which FEST reports; scipy.stats.contingency.odds_ratio
/// kind="conditional"). 0 when a is the smallest value the margins allow, +inf when it is the
/// largest, NaN when a row or column total is 0 (scipy). Solved by safeguarded Newton steps on
/// log psi (d mean / d log psi = variance) to a relative precision of ~1e-12; R's uniroot stops at
/// ~1e-4 relative, so FEST's printed estimates agree with this only to about 4 digits.
double conditional_odds_ratio(const Table2x2& table);

/// log P(X = x) for X hypergeometric: x white balls among `draws` drawn without replacement from
/// `white` white and `black` black balls (R's dhyper(x, white, black, draws, log = TRUE)).
/// -inf outside the support.
double hypergeometric_log_pmf(std::int64_t x, std::int64_t white, std::int64_t black,
                              std::int64_t draws);

// ---------------------------------------------------------------------------------------------
// Benjamini-Hochberg

/// Benjamini-Hochberg adjusted p-values (q-values) in input order (Benjamini & Hochberg 1995,
/// J R Stat Soc B 57:289; the step-up form q_(i) = min_{j >= i} m p_(j) / j, capped at 1, as
/// scipy.stats.false_discovery_control(method="bh") and R's p.adjust(method = "BH")). Tied p-values
/// get the same q whatever their order. A NaN p (a test that was not done) gets a NaN q and does not
/// count in m, as R's p.adjust does with NA (scipy rejects NaN). Throws std::invalid_argument on a
/// p outside [0, 1].
std::vector<double> benjamini_hochberg(std::span<const double> p);

// ---------------------------------------------------------------------------------------------
// DFR: permutation test of replicate ELISpot wells

/// The null hypothesis of a DFR test: the experimental mean is at most `kEqual` the control mean
/// (DFR(eq), Moodie et al. 2006 J Immunol Methods 315:121) or at most twice it (`kTwofold`,
/// DFR(2x), Moodie et al. 2010 Cancer Immunol Immunother 59:1489; the HVTN positivity criterion
/// since 2006). DFR(2x) here is the permutation test of the experimental wells against the control
/// wells with every control value doubled first. Moodie's own DFR(2x) program (elsdfr2x, as
/// re-implemented in the mDFR R package, tingtingzhan/mDFR R/maxT_moodie.R) resamples by bootstrap
/// on log10 counts instead, so its p-values differ from these; the doubled-control permutation is an
/// approximation because doubling also doubles the controls' spread, which makes them not exactly
/// exchangeable with the experimental wells under the null.
enum class DfrNull : std::uint8_t { kEqual, kTwofold };

/// Resampling settings of the DFR test.
struct DfrParams {
  /// Enumerate all C(n + m, n) relabellings when there are at most this many (the p is then exact);
  /// otherwise draw `resamples` relabellings at random. 1e5 keeps a family of 24 constructs under
  /// ~0.1 s; C(16, 8) = 12,870 is exact, C(20, 10) = 184,756 is not.
  std::uint64_t exact_limit = 100000;
  /// Monte Carlo relabellings; p = (1 + #{relabelled statistic >= observed}) / (1 + resamples), so
  /// the smallest p is 1 / (1 + resamples) = 1e-4 (Phipson & Smyth 2010, Stat Appl Genet Mol Biol
  /// 9:39, "permutation p-values should never be zero"; scipy.stats.permutation_test).
  std::uint64_t resamples = 9999;
  /// Seed of the Monte Carlo draws (std::mt19937_64, its output fixed by the C++ standard; bounded
  /// integers by rejection, not std::uniform_int_distribution, whose output is not). Each test mixes
  /// in its own stream id, so a test's p does not depend on the other tests or their order.
  std::uint64_t seed = 20250401;
};

/// One DFR test.
struct DfrResult {
  double statistic = 0;          ///< mean(test) - c x mean(control), c = 1 (eq) or 2 (2x); NaN if a group is empty
  double p = 0;                  ///< one-sided permutation p (greater); NaN if a group is empty
  double p_adjusted = 0;         ///< Westfall-Young step-down max-T p within the family (dfr_family), else = p
  std::uint64_t relabellings = 0;  ///< C(n + m, n) when exact, else the number of random draws
  bool exact = true;
};

/// The DFR test: a one-sided permutation test of the experimental wells `test` (n) against the
/// negative-control wells `control` (m, doubled first under kTwofold) with the difference of means
/// as the statistic (Moodie et al. 2006). The p counts the observed (identity) relabelling among all
/// C(n + m, n), so it is at least 1 / C(n + m, n): 1/20 = 0.05 for 3 vs 3 wells, 1/84 for 3 vs 6,
/// 1/924 ~ 0.0011 for 6 vs 6. With BH over a whole screen of m tests, a lone reactive construct is
/// called only if its p <= 0.05 / m, so with few wells a DFR test cannot be called at all: expect no
/// DFR positives from 3 vs 3 wells, and few from 6 vs 6 in a screen of more than ~46 tests, unless
/// many constructs react (Moodie et al. 2010 recommend >= 6 control wells or >= 4 + 4 wells).
/// A relabelled statistic ties the observed one within 100 x DBL_EPSILON x |observed| (scipy's
/// permutation_test). NaN p and statistic when either group is empty. `stream` selects the
/// Monte Carlo stream (see stream_id); values need not be sorted.
DfrResult dfr_test(std::span<const double> test, std::span<const double> control, DfrNull null,
                   const DfrParams& params, std::uint64_t stream = 0);

/// DFR tests of several constructs against one shared control (one fragment x assay), with the
/// Westfall-Young step-down max-T adjustment across them (Westfall & Young 1993, Resampling-Based
/// Multiple Testing; Dudoit, Shaffer & Boldrick 2003 Stat Sci 18:71, Box 2) as
/// Moodie's DFR applies it: every construct is relabelled by the same draw of well positions, the
/// successive maxima of the relabelled statistics (ordered by the observed ones) give each construct
/// its adjusted p, made monotone. Constructs' wells are aligned by their order in `tests` (Moodie's
/// replicate columns), which the adjusted p depends on; the control wells' order does not matter.
/// Every construct must have the same number of test wells (throws std::invalid_argument
/// otherwise). Results in input order; `p` is the construct's own DFR p.
std::vector<DfrResult> dfr_family(const std::vector<std::vector<double>>& tests,
                                  std::span<const double> control, DfrNull null,
                                  const DfrParams& params, std::uint64_t stream = 0);

/// The smallest p a DFR test of n experimental vs m control wells can return:
/// 1 / C(n + m, n) when enumerated, 1 / (1 + resamples) otherwise; NaN when n or m is 0.
double dfr_min_p(std::size_t n_test, std::size_t n_control, const DfrParams& params);

/// C(n, k) saturated at UINT64_MAX.
std::uint64_t binomial_coefficient(std::uint64_t n, std::uint64_t k);

/// A stable 64-bit id of a text (FNV-1a), to derive a Monte Carlo stream from a test's name.
std::uint64_t stream_id(std::string_view text) noexcept;

}  // namespace tilmatch::screen
