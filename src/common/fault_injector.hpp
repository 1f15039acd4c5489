#pragma once
/// A test hook that makes the k-th output write, fsync or rename fail (or stop the process there), so
/// tests can check that a run leaves its output folder complete or untouched whatever fails. Compiled
/// in always, inert unless the environment variable TILMATCH_FAULT is set when the first output opens.

#include <array>
#include <atomic>
#include <string_view>
#include <vector>

namespace tilmatch::detail {

/// The calls that can be made to fail. kExchange is the renameat2(RENAME_EXCHANGE) that publishes an
/// output folder; it also counts as a kRename.
enum class FaultPoint : int { kWrite = 0, kFsync, kRename, kExchange };
inline constexpr int kFaultPoints = 4;

/// Counts output calls per point and says which one must fail.
///
/// Spec: comma-separated rules `<point>:<k>[:<action>]`; point is write, fsync, rename or exchange,
/// k counts from 1 in call order, action is `fail` (default: the call fails with ENOSPC for write,
/// EIO for fsync and rename, EINVAL for exchange, which reads as "filesystem cannot exchange") or
/// a signal sent to the process just before the call: int, term, hup, kill or stop.
/// Example: TILMATCH_FAULT=exchange:1,rename:2 takes the no-exchange fallback and fails its second rename.
class FaultInjector {
 public:
  /// The process's injector, parsed from TILMATCH_FAULT on first use. Throws UsageError when the
  /// variable is set but malformed (a silent typo would make a fault test pass without a fault).
  static FaultInjector& instance();

  /// Parses `spec` (empty: inert). Throws UsageError when malformed.
  explicit FaultInjector(std::string_view spec);

  /// Counts one call at `point`. True when that call must fail; errno is then set. A rule with a
  /// signal action raises the signal and returns false.
  bool hit(FaultPoint point);

  /// True when any rule is set.
  bool armed() const noexcept { return !rules_.empty(); }

  /// Replaces the rules with `spec` and restarts the counts. For in-process tests only, while no
  /// output is being written (the rules are not guarded against concurrent use).
  void rearm(std::string_view spec);

 private:
  struct Rule {
    FaultPoint point;
    long call;   ///< 1-based call number at that point
    int signal;  ///< 0: fail the call
  };
  std::vector<Rule> rules_;
  std::array<std::atomic<long>, kFaultPoints> calls_{};
};

/// FaultInjector::instance().hit(point), skipped cheaply when the injector is inert.
bool fault_hit(FaultPoint point);

}  // namespace tilmatch::detail
