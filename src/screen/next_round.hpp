#pragma once
/// What to screen next, each step with its reason, in this order:
/// 1. fragments not yet screened that carry tracked reactive clonotypes (largest tracked
///    frequency first, then fragment id), then fragments to screen again because a positive control
///    failed (input order);
/// 2. ambiguous positive constructs, those unexplained in some fragment first, then those only
///    explained (a positive construct whose candidates include a neoantigen the same fragment was
///    resolved reactive to is explained by it, parsimoniously; deconvolving it there looks for further
///    reactivities of a culture that reacts to several members), each with a deconvolution design (construct order),
///    a construct resolved by elimination on one reading (PositiveConstruct::one_reading) included: every
///    candidate member alone when there are at most max_individual of them, else a matrix of
///    pools in which each candidate sits in exactly one row and one column pool and no two share
///    both, so a single reactive member shows as one positive row and one positive column;
/// 3. neoantigens tested conclusively nowhere (report order).
/// Designed constructs are named `DX<n>.M<i>` / `DX<n>.P<i>` (one minigene / one peptide) and
/// `DX<n>.R<r>` / `DX<n>.C<c>` (matrix rows / columns), numbering n after every `DX<n>` already
/// among the known constructs, so ids never collide with TMG*, PP* or an earlier round.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "screen/deconvolution.hpp"
#include "screen/model.hpp"

namespace tilmatch::screen {

/// A culture and how much of it the screen's reactive clonotypes make up.
struct TrackedFragment {
  std::string fragment_id;
  double reactive_frequency = 0;  ///< summed frequency of clonotypes found reactive anywhere, in [0, 1]
  bool screened = false;          ///< the culture has readouts of its own
};

/// Individual members are cheaper than a matrix up to 5 candidates: a matrix of m candidates
/// needs ceil(sqrt m) + ceil(m / ceil(sqrt m)) wells, which is no fewer than m until m = 6, and
/// individual wells also resolve several reactive members at once. A tilmatch default.
inline constexpr int kDefaultMaxIndividual = 5;

struct NextRoundParams {
  int max_individual = kDefaultMaxIndividual;  ///< >= 1
  double min_tracked_frequency = 0;  ///< unscreened fragments above this are proposed (0: any clonotype)
};

enum class NextStepKind : std::uint8_t { kScreenFragment, kDeconvolve, kTestNeoantigen, kRepeatFragment };

/// A screened fragment whose positive control failed for some assays: its negatives there say nothing.
struct FailedControl {
  std::string fragment_id;
  std::vector<std::string> assays;  ///< the assays whose positive control failed
};

/// One line of the plan.
struct NextStep {
  NextStepKind kind = NextStepKind::kScreenFragment;
  std::string subject;                  ///< fragment id, construct id or neoantigen id
  std::vector<std::string> fragments;   ///< kDeconvolve: fragments where it is ambiguous
  std::vector<std::string> constructs;  ///< kDeconvolve: the designed constructs, in design order
  std::string reason;
};

/// One row of a design, in tmg_design.tsv's shape (the writer adds gene, change, priority, weight).
struct DesignRow {
  std::string construct;
  std::string kind;  ///< `tandem_minigene` or `peptide_pool`
  int slot = 0;      ///< 1-based
  std::string neoantigen_id;
  std::string sequence;
  std::string reason;
};

struct NextRound {
  std::vector<NextStep> steps;
  std::vector<Construct> constructs;  ///< the designed constructs, as the next deconvolve takes them
  std::vector<DesignRow> design;      ///< the same constructs, one row per slot
};

/// Plans the next round from a deconvolution of `constructs` (all constructs known so far).
/// Throws std::invalid_argument when max_individual < 1.
NextRound plan_next_round(const Deconvolution& deconvolution, const std::vector<Construct>& constructs,
                          const std::vector<TrackedFragment>& tracked, const NextRoundParams& params,
                          const std::vector<FailedControl>& failed_controls = {});

/// `screen_fragment`, `deconvolve`, `test_neoantigen`, `repeat_fragment`.
std::string_view next_step_name(NextStepKind kind) noexcept;

}  // namespace tilmatch::screen
