#pragma once
/// The system calls that write and publish outputs, each passed through the fault injector
/// (common/fault_injector.hpp) so tests can make any one of them fail. They report failure like the
/// calls they wrap: false (or kFailed) with errno set.

#include <cstddef>
#include <filesystem>
#include <string>

namespace tilmatch::detail {

/// strerror(err) as a string.
std::string error_text(int err);

/// Writes all `size` bytes to `fd`, retrying short writes and EINTR. One fault-injection "write".
bool write_all(int fd, const char* data, std::size_t size);

/// fsync(fd). One fault-injection "fsync".
bool sync_fd(int fd);

/// Opens the folder and fsyncs it, making the names created, renamed or removed in it durable.
/// One fault-injection "fsync".
bool sync_folder(const std::filesystem::path& dir);

/// rename(2). One fault-injection "rename".
bool rename_path(const std::filesystem::path& from, const std::filesystem::path& to);

enum class ExchangeResult { kExchanged, kUnsupported, kFailed };

/// Swaps two existing paths atomically: renameat2(RENAME_EXCHANGE) (Linux 3.15+). kUnsupported when
/// the kernel or the filesystem cannot (EINVAL, ENOSYS, EOPNOTSUPP: NFS, most FUSE filesystems);
/// kFailed with errno for any other error. One fault-injection "rename" and one "exchange".
ExchangeResult exchange_paths(const std::filesystem::path& a, const std::filesystem::path& b);

/// This host's name as written into temporary names: at most 64 bytes of letters, digits, '-' and
/// '.', anything else as '_' ("localhost" when it has none).
const std::string& host_name();

}  // namespace tilmatch::detail
