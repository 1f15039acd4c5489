// WT/MT windows: pVACseq FastaGenerator.execute (without proximal variants).
#include <algorithm>

#include "peptides/aa_change.hpp"
#include "peptides/peptides.hpp"

namespace tilmatch::peptides {

using detail::py_slice;

std::string_view to_string(WindowSkip s) noexcept {
  switch (s) {
    case WindowSkip::kNone: return "none";
    case WindowSkip::kNoAminoAcidChange: return "no_amino_acid_change";
    case WindowSkip::kPositionOutOfBounds: return "position_out_of_bounds";
    case WindowSkip::kWildtypeMismatch: return "wildtype_mismatch";
    case WindowSkip::kStopInWindow: return "stop_in_window";
    case WindowSkip::kUnknownResidueInWindow: return "unknown_residue_in_window";
    case WindowSkip::kSelenocysteine: return "selenocysteine";
    case WindowSkip::kNotNovel: return "not_novel";
    case WindowSkip::kTooShort: return "too_short";
  }
  return "unknown";
}

namespace {

struct WildtypeSubsequence {
  long mutation_start = 0;
  std::string sequence;
};

// get_wildtype_subsequence: a window of 2 * flank + affected_length residues centred on
// `position`, shifted inward at the protein ends, clipped to the protein.
WildtypeSubsequence wildtype_subsequence(long position, const std::string& protein, long affected_length,
                                         long flank) {
  const long n = static_cast<long>(protein.size());
  const long length = std::min(2 * flank + affected_length, n);
  const long from_end = n - 1 - position;
  if (position < flank) return {position, py_slice(protein, 0, length)};
  if (from_end < flank) return {length - from_end - 1, py_slice(protein, n - length, n)};
  const long start = position - flank;
  return {flank, py_slice(protein, start, start + length)};
}

WindowResult skip(WindowSkip s) { return {std::nullopt, s}; }

// pVACseq trim_sequence for 'X': drop each X with whichever side of it is shorter.
void trim_unknown(std::string& s) {
  for (auto at = s.find('X'); at != std::string::npos; at = s.find('X')) {
    if (at < s.size() - at) {
      s.erase(0, at + 1);
    } else {
      s.erase(at);
    }
  }
}

}  // namespace

WindowResult make_windows(const VariantTranscript& v, const WindowOptions& options) {
  const long flank = options.flank;
  const std::string& protein = v.wildtype_protein;
  std::string wt_window;
  std::string mt_window;

  const auto first = detail::first_protein_position(v.protein_position);
  if (v.variant_type == VariantType::kFrameshift) {
    if (!first) return skip(WindowSkip::kPositionOutOfBounds);
    const long position = *first - 1;
    if (position > static_cast<long>(protein.size()) - 1) return skip(WindowSkip::kPositionOutOfBounds);
    const long start = position < flank ? 0 : position - flank;
    wt_window = py_slice(protein, start, position + flank);
    const std::string& fs = v.frameshift_protein;
    // pVACseq tests the limit for truthiness: 0 means no limit.
    if (options.downstream_limit && *options.downstream_limit != 0) {
      mt_window = py_slice(fs, start, position + *options.downstream_limit);
    } else {
      mt_window = py_slice(fs, start, static_cast<long>(fs.size()));
    }
  } else {
    const auto change = detail::parse_amino_acid_change(v.amino_acid_change);
    if (!change) return skip(WindowSkip::kNoAminoAcidChange);
    if (!first) return skip(WindowSkip::kPositionOutOfBounds);
    std::string mutant = change->mt;
    long position = 0;
    long wt_length = 0;
    if (v.variant_type == VariantType::kInframeDel) {
      position = *first - 1;
      wt_length = static_cast<long>(change->wt.size());
      if (mutant == "-") mutant.clear();
    } else if (change->wt == "-") {
      position = *first;  // an insertion goes after this residue
    } else {
      position = *first - 1;
      wt_length = static_cast<long>(change->wt.size());
    }
    if (position > static_cast<long>(protein.size()) - 1) return skip(WindowSkip::kPositionOutOfBounds);

    // Insertions centre a window as long as the inserted residues.
    const long affected = v.variant_type == VariantType::kInframeIns ? static_cast<long>(mutant.size()) : wt_length;
    const auto sub = wildtype_subsequence(position, protein, affected, flank);
    const long mutation_end = sub.mutation_start + wt_length;
    if (change->wt != "-" && change->wt != py_slice(sub.sequence, sub.mutation_start, mutation_end)) {
      return skip(WindowSkip::kWildtypeMismatch);
    }
    wt_window = sub.sequence;
    mt_window = py_slice(sub.sequence, 0, sub.mutation_start) + mutant;
    if (!change->stop_codon_added) {
      mt_window += py_slice(sub.sequence, mutation_end, static_cast<long>(sub.sequence.size()));
    }
  }

  const auto either_has = [&](char c) {
    return wt_window.find(c) != std::string::npos || mt_window.find(c) != std::string::npos;
  };
  if (either_has('*')) return skip(WindowSkip::kStopInWindow);
  if (either_has('X')) {
    if (!options.trim_unknown_residues) return skip(WindowSkip::kUnknownResidueInWindow);
    trim_unknown(wt_window);
    trim_unknown(mt_window);
  }
  if (either_has('U')) return skip(WindowSkip::kSelenocysteine);
  if (wt_window.find(mt_window) != std::string::npos) return skip(WindowSkip::kNotNovel);
  const auto min_length = static_cast<std::size_t>(std::max(0, options.min_length));
  if (wt_window.size() < min_length || mt_window.size() < min_length) return skip(WindowSkip::kTooShort);
  return {WindowPair{std::move(wt_window), std::move(mt_window)}, WindowSkip::kNone};
}

}  // namespace tilmatch::peptides
