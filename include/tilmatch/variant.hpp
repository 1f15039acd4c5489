#pragma once
/// One usable (variant, alt allele, transcript) from an annotated VCF: the unit tilmatch turns into
/// neoantigen candidates. Field meanings follow pVACseq's converter TSV, whose column names the
/// outputs reuse.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tilmatch {

/// The protein-level kinds of change tilmatch supports.
enum class VariantType : std::uint8_t { kMissense, kInframeIns, kInframeDel, kFrameshift };

/// pVACseq's short names: "missense", "inframe_ins", "inframe_del", "FS".
std::string_view to_string(VariantType type) noexcept;
/// Parses pVACseq's short names; nullopt for anything else.
std::optional<VariantType> parse_variant_type(std::string_view name) noexcept;

/// A depth or VAF taken from the FORMAT fields. `text` is the value exactly as pVACseq would print
/// it ("NA" when absent); `value` is the number when present.
struct Measure {
  std::optional<double> value;
  std::string text = "NA";
};

/// One (variant, alt allele, transcript) with everything needed to build peptides.
struct VariantTranscript {
  // Genomic description (pVACseq conventions: start/stop are 0-based "affected" coordinates,
  // start + 1 for deletions).
  std::string chromosome_name;
  std::int64_t pos = 0;  ///< VCF POS (1-based), for messages.
  std::int64_t start = 0;
  std::int64_t stop = 0;
  std::string reference;
  std::string variant;  ///< the alt allele

  // Transcript annotation (from CSQ).
  std::string gene_name;  ///< SYMBOL, or Gene when SYMBOL is empty
  std::string transcript_name;  ///< Feature
  std::string transcript_support_level;  ///< TSL, "NA", or "Not Supported" on GRCh37
  std::string canonical;  ///< "True", "False" or "Not Run"
  std::string mane_select;  ///< "True", "False" or "Not Run"
  std::string biotype;
  std::string transcript_cds_flags = "None";
  std::string amino_acid_change;  ///< Amino_acids, e.g. "P/A", "-/L", "AAAAAAAA/A"
  std::string codon_change;  ///< Codons or "NA"
  std::string ensembl_gene_id;  ///< Gene
  std::string hgvsc = "NA";
  std::string hgvsp = "NA";
  std::string wildtype_protein;  ///< WildtypeProtein
  std::string frameshift_protein;  ///< FrameshiftSequence (frameshifts only)
  VariantType variant_type = VariantType::kMissense;
  std::string protein_position;  ///< "58" or "495-502" (the part before '/', as pVACseq keeps it)
  std::string protein_length_change;  ///< "+N", "-N", "0" for frameshifts, else ""

  // Evidence from FORMAT fields ("NA" when absent).
  std::string transcript_expression = "NA";
  std::string gene_expression = "NA";
  Measure normal_depth, normal_vaf, tdna_depth, tdna_vaf, trna_depth, trna_vaf;

  /// pVACseq's key: "<n>.<gene>.<transcript>.<variant_type>.<change>", n counting from 1 over
  /// the usable rows of the file in order.
  std::string index;
};

}  // namespace tilmatch
