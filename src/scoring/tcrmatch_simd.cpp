#include "scoring/tcrmatch_simd.hpp"

#include "scoring/cpu_features.hpp"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define TILMATCH_X86 1
#endif

namespace tilmatch::scoring {

bool tcrmatch_simd_available() noexcept { return avx2_available(); }

void make_tcrmatch_block_profile(const std::uint8_t* const* refs, int count, int length, const K1Table& k1,
                                 float* out) {
  for (int a = 0; a < kK1Alphabet; ++a)
    for (int j = 0; j < length; ++j)
      for (int lane = 0; lane < kTcrmatchLanes; ++lane)
        out[(static_cast<std::size_t>(a) * length + j) * kTcrmatchLanes + lane] =
            lane < count ? k1.k[a * kK1Alphabet + refs[lane][j]] : 0.0f;
}

#ifdef TILMATCH_X86
// AVX2 only, never FMA: each lane's products and sums are rounded separately, as tcrmatch_k3's.
__attribute__((target("avx2"))) void tcrmatch_k3_block(const std::uint8_t* f, int lf, const float* profile,
                                                       int length, float* out) {
  const __m256 one = _mm256_set1_ps(1.0f);
  __m256 total = _mm256_setzero_ps();
  for (int off = -(lf - 1); off <= length - 1; ++off) {
    const int i0 = off < 0 ? -off : 0;  // first position in f
    const int j0 = off < 0 ? 0 : off;   // first position in the references
    const int n = (lf - i0) < (length - j0) ? (lf - i0) : (length - j0);
    __m256 e = _mm256_setzero_ps();
    __m256 diag = _mm256_setzero_ps();
    for (int t = 0; t < n; ++t) {
      const float* row = profile + (static_cast<std::size_t>(f[i0 + t]) * length + (j0 + t)) * kTcrmatchLanes;
      const __m256 x = _mm256_load_ps(row);
      e = _mm256_mul_ps(x, _mm256_add_ps(one, e));
      diag = _mm256_add_ps(diag, e);
    }
    total = _mm256_add_ps(total, diag);
  }
  _mm256_storeu_ps(out, total);
}
#else
// Not reached (tcrmatch_simd_available() is false); the same recurrence lane by lane.
void tcrmatch_k3_block(const std::uint8_t* f, int lf, const float* profile, int length, float* out) {
  for (int lane = 0; lane < kTcrmatchLanes; ++lane) {
    float total = 0.0f;
    for (int off = -(lf - 1); off <= length - 1; ++off) {
      const int i0 = off < 0 ? -off : 0, j0 = off < 0 ? 0 : off;
      const int n = (lf - i0) < (length - j0) ? (lf - i0) : (length - j0);
      float e = 0.0f, diag = 0.0f;
      for (int t = 0; t < n; ++t) {
        e = profile[(static_cast<std::size_t>(f[i0 + t]) * length + (j0 + t)) * kTcrmatchLanes + lane] * (1.0f + e);
        diag = diag + e;
      }
      total = total + diag;
    }
    out[lane] = total;
  }
}
#endif

}  // namespace tilmatch::scoring
