#pragma once
/// Re-ranking of TIL cultures once the screen's results are back (docs/screening.md). Evidence comes in
/// tiers, strongest first:
///   1. `measured`: the culture itself reacted to a neoantigen in the screen (resolved or ambiguous);
///   2. `tracked`:  the culture carries clonotypes proven reactive in some culture's sorted TCR-seq
///                  (the same clonotype, or a TCRdist neighbour of it);
///   3. `public`:   only public-reference evidence (the ranking of `rank_fragments`);
///   4. `none`.
/// Pure functions; the pipeline supplies the screen's results as plain data.

#include <cstdint>
#include <string>
#include <vector>

#include "rank/model.hpp"
#include "screen/model.hpp"
#include "tilmatch/clonotypes.hpp"

namespace tilmatch::rank {

/// What the screen measured in one culture, after calls and deconvolution.
struct MeasuredReactivity {
  bool screened = false;        ///< at least one conclusive call (positive or negative)
  bool control_failed = false;  ///< a positive control failed for some assay
  std::vector<std::uint32_t> reactive;                ///< neoantigen indices resolved reactive, sorted
  std::vector<std::vector<std::uint32_t>> ambiguous;  ///< unresolved positive constructs: candidate groups
  std::vector<std::uint32_t> cleared;                 ///< tested and not reactive, sorted
  std::vector<std::uint32_t> tested;                  ///< conclusively tested (reactive or cleared), sorted
  std::string why;  ///< the calls behind `reactive`, e.g. "TP53.R175H: TMG1 elispot_ifng q=0.003"
  /// Per `ambiguous` group: the assays its construct read positive in (missing entries: taken as confirmed).
  std::vector<int> ambiguous_assays;
};

/// A clonotype proven reactive by the screen (enriched in a sorted population).
struct ReactiveClonotype {
  std::uint32_t clonotype = kNone;             ///< its index in the patient's clonotype table, if there
  std::string id;                              ///< "R1", "R2", ...
  std::string fragment_id;                     ///< the culture whose sorted cells proved it
  std::string construct;                       ///< the construct it reacted to
  std::vector<std::uint32_t> neoantigens;      ///< the neoantigen(s) that construct resolves to, sorted
  screen::Compartment compartment = screen::Compartment::kUnknown;
};

/// A clonotype of the patient within the tracking radius of a reactive clonotype.
struct TrackedHit {
  std::uint32_t clonotype = 0;  ///< patient clonotype (table index)
  std::uint32_t reactive = 0;   ///< index into the reactive clonotype list
  /// TCRdist (beta chain; V loops only with a V-gene table, so 0 may join two V genes).
  int distance = 0;
  bool identical = false;       ///< the same beta clonotype (same_beta_clonotype), not a neighbour
};

/// True when two TCRs are the same beta clonotype: the same CDR3b and the same TRBV gene (alleles
/// ignored; a missing V gene on either side cannot tell them apart). A CDR3b shared by two V genes is
/// common for short, germline-encoded CDR3s (convergent recombination) and is not the same clonotype.
bool same_beta_clonotype(const TcrView& a, const TcrView& b);

/// What tracking finds in one culture.
struct TrackedReactivity {
  double frequency = 0;        ///< summed frequency of clonotypes identical to a reactive clonotype
  double cd4_frequency = 0;    ///< part of `frequency` whose reactive clonotype is CD4
  double cd8_frequency = 0;    ///< part of `frequency` whose reactive clonotype is CD8
  double neighbor_frequency = 0;  ///< summed frequency of TCRdist neighbours that are not identical
  /// Frequency x distance factor (1 for identical, 1/2 at the radius); ranks the `tracked` tier.
  double score = 0;
  /// Frequency tracked to neoantigens this culture was tested for and cleared: kept out of `score`.
  double contradicted_frequency = 0;
  /// Neoantigens of uncontradicted identical hits whose reactive clonotype is bound to one neoantigen, sorted.
  std::vector<std::uint32_t> neoantigens;
  /// Bindings of uncontradicted identical hits to several candidate neoantigens (unresolved constructs):
  /// one reactivity each, target unknown among the candidates; sorted, distinct.
  std::vector<std::vector<std::uint32_t>> unresolved;
  std::vector<std::uint32_t> reactive;     ///< reactive clonotypes seen here (any distance), sorted
  /// The reactive clonotypes behind `unresolved` (uncontradicted identical hits, bound to several
  /// neoantigens), sorted: cultures carrying one share its reactivity.
  std::vector<std::uint32_t> unresolved_reactive;
};

/// Per culture (table order): the tracked frequencies. Each patient clonotype counts once, through its
/// closest reactive clonotype (an identical one first, then by distance; ties: the lower reactive
/// index). `hits` may come in any order.
std::vector<TrackedReactivity> track_reactive(const ClonotypeTable& table,
                                              const std::vector<ReactiveClonotype>& reactive,
                                              const std::vector<TrackedHit>& hits,
                                              const std::vector<MeasuredReactivity>& measured, int radius);

/// One culture's place in the screen-aware ranking.
struct ScreenRank {
  std::uint32_t fragment = 0;
  int rank = 0;
  std::string tier;        ///< "measured", "tracked", "public" or "none"
  int reactive_neoantigens = 0;  ///< resolved reactive neoantigens + unresolved groups not overlapping them
  /// "high": measured reactive; "medium": carries a clonotype identical to a proven reactive one;
  /// "low": only TCRdist neighbours of one; public tier: the public evidence's own; "none".
  std::string confidence;
  std::string reason;      ///< why it ranks here, in words
};

/// Orders cultures by tier (`tracked` needs a clonotype identical to a proven reactive one: TCRdist
/// neighbours alone are reported, not ranked on), then within a tier: measured by reactive neoantigens, tracked frequency, public
/// score; tracked by tracked score, public score; public by public score; then fragment id.
/// `public_ranking` is rank_fragments's output.
std::vector<ScreenRank> rank_with_screen(const ClonotypeTable& table,
                                         const std::vector<FragmentScore>& public_ranking,
                                         const std::vector<MeasuredReactivity>& measured,
                                         const std::vector<TrackedReactivity>& tracked,
                                         const std::vector<ReactiveClonotype>& reactive,
                                         const std::vector<Neoantigen>& neoantigens);

/// Constructs as design slots (tmg_design.tsv rows), priority NaN (not known for a design read back or
/// made by the screen). `reason` fills every slot; empty: "read back from <file>". Throws std::out_of_range
/// when a member names a neoantigen not in `neoantigens` (designs are checked against the run first).
std::vector<DesignSlot> design_slots(const std::vector<screen::Construct>& constructs,
                                     const std::vector<Neoantigen>& neoantigens, const std::string& reason);

}  // namespace tilmatch::rank
