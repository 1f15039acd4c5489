// libFuzzer harness: VEP CSQ annotations. Input lines: the CSQ header Description, the CSQ INFO
// value of a record, then that record's "REF<TAB>ALT" (missing lines are empty).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "io/csq.hpp"

namespace {

using tilmatch::fuzz::fail;
namespace csq = tilmatch::io::detail;

/// Cuts the next line off the front of `rest`.
std::string_view next_line(std::string_view& rest) {
  const std::size_t end = rest.find('\n');
  const std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const std::string_view description = next_line(rest);
  const std::string_view value = next_line(rest);
  const std::string_view alleles = next_line(rest);
  const std::string_view ref = alleles.substr(0, alleles.find('\t'));
  const std::string_view alt =
      alleles.find('\t') == std::string_view::npos ? std::string_view() : alleles.substr(alleles.find('\t') + 1);

  const auto layout = csq::parse_csq_description(description);
  if (!layout) return 0;
  (void)csq::missing_required_fields(*layout);
  const int nfields = static_cast<int>(layout->fields.size());
  for (int index : {layout->allele, layout->consequence, layout->feature, layout->protein_position,
                    layout->amino_acids, layout->wildtype_protein, layout->frameshift_sequence}) {
    if (index < -1 || index >= nfields) fail("layout index outside the header's fields");
  }

  std::vector<std::string_view> entries, entry_alleles, fields;
  csq::split_csq_list(value, *layout, entries, entry_alleles);
  if (entries.size() != entry_alleles.size()) fail("split_csq_list: entries and alleles differ in number");
  const std::string_view csq_allele = csq::csq_allele_for(ref, alt);
  (void)csq::is_clean_insertion(ref, alt);
  (void)csq::is_symbolic(alt);
  (void)csq::is_acgtn(alt);
  for (const std::string_view entry : entries) {
    (void)csq::decode_percent_hex(entry);
    if (!csq::split_csq_entry(entry, *layout, fields)) continue;
    if (fields.size() != layout->fields.size()) fail("split_csq_entry accepted an entry of another width");
    for (int i = 0; i < nfields; ++i) {
      if (csq::nth_csq_field(entry, i) != fields[static_cast<std::size_t>(i)]) {
        fail("nth_csq_field and split_csq_entry disagree");
      }
    }
    const auto field = [&](int i) { return i < 0 ? std::string_view() : fields[static_cast<std::size_t>(i)]; };
    (void)csq::resolve_consequence(field(layout->consequence), ref.size(), alt.size());
    (void)csq::protein_position_of(field(layout->protein_position));
    (void)csq::decode_percent_hex(field(layout->wildtype_protein));
    if (field(layout->allele) == csq_allele) (void)csq::iequals(field(layout->biotype), "protein_coding");
    (void)csq::icontains(field(layout->consequence), "missense_variant");
  }
  return 0;
}
