#pragma once
/// Plain C++ front of the CUDA scoring kernels (TCRdist, TCRMatch): same TILMATCH_HD rules as the
/// CPU engine (scoring/engine.hpp), same hits, same order. Only built with TILMATCH_HAVE_CUDA.

#include <cstddef>
#include <vector>

#include "scoring/engine.hpp"

namespace tilmatch::cuda {

/// Default number of pairs scored per device tile (bounds device memory to ~13 bytes per pair).
inline constexpr std::size_t kDefaultTilePairs = std::size_t{1} << 24;

/// All pairs with TCRdist <= max_distance on device `device`, sorted by scoring::hit_before;
/// equal to scoring::tcrdist_search. Throws CudaError on CUDA failures. Hits above the threshold
/// come back to the host per tile; top_k (0 = all) is applied there, so host memory holds them all.
std::vector<scoring::TcrdistHit> tcrdist_search_on_device(const scoring::TcrdistSet& queries,
                                                          const scoring::TcrdistSet& references,
                                                          int max_distance,
                                                          const scoring::TcrdistParams& params,
                                                          int device,
                                                          std::size_t tile_pairs = kDefaultTilePairs,
                                                          std::size_t top_k = 0);

/// All pairs with TCRMatch score >= min_score on device `device`, sorted by scoring::hit_before;
/// equal to scoring::tcrmatch_search (same float operations, no FMA contraction on device);
/// top_k as for tcrdist_search_on_device.
std::vector<scoring::TcrmatchHit> tcrmatch_search_on_device(const scoring::TcrmatchSet& queries,
                                                            const scoring::TcrmatchSet& references,
                                                            float min_score,
                                                            const scoring::K1Table& k1, int device,
                                                            std::size_t tile_pairs = kDefaultTilePairs,
                                                            std::size_t top_k = 0);

}  // namespace tilmatch::cuda
