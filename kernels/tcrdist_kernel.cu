#include <algorithm>
#include <cstdint>
#include <vector>

#include "cuda_check.cuh"
#include "device_buffer.cuh"
#include "scoring/tcrdist.hpp"
#include "scoring_cuda.hpp"
#include "tile_search.cuh"

namespace tilmatch::cuda {
namespace {

// Device copies of one encoded TCR set and the view the kernel reads them through.
struct DeviceTcrSet {
  detail::DeviceBuffer<std::uint8_t> codes[2];
  detail::DeviceBuffer<std::uint64_t> offsets[2];
  detail::DeviceBuffer<std::uint32_t> lengths[2];
  detail::DeviceBuffer<std::uint32_t> position[2];
  detail::DeviceBuffer<std::uint16_t> gene_of[2];

  scoring::TcrSetView view(const scoring::TcrSetView& host) const {
    scoring::TcrSetView v = host;
    for (int c = 0; c < 2; ++c) {
      v.chain[c].codes = codes[c].data();
      v.chain[c].offsets = offsets[c].data();
      v.chain[c].lengths = lengths[c].data();
      v.chain[c].position = position[c].data();
      v.chain[c].gene_of = gene_of[c].data();
    }
    return v;
  }
};

void upload(const scoring::TcrdistSet& s, DeviceTcrSet& d) {
  for (int c = 0; c < 2; ++c) {
    d.codes[c].assign(s.cdr3[c].codes.data(), s.cdr3[c].codes.size());
    d.offsets[c].assign(s.cdr3[c].offsets.data(), s.cdr3[c].offsets.size());
    d.lengths[c].assign(s.cdr3[c].lengths.data(), s.cdr3[c].lengths.size());
    d.position[c].assign(s.position[c].data(), s.position[c].size());
    d.gene_of[c].assign(s.gene_of[c].data(), s.gene_of[c].size());
  }
}

// What a tile's kernel needs besides the two sets: the references in the length order of the
// primary chain's batch (`order[p]` = input index of batch position p) and, per length L,
// `length_begin[L]` = the first batch position of length >= L (L = 0 .. max_length + 1).
struct ReferenceOrder {
  const std::uint32_t* order;
  const std::uint32_t* length_begin;
  std::uint32_t max_length;
  int primary;
};

// The equal-length CDR3 mismatch (the common case within a radius: lengths within 12 / (3 x 4)
// of each other) read four residues per 32-bit load from both CDR3s. Rows start 4-aligned and are
// padded to 4 residues (encode_batch), so whole words stay inside the row. The same sum as
// scoring::tcrdist_cdr3_mismatch's equal-length branch (integers: order does not matter).
__device__ __forceinline__ int cdr3_mismatch_equal_words(const std::uint8_t* q, const std::uint8_t* s, int len,
                                                         const std::uint8_t* dist, int ntrim, int ctrim) {
  const int end = len - ctrim;
  const auto* qw = reinterpret_cast<const std::uint32_t*>(q);
  const auto* sw = reinterpret_cast<const std::uint32_t*>(s);
  int sum = 0;
  for (int w = ntrim >> 2; 4 * w < end; ++w) {
    const std::uint32_t a = qw[w];
    const std::uint32_t b = sw[w];
#pragma unroll
    for (int k = 0; k < 4; ++k) {
      const int i = 4 * w + k;
      if (i >= ntrim && i < end)
        sum += dist[((a >> (8 * k)) & 0xFFu) * scoring::kTcrdistAlphabet + ((b >> (8 * k)) & 0xFFu)];
    }
  }
  return sum;
}

// scoring::tcrdist_tcr with the equal-length CDR3 case read by words; for unequal lengths the
// shared gap search reads the reference from the thread's shared-memory slot.
__device__ __forceinline__ int tcrdist_tcr_words(const scoring::TcrSetView& q, std::uint32_t qi,
                                                 const scoring::TcrSetView& r, std::uint32_t ri,
                                                 const std::uint8_t* dist, const scoring::TcrdistParams& p,
                                                 std::uint32_t* slot) {
  int total = 0;
  // Unrolled, so the views are indexed by constants and stay in the kernel's parameter space (a
  // runtime chain index would copy both views to the stack and load every pointer from there).
#pragma unroll
  for (int c = 0; c < 2; ++c) {
    if (!q.use[c]) continue;
    const scoring::TcrChainView& a = q.chain[c];
    const scoring::TcrChainView& b = r.chain[c];
    const std::uint32_t qp = a.position[qi];
    const std::uint32_t rp = b.position[ri];
    const int ql = static_cast<int>(a.lengths[qp]);
    const int rl = static_cast<int>(b.lengths[rp]);
    const std::uint8_t* qs = a.codes + a.offsets[qp];
    const std::uint8_t* rs = b.codes + b.offsets[rp];
    total += ql == rl ? p.cdr3_weight * cdr3_mismatch_equal_words(qs, rs, ql, dist, p.ntrim, p.ctrim)
                      : scoring::tcrdist_cdr3(qs, ql, detail::stage_row(rs, rl, slot), rl, dist, p);
    if (q.vloops) total += a.vdist[static_cast<std::uint64_t>(a.gene_of[qi]) * a.vdist_stride + b.gene_of[ri]];
  }
  return total;
}

// Tile: queries [q0, q0 + nq) (input indices) x references at batch positions [r0, r1) of the
// primary chain. As the CPU engine does, each query scores only the references whose primary
// CDR3 length is within max_diff of its own (every residue of length difference costs
// cdr3_weight x gap_penalty, and no term is negative), so lanes of a warp (one query, consecutive
// positions) mostly see equal lengths.
constexpr unsigned kThreads = 256;

__global__ void __launch_bounds__(kThreads) tcrdist_kernel(scoring::TcrSetView q, scoring::TcrSetView r, ReferenceOrder ro,
                               const std::uint8_t* __restrict__ dist, scoring::TcrdistParams params,
                               std::uint32_t q0, std::uint32_t nq, std::uint32_t r0, std::uint32_t r1,
                               std::int64_t max_diff, int max_distance,
                               scoring::TcrdistHit* __restrict__ hits, unsigned long long* __restrict__ count,
                               unsigned long long capacity) {
  // The residue table in shared memory: lanes of a warp share the query residue, so they read one
  // row (a few consecutive words: no bank conflicts).
  __shared__ std::uint8_t table[scoring::kTcrdistAlphabet * scoring::kTcrdistAlphabet];
  __shared__ std::uint32_t slots[kThreads * detail::kStagedWords];
  const unsigned tid = threadIdx.y * blockDim.x + threadIdx.x;
  for (unsigned i = tid; i < sizeof table; i += blockDim.x * blockDim.y) table[i] = dist[i];
  __syncthreads();
  std::uint32_t* slot = slots + tid * detail::kStagedWords;
  const std::uint32_t* q_lengths = ro.primary == 1 ? q.chain[1].lengths : q.chain[0].lengths;
  const std::uint32_t* q_position = ro.primary == 1 ? q.chain[1].position : q.chain[0].position;
  for (std::uint32_t qy = blockIdx.y * blockDim.y + threadIdx.y; qy < nq; qy += gridDim.y * blockDim.y) {
    const std::uint32_t qi = q0 + qy;
    const std::int64_t ql = q_lengths[q_position[qi]];
    const std::int64_t lo_len = ql - max_diff < 0 ? 0 : ql - max_diff;
    const std::int64_t hi_len = ql + max_diff;  // inclusive
    const std::int64_t top = static_cast<std::int64_t>(ro.max_length) + 1;
    const std::uint32_t lo = ro.length_begin[lo_len < top ? lo_len : top];
    const std::uint32_t hi = ro.length_begin[hi_len + 1 < top ? hi_len + 1 : top];
    const std::uint32_t begin = lo > r0 ? lo : r0;
    const std::uint32_t end = hi < r1 ? hi : r1;
    for (std::uint32_t p = begin + blockIdx.x * blockDim.x + threadIdx.x; p < end; p += gridDim.x * blockDim.x) {
      const std::uint32_t ri = ro.order[p];
      const int d = tcrdist_tcr_words(q, qi, r, ri, table, params, slot);
      detail::emit_hit(d <= max_distance, scoring::TcrdistHit{qi, ri, d}, hits, count, capacity);
    }
  }
}

}  // namespace

std::vector<scoring::TcrdistHit> tcrdist_search_on_device(const scoring::TcrdistSet& queries,
                                                          const scoring::TcrdistSet& references,
                                                          int max_distance,
                                                          const scoring::TcrdistParams& params,
                                                          int device, std::size_t tile_pairs,
                                                          std::size_t top_k, std::size_t memory_budget_bytes) {
  if (queries.chains != references.chains || queries.vloops != references.vloops ||
      (queries.vloops && (queries.loop_length[0] != references.loop_length[0] ||
                          queries.loop_length[1] != references.loop_length[1])))
    throw Error("tcrdist_search_on_device: queries and references are encoded differently");
  if (!params.valid())
    throw Error("tcrdist_search_on_device: TCRdist weights, gap penalty and trims must be non-negative");
  std::vector<scoring::TcrdistHit> out;
  const std::size_t nq = queries.size();
  const std::size_t nr = references.size();
  // The CPU engine's length pruning assumes no negative term; a negative radius keeps nothing.
  if (nq == 0 || nr == 0 || max_distance < 0) return out;
  TILMATCH_CUDA_CHECK(cudaSetDevice(device));
  {
    DeviceTcrSet dq;
    DeviceTcrSet dr;
    upload(queries, dq);
    upload(references, dr);
    scoring::TcrSetView qv = dq.view(scoring::view_of(queries));
    const scoring::TcrSetView rv = dr.view(scoring::view_of(references));
    // The V-loop tables are built on the host (the same code as the CPU backend) and copied.
    const scoring::VLoopTables tables = scoring::make_vloop_tables(queries, references);
    const detail::DeviceBuffer<std::int32_t> vdist[2] = {detail::DeviceBuffer<std::int32_t>(tables.d[0]),
                                                        detail::DeviceBuffer<std::int32_t>(tables.d[1])};
    const std::int32_t* const d_vdist[2] = {vdist[0].data(), vdist[1].data()};
    scoring::attach_vloop_tables(qv, d_vdist, tables.stride);
    const detail::DeviceBuffer<std::uint8_t> dist(scoring::kTcrdistTable.d, sizeof(scoring::kTcrdistTable.d));
    const std::uint8_t* d_dist = dist.data();
    // References in the primary chain's length order, with where each length starts.
    const int primary = scoring::uses_chain(references.chains, 1) ? 1 : 0;
    const encode::EncodedBatch& rb = references.cdr3[primary];
    const std::uint32_t max_length = rb.lengths.empty() ? 0 : rb.lengths.back();
    std::vector<std::uint32_t> length_begin(static_cast<std::size_t>(max_length) + 2);
    for (std::uint32_t len = 0; len <= max_length + 1; ++len)
      length_begin[len] = static_cast<std::uint32_t>(
          std::lower_bound(rb.lengths.begin(), rb.lengths.end(), len) - rb.lengths.begin());
    const detail::DeviceBuffer<std::uint32_t> d_order(rb.input_index);
    const detail::DeviceBuffer<std::uint32_t> d_length_begin(length_begin);
    const ReferenceOrder ro{d_order.data(), d_length_begin.data(), max_length, primary};
    const std::int64_t per_residue = static_cast<std::int64_t>(params.cdr3_weight) * params.gap_penalty;
    const std::int64_t max_diff = per_residue > 0 ? max_distance / per_residue : std::int64_t{1} << 32;
    detail::search_tiles(nq, nr, tile_pairs, top_k, memory_budget_bytes,
                         [&](std::uint32_t q0, std::uint32_t r0, std::uint32_t tile_r, std::uint64_t n,
                             scoring::TcrdistHit* hits, unsigned long long* count, unsigned long long capacity) {
                           const auto tile_q = static_cast<std::uint32_t>(n / tile_r);
                           const detail::TileShape shape = detail::tile_shape(tile_q, tile_r, kThreads);
                           tcrdist_kernel<<<shape.grid, shape.block>>>(qv, rv, ro, d_dist, params, q0, tile_q, r0,
                                                                       r0 + tile_r, max_diff, max_distance, hits,
                                                                       count, capacity);
                           TILMATCH_CUDA_CHECK_LAUNCH();
                         },
                         out);
  }
  scoring::sort_hits(out, top_k);
  return out;
}

}  // namespace tilmatch::cuda
