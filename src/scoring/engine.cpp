#include "scoring/engine.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "scoring/prune.hpp"
#include "scoring/tcrdist_simd.hpp"
#include "scoring/tcrmatch_simd.hpp"
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
  return encode_tcrdist_set(
      tcrs.size(), [&tcrs](std::size_t i) { return TcrRecordView{tcrs[i].cdr3_a, tcrs[i].cdr3_b, tcrs[i].v_a, tcrs[i].v_b}; },
      chains, vgenes);
}

TcrdistSet encode_tcrdist_set(std::size_t n, const std::function<TcrRecordView(std::size_t)>& tcr, Chains chains,
                              const VGeneTable* vgenes) {
  TcrdistSet set;
  set.chains = chains;
  set.vloops = vgenes != nullptr;
  set.count = n;
  for (int c = 0; c < 2; ++c) {
    if (!uses_chain(chains, c)) continue;
    set.cdr3[c] = encode::encode_batch(n, [&tcr, c](std::size_t i) { return c == 0 ? tcr(i).cdr3_a : tcr(i).cdr3_b; });
    set.position[c].resize(n);
    for (std::size_t p = 0; p < n; ++p) set.position[c][set.cdr3[c].input_index[p]] =
        static_cast<std::uint32_t>(p);
    if (vgenes == nullptr) continue;
    std::unordered_map<std::string, std::uint16_t> number;  // gene name as given -> gene number
    std::vector<std::span<const std::uint8_t>> loops_of;     // per gene number; empty when unknown
    set.gene_of[c].resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const TcrRecordView t = tcr(i);
      const std::string_view gene = c == 0 ? t.v_a : t.v_b;
      auto [it, fresh] = number.try_emplace(std::string(gene), static_cast<std::uint16_t>(number.size()));
      if (fresh) {
        if (number.size() > 0xFFFF) throw InputError(vgenes->file(), "", "more than 65,535 distinct V genes");
        const VGeneMatch match = vgenes->lookup(gene);
        loops_of.push_back(match == VGeneMatch::kUnknown ? std::span<const std::uint8_t>{} : vgenes->loops(gene));
        set.gene_known[c].push_back(match == VGeneMatch::kUnknown ? 0 : 1);
      }
      set.gene_of[c][i] = it->second;
    }
    // Unknown genes get gap loops of the chain's length, which the distance tables then ignore.
    for (const auto& loops : loops_of) {
      if (loops.empty()) continue;
      if (set.loop_length[c] == 0) set.loop_length[c] = static_cast<std::uint32_t>(loops.size());
      if (loops.size() != set.loop_length[c])
        throw InputError(vgenes->file(), "", "V genes of one chain have loops of different lengths");
    }
    if (set.loop_length[c] == 0 && !loops_of.empty()) set.loop_length[c] = std::max(vgenes->first_loop_length(), 1u);
    for (const auto& loops : loops_of) {
      if (loops.empty())
        set.gene_loops[c].insert(set.gene_loops[c].end(), set.loop_length[c], kGapCode);
      else
        set.gene_loops[c].insert(set.gene_loops[c].end(), loops.begin(), loops.end());
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
        t.d[c][a * nr + b] = q.gene_known[c][a] && r.gene_known[c][b]
                                 ? tcrdist_vloops(q.gene_loops[c].data() + a * len,
                                                  r.gene_loops[c].data() + b * len, static_cast<int>(len),
                                                  kTcrdistTable.d)
                                 : 0;
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

namespace {

// One scored chain, AVX2: each group of references (one CDR3 length, one V gene) that a query's
// bound lets through is scored kTcrdistLanes references at a time (tcrdist_simd.hpp). The distance
// is the group's bound (gap cost + V-loop distance) plus cdr3_weight x the lane's mismatch, which
// is tcrdist_tcr's sum for one chain. Groups of few references, and CDR3s past
// kTcrdistSimdMaxLength, are scored one pair at a time.
std::vector<TcrdistHit> tcrdist_search_blocks(const TcrdistSet& queries, const TcrdistSet& references,
                                              const TcrdistGroups& groups, const TcrSetView& qv, int max_distance,
                                              const TcrdistParams& params, const EngineOptions& options) {
  constexpr std::size_t kMinBlock = 4;  // below this a block costs more than scoring pair by pair
  const int c = groups.primary;
  const TcrSetView rv = view_of(references);
  const long per_residue = static_cast<long>(params.cdr3_weight) * params.gap_penalty;
  const long max_diff = per_residue > 0 ? max_distance / per_residue : std::numeric_limits<int>::max();
  const auto codes = [c](const TcrdistSet& set, std::size_t i) {
    const std::uint32_t p = set.position[c][i];
    return std::pair{set.cdr3[c].codes.data() + set.cdr3[c].offsets[p], static_cast<long>(set.cdr3[c].lengths[p])};
  };
  using Group = TcrdistGroups::Group;
  return run_tiles<TcrdistHit>(
      queries.size(), references.size(), options,
      [&](std::size_t q0, std::size_t q1, std::size_t r0, std::size_t r1, std::vector<TcrdistHit>& out) {
        const auto first = std::upper_bound(groups.groups.begin(), groups.groups.end(), r0,
                                            [](std::size_t pos, const Group& g) { return pos < g.end; });
        std::uint64_t scored = 0;
        // The tile's queries by CDR3 length, so each group visits only those within max_diff.
        std::vector<std::pair<long, std::size_t>> by_length;
        for (std::size_t qi = q0; qi < q1; ++qi) by_length.emplace_back(codes(queries, qi).second, qi);
        std::sort(by_length.begin(), by_length.end());
        std::vector<TcrdistQueryRows> rows(q1 - q0);
        std::vector<char> rows_made(q1 - q0, 0);
        TcrdistBlock block;
        std::uint8_t mismatch[kTcrdistLanes];
        auto score_pair = [&](std::size_t qi, std::uint32_t ri) {
          ++scored;
          const int d = tcrdist_tcr(qv, qi, rv, ri, kTcrdistTable.d, params);
          if (d <= max_distance) out.push_back({static_cast<std::uint32_t>(qi), ri, d});
        };
        for (auto g = first; g != groups.groups.end() && g->begin < r1; ++g) {
          const std::size_t begin = std::max<std::size_t>(g->begin, r0), end = std::min<std::size_t>(g->end, r1);
          const long length = g->length;
          const bool blocks = end - begin >= kMinBlock && length <= kTcrdistSimdMaxLength;
          for (std::size_t start = begin; start < end; start += blocks ? kTcrdistLanes : end - begin) {
            const std::size_t stop = blocks ? std::min<std::size_t>(end, start + kTcrdistLanes) : end;
            bool block_made = false;
            const auto near = std::lower_bound(by_length.begin(), by_length.end(),
                                               std::pair<long, std::size_t>{length - max_diff, 0});
            for (auto it = near; it != by_length.end() && it->first <= length + max_diff; ++it) {
              const std::size_t qi = it->second;
              const auto [q, ql] = codes(queries, qi);
              const long bound = tcrdist_group_bound(qv, qi, static_cast<std::uint32_t>(ql), *g, params);
              if (bound > max_distance) continue;
              if (!blocks || ql > kTcrdistSimdMaxLength) {
                for (std::size_t pos = start; pos < stop; ++pos) score_pair(qi, groups.reference[pos]);
                continue;
              }
              if (!block_made) {
                const std::uint8_t* refs[kTcrdistLanes];
                for (std::size_t pos = start; pos < stop; ++pos) refs[pos - start] = codes(references, groups.reference[pos]).first;
                make_tcrdist_block(refs, static_cast<int>(stop - start), static_cast<int>(length), block);
                block_made = true;
              }
              if (!rows_made[qi - q0]) {
                make_tcrdist_query_rows(q, static_cast<int>(ql), kTcrdistTable.d, rows[qi - q0]);
                rows_made[qi - q0] = 1;
              }
              tcrdist_mismatch_block(rows[qi - q0], block, params.ntrim, params.ctrim, mismatch);
              for (std::size_t pos = start; pos < stop; ++pos) {
                ++scored;
                const long d = bound + static_cast<long>(params.cdr3_weight) * mismatch[pos - start];
                if (d <= max_distance)
                  out.push_back({static_cast<std::uint32_t>(qi), groups.reference[pos], static_cast<std::int32_t>(d)});
              }
            }
          }
        }
        if (options.scored_pairs != nullptr) *options.scored_pairs += scored;
      });
}

}  // namespace

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
  auto count = [&options](std::uint64_t scored) {
    if (options.scored_pairs != nullptr) *options.scored_pairs += scored;
  };
  if (!options.prune) {
    return run_tiles<TcrdistHit>(
        queries.size(), references.size(), options,
        [&](std::size_t q0, std::size_t q1, std::size_t r0, std::size_t r1, std::vector<TcrdistHit>& out) {
          for (std::size_t qi = q0; qi < q1; ++qi)
            for (std::size_t ri = r0; ri < r1; ++ri) {
              const int d = tcrdist_tcr(qv, qi, rv, ri, kTcrdistTable.d, params);
              if (d <= max_distance)
                out.push_back({static_cast<std::uint32_t>(qi), static_cast<std::uint32_t>(ri), d});
            }
          count((q1 - q0) * (r1 - r0));
        });
  }
  // References are visited in groups of one primary-chain CDR3 length and one set of V genes
  // (prune.hpp), so a query skips every group whose lower bound - the length difference's gap cost
  // plus the V-loop distance - already passes max_distance, and scores the rest in full. With both
  // chains, the other chain's length difference is checked per reference before scoring.
  const TcrdistGroups groups = group_tcrdist_references(references);
  const int primary = groups.primary;
  const int secondary = queries.chains == Chains::alpha_beta ? 1 - primary : -1;
  const long per_residue = static_cast<long>(params.cdr3_weight) * params.gap_penalty;
  const auto chain_length = [](const TcrdistSet& set, int c, std::size_t i) {
    return static_cast<long>(set.cdr3[c].lengths[set.position[c][i]]);
  };
  using Group = TcrdistGroups::Group;
  const long max_diff = per_residue > 0 ? max_distance / per_residue : std::numeric_limits<int>::max();
  if (secondary < 0 && options.simd && tcrdist_simd_available())
    return tcrdist_search_blocks(queries, references, groups, qv, max_distance, params, options);
  return run_tiles<TcrdistHit>(
      queries.size(), references.size(), options,
      [&](std::size_t q0, std::size_t q1, std::size_t r0, std::size_t r1, std::vector<TcrdistHit>& out) {
        // The groups that meet positions [r0, r1); groups are ordered by position and by length.
        const auto first = std::upper_bound(groups.groups.begin(), groups.groups.end(), r0,
                                            [](std::size_t pos, const Group& g) { return pos < g.end; });
        const auto last = std::lower_bound(first, groups.groups.end(), r1,
                                           [](const Group& g, std::size_t pos) { return g.begin < pos; });
        std::uint64_t scored = 0;
        for (std::size_t qi = q0; qi < q1; ++qi) {
          const long ql = chain_length(queries, primary, qi);
          const auto lo = std::lower_bound(first, last, ql - max_diff,
                                           [](const Group& g, long len) { return static_cast<long>(g.length) < len; });
          const long q_other = secondary >= 0 ? chain_length(queries, secondary, qi) : 0;
          for (auto g = lo; g != last && static_cast<long>(g->length) <= ql + max_diff; ++g) {
            const long bound = tcrdist_group_bound(qv, qi, static_cast<std::uint32_t>(ql), *g, params);
            if (bound > max_distance) continue;
            const std::size_t end = std::min<std::size_t>(g->end, r1);
            for (std::size_t pos = std::max<std::size_t>(g->begin, r0); pos < end; ++pos) {
              const std::uint32_t ri = groups.reference[pos];
              if (secondary >= 0 &&
                  bound + per_residue * std::labs(q_other - chain_length(references, secondary, ri)) > max_distance)
                continue;
              ++scored;
              const int d = tcrdist_tcr(qv, qi, rv, ri, kTcrdistTable.d, params);
              if (d <= max_distance) out.push_back({static_cast<std::uint32_t>(qi), ri, d});
            }
          }
        }
        count(scored);
      });
}

TcrmatchSet encode_tcrmatch_set(const std::vector<std::string>& seqs, const K1Table& k1) {
  TcrmatchSet set;
  set.seqs = encode::encode_batch(seqs);
  set.self.resize(set.seqs.size());
  set.profile.resize(set.seqs.size() * kTcrmatchMaxK);
  for (std::size_t p = 0; p < set.seqs.size(); ++p) {
    const std::uint8_t* s = set.seqs.codes.data() + set.seqs.offsets[p];
    const int n = static_cast<int>(set.seqs.lengths[p]);
    set.self[p] = tcrmatch_k3(s, n, s, n, k1.k);
    const std::vector<double> a = tcrmatch_profile(s, n, k1);
    std::copy(a.begin(), a.end(), set.profile.begin() + static_cast<std::ptrdiff_t>(p * kTcrmatchMaxK));
  }
  return set;
}

std::vector<TcrmatchHit> tcrmatch_search(const TcrmatchSet& queries, const TcrmatchSet& references,
                                         float min_score, const K1Table& k1,
                                         const EngineOptions& options) {
  const auto& qb = queries.seqs;
  const auto& rb = references.seqs;
  auto score = [&](std::size_t qp, std::size_t rp) {
    return tcrmatch_pair_score(qb.codes.data() + qb.offsets[qp], static_cast<int>(qb.lengths[qp]), queries.self[qp],
                               rb.codes.data() + rb.offsets[rp], static_cast<int>(rb.lengths[rp]),
                               references.self[rp], k1.k);
  };
  auto count = [&options](std::uint64_t scored) {
    if (options.scored_pairs != nullptr) *options.scored_pairs += scored;
  };
  const double cut = tcrmatch_prune_cut(min_score);
  if (!options.prune || !(cut > 0.0)) {
    return run_tiles<TcrmatchHit>(
        qb.size(), rb.size(), options,
        [&](std::size_t q0, std::size_t q1, std::size_t r0, std::size_t r1, std::vector<TcrmatchHit>& out) {
          for (std::size_t qp = q0; qp < q1; ++qp)
            for (std::size_t rp = r0; rp < r1; ++rp) {
              const float s = score(qp, rp);
              if (s >= min_score) out.push_back({qb.input_index[qp], rb.input_index[rp], s});
            }
          count((q1 - q0) * (r1 - r0));
        });
  }
  // References come in length buckets. A query skips a whole bucket when the k-mer profile bound
  // (prune.hpp) against the bucket's largest profile entries is below the cut: no reference of
  // that length can reach min_score; in the other buckets, each reference whose own bound is below
  // the cut. The bound is proven for sequences of at most kTcrmatchMaxK residues; longer ones are
  // always scored.
  constexpr std::size_t kK = kTcrmatchMaxK;
  const auto profile_bound = [](const float* x, const float* y, std::size_t n) {
    double bound = 0.0;
    for (std::size_t k = 0; k < n; ++k) bound += static_cast<double>(x[k]) * static_cast<double>(y[k]);
    return bound;
  };
  const std::size_t n_buckets = rb.bucket_begin.empty() ? 0 : rb.bucket_begin.size() - 1;
  std::vector<float> bucket_max(n_buckets * kK, 0.0f);
  for (std::size_t b = 0; b < n_buckets; ++b)
    for (std::size_t rp = rb.bucket_begin[b]; rp < rb.bucket_begin[b + 1]; ++rp)
      for (std::size_t k = 0; k < kK; ++k)
        bucket_max[b * kK + k] = std::max(bucket_max[b * kK + k], references.profile[rp * kK + k]);
  // With AVX2, the references of each bucket are scored kTcrmatchLanes at a time against every
  // query of the tile that may reach them (tcrmatch_simd.hpp: same bits as the scalar rule), from
  // one block profile built per block of references.
  const bool simd = options.simd && tcrmatch_simd_available();
  const auto f_of = [&](std::size_t qp) { return qb.codes.data() + qb.offsets[qp]; };
  return run_tiles<TcrmatchHit>(
      qb.size(), rb.size(), options,
      [&](std::size_t q0, std::size_t q1, std::size_t r0, std::size_t r1, std::vector<TcrmatchHit>& out) {
        std::uint64_t scored = 0;
        std::vector<std::size_t> active;
        alignas(32) float profile[tcrmatch_block_profile_size(kTcrmatchMaxK)];
        for (std::size_t b = 0; b < n_buckets; ++b) {
          const std::size_t begin = std::max<std::size_t>(rb.bucket_begin[b], r0);
          const std::size_t end = std::min<std::size_t>(rb.bucket_begin[b + 1], r1);
          if (begin >= end) continue;
          const std::uint32_t lr = rb.lengths[begin];
          // The queries that may reach this bucket; profile entries past a sequence's length are 0.
          active.clear();
          for (std::size_t qp = q0; qp < q1; ++qp) {
            const std::uint32_t lq = qb.lengths[qp];
            if (lq <= kK && lr <= kK &&
                profile_bound(queries.profile.data() + qp * kK, bucket_max.data() + b * kK, std::min(lq, lr)) < cut)
              continue;
            active.push_back(qp);
          }
          const auto keep = [&](std::size_t qp, std::size_t rp, float s) {
            ++scored;
            if (s >= min_score) out.push_back({qb.input_index[qp], rb.input_index[rp], s});
          };
          const auto bounded_out = [&](std::size_t qp, std::size_t rp) {
            const std::uint32_t lq = qb.lengths[qp];
            return lq <= kK && lr <= kK &&
                   profile_bound(queries.profile.data() + qp * kK, references.profile.data() + rp * kK,
                                 std::min(lq, lr)) < cut;
          };
          if (!simd || lr > kK) {
            for (const std::size_t qp : active)
              for (std::size_t rp = begin; rp < end; ++rp)
                if (!bounded_out(qp, rp)) keep(qp, rp, score(qp, rp));
            continue;
          }
          const int length = static_cast<int>(lr);
          for (std::size_t start = begin; start < end; start += kTcrmatchLanes) {
            const int n_lanes = static_cast<int>(std::min<std::size_t>(kTcrmatchLanes, end - start));
            bool profile_made = false;
            for (const std::size_t qp : active) {
              const std::uint32_t lq = qb.lengths[qp];
              if (lq > kK) {
                for (std::size_t rp = start; rp < start + static_cast<std::size_t>(n_lanes); ++rp) keep(qp, rp, score(qp, rp));
                continue;
              }
              unsigned lanes = 0;
              for (int lane = 0; lane < n_lanes; ++lane)
                if (!bounded_out(qp, start + static_cast<std::size_t>(lane))) lanes |= 1u << lane;
              if (lanes == 0) continue;
              if (!profile_made) {
                const std::uint8_t* refs[kTcrmatchLanes];
                for (int lane = 0; lane < n_lanes; ++lane) refs[lane] = rb.codes.data() + rb.offsets[start + static_cast<std::size_t>(lane)];
                make_tcrmatch_block_profile(refs, n_lanes, length, k1, profile);
                profile_made = true;
              }
              float k3[kTcrmatchLanes];
              tcrmatch_k3_block(f_of(qp), static_cast<int>(lq), profile, length, k3);
              for (int lane = 0; lane < n_lanes; ++lane)
                if (lanes & (1u << lane)) {
                  const std::size_t rp = start + static_cast<std::size_t>(lane);
                  keep(qp, rp, tcrmatch_normalise(k3[lane], queries.self[qp], references.self[rp]));
                }
            }
          }
        }
        count(scored);
      });
}

}  // namespace tilmatch::scoring
