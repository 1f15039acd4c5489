#pragma once
/// Peptide similarities: Hamming distance of equal-length peptides and TCRMatch's kernel score
/// (scoring/tcrmatch.hpp) applied to peptides.

#include <cstdint>

#include "encode/hd.hpp"
#include "scoring/tcrmatch.hpp"

namespace tilmatch::scoring {

/// Number of positions whose residue codes differ; both arrays hold `n` codes.
TILMATCH_HD int peptide_hamming(const std::uint8_t* a, const std::uint8_t* b, int n) {
  int d = 0;
  for (int i = 0; i < n; ++i) d += a[i] != b[i] ? 1 : 0;
  return d;
}

/// Kernel similarity of two peptides in [0, 1] (1 for identical peptides without unknowns).
TILMATCH_HD float peptide_kernel_score(const std::uint8_t* a, int la, const std::uint8_t* b, int lb,
                                       const float* k1) {
  return tcrmatch_normalise(tcrmatch_k3(a, la, b, lb, k1), tcrmatch_k3(a, la, a, la, k1),
                            tcrmatch_k3(b, lb, b, lb, k1));
}

}  // namespace tilmatch::scoring
