#include "common/folder_lock.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>

#include "common/fs_ops.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch::detail {
namespace {

// How often the lock is retried when the lock file is removed or replaced between open and flock
// (its holder released it just then); more than a few in a row means something else is wrong.
constexpr int kLockAttempts = 20;

std::string holder_of(int fd) {
  char buf[128] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string s = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  const std::size_t space = s.find(' ');
  if (space == std::string::npos) return "another process";
  return "pid " + s.substr(space + 1) + " on " + s.substr(0, space);
}

// Holds SIGINT, SIGTERM and SIGHUP back while a lock file is created and its cleanup registered: a
// signal between the two would otherwise leave the file behind. Registering first is no answer, as
// the handler would then remove a lock file that another run holds. A held signal is delivered when
// the mask is restored, and its handler then finds the file registered.
class HeldSignals {
 public:
  HeldSignals() noexcept {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    ::pthread_sigmask(SIG_BLOCK, &set, &previous_);
  }
  ~HeldSignals() { ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  HeldSignals(const HeldSignals&) = delete;
  HeldSignals& operator=(const HeldSignals&) = delete;

 private:
  sigset_t previous_{};
};

bool same_file(int fd, const std::filesystem::path& path) {
  struct stat a {}, b {};
  return ::fstat(fd, &a) == 0 && ::stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

}  // namespace

FolderLock::FolderLock(std::filesystem::path lock_file, const std::filesystem::path& folder)
    : path_(std::move(lock_file)) {
  for (int attempt = 0; attempt < kLockAttempts; ++attempt) {
    const HeldSignals held;
    // O_RDWR: NFS emulates flock with fcntl locks, and an exclusive one needs a file open for writing.
    const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
      const int err = errno;
      std::string hint;
      if (err == EACCES || err == EPERM || err == EROFS)
        hint = " (tilmatch writes a run beside its output folder, so that folder's parent must be writable; "
               "give a folder inside " + folder.string() + " instead)";
      throw IoError("cannot create the lock file " + path_.string() + " for " + folder.string() + ": " +
                    error_text(err) + hint);
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      if (err == EWOULDBLOCK) {
        const std::string holder = holder_of(fd);
        ::close(fd);
        throw IoError(folder.string() + " is being written by another tilmatch run (" + holder +
                      "): wait for it to end or choose another output folder (lock file " + path_.string() + ")");
      }
      if (err == ENOLCK || err == EOPNOTSUPP || err == ENOSYS) {
        log::warn("cannot lock " + path_.string() + " (" + error_text(err) + "): another run writing " +
                  folder.string() + " at the same time would not be noticed");
        fd_ = fd;
        cleanup_ = CleanupRegistration(path_, CleanupKind::kLock);
        return;
      }
      ::close(fd);
      throw IoError("cannot lock " + path_.string() + " for " + folder.string() + ": " + error_text(err));
    }
    if (same_file(fd, path_)) {
      fd_ = fd;
      cleanup_ = CleanupRegistration(path_, CleanupKind::kLock);
      const std::string owner = host_name() + " " + std::to_string(::getpid()) + "\n";
      // Only informs another run's message: a failure here changes nothing.
      [[maybe_unused]] const bool informed =
          ::ftruncate(fd_, 0) == 0 && ::pwrite(fd_, owner.data(), owner.size(), 0) == static_cast<ssize_t>(owner.size());
      return;
    }
    ::close(fd);  // its holder removed or replaced it between our open and flock: lock the current one
  }
  throw IoError("cannot lock " + path_.string() + " for " + folder.string() + ": the lock file keeps changing");
}

FolderLock::~FolderLock() {
  if (fd_ < 0) return;
  // Unlink while still holding the lock: a run that opened the old file then finds it gone and retries.
  ::unlink(path_.c_str());
  cleanup_.release();
  ::close(fd_);
}

}  // namespace tilmatch::detail
