#pragma once
/// Plain C++ front of the CUDA scoring kernels (TCRdist, TCRMatch): same TILMATCH_HD rules as the
/// CPU engine (scoring/engine.hpp), same hits, same order. Only built with TILMATCH_HAVE_CUDA.

#include <cstddef>
#include <vector>

#include "scoring/backend.hpp"
#include "scoring/engine.hpp"

namespace tilmatch::cuda {

/// Default number of pairs scored per device tile (bounds device memory to ~13 bytes per pair).
inline constexpr std::size_t kDefaultTilePairs = scoring::kDeviceTilePairs;

/// All pairs with TCRdist <= max_distance on device `device`, sorted by scoring::hit_before;
/// equal to scoring::tcrdist_search whatever tile_pairs. Throws scoring::DeviceOutOfMemory when a
/// device allocation fails (the device stays usable: retry with a smaller tile_pairs) and CudaError
/// on other CUDA failures (the device may be lost). Hits come back to the host per tile; top_k
/// (0 = all) is applied after each row of tiles, as on the CPU, and with memory_budget_bytes
/// non-zero, kept hits past half of it throw Error (the CPU engine's rule for
/// EngineOptions::memory_budget_bytes).
std::vector<scoring::TcrdistHit> tcrdist_search_on_device(const scoring::TcrdistSet& queries,
                                                          const scoring::TcrdistSet& references,
                                                          int max_distance,
                                                          const scoring::TcrdistParams& params,
                                                          int device,
                                                          std::size_t tile_pairs = kDefaultTilePairs,
                                                          std::size_t top_k = 0,
                                                          std::size_t memory_budget_bytes = 0);

/// All pairs with TCRMatch score >= min_score on device `device`, sorted by scoring::hit_before;
/// equal to scoring::tcrmatch_search (same float operations, no FMA contraction on device);
/// top_k as for tcrdist_search_on_device.
std::vector<scoring::TcrmatchHit> tcrmatch_search_on_device(const scoring::TcrmatchSet& queries,
                                                            const scoring::TcrmatchSet& references,
                                                            float min_score,
                                                            const scoring::K1Table& k1, int device,
                                                            std::size_t tile_pairs = kDefaultTilePairs,
                                                            std::size_t top_k = 0,
                                                            std::size_t memory_budget_bytes = 0);

}  // namespace tilmatch::cuda
