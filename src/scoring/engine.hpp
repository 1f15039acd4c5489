#pragma once
/// CPU backend: queries x references scored in tiles, multi-threaded, keeping only hits (and
/// optionally the best k per query). Output order is (query, score, reference) whatever the
/// thread count or tile size, so results are byte-identical across runs.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "encode/batch.hpp"
#include "scoring/tcrdist.hpp"
#include "scoring/tcrmatch.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::scoring {

class VGeneTable;

struct EngineOptions {
  unsigned threads = 0;                  ///< worker threads; 0 = all hardware threads
  std::size_t tile_queries = 0;          ///< queries per tile; 0 = derived from the budget
  std::size_t tile_references = 0;       ///< references per tile; 0 = derived from the budget
  std::size_t memory_budget_bytes = std::size_t{256} << 20;  ///< working set + kept hits, bytes
  std::size_t top_k = 0;                 ///< keep at most k best hits per query; 0 = all
  /// Skip pairs that a bound shows cannot be hits (scoring/prune.hpp); the hits are the same bytes
  /// either way. false scores every pair in full: the reference the pruning is tested against.
  bool prune = true;
  /// Use the AVX2 kernels where the CPU has them (TCRMatch: scoring/tcrmatch_simd.hpp; TCRdist of
  /// one chain: scoring/tcrdist_simd.hpp), which give the scalar rules' bits. false: scalar only.
  bool simd = true;
  /// When non-null, the CPU engine adds the number of pairs it scored in full (the others were
  /// pruned); owned by the caller. Other backends leave it alone.
  std::atomic<std::uint64_t>* scored_pairs = nullptr;
};

/// Thrown by every backend's search when the hits it keeps pass half the memory budget; callers
/// that score in blocks catch it and score a smaller block.
class HitBudgetExceeded : public Error {
 public:
  explicit HitBudgetExceeded(std::size_t budget)
      : Error("scoring: hits exceed the memory budget of " + std::to_string(budget) +
              " bytes; tighten the threshold, use top-k or raise --memory") {}
};

/// Thrown by a device backend when a device allocation fails (cudaErrorMemoryAllocation). The
/// device stays usable, so callers retry with smaller device tiles (scoring/backend.hpp:
/// search_with_tile_fallback); uncaught, it is a CudaError like any other device failure.
class DeviceOutOfMemory : public CudaError {
 public:
  using CudaError::CudaError;
};

/// The budget a search works to: EngineOptions::memory_budget_bytes, at least 64 KiB (every backend).
inline std::size_t effective_memory_budget(std::size_t memory_budget_bytes) noexcept {
  return std::max<std::size_t>(memory_budget_bytes, std::size_t{1} << 16);
}

/// One TCRdist hit; indices are positions in the caller's query / reference vectors.
struct TcrdistHit {
  std::uint32_t query = 0;
  std::uint32_t reference = 0;
  std::int32_t distance = 0;
  friend bool operator==(const TcrdistHit&, const TcrdistHit&) = default;
};

/// One TCRMatch hit; indices are positions in the caller's query / reference vectors.
struct TcrmatchHit {
  std::uint32_t query = 0;
  std::uint32_t reference = 0;
  float score = 0.0f;
  friend bool operator==(const TcrmatchHit&, const TcrmatchHit&) = default;
};

enum class Chains { beta, alpha, alpha_beta };

/// A TCR as given: full CDR3s (C...F) and V genes (needed only when V loops are scored).
struct TcrRecord {
  std::string cdr3_a;
  std::string cdr3_b;
  std::string v_a;
  std::string v_b;
};

/// A TcrRecord whose strings are held elsewhere (a clonotype table's, say), for encoding millions
/// of TCRs without copying them.
struct TcrRecordView {
  std::string_view cdr3_a;
  std::string_view cdr3_b;
  std::string_view v_a;
  std::string_view v_b;
};

/// TCRs encoded once for TCRdist: per chain a length-bucketed CDR3 batch plus, per TCR, its
/// position in that batch and (with V loops) the number of its V gene among the set's distinct
/// genes, whose gapped loop codes are kept once each. A V gene the table cannot resolve (or an
/// empty one) is kept as a gene with `gene_known` 0: its loops count 0 against any gene, so such a
/// TCR is scored on its CDR3 alone rather than dropped.
struct TcrdistSet {
  Chains chains = Chains::beta;
  bool vloops = false;
  encode::EncodedBatch cdr3[2];           ///< [0] alpha, [1] beta (unused chain left empty)
  std::vector<std::uint32_t> position[2];  ///< input index -> batch position, per chain
  std::vector<std::uint8_t> gene_loops[2]; ///< loop_length[c] codes per distinct V gene
  std::vector<std::uint16_t> gene_of[2];   ///< input index -> V-gene number, per chain
  std::vector<std::uint8_t> gene_known[2]; ///< per V-gene number: 1 when the table resolved it
  std::uint32_t loop_length[2] = {0, 0};
  std::size_t genes(int c) const noexcept { return loop_length[c] ? gene_loops[c].size() / loop_length[c] : 0; }
  std::size_t size() const noexcept { return count; }
  std::size_t count = 0;
};

