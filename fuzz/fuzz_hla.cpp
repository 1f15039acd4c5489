// libFuzzer harness: HLA allele names and lists (typing tools, predictors, --hla values and files)
// and the allele-matching rule. The first line is also used as the patient's HLA type.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <system_error>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "io/hla.hpp"

namespace {

using tilmatch::fuzz::fail;
using tilmatch::names::HlaAllele;
using tilmatch::names::HlaMatch;

/// What parse_hla promises about an allele it accepts, and what the matching rule must give for
/// an allele against itself.
void check_allele(const HlaAllele& a) {
  if (a.gene.empty() || a.fields.empty() || a.fields.size() > 4) fail("allele without a locus or with 0 or >4 fields");
  for (const std::string& f : a.fields) {
    if (f.size() < 2 || f.size() > 4) fail("allele field of fewer than 2 or more than 4 digits");
  }
  const auto again = tilmatch::names::parse_hla(a.text());
  if (!again || *again != a) fail("parse_hla(a.text()) is not a for " + a.text());
  if (!tilmatch::names::same_at_common_resolution(a, a)) fail("an allele does not match itself: " + a.text());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tilmatch::fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string_view first_line = text.substr(0, text.find('\n'));
  const std::vector<HlaAllele> patient = tilmatch::names::parse_hla_list(first_line);
  for (const HlaAllele& a : patient) check_allele(a);

  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    const std::string_view line = text.substr(begin, end - begin);
    if (const auto a = tilmatch::names::parse_hla(line)) check_allele(*a);
    const std::vector<HlaAllele> reference = tilmatch::names::parse_hla_list(line);
    for (const HlaAllele& a : reference) {
      check_allele(a);
      for (const HlaAllele& p : patient) {
        if (tilmatch::names::same_at_common_resolution(a, p) != tilmatch::names::same_at_common_resolution(p, a)) {
          fail("same_at_common_resolution is not symmetric: " + a.text() + " vs " + p.text());
        }
      }
    }
    const HlaMatch m = tilmatch::names::match_hla(reference, patient);
    if (m != tilmatch::names::match_hla(line, patient)) fail("match_hla on text and on parsed alleles differ");
    if (!reference.empty() && tilmatch::names::match_hla(reference, reference) != HlaMatch::kMatch) {
      fail("a reference restriction does not match itself");
    }
    begin = end + 1;
  }

  // A --hla value given inline (unless it names a file that happens to exist here: what that
  // reads would depend on the machine), and the same text as a file.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(std::string(text), ec)) {
    tilmatch::fuzz::expect_only_input_errors([&] {
      for (const HlaAllele& a : tilmatch::io::read_hla_argument(std::string(text))) check_allele(a);
    });
  }
  const std::string path = tilmatch::fuzz::write_input("hla.txt", data, size);
  tilmatch::fuzz::expect_only_input_errors([&] {
    for (const HlaAllele& a : tilmatch::io::read_hla_argument(path)) check_allele(a);
  });
  return 0;
}
