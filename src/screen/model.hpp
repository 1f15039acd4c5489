#pragma once
/// The trial's screen as plain data: the wells read back (readouts), the constructs they test,
/// calls per fragment x construct x assay, and the neoantigen-level results built from them.
/// Filled by io/ (readers), built by screen/ (pure functions), written by pipeline/ and report/.
/// docs/screening.md states every rule and its source.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tilmatch::screen {

/// What a readout's `construct` column names.
enum class ConstructKind : std::uint8_t {
  kTandemMinigene,  ///< a TMG construct of the design (tmg_design.tsv kind `tandem_minigene`)
  kPeptidePool,     ///< a peptide pool of the design (kind `peptide_pool`), matrix pools included
  kMinigene,        ///< one minigene, by its name (`MG.<key>.<tile>`)
  kPeptide,         ///< one peptide, by its sequence
  kNegative,        ///< negative control: irrelevant TMG, DMSO, no peptide
  kPositive,        ///< positive control: PMA/ionomycin, anti-CD3
};

/// The T-cell compartment an assay reads. ELISpot IFN-gamma reads both.
enum class Compartment : std::uint8_t { kUnknown, kCd4, kCd8 };

/// How an assay is read: spots per well, or percent of the parent gate.
enum class AssayKind : std::uint8_t { kElispot, kFlow, kOther };

/// Where a well was read: its readouts file, as an index among the files read (in the order given; 0
/// when there is one), and its 1-based line there. Ordered by file, then line.
struct ReadoutPlace {
  std::uint32_t file = 0;
  std::int64_t line = 0;
  friend auto operator<=>(const ReadoutPlace&, const ReadoutPlace&) = default;
};

/// One well or measurement: one data row of the readouts TSV.
struct Readout {
  std::string fragment_id;
  std::string construct;   ///< as written: a design construct id, minigene name, peptide, `negative`, `positive`
  std::string assay;       ///< `elispot_ifng`, `cd137_cd8`, `cd137_cd4`, `ox40_cd4`, or another name (carried)
  std::string replicate;   ///< as written; unique within (fragment, construct, assay)
  double value = 0;        ///< spots per well (ELISpot) or percent of parent (flow); finite, >= 0
  std::optional<double> cells_per_well;
  std::string plate;       ///< optional
  std::string well;        ///< optional, e.g. "B7"
  std::int64_t line = 0;   ///< 1-based line in the readouts file
  std::uint32_t file = 0;  ///< index of the readouts file among those read (0 when there is one)
  ReadoutPlace place() const noexcept { return {file, line}; }
};

/// A construct of the screen and what it holds: one entry per minigene or peptide, construct order.
struct Construct {
  std::string id;
  ConstructKind kind = ConstructKind::kTandemMinigene;
  std::vector<std::string> neoantigens;  ///< neoantigen id of each member (repeats for frameshift tiles)
  std::vector<std::string> sequences;    ///< each member's 25-mer or peptide, parallel to `neoantigens`
  // Where the construct was read, so later checks against the run's data can name the place.
  std::string file;                        ///< design file it came from; empty when built in code
  std::int64_t line = 0;                   ///< 1-based line of its first row in `file`
  std::vector<std::int64_t> member_lines;  ///< line of each member's row, parallel to `sequences`
};

/// The outcome of one fragment x construct x assay.
enum class CallStatus : std::uint8_t {
  kPositive,       ///< reactive by the assay's rule (and q <= FDR where the rule is a test)
  kNegative,       ///< tested against controls and not reactive
  kNoControl,      ///< the fragment has no negative wells for this assay: not called
  kControlFailed,  ///< the fragment's positive control failed for this assay: flagged, not negative
  kNotCalled,      ///< an assay without a rule (carried through)
};

/// Result of one neoantigen in one fragment after deconvolution.
enum class ReactivityStatus : std::uint8_t { kReactive, kNotReactive, kAmbiguous, kNotTested };

}  // namespace tilmatch::screen
