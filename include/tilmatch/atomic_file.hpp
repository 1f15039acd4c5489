#pragma once
/// Outputs that appear whole or not at all, even when a write, fsync or rename fails, the run is
/// interrupted, or another run writes the same folder. docs/reliability.md says what is guaranteed
/// on which filesystems.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tilmatch {

namespace detail {
class CleanupRegistration;
}

/// One output file. Write through `write()`; `commit()` flushes, fsyncs and renames the temporary
/// file `<name>.tmp.<host>.<pid>` onto its final name (one rename: atomic). Destroying an
/// uncommitted AtomicFile removes the temporary file; SIGINT/SIGTERM remove it too (when the CLI
/// installed the handler), and a later AtomicFile for the same name removes those a killed run
/// left on this host. The path "-" writes straight to stdout (commit only flushes).
class AtomicFile {
 public:
  /// Creates the temporary file. Throws IoError when it cannot.
  explicit AtomicFile(std::filesystem::path final_path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) noexcept;

  /// Appends `text` (buffered: 1 MiB). Throws IoError naming the final path when a write fails.
  void write(std::string_view text);
  /// Flushes, fsyncs and closes; leaves the data under the temporary name (see `publish`).
  void close();
  /// Renames the closed temporary file onto the final path and fsyncs its folder.
  void publish();
  /// close() then publish().
  void commit();

  /// The final path (inside an OutputSet: `<dir>/<name>`).
  const std::filesystem::path& path() const noexcept { return final_; }

 private:
  friend class OutputSet;
  struct InSet {};
  /// A file of an OutputSet, written directly at `staged` (the set's staging folder is its
  /// temporary name); publish() only marks it published.
  AtomicFile(std::filesystem::path final_path, std::filesystem::path staged, InSet);
  void open_temp();
  void flush_buffer();
  void discard() noexcept;

  std::filesystem::path final_;
  std::filesystem::path temp_;
  int fd_ = -1;
  std::string buffer_;
  std::unique_ptr<detail::CleanupRegistration> cleanup_;
  bool to_stdout_ = false;
  bool in_set_ = false;
  bool closed_ = false;
  bool published_ = false;
};

/// Name of the manifest an output set writes into its folder: a header line, then the name of each
/// file of the set. A later run recognises the folder as a tilmatch result by it.
inline constexpr std::string_view kOutputSetManifest = ".tilmatch-set";

/// The run a result folder holds, for the check that one run does not take another's place.
struct RunIdentity {
  std::string stage;   ///< "run" or "peptides" (run.json's "stage")
  std::string sample;  ///< the tumour sample (run.json's parameters.sample)
};

/// A run's output folder, published as a whole: every file is written into a staging folder next to
/// `dir` (`.<dir>.tilmatch-staging.<host>.<pid>`), fsynced, and only when all are complete the
/// staging folder takes the place of `dir` (renameat2 RENAME_EXCHANGE where the filesystem has it,
/// else two renames: see docs/reliability.md). Readers see the previous folder or the complete new
/// one, never a mix. Constructing a set takes an advisory lock on `dir`, so a second run into the
/// same folder is refused, and removes what runs killed on this host left next to it.
///
/// The set replaces the files of the earlier set in `dir` (those its manifest lists) and nothing
/// else: the folder's other entries are carried into the new folder (files as hard links, so they
/// never leave; folders moved just before the swap). A file not from a tilmatch run that has the
/// name of one of the set's files is an error, never overwritten. A symlink to a folder is
/// followed. `dir` cannot be a mount point or the current working directory.
class OutputSet {
 public:
  /// Takes the lock, checks `dir` and creates the staging folder (and `dir`'s parent folders).
  /// Throws IoError when `dir` is in use by another run or cannot be written.
  explicit OutputSet(std::filesystem::path dir);
  /// Without commit(): removes the staging folder; `dir` stays exactly as it was.
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  /// Starts file `name` (a plain file name, at most once per set). The reference lives as long as
  /// the set.
  AtomicFile& open(const std::string& name);
  /// Closes and fsyncs every file and publishes the set. Throws IoError when any step fails; `dir`
  /// then holds what it held before.
  void commit();
  /// Refuses (UsageError, nothing written) to take the place of what `dir` held unless it is this
  /// run's to replace: a tilmatch result of the same stage and tumour sample (a rerun), an empty
  /// folder or none. A result of another stage or sample, or a folder with entries and no tilmatch
  /// result, needs `force`; even then entries tilmatch did not write are kept (docs/reliability.md).
  void claim(const RunIdentity& run, bool force) const;
  /// The folder as given.
  const std::filesystem::path& dir() const noexcept { return dir_; }

 private:
  struct State;
  std::filesystem::path dir_;
  std::unique_ptr<State> state_;
  std::vector<std::unique_ptr<AtomicFile>> files_;
  bool committed_ = false;
};

}  // namespace tilmatch
