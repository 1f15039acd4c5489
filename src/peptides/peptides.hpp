#pragma once
/// Pure functions from an annotated variant to peptide windows, epitopes and minigenes.
/// No I/O. Rules follow pVACseq (FastaGenerator, OutputParser); docs/peptides.md states them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tilmatch/variant.hpp"

namespace tilmatch::peptides {

/// Why no window pair was produced (pVACseq drops these silently; tilmatch counts them).
enum class WindowSkip {
  kNone,
  kNoAminoAcidChange,     ///< no '/' in amino_acid_change
  kPositionOutOfBounds,
  kWildtypeMismatch,      ///< Amino_acids' WT residues differ from WildtypeProtein
  kStopInWindow,          ///< '*' in either window
  kUnknownResidueInWindow,///< 'X' in either window (only when WindowOptions::trim_unknown_residues is false)
  kSelenocysteine,        ///< 'U' in either window
  kNotNovel,              ///< MT window occurs inside the WT window
  kTooShort,              ///< a window shorter than the epitope length
};
std::string_view to_string(WindowSkip s) noexcept;

struct WindowOptions {
  int flank = 8;                          ///< residues each side (pVACseq: epitope length - 1)
  int min_length = 9;                     ///< windows shorter than this are dropped (epitope length)
  std::optional<int> downstream_limit;    ///< frameshift MT cap after the mutation (pVACseq -d); 0 = none
  /// true: an 'X' in a window is cut out together with the shorter side of the window (pVACseq
  /// trim_sequence; upstream's output_X_sequence expects this). false: drop the pair with
  /// kUnknownResidueInWindow.
  bool trim_unknown_residues = true;
};

struct WindowPair {
  std::string wt;
  std::string mt;
};

struct WindowResult {
  std::optional<WindowPair> pair;
  WindowSkip skip = WindowSkip::kNone;
};

/// WT/MT windows exactly as pVACseq's FastaGenerator builds them.
WindowResult make_windows(const VariantTranscript& v, const WindowOptions& options);

/// One MT epitope with the WT epitope pVACseq pairs it with.
struct EpitopePair {
  std::string mt;
  std::string wt;                 ///< empty when pVACseq reports "NA"
  int length = 0;
  int position = 0;               ///< 1-based start in the MT window (pVACseq "Sub-peptide Position")
  /// pVACseq "Mutation Position": the 1-based residues differing from `wt` ("5", "6, 7, 8"), or
  /// "NA" without a WT partner (missense without a partner keeps pVACseq's chained position).
  std::string mutation_position;
};

/// Every MT epitope of `length` from the windows made with flank = length - 1, paired with its WT
/// epitope following pVACseq's OutputParser (missense, inframe indel and frameshift rules), after
/// dropping MT epitopes pVACseq drops. `windows` must come from make_windows with that flank.
std::vector<EpitopePair> make_epitopes(const VariantTranscript& v, const WindowPair& windows, int length);

/// A minigene for the confirming screen.
struct Minigene {
  std::string sequence;
  int tile = 1;            ///< 1-based tile number (frameshifts have several)
  int mutation_begin = 0;  ///< 0-based first mutated residue within `sequence`
  int mutation_end = 0;    ///< exclusive
};

struct MinigeneOptions {
  int length = 25;  ///< odd; flank = (length - 1) / 2 each side of a single mutated residue
};

/// Minigenes for one variant (see docs/peptides.md); empty when none can be made.
std::vector<Minigene> make_minigenes(const VariantTranscript& v, const MinigeneOptions& options);

}  // namespace tilmatch::peptides
