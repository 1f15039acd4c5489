#pragma once
/// VEP CSQ annotation layout (from the INFO header's "Format: " description) and entry splitting.
/// Works on string_views into HTSlib's buffers; nothing here allocates per entry.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tilmatch/variant.hpp"

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

/// Allele recorded for an entry too short to have one: matches no ALT.
inline constexpr std::string_view kNoAllele = "\x01";

/// Splits a CSQ INFO value into its comma-separated entries and, for each, its Allele field
/// (kNoAllele when the entry is too short). Both vectors are cleared first; views point into `value`.
void split_csq_list(std::string_view value, const CsqLayout& layout,
                    std::vector<std::string_view>& entries, std::vector<std::string_view>& alleles);

/// Splits one CSQ entry on '|' into `out` (cleared first). False when the number of fields differs
/// from the header's.
bool split_csq_entry(std::string_view entry, const CsqLayout& layout,
                     std::vector<std::string_view>& out);

/// Field `index` of one entry without splitting the rest; empty when index < 0 or out of range.
std::string_view nth_csq_field(std::string_view entry, int index);

/// Replaces every "%XX" (X in 0-9A-F, as pVACseq's regex) by the byte it encodes.
std::string decode_percent_hex(std::string_view s);

/// vcfpy's INS allele type: a one-base REF that the longer ALT starts with.
bool is_clean_insertion(std::string_view ref, std::string_view alt);
/// Symbolic (<DEL>), breakend, spanning-deletion (*) or missing (.) allele.
bool is_symbolic(std::string_view alt);
/// Only A, C, G, T, N (either case).
bool is_acgtn(std::string_view allele);

/// ASCII case-insensitive equality / substring test; `lower` must be lower case.
bool iequals(std::string_view s, std::string_view lower);
bool icontains(std::string_view s, std::string_view lower);

/// pVACseq's resolve_consequence: FS, missense, inframe_ins/del (protein_altering_variant by the
/// REF/ALT length difference being a multiple of 3); nullopt for start_lost, stop_retained_variant
/// and everything else. Terms are split on '&' (or '.') and compared case-insensitively.
std::optional<VariantType> resolve_consequence(std::string_view consequence, std::size_t ref_len,
                                               std::size_t alt_len);

/// pVACseq's csq_parser.resolve_alleles for one ALT: how VEP writes that allele in CSQ when the
/// ALT itself does not match ("-" for a one-base deletion, ALT minus its anchor base for indels).
std::string_view csq_allele_for(std::string_view ref, std::string_view alt);

/// pVACseq's protein position: "58/312" -> "58", "-/312" -> "312", "58" -> "58".
std::string_view protein_position_of(std::string_view protein_position);

}  // namespace tilmatch::io::detail
