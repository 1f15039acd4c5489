#pragma once
// Parsing shared by the window, epitope and minigene rules: Amino_acids and Protein_position as
// pVACseq's FastaGenerator reads them.

#include <optional>
#include <string>
#include <string_view>

#include "tilmatch/variant.hpp"

namespace tilmatch::peptides::detail {

/// Python's s[begin:end] for non-negative indices (clipped, empty when begin >= end).
std::string py_slice(std::string_view s, long begin, long end);

/// The first integer of Protein_position ("58" -> 58, "495-502" -> 495); nullopt when unparsable.
std::optional<long> first_protein_position(std::string_view protein_position);

/// Amino_acids split at '/', with pVACseq's stop handling applied.
struct AminoAcidChange {
  std::string wt;            ///< WT residues, cut at the first '*' (else 'X'); "-" for insertions
  std::string mt;            ///< MT residues, cut at the first '*' (else 'X'); "-" kept
  bool stop_codon_added = false;
};

/// nullopt when there is no '/'.
std::optional<AminoAcidChange> parse_amino_acid_change(std::string_view amino_acids);

}  // namespace tilmatch::peptides::detail
