// OutputSet: a run's output folder, written beside its final place and swapped in whole.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <system_error>
#include <utility>

#include "common/folder_lock.hpp"
#include "common/fs_ops.hpp"
#include "common/set_folder.hpp"
#include "common/signal_cleanup.hpp"
#include "common/stale_files.hpp"
#include "tilmatch/atomic_file.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/json_writer.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch {
namespace fs = std::filesystem;

namespace {

// Hidden names next to the folder carry the folder's name, cut so that name, host and pid stay
// under the 255-byte limit of a file name.
constexpr std::size_t kMaxNameInHiddenNames = 100;

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

std::vector<std::string> sorted_entries(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    out.push_back(it->path().filename().string());
  if (ec) throw IoError("cannot read " + dir.string() + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

// Entries named when a folder is refused.
constexpr std::size_t kEntriesNamed = 3;

/// The JSON string value after the first `"key": ` in `json`, still escaped; nullopt when absent.
std::optional<std::string> json_string_field(const std::string& json, std::string_view key) {
  const std::string start = "\"" + std::string(key) + "\": \"";
  std::size_t at = json.find(start);
  if (at == std::string::npos) return std::nullopt;
  at += start.size();
  std::size_t end = at;
  while (end < json.size() && json[end] != '"') end += json[end] == '\\' ? 2 : 1;
  if (end >= json.size()) return std::nullopt;
  return json.substr(at, end - at);
}

/// The stage and sample (both as JSON-escaped text) of the run whose run.json `folder` holds.
std::optional<RunIdentity> previous_run(const fs::path& folder) {
  std::ifstream in(folder / "run.json", std::ios::binary);
  if (!in) return std::nullopt;
  const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto stage = json_string_field(json, "stage");
  auto sample = json_string_field(json, "sample");
  if (!stage || !sample) return std::nullopt;
  return RunIdentity{std::move(*stage), std::move(*sample)};
}

std::string unquoted_escape(std::string_view s) {
  std::string e = JsonWriter::escape(s);
  return e.substr(1, e.size() - 2);
}

}  // namespace

/// Everything a set holds besides its files: the lock, the staging folder, the manifest, and what
/// `dir` was when the set began.
struct OutputSet::State {
  fs::path shown;           // `dir` as the user gave it, for messages
  fs::path target;          // where the set is published
  fs::path parent;          // target's folder: staging and lock live here
  std::string hidden_base;  // "." + target's name (cut), the start of every hidden name
  std::optional<detail::FolderLock> lock;
  fs::path staging;
  fs::path aside;  // where the previous folder goes when the filesystem cannot exchange
  bool existed = false;
  bool legacy = false;  // target is a result from before manifests: files named like ours are its
  std::vector<std::string> names;
  int manifest_fd = -1;
  detail::CleanupRegistration staging_cleanup;
  detail::CleanupRegistration manifest_cleanup;

  explicit State(const fs::path& dir);
  ~State();
  void remove_stale();
  void check_target();
  void create_staging(const struct stat* previous);
  void add_name(const std::string& name);
  void finish_manifest();
  void publish();
  void link_own_entries(std::vector<std::string>& to_move);
  void move_in(const std::vector<std::string>& to_move, std::vector<std::string>& moved);
  std::string put_back(const std::vector<std::string>& moved);
  std::string refuse(const std::string& why) const {
    return "cannot write the results to " + shown.string() + ": " + why;
  }
};

OutputSet::State::State(const fs::path& dir) : shown(dir), target(resolve_target(dir)) {
  parent = target.parent_path();
  if (!target.has_filename() || parent == target) throw IoError(refuse("it is the root folder"));
  std::error_code ec;
  if (fs::exists(target, ec) && fs::equivalent(target, fs::current_path(ec), ec)) {
    throw IoError(refuse("it is the current working directory, and tilmatch replaces the folder when a run "
                         "completes; give a folder inside it, e.g. results"));
  }
  fs::create_directories(parent, ec);
  if (ec) throw IoError("cannot create output directory " + parent.string() + ": " + ec.message());

  hidden_base = "." + target.filename().string().substr(0, kMaxNameInHiddenNames);
  lock.emplace(parent / (hidden_base + ".tilmatch.lock"), shown);
  remove_stale();

  struct stat previous {};
  existed = ::lstat(target.c_str(), &previous) == 0;
  if (existed) check_target();
  create_staging(existed ? &previous : nullptr);
}

void OutputSet::State::remove_stale() {
  std::error_code ec;
  for (const char* kind : {".tilmatch-old.", ".tilmatch-staging."}) {
    for (const fs::path& p : detail::stale_entries(parent, hidden_base + kind)) {
      if (!fs::is_directory(fs::symlink_status(p, ec))) continue;
      // Killed between the two renames of the no-exchange swap: the previous folder goes back.
      if (std::string(kind) == ".tilmatch-old." && !fs::exists(fs::symlink_status(target, ec)) &&
          std::rename(p.c_str(), target.c_str()) == 0) {
        log::warn("put the previous contents of " + shown.string() + " back from " + p.string() +
                  " (a run was killed while replacing them)");
        continue;
      }
      if (detail::retire_folder(p, target, {}, "left by an interrupted run"))
        log::info("removed " + p.string() + ", left by an interrupted run");
    }
  }
}

void OutputSet::State::check_target() {
  struct stat st {}, up {};
  if (::stat(target.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw IoError("cannot create output directory " + shown.string() + ": not a directory");
  if (::stat(parent.c_str(), &up) == 0 && up.st_dev != st.st_dev) {
    throw IoError(refuse("it is a mount point, and tilmatch publishes a run by replacing the folder within its "
                         "parent; give a folder inside it, e.g. " + (shown / "results").string()));
  }
  legacy = !detail::read_set_manifest(target) && detail::holds_tilmatch_run_json(target);
}

void OutputSet::State::create_staging(const struct stat* previous) {
  staging = parent / (hidden_base + ".tilmatch-staging." + detail::owner_tag());
  aside = parent / (hidden_base + ".tilmatch-old." + detail::owner_tag());
  staging_cleanup = detail::CleanupRegistration(staging, detail::CleanupKind::kFolder);
  if (::mkdir(staging.c_str(), 0777) != 0) {
    const int err = errno;
    staging_cleanup.release();
    staging.clear();
    throw IoError("cannot create the staging folder for " + shown.string() + " in " + parent.string() + ": " +
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
  const std::string header = std::string(detail::kSetManifestHeader) + "\n";
  if (manifest_fd < 0 || !detail::write_all(manifest_fd, header.data(), header.size())) {
    const int err = errno;
    // The constructor fails, so ~State will not run: undo here.
    if (manifest_fd >= 0) ::close(std::exchange(manifest_fd, -1));
    ::unlink(manifest.c_str());
    ::rmdir(staging.c_str());
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

// The folder's own entries (everything but the previous set's files) go into the new folder too:
// files as hard links, so they stay in place throughout; folders, and files that cannot be linked,
// are collected in `to_move` and moved just before the swap.
void OutputSet::State::link_own_entries(std::vector<std::string>& to_move) {
  std::set<std::string> earlier;
  if (const auto listed = detail::read_set_manifest(target)) earlier.insert(listed->begin(), listed->end());
  const std::set<std::string> ours(names.begin(), names.end());
  for (const std::string& e : sorted_entries(target)) {
    if (e == kOutputSetManifest || earlier.count(e)) continue;
    if (ours.count(e)) {
      if (legacy) continue;  // that earlier result's file, which this set replaces
      throw IoError(refuse("it holds " + e + ", which tilmatch did not write and this run's " + e +
                           " would replace; move it, or choose another folder"));
    }
    struct stat st {};
    if (::lstat((target / e).c_str(), &st) == 0 && !S_ISDIR(st.st_mode) &&
        ::linkat(AT_FDCWD, (target / e).c_str(), AT_FDCWD, (staging / e).c_str(), 0) == 0)
      continue;
    to_move.push_back(e);
  }
}

void OutputSet::State::move_in(const std::vector<std::string>& to_move, std::vector<std::string>& moved) {
  for (const std::string& e : to_move) {
    if (!detail::rename_path(target / e, staging / e)) {
      const std::string err = detail::error_text(errno);
      const std::string left = put_back(moved);
      throw IoError(refuse("cannot carry " + e + " over into the new folder: " + err + left));
    }
    moved.push_back(e);
  }
}

// Moves entries carried into the staging folder back into the unchanged target; says what it could not.
std::string OutputSet::State::put_back(const std::vector<std::string>& moved) {
  std::string left;
  for (const std::string& e : moved) {
    if (!detail::rename_path(staging / e, target / e))
      left += "; " + e + " is in " + staging.string() + " (" + detail::error_text(errno) + " moving it back)";
  }
  return left;
}

void OutputSet::State::publish() {
  std::vector<std::string> to_move, moved;
  if (existed) link_own_entries(to_move);
  if (!detail::sync_folder(staging))
    throw IoError("cannot sync " + staging.string() + ": " + detail::error_text(errno));
  if (existed) move_in(to_move, moved);

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
        std::string hint = (err == EXDEV || err == EBUSY) ? " (a mount point? give a folder inside it)" : "";
        throw IoError("cannot replace " + shown.string() + ": " + detail::error_text(err) + hint + put_back(moved));
      }
      case detail::ExchangeResult::kUnsupported: {
        log::debug("the filesystem of " + parent.string() + " cannot exchange folders: replacing " + shown.string() +
                   " by two renames");
        if (!detail::rename_path(target, aside)) {
          const std::string err = detail::error_text(errno);
          throw IoError("cannot move the previous results of " + shown.string() + " aside: " + err + put_back(moved));
        }
        if (!detail::rename_path(staging, target)) {
          const std::string err = detail::error_text(errno);
          if (!detail::rename_path(aside, target))
            throw IoError("cannot replace " + shown.string() + ": " + err + "; its previous contents are in " +
                          aside.string() + " (" + detail::error_text(errno) + " putting them back)");
          throw IoError("cannot replace " + shown.string() + ": " + err + put_back(moved));
        }
        step = Step::kMovedAside;
        break;
      }
    }
  }

  // The new names (and carried folders) must be durable before the run reports success.
  if (!detail::sync_folder(parent) || (!moved.empty() && !detail::sync_folder(target))) {
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
    const std::string left = put_back(moved);
    [[maybe_unused]] const bool synced = detail::sync_folder(parent);
    throw IoError("cannot sync " + parent.string() + ": " + err + "; " + shown.string() + " is left as it was" + left);
  }

  // Published. The staging name (or the aside name) now holds the previous folder: take it apart.
  manifest_cleanup.release();
  staging_cleanup.release();
  const std::set<std::string> replaced = legacy ? std::set<std::string>(names.begin(), names.end())
                                                : std::set<std::string>();
  if (step == Step::kExchanged)
    detail::retire_folder(staging, target, replaced, "the previous contents of " + shown.string());
  if (step == Step::kMovedAside)
    detail::retire_folder(aside, target, replaced, "the previous contents of " + shown.string());
  staging.clear();
}

OutputSet::State::~State() {
  if (manifest_fd >= 0) ::close(manifest_fd);
  // Not published: the staging folder holds this run's files, and at most links to (or entries
  // not yet moved back into) the folder's own, which retire_folder leaves to the folder.
  if (!staging.empty()) detail::retire_folder(staging, target, {}, "this run's unfinished results");
}

OutputSet::OutputSet(fs::path dir) : dir_(std::move(dir)), state_(std::make_unique<State>(dir_)) {}

void OutputSet::claim(const RunIdentity& run, bool force) const {
  const State& s = *state_;
  if (!s.existed || force) return;
  if (!s.legacy && !detail::read_set_manifest(s.target)) {
    const std::vector<std::string> entries = sorted_entries(s.target);
    if (entries.empty()) return;
    std::string named;
    for (std::size_t i = 0; i < entries.size() && i < kEntriesNamed; ++i)
      named += (i ? ", '" : "'") + entries[i] + "'";
    if (entries.size() > kEntriesNamed) named += ", ...";
    throw UsageError(s.refuse("it holds " + std::to_string(entries.size()) + " entries that are not a tilmatch result (" +
                              named + "); give a new or empty folder, or --force to write the results beside them "
                              "(they are kept)"));
  }
  const std::optional<RunIdentity> previous = previous_run(s.target);
  // A result without a readable run.json has no identity to protect beyond its own files.
  if (!previous) return;
  // `run` writes everything `peptides` does, so it may follow it into the folder; not the other way round.
  const bool covers = previous->stage == unquoted_escape(run.stage) || (run.stage == "run" && previous->stage == "peptides");
  if (covers && previous->sample == unquoted_escape(run.sample)) return;
  throw UsageError(s.refuse("it holds the result of another run (tilmatch " + previous->stage + " of sample '" +
                            previous->sample + "'; this is tilmatch " + run.stage + " of sample '" + run.sample +
                            "'); give another folder, or --force to replace that result"));
}

OutputSet::~OutputSet() {
  files_.clear();  // closes and removes the staged files of an uncommitted set
  state_.reset();  // removes the staging folder, then releases the lock
}

AtomicFile& OutputSet::open(const std::string& name) {
  if (committed_) throw IoError("internal: " + name + " opened after " + dir_.string() + " was published");
  if (!detail::valid_set_name(name) || std::count(state_->names.begin(), state_->names.end(), name))
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
