#pragma once
/// The screen's results turned into what ranking, the product and the next round work from (pure
/// functions, docs/screening.md): per-culture measured reactivity, reactive clonotypes bound to
/// neoantigens, the product's candidates and the next round's inputs.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "rank/screen_result.hpp"
#include "screen/calls.hpp"
#include "screen/deconvolution.hpp"
#include "screen/enrichment.hpp"
#include "screen/next_round.hpp"
#include "screen/product.hpp"
#include "tilmatch/clonotypes.hpp"
#include "tilmatch/tcr.hpp"

namespace tilmatch::rank {

/// Id -> position (fragments in table order, neoantigens in run order).
using IdIndex = std::map<std::string, std::uint32_t, std::less<>>;

/// The calls as deconvolution takes them (every readout line behind a call, sorted).
/// True when none of a culture's reactions is confirmed: no neoantigen resolved, no clonotype proven
/// reactive in its own sorts (`proven_here`), and each group its positive constructs show (as the
/// product reads them: constructs sharing a candidate are one group, read twice) read positive in one
/// assay only. Such single readings are what the screen's false positives look like (a 2.05-fold
/// ELISpot mean of 3 wells with every flow assay negative), and one cannot tell them from a weak
/// response: the product weighs each at unconfirmed_weight, the ranking's tier is `unconfirmed`.
bool single_readings_only(const MeasuredReactivity& m, bool proven_here);

std::vector<screen::ConstructOutcome> construct_outcomes(const std::vector<screen::Call>& calls);

/// Per culture (`fragments` order): the neoantigens it was resolved reactive to, its unresolved positive
/// constructs (candidate groups), what it was cleared of, whether it was screened and whether a positive
/// control failed.
std::vector<MeasuredReactivity> measured_reactivity(const screen::Deconvolution& d,
                                                    const std::vector<screen::Call>& calls,
                                                    const IdIndex& fragments, const IdIndex& neoantigens);

/// Reactive clonotypes from the enrichment results, one per clonotype key (`tcr_of(key)` is its TCR),
/// ids R1, R2, ... in order of first proof. Each is bound to the neoantigens its construct
/// (`constructs[i]` for `results[i]`) resolves to in that culture — narrowed to the culture's resolved
/// reactive neoantigens when the construct holds some (one reactivity, already found through other
/// constructs), else the construct's candidates after deconvolution, else every neoantigen it holds —
/// and to CD4 or CD8 when the construct read positive in one compartment only. A clonotype proven in
/// several comparisons keeps its first proof's statistics, gains every binding, and is `unknown` when
/// its compartments disagree.
std::vector<ReactiveTcr> reactive_clonotypes(const std::vector<screen::EnrichmentResult>& results,
                                             const std::vector<const screen::Construct*>& constructs,
                                             const std::function<Tcr(std::uint64_t)>& tcr_of,
                                             const screen::Deconvolution& d, const IdIndex& neoantigens);

/// Product candidates (screen/product.hpp): per culture its resolved neoantigens (measured, or tracked
/// through a clonotype bound to one) and the unresolved groups it shows (`groups` gets them; candidates
/// index it; `sources` gets, per group, the reactive clonotype's id or the culture of the ambiguous
/// construct), with its tracked CD4/CD8 frequencies. Each reactive clonotype bound to several neoantigens
/// is one group, shared by the cultures carrying it (an identical, uncontradicted hit) and the culture
/// that proved it. Within a culture, one reactivity explains every positive holding it: an ambiguous
/// construct sharing a candidate with one of its clonotypes' groups is that group, ambiguous constructs
/// sharing a candidate are one group (the one with fewer candidates), and groups holding a resolved
/// neoantigen are dropped. Cultures with nothing to offer are left out. `weights` gets, per group, 1, or
/// `unconfirmed_weight` for a construct's group that read positive in one assay only with no second
/// construct joining it (screen/product.hpp, kDefaultUnconfirmedWeight).
std::vector<screen::ProductCandidate> product_candidates(const ClonotypeTable& table,
                                                         const std::vector<MeasuredReactivity>& measured,
                                                         const std::vector<TrackedReactivity>& tracked,
                                                         const std::vector<ReactiveClonotype>& reactive,
                                                         std::vector<screen::ProductGroup>& groups,
                                                         std::vector<ProductGroupSource>& sources,
                                                         std::vector<double>& weights, double unconfirmed_weight);

/// Cultures carrying clonotypes identical to proven reactive ones (neighbours alone may be chance), with
/// whether they have readouts of their own.
std::vector<screen::TrackedFragment> tracked_fragments(const ClonotypeTable& table,
                                                       const std::vector<TrackedReactivity>& tracked,
                                                       const std::vector<screen::Readout>& readouts);

/// Cultures whose positive control failed, with the assays (sorted), in call order.
std::vector<screen::FailedControl> failed_controls(const std::vector<screen::Call>& calls);

}  // namespace tilmatch::rank
