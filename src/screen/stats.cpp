#include "screen/stats.hpp"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>

namespace tilmatch::screen {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kLn2Pi = 1.837877066409345483560659472811;     // log(2 pi)
constexpr double kLnSqrt2Pi = 0.918938533204672741780329736406; // log(sqrt(2 pi))

// A tail sum stops once the geometric bound on the rest falls below this share of the sum.
constexpr double kTailRelEps = 1e-17;

// --- Loader (2000): binomial and hypergeometric probabilities without cancellation -------------

// Stirling's error log(n!) - log(sqrt(2 pi n) (n / e)^n) at integer n >= 1. Up to 15 from lgamma
// (absolute error ~1e-14 there); above, the Stirling series 1/(12n) - 1/(360n^3) + ... truncated
// where Loader's cut-offs keep it at double precision.
double stirlerr(double n) {
  static const std::array<double, 16> small = [] {
    std::array<double, 16> t{};
    for (int i = 1; i < 16; ++i) {
      const double x = i;
      t[static_cast<std::size_t>(i)] = std::lgamma(x + 1.0) - (x + 0.5) * std::log(x) + x - kLnSqrt2Pi;
    }
    return t;
  }();
  if (n <= 15.0) return small[static_cast<std::size_t>(n)];
  constexpr double s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188;
  const double nn = n * n;
  if (n > 500) return (s0 - s1 / nn) / n;
  if (n > 80) return (s0 - (s1 - s2 / nn) / nn) / n;
  if (n > 35) return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
  return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

// Deviance term x log(x / np) + np - x, by its series when x is close to np (where the direct
// form cancels).
double bd0(double x, double np) {
  if (std::fabs(x - np) < 0.1 * (x + np)) {
    double v = (x - np) / (x + np);
    double s = (x - np) * v;
    if (std::fabs(s) < DBL_MIN) return s;
    double ej = 2 * x * v;
    v *= v;
    for (int j = 1; j < 1000; ++j) {
      ej *= v;
      const double s1 = s + ej / (2 * j + 1);
      if (s1 == s) return s1;
      s = s1;
    }
  }
  return x * std::log(x / np) + np - x;
}

// log of the binomial probability of x successes in n trials, p + q = 1 given separately.
double log_binom_raw(double x, double n, double p, double q) {
  if (p == 0) return x == 0 ? 0.0 : -kInf;
  if (q == 0) return x == n ? 0.0 : -kInf;
  if (x == 0) {
    if (n == 0) return 0.0;
    return p < 0.1 ? -bd0(n, n * q) - n * p : n * std::log(q);
  }
  if (x == n) return q < 0.1 ? -bd0(n, n * p) - n * q : n * std::log(p);
  if (x < 0 || x > n) return -kInf;
  const double lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
  const double lf = kLn2Pi + std::log(x) + std::log1p(-x / n);
  return lc - 0.5 * lf;
}

double log_hyper(std::int64_t x, std::int64_t white, std::int64_t black, std::int64_t draws) {
  if (x < 0 || x > white || x > draws || draws - x > black) return -kInf;
  if (draws == 0) return 0.0;
  const double total = static_cast<double>(white) + static_cast<double>(black);
  const double p = static_cast<double>(draws) / total;
  const double q = (total - static_cast<double>(draws)) / total;
  const double xd = static_cast<double>(x);
  return log_binom_raw(xd, static_cast<double>(white), p, q) +
         log_binom_raw(static_cast<double>(draws) - xd, static_cast<double>(black), p, q) -
         log_binom_raw(static_cast<double>(draws), total, p, q);
}

// The hypergeometric law of a given the margins of [[a, b], [c, d]]: white = a + b, black = c + d,
// draws = a + c. Ratios between neighbouring probabilities are exact rationals; every walk goes
// through them, so only the anchor of a sum needs a log-pmf.
class Hypergeometric {
 public:
  explicit Hypergeometric(const Table2x2& t)
      : white_(t.a + t.b), black_(t.c + t.d), draws_(t.a + t.c),
        lo_(std::max<std::int64_t>(0, draws_ - black_)), hi_(std::min(draws_, white_)) {
    const double guess = std::floor((static_cast<double>(draws_) + 1) * (static_cast<double>(white_) + 1) /
                                    (static_cast<double>(white_) + static_cast<double>(black_) + 2));
    mode_ = std::clamp(static_cast<std::int64_t>(guess), lo_, hi_);
    while (mode_ < hi_ && up(mode_) > 1) ++mode_;
    while (mode_ > lo_ && down(mode_) > 1) --mode_;
  }

  std::int64_t lo() const { return lo_; }
  std::int64_t hi() const { return hi_; }
  std::int64_t mode() const { return mode_; }

  /// pmf(k + 1) / pmf(k), lo <= k < hi.
  double up(std::int64_t k) const {
    return (static_cast<double>(white_ - k) * static_cast<double>(draws_ - k)) /
           (static_cast<double>(k + 1) * static_cast<double>(black_ - draws_ + k + 1));
  }
  /// pmf(k - 1) / pmf(k), lo < k <= hi.
  double down(std::int64_t k) const {
    return (static_cast<double>(k) * static_cast<double>(black_ - draws_ + k)) /
           (static_cast<double>(white_ - k + 1) * static_cast<double>(draws_ - k + 1));
  }
  double log_pmf(std::int64_t k) const { return log_hyper(k, white_, black_, draws_); }

  /// sum_{j >= k} pmf(j) / pmf(k). Ratios decrease with j (the law is log-concave), so once one is
  /// below 1 the rest is bounded by a geometric series.
  double upper_sum(std::int64_t k) const {
    double sum = 1, term = 1;
    for (std::int64_t j = k; j < hi_; ++j) {
      const double r = up(j);
      term *= r;
      sum += term;
      if (term == 0 || (r < 1 && term * r / (1 - r) <= sum * kTailRelEps)) break;
    }
    return sum;
  }
  /// sum_{j <= k} pmf(j) / pmf(k).
  double lower_sum(std::int64_t k) const {
    double sum = 1, term = 1;
    for (std::int64_t j = k; j > lo_; --j) {
      const double r = down(j);
      term *= r;
      sum += term;
      if (term == 0 || (r < 1 && term * r / (1 - r) <= sum * kTailRelEps)) break;
    }
    return sum;
  }
  double upper_tail(std::int64_t k) const {  // P(X >= k)
    if (k <= lo_) return 1.0;
    if (k > hi_) return 0.0;
    if (k > mode_) return std::exp(log_pmf(k)) * upper_sum(k);
    return 1.0 - lower_tail(k - 1);
  }
  double lower_tail(std::int64_t k) const {  // P(X <= k)
    if (k >= hi_) return 1.0;
    if (k < lo_) return 0.0;
    if (k < mode_) return std::exp(log_pmf(k)) * lower_sum(k);
    return 1.0 - upper_tail(k + 1);
  }

  /// Mean and variance of Fisher's noncentral hypergeometric law with odds ratio exp(theta): weights
  /// pmf(k) psi^k, summed outward from their mode in ratios (no overflow: every term <= 1).
  std::pair<double, double> noncentral_moments(double theta) const {
    const double psi = std::exp(theta);
    std::int64_t first = lo_, last = hi_;  // first k with up(k) psi < 1, or hi
    while (first < last) {
      const std::int64_t mid = first + (last - first) / 2;
      if (up(mid) * psi < 1) last = mid; else first = mid + 1;
    }
    const std::int64_t m = first;
    double s0 = 1, s1 = 0, s2 = 0;
    double w = 1;
    for (std::int64_t k = m; k < hi_; ++k) {
      const double r = up(k) * psi;
      w *= r;
      const double dk = static_cast<double>(k + 1 - m);
      s0 += w; s1 += w * dk; s2 += w * dk * dk;
      if (w == 0 || (r < 1 && w * r / (1 - r) <= s0 * 1e-20)) break;
    }
    w = 1;
    for (std::int64_t k = m; k > lo_; --k) {
      const double r = down(k) / psi;
      w *= r;
      const double dk = static_cast<double>(k - 1 - m);
      s0 += w; s1 += w * dk; s2 += w * dk * dk;
      if (w == 0 || (r < 1 && w * r / (1 - r) <= s0 * 1e-20)) break;
    }
    const double mean_shift = s1 / s0;
    return {static_cast<double>(m) + mean_shift, std::max(0.0, s2 / s0 - mean_shift * mean_shift)};
  }

 private:
  std::int64_t white_, black_, draws_, lo_, hi_, mode_ = 0;
};

void check_table(const Table2x2& t) {
  if (t.a < 0 || t.b < 0 || t.c < 0 || t.d < 0)
    throw std::invalid_argument("2x2 table with a negative count");
}

bool zero_margin(const Table2x2& t) {
  return t.a + t.b == 0 || t.c + t.d == 0 || t.a + t.c == 0 || t.b + t.d == 0;
}

double two_sided(const Hypergeometric& h, std::int64_t x) {
  const std::int64_t m = h.mode();
  if (x == m) return 1.0;
  const double lpx = h.log_pmf(x);
  const double cut = lpx + std::log1p(kFisherRelTolerance);
  const double tol = 1.0 + kFisherRelTolerance;
  double p = 0;
  if (x < m) {
    // Tables between x and the mode count only if they tie x within the tolerance.
    std::int64_t near = x;
    double rel = 1;
    while (near < m && rel * h.up(near) <= tol) rel *= h.up(near++);
    // First table at or beyond the mode no more probable than x (pmf falls from the mode on).
    std::int64_t first = std::max(m, near + 1), last = h.hi() + 1;
    while (first < last) {
      const std::int64_t mid = first + (last - first) / 2;
      if (h.log_pmf(mid) <= cut) last = mid; else first = mid + 1;
    }
    if (near >= m) return 1.0;
    p = std::exp(lpx) * rel * h.lower_sum(near);
    if (first <= h.hi()) p += std::exp(h.log_pmf(first)) * h.upper_sum(first);
  } else {
    std::int64_t near = x;
    double rel = 1;
    while (near > m && rel * h.down(near) <= tol) rel *= h.down(near--);
    std::int64_t first = h.lo() - 1, last = std::min(m, near - 1);  // last table <= mode below the cut
    while (first < last) {
      const std::int64_t mid = last - (last - first) / 2;
      if (h.log_pmf(mid) <= cut) first = mid; else last = mid - 1;
    }
    if (near <= m) return 1.0;
    p = std::exp(lpx) * rel * h.upper_sum(near);
    if (first >= h.lo()) p += std::exp(h.log_pmf(first)) * h.lower_sum(first);
  }
  return std::min(1.0, p);
}

}  // namespace

double hypergeometric_log_pmf(std::int64_t x, std::int64_t white, std::int64_t black, std::int64_t draws) {
  if (white < 0 || black < 0 || draws < 0 || draws > white + black)
    throw std::invalid_argument("hypergeometric_log_pmf: invalid parameters");
  return log_hyper(x, white, black, draws);
}

double fisher_exact(const Table2x2& table, Alternative alternative) {
  check_table(table);
  if (zero_margin(table)) return 1.0;
  const Hypergeometric h(table);
  double p = 1.0;
  switch (alternative) {
    case Alternative::kGreater: p = h.upper_tail(table.a); break;
    case Alternative::kLess: p = h.lower_tail(table.a); break;
    case Alternative::kTwoSided: p = two_sided(h, table.a); break;
  }
  return std::clamp(p, 0.0, 1.0);
}

double sample_odds_ratio(const Table2x2& t) {
  check_table(t);
  if (zero_margin(t)) return kNaN;
  const double ad = static_cast<double>(t.a) * static_cast<double>(t.d);
  const double bc = static_cast<double>(t.b) * static_cast<double>(t.c);
  if (bc == 0) return ad == 0 ? kNaN : kInf;
  return ad / bc;
}

double conditional_odds_ratio(const Table2x2& t) {
  check_table(t);
  if (zero_margin(t)) return kNaN;
  const Hypergeometric h(t);
  if (t.a == h.lo()) return 0.0;
  if (t.a == h.hi()) return kInf;
  const double x = static_cast<double>(t.a);
  // Start from the sample odds ratio with 1/2 added to each cell (Haldane), then safeguarded Newton
  // on theta = log psi: the mean rises with theta, so [below, above] always brackets the root.
  double theta = std::log((x + 0.5) * (static_cast<double>(t.d) + 0.5) /
                          ((static_cast<double>(t.b) + 0.5) * (static_cast<double>(t.c) + 0.5)));
  double below = -kInf, above = kInf;
  constexpr double kMaxStep = 8.0;
  for (int iter = 0; iter < 200; ++iter) {
    const auto [mean, var] = h.noncentral_moments(theta);
    const double f = mean - x;
    if (f == 0) break;
    if (f < 0) below = theta; else above = theta;
    double next = theta;
    if (var > 0 && std::isfinite(var)) next = theta - std::clamp(f / var, -kMaxStep, kMaxStep);
    if (!(next > below && next < above)) {
      if (std::isfinite(below) && std::isfinite(above)) next = 0.5 * (below + above);
      else next = f < 0 ? theta + kMaxStep : theta - kMaxStep;
    }
    const double step = next - theta;
    theta = next;
    if (std::fabs(step) <= 1e-13 * std::max(1.0, std::fabs(theta))) break;
  }
  return std::exp(theta);
}

std::vector<double> benjamini_hochberg(std::span<const double> p) {
  std::vector<double> q(p.size(), kNaN);
  std::vector<std::size_t> order;
  order.reserve(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (std::isnan(p[i])) continue;
    if (p[i] < 0 || p[i] > 1)
      throw std::invalid_argument("benjamini_hochberg: p-value " + std::to_string(p[i]) + " outside [0, 1]");
    order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return p[x] < p[y]; });
  const double m = static_cast<double>(order.size());
  double running = 1.0;
  for (std::size_t r = order.size(); r-- > 0;) {
    running = std::min(running, p[order[r]] * m / static_cast<double>(r + 1));
    q[order[r]] = running;
  }
  return q;
}

