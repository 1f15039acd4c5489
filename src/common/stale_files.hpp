#pragma once
/// Temporary names that say who made them, and finding those of runs that are gone.
///
/// Every temporary name tilmatch makes ends in "<host>.<pid>" (owner_tag()). A later run removes one
/// only when it was made on this host by a process that no longer runs (kill(pid, 0) fails with
/// ESRCH): never another live run's files, never another host's (a shared filesystem may hold both).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tilmatch::detail {

/// "<host>.<pid>" of this process (host as detail::host_name()).
std::string owner_tag();

/// Who made a temporary name.
struct TempOwner {
  std::string host;
  long pid = 0;
};

/// The owner of `name` when it is `prefix` followed by "<host>.<pid>"; nullopt otherwise.
std::optional<TempOwner> parse_owner(std::string_view name, std::string_view prefix);

/// True when `owner` is this host and its process no longer exists. A pid reused by another
/// process since reads as alive: the files then stay (safe side).
bool owner_is_gone(const TempOwner& owner);

/// Paths in `dir` named `prefix` + owner tag whose owner is gone, in name order. Empty when `dir`
/// cannot be read.
std::vector<std::filesystem::path> stale_entries(const std::filesystem::path& dir, std::string_view prefix);

}  // namespace tilmatch::detail
