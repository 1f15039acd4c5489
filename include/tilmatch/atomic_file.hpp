#pragma once
/// Outputs are written under a temporary name and renamed into place only when complete,
/// so a failed run never leaves a half-written file behind.

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tilmatch {

/// One output file. Write through `write()`; `commit()` flushes, closes and renames the temporary
/// file to its final name. Destroying an uncommitted AtomicFile removes the temporary file.
/// The path "-" writes straight to stdout (commit only flushes).
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path final_path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) noexcept;

  void write(std::string_view text);
  /// Flushes and closes; leaves the data under the temporary name (see `publish`).
  void close();
  /// Renames the closed temporary file onto the final path.
  void publish();
  /// close() then publish().
  void commit();

  const std::filesystem::path& path() const noexcept { return final_; }

 private:
  void discard() noexcept;
  std::filesystem::path final_;
  std::filesystem::path temp_;
  std::FILE* file_ = nullptr;
  bool to_stdout_ = false;
  bool closed_ = false;
  bool published_ = false;
};

/// A set of outputs that appear together: every file is written and closed first, and only then
/// renamed into place. If anything fails before `commit()`, none of them appears, and a directory
/// the set created itself is removed again.
class OutputSet {
 public:
  /// Creates `dir` if needed. Throws IoError when it cannot.
  explicit OutputSet(std::filesystem::path dir);
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;
  AtomicFile& open(const std::string& name);
  void commit();
  const std::filesystem::path& dir() const noexcept { return dir_; }

 private:
  std::filesystem::path dir_;
  std::vector<std::unique_ptr<AtomicFile>> files_;
  bool created_dir_ = false;
  bool committed_ = false;
};

}  // namespace tilmatch
