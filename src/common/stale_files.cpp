#include "common/stale_files.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "common/fs_ops.hpp"

namespace tilmatch::detail {

std::string owner_tag() { return host_name() + "." + std::to_string(::getpid()); }

std::optional<TempOwner> parse_owner(std::string_view name, std::string_view prefix) {
  if (name.size() <= prefix.size() || name.substr(0, prefix.size()) != prefix) return std::nullopt;
  const std::string_view rest = name.substr(prefix.size());
  const std::size_t dot = rest.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == rest.size() || rest.size() - dot - 1 > 9)
    return std::nullopt;
  long pid = 0;
  for (char c : rest.substr(dot + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    pid = pid * 10 + (c - '0');
  }
  if (pid <= 0) return std::nullopt;
  return TempOwner{std::string(rest.substr(0, dot)), pid};
}

bool owner_is_gone(const TempOwner& owner) {
  if (owner.host != host_name() || owner.pid == static_cast<long>(::getpid())) return false;
  return ::kill(static_cast<pid_t>(owner.pid), 0) != 0 && errno == ESRCH;
}

std::vector<std::filesystem::path> stale_entries(const std::filesystem::path& dir, std::string_view prefix) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir.empty() ? std::filesystem::path(".") : dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (const auto owner = parse_owner(name, prefix); owner && owner_is_gone(*owner)) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tilmatch::detail
