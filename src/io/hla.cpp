#include "io/hla.hpp"

#include <algorithm>
#include <filesystem>

#include "io/line_reader.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::io {
namespace {

using names::HlaAllele;

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
      for (std::string_view token : text::tokens(content, ",;")) {
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
  for (std::string_view token : text::tokens(value, ",;")) {
    std::vector<HlaAllele> found;
    if (!names::parse_hla_token(token, found)) {
      const bool path_like = token == text::trim(value) && token.find_first_of("/.") != std::string_view::npos;
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
