#include "chance/significance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include "screen/stats.hpp"

namespace tilmatch::chance {

namespace {

constexpr double kEps = 1e-16;     // relative precision the series and fractions are run to
constexpr double kTiny = 1e-300;   // Lentz's guard against a zero denominator
constexpr int kMaxIterations = 100000;

// P(a, x) by its series, for x < a + 1 (Numerical Recipes 3rd ed., gser).
double gamma_p_series(double a, double x) {
  double ap = a, del = 1.0 / a, sum = del;
  for (int i = 0; i < kMaxIterations; ++i) {
    ap += 1.0;
    del *= x / ap;
    sum += del;
    if (std::fabs(del) < std::fabs(sum) * kEps) break;
  }
  return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Q(a, x) by its continued fraction, for x >= a + 1 (Numerical Recipes 3rd ed., gcf).
double gamma_q_fraction(double a, double x) {
  double b = x + 1.0 - a, c = 1.0 / kTiny, d = 1.0 / b, h = d;
  for (int i = 1; i < kMaxIterations; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < kEps) break;
  }
  return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

// The continued fraction of I_x(a, b) (Numerical Recipes 3rd ed., betacf), converging fast for
// x < (a + 1) / (a + b + 2).
double beta_fraction(double a, double b, double x) {
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0, d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m < kMaxIterations; ++m) {
    const int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < kEps) break;
  }
  return h;
}

// I_x(a, b), 0 < x < 1 (Numerical Recipes 3rd ed., betai).
double incomplete_beta(double a, double b, double x) {
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(log_front) * beta_fraction(a, b, x) / a;
  return 1.0 - std::exp(log_front) * beta_fraction(b, a, 1.0 - x) / b;
}

}  // namespace

double poisson_upper_tail(std::int64_t k, double lambda) {
  if (!(lambda >= 0)) throw std::invalid_argument("poisson_upper_tail: lambda must be >= 0");
  if (k <= 0) return 1.0;
  if (lambda == 0) return 0.0;
  const auto a = static_cast<double>(k);
  if (lambda < a + 1.0) return gamma_p_series(a, lambda);
  return 1.0 - gamma_q_fraction(a, lambda);
}

double binomial_upper_tail(std::int64_t k, std::int64_t n, double p) {
  if (n < 0) throw std::invalid_argument("binomial_upper_tail: n must be >= 0");
  if (!(p >= 0 && p <= 1)) throw std::invalid_argument("binomial_upper_tail: p must be in [0, 1]");
  if (k <= 0) return 1.0;
  if (k > n) return 0.0;
  if (p == 0) return 0.0;
  if (p == 1) return 1.0;
  return incomplete_beta(static_cast<double>(k), static_cast<double>(n - k + 1), p);
}

double poisson_binomial_upper_tail(std::int64_t k, std::span<const double> p) {
  for (double pi : p)
    if (!(pi >= 0 && pi <= 1)) throw std::invalid_argument("poisson_binomial_upper_tail: p must be in [0, 1]");
  if (k <= 0) return 1.0;
  if (static_cast<std::uint64_t>(k) > p.size()) return 0.0;
  // f[j] = P(j successes so far) for j < k; `reached` collects the mass that reached k, which
  // stays there (P(X >= k) is summed directly, never as 1 - P(X < k), so small tails keep their
  // relative precision).
  std::vector<double> f(static_cast<std::size_t>(k), 0.0);
  f[0] = 1.0;
  double reached = 0.0;
  for (double pi : p) {
    reached += f[static_cast<std::size_t>(k) - 1] * pi;
    for (std::size_t j = static_cast<std::size_t>(k) - 1; j > 0; --j) f[j] = f[j] * (1.0 - pi) + f[j - 1] * pi;
    f[0] *= 1.0 - pi;
  }
  return reached;
}

