#include "scoring/prune.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

namespace tilmatch::scoring {

TcrdistGroups group_tcrdist_references(const TcrdistSet& r) {
  TcrdistGroups out;
  out.primary = uses_chain(r.chains, 1) ? 1 : 0;
  const int pc = out.primary;
  const std::size_t n = r.size();
  if (n == 0) return out;
  const encode::EncodedBatch& batch = r.cdr3[pc];
  const auto length = [&](std::uint32_t i) { return batch.lengths[r.position[pc][i]]; };
  const auto gene = [&](int c, std::uint32_t i) -> std::uint16_t {
    return r.vloops && uses_chain(r.chains, c) ? r.gene_of[c][i] : std::uint16_t{0};
  };
  const auto key = [&](std::uint32_t i) { return std::make_tuple(length(i), gene(0, i), gene(1, i), i); };
  out.reference.resize(n);
  std::iota(out.reference.begin(), out.reference.end(), 0u);
  std::sort(out.reference.begin(), out.reference.end(),
            [&](std::uint32_t a, std::uint32_t b) { return key(a) < key(b); });
  for (std::size_t pos = 0; pos < n; ++pos) {
    const std::uint32_t i = out.reference[pos];
    const TcrdistGroups::Group g{static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(pos + 1), length(i),
                                 {gene(0, i), gene(1, i)}};
    if (!out.groups.empty()) {
      TcrdistGroups::Group& last = out.groups.back();
      if (last.length == g.length && last.gene[0] == g.gene[0] && last.gene[1] == g.gene[1]) {
        last.end = g.end;
        continue;
      }
    }
    out.groups.push_back(g);
  }
  return out;
}

std::vector<double> tcrmatch_profile(const std::uint8_t* x, int n, const K1Table& k1) {
  std::vector<double> kk(kTcrmatchMaxK, 0.0);
  // K_k(x,x) sums every pair of k-mers (i, j); the pairs (i, j) and (j, i) have the same product.
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j) {
      const double weight = i == j ? 1.0 : 2.0;
      double p = 1.0;
      for (int k = 1; k <= kTcrmatchMaxK && j + k <= n; ++k) {
        p *= static_cast<double>(k1.k[x[i + k - 1] * kK1Alphabet + x[j + k - 1]]);
        kk[static_cast<std::size_t>(k - 1)] += weight * p;
      }
    }
  const double total = std::accumulate(kk.begin(), kk.end(), 0.0);
  for (double& v : kk) v = total > 0.0 ? std::sqrt(v / total) : 0.0;
  return kk;
}

double tcrmatch_score_error() noexcept {
  // Standard model of floating-point arithmetic (Higham, Accuracy and Stability of Numerical
  // Algorithms, 2nd ed., 2002, section 2.2 and lemma 3.1): every float operation returns the exact
  // result times (1 + d), |d| <= u = 2^-24, and the host and device builds forbid FMA contraction.
  // For lengths <= kTcrmatchMaxK, tcrmatch_k3 never removes a run, and every K1 value is >= 0, so it
  // adds positive terms only. Along a diagonal of n <= 30 cells, e_t has gone through at most 2t
  // rounded operations (t products, t additions of 1), the diagonal's sum adds at most n - t + 1,
  // and the total over D <= 59 diagonals at most D: each product of K1 values in K3 carries at most
  // 2n + 1 + D <= 120 factors (1 + d), so the computed K3 is within gamma_120 = 120u / (1 - 120u)
  // of the exact sum, relative, for K3(f,g) and both self-scores alike. The score adds one product,
  // one square root and one division, each correctly rounded, so it is within
  // (1 + g)(1 + u) / ((1 - g)(1 - u)^(3/2)) - 1 of the exact score, relative; the exact score is at
  // most 1 (Cauchy-Schwarz, prune.hpp), so that is also the absolute error. Taken twice.
  constexpr double u = 0x1p-24;
  constexpr double g = 120 * u / (1 - 120 * u);
  constexpr double relative = (1 + g) * (1 + u) / ((1 - g) * (1 - u) * (1 - u)) - 1;  // (1-u)^2 <= (1-u)^(3/2)
  static_assert(relative > 1e-5 && relative < 2e-5);
  return 2 * relative;
}

double tcrmatch_prune_cut(float min_score) noexcept {
  // The stored profiles are floats (relative rounding <= u each); a bound summed from them in
  // double is within 64 u of the exact one, and bounds are <= 1 (|a(f)| = |a(g)| = 1).
  constexpr double kProfileRounding = 1e-6;
  return static_cast<double>(min_score) - tcrmatch_score_error() - kProfileRounding;
}

}  // namespace tilmatch::scoring
