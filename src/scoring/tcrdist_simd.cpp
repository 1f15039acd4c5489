#include "scoring/tcrdist_simd.hpp"

#include "scoring/cpu_features.hpp"

#include <cstring>

#include "scoring/tcrdist.hpp"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define TILMATCH_X86 1
#endif

namespace tilmatch::scoring {

bool tcrdist_simd_available() noexcept { return avx2_available(); }

void make_tcrdist_block(const std::uint8_t* const* refs, int count, int length, TcrdistBlock& block) {
  block.length = length;
  for (int j = 0; j < length; ++j)
    for (int lane = 0; lane < kTcrdistLanes; ++lane) {
      const std::uint8_t code = lane < count ? refs[lane][j] : std::uint8_t{0};
      // Byte shuffles read the low 4 bits and give 0 when bit 7 is set: code + 0x70 keeps codes
      // 0..15 (bit 7 clear) and silences 16..20; code - 16 does the opposite.
      block.low[j * kTcrdistLanes + lane] = static_cast<std::uint8_t>(code + 0x70);
      block.high[j * kTcrdistLanes + lane] = static_cast<std::uint8_t>(code - 16);
    }
}

void make_tcrdist_query_rows(const std::uint8_t* q, int ql, const std::uint8_t* dist, TcrdistQueryRows& rows) {
  rows.length = ql;
  for (int i = 0; i < ql; ++i) {
    const std::uint8_t* row = dist + q[i] * kTcrdistAlphabet;
    std::uint8_t high[16] = {};
    std::memcpy(high, row + 16, kTcrdistAlphabet - 16);
    for (int half = 0; half < 2; ++half) {
      std::memcpy(rows.low + i * kTcrdistLanes + half * 16, row, 16);
      std::memcpy(rows.high + i * kTcrdistLanes + half * 16, high, 16);
    }
  }
}

#ifdef TILMATCH_X86
namespace {

// d(q_i, s_j) for the 32 lanes.
__attribute__((target("avx2"))) inline __m256i lookup(const TcrdistQueryRows& q, int i, const TcrdistBlock& s, int j) {
  const __m256i lo_row = _mm256_load_si256(reinterpret_cast<const __m256i*>(q.low + i * kTcrdistLanes));
  const __m256i hi_row = _mm256_load_si256(reinterpret_cast<const __m256i*>(q.high + i * kTcrdistLanes));
  const __m256i lo_idx = _mm256_load_si256(reinterpret_cast<const __m256i*>(s.low + j * kTcrdistLanes));
  const __m256i hi_idx = _mm256_load_si256(reinterpret_cast<const __m256i*>(s.high + j * kTcrdistLanes));
  return _mm256_or_si256(_mm256_shuffle_epi8(lo_row, lo_idx), _mm256_shuffle_epi8(hi_row, hi_idx));
}

}  // namespace

// tcrdist_cdr3_mismatch step for step, 32 lanes at once. Every sum is at most 4 per position and
// at most kTcrdistSimdMaxLength positions, so byte arithmetic never wraps and equals the int sums.
__attribute__((target("avx2"))) void tcrdist_mismatch_block(const TcrdistQueryRows& q, const TcrdistBlock& s,
                                                            int ntrim, int ctrim, std::uint8_t* out) {
  const int ql = q.length, sl = s.length;
  __m256i best;
  if (ql == sl) {
    __m256i sum = _mm256_setzero_si256();
    for (int i = ntrim; i < ql - ctrim; ++i) sum = _mm256_add_epi8(sum, lookup(q, i, s, i));
    best = sum;
  } else {
    const int short_len = ql < sl ? ql : sl;
    int lo = 5;
    int hi = short_len - 1 - 4;
    while (lo > hi) {
      --lo;
      ++hi;
    }
    __m256i n_sum = _mm256_setzero_si256();
    for (int i = ntrim; i < lo; ++i) n_sum = _mm256_add_epi8(n_sum, lookup(q, i, s, i));
    __m256i c_sum = _mm256_setzero_si256();
    for (int c = ctrim; c < short_len - lo; ++c) c_sum = _mm256_add_epi8(c_sum, lookup(q, ql - 1 - c, s, sl - 1 - c));
    best = _mm256_add_epi8(n_sum, c_sum);
    for (int g = lo + 1; g <= hi; ++g) {
      if (g - 1 >= ntrim) n_sum = _mm256_add_epi8(n_sum, lookup(q, g - 1, s, g - 1));
      const int c = short_len - g;
      if (c >= ctrim) c_sum = _mm256_sub_epi8(c_sum, lookup(q, ql - 1 - c, s, sl - 1 - c));
      best = _mm256_min_epu8(best, _mm256_add_epi8(n_sum, c_sum));
    }
  }
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), best);
}
#else
// Not reached (tcrdist_simd_available() is false).
void tcrdist_mismatch_block(const TcrdistQueryRows&, const TcrdistBlock&, int, int, std::uint8_t* out) {
  std::memset(out, 0, kTcrdistLanes);
}
#endif

}  // namespace tilmatch::scoring
