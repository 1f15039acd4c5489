#include "scoring/engine.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "scoring/vgene_table.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::scoring {

namespace {

// Splits [0,nq) x [0,nr) into query tiles, each handled by one thread across all reference
// tiles (so per-query top-k needs no merging), then sorts everything into the output order.
// score_tile(q0, q1, r0, r1, out) appends the hits of one tile.
template <class Hit, class ScoreTile>
std::vector<Hit> run_tiles(std::size_t nq, std::size_t nr, const EngineOptions& o,
                           const ScoreTile& score_tile) {
  if (nq == 0 || nr == 0) return {};
  unsigned threads = o.threads != 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t budget = effective_memory_budget(o.memory_budget_bytes);
  std::size_t tq = o.tile_queries != 0 ? o.tile_queries : 64;
  // A tile buffer can hold every pair of the tile; a quarter of the budget goes to these buffers.
  std::size_t tr = o.tile_references;
  if (tr == 0) tr = std::max<std::size_t>(64, budget / 4 / threads / (tq * sizeof(Hit)));
  tq = std::min(tq, nq);
  tr = std::min(tr, nr);
  const std::size_t n_tiles = (nq + tq - 1) / tq;
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, n_tiles));

  std::vector<std::vector<Hit>> per_tile(n_tiles);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> kept_bytes{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    try {
      std::vector<Hit> buf;
      for (std::size_t t = next++; t < n_tiles && !failed; t = next++) {
        const std::size_t q0 = t * tq;
        const std::size_t q1 = std::min(nq, q0 + tq);
        std::vector<Hit> kept;
        for (std::size_t r0 = 0; r0 < nr; r0 += tr) {
          buf.clear();
          score_tile(q0, q1, r0, std::min(nr, r0 + tr), buf);
          kept.insert(kept.end(), buf.begin(), buf.end());
          if (o.top_k != 0) sort_hits(kept, o.top_k);
        }
        if ((kept_bytes += kept.size() * sizeof(Hit)) > budget / 2)
          throw HitBudgetExceeded(budget);
        per_tile[t] = std::move(kept);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (unsigned i = 0; i < threads; ++i) pool.emplace_back(worker);
    for (auto& th : pool) th.join();
  }
  if (error) std::rethrow_exception(error);
  std::vector<Hit> all;
  for (auto& v : per_tile) all.insert(all.end(), v.begin(), v.end());
  sort_hits(all, 0);
  return all;
}

}  // namespace

TcrdistSet encode_tcrdist_set(const std::vector<TcrRecord>& tcrs, Chains chains,
                              const VGeneTable* vgenes) {
  TcrdistSet set;
  set.chains = chains;
  set.vloops = vgenes != nullptr;
  set.count = tcrs.size();
  for (int c = 0; c < 2; ++c) {
    if (!uses_chain(chains, c)) continue;
    std::vector<std::string> seqs;
    seqs.reserve(tcrs.size());
    for (const auto& t : tcrs) seqs.push_back(c == 0 ? t.cdr3_a : t.cdr3_b);
    set.cdr3[c] = encode::encode_batch(seqs);
    set.position[c].resize(tcrs.size());
    for (std::size_t p = 0; p < tcrs.size(); ++p) set.position[c][set.cdr3[c].input_index[p]] =
        static_cast<std::uint32_t>(p);
    if (vgenes == nullptr) continue;
    std::unordered_map<std::string, std::uint16_t> number;  // gene name as given -> gene number
    set.gene_of[c].resize(tcrs.size());
    for (std::size_t i = 0; i < tcrs.size(); ++i) {
      const std::string& gene = c == 0 ? tcrs[i].v_a : tcrs[i].v_b;
      auto [it, fresh] = number.try_emplace(gene, static_cast<std::uint16_t>(number.size()));
      if (fresh) {
        const auto loops = vgenes->loops(gene);
        if (number.size() == 1) set.loop_length[c] = static_cast<std::uint32_t>(loops.size());
        if (loops.size() != set.loop_length[c])
          throw InputError(vgenes->file(), "",
                           "V gene '" + gene + "' has loops of a different length than its chain's");
        if (number.size() > 0xFFFF) throw InputError(vgenes->file(), "", "more than 65,535 distinct V genes");
        set.gene_loops[c].insert(set.gene_loops[c].end(), loops.begin(), loops.end());
      }
      set.gene_of[c][i] = it->second;
    }
  }
  return set;
}

VLoopTables make_vloop_tables(const TcrdistSet& q, const TcrdistSet& r) {
  VLoopTables t;
  if (!q.vloops || !r.vloops) return t;
  for (int c = 0; c < 2; ++c) {
    if (!uses_chain(q.chains, c)) continue;
    const std::size_t nq = q.genes(c), nr = r.genes(c), len = q.loop_length[c];
    t.stride[c] = static_cast<std::uint32_t>(nr);
    t.d[c].resize(nq * nr);
    for (std::size_t a = 0; a < nq; ++a)
      for (std::size_t b = 0; b < nr; ++b)
        t.d[c][a * nr + b] = tcrdist_vloops(q.gene_loops[c].data() + a * len, r.gene_loops[c].data() + b * len,
                                            static_cast<int>(len), kTcrdistTable.d);
  }
  return t;
}

