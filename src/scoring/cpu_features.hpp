#pragma once
/// Run-time CPU feature checks shared by the SIMD scorers (tcrdist_simd, tcrmatch_simd).

namespace tilmatch::scoring {

/// Whether this CPU runs AVX2 (checked once); false off x86-64.
inline bool avx2_available() noexcept {
#if defined(__x86_64__) || defined(_M_X64)
  static const bool available = __builtin_cpu_supports("avx2");
  return available;
#else
  return false;
#endif
}

}  // namespace tilmatch::scoring