/// The V-loop distances of one search: per chain, every query gene against every reference gene
/// (tcrdist_vloops), row-major with stride = the reference set's gene count.
struct VLoopTables {
  std::vector<std::int32_t> d[2];
  std::uint32_t stride[2] = {0, 0};
};

/// Builds the tables for `queries` x `references` (empty when they carry no V loops).
VLoopTables make_vloop_tables(const TcrdistSet& queries, const TcrdistSet& references);

/// Encodes `tcrs`; with `vgenes` non-null V loops are looked up (VGeneTable::lookup: a missing
/// allele falls back to the gene's *01; an unknown gene is scored on its CDR3 alone and counted).
TcrdistSet encode_tcrdist_set(const std::vector<TcrRecord>& tcrs, Chains chains,
                              const VGeneTable* vgenes);
/// The same over `n` TCRs given by `tcr(i)`, i < n (views valid while the call runs; the same set,
/// bit for bit, as records of the same strings): no array of records or views is made, so
/// encoding a patient's millions of clonotypes costs only the set.
TcrdistSet encode_tcrdist_set(std::size_t n, const std::function<TcrRecordView(std::size_t)>& tcr, Chains chains,
                              const VGeneTable* vgenes);

/// TCRdist of query `qi` and reference `ri` (input indices) of two sets encoded alike.
int tcrdist_pair(const TcrdistSet& q, std::size_t qi, const TcrdistSet& r, std::size_t ri,
                 const TcrdistParams& params = {});

/// All pairs with distance <= max_distance, sorted by (query, distance, reference).
std::vector<TcrdistHit> tcrdist_search(const TcrdistSet& queries, const TcrdistSet& references,
                                       int max_distance, const EngineOptions& options = {},
                                       const TcrdistParams& params = {});

/// Already-trimmed CDR3s (or peptides) encoded once, with self-scores K3(f,f) and k-mer profiles
/// (kTcrmatchMaxK floats each, scoring/prune.hpp: tcrmatch_profile) by batch position.
struct TcrmatchSet {
  encode::EncodedBatch seqs;
  std::vector<float> self;
  std::vector<float> profile;
  std::size_t size() const noexcept { return seqs.size(); }
};

TcrmatchSet encode_tcrmatch_set(const std::vector<std::string>& seqs, const K1Table& k1);

/// All pairs with score >= min_score, sorted by (query, score descending, reference).
/// TCRMatch's "score > threshold" is min_score = tcrmatch_min_score(threshold).
std::vector<TcrmatchHit> tcrmatch_search(const TcrmatchSet& queries, const TcrmatchSet& references,
                                         float min_score, const K1Table& k1,
                                         const EngineOptions& options = {});

/// Deterministic orders used for output and top-k (by every backend): query, then better score,
/// then reference.
inline bool hit_before(const TcrdistHit& a, const TcrdistHit& b) noexcept {
  if (a.query != b.query) return a.query < b.query;
  if (a.distance != b.distance) return a.distance < b.distance;
  return a.reference < b.reference;
}
inline bool hit_before(const TcrmatchHit& a, const TcrmatchHit& b) noexcept {
  if (a.query != b.query) return a.query < b.query;
  if (a.score != b.score) return a.score > b.score;
  return a.reference < b.reference;
}

/// Sorts `hits` by hit_before and, when top_k > 0, keeps the first top_k hits of each query.
template <class Hit>
void sort_hits(std::vector<Hit>& hits, std::size_t top_k) {
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return hit_before(a, b); });
  if (top_k == 0) return;
  std::size_t out = 0;
  std::size_t run = 0;
  for (std::size_t i = 0; i < hits.size(); ++i) {
    run = (i > 0 && hits[i].query == hits[i - 1].query) ? run + 1 : 0;
    if (run < top_k) hits[out++] = hits[i];
  }
  hits.resize(out);
}

/// Whether chain `c` (0 alpha, 1 beta) is scored under `chains`.
inline bool uses_chain(Chains chains, int c) noexcept {
  return chains == Chains::alpha_beta || (c == 0 ? chains == Chains::alpha : chains == Chains::beta);
}

/// Host-pointer view of `set` for tcrdist_tcr (valid while `set` lives).
inline TcrSetView view_of(const TcrdistSet& set) {
  TcrSetView v;
  v.vloops = set.vloops;
  for (int c = 0; c < 2; ++c) {
    v.use[c] = uses_chain(set.chains, c);
    v.chain[c] = {set.cdr3[c].codes.data(), set.cdr3[c].offsets.data(), set.cdr3[c].lengths.data(),
                  set.position[c].data(),   set.gene_of[c].data(),      nullptr, 0};
  }
  return v;
}

/// Points a query view at the V-loop tables of its search (host or device copies alike).
inline void attach_vloop_tables(TcrSetView& query_view, const std::int32_t* const table[2],
                                const std::uint32_t stride[2]) {
  for (int c = 0; c < 2; ++c) {
    query_view.chain[c].vdist = table[c];
    query_view.chain[c].vdist_stride = stride[c];
  }
}

}  // namespace tilmatch::scoring
