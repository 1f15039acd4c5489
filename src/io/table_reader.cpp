#include "io/table_reader.hpp"

#include <algorithm>
#include <cctype>

#include "tilmatch/error.hpp"

namespace tilmatch::io {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

bool looks_like_csv(std::string_view path) noexcept {
  return ends_with(path, ".csv") || ends_with(path, ".csv.gz") || ends_with(path, ".CSV");
}

TableReader::TableReader(const std::string& path, char delimiter, char comment)
    : reader_(path), delimiter_(delimiter ? delimiter : (looks_like_csv(path) ? ',' : '\t')) {
  read_header(comment);
}

TableReader::TableReader(const MemoryFile& file, char delimiter, char comment)
    : reader_(file), delimiter_(delimiter ? delimiter : (looks_like_csv(file.name) ? ',' : '\t')) {
  read_header(comment);
}

void TableReader::read_header(char comment) {
  while (reader_.next(line_)) {
    if (line_.empty()) continue;
    if (comment && line_[0] == comment) continue;
    if (line_.size() >= 3 && static_cast<unsigned char>(line_[0]) == 0xEF &&
        static_cast<unsigned char>(line_[1]) == 0xBB && static_cast<unsigned char>(line_[2]) == 0xBF) {
      line_.erase(0, 3);  // UTF-8 byte-order mark (Excel exports)
    }
    header_ = split_line(line_, delimiter_);
    return;
  }
  throw InputError(reader_.path(), "", "empty file: expected a header line");
}

std::vector<std::string> TableReader::split_line(std::string_view line, char delimiter) {
  std::vector<std::string> out;
  std::string cur;
  bool in_quotes = false;
  bool was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        cur += c;
      }
    } else if (c == '"' && cur.empty() && !was_quoted) {
      in_quotes = was_quoted = true;
    } else if (c == delimiter) {
      out.push_back(std::move(cur));
      cur.clear();
      was_quoted = false;
    } else {
      cur += c;
    }
  }
  out.push_back(std::move(cur));
  return out;
}

std::optional<std::size_t> TableReader::find(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (iequals(header_[i], name)) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> TableReader::find_any(std::initializer_list<std::string_view> names) const noexcept {
  for (std::string_view n : names) {
    if (auto i = find(n)) return i;
  }
  return std::nullopt;
}

std::size_t TableReader::require(std::string_view name) const {
  if (auto i = find(name)) return *i;
  throw InputError(path(), "header", "missing required column '" + std::string(name) + "'" + header_hint());
}

std::string TableReader::header_hint() const {
  const bool comma_separated = delimiter_ == '\t' && header_.size() == 1 && header_[0].find(',') != std::string::npos;
  const std::vector<std::string> columns = comma_separated ? split_line(header_[0], ',') : header_;
  auto has = [&columns](std::string_view name) {
    return std::any_of(columns.begin(), columns.end(), [name](const std::string& c) { return iequals(c, name); });
  };
  std::string hint;
  if (comma_separated)
    hint = "; the header looks comma-separated (" + std::to_string(columns.size()) +
           " comma-separated names, no tab): tilmatch reads this file as tab-separated; save it as TSV, or name "
           "it *.csv";
  if (has("barcode") && has("chain") && has("cdr3"))
    hint += "; its columns are 10x Cell Ranger's contig annotations (barcode, chain, cdr3): give its format as "
            "10x (the manifest's format column) or leave it to auto-detection";
  return hint;
}

bool TableReader::next() {
  while (reader_.next(line_)) {
    if (line_.empty()) continue;
    fields_ = split_line(line_, delimiter_);
    if (fields_.size() != header_.size()) {
      throw InputError(path(), "line " + std::to_string(line_number()),
                       "expected " + std::to_string(header_.size()) + " fields as in the header, found " +
                           std::to_string(fields_.size()));
    }
    return true;
  }
  return false;
}

std::string_view TableReader::field(std::optional<std::size_t> column) const noexcept {
  if (!column || *column >= fields_.size()) return {};
  return fields_[*column];
}

std::string_view TableReader::key_field(std::optional<std::size_t> column) const {
  const std::string_view v = field(column);
  if (const auto bad = v.find_first_of("\t\r\n"); bad != std::string_view::npos) {
    const char* name = v[bad] == '\t' ? "a tab" : v[bad] == '\r' ? "a carriage return" : "a line feed";
    throw InputError(path(), where(column),
                     "the value contains " + std::string(name) + " (inside quotes?); identifiers, CDR3s and gene "
                     "names cannot");
  }
  return v;
}

std::string TableReader::where(std::optional<std::size_t> column) const {
  std::string w = "line " + std::to_string(line_number());
  if (column && *column < header_.size()) w += ", column '" + header_[*column] + "'";
  return w;
}

}  // namespace tilmatch::io
