#pragma once
/// Residue codes shared by both backends: the 20 standard amino acids in alphabetical order of
/// their one-letter codes map to 0..19; everything else (X, B, Z, U, *, padding) maps to 20.

#include <cstdint>

#include "encode/hd.hpp"

namespace tilmatch::encode {

inline constexpr int kNumResidues = 20;
inline constexpr std::uint8_t kUnknown = 20;
inline constexpr char kAlphabet[] = "ACDEFGHIKLMNPQRSTVWY";

/// ASCII (either case) to residue code.
TILMATCH_HD std::uint8_t residue_code(char c) {
  // Indexed by (c | 0x20) - 'a'; letters without a standard residue give kUnknown.
  constexpr std::uint8_t kByLetter[26] = {
      0,  20, 1,  2,  3,  4,  5,  6,  7,  20, 8,  9,  10,  // a..m
      11, 20, 12, 13, 14, 15, 16, 20, 17, 18, 20, 19, 20,  // n..z
  };
  unsigned char u = static_cast<unsigned char>(c) | 0x20u;
  if (u < 'a' || u > 'z') return kUnknown;
  return kByLetter[u - 'a'];
}

/// Residue code back to its upper-case letter ('X' for kUnknown).
TILMATCH_HD char residue_letter(std::uint8_t code) {
  constexpr char kLetters[] = "ACDEFGHIKLMNPQRSTVWYX";
  return code <= kUnknown ? kLetters[code] : 'X';
}

}  // namespace tilmatch::encode
