#pragma once
/// The tile loop shared by the device searches: queries x references in tiles of about
/// `tile_pairs` pairs; for each tile `launch` scores every pair into `hits` and a keep flag, and
/// the kept hits are compacted on the device (thrust::copy_if) and appended to `out`.

#include <thrust/copy.h>
#include <thrust/device_vector.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace tilmatch::cuda::detail {

// Stencil predicate for thrust::copy_if: the pair passed its threshold.
struct IsKept {
  __host__ __device__ bool operator()(std::uint8_t keep) const { return keep != 0; }
};

/// `launch(q0, r0, tile_references, n_pairs, hits, keep)` scores the tile starting at query q0 and
/// reference r0. Thrust throws thrust::system_error; callers turn it into CudaError.
template <typename Hit, typename Launch>
void search_tiles(std::size_t nq, std::size_t nr, std::size_t tile_pairs, Launch&& launch, std::vector<Hit>& out) {
  if (nq == 0 || nr == 0) return;
  const std::size_t tr = std::min(nr, std::max<std::size_t>(tile_pairs, 1));
  const std::size_t tq = std::min(nq, std::max<std::size_t>(tile_pairs / tr, 1));
  thrust::device_vector<Hit> hits(tq * tr);
  thrust::device_vector<std::uint8_t> keep(tq * tr);
  thrust::device_vector<Hit> kept(tq * tr);
  for (std::size_t q0 = 0; q0 < nq; q0 += tq) {
    const std::size_t q1 = std::min(nq, q0 + tq);
    for (std::size_t r0 = 0; r0 < nr; r0 += tr) {
      const std::size_t r1 = std::min(nr, r0 + tr);
      const std::uint64_t n = static_cast<std::uint64_t>(q1 - q0) * (r1 - r0);
      launch(static_cast<std::uint32_t>(q0), static_cast<std::uint32_t>(r0), static_cast<std::uint32_t>(r1 - r0), n,
             thrust::raw_pointer_cast(hits.data()), thrust::raw_pointer_cast(keep.data()));
      const auto end = thrust::copy_if(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(n), keep.begin(),
                                       kept.begin(), IsKept{});
      const auto count = static_cast<std::size_t>(end - kept.begin());
      const std::size_t old = out.size();
      out.resize(old + count);
      thrust::copy(kept.begin(), end, out.begin() + static_cast<std::ptrdiff_t>(old));
    }
  }
}

}  // namespace tilmatch::cuda::detail
