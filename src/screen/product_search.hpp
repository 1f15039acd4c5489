#pragma once
/// The search behind choose_product (product.hpp): candidates prepared as group objects, the canonical
/// value of a set, the exact branch and bound and the greedy fallback. Internal to product.cpp.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "screen/product.hpp"

namespace tilmatch::screen::detail {

/// The candidates in fragment-id order, their groups as dense ids. Every group is an object of its
/// own: the input's unresolved groups that some candidate shows (input order), then one certain
/// group per resolved neoantigen (neoantigen order), which every culture resolving it shares.
struct Prepared {
  std::vector<std::uint32_t> by_id;                   ///< position -> candidate index
  std::size_t neoantigens = 0;                        ///< dense neoantigens (those some group holds)
  std::vector<std::vector<std::uint32_t>> members;    ///< per group: dense neoantigens, ascending
  std::vector<double> miss;                           ///< per group: 1 - w/|g| (w its weight; 0 when certain)
  std::vector<std::vector<std::uint32_t>> groups_of;  ///< per position: group ids, ascending
  std::vector<double> cd4, cd8;                       ///< by position
  std::uint32_t first_certain = 0;                    ///< groups from here on are resolved neoantigens
  /// Margin that covers the rounding of E, per unit of E + 1 (see coverage_margin).
  double margin = 0;
  double coverage_margin(double value) const { return margin * (value + 1.0); }
};

/// Checks the candidates and groups (std::invalid_argument, as choose_product documents) and prepares them.
Prepared prepare(const std::vector<ProductCandidate>& candidates, const std::vector<ProductGroup>& groups,
                 std::span<const double> weights);

/// A set by positions (ascending) and its value.
struct Scored {
  std::vector<std::uint32_t> positions;
  double expected = 0;
  std::size_t certain = 0;  ///< resolved neoantigens covered
  double cd4 = 0, cd8 = 0;
};

/// The value of a set as the order compares it: expected coverage, resolved neoantigens, CD4 and CD8 frequency.
struct Value {
  double expected = 0;
  std::size_t certain = 0;
  double cd4 = 0, cd8 = 0;
};

/// Compares values, each key descending (expected and frequencies on their grids): negative when a ranks
/// first, 0 on a tie.
int compare_value(const Value& a, const Value& b);
inline Value value_of(const Scored& s) { return {s.expected, s.certain, s.cd4, s.cd8}; }

/// The order of product.hpp over position sets.
bool before(const Scored& a, const Scored& b);

/// Scores sets canonically (see expected_coverage in product_search.cpp), with scratch kept between calls.
class Scorer {
 public:
  explicit Scorer(const Prepared& p) : p_(p), miss_(p.neoantigens, 1.0), seen_(p.neoantigens, 0) {}
  /// The value of the set of `positions` (any order, no repeats).
  Scored operator()(std::vector<std::uint32_t> positions);

 private:
  const Prepared& p_;
  std::vector<double> miss_;
  std::vector<char> seen_;
};

/// Number of sets of 1..k out of n, or cap + 1 once it exceeds cap.
std::uint64_t count_sets(std::uint64_t n, std::uint64_t k, std::uint64_t cap);

/// The best `keep` sets of 1..k positions, best first, by branch and bound.
std::vector<Scored> exact_search(const Prepared& p, std::size_t k, std::size_t keep);

/// A set no single addition (with room), swap or removal improves, reached from the empty set by best moves.
Scored greedy_search(const Prepared& p, std::size_t k);

}  // namespace tilmatch::screen::detail
