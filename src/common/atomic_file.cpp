#include "tilmatch/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>
#include <utility>

#include "common/fs_ops.hpp"
#include "common/signal_cleanup.hpp"
#include "common/stale_files.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch {
namespace fs = std::filesystem;

namespace {

// Outputs run to gigabytes: 1 MiB buffers instead of stdio's 4 KiB cut the write calls 256-fold.
constexpr std::size_t kBufferBytes = std::size_t{1} << 20;

std::string temp_prefix_for(const fs::path& final_path) { return final_path.filename().string() + ".tmp."; }

/// Removes the temporary files of `final_path` that killed runs on this host left.
void remove_stale_temps(const fs::path& final_path) {
  for (const fs::path& p : detail::stale_entries(final_path.parent_path(), temp_prefix_for(final_path))) {
    std::error_code ec;
    if (fs::is_regular_file(fs::symlink_status(p, ec)) && fs::remove(p, ec))
      log::info("removed " + p.string() + ", left by an interrupted run");
  }
}

}  // namespace

AtomicFile::AtomicFile(fs::path final_path) : final_(std::move(final_path)) {
  if (final_ == "-") {
    to_stdout_ = true;
    return;
  }
  remove_stale_temps(final_);
  temp_ = final_;
  temp_ += ".tmp." + detail::owner_tag();
  open_temp();
}

AtomicFile::AtomicFile(fs::path final_path, fs::path staged, InSet)
    : final_(std::move(final_path)), temp_(std::move(staged)), in_set_(true) {
  open_temp();
}

void AtomicFile::open_temp() {
  // Registered before it exists, so no moment has the file on disk and unknown to the handler.
  cleanup_ = std::make_unique<detail::CleanupRegistration>(temp_, detail::CleanupKind::kFile);
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    const int err = errno;
    cleanup_.reset();
    throw IoError("cannot create " + temp_.string() + ": " + detail::error_text(err));
  }
  buffer_.reserve(kBufferBytes);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : final_(std::move(other.final_)),
      temp_(std::move(other.temp_)),
      fd_(std::exchange(other.fd_, -1)),
      buffer_(std::move(other.buffer_)),
      cleanup_(std::move(other.cleanup_)),
      to_stdout_(other.to_stdout_),
      in_set_(other.in_set_),
      closed_(other.closed_),
      published_(std::exchange(other.published_, true)) {}

AtomicFile& AtomicFile::operator=(AtomicFile&& other) noexcept {
  if (this != &other) {
    discard();
    final_ = std::move(other.final_);
    temp_ = std::move(other.temp_);
    fd_ = std::exchange(other.fd_, -1);
    buffer_ = std::move(other.buffer_);
    cleanup_ = std::move(other.cleanup_);
    to_stdout_ = other.to_stdout_;
    in_set_ = other.in_set_;
    closed_ = other.closed_;
    published_ = std::exchange(other.published_, true);
  }
  return *this;
}

AtomicFile::~AtomicFile() { discard(); }

void AtomicFile::discard() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!to_stdout_ && !published_ && !temp_.empty()) ::unlink(temp_.c_str());
  cleanup_.reset();
}

void AtomicFile::flush_buffer() {
  if (buffer_.empty()) return;
  if (!detail::write_all(fd_, buffer_.data(), buffer_.size()))
    throw IoError("cannot write " + final_.string() + ": " + detail::error_text(errno));
  buffer_.clear();
}

void AtomicFile::write(std::string_view text) {
  if (closed_) throw IoError("internal: write after close on " + final_.string());
  if (text.empty()) return;
  if (to_stdout_) {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size())
      throw IoError("cannot write to standard output: " + detail::error_text(errno));
    return;
  }
  if (buffer_.size() + text.size() > kBufferBytes) flush_buffer();
  if (text.size() >= kBufferBytes) {
    if (!detail::write_all(fd_, text.data(), text.size()))
      throw IoError("cannot write " + final_.string() + ": " + detail::error_text(errno));
    return;
  }
  buffer_.append(text);
}

void AtomicFile::close() {
  if (closed_) return;
  closed_ = true;
  if (to_stdout_) {
    if (std::fflush(stdout) != 0) throw IoError("cannot write to standard output: " + detail::error_text(errno));
    return;
  }
  flush_buffer();
  if (!detail::sync_fd(fd_)) throw IoError("cannot write " + final_.string() + ": " + detail::error_text(errno));
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) throw IoError("cannot close " + final_.string() + ": " + detail::error_text(errno));
  std::string().swap(buffer_);
}

void AtomicFile::publish() {
  if (!closed_) close();
  if (to_stdout_ || published_) return;
  if (!in_set_) {
    if (!detail::rename_path(temp_, final_)) {
      throw IoError("cannot rename " + temp_.string() + " to " + final_.string() + ": " +
                    detail::error_text(errno));
    }
    // The file is complete and in place; only its name may not survive a power cut yet.
    const fs::path folder = final_.parent_path().empty() ? fs::path(".") : final_.parent_path();
    if (!detail::sync_folder(folder))
      log::warn("cannot sync " + folder.string() + " after writing " + final_.string() + ": " +
                detail::error_text(errno));
  }
  published_ = true;
  cleanup_.reset();
}

void AtomicFile::commit() {
  close();
  publish();
}

}  // namespace tilmatch
