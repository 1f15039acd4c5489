#pragma once
/// VEP CSQ annotation layout (from the INFO header's "Format: " description) and entry splitting.
/// Works on string_views into HTSlib's buffers; nothing here allocates per entry.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tilmatch::io::detail {

/// Column positions of the CSQ fields tilmatch reads; -1 when the field is absent.
struct CsqLayout {
  std::vector<std::string> fields;
  int allele = -1, consequence = -1, feature = -1, symbol = -1, gene = -1;
  int protein_position = -1, amino_acids = -1, biotype = -1, tsl = -1;
  int wildtype_protein = -1, frameshift_sequence = -1;
  int codons = -1, hgvsc = -1, hgvsp = -1, canonical = -1, mane_select = -1, flags = -1;
};

/// Parses the CSQ Description text (quotes allowed): the '|'-separated list after "Format: ".
/// nullopt when there is no "Format: ".
std::optional<CsqLayout> parse_csq_description(std::string_view description);

/// Required fields (pVACseq's) missing from `layout`, in a fixed order.
std::vector<std::string> missing_required_fields(const CsqLayout& layout);

/// Splits one CSQ entry on '|' into `out` (cleared first). False when the number of fields differs
/// from the header's.
bool split_csq_entry(std::string_view entry, const CsqLayout& layout,
                     std::vector<std::string_view>& out);

/// Replaces every "%XX" (X in 0-9A-F, as pVACseq's regex) by the byte it encodes.
std::string decode_percent_hex(std::string_view s);

}  // namespace tilmatch::io::detail
