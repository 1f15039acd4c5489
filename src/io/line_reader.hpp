#pragma once
/// Line-by-line reading of plain or gzip/BGZF-compressed text files (through HTSlib's BGZF layer),
/// with the line number kept for error messages.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace tilmatch::io {

/// A file held in memory — plain, gzip or BGZF bytes, e.g. data compiled into the binary — that
/// the readers read exactly as they read a file of those bytes. `name` stands for the path in
/// errors; `bytes` is not owned and must outlive every reader opened on it.
struct MemoryFile {
  std::string name;
  std::string_view bytes;
};

class LineReader {
 public:
  /// Opens `path` ("-" for standard input). Throws IoError when it cannot be opened.
  explicit LineReader(std::string path);
  /// Opens an in-memory file (copied into the reader). Throws IoError when it cannot be opened.
  explicit LineReader(const MemoryFile& file);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// Reads the next line without its line terminator ("\n" or "\r\n"). Returns false at end of
  /// file; throws IoError on a read or decompression error.
  bool next(std::string& line);
  /// 1-based number of the line last returned by next().
  std::int64_t line_number() const noexcept { return line_no_; }
  const std::string& path() const noexcept { return path_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
  std::int64_t line_no_ = 0;
};

}  // namespace tilmatch::io
