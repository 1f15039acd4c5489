#pragma once
/// Choosing the infusion product: the set of at most k fragment cultures to pool.
///
/// What a culture covers. Each culture shows positive groups: a neoantigen resolved reactive in it
/// (a group of one), the candidates of a positive construct left ambiguous (an unresolved group), or
/// the binding of a proven reactive clonotype it carries. The prior: each group stands for ONE
/// reactive neoantigen, uniformly one of its candidates, independently of every other group. A group
/// is an object, not a list of candidates: cultures sharing a proven clonotype share its group (one
/// T-cell specificity, counted once), while two cultures positive for the same construct hold two
/// groups (their reactive clonotypes may see different members, as they do in practice).
///
/// Sets are ordered lexicographically by
///   1. expected distinct reactive neoantigens covered (more is better),
///        E(S) = sum over neoantigens n of [1 - prod over the distinct groups g of S's cultures with
///               n in g of (1 - w_g/|g|)],
///      the expected size of the union of the groups' (independent, uniform) targets, where a group
///      is real with probability w_g (1 unless the caller weighs it: an unconfirmed positive, one
///      construct read positive in one assay only, may be a false call; see unconfirmed_weight). Breadth of
///      targets was associated with response in the selected-TIL trial (Lowery et al., Nat Med 2025).
///      A resolved neoantigen counts 1; six cultures each positive for the same 16-minigene TMG count
///      16 (1 - (15/16)^6) = 5.14, where counting the TMG as one unit would give 1. Compared on a grid
///      of kCoverageResolution, so that equal values summed in another order tie;
///   2. resolved neoantigens covered (more is better): at equal expected coverage, the coverage that is
///      known beats the coverage that is a draw (disjoint groups each add exactly 1 to E, as a resolved
///      neoantigen does, so exact ties are common);
///   3. the product's reactive CD4+ frequency (higher): the infused neoantigen-specific CD4+ cells
///      were the other correlate of response there;
///   4. the product's reactive CD8+ frequency (higher);
///   5. fewer fragments (fewer cultures to expand and release);
///   6. fragment ids (the sorted id lists compared lexicographically), so the order is total.
///
/// The product's frequency is the mean of its cultures' frequencies: the reactive fraction of a
/// pool made of equal cell numbers from each chosen culture. Cell numbers per culture at pooling
/// are not known when the screen is read, and post-expansion growth differs by culture, so equal
/// shares are the neutral assumption; a mean (unlike a sum) also charges a set for diluting a
/// highly reactive culture with a weakly reactive one. Frequencies are compared on a grid of
/// kFrequencyResolution, far finer than any measured frequency.
///
/// Search: E is monotone submodular (a weighted probabilistic coverage of groups, composed with the
/// union of the cultures' groups), so an exact branch and bound bounds every extension by the current
/// value plus the largest marginal gains (product_search.cpp proves it). It runs whenever the number
/// of sets of 1..k fragments is at most kExactSetBudget (every instance with <= 48 fragments and
/// k <= 6); otherwise a greedy ascent (add, swap or drop one fragment while that ranks better),
/// labelled ProductMethod::kGreedy.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tilmatch::screen {

/// An unresolved positive group: one reactive neoantigen, which of `neoantigens` unknown.
using ProductGroup = std::vector<std::uint32_t>;  ///< neoantigen indices, distinct, at least one

/// One fragment culture that may join the product.
struct ProductCandidate {
  std::string fragment_id;               ///< unique
  std::vector<std::uint32_t> resolved;   ///< neoantigens resolved reactive in it (indices, any order)
  std::vector<std::uint32_t> groups;     ///< unresolved groups it shows: indices into the groups (any order)
  double cd4_frequency = 0;  ///< fraction of the culture's T cells that are reactive CD4+, in [0, 1]
  double cd8_frequency = 0;  ///< fraction of the culture's T cells that are reactive CD8+, in [0, 1]
};

/// Fragments pooled into a product by default. A tilmatch default, not the trial's number: the
/// selected-TIL publications we could check do not state a maximum.
inline constexpr int kDefaultProductFragments = 4;
/// Resolution at which expected coverage is compared (neoantigens): far below any difference that
/// matters, far above the rounding of sums taken in another order.
inline constexpr double kCoverageResolution = 1e-9;
/// Resolution at which product frequencies are compared (fractions of T cells).
inline constexpr double kFrequencyResolution = 1e-9;
/// Sum over i = 1..6 of C(48, i): the sets the exact search may enumerate (48 fragments, k = 6).
inline constexpr std::uint64_t kExactSetBudget = 14'196'868;