namespace {

// A uniform double in [0, 1) from the top 53 bits of one mt19937_64 draw (the same on every
// platform, unlike std::uniform_real_distribution).
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// K ~ Binomial(n, q) by inversion, walking the pmf up from 0 (K is small when n q is).
std::int64_t draw_binomial(std::int64_t n, double q, std::mt19937_64& rng) {
  if (q <= 0 || n == 0) return 0;
  if (q >= 1) return n;
  const double u = uniform01(rng);
  double pmf = std::exp(static_cast<double>(n) * std::log1p(-q));
  double cdf = pmf;
  std::int64_t k = 0;
  while (u >= cdf && k < n) {
    pmf *= static_cast<double>(n - k) / static_cast<double>(k + 1) * q / (1 - q);
    ++k;
    cdf += pmf;
    if (pmf == 0 && cdf < u) break;  // the rest of the mass is below double precision
  }
  return k;
}

}  // namespace

double weighted_hits_p(std::span<const double> frequencies, double observed, double q, std::uint64_t draws,
                       std::uint64_t seed) {
  if (!(q >= 0 && q <= 1)) throw std::invalid_argument("weighted_hits_p: q must be in [0, 1]");
  if (draws == 0) throw std::invalid_argument("weighted_hits_p: need at least one draw");
  const auto n = static_cast<std::int64_t>(frequencies.size());
  std::mt19937_64 rng(seed);
  std::uint64_t at_least = 0;
  std::vector<std::size_t> picked;
  const double bar = observed * (1 - 1e-12);
  for (std::uint64_t b = 0; b < draws; ++b) {
    const std::int64_t k = draw_binomial(n, q, rng);
    picked.clear();
    double s = 0;
    // K distinct clonotypes by rejection: K is a handful where q is a chance rate.
    while (static_cast<std::int64_t>(picked.size()) < k) {
      const auto i = std::min(static_cast<std::size_t>(uniform01(rng) * static_cast<double>(n)),
                              static_cast<std::size_t>(n - 1));
      if (std::find(picked.begin(), picked.end(), i) != picked.end()) continue;
      picked.push_back(i);
      s += frequencies[i];
    }
    if (s >= bar) ++at_least;
  }
  return static_cast<double>(at_least + 1) / static_cast<double>(draws + 1);
}

std::vector<CultureChance> culture_significance_weighted(const std::vector<std::vector<double>>& frequencies,
                                                         std::span<const double> observed_frequency,
                                                         std::span<const std::int64_t> observed, double q_any,
                                                         std::uint64_t draws, std::uint64_t seed) {
  if (frequencies.size() != observed_frequency.size() || frequencies.size() != observed.size())
    throw std::invalid_argument("culture_significance_weighted: inputs differ in length");
  std::vector<std::int64_t> n(frequencies.size());
  for (std::size_t i = 0; i < n.size(); ++i) n[i] = static_cast<std::int64_t>(frequencies[i].size());
  std::vector<CultureChance> out = culture_significance(n, observed, q_any);
  std::vector<double> p(out.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].observed_frequency = observed_frequency[i];
    double total = 0;
    for (double f : frequencies[i]) total += f;
    out[i].expected_frequency = q_any * total;
    out[i].p = p[i] = observed[i] == 0 ? 1.0 : weighted_hits_p(frequencies[i], observed_frequency[i], q_any, draws, seed + i);
  }
  const std::vector<double> q = screen::benjamini_hochberg(p);
  for (std::size_t i = 0; i < out.size(); ++i) out[i].q = q[i];
  return out;
}

std::vector<CultureChance> culture_significance(std::span<const std::int64_t> clonotypes,
                                                std::span<const std::int64_t> observed, double q_any) {
  if (clonotypes.size() != observed.size())
    throw std::invalid_argument("culture_significance: clonotypes and observed differ in length");
  std::vector<CultureChance> out(clonotypes.size());
  std::vector<double> p(clonotypes.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (observed[i] < 0 || observed[i] > clonotypes[i])
      throw std::invalid_argument("culture_significance: observed hits outside [0, clonotypes]");
    out[i].clonotypes = clonotypes[i];
    out[i].observed = observed[i];
    out[i].expected = static_cast<double>(clonotypes[i]) * q_any;
    out[i].p = p[i] = binomial_upper_tail(observed[i], clonotypes[i], q_any);
  }
  const std::vector<double> q = screen::benjamini_hochberg(p);
  for (std::size_t i = 0; i < out.size(); ++i) out[i].q = q[i];
  return out;
}

}  // namespace tilmatch::chance
