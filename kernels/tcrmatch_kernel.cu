#include <algorithm>
#include <cstdint>

#include "cuda_check.cuh"
#include "device_buffer.cuh"
#include "scoring/tcrmatch.hpp"
#include "scoring_cuda.hpp"
#include "tile_search.cuh"

namespace tilmatch::cuda {
namespace {

// Device view of an encoded sequence set (batch order) with its self-scores.
struct SeqView {
  const std::uint8_t* codes;
  const std::uint64_t* offsets;
  const std::uint32_t* lengths;
  const std::uint32_t* input_index;
  const float* self;
};

struct DeviceSeqSet {
  detail::DeviceBuffer<std::uint8_t> codes;
  detail::DeviceBuffer<std::uint64_t> offsets;
  detail::DeviceBuffer<std::uint32_t> lengths;
  detail::DeviceBuffer<std::uint32_t> input_index;
  detail::DeviceBuffer<float> self;

  explicit DeviceSeqSet(const scoring::TcrmatchSet& s)
      : codes(s.seqs.codes),
        offsets(s.seqs.offsets),
        lengths(s.seqs.lengths),
        input_index(s.seqs.input_index),
        self(s.self) {}

  SeqView view() const {
    return {codes.data(), offsets.data(), lengths.data(), input_index.data(), self.data()};
  }
};

constexpr unsigned kThreads = 128;

// Tile: queries at batch positions [q0, q0 + nq) x references at batch positions [r0, r0 + nr);
// the lanes of a warp share one query and walk consecutive (equal-length) references. K1 sits in
// shared memory (the shared query residue selects one row: one wavefront), and each reference is
// staged in the thread's shared slot before its ~150 cells read it.
__global__ void __launch_bounds__(kThreads)
    tcrmatch_kernel(SeqView q, SeqView r, const float* __restrict__ k1, std::uint32_t q0, std::uint32_t nq,
                    std::uint32_t r0, std::uint32_t nr, float min_score, scoring::TcrmatchHit* __restrict__ hits,
                    unsigned long long* __restrict__ count, unsigned long long capacity) {
  __shared__ float k1s[scoring::kK1Alphabet * scoring::kK1Alphabet];
  __shared__ std::uint32_t slots[kThreads * detail::kStagedWords];
  const unsigned tid = threadIdx.y * blockDim.x + threadIdx.x;
  for (unsigned i = tid; i < scoring::kK1Alphabet * scoring::kK1Alphabet; i += blockDim.x * blockDim.y) k1s[i] = k1[i];
  __syncthreads();
  std::uint32_t* slot = slots + tid * detail::kStagedWords;
  for (std::uint32_t qy = blockIdx.y * blockDim.y + threadIdx.y; qy < nq; qy += gridDim.y * blockDim.y) {
    const std::uint32_t qp = q0 + qy;
    const std::uint8_t* qs = q.codes + q.offsets[qp];
    const int ql = static_cast<int>(q.lengths[qp]);
    const float qself = q.self[qp];
    const std::uint32_t qin = q.input_index[qp];
    for (std::uint32_t x = blockIdx.x * blockDim.x + threadIdx.x; x < nr; x += gridDim.x * blockDim.x) {
      const std::uint32_t rp = r0 + x;
      const int rl = static_cast<int>(r.lengths[rp]);
      const std::uint8_t* rs = detail::stage_row(r.codes + r.offsets[rp], rl, slot);
      const float s = scoring::tcrmatch_pair_score(qs, ql, qself, rs, rl, r.self[rp], k1s);
      detail::emit_hit(s >= min_score, scoring::TcrmatchHit{qin, r.input_index[rp], s}, hits, count, capacity);
    }
  }
}

}  // namespace

std::vector<scoring::TcrmatchHit> tcrmatch_search_on_device(const scoring::TcrmatchSet& queries,
                                                            const scoring::TcrmatchSet& references,
                                                            float min_score,
                                                            const scoring::K1Table& k1, int device,
                                                            std::size_t tile_pairs,
                                                            std::size_t top_k, std::size_t memory_budget_bytes) {
  std::vector<scoring::TcrmatchHit> out;
  const std::size_t nq = queries.size();
  const std::size_t nr = references.size();
  if (nq == 0 || nr == 0) return out;
  TILMATCH_CUDA_CHECK(cudaSetDevice(device));
  {
    const DeviceSeqSet dq(queries);
    const DeviceSeqSet dr(references);
    const detail::DeviceBuffer<float> dk1(k1.k, scoring::kK1Alphabet * scoring::kK1Alphabet);
    const float* d_k1 = dk1.data();
    detail::search_tiles(nq, nr, tile_pairs, top_k, memory_budget_bytes,
                         [&](std::uint32_t q0, std::uint32_t r0, std::uint32_t tile_r, std::uint64_t n,
                             scoring::TcrmatchHit* hits, unsigned long long* count, unsigned long long capacity) {
                           const auto tile_q = static_cast<std::uint32_t>(n / tile_r);
                           const detail::TileShape shape = detail::tile_shape(tile_q, tile_r, kThreads);
                           tcrmatch_kernel<<<shape.grid, shape.block>>>(dq.view(), dr.view(), d_k1, q0, tile_q, r0,
                                                                        tile_r, min_score, hits, count, capacity);
                           TILMATCH_CUDA_CHECK_LAUNCH();
                         },
                         out);
  }
  scoring::sort_hits(out, top_k);
  return out;
}

}  // namespace tilmatch::cuda
