#include <algorithm>
#include <cstdint>

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

// One thread per pair of the tile [q0, q0+nq) x [r0, r0+nr) (input indices), row-major.
__global__ void tcrdist_kernel(scoring::TcrSetView q, scoring::TcrSetView r,
                               const std::uint8_t* __restrict__ dist, scoring::TcrdistParams params,
                               std::uint32_t q0, std::uint32_t r0, std::uint32_t nr,
                               std::uint64_t n_pairs, int max_distance,
                               scoring::TcrdistHit* __restrict__ hits, unsigned long long* __restrict__ count,
                               unsigned long long capacity) {
  const std::uint64_t stride = static_cast<std::uint64_t>(gridDim.x) * blockDim.x;
  for (std::uint64_t i = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x;
       i < n_pairs; i += stride) {
    const std::uint32_t qi = q0 + static_cast<std::uint32_t>(i / nr);
    const std::uint32_t ri = r0 + static_cast<std::uint32_t>(i % nr);
    const int d = scoring::tcrdist_tcr(q, qi, r, ri, dist, params);
    detail::emit_hit(d <= max_distance, scoring::TcrdistHit{qi, ri, d}, hits, count, capacity);
  }
}

void launch_tcrdist(const scoring::TcrSetView& q, const scoring::TcrSetView& r,
                    const std::uint8_t* dist, const scoring::TcrdistParams& params,
                    std::uint32_t q0, std::uint32_t r0, std::uint32_t nr, std::uint64_t n_pairs,
                    int max_distance, scoring::TcrdistHit* hits, unsigned long long* count,
                    unsigned long long capacity) {
  if (n_pairs == 0) return;
  constexpr int kThreads = 256;
  const std::uint64_t blocks_needed = (n_pairs + kThreads - 1) / kThreads;
  const int blocks = static_cast<int>(std::min<std::uint64_t>(blocks_needed, 1u << 20));
  tcrdist_kernel<<<blocks, kThreads>>>(q, r, dist, params, q0, r0, nr, n_pairs, max_distance, hits,
                                       count, capacity);
  TILMATCH_CUDA_CHECK_LAUNCH();
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
    detail::search_tiles(nq, nr, tile_pairs, top_k, memory_budget_bytes,
                         [&](std::uint32_t q0, std::uint32_t r0, std::uint32_t tile_r, std::uint64_t n,
                             scoring::TcrdistHit* hits, unsigned long long* count, unsigned long long capacity) {
                           launch_tcrdist(qv, rv, d_dist, params, q0, r0, tile_r, n, max_distance, hits, count,
                                          capacity);
                         },
                         out);
  }
  scoring::sort_hits(out, top_k);
  return out;
}

}  // namespace tilmatch::cuda
