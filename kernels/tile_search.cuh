#pragma once
/// The tile loop shared by the device searches: queries x references in tiles of about
/// `tile_pairs` pairs. Kernels compact their hits themselves (emit_hit: one atomicAdd per warp into
/// a per-tile hit buffer), so only hits cross device memory, not one record per pair; the host
/// reads the count, copies the hits and sorts everything at the end (the order on the device is
/// arbitrary, the final order is scoring::hit_before's).

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "cuda_check.cuh"
#include "device_buffer.cuh"
#include "scoring/engine.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::cuda::detail {

/// The lane of the calling thread in its warp, whatever the block's shape.
__device__ __forceinline__ unsigned lane_id() {
  unsigned lane;
  asm("mov.u32 %0, %%laneid;" : "=r"(lane));
  return lane;
}

/// Launch shape of a tile of nq queries x nr references: blocks of `threads` threads laid out as
/// tx references x ty queries with tx a power of two >= 32, so the 32 lanes of a warp share one
/// query (its residues, and the rows of the residue tables they select, are warp-uniform loads)
/// and walk consecutive references (batch order: equal lengths side by side, little divergence).
/// Kernels loop over both dimensions, so the grid is capped at 65,535 blocks each way.
struct TileShape {
  dim3 grid;
  dim3 block;
};
inline TileShape tile_shape(std::uint64_t nq, std::uint64_t nr, unsigned threads) {
  // Kernels size per-thread shared slots by `threads` and assume warps lie within block rows.
  if (threads < 32 || (threads & (threads - 1)) != 0)
    throw Error("tile_shape: threads per block must be a power of two >= 32");
  unsigned tx = 32;
  while (tx < threads && tx < nr) tx *= 2;
  const unsigned ty = threads / tx;
  const auto gx = static_cast<unsigned>(std::min<std::uint64_t>((nr + tx - 1) / tx, 65535));
  const auto gy = static_cast<unsigned>(std::min<std::uint64_t>((nq + ty - 1) / ty, 65535));
  return {dim3(std::max(gx, 1u), std::max(gy, 1u)), dim3(tx, ty)};
}

/// Per-thread staging of a reference's residues in shared memory, for loops that read them one byte
/// at a time: from global memory the 32 lanes' bytes lie in ~4 different 128-byte lines (one
/// wavefront each), from shared memory they lie in 32 different banks when the lanes read the same
/// column (equal lengths, the usual case in length order), one wavefront. A slot holds
/// kStagedResidues residues in an odd number of words, so the lanes' slots start in different banks.
inline constexpr int kStagedResidues = 36;
inline constexpr int kStagedWords = kStagedResidues / 4;
static_assert(kStagedWords % 2 == 1, "an odd word stride keeps the lanes' slots in distinct banks");

/// Copies `len` residues at `row` (4-aligned and padded to 4 residues, as encode_batch lays rows
/// out) into `slot` and returns the slot; rows longer than kStagedResidues are read where they are.
__device__ __forceinline__ const std::uint8_t* stage_row(const std::uint8_t* row, int len, std::uint32_t* slot) {
  if (len > kStagedResidues) return row;
  const auto* src = reinterpret_cast<const std::uint32_t*>(row);
  for (int w = 0; w < (len + 3) / 4; ++w) slot[w] = src[w];
  return reinterpret_cast<const std::uint8_t*>(slot);
}

