#pragma once
/// TCRdist's CDR3 mismatch of one query against kTcrdistLanes references of one length at once,
/// one reference per byte lane (AVX2, chosen at run time). Each lane performs the integer steps of
/// tcrdist_cdr3_mismatch (the same positions, gap search and minimum), so the result equals it
/// exactly (tests/scoring/test_tcrdist_simd.cpp).

#include <cstdint>

namespace tilmatch::scoring {

/// References scored together: one AVX2 register of bytes.
inline constexpr int kTcrdistLanes = 32;
/// Longest CDR3 the kernel takes: its sums (at most 4 per position) must stay below 256.
inline constexpr int kTcrdistSimdMaxLength = 60;

/// Whether the AVX2 kernel can run here (an x86-64 CPU with AVX2; checked once).
bool tcrdist_simd_available() noexcept;

/// A block of up to kTcrdistLanes references of `length` <= kTcrdistSimdMaxLength residues, as the
/// kernel reads them: per position j, 32 bytes of (code + 0x70) and 32 bytes of (code - 16), so
/// that two byte shuffles look a 21-entry table row up. Lanes from `count` on are padding.
struct TcrdistBlock {
  int length = 0;
  alignas(32) std::uint8_t low[kTcrdistSimdMaxLength * kTcrdistLanes];
  alignas(32) std::uint8_t high[kTcrdistSimdMaxLength * kTcrdistLanes];
};

/// Fills `block` from `refs[lane]` (residue codes 0..20), `count` <= kTcrdistLanes of them.
void make_tcrdist_block(const std::uint8_t* const* refs, int count, int length, TcrdistBlock& block);

/// A query as the kernel reads it: per position i the distance-table row of its residue, entries
/// 0..15 and 16..21, each 16-byte half repeated in both halves of a 32-byte register.
struct TcrdistQueryRows {
  int length = 0;
  alignas(32) std::uint8_t low[kTcrdistSimdMaxLength * kTcrdistLanes];
  alignas(32) std::uint8_t high[kTcrdistSimdMaxLength * kTcrdistLanes];
};

/// Fills `rows` for query `q` (`ql` <= kTcrdistSimdMaxLength codes 0..20) under `dist`, a flat
/// kTcrdistAlphabet^2 table whose entries are <= 4.
void make_tcrdist_query_rows(const std::uint8_t* q, int ql, const std::uint8_t* dist, TcrdistQueryRows& rows);

/// tcrdist_cdr3_mismatch(q, ql, refs[lane], block.length, dist, ntrim, ctrim) for every lane:
/// out[lane]. Requires tcrdist_simd_available().
void tcrdist_mismatch_block(const TcrdistQueryRows& q, const TcrdistBlock& block, int ntrim, int ctrim,
                            std::uint8_t* out);

}  // namespace tilmatch::scoring
