#pragma once
/// An advisory lock that keeps two runs from writing the same output folder at once.

#include <filesystem>

#include "common/signal_cleanup.hpp"

namespace tilmatch::detail {

/// An exclusive flock(2) on a lock file, taken without waiting. The file holds "<host> <pid>" of the
/// holder for the message another run shows; it is removed when the lock is released (and by the
/// signal handler). A lock file left by a killed run is simply taken over: flock locks end with
/// their process.
///
/// On NFS, Linux emulates flock with fcntl byte-range locks (since 2.6.12), which work between
/// clients when the server's lock service does (NFS mounted with `nolock` or `local_lock=flock`
/// locks on one client only). A filesystem that cannot lock at all (ENOLCK, EOPNOTSUPP) gets a
/// warning and no lock.
class FolderLock {
 public:
  /// Locks `lock_file` (created if absent). Throws IoError naming `folder` when another process
  /// holds the lock, or when the lock file cannot be created.
  FolderLock(std::filesystem::path lock_file, const std::filesystem::path& folder);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  CleanupRegistration cleanup_;
};

}  // namespace tilmatch::detail
