#pragma once
/// Bounds that let the CPU engine skip pairs that cannot be hits without scoring them: a lower bound
/// on TCRdist per group of references, an upper bound on the TCRMatch score per reference length.
/// Each bound holds for every pair it covers, with floating-point error accounted for, so pruning
/// never changes a hit (tests/scoring/test_prune.cpp compares every pruned search with the
/// unpruned one, EngineOptions::prune = false).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "scoring/engine.hpp"

namespace tilmatch::scoring {

// ---- TCRdist ----

/// The references of a TCRdist search in the order the CPU engine visits them: by the CDR3 length
/// of the primary chain (beta when scored, else alpha), then (with V loops) by the V genes of the
/// scored chains, then by input index. Each run of one length and one set of V genes is a group,
/// whose pairs with a query share one lower bound (tcrdist_group_bound).
struct TcrdistGroups {
  struct Group {
    std::uint32_t begin = 0;   ///< first position in `reference`
    std::uint32_t end = 0;     ///< one past the last position
    std::uint32_t length = 0;  ///< primary-chain CDR3 length of every reference in the group
    std::uint16_t gene[2] = {0, 0};  ///< V-gene number per chain (TcrdistSet::gene_of); 0 without V loops
  };
  int primary = 1;                       ///< 0 alpha, 1 beta
  std::vector<std::uint32_t> reference;  ///< position -> reference input index
  std::vector<Group> groups;             ///< in position order, hence by length
};

/// Groups `references` (any size; empty gives no groups).
TcrdistGroups group_tcrdist_references(const TcrdistSet& references);

/// Lower bound on tcrdist_tcr of query `qi` (view `q`, with its V-loop tables attached) and every
/// reference of `g`, the query's CDR3 on the primary chain having `query_length` residues: every
/// residue of length difference costs cdr3_weight x gap_penalty (the gap term of tcrdist_cdr3,
/// whose mismatch term is >= 0), and with V loops the V-loop distance of the two genes is a term
/// of the sum itself. Exact integers: a pair is within a radius only if this bound is.
inline long tcrdist_group_bound(const TcrSetView& q, std::size_t qi, std::uint32_t query_length,
                                const TcrdistGroups::Group& g, const TcrdistParams& p) {
  const long diff = query_length > g.length ? query_length - g.length : g.length - query_length;
  long bound = static_cast<long>(p.cdr3_weight) * p.gap_penalty * diff;
  if (q.vloops)
    for (int c = 0; c < 2; ++c)
      if (q.use[c]) {
        const TcrChainView& a = q.chain[c];
        bound += a.vdist[static_cast<std::size_t>(a.gene_of[qi]) * a.vdist_stride + g.gene[c]];
      }
  return bound;
}

// ---- TCRMatch ----

/// The k-mer profile of a sequence x: a_k(x) = sqrt(K_k(x,x) / K3(x,x)) for k = 1..kTcrmatchMaxK,
/// where K_k(x,y) = sum over all pairs of k-mers of the product of K1 (so K3 = sum_k K_k), computed
/// in double from the float K1 table `k1`. All zero when K3(x,x) = 0 (empty or all-unknown x).
///
/// Why it bounds the score: the float K1 table is positive definite (its smallest eigenvalue is
/// 0.046; tested by Cholesky factorisation), so K1 is an inner product of residue feature vectors,
/// each K_k is one of k-fold tensor products summed over k-mers (positive semi-definite by the Schur
/// product theorem), and the K_k live in mutually orthogonal spaces; K3 is the kernel of
/// TCRMatch (Chronister et al., Front. Immunol. 12:640725, 2021; after Shen et al., Found. Comput.
/// Math. 14:951-984, 2014). Cauchy-Schwarz in each space gives K_k(f,g) <= sqrt(K_k(f,f) K_k(g,g)),
/// hence score(f,g) = K3(f,g) / sqrt(K3(f,f) K3(g,g)) <= sum_k a_k(f) a_k(g).
/// The bound is tight for sequences of one length and similar content and falls with the length
/// difference (the k-mer counts differ), so it prunes by length.
std::vector<double> tcrmatch_profile(const std::uint8_t* x, int n, const K1Table& k1);

/// Largest possible |tcrmatch_pair_score - exact score| for sequences of at most kTcrmatchMaxK
/// residues (error analysis in prune.cpp; about 1.5e-5, taken twice).
double tcrmatch_score_error() noexcept;

/// Pairs whose profile bound (sum_k a_k(f) a_k(g), summed in double from the float profiles of
/// TcrmatchSet::profile) is below this cannot reach min_score, when both sequences have at most
/// kTcrmatchMaxK residues: min_score minus tcrmatch_score_error minus the rounding of the stored
/// profiles (1e-6 >> 64 float ulps of a bound <= 1). Below 0 when nothing can be pruned.
double tcrmatch_prune_cut(float min_score) noexcept;

}  // namespace tilmatch::scoring
