#pragma once
/// Removing a run's temporary files when it is interrupted (SIGINT, SIGTERM, SIGHUP).
///
/// Output code registers each temporary path while it exists; the CLI installs the handler once. The
/// handler only reads a fixed table and calls unlink/rmdir, which are async-signal-safe, then ends the
/// process by the same signal (so the shell sees 128 + signal: 130 for SIGINT, 143 for SIGTERM).
/// SIGKILL cannot be caught: what it leaves is removed by the next run (see stale_files.hpp).

#include <filesystem>

namespace tilmatch::detail {

/// What the handler does with a registered path, in this order: files are unlinked, then folders
/// are removed (rmdir: they must be empty by then), then locks are unlinked.
enum class CleanupKind : int { kFile = 1, kFolder = 2, kLock = 3 };

/// Most paths registered at once; further registrations are not kept (the next run's stale-file
/// cleanup still removes what a signal then leaves).
inline constexpr int kCleanupSlots = 256;
/// Longest path the table holds, terminating NUL included.
inline constexpr std::size_t kCleanupPathBytes = 4096;

/// Registers `path` for removal on SIGINT/SIGTERM/SIGHUP while this object lives.
class CleanupRegistration {
 public:
  CleanupRegistration() = default;
  CleanupRegistration(const std::filesystem::path& path, CleanupKind kind) noexcept;
  ~CleanupRegistration();
  CleanupRegistration(CleanupRegistration&& other) noexcept;
  CleanupRegistration& operator=(CleanupRegistration&& other) noexcept;
  CleanupRegistration(const CleanupRegistration&) = delete;
  CleanupRegistration& operator=(const CleanupRegistration&) = delete;
  /// Forgets the path: a signal no longer removes it.
  void release() noexcept;

 private:
  int slot_ = -1;
};

/// While any deferral lives, the cleanup handler only records a signal; the last deferral to end
/// raises it again. Used around the few steps that publish an output folder, which must not be cut
/// in half (the handler may run on any thread; this holds for all of them).
class SignalDeferral {
 public:
  SignalDeferral() noexcept;
  ~SignalDeferral();
  SignalDeferral(const SignalDeferral&) = delete;
  SignalDeferral& operator=(const SignalDeferral&) = delete;
};

/// Installs the cleanup handler for SIGINT, SIGTERM and SIGHUP, except for a signal the process was
/// started with ignored (nohup, background jobs). Called once by the CLI's main(); library code
/// never installs handlers.
void install_cleanup_signal_handlers();

}  // namespace tilmatch::detail
