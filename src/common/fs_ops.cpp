#include "common/fs_ops.hpp"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/fault_injector.hpp"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)  // linux/fs.h; older C libraries do not declare it
#endif

namespace tilmatch::detail {

std::string error_text(int err) { return std::strerror(err); }

bool write_all(int fd, const char* data, std::size_t size) {
  if (fault_hit(FaultPoint::kWrite)) return false;
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool sync_fd(int fd) {
  if (fault_hit(FaultPoint::kFsync)) return false;
  return ::fsync(fd) == 0;
}

bool sync_folder(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = sync_fd(fd);
  const int err = errno;
  ::close(fd);
  errno = err;
  return ok;
}

bool rename_path(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (fault_hit(FaultPoint::kRename)) return false;
  return std::rename(from.c_str(), to.c_str()) == 0;
}

ExchangeResult exchange_paths(const std::filesystem::path& a, const std::filesystem::path& b) {
  if (fault_hit(FaultPoint::kRename)) return ExchangeResult::kFailed;
  if (fault_hit(FaultPoint::kExchange)) return ExchangeResult::kUnsupported;
#ifdef SYS_renameat2
  // The raw system call: glibc only wraps renameat2 from 2.28 on.
  if (::syscall(SYS_renameat2, AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0)
    return ExchangeResult::kExchanged;
  if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)
    return ExchangeResult::kUnsupported;
  return ExchangeResult::kFailed;
#else
  errno = ENOSYS;
  return ExchangeResult::kUnsupported;
#endif
}

const std::string& host_name() {
  static const std::string name = [] {
    char buf[256] = {};
    std::string s;
    if (::gethostname(buf, sizeof buf - 1) == 0) s = buf;
    if (s.size() > 64) s.resize(64);
    for (char& c : s) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
      if (!ok) c = '_';
    }
    return s.empty() ? std::string("localhost") : s;
  }();
  return name;
}

}  // namespace tilmatch::detail
