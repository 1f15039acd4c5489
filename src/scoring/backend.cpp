// The backend factory: the one file outside kernels/ and test registration that mentions CUDA.

#include "scoring/backend.hpp"

#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"

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
    return cuda::tcrdist_search_on_device(q, r, max_distance, params, device_.ordinal, cuda::kDefaultTilePairs,
                                          options.top_k, options.memory_budget_bytes);
  }
  std::vector<TcrmatchHit> tcrmatch_search(const TcrmatchSet& q, const TcrmatchSet& r, float min_score,
                                           const K1Table& k1, const EngineOptions& options) const override {
    return cuda::tcrmatch_search_on_device(q, r, min_score, k1, device_.ordinal, cuda::kDefaultTilePairs,
                                           options.top_k, options.memory_budget_bytes);
  }

 private:
  cuda::DeviceInfo device_;
};
#endif

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

std::unique_ptr<Backend> make_backend(BackendKind kind, unsigned threads) {
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

}  // namespace tilmatch::scoring