/// Weight of an unconfirmed group: one construct positive in a single assay, with no proven clonotype
/// and no second construct behind it. The empirical rule's single-assay calls near its floors are the
/// screen's false positives (a 2.05-fold ELISpot mean of 3 wells, every flow assay negative), and one
/// reading cannot tell them from a weak response, so such a group counts as even odds of a reactive
/// neoantigen: below a confirmed one or a resolved neoantigen, above nothing. A tilmatch default.
inline constexpr double kDefaultUnconfirmedWeight = 0.5;

struct ProductParams {
  int max_fragments = kDefaultProductFragments;  ///< k, >= 1
  int alternatives = 5;                           ///< next-best sets to report (exact search only), >= 0
  double unconfirmed_weight = kDefaultUnconfirmedWeight;  ///< in (0, 1]; the groups' weights are the caller's
};

enum class ProductMethod : std::uint8_t { kExact, kGreedy };

/// A set of fragments and its value.
struct ProductSet {
  std::vector<std::uint32_t> fragments;  ///< indices into the candidates, ascending by fragment id
  double expected_neoantigens = 0;       ///< E of the file comment
  std::vector<std::uint32_t> resolved;   ///< neoantigens resolved in some culture of the set, ascending
  std::vector<std::uint32_t> groups;     ///< unresolved groups some culture of the set shows, ascending
  double cd4_frequency = 0;              ///< mean over `fragments`
  double cd8_frequency = 0;              ///< mean over `fragments`
};

/// How a set differs from the chosen one.
struct SetDifference {
  std::vector<std::uint32_t> added_fragments;    ///< in it, not chosen; ascending by id
  std::vector<std::uint32_t> removed_fragments;  ///< chosen, not in it; ascending by id
  std::vector<std::uint32_t> gained_resolved;    ///< resolved neoantigens, ascending
  std::vector<std::uint32_t> lost_resolved;
  std::vector<std::uint32_t> gained_groups;      ///< unresolved groups, ascending
  std::vector<std::uint32_t> lost_groups;
  double expected_change = 0;  ///< its expected_neoantigens minus the chosen set's
  double cd4_change = 0;       ///< its cd4_frequency minus the chosen set's
  double cd8_change = 0;
};

/// A set other than the chosen one, with its difference.
struct ProductAlternative {
  ProductSet set;
  SetDifference versus_chosen;
};

/// A fragment left out, and the best set that takes it in by one change to the chosen set: adding
/// it when the chosen set has room, else swapping it for the chosen fragment whose loss costs least.
struct FragmentOption {
  std::uint32_t fragment = 0;
  std::optional<std::uint32_t> replaces;  ///< the chosen fragment swapped out, if any
  ProductAlternative option;
};

struct ProductChoice {
  ProductMethod method = ProductMethod::kExact;
  ProductSet chosen;  ///< empty only when there are no candidates
  /// Exact search: the next best sets in order (up to ProductParams::alternatives); greedy: empty.
  std::vector<ProductAlternative> alternatives;
  std::vector<FragmentOption> left_out;  ///< one per fragment not chosen, ascending by id
};

/// Chooses the product (see the file comment); `groups` are the unresolved groups the candidates
/// index, `weights` (parallel to `groups`, or empty for 1 each) the chance that each stands for a
/// reactive neoantigen at all. Throws std::invalid_argument when ids repeat, a frequency is outside
/// [0, 1], a candidate names a group out of range, a group is empty or repeats a neoantigen, a weight
/// is outside (0, 1] or the weights do not match the groups, or max_fragments < 1 or alternatives < 0.
ProductChoice choose_product(const std::vector<ProductCandidate>& candidates, const std::vector<ProductGroup>& groups,
                             const ProductParams& params, std::span<const double> weights = {});

/// The value of the set `fragments` (indices into `candidates`, any order, no repeats).
ProductSet evaluate_product(const std::vector<ProductCandidate>& candidates, const std::vector<ProductGroup>& groups,
                            std::vector<std::uint32_t> fragments, std::span<const double> weights = {});

/// True when `a` ranks before `b` in the order of the file comment (values as evaluate_product gives them).
bool product_before(const std::vector<ProductCandidate>& candidates, const ProductSet& a, const ProductSet& b);

/// `exact` or `greedy`.
std::string_view product_method_name(ProductMethod method) noexcept;

}  // namespace tilmatch::screen