/// Appends `hit` to `hits` when `keep`. The lanes of a warp that keep a hit reserve consecutive
/// slots with a single atomicAdd on `count`; slots at or past `capacity` are counted but not
/// written, and the caller then retries the tile with a larger buffer.
template <typename Hit>
__device__ __forceinline__ void emit_hit(bool keep, const Hit& hit, Hit* __restrict__ hits,
                                         unsigned long long* __restrict__ count,
                                         unsigned long long capacity) {
  const unsigned active = __activemask();
  const unsigned ballot = __ballot_sync(active, keep);
  if (ballot == 0) return;  // uniform over the active lanes
  const unsigned lane = lane_id();
  const int leader = __ffs(static_cast<int>(ballot)) - 1;
  unsigned long long base = 0;
  if (static_cast<int>(lane) == leader) base = atomicAdd(count, static_cast<unsigned long long>(__popc(ballot)));
  base = __shfl_sync(active, base, leader);
  if (keep) {
    const unsigned long long slot = base + static_cast<unsigned long long>(__popc(ballot & ((1u << lane) - 1u)));
    if (slot < capacity) hits[slot] = hit;
  }
}

/// `launch(q0, r0, tile_references, n_pairs, hits, count, capacity)` scores the tile starting at
/// query q0 and reference r0, emitting hits with emit_hit. As the CPU engine does, top_k (0 = all)
/// is applied after each row of reference tiles (every query of a query tile has then been scored
/// against every reference), so the host holds at most top_k hits per query; when
/// `memory_budget_bytes` is non-zero and the kept hits pass half of
/// scoring::effective_memory_budget(it), Error is thrown with the CPU engine's message.
/// Throws CudaError on CUDA failures (scoring::DeviceOutOfMemory when the hit buffer, which grows
/// to the hits of a tile, cannot be allocated: a smaller tile_pairs bounds it).
template <typename Hit, typename Launch>
void search_tiles(std::size_t nq, std::size_t nr, std::size_t tile_pairs, std::size_t top_k,
                  std::size_t memory_budget_bytes, Launch&& launch, std::vector<Hit>& out) {
  if (nq == 0 || nr == 0) return;
  const std::size_t budget = memory_budget_bytes != 0 ? scoring::effective_memory_budget(memory_budget_bytes) : 0;
  const std::size_t tr = std::min(nr, std::max<std::size_t>(tile_pairs, 1));
  const std::size_t tq = std::min(nq, std::max<std::size_t>(tile_pairs / tr, 1));
  // Hits are rare next to pairs; start with room for 1 in 16 pairs (at least 64 Ki) and grow.
  std::size_t capacity = std::min(tq * tr, std::max<std::size_t>(tq * tr / 16, std::size_t{1} << 16));
  DeviceBuffer<Hit> hits(capacity);
  DeviceBuffer<unsigned long long> count(1);
  std::vector<Hit> row;
  for (std::size_t q0 = 0; q0 < nq; q0 += tq) {
    const std::size_t q1 = std::min(nq, q0 + tq);
    row.clear();
    for (std::size_t r0 = 0; r0 < nr; r0 += tr) {
      const std::size_t r1 = std::min(nr, r0 + tr);
      const std::uint64_t n = static_cast<std::uint64_t>(q1 - q0) * (r1 - r0);
      unsigned long long found = 0;
      while (true) {
        TILMATCH_CUDA_CHECK(cudaMemset(count.data(), 0, sizeof(unsigned long long)));
        launch(static_cast<std::uint32_t>(q0), static_cast<std::uint32_t>(r0), static_cast<std::uint32_t>(r1 - r0), n,
               hits.data(), count.data(), static_cast<unsigned long long>(capacity));
        count.copy_to(&found, 1);
        if (found <= capacity) break;
        capacity = static_cast<std::size_t>(found);  // overflowed: rescore the tile with room for all
        hits.allocate(capacity);
      }
      const std::size_t old = row.size();
      row.resize(old + static_cast<std::size_t>(found));
      hits.copy_to(row.data() + old, static_cast<std::size_t>(found));
      if (top_k != 0) scoring::sort_hits(row, top_k);  // after every tile, as the CPU engine does
    }
    out.insert(out.end(), row.begin(), row.end());
    if (budget != 0 && out.size() * sizeof(Hit) > budget / 2)
      throw scoring::HitBudgetExceeded(budget);
  }
}

}  // namespace tilmatch::cuda::detail
