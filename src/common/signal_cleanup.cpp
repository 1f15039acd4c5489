#include "common/signal_cleanup.hpp"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>

namespace tilmatch::detail {
namespace {

// Slot states. A slot is only read by the handler in kReady; writers mark it kBusy first.
constexpr int kFree = 0;
constexpr int kBusy = 1;
constexpr int kReady = 2;

struct Slot {
  std::atomic<int> state{kFree};
  int kind = 0;
  char path[kCleanupPathBytes] = {};
};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");

// The handler's table and flags are the process-wide state that signals need: a handler has no
// other way to learn what to remove. They are written only through the classes below.
Slot g_slots[kCleanupSlots];
std::atomic<int> g_deferrals{0};
std::atomic<int> g_pending{0};   // a signal that arrived during a deferral
std::atomic<int> g_dying{0};     // a handler may be reading the table
std::atomic<int> g_cleaning{0};  // a handler has started removing paths and will end the process

// Writers of the table wait here while a handler may be reading it (if that handler is ending the
// process, they wait until it does). Together with the handler raising g_dying before it reads any
// slot, this keeps the handler from reading a path while it is being overwritten.
void wait_while_dying() noexcept {
  while (g_dying.load() != 0) sched_yield();
}

void remove_registered() noexcept {
  for (int kind : {static_cast<int>(CleanupKind::kFile), static_cast<int>(CleanupKind::kFolder),
                   static_cast<int>(CleanupKind::kLock)}) {
    for (Slot& s : g_slots) {
      if (s.state.load(std::memory_order_acquire) != kReady || s.kind != kind) continue;
      if (kind == static_cast<int>(CleanupKind::kFolder)) {
        ::rmdir(s.path);
      } else {
        ::unlink(s.path);
      }
    }
  }
}

void on_cleanup_signal(int sig) {
  const int saved_errno = errno;
  // Either this handler removes the paths (no deferral is active), or it leaves the signal to the
  // deferral that is: raising g_dying before reading g_deferrals, while SignalDeferral raises
  // g_deferrals before reading g_dying, means at least one of the two sees the other.
  for (;;) {
    g_dying.store(1);
    if (g_deferrals.load() == 0) break;
    g_pending.store(sig);
    g_dying.store(0);
    // The deferral may have ended just now without seeing the signal: then take it back and go on.
    if (g_deferrals.load() > 0 || g_pending.exchange(0) == 0) {
      errno = saved_errno;
      return;
    }
  }
  if (g_cleaning.exchange(1) != 0) {
    for (;;) ::pause();  // another thread is cleaning up and ends the process
  }
  remove_registered();
  // End by the same signal with its default action, so the parent (a shell, Snakemake) sees an
  // interrupted process and not a normal exit.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ::sigaction(sig, &dfl, nullptr);
  sigset_t unblock;
  sigemptyset(&unblock);
  sigaddset(&unblock, sig);
  ::pthread_sigmask(SIG_UNBLOCK, &unblock, nullptr);
  ::raise(sig);
  ::_exit(128 + sig);
}

}  // namespace

CleanupRegistration::CleanupRegistration(const std::filesystem::path& path, CleanupKind kind) noexcept {
  const std::string& p = path.native();
  if (p.empty() || p.size() >= kCleanupPathBytes) return;
  for (int i = 0; i < kCleanupSlots; ++i) {
    int expected = kFree;
    if (!g_slots[i].state.compare_exchange_strong(expected, kBusy)) continue;
    wait_while_dying();
    std::memcpy(g_slots[i].path, p.c_str(), p.size() + 1);
    g_slots[i].kind = static_cast<int>(kind);
    g_slots[i].state.store(kReady, std::memory_order_release);
    slot_ = i;
    return;
  }
}

CleanupRegistration::~CleanupRegistration() { release(); }

CleanupRegistration::CleanupRegistration(CleanupRegistration&& other) noexcept
    : slot_(std::exchange(other.slot_, -1)) {}

CleanupRegistration& CleanupRegistration::operator=(CleanupRegistration&& other) noexcept {
  if (this != &other) {
    release();
    slot_ = std::exchange(other.slot_, -1);
  }
  return *this;
}

void CleanupRegistration::release() noexcept {
  if (slot_ < 0) return;
  Slot& s = g_slots[slot_];
  s.state.store(kBusy);
  wait_while_dying();
  s.state.store(kFree);
  slot_ = -1;
}

SignalDeferral::SignalDeferral() noexcept {
  g_deferrals.fetch_add(1);
  wait_while_dying();
}

SignalDeferral::~SignalDeferral() {
  if (g_deferrals.fetch_sub(1) != 1) return;
  if (const int sig = g_pending.exchange(0); sig != 0) ::raise(sig);
}

void install_cleanup_signal_handlers() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) continue;
    struct sigaction sa {};
    sa.sa_handler = on_cleanup_signal;
    sigemptyset(&sa.sa_mask);
    // One cleanup at a time on a thread: the other cleanup signals wait while the handler runs.
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGHUP);
    sa.sa_flags = SA_RESTART;  // a deferred signal must not make an interrupted write or read fail
    ::sigaction(sig, &sa, nullptr);
  }
}

}  // namespace tilmatch::detail
