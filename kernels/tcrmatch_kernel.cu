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

// One thread per pair of the tile [q0, q0+nq) x [r0, r0+nr) (batch positions), row-major.
__global__ void tcrmatch_kernel(SeqView q, SeqView r, const float* __restrict__ k1, std::uint32_t q0,
                                std::uint32_t r0, std::uint32_t nr, std::uint64_t n_pairs,
                                float min_score, scoring::TcrmatchHit* __restrict__ hits,
                                unsigned long long* __restrict__ count, unsigned long long capacity) {
  const std::uint64_t stride = static_cast<std::uint64_t>(gridDim.x) * blockDim.x;
  for (std::uint64_t i = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x;
       i < n_pairs; i += stride) {
    const std::uint32_t qp = q0 + static_cast<std::uint32_t>(i / nr);
    const std::uint32_t rp = r0 + static_cast<std::uint32_t>(i % nr);
    const float s = scoring::tcrmatch_pair_score(
        q.codes + q.offsets[qp], static_cast<int>(q.lengths[qp]), q.self[qp],
        r.codes + r.offsets[rp], static_cast<int>(r.lengths[rp]), r.self[rp], k1);
    detail::emit_hit(s >= min_score, scoring::TcrmatchHit{q.input_index[qp], r.input_index[rp], s}, hits, count,
                     capacity);
  }
}

void launch_tcrmatch(const SeqView& q, const SeqView& r, const float* k1, std::uint32_t q0,
                     std::uint32_t r0, std::uint32_t nr, std::uint64_t n_pairs, float min_score,
                     scoring::TcrmatchHit* hits, unsigned long long* count, unsigned long long capacity) {
  if (n_pairs == 0) return;
  constexpr int kThreads = 128;
  const std::uint64_t blocks_needed = (n_pairs + kThreads - 1) / kThreads;
  const int blocks = static_cast<int>(std::min<std::uint64_t>(blocks_needed, 1u << 20));
  tcrmatch_kernel<<<blocks, kThreads>>>(q, r, k1, q0, r0, nr, n_pairs, min_score, hits, count, capacity);
  TILMATCH_CUDA_CHECK_LAUNCH();
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
                           launch_tcrmatch(dq.view(), dr.view(), d_k1, q0, r0, tile_r, n, min_score, hits, count,
                                           capacity);
                         },
                         out);
  }
  scoring::sort_hits(out, top_k);
  return out;
}

}  // namespace tilmatch::cuda
