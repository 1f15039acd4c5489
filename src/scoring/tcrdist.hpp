#pragma once
/// TCRdist with tcrdist3's defaults, written once for the CPU backend and the CUDA kernels.
/// Integer arithmetic only, so both backends agree bit for bit.
///
/// Residue distance d(a,b) = 0 if a == b, else min(4, 4 - BLOSUM62(a,b)); an unknown residue
/// (code 20) is 4 from any other residue; a V-loop gap (kGapCode, '.') costs 0 against anything.
/// Per chain: D = D_CDR1 + D_CDR2 + D_CDR2.5 (position sums over the IMGT-gapped loops)
///            + cdr3_weight * (min_g cost(g) + gap_penalty * |len difference|).

#include <cstdint>

#include "encode/hd.hpp"
#include "encode/residues.hpp"
#include "scoring/tables.hpp"

namespace tilmatch::scoring {

/// Code of a gap ('.') in IMGT-gapped V loops; only V-loop arrays contain it.
inline constexpr std::uint8_t kGapCode = 21;
/// Side of the residue distance table: codes 0..19, kUnknown (20), kGapCode (21).
inline constexpr int kTcrdistAlphabet = 22;

/// tcrdist3 defaults: CDR3 trimmed 3 (N-end) and 2 (C-end), weight 3, gap penalty 4.
struct TcrdistParams {
  int cdr3_weight = 3;
  int gap_penalty = 4;
  int ntrim = 3;
  int ctrim = 2;
  /// The searches' length pruning needs every term non-negative.
  constexpr bool valid() const noexcept { return cdr3_weight >= 0 && gap_penalty >= 0 && ntrim >= 0 && ctrim >= 0; }
};

/// Flat kTcrdistAlphabet x kTcrdistAlphabet residue distance table (row = first residue).
struct TcrdistTable {
  std::uint8_t d[kTcrdistAlphabet * kTcrdistAlphabet];
};

constexpr TcrdistTable make_tcrdist_table() {
  TcrdistTable t{};
  for (int a = 0; a < kTcrdistAlphabet; ++a) {
    for (int b = 0; b < kTcrdistAlphabet; ++b) {
      int v = 0;
      if (a == kGapCode || b == kGapCode || a == b) {
        v = 0;
      } else if (a == encode::kUnknown || b == encode::kUnknown) {
        v = 4;
      } else {
        const int s = blosum62(static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(b));
        v = 4 - s < 4 ? 4 - s : 4;
      }
      t.d[a * kTcrdistAlphabet + b] = static_cast<std::uint8_t>(v);
    }
  }
  return t;
}

inline constexpr TcrdistTable kTcrdistTable = make_tcrdist_table();

/// Distance of two residue codes under `dist` (a flat kTcrdistAlphabet^2 table).
TILMATCH_HD int tcrdist_residue(const std::uint8_t* dist, std::uint8_t a, std::uint8_t b) {
  return dist[a * kTcrdistAlphabet + b];
}

/// Unweighted CDR3 mismatch cost without the gap term: the equal-length position sum, or the
/// minimum over gap positions g of tcrdist3's gap search (g in [5, S-5], widened symmetrically
/// while that range is empty; S = shorter length). `q`, `s` are full CDR3s (C...F) as codes.
TILMATCH_HD int tcrdist_cdr3_mismatch(const std::uint8_t* q, int ql, const std::uint8_t* s, int sl,
                                      const std::uint8_t* dist, int ntrim, int ctrim) {
  if (ql == sl) {
    int sum = 0;
    for (int i = ntrim; i < ql - ctrim; ++i) sum += tcrdist_residue(dist, q[i], s[i]);
    return sum;
  }
  const int short_len = ql < sl ? ql : sl;
  int lo = 5;
  int hi = short_len - 1 - 4;
  while (lo > hi) {
    --lo;
    ++hi;
  }
  // cost(g) = N(g) + C(short_len - g), N(g) = sum of positions [ntrim, g) from the N-end and
  // C(r) = sum of positions [ctrim, r) from the C-end. Running sums: as g grows by one, N gains
  // position g-1 and C loses position short_len-g, so each residue pair is looked up once.
  int n_sum = 0;
  for (int i = ntrim; i < lo; ++i) n_sum += tcrdist_residue(dist, q[i], s[i]);
  int c_sum = 0;
  for (int c = ctrim; c < short_len - lo; ++c) c_sum += tcrdist_residue(dist, q[ql - 1 - c], s[sl - 1 - c]);
  int best = n_sum + c_sum;
  for (int g = lo + 1; g <= hi; ++g) {
    if (g - 1 >= ntrim) n_sum += tcrdist_residue(dist, q[g - 1], s[g - 1]);
    const int c = short_len - g;
    if (c >= ctrim) c_sum -= tcrdist_residue(dist, q[ql - 1 - c], s[sl - 1 - c]);
    const int cost = n_sum + c_sum;
    if (cost < best) best = cost;
  }
  return best;
}

/// Weighted CDR3 distance: weight * (mismatch + gap_penalty * |ql - sl|).
TILMATCH_HD int tcrdist_cdr3(const std::uint8_t* q, int ql, const std::uint8_t* s, int sl,
                             const std::uint8_t* dist, const TcrdistParams& p) {
  const int diff = ql > sl ? ql - sl : sl - ql;
  return p.cdr3_weight *
         (tcrdist_cdr3_mismatch(q, ql, s, sl, dist, p.ntrim, p.ctrim) + p.gap_penalty * diff);
}

/// V-loop distance: position sum over two equally long gapped loop arrays (CDR1+CDR2+CDR2.5).
TILMATCH_HD int tcrdist_vloops(const std::uint8_t* a, const std::uint8_t* b, int n,
                               const std::uint8_t* dist) {
  int sum = 0;
  for (int i = 0; i < n; ++i) sum += tcrdist_residue(dist, a[i], b[i]);
  return sum;
}

/// Non-owning view of one chain of an encoded TCR set (host or device pointers alike): CDR3 codes
/// at `offsets[position[i]]` with `lengths[position[i]]` residues (i = input index) and, with V
/// loops, the TCR's V-gene number `gene_of[i]`. In a query view `vdist` is the precomputed V-loop
/// distance table of this search: vdist[query gene * vdist_stride + reference gene].
struct TcrChainView {
  const std::uint8_t* codes = nullptr;
  const std::uint64_t* offsets = nullptr;
  const std::uint32_t* lengths = nullptr;
  const std::uint32_t* position = nullptr;
  const std::uint16_t* gene_of = nullptr;
  const std::int32_t* vdist = nullptr;
  std::uint32_t vdist_stride = 0;
};

/// Both chains of a TCR set; `use[c]` says which chains are scored (0 alpha, 1 beta).
struct TcrSetView {
  TcrChainView chain[2];
  bool use[2] = {false, false};
  bool vloops = false;
};

/// TCRdist of TCR `qi` of `q` and TCR `ri` of `r`: the sum over the scored chains of the
/// weighted CDR3 distance plus, with V loops, the loop distance of their two V genes, looked up in
/// the query view's table (one lookup instead of a position sum over ~20 loop residues).
TILMATCH_HD int tcrdist_tcr(const TcrSetView& q, std::uint64_t qi, const TcrSetView& r,
                            std::uint64_t ri, const std::uint8_t* dist, const TcrdistParams& p) {
  int total = 0;
  for (int c = 0; c < 2; ++c) {
    if (!q.use[c]) continue;
    const TcrChainView& a = q.chain[c];
    const TcrChainView& b = r.chain[c];
    const std::uint32_t qp = a.position[qi];
    const std::uint32_t rp = b.position[ri];
    total += tcrdist_cdr3(a.codes + a.offsets[qp], static_cast<int>(a.lengths[qp]),
                          b.codes + b.offsets[rp], static_cast<int>(b.lengths[rp]), dist, p);
    if (q.vloops) total += a.vdist[static_cast<std::uint64_t>(a.gene_of[qi]) * a.vdist_stride + b.gene_of[ri]];
  }
  return total;
}

}  // namespace tilmatch::scoring
