#pragma once
/// TCRMatch's K3 of one query against kTcrmatchLanes references of one length at once, one
/// reference per vector lane (AVX2, chosen at run time; the CPU engine's only SIMD path). Every
/// lane performs the float operations of tcrmatch_k3 in the same order, without FMA, so each result
/// is bit-identical to tcrmatch_k3 of that pair (tests/scoring/test_tcrmatch_simd.cpp).

#include <cstddef>
#include <cstdint>

#include "scoring/tcrmatch.hpp"

namespace tilmatch::scoring {

/// References scored together: one AVX2 register of floats.
inline constexpr int kTcrmatchLanes = 8;

/// Whether the AVX2 kernel can run here (an x86-64 CPU with AVX2; checked once).
bool tcrmatch_simd_available() noexcept;

/// Floats a block profile of references of `length` residues holds.
constexpr std::size_t tcrmatch_block_profile_size(int length) noexcept {
  return static_cast<std::size_t>(kK1Alphabet) * static_cast<std::size_t>(length) * kTcrmatchLanes;
}

/// The block profile of up to kTcrmatchLanes references (`refs[lane]`, `length` residue codes each;
/// lanes from `count` on are padding, scored as all-unknown): out[(a * length + j) * kTcrmatchLanes
/// + lane] = K1(a, refs[lane][j]), so that the kernel reads one aligned row per cell instead of a
/// table lookup per lane. `out` holds tcrmatch_block_profile_size(length) floats, 32-byte aligned.
void make_tcrmatch_block_profile(const std::uint8_t* const* refs, int count, int length, const K1Table& k1,
                                 float* out);

/// K3(f, refs[lane]) for every lane of a block profile: out[lane]. Requires lf and length <=
/// kTcrmatchMaxK (no run is ever removed then) and tcrmatch_simd_available().
void tcrmatch_k3_block(const std::uint8_t* f, int lf, const float* profile, int length, float* out);

}  // namespace tilmatch::scoring
