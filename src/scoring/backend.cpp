// The backend factory: the one file outside kernels/ and test registration that mentions CUDA.

#include "scoring/backend.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <limits>
#include <thread>

#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"
#include "tilmatch/text.hpp"

#ifdef TILMATCH_HAVE_CUDA
#include "cuda_api.hpp"
#include "scoring_cuda.hpp"
#endif

namespace tilmatch::scoring {
namespace {

class CpuBackend final : public Backend {
 public:
  explicit CpuBackend(unsigned threads) : threads_(threads) {}
  std::string name() const override { return "cpu"; }
  std::vector<TcrdistHit> tcrdist_search(const TcrdistSet& q, const TcrdistSet& r, int max_distance,
                                         const EngineOptions& options, const TcrdistParams& params) const override {
    EngineOptions o = options;
    o.threads = threads_;
    return scoring::tcrdist_search(q, r, max_distance, o, params);
  }
  std::vector<TcrmatchHit> tcrmatch_search(const TcrmatchSet& q, const TcrmatchSet& r, float min_score,
                                           const K1Table& k1, const EngineOptions& options) const override {
    EngineOptions o = options;
    o.threads = threads_;
    return scoring::tcrmatch_search(q, r, min_score, k1, o);
  }

 private:
  unsigned threads_;
};

#ifdef TILMATCH_HAVE_CUDA
class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(cuda::DeviceInfo device) : device_(std::move(device)) {}
  std::string name() const override { return "cuda:" + std::to_string(device_.ordinal) + " (" + device_.name + ")"; }
  std::vector<TcrdistHit> tcrdist_search(const TcrdistSet& q, const TcrdistSet& r, int max_distance,
                                         const EngineOptions& options, const TcrdistParams& params) const override {
    return cuda::tcrdist_search_on_device(q, r, max_distance, params, device_.ordinal,
                                          device_tile(q.size(), r.size(), options).pairs(), options.top_k,
                                          options.memory_budget_bytes);
  }
  std::vector<TcrmatchHit> tcrmatch_search(const TcrmatchSet& q, const TcrmatchSet& r, float min_score,
                                           const K1Table& k1, const EngineOptions& options) const override {
    return cuda::tcrmatch_search_on_device(q, r, min_score, k1, device_.ordinal,
                                           device_tile(q.size(), r.size(), options).pairs(), options.top_k,
                                           options.memory_budget_bytes);
  }

 private:
  cuda::DeviceInfo device_;
};
#endif

std::size_t saturating_product(std::size_t a, std::size_t b) noexcept {
  if (a != 0 && b > std::numeric_limits<std::size_t>::max() / a) return std::numeric_limits<std::size_t>::max();
  return a * b;
}

// The device's own tile shape for about `pairs` pairs (kernels/tile_search.cuh: search_tiles).
DeviceTile shape_tile(std::size_t nq, std::size_t nr, std::size_t pairs) {
  if (nq == 0 || nr == 0) return {};
  const std::size_t tr = std::min(nr, std::max<std::size_t>(pairs, 1));
  const std::size_t tq = std::min(nq, std::max<std::size_t>(pairs / tr, 1));
  return {tq, tr};
}

std::string describe(const DeviceTile& t) {
  return std::to_string(t.queries) + (t.queries == 1 ? " query x " : " queries x ") + std::to_string(t.references) +
         (t.references == 1 ? " reference" : " references");
}

// Fails searches as a device would (see FaultPlan), else hands them to the wrapped backend.
class FaultyBackend final : public Backend {
 public:
  FaultyBackend(std::unique_ptr<Backend> inner, FaultPlan plan) : inner_(std::move(inner)), plan_(plan) {}
  std::string name() const override { return inner_->name() + " (injected device faults)"; }
  std::vector<TcrdistHit> tcrdist_search(const TcrdistSet& q, const TcrdistSet& r, int max_distance,
                                         const EngineOptions& options, const TcrdistParams& params) const override {
    inject(q.size(), r.size(), options);
    return inner_->tcrdist_search(q, r, max_distance, options, params);
  }
  std::vector<TcrmatchHit> tcrmatch_search(const TcrmatchSet& q, const TcrmatchSet& r, float min_score,
                                           const K1Table& k1, const EngineOptions& options) const override {
    inject(q.size(), r.size(), options);
    return inner_->tcrmatch_search(q, r, min_score, k1, options);
  }

 private:
  void inject(std::size_t nq, std::size_t nr, const EngineOptions& options) const {
    const std::size_t search = ++searches_;
    // A lost device stays lost: the CUDA context is unusable until the process ends.
    if (plan_.lost_at_search && search >= *plan_.lost_at_search)
      throw CudaError("injected fault at search " + std::to_string(search) +
                      ": cudaErrorDevicesUnavailable (device lost)");
    const DeviceTile tile = device_tile(nq, nr, options);
    if (plan_.oom_above_pairs && tile.pairs() > *plan_.oom_above_pairs)
      throw DeviceOutOfMemory("injected fault: cudaErrorMemoryAllocation for a tile of " + describe(tile) +
                              " (room for " + std::to_string(*plan_.oom_above_pairs) + " pairs)");
  }

