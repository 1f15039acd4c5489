#pragma once
// Hand-made variants on a synthetic 60-residue protein P = "ACDEFGHIKLMNPQRSTVWY" x 3, shared by the
// window and minigene unit tests.

#include <string>

#include "tilmatch/variant.hpp"

namespace tilmatch::peptides::testing {

inline const std::string kAlphabet = "ACDEFGHIKLMNPQRSTVWY";
inline const std::string kProtein = kAlphabet + kAlphabet + kAlphabet;

inline VariantTranscript variant(VariantType type, const std::string& change, const std::string& position,
                                 const std::string& protein = kProtein) {
  VariantTranscript v;
  v.variant_type = type;
  v.amino_acid_change = change;
  v.protein_position = position;
  v.wildtype_protein = protein;
  return v;
}

}  // namespace tilmatch::peptides::testing
