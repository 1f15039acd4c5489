#pragma once
/// Header-driven reading of TSV/CSV tables (plain or gzip): columns are looked up by name, fields
/// may be double-quoted (RFC 4180 style, no embedded newlines), and every error names the file,
/// the line and the column.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/line_reader.hpp"

namespace tilmatch::io {

class TableReader {
 public:
  /// Opens `path`; `delimiter` '\t' or ','; 0 picks ',' for *.csv(.gz) and '\t' otherwise.
  /// Skips leading lines starting with `comment` (when non-zero), then reads the header.
  /// Throws InputError for an empty file.
  explicit TableReader(const std::string& path, char delimiter = 0, char comment = 0);
  /// The same over an in-memory file (its name picks the delimiter when 0).
  explicit TableReader(const MemoryFile& file, char delimiter = 0, char comment = 0);

  const std::vector<std::string>& header() const noexcept { return header_; }
  /// Index of a column (exact name, then case-insensitive); nullopt when absent.
  std::optional<std::size_t> find(std::string_view name) const noexcept;
  /// First present column among `names`.
  std::optional<std::size_t> find_any(std::initializer_list<std::string_view> names) const noexcept;
  /// Like find() but throws InputError naming the missing column (with header_hint()).
  std::size_t require(std::string_view name) const;
  /// For an error about the header: " (hint)" when the header looks read wrongly, else empty. A
  /// tab-separated reading that found one column holding commas "looks comma-separated"; columns of
  /// 10x Cell Ranger's contig annotations (barcode, chain, cdr3) are named as 10x.
  std::string header_hint() const;

  /// Reads the next non-empty data row into fields(); false at end of file. A row with a different
  /// number of fields than the header is an InputError (file, line).
  bool next();
  const std::vector<std::string>& fields() const noexcept { return fields_; }
  /// Field of the current row; "" when `column` is nullopt.
  std::string_view field(std::optional<std::size_t> column) const noexcept;
  /// Field of a value that names a TCR or a row (CDR3, V/J gene, barcode, id): throws InputError
  /// naming the file, line and column when it holds a tab, carriage return or line feed (possible
  /// inside quotes), which no such value has and which would corrupt tab-separated outputs.
  std::string_view key_field(std::optional<std::size_t> column) const;
  std::int64_t line_number() const noexcept { return reader_.line_number(); }
  const std::string& path() const noexcept { return reader_.path(); }
  /// "line N, column 'name'" for error messages.
  std::string where(std::optional<std::size_t> column = std::nullopt) const;

  /// Splits one line with this reader's delimiter and quoting rules.
  static std::vector<std::string> split_line(std::string_view line, char delimiter);

 private:
  void read_header(char comment);

  LineReader reader_;
  char delimiter_;
  std::vector<std::string> header_;
  std::vector<std::string> fields_;
  std::string line_;
};

/// True when the file name ends in .csv or .csv.gz.
bool looks_like_csv(std::string_view path) noexcept;

}  // namespace tilmatch::io
