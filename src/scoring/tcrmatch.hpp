#pragma once
/// TCRMatch 1.3's kernel similarity, written once for the CPU backend and the CUDA kernels.
///
/// K1(a,b) = (q_ab / (p_a p_b))^beta (BLOSUM62 target frequencies, beta = 0.11387, p = row sums);
/// K2 of two k-mers = product of K1 over aligned positions; K3(f,g) = sum over k = 1..30 and all
/// pairs of k-mers of K2; score = K3(f,g) / sqrt(K3(f,f) K3(g,g)).
///
/// K3 is computed per alignment diagonal in O(L) (O(L^2) overall): with x_t the K1 values along a
/// diagonal, e_t = x_t (1 + e_{t-1}) is the sum of products of all runs ending at t, and the
/// diagonal contributes sum_t e_t. Runs longer than kTcrmatchMaxK are removed exactly.
/// Float32 throughout (as TCRMatch) in one fixed order; on device the multiply/add intrinsics
/// forbid FMA contraction, so CPU and GPU perform the same IEEE operations.

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

#include "encode/hd.hpp"
#include "encode/residues.hpp"

namespace tilmatch::scoring {

inline constexpr int kTcrmatchMaxK = 30;
inline constexpr double kTcrmatchBeta = 0.11387;
/// Side of the K1 table: codes 0..19 and kUnknown (20), whose K1 is 0 against everything.
inline constexpr int kK1Alphabet = 21;
/// TCRMatch's default hit threshold (a hit is score > threshold, strictly: tcrmatch_min_score).
inline constexpr float kTcrmatchDefaultThreshold = 0.97f;

/// The inclusive min_score of tcrmatch_search that keeps exactly what TCRMatch 1.3 keeps at
/// `threshold`. TCRMatch reads `-s` with std::stof and keeps a pair when `score > threshold`, both
/// float (IEDB/TCRMatch src/main.cpp and src/tcrmatch.cpp, multi_calc_k3); for floats, x > t holds
/// exactly when x >= the next float above t.
inline float tcrmatch_min_score(float threshold) {
  return std::nextafter(threshold, std::numeric_limits<float>::infinity());
}

/// Flat kK1Alphabet x kK1Alphabet table of K1 values.
struct K1Table {
  float k[kK1Alphabet * kK1Alphabet];
};

/// K1 from the embedded BLOSUM62 target frequencies (computed in double, stored as float).
K1Table make_k1_table(double beta = kTcrmatchBeta);

namespace detail {
TILMATCH_HD float fmul(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fmul_rn(a, b);
#else
  return a * b;
#endif
}
TILMATCH_HD float fadd(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fadd_rn(a, b);
#else
  return a + b;
#endif
}
}  // namespace detail

/// K3(f,g): `f`, `g` residue codes, `k1` a flat K1Table. Diagonals run from offset -(lf-1)
/// (f shifted right) to lg-1, each summed from its first aligned position.
TILMATCH_HD float tcrmatch_k3(const std::uint8_t* f, int lf, const std::uint8_t* g, int lg,
                              const float* k1) {
  float total = 0.0f;
  for (int off = -(lf - 1); off <= lg - 1; ++off) {
    const int i0 = off < 0 ? -off : 0;  // first position in f
    const int j0 = off < 0 ? 0 : off;   // first position in g
    const int n = (lf - i0) < (lg - j0) ? (lf - i0) : (lg - j0);
    float e = 0.0f;
    float diag = 0.0f;
    for (int t = 0; t < n; ++t) {
      const float x = k1[f[i0 + t] * kK1Alphabet + g[j0 + t]];
      e = detail::fmul(x, detail::fadd(1.0f, e));
      if (t >= kTcrmatchMaxK) {
        // Remove the one run that grew past kTcrmatchMaxK: positions t-30..t.
        float p = 1.0f;
        for (int u = t - kTcrmatchMaxK; u <= t; ++u)
          p = detail::fmul(p, k1[f[i0 + u] * kK1Alphabet + g[j0 + u]]);
        e = detail::fadd(e, -p);
      }
      diag = detail::fadd(diag, e);
    }
    total = detail::fadd(total, diag);
  }
  return total;
}

/// Normalised score from K3(f,g) and the two self-scores; 0 when either self-score is 0.
TILMATCH_HD float tcrmatch_normalise(float k3_fg, float k3_ff, float k3_gg) {
  const float denom = sqrtf(detail::fmul(k3_ff, k3_gg));
  return denom > 0.0f ? k3_fg / denom : 0.0f;
}

/// Score of f and g given their precomputed self-scores K3(f,f), K3(g,g).
TILMATCH_HD float tcrmatch_pair_score(const std::uint8_t* f, int lf, float self_f, const std::uint8_t* g,
                                      int lg, float self_g, const float* k1) {
  return tcrmatch_normalise(tcrmatch_k3(f, lf, g, lg, k1), self_f, self_g);
}

/// TCRMatch's plain-input rule: strip a leading C and trailing F or W only when both are present.
constexpr std::string_view tcrmatch_trim(std::string_view cdr3) {
  if (cdr3.size() >= 2 && cdr3.front() == 'C' && (cdr3.back() == 'F' || cdr3.back() == 'W'))
    return cdr3.substr(1, cdr3.size() - 2);
  return cdr3;
}

}  // namespace tilmatch::scoring