// --- DFR -------------------------------------------------------------------------------------

namespace {

constexpr double kTieTolerance = 100 * DBL_EPSILON;  // scipy.stats.permutation_test

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Uniform integer in [0, bound) by rejection of the biased low range (no modulo bias).
std::uint64_t below(std::mt19937_64& rng, std::uint64_t bound) {
  const std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const std::uint64_t r = rng();
    if (r >= threshold) return r % bound;
  }
}

// Difference of means of the labelled wells `pick` (n of them) and the rest, for one construct's
// pooled wells (test, then control). Computed the same way for the observed labelling and every
// relabelling, so the identity reproduces the observed statistic bit for bit.
double relabelled_statistic(const std::vector<double>& pooled, double total, const std::uint32_t* pick,
                            std::size_t n) {
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += pooled[pick[i]];
  const double m = static_cast<double>(pooled.size() - n);
  return sum / static_cast<double>(n) - (total - sum) / m;
}

}  // namespace

std::uint64_t binomial_coefficient(std::uint64_t n, std::uint64_t k) {
  if (k > n) return 0;
  k = std::min(k, n - k);
  __extension__ using U128 = unsigned __int128;
  U128 r = 1;
  for (std::uint64_t i = 0; i < k; ++i) {
    r = r * (n - i) / (i + 1);  // exact: C(n, i + 1) = C(n, i) (n - i) / (i + 1)
    if (r > std::numeric_limits<std::uint64_t>::max()) return std::numeric_limits<std::uint64_t>::max();
  }
  return static_cast<std::uint64_t>(r);
}

