#pragma once
/// What the screen's results added to a run, as plain data for the writers and the report
/// (docs/screening.md): calls, deconvolution, reactive clonotypes and where they are tracked, the
/// tiered ranking, the product and the next round.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rank/screen_ranking.hpp"
#include "screen/calls.hpp"
#include "screen/deconvolution.hpp"
#include "screen/model.hpp"
#include "screen/next_round.hpp"
#include "screen/product.hpp"
#include "tilmatch/tcr.hpp"

namespace tilmatch::rank {

/// A clonotype proven reactive, with the test behind it.
struct ReactiveTcr {
  ReactiveClonotype clonotype;  ///< binding, compartment, provenance
  Tcr tcr;
  std::string reference_population;   ///< "unsorted" or "no_target"
  std::int64_t sorted_count = 0, reference_count = 0;
  double sorted_frequency = 0, reference_frequency = 0;
  double odds_ratio = 0, p = 0, q = 0;
  bool epitope_known = false;         ///< the construct was a single peptide
  int proofs = 1;                     ///< comparisons in which it was found reactive
};

/// Where a product group comes from.
struct ProductGroupSource {
  std::string id;          ///< the reactive clonotype's id (R1, ...) or the culture's
  bool clonotype = false;  ///< a reactive clonotype's binding (shared by the cultures carrying it), else a
                           ///< construct left ambiguous in culture `id`
  bool confirmed = true;   ///< false: one construct read positive in one assay only (weighed down)
};

/// Everything the screen added to a run.
struct ScreenOutcome {
  std::vector<std::string> readout_files;  ///< as given; screen::ReadoutPlace::file indexes them
  std::vector<screen::Construct> design;  ///< the design read back (tmg_design.tsv of this run)
  std::vector<screen::Call> calls;
  screen::Deconvolution deconvolution;
  std::vector<ReactiveTcr> reactive;
  std::vector<TrackedHit> tracked_hits;   ///< sorted by (reactive, clonotype)
  std::vector<MeasuredReactivity> measured;  ///< per fragment, table order
  std::vector<TrackedReactivity> tracked;    ///< per fragment, table order
  std::vector<ScreenRank> ranking;
  /// The unresolved groups product candidates show (each one reactive neoantigen among its candidates;
  /// ProductCandidate::groups index this list).
  std::vector<screen::ProductGroup> product_groups;
  std::vector<ProductGroupSource> product_group_sources;  ///< per product group
  std::vector<double> product_group_weights;  ///< per product group: 1, or the unconfirmed weight
  std::vector<screen::ProductCandidate> product_candidates;
  screen::ProductChoice product;
  screen::NextRound next_round;
  std::map<std::string, std::int64_t> counts;  ///< for run.json
  std::vector<std::string> notes;
};

}  // namespace tilmatch::rank
