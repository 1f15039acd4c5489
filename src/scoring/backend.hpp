#pragma once
/// The scoring backend interface and its factory: the only place that chooses CPU or CUDA.
/// Every backend returns the same hits in the same order (scoring::hit_before) for the same input.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scoring/engine.hpp"

namespace tilmatch::scoring {

enum class BackendKind { kAuto, kCpu, kCuda };

/// "auto", "cpu" or "cuda"; throws UsageError otherwise.
BackendKind parse_backend_kind(std::string_view name);
std::string_view to_string(BackendKind kind) noexcept;

/// A scorer of encoded query x reference sets. Implementations are stateless apart from their
/// configuration (threads, device), so one backend can serve many searches.
class Backend {
 public:
  virtual ~Backend() = default;
  /// "cpu" or "cuda:<ordinal> (<device name>)".
  virtual std::string name() const = 0;
  /// As scoring::tcrdist_search; options.threads is the backend's own.
  virtual std::vector<TcrdistHit> tcrdist_search(const TcrdistSet& queries, const TcrdistSet& references,
                                                 int max_distance, const EngineOptions& options,
                                                 const TcrdistParams& params = {}) const = 0;
  /// As scoring::tcrmatch_search; options.threads is the backend's own.
  virtual std::vector<TcrmatchHit> tcrmatch_search(const TcrmatchSet& queries, const TcrmatchSet& references,
                                                   float min_score, const K1Table& k1,
                                                   const EngineOptions& options) const = 0;
};

/// Makes the backend `kind` with `threads` CPU threads (0 = all). kAuto picks CUDA device 0 when
/// a device is present (logged at info level), otherwise the CPU. kCuda on a CPU-only build or a
/// machine without a usable device throws BackendUnavailable (never falls back silently).
/// For tests of the device-failure paths, a non-empty environment variable TILMATCH_FAULT_BACKEND
/// (parse_fault_plan) wraps the chosen backend in make_faulty_backend, with a warning on stderr.
std::unique_ptr<Backend> make_backend(BackendKind kind, unsigned threads = 0);

/// What a stage line says scores: the backend's name, and for the CPU its thread count (`threads`
/// 0 = every hardware thread, as the engine reads it): "cpu (2 threads)", "cuda:0 (NVIDIA H200)".
std::string describe_backend(const Backend& backend, unsigned threads);

/// Pairs a device tile holds unless EngineOptions sets one: 2^24 pairs bound a tile's hit buffer
/// to 2^24 x 12 bytes (192 MiB) even when every pair is a hit.
inline constexpr std::size_t kDeviceTilePairs = std::size_t{1} << 24;
/// The smallest tile the out-of-memory fallback tries (48 KiB of hit buffer): a device that
/// cannot hold it beside the two encoded sets is effectively full.
inline constexpr std::size_t kMinDeviceTilePairs = std::size_t{1} << 12;

/// Queries x references scored by one device launch.
struct DeviceTile {
  std::size_t queries = 0;
  std::size_t references = 0;
  std::size_t pairs() const noexcept { return queries * references; }
  friend bool operator==(const DeviceTile&, const DeviceTile&) = default;
};

/// The tile a device search of nq queries x nr references uses under `options`:
/// tile_queries x tile_references when both are set, else up to kDeviceTilePairs pairs; either
/// way shaped as the device shapes it (references first, then as many queries as fit) and capped
/// at nq x nr. Empty when nq or nr is 0.
DeviceTile device_tile(std::size_t nq, std::size_t nr, const EngineOptions& options);

/// After a search of nq x nr threw DeviceOutOfMemory (`cause`) under `options`: sets
/// options.tile_queries and tile_references to a tile of a quarter of the pairs (at least
/// kMinDeviceTilePairs) and logs a warning. When the failed tile had kMinDeviceTilePairs or fewer,
/// throws DeviceOutOfMemory "device out of memory even at the smallest tile ..." instead.
void shrink_device_tile(EngineOptions& options, std::size_t nq, std::size_t nr, const DeviceOutOfMemory& cause);

/// Runs `search(options)` (a search of nq queries x nr references on some backend) and, while it
/// throws DeviceOutOfMemory, runs it again after shrink_device_tile. The smaller tile stays in
/// `options`, so later searches start from it. Hits do not depend on the tile (same bytes); every
/// other error (a lost device: CudaError) propagates at once.
template <class Search>
auto search_with_tile_fallback(EngineOptions& options, std::size_t nq, std::size_t nr, Search&& search) {
  for (;;) {
    try {
      return search(static_cast<const EngineOptions&>(options));
    } catch (const DeviceOutOfMemory& e) {
      shrink_device_tile(options, nq, nr, e);
    }
  }
}

/// Device faults to inject at the backend interface (tests only).
struct FaultPlan {
  /// A search whose device_tile has more pairs throws DeviceOutOfMemory (0: every search with pairs).
  std::optional<std::size_t> oom_above_pairs;
  /// The k-th search (1-based, both metrics counted) and every later one throw CudaError, as a
  /// lost device does (cudaErrorDevicesUnavailable, a launch failure, an ECC error).
  std::optional<std::size_t> lost_at_search;
  friend bool operator==(const FaultPlan&, const FaultPlan&) = default;
};

/// Parses "oom:<pairs>", "lost:<k>" (k >= 1) or both joined by ','; UsageError otherwise.
FaultPlan parse_fault_plan(std::string_view text);

/// Wraps `inner` (owned) so that its searches fail as `plan` says and otherwise run on `inner`
/// unchanged. Thread-safe, as every backend.
std::unique_ptr<Backend> make_faulty_backend(std::unique_ptr<Backend> inner, FaultPlan plan);

}  // namespace tilmatch::scoring
