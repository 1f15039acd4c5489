#include "io/hla.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "io/line_reader.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::io {
namespace {

using names::HlaAllele;

bool is_space(char c) noexcept { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool separator(char c) noexcept { return c == ',' || c == ';' || is_space(c); }

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

/// Splits `text` on separator(), dropping empty pieces.
std::vector<std::string_view> tokens(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && separator(text[i])) ++i;
    std::size_t j = i;
    while (j < text.size() && !separator(text[j])) ++j;
    if (j > i) out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

void add_unique(std::vector<HlaAllele>& out, std::vector<HlaAllele>&& found) {
  for (auto& a : found) {
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(std::move(a));
  }
}

}  // namespace

std::vector<HlaAllele> read_hla_argument(const std::string& value) {
  std::vector<HlaAllele> out;
  std::error_code ec;
  if (!value.empty() && std::filesystem::is_regular_file(value, ec)) {
    LineReader reader(value);
    std::string line;
    while (reader.next(line)) {
      std::string_view content = line;
      content = content.substr(0, content.find('#'));
      for (std::string_view token : tokens(content)) {
        std::vector<HlaAllele> found;
        if (!names::parse_hla_token(token, found)) {
          throw UsageError("--hla: " + value + ", line " + std::to_string(reader.line_number()) + ": '" +
                           std::string(token) + "' is not an HLA allele (expected e.g. HLA-A*02:01)");
        }
        add_unique(out, std::move(found));
      }
    }
    if (out.empty()) throw UsageError("--hla: " + value + " lists no HLA allele");
    return out;
  }
  for (std::string_view token : tokens(value)) {
    std::vector<HlaAllele> found;
    if (!names::parse_hla_token(token, found)) {
      const bool path_like = token == trim(value) && token.find_first_of("/.") != std::string_view::npos;
      throw UsageError("--hla: '" + std::string(token) + "' is " +
                       (path_like ? "neither an existing file nor an HLA allele" : "not an HLA allele") +
                       " (expected e.g. HLA-A*02:01,HLA-B*07:02 or a file of alleles)");
    }
    add_unique(out, std::move(found));
  }
  if (out.empty()) throw UsageError("--hla: no HLA allele given");
  return out;
}

}  // namespace tilmatch::io
