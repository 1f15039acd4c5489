// OutputSet: a run's output folder, written beside its final place and swapped in whole.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <optional>
#include <set>
#include <system_error>
#include <utility>

#include "common/folder_lock.hpp"
#include "common/fs_ops.hpp"
#include "common/signal_cleanup.hpp"
#include "common/stale_files.hpp"
#include "tilmatch/atomic_file.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kManifestHeader = "# tilmatch output set: these files were written together by one run";
// Hidden names next to the folder carry the folder's name, cut so that name, host and pid stay
// under the 255-byte limit of a file name.
constexpr std::size_t kMaxNameInHiddenNames = 100;
// Foreign entries named in the refusal message.
constexpr std::size_t kEntriesShown = 5;

/// The names a manifest lists; nullopt when `folder` has no manifest or it is not one. An empty
/// manifest (a run killed before writing its first line) lists nothing.
std::optional<std::vector<std::string>> read_manifest(const fs::path& folder) {
  std::ifstream in(folder / kOutputSetManifest, std::ios::binary);
  if (!in) return std::nullopt;
  std::vector<std::string> names;
  std::string line;
  if (!std::getline(in, line)) return names;
  if (line != kManifestHeader) return std::nullopt;
  while (std::getline(in, line))
    if (!line.empty()) names.push_back(line);
  return names;
}

/// A plain file name a set may hold: not empty, no '/', not "." or "..", not the manifest.
bool valid_set_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\n') == std::string::npos && name.find('\0') == std::string::npos && name != kOutputSetManifest;
}

/// Removes an output set folder that is no longer wanted: the files its manifest lists, the
/// manifest, then the folder. Anything else keeps the folder (with a warning): files tilmatch did
/// not list are never deleted. True when the folder is gone.
bool remove_set_folder(const fs::path& folder, const std::string& what) {
  if (const auto names = read_manifest(folder)) {
    for (const std::string& n : *names)
      if (valid_set_name(n)) ::unlink((folder / n).c_str());
    ::unlink((folder / kOutputSetManifest).c_str());
  }
  if (::rmdir(folder.c_str()) == 0 || errno == ENOENT) return true;
  log::warn("kept " + folder.string() + " (" + what + "): " + detail::error_text(errno) +
            "; it holds files that no tilmatch run listed, so remove it by hand once checked");
  return false;
}

/// `dir` made absolute and normal, without a trailing '/', symlinks to a folder followed.
fs::path resolve_target(const fs::path& dir) {
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec).lexically_normal();
  if (ec) throw IoError("cannot resolve " + dir.string() + ": " + ec.message());
  if (!p.has_filename()) p = p.parent_path();
  if (fs::exists(p, ec)) {
    fs::path real = fs::canonical(p, ec);
    if (!ec) return real;
  }
  return p;
}

std::string list_some(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size() && i < kEntriesShown; ++i) s += (i ? ", " : "") + names[i];
  if (names.size() > kEntriesShown) s += " and " + std::to_string(names.size() - kEntriesShown) + " more";
  return s;
}

}  // namespace

/// Everything a set holds besides its files: the lock, the staging folder, the manifest, and what
/// `dir` was when the set began.
struct OutputSet::State {
  fs::path shown;    // `dir` as the user gave it, for messages
  fs::path target;   // where the set is published
  fs::path parent;   // target's folder: staging and lock live here
  std::string hidden_base;  // "." + target's name (cut), the start of every hidden name
  std::optional<detail::FolderLock> lock;
  fs::path staging;
  fs::path aside;    // where the previous folder goes when the filesystem cannot exchange
  bool existed = false;
  std::vector<std::string> names;
  int manifest_fd = -1;
  detail::CleanupRegistration staging_cleanup;
  detail::CleanupRegistration manifest_cleanup;

  explicit State(const fs::path& dir);
  ~State();
  void check_target();
  void create_staging(const struct stat* previous);
  void add_name(const std::string& name);
  void finish_manifest();
  void publish();
  std::string refuse(const std::string& why) const {
    return "cannot write the results to " + shown.string() + ": " + why;
  }
};