namespace {

/// Query view with the V-loop tables of this search attached (`tables` must outlive it).
TcrSetView query_view(const TcrdistSet& q, const VLoopTables& tables) {
  TcrSetView v = view_of(q);
  const std::int32_t* const d[2] = {tables.d[0].data(), tables.d[1].data()};
  attach_vloop_tables(v, d, tables.stride);
  return v;
}

}  // namespace

int tcrdist_pair(const TcrdistSet& q, std::size_t qi, const TcrdistSet& r, std::size_t ri,
                 const TcrdistParams& params) {
  const VLoopTables tables = make_vloop_tables(q, r);
  return tcrdist_tcr(query_view(q, tables), qi, view_of(r), ri, kTcrdistTable.d, params);
}

std::vector<TcrdistHit> tcrdist_search(const TcrdistSet& queries, const TcrdistSet& references,
                                       int max_distance, const EngineOptions& options,
                                       const TcrdistParams& params) {
  if (queries.chains != references.chains || queries.vloops != references.vloops ||
      (queries.vloops && (queries.loop_length[0] != references.loop_length[0] ||
                          queries.loop_length[1] != references.loop_length[1])))
    throw Error("tcrdist_search: queries and references are encoded differently");
  if (!params.valid()) throw Error("tcrdist_search: TCRdist weights, gap penalty and trims must be non-negative");
  if (max_distance < 0) return {};
  const VLoopTables tables = make_vloop_tables(queries, references);
  const TcrSetView qv = query_view(queries, tables);
  const TcrSetView rv = view_of(references);
  // References are visited in the length order of one scored chain's batch, so each query scores
  // only the lengths that can lie within max_distance: every residue of length difference costs
  // cdr3_weight x gap_penalty, and no other term is negative.
  const int primary = uses_chain(queries.chains, 1) ? 1 : 0;
  const encode::EncodedBatch& rb = references.cdr3[primary];
  const encode::EncodedBatch& qb = queries.cdr3[primary];
  const std::vector<std::uint32_t>& qpos = queries.position[primary];
  const long per_residue = static_cast<long>(params.cdr3_weight) * params.gap_penalty;
  const long max_diff = per_residue > 0 ? max_distance / per_residue : std::numeric_limits<int>::max();
  return run_tiles<TcrdistHit>(
      queries.size(), references.size(), options,
      [&](std::size_t q0, std::size_t q1, std::size_t r0, std::size_t r1,
          std::vector<TcrdistHit>& out) {
        for (std::size_t qi = q0; qi < q1; ++qi) {
          const long ql = qb.lengths[qpos[qi]];
          const auto lo_len = static_cast<std::uint32_t>(std::max(0L, ql - max_diff));
          const auto hi_len = static_cast<std::uint32_t>(std::min<long>(ql + max_diff, 0xFFFFFFFFL));
          const auto lo = static_cast<std::size_t>(
              std::lower_bound(rb.lengths.begin(), rb.lengths.end(), lo_len) - rb.lengths.begin());
          const auto hi = static_cast<std::size_t>(
              std::upper_bound(rb.lengths.begin(), rb.lengths.end(), hi_len) - rb.lengths.begin());
          for (std::size_t rp = std::max(lo, r0); rp < std::min(hi, r1); ++rp) {
            const std::uint32_t ri = rb.input_index[rp];
            const int d = tcrdist_tcr(qv, qi, rv, ri, kTcrdistTable.d, params);
            if (d <= max_distance) out.push_back({static_cast<std::uint32_t>(qi), ri, d});
          }
        }
      });
}

TcrmatchSet encode_tcrmatch_set(const std::vector<std::string>& seqs, const K1Table& k1) {
  TcrmatchSet set;
  set.seqs = encode::encode_batch(seqs);
  set.self.resize(set.seqs.size());
  for (std::size_t p = 0; p < set.seqs.size(); ++p) {
    const std::uint8_t* s = set.seqs.codes.data() + set.seqs.offsets[p];
    const int n = static_cast<int>(set.seqs.lengths[p]);
    set.self[p] = tcrmatch_k3(s, n, s, n, k1.k);
  }
  return set;
}

std::vector<TcrmatchHit> tcrmatch_search(const TcrmatchSet& queries, const TcrmatchSet& references,
                                         float min_score, const K1Table& k1,
                                         const EngineOptions& options) {
  const auto& qb = queries.seqs;
  const auto& rb = references.seqs;
  return run_tiles<TcrmatchHit>(
      qb.size(), rb.size(), options,
      [&](std::size_t q0, std::size_t q1, std::size_t r0, std::size_t r1,
          std::vector<TcrmatchHit>& out) {
        for (std::size_t qp = q0; qp < q1; ++qp)
          for (std::size_t rp = r0; rp < r1; ++rp) {
            const float s = tcrmatch_pair_score(
                qb.codes.data() + qb.offsets[qp], static_cast<int>(qb.lengths[qp]), queries.self[qp],
                rb.codes.data() + rb.offsets[rp], static_cast<int>(rb.lengths[rp]),
                references.self[rp], k1.k);
            if (s >= min_score) out.push_back({qb.input_index[qp], rb.input_index[rp], s});
          }
      });
}

}  // namespace tilmatch::scoring
