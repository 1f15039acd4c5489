#include "screen/product.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "screen/product_search.hpp"

namespace tilmatch::screen {
namespace {

using detail::Prepared;
using detail::Scored;
using detail::Scorer;

template <class T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

ProductSet to_product_set(const Prepared& p, const std::vector<ProductCandidate>& candidates, const Scored& s) {
  ProductSet out;
  for (std::uint32_t pos : s.positions) {
    const ProductCandidate& c = candidates[p.by_id[pos]];
    out.fragments.push_back(p.by_id[pos]);
    out.resolved.insert(out.resolved.end(), c.resolved.begin(), c.resolved.end());
    out.groups.insert(out.groups.end(), c.groups.begin(), c.groups.end());
  }
  sort_unique(out.resolved);
  sort_unique(out.groups);
  out.expected_neoantigens = s.expected;
  out.cd4_frequency = s.cd4;
  out.cd8_frequency = s.cd8;
  return out;
}

std::vector<std::uint32_t> difference(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  std::vector<std::uint32_t> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

ProductAlternative compare(const Prepared& p, const std::vector<ProductCandidate>& candidates, const Scored& chosen,
                           const Scored& other) {
  ProductAlternative alt;
  alt.set = to_product_set(p, candidates, other);
  const ProductSet base = to_product_set(p, candidates, chosen);
  SetDifference& d = alt.versus_chosen;
  for (std::uint32_t pos : difference(other.positions, chosen.positions)) d.added_fragments.push_back(p.by_id[pos]);
  for (std::uint32_t pos : difference(chosen.positions, other.positions)) d.removed_fragments.push_back(p.by_id[pos]);
  d.gained_resolved = difference(alt.set.resolved, base.resolved);
  d.lost_resolved = difference(base.resolved, alt.set.resolved);
  d.gained_groups = difference(alt.set.groups, base.groups);
  d.lost_groups = difference(base.groups, alt.set.groups);
  // On the grid the order compares at (-0 made 0), so a tie reads 0 rather than a rounding residue.
  d.expected_change = std::round((other.expected - chosen.expected) / kCoverageResolution) * kCoverageResolution + 0.0;
  d.cd4_change = other.cd4 - chosen.cd4;
  d.cd8_change = other.cd8 - chosen.cd8;
  return alt;
}

}  // namespace

std::string_view product_method_name(ProductMethod method) noexcept {
  return method == ProductMethod::kExact ? "exact" : "greedy";
}

ProductSet evaluate_product(const std::vector<ProductCandidate>& candidates, const std::vector<ProductGroup>& groups,
                            std::vector<std::uint32_t> fragments, std::span<const double> weights) {
  const Prepared p = detail::prepare(candidates, groups, weights);
  std::vector<std::uint32_t> position_of(candidates.size());
  for (std::uint32_t pos = 0; pos < p.by_id.size(); ++pos) position_of[p.by_id[pos]] = pos;
  for (std::uint32_t& f : fragments) f = position_of.at(f);
  return to_product_set(p, candidates, Scorer(p)(std::move(fragments)));
}

bool product_before(const std::vector<ProductCandidate>& candidates, const ProductSet& a, const ProductSet& b) {
  if (const int c = detail::compare_value({a.expected_neoantigens, a.resolved.size(), a.cd4_frequency, a.cd8_frequency},
                                          {b.expected_neoantigens, b.resolved.size(), b.cd4_frequency, b.cd8_frequency}))
    return c < 0;
  const auto ids = [&](const ProductSet& s) {
    std::vector<std::string> out;
    for (std::uint32_t f : s.fragments) out.push_back(candidates[f].fragment_id);
    return out;
  };
  const auto ida = ids(a), idb = ids(b);
  if (ida.size() != idb.size()) return ida.size() < idb.size();
  return ida < idb;
}

ProductChoice choose_product(const std::vector<ProductCandidate>& candidates, const std::vector<ProductGroup>& groups,
                             const ProductParams& params, std::span<const double> weights) {
  if (params.max_fragments < 1) throw std::invalid_argument("choose_product: max_fragments must be >= 1");
  if (params.alternatives < 0) throw std::invalid_argument("choose_product: alternatives must be >= 0");
  const Prepared p = detail::prepare(candidates, groups, weights);
  ProductChoice out;
  const std::size_t n = candidates.size();
  if (n == 0) return out;
  const std::size_t k = std::min(n, static_cast<std::size_t>(params.max_fragments));

  Scored chosen;
  std::vector<Scored> others;
  if (detail::count_sets(n, k, kExactSetBudget) <= kExactSetBudget) {
    out.method = ProductMethod::kExact;
    const std::vector<Scored> top = detail::exact_search(p, k, 1 + static_cast<std::size_t>(params.alternatives));
    chosen = top.front();
    others.assign(top.begin() + 1, top.end());
  } else {
    out.method = ProductMethod::kGreedy;
    chosen = detail::greedy_search(p, k);
  }
  out.chosen = to_product_set(p, candidates, chosen);
  for (const Scored& s : others) out.alternatives.push_back(compare(p, candidates, chosen, s));

  Scorer score(p);
  std::vector<char> in(n, 0);
  for (std::uint32_t pos : chosen.positions) in[pos] = 1;
  for (std::uint32_t pos = 0; pos < n; ++pos) {
    if (in[pos]) continue;
    FragmentOption option;
    option.fragment = p.by_id[pos];
    Scored best;
    if (chosen.positions.size() < k) {
      std::vector<std::uint32_t> v = chosen.positions;
      v.push_back(pos);
      best = score(std::move(v));
    } else {
      for (std::size_t i = 0; i < chosen.positions.size(); ++i) {
        std::vector<std::uint32_t> v = chosen.positions;
        v[i] = pos;
        Scored s = score(std::move(v));
        if (i == 0 || detail::before(s, best)) {
          best = std::move(s);
          option.replaces = p.by_id[chosen.positions[i]];
        }
      }
    }
    option.option = compare(p, candidates, chosen, best);
    out.left_out.push_back(std::move(option));
  }
  return out;
}

}  // namespace tilmatch::screen