OutputSet::State::State(const fs::path& dir) : shown(dir), target(resolve_target(dir)) {
  parent = target.parent_path();
  if (!target.has_filename() || parent == target) throw IoError(refuse("it is the root folder"));
  std::error_code ec;
  if (fs::exists(target, ec) && fs::equivalent(target, fs::current_path(ec), ec)) {
    throw IoError(refuse("it is the current working directory, and tilmatch replaces the whole folder when a "
                         "run completes; give a new folder, e.g. results"));
  }
  fs::create_directories(parent, ec);
  if (ec) throw IoError("cannot create output directory " + parent.string() + ": " + ec.message());

  hidden_base = "." + target.filename().string().substr(0, kMaxNameInHiddenNames);
  lock.emplace(parent / (hidden_base + ".tilmatch.lock"), shown);

  for (const char* kind : {".tilmatch-staging.", ".tilmatch-old."}) {
    for (const fs::path& p : detail::stale_entries(parent, hidden_base + kind)) {
      if (fs::is_directory(fs::symlink_status(p, ec)) && remove_set_folder(p, "left by an interrupted run"))
        log::info("removed " + p.string() + ", left by an interrupted run");
    }
  }

  struct stat previous {};
  existed = ::lstat(target.c_str(), &previous) == 0;
  if (existed) check_target();
  create_staging(existed ? &previous : nullptr);
}