std::uint64_t stream_id(std::string_view text) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const char ch : text) {
    h ^= static_cast<unsigned char>(ch);
    h *= 0x100000001b3ull;
  }
  return h;
}

double dfr_min_p(std::size_t n_test, std::size_t n_control, const DfrParams& params) {
  if (n_test == 0 || n_control == 0) return kNaN;
  const std::uint64_t c = binomial_coefficient(n_test + n_control, n_test);
  if (c <= std::max(params.exact_limit, params.resamples)) return 1.0 / static_cast<double>(c);
  return 1.0 / (1.0 + static_cast<double>(params.resamples));
}

std::vector<DfrResult> dfr_family(const std::vector<std::vector<double>>& tests, std::span<const double> control,
                                  DfrNull null, const DfrParams& params, std::uint64_t stream) {
  std::vector<DfrResult> out(tests.size());
  if (tests.empty()) return out;
  const std::size_t n = tests.front().size();
  for (const auto& t : tests)
    if (t.size() != n) throw std::invalid_argument("dfr_family: constructs differ in their number of test wells");
  const std::size_t m = control.size();
  if (n == 0 || m == 0) {
    for (auto& r : out) r = {kNaN, kNaN, kNaN, 0, true};
    return out;
  }
  const std::size_t k_rows = tests.size();
  const std::size_t wells = n + m;
  const double factor = null == DfrNull::kTwofold ? 2.0 : 1.0;
  std::vector<double> ctrl(control.begin(), control.end());
  for (double& v : ctrl) v *= factor;
  std::sort(ctrl.begin(), ctrl.end());

  // Relabellings move well positions: the i-th test well of every construct moves together (the
  // constructs' wells are aligned by their order, as the replicate columns of Moodie's layout).
  std::vector<std::vector<double>> pooled(k_rows);
  std::vector<double> totals(k_rows), observed(k_rows), tolerance(k_rows);
  std::vector<std::uint32_t> identity(wells);
  std::iota(identity.begin(), identity.end(), 0u);
  for (std::size_t k = 0; k < k_rows; ++k) {
    pooled[k] = tests[k];
    pooled[k].insert(pooled[k].end(), ctrl.begin(), ctrl.end());
    totals[k] = 0;
    for (const double v : pooled[k]) totals[k] += v;
    observed[k] = relabelled_statistic(pooled[k], totals[k], identity.data(), n);
    tolerance[k] = kTieTolerance * std::fabs(observed[k]);
  }
  // Rows by observed statistic, largest first (ties by input order): the step-down order.
  std::vector<std::size_t> order(k_rows);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return observed[x] > observed[y]; });

  std::vector<std::uint64_t> raw_count(k_rows, 0), maxt_count(k_rows, 0);
  std::vector<double> stat(k_rows);
  auto visit = [&](const std::uint32_t* pick) {
    for (std::size_t k = 0; k < k_rows; ++k) {
      stat[k] = relabelled_statistic(pooled[k], totals[k], pick, n);
      if (stat[k] >= observed[k] - tolerance[k]) ++raw_count[k];
    }
    double successive_max = -kInf;
    for (std::size_t j = k_rows; j-- > 0;) {
      const std::size_t k = order[j];
      successive_max = std::max(successive_max, stat[k]);
      if (successive_max >= observed[k] - tolerance[k]) ++maxt_count[j];
    }
  };

  const std::uint64_t relabellings = binomial_coefficient(wells, n);
  const bool exact = relabellings <= std::max(params.exact_limit, params.resamples);
  std::uint64_t draws = 0;
  if (exact) {
    std::vector<std::uint32_t> pick(identity.begin(), identity.begin() + static_cast<std::ptrdiff_t>(n));
    for (;;) {
      visit(pick.data());
      ++draws;
      std::size_t i = n;  // next n-subset of [0, wells) in lexicographic order
      while (i > 0 && pick[i - 1] == wells - n + i - 1) --i;
      if (i == 0) break;
      ++pick[i - 1];
      for (std::size_t j = i; j < n; ++j) pick[j] = pick[j - 1] + 1;
    }
  } else {
    std::mt19937_64 rng(splitmix64(params.seed ^ splitmix64(stream)));
    std::vector<std::uint32_t> perm = identity;
    for (draws = 0; draws < params.resamples; ++draws) {
      for (std::size_t i = 0; i < n; ++i) std::swap(perm[i], perm[i + below(rng, wells - i)]);
      visit(perm.data());
    }
  }
  auto to_p = [&](std::uint64_t count) {
    return exact ? static_cast<double>(count) / static_cast<double>(draws)
                 : (1.0 + static_cast<double>(count)) / (1.0 + static_cast<double>(draws));
  };
  double running = 0;
  for (std::size_t j = 0; j < k_rows; ++j) {
    const std::size_t k = order[j];
    running = std::max(running, to_p(maxt_count[j]));
    out[k] = {observed[k], to_p(raw_count[k]), std::min(1.0, running), draws, exact};
  }
  return out;
}

DfrResult dfr_test(std::span<const double> test, std::span<const double> control, DfrNull null,
                   const DfrParams& params, std::uint64_t stream) {
  // Sorted wells make a lone test's Monte Carlo p independent of the order its wells were listed in.
  std::vector<std::vector<double>> one{std::vector<double>(test.begin(), test.end())};
  std::sort(one.front().begin(), one.front().end());
  return dfr_family(one, control, null, params, stream).front();
}

}  // namespace tilmatch::screen
