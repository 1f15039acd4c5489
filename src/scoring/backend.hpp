#pragma once
/// The scoring backend interface and its factory: the only place that chooses CPU or CUDA.
/// Every backend returns the same hits in the same order (scoring::hit_before) for the same input.

#include <memory>
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
std::unique_ptr<Backend> make_backend(BackendKind kind, unsigned threads = 0);

}  // namespace tilmatch::scoring
