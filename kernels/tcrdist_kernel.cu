#include <thrust/device_vector.h>
#include <thrust/system_error.h>

#include <algorithm>
#include <cstdint>

#include "cuda_check.cuh"
#include "scoring/tcrdist.hpp"
#include "scoring_cuda.hpp"
#include "tile_search.cuh"

namespace tilmatch::cuda {
namespace {

// Device copies of one encoded TCR set and the view the kernel reads them through.
struct DeviceTcrSet {
  thrust::device_vector<std::uint8_t> codes[2];
  thrust::device_vector<std::uint64_t> offsets[2];
  thrust::device_vector<std::uint32_t> lengths[2];
  thrust::device_vector<std::uint32_t> position[2];
  thrust::device_vector<std::uint16_t> gene_of[2];

  scoring::TcrSetView view(const scoring::TcrSetView& host) const {
    scoring::TcrSetView v = host;
    for (int c = 0; c < 2; ++c) {
      v.chain[c].codes = thrust::raw_pointer_cast(codes[c].data());
      v.chain[c].offsets = thrust::raw_pointer_cast(offsets[c].data());
      v.chain[c].lengths = thrust::raw_pointer_cast(lengths[c].data());
      v.chain[c].position = thrust::raw_pointer_cast(position[c].data());
      v.chain[c].gene_of = thrust::raw_pointer_cast(gene_of[c].data());
    }
    return v;
  }
};

void upload(const scoring::TcrdistSet& s, DeviceTcrSet& d) {
  for (int c = 0; c < 2; ++c) {
    d.codes[c] = s.cdr3[c].codes;
    d.offsets[c] = s.cdr3[c].offsets;
    d.lengths[c] = s.cdr3[c].lengths;
    d.position[c] = s.position[c];
    d.gene_of[c] = s.gene_of[c];
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
                                                          std::size_t top_k) {
  if (queries.chains != references.chains || queries.vloops != references.vloops ||
      (queries.vloops && (queries.loop_length[0] != references.loop_length[0] ||
                          queries.loop_length[1] != references.loop_length[1])))
    throw Error("tcrdist_search_on_device: queries and references are encoded differently");
  std::vector<scoring::TcrdistHit> out;
  const std::size_t nq = queries.size();
  const std::size_t nr = references.size();
  if (nq == 0 || nr == 0) return out;
  TILMATCH_CUDA_CHECK(cudaSetDevice(device));
  try {
    DeviceTcrSet dq;
    DeviceTcrSet dr;
    upload(queries, dq);
    upload(references, dr);
    scoring::TcrSetView qv = dq.view(scoring::view_of(queries));
    const scoring::TcrSetView rv = dr.view(scoring::view_of(references));
    // The V-loop tables are built on the host (the same code as the CPU backend) and copied.
    const scoring::VLoopTables tables = scoring::make_vloop_tables(queries, references);
    thrust::device_vector<std::int32_t> vdist[2] = {tables.d[0], tables.d[1]};
    const std::int32_t* const d_vdist[2] = {thrust::raw_pointer_cast(vdist[0].data()),
                                            thrust::raw_pointer_cast(vdist[1].data())};
    scoring::attach_vloop_tables(qv, d_vdist, tables.stride);
    thrust::device_vector<std::uint8_t> dist(scoring::kTcrdistTable.d,
                                             scoring::kTcrdistTable.d + sizeof(scoring::kTcrdistTable.d));
    const std::uint8_t* d_dist = thrust::raw_pointer_cast(dist.data());
    detail::search_tiles(nq, nr, tile_pairs,
                         [&](std::uint32_t q0, std::uint32_t r0, std::uint32_t tile_r, std::uint64_t n,
                             scoring::TcrdistHit* hits, unsigned long long* count, unsigned long long capacity) {
                           launch_tcrdist(qv, rv, d_dist, params, q0, r0, tile_r, n, max_distance, hits, count,
                                          capacity);
                         },
                         out);
  } catch (const thrust::system_error& e) {
    throw CudaError(std::string("tcrdist_search_on_device: ") + e.what());
  }
  scoring::sort_hits(out, top_k);
  return out;
}

}  // namespace tilmatch::cuda