  std::unique_ptr<Backend> inner_;
  FaultPlan plan_;
  mutable std::atomic<std::size_t> searches_{0};
};

std::unique_ptr<Backend> choose_backend(BackendKind kind, unsigned threads) {
  if (kind == BackendKind::kCpu) return std::make_unique<CpuBackend>(threads);
#ifdef TILMATCH_HAVE_CUDA
  const auto devices = cuda::list_devices();
  if (!devices.empty()) {
    auto backend = std::make_unique<CudaBackend>(devices.front());
    log::info("scoring on " + backend->name());
    return backend;
  }
  if (kind == BackendKind::kCuda)
    throw BackendUnavailable("backend 'cuda' requested but no usable CUDA device was found "
                             "(no device, no driver or an insufficient driver); use --backend cpu or auto");
#else
  if (kind == BackendKind::kCuda)
    throw BackendUnavailable("backend 'cuda' requested but this tilmatch is a CPU-only build "
                             "(rebuild with nvcc and TILMATCH_ENABLE_CUDA=ON); use --backend cpu or auto");
#endif
  log::info("scoring on the CPU (no CUDA device)");
  return std::make_unique<CpuBackend>(threads);
}

}  // namespace

BackendKind parse_backend_kind(std::string_view name) {
  if (name == "auto") return BackendKind::kAuto;
  if (name == "cpu") return BackendKind::kCpu;
  if (name == "cuda") return BackendKind::kCuda;
  throw UsageError("unknown backend '" + std::string(name) + "' (expected auto, cpu or cuda)");
}

std::string_view to_string(BackendKind kind) noexcept {
  switch (kind) {
    case BackendKind::kAuto: return "auto";
    case BackendKind::kCpu: return "cpu";
    case BackendKind::kCuda: return "cuda";
  }
  return "?";
}

std::string describe_backend(const Backend& backend, unsigned threads) {
  std::string name = backend.name();
  if (name.rfind("cpu", 0) != 0) return name;
  const unsigned n = threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  return name + " (" + std::to_string(n) + (n == 1 ? " thread)" : " threads)");
}

std::unique_ptr<Backend> make_backend(BackendKind kind, unsigned threads) {
  auto backend = choose_backend(kind, threads);
  const char* faults = std::getenv("TILMATCH_FAULT_BACKEND");
  if (faults == nullptr || *faults == '\0') return backend;
  const FaultPlan plan = parse_fault_plan(faults);
  log::warn("TILMATCH_FAULT_BACKEND=" + std::string(faults) + ": injecting device faults into " + backend->name() +
            " (for testing only)");
  return make_faulty_backend(std::move(backend), plan);
}

DeviceTile device_tile(std::size_t nq, std::size_t nr, const EngineOptions& options) {
  const bool set = options.tile_queries != 0 && options.tile_references != 0;
  return shape_tile(nq, nr, set ? saturating_product(options.tile_queries, options.tile_references) : kDeviceTilePairs);
}

void shrink_device_tile(EngineOptions& options, std::size_t nq, std::size_t nr, const DeviceOutOfMemory& cause) {
  const DeviceTile failed = device_tile(nq, nr, options);
  if (failed.pairs() <= kMinDeviceTilePairs)
    throw DeviceOutOfMemory("device out of memory even at the smallest tile (" + describe(failed) +
                            "): free device memory or use --backend cpu (" + cause.what() + ")");
  const DeviceTile next = shape_tile(nq, nr, std::max(kMinDeviceTilePairs, failed.pairs() / 4));
  options.tile_queries = next.queries;
  options.tile_references = next.references;
  log::warn("device out of memory on tiles of " + describe(failed) + "; scoring in tiles of " + describe(next) +
            " (same results, slower)");
}

FaultPlan parse_fault_plan(std::string_view text) {
  const auto bad = [&] {
    return UsageError("TILMATCH_FAULT_BACKEND: expected oom:<pairs>, lost:<k> (k >= 1) or both joined by ',', got '" +
                      std::string(text) + "'");
  };
  FaultPlan plan;
  for (const std::string_view item : text::split(text, ',')) {
    const auto colon = item.find(':');
    if (colon == std::string_view::npos) throw bad();
    const std::string_view key = item.substr(0, colon);
    const auto value = text::parse_int(item.substr(colon + 1));
    if (!value || *value < 0) throw bad();
    const auto n = static_cast<std::size_t>(*value);
    if (key == "oom" && !plan.oom_above_pairs) {
      plan.oom_above_pairs = n;
    } else if (key == "lost" && !plan.lost_at_search && n >= 1) {
      plan.lost_at_search = n;
    } else {
      throw bad();
    }
  }
  if (!plan.oom_above_pairs && !plan.lost_at_search) throw bad();
  return plan;
}

std::unique_ptr<Backend> make_faulty_backend(std::unique_ptr<Backend> inner, FaultPlan plan) {
  if (!inner) throw Error("make_faulty_backend: no backend to wrap");
  return std::make_unique<FaultyBackend>(std::move(inner), plan);
}

}  // namespace tilmatch::scoring
