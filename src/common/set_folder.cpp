#include "common/set_folder.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <system_error>

#include "common/fs_ops.hpp"
#include "tilmatch/atomic_file.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch::detail {
namespace fs = std::filesystem;

namespace {

// Entries named in a warning.
constexpr std::size_t kEntriesShown = 5;

bool same_file(const fs::path& a, const fs::path& b) {
  struct stat x {}, y {};
  return ::lstat(a.c_str(), &x) == 0 && ::lstat(b.c_str(), &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

}  // namespace

std::optional<std::vector<std::string>> read_set_manifest(const fs::path& folder) {
  std::ifstream in(folder / kOutputSetManifest, std::ios::binary);
  if (!in) return std::nullopt;
  std::vector<std::string> names;
  std::string line;
  if (!std::getline(in, line)) return names;
  if (line != kSetManifestHeader) return std::nullopt;
  while (std::getline(in, line))
    if (valid_set_name(line)) names.push_back(line);
  return names;
}

bool valid_set_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\n') == std::string::npos && name.find('\0') == std::string::npos && name != kOutputSetManifest;
}

bool holds_tilmatch_run_json(const fs::path& folder) {
  std::ifstream in(folder / "run.json", std::ios::binary);
  std::string head(256, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.find("\"tool\": \"tilmatch\"") != std::string::npos;
}

bool retire_folder(const fs::path& folder, const fs::path& target, const std::set<std::string>& also_remove,
                   const std::string& what) {
  if (const auto listed = read_set_manifest(folder))
    for (const std::string& n : *listed) ::unlink((folder / n).c_str());
  for (const std::string& n : also_remove) ::unlink((folder / n).c_str());
  ::unlink((folder / kOutputSetManifest).c_str());

  std::vector<std::string> kept;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const fs::path home = target / name;
    struct stat st {};
    if (same_file(it->path(), home)) {
      ::unlink(it->path().c_str());
    } else if (::lstat(home.c_str(), &st) != 0 && errno == ENOENT && std::rename(it->path().c_str(), home.c_str()) == 0) {
      log::info("moved " + name + " back into " + target.string());
    } else {
      kept.push_back(name);
    }
  }
  if (::rmdir(folder.c_str()) == 0 || errno == ENOENT) return true;
  std::string list;
  for (std::size_t i = 0; i < kept.size() && i < kEntriesShown; ++i) list += (i ? ", " : "") + kept[i];
  if (kept.size() > kEntriesShown) list += " and " + std::to_string(kept.size() - kEntriesShown) + " more";
  log::warn("kept " + folder.string() + " (" + what + "): it holds " + (list.empty() ? "entries" : list) +
            " that tilmatch did not write and could not put back into " + target.string() +
            "; move them yourself, then remove the folder");
  return false;
}

}  // namespace tilmatch::detail
