#include "io/table_checks.hpp"

#include <filesystem>

#include "tilmatch/error.hpp"

namespace tilmatch::io {
namespace fs = std::filesystem;

void reject_wrong_separator(const TableReader& t) {
  const auto& header = t.header();
  if (header.size() != 1) return;
  if (!looks_like_csv(t.path()) && header[0].find(',') != std::string::npos) {
    throw InputError(t.path(), "header",
                     "expected tab-separated columns, found commas: this looks like a CSV file; save it "
                     "tab-separated or give it a .csv name");
  }
  if (looks_like_csv(t.path()) && header[0].find('\t') != std::string::npos) {
    throw InputError(t.path(), "header",
                     "a .csv name but tab-separated columns: rename it .tsv, or save it comma-separated");
  }
}

std::string resolve_listed_file(const std::string& manifest, const std::string& where, std::string_view listed,
                                const std::string& what) {
  if (listed.empty()) throw InputError(manifest, where, "empty path for the " + what);
  const fs::path p{std::string(listed)};
  // A relative path must stay inside the manifest's folder: a "../" that climbs out of it is
  // almost always a manifest copied away from its data. Absolute paths are taken as given.
  if (!p.is_absolute()) {
    const fs::path rel = p.lexically_normal();
    if (rel.empty() || *rel.begin() == "..") {
      throw InputError(manifest, where,
                       "path of the " + what + " (" + p.string() +
                           ") leads outside the manifest's folder; give an absolute path to use it");
    }
  }
  const fs::path resolved = p.is_absolute() ? p : fs::path(manifest).parent_path() / p;
  // The error_code form: a name too long or a path through a non-directory is an answer, not a throw.
  std::error_code ec;
  if (!fs::is_regular_file(resolved, ec)) {
    throw InputError(manifest, where,
                     what + " not found: " + resolved.string() + (ec ? " (" + ec.message() + ")" : std::string()));
  }
  return resolved.lexically_normal().string();
}

std::string_view trim_blanks(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool parse_label(const TableReader& t, std::size_t column) {
  const std::string v(trim_blanks(t.field(column)));
  if (v == "1") return true;
  if (v == "0" || v == "-1") return false;
  throw InputError(t.path(), t.where(column), "label '" + v + "' is not 1 (binds) or 0 / -1 (does not)");
}

std::string required_field(const TableReader& t, std::size_t column) {
  const std::string_view v = trim_blanks(t.field(column));
  if (v.empty()) throw InputError(t.path(), t.where(column), "empty " + t.header()[column]);
  return std::string(v);
}

}  // namespace tilmatch::io