void OutputSet::State::check_target() {
  struct stat st {}, up {};
  if (::stat(target.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw IoError("cannot create output directory " + shown.string() + ": not a directory");
  if (::stat(parent.c_str(), &up) == 0 && up.st_dev != st.st_dev) {
    throw IoError(refuse("it is a mount point, and tilmatch publishes a run by replacing the whole folder within "
                         "its parent; give a folder inside it, e.g. " + (shown / "results").string()));
  }
  const auto listed = read_manifest(target);
  const std::set<std::string> known = listed ? std::set<std::string>(listed->begin(), listed->end())
                                             : std::set<std::string>();
  std::vector<std::string> foreign;
  std::error_code ec;
  for (fs::directory_iterator it(target, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if ((listed && name == kOutputSetManifest) || known.count(name)) continue;
    foreign.push_back(name);
  }
  if (ec) throw IoError("cannot read " + shown.string() + ": " + ec.message());
  if (!foreign.empty()) {
    std::sort(foreign.begin(), foreign.end());
    throw IoError(refuse("it holds files that are not from a tilmatch run (" + list_some(foreign) +
                         "); tilmatch replaces the whole folder when a run completes, so give a new or empty "
                         "folder, or move those files out"));
  }
}

void OutputSet::State::create_staging(const struct stat* previous) {
  staging = parent / (hidden_base + ".tilmatch-staging." + detail::owner_tag());
  aside = parent / (hidden_base + ".tilmatch-old." + detail::owner_tag());
  staging_cleanup = detail::CleanupRegistration(staging, detail::CleanupKind::kFolder);
  if (::mkdir(staging.c_str(), 0777) != 0) {
    const int err = errno;
    staging_cleanup.release();
    throw IoError("cannot create the staging folder " + staging.string() + " for " + shown.string() + ": " +
                  detail::error_text(err));
  }
  if (previous != nullptr) {
    // The new folder takes the old one's place: keep its permissions (and group, where allowed).
    [[maybe_unused]] const bool same_group = ::chown(staging.c_str(), static_cast<uid_t>(-1), previous->st_gid) == 0;
    ::chmod(staging.c_str(), previous->st_mode & 07777);
  }
  const fs::path manifest = staging / kOutputSetManifest;
  manifest_cleanup = detail::CleanupRegistration(manifest, detail::CleanupKind::kFile);
  manifest_fd = ::open(manifest.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  const std::string header = std::string(kManifestHeader) + "\n";
  if (manifest_fd < 0 || !detail::write_all(manifest_fd, header.data(), header.size())) {
    const int err = errno;
    // The constructor fails, so ~State will not run: undo here.
    if (manifest_fd >= 0) ::close(std::exchange(manifest_fd, -1));
    std::error_code ec;
    fs::remove_all(staging, ec);
    staging.clear();
    throw IoError("cannot write " + manifest.string() + ": " + detail::error_text(err));
  }
}

void OutputSet::State::add_name(const std::string& name) {
  // Listed before the file exists, so a folder a killed run left lists everything in it.
  const std::string line = name + "\n";
  if (!detail::write_all(manifest_fd, line.data(), line.size()))
    throw IoError("cannot write " + (staging / kOutputSetManifest).string() + ": " + detail::error_text(errno));
  names.push_back(name);
}

void OutputSet::State::finish_manifest() {
  if (!detail::sync_fd(manifest_fd))
    throw IoError("cannot write " + (staging / kOutputSetManifest).string() + ": " + detail::error_text(errno));
  const int fd = std::exchange(manifest_fd, -1);
  if (::close(fd) != 0)
    throw IoError("cannot close " + (staging / kOutputSetManifest).string() + ": " + detail::error_text(errno));
}

void OutputSet::State::publish() {
  if (!detail::sync_folder(staging))
    throw IoError("cannot sync " + staging.string() + ": " + detail::error_text(errno));

  enum class Step { kRenamed, kExchanged, kMovedAside } step = Step::kRenamed;
  if (!existed) {
    if (!detail::rename_path(staging, target))
      throw IoError("cannot move the results into " + shown.string() + ": " + detail::error_text(errno));
  } else {
    switch (detail::exchange_paths(staging, target)) {
      case detail::ExchangeResult::kExchanged:
        step = Step::kExchanged;
        break;
      case detail::ExchangeResult::kFailed: {
        const int err = errno;
        std::string hint;
        if (err == EXDEV || err == EBUSY) hint = " (a mount point? give a folder inside it)";
        throw IoError("cannot replace " + shown.string() + ": " + detail::error_text(err) + hint);
      }
      case detail::ExchangeResult::kUnsupported: {
        log::debug("the filesystem of " + parent.string() + " cannot exchange folders: replacing " + shown.string() +
                   " by two renames");
        if (!detail::rename_path(target, aside))
          throw IoError("cannot move the previous results of " + shown.string() + " aside: " +
                        detail::error_text(errno));
        if (!detail::rename_path(staging, target)) {
          const std::string err = detail::error_text(errno);
          if (!detail::rename_path(aside, target))
            throw IoError("cannot replace " + shown.string() + ": " + err + "; the previous results are in " +
                          aside.string() + " (" + detail::error_text(errno) + " putting them back)");
          throw IoError("cannot replace " + shown.string() + ": " + err);
        }
        step = Step::kMovedAside;
        break;
      }
    }
  }

  if (!detail::sync_folder(parent)) {
    // Not durable, so not published: put the previous folder back before reporting the failure.
    const std::string err = detail::error_text(errno);
    bool undone = false;
    switch (step) {
      case Step::kRenamed:
        undone = detail::rename_path(target, staging);
        break;
      case Step::kExchanged:
        undone = detail::exchange_paths(staging, target) == detail::ExchangeResult::kExchanged;
        break;
      case Step::kMovedAside:
        undone = detail::rename_path(target, staging) && detail::rename_path(aside, target);
        break;
    }
    if (!undone)
      throw IoError("cannot sync " + parent.string() + ": " + err + "; the new results are in " + shown.string() +
                    " but may not survive a power cut");
    [[maybe_unused]] const bool synced = detail::sync_folder(parent);
    throw IoError("cannot sync " + parent.string() + ": " + err + "; " + shown.string() + " is left as it was");
  }

  // Published. The staging name now holds the previous folder (or nothing): remove it.
  manifest_cleanup.release();
  staging_cleanup.release();
  if (step == Step::kExchanged) remove_set_folder(staging, "the previous contents of " + shown.string());
  if (step == Step::kMovedAside) remove_set_folder(aside, "the previous contents of " + shown.string());
  staging.clear();
}

OutputSet::State::~State() {
  if (manifest_fd >= 0) ::close(manifest_fd);
  if (!staging.empty()) {
    // Not published: the staging folder holds only this run's files.
    std::error_code ec;
    fs::remove_all(staging, ec);
    if (ec) log::warn("cannot remove " + staging.string() + ": " + ec.message());
  }
}

OutputSet::OutputSet(fs::path dir) : dir_(std::move(dir)), state_(std::make_unique<State>(dir_)) {}

OutputSet::~OutputSet() {
  files_.clear();  // closes and removes the staged files of an uncommitted set
  state_.reset();  // removes the staging folder, then releases the lock
}

AtomicFile& OutputSet::open(const std::string& name) {
  if (committed_) throw IoError("internal: " + name + " opened after " + dir_.string() + " was published");
  if (!valid_set_name(name) || std::count(state_->names.begin(), state_->names.end(), name))
    throw IoError("internal: invalid or repeated output name '" + name + "' in " + dir_.string());
  state_->add_name(name);
  files_.push_back(std::unique_ptr<AtomicFile>(
      new AtomicFile(dir_ / name, state_->staging / name, AtomicFile::InSet{})));
  return *files_.back();
}

void OutputSet::commit() {
  if (committed_) return;
  for (auto& f : files_) f->close();
  state_->finish_manifest();
  // A signal now waits until the folder is either published or back as it was.
  detail::SignalDeferral defer;
  state_->publish();
  for (auto& f : files_) f->publish();
  committed_ = true;
}

}  // namespace tilmatch
