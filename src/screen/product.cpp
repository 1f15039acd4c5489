#include "screen/product.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <iterator>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <utility>

namespace tilmatch::screen {
namespace {

/// Relative margin added to frequency bounds: a bound sums in search order while a set's value
/// sums in id order, and the two roundings may differ by a few ulps (far below 1e-12).
constexpr double kBoundMargin = 1e-12;

/// Number of sets of 1..k out of n, or cap + 1 once it exceeds cap.
std::uint64_t count_sets(std::uint64_t n, std::uint64_t k, std::uint64_t cap) {
  std::uint64_t total = 0, c = 1;  // c = C(n, i)
  for (std::uint64_t i = 1; i <= k && i <= n; ++i) {
    // Exact: C(n, i-1) * (n-i+1) is divisible by i; no overflow since c <= cap here.
    c = c * (n - i + 1) / i;
    total += c;
    if (total > cap) return cap + 1;
  }
  return total;
}

/// The candidates in fragment-id order with dense neoantigen bitsets.
struct Prepared {
  std::vector<std::uint32_t> by_id;  ///< position -> candidate index
  std::size_t words = 0;
  std::vector<std::uint64_t> bits;   ///< position * words
  std::vector<std::uint32_t> dense_to_neoantigen;
  std::vector<double> cd4, cd8;      ///< by position
  const std::uint64_t* cover(std::size_t pos) const { return bits.data() + pos * words; }
};

Prepared prepare(const std::vector<ProductCandidate>& candidates) {
  Prepared p;
  p.by_id.resize(candidates.size());
  std::iota(p.by_id.begin(), p.by_id.end(), 0u);
  std::sort(p.by_id.begin(), p.by_id.end(), [&](std::uint32_t a, std::uint32_t b) {
    return candidates[a].fragment_id < candidates[b].fragment_id;
  });
  for (std::size_t i = 1; i < p.by_id.size(); ++i)
    if (candidates[p.by_id[i]].fragment_id == candidates[p.by_id[i - 1]].fragment_id)
      throw std::invalid_argument("choose_product: fragment '" + candidates[p.by_id[i]].fragment_id +
                                  "' is listed twice");
  for (const ProductCandidate& c : candidates) {
    for (double f : {c.cd4_frequency, c.cd8_frequency})
      if (!(f >= 0.0 && f <= 1.0))
        throw std::invalid_argument("choose_product: fragment '" + c.fragment_id +
                                    "' has a reactive frequency outside [0, 1]");
    p.dense_to_neoantigen.insert(p.dense_to_neoantigen.end(), c.neoantigens.begin(), c.neoantigens.end());
  }
  std::sort(p.dense_to_neoantigen.begin(), p.dense_to_neoantigen.end());
  p.dense_to_neoantigen.erase(std::unique(p.dense_to_neoantigen.begin(), p.dense_to_neoantigen.end()),
                              p.dense_to_neoantigen.end());
  p.words = (p.dense_to_neoantigen.size() + 63) / 64;
  p.bits.assign(candidates.size() * p.words, 0);
  for (std::size_t pos = 0; pos < p.by_id.size(); ++pos) {
    const ProductCandidate& c = candidates[p.by_id[pos]];
    for (std::uint32_t n : c.neoantigens) {
      const auto d = static_cast<std::size_t>(
          std::lower_bound(p.dense_to_neoantigen.begin(), p.dense_to_neoantigen.end(), n) -
          p.dense_to_neoantigen.begin());
      p.bits[pos * p.words + d / 64] |= std::uint64_t{1} << (d % 64);
    }
    p.cd4.push_back(c.cd4_frequency);
    p.cd8.push_back(c.cd8_frequency);
  }
  return p;
}

/// A set by positions (ascending) and its value.
struct Scored {
  std::vector<std::uint32_t> positions;
  int covered = 0;
  double cd4 = 0, cd8 = 0;
};

/// A frequency on the grid of kFrequencyResolution; monotone, so bounds stay bounds.
long long grid(double frequency) { return std::llround(frequency / kFrequencyResolution); }

/// Compares (covered, cd4, cd8) descending: negative when a ranks first, 0 on a tie.
int compare_value(int covered_a, double cd4_a, double cd8_a, int covered_b, double cd4_b, double cd8_b) {
  if (covered_a != covered_b) return covered_a > covered_b ? -1 : 1;
  if (grid(cd4_a) != grid(cd4_b)) return grid(cd4_a) > grid(cd4_b) ? -1 : 1;
  if (grid(cd8_a) != grid(cd8_b)) return grid(cd8_a) > grid(cd8_b) ? -1 : 1;
  return 0;
}

/// The order of the file comment over position sets.
bool before(const Scored& a, const Scored& b) {
  if (const int c = compare_value(a.covered, a.cd4, a.cd8, b.covered, b.cd4, b.cd8)) return c < 0;
  if (a.positions.size() != b.positions.size()) return a.positions.size() < b.positions.size();
  return a.positions < b.positions;
}

/// Sums of cd4 and cd8 over `sorted` positions, in that order, so the value of a set never
/// depends on how it was reached.
std::pair<double, double> sums(const Prepared& p, const std::vector<std::uint32_t>& sorted) {
  double cd4 = 0, cd8 = 0;
  for (std::uint32_t pos : sorted) {
    cd4 += p.cd4[pos];
    cd8 += p.cd8[pos];
  }
  return {cd4, cd8};
}

Scored score(const Prepared& p, std::vector<std::uint32_t> positions) {
  std::sort(positions.begin(), positions.end());
  Scored s;
  std::vector<std::uint64_t> cover(p.words, 0);
  for (std::uint32_t pos : positions)
    for (std::size_t w = 0; w < p.words; ++w) cover[w] |= p.cover(pos)[w];
  for (std::uint64_t w : cover) s.covered += std::popcount(w);
  if (!positions.empty()) {
    const auto [cd4, cd8] = sums(p, positions);
    s.cd4 = cd4 / static_cast<double>(positions.size());
    s.cd8 = cd8 / static_cast<double>(positions.size());
  }
  s.positions = std::move(positions);
  return s;
}

/// The best `capacity` sets seen, best first.
class TopSets {
 public:
  explicit TopSets(std::size_t capacity) : capacity_(capacity) {}
  bool full() const noexcept { return sets_.size() == capacity_; }
  const Scored& worst() const { return sets_.back(); }
  const std::vector<Scored>& sets() const noexcept { return sets_; }
  void offer(Scored s) {
    if (full() && !before(s, sets_.back())) return;
    const auto at = std::upper_bound(sets_.begin(), sets_.end(), s, before);
    sets_.insert(at, std::move(s));
    if (sets_.size() > capacity_) sets_.pop_back();
  }

 private:
  std::size_t capacity_;
  std::vector<Scored> sets_;
};

/// Branch and bound over sets of 1..k positions, visited in a search order that puts promising
/// fragments first so that good sets are met early and bounds prune more.
class ExactSearch {
 public:
  ExactSearch(const Prepared& p, std::size_t k, std::size_t keep) : p_(p), k_(k), top_(keep) {
    const std::size_t n = p.by_id.size();
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), 0u);
    std::vector<int> size(n, 0);
    for (std::size_t pos = 0; pos < n; ++pos)
      for (std::size_t w = 0; w < p.words; ++w) size[pos] += std::popcount(p.cover(pos)[w]);
    std::sort(order_.begin(), order_.end(), [&](std::uint32_t a, std::uint32_t b) {
      if (size[a] != size[b]) return size[a] > size[b];
      if (p.cd4[a] != p.cd4[b]) return p.cd4[a] > p.cd4[b];
      if (p.cd8[a] != p.cd8[b]) return p.cd8[a] > p.cd8[b];
      return a < b;
    });
    // best_sum4_[s * (k + 1) + a]: sum of the a largest cd4 among order_[s..n).
    best_sum4_ = suffix_best(p.cd4);
    best_sum8_ = suffix_best(p.cd8);
    cover_.assign((k + 1) * p.words, 0);
  }

  TopSets run() {
    std::vector<std::uint32_t> chosen;
    descend(0, chosen, 0.0, 0.0);
    return std::move(top_);
  }

 private:
  std::vector<double> suffix_best(const std::vector<double>& value) const {
    const std::size_t n = order_.size();
    std::vector<double> out((n + 1) * (k_ + 1), 0.0);
    std::vector<double> best;  // the k largest of the suffix, descending
    for (std::size_t s = n; s-- > 0;) {
      const double v = value[order_[s]];
      best.insert(std::upper_bound(best.begin(), best.end(), v, std::greater<>()), v);
      if (best.size() > k_) best.pop_back();
      for (std::size_t a = 1; a <= k_; ++a)
        out[s * (k_ + 1) + a] = out[s * (k_ + 1) + a - 1] + (a <= best.size() ? best[a - 1] : 0.0);
    }
    return out;
  }

  /// True when no set made by adding a >= 1 positions of order_[s..] to `chosen` can enter the
  /// top list. For each a, the value of such sets is bounded by the a largest coverage gains and
  /// the a largest frequencies of the suffix; where the bound ties the worst listed set, size and
  /// then ids decide, and the smallest id list reachable is `chosen` plus the a smallest positions.
  bool prune(std::size_t s, const std::vector<std::uint32_t>& chosen, const std::uint64_t* cover, double sum4,
             double sum8) {
    if (!top_.full()) return false;
    const Scored& worst = top_.worst();
    const std::size_t size = chosen.size();
    const std::size_t most = std::min(k_ - size, order_.size() - s);
    int covered = 0;
    for (std::size_t w = 0; w < p_.words; ++w) covered += std::popcount(cover[w]);
    gains_.clear();
    union_.assign(cover, cover + p_.words);
    for (std::size_t j = s; j < order_.size(); ++j) {
      const std::uint64_t* c = p_.cover(order_[j]);
      int g = 0;
      for (std::size_t w = 0; w < p_.words; ++w) {
        g += std::popcount(c[w] & ~cover[w]);
        union_[w] |= c[w];
      }
      gains_.push_back(g);
    }
    const auto most_d = static_cast<std::ptrdiff_t>(most);
    std::partial_sort(gains_.begin(), gains_.begin() + most_d, gains_.end(), std::greater<>());
    int union_size = 0;
    for (std::uint64_t w : union_) union_size += std::popcount(w);
    smallest_.assign(order_.begin() + static_cast<std::ptrdiff_t>(s), order_.end());
    std::partial_sort(smallest_.begin(), smallest_.begin() + most_d, smallest_.end());

    int gained = 0;
    for (std::size_t a = 1; a <= most; ++a) {
      gained += gains_[a - 1];
      const int cover_bound = std::min(union_size, covered + gained);
      const auto n = static_cast<double>(size + a);
      const long long cd4_bound = grid((sum4 + best_sum4_[s * (k_ + 1) + a]) / n * (1.0 + kBoundMargin));
      const long long cd8_bound = grid((sum8 + best_sum8_[s * (k_ + 1) + a]) / n * (1.0 + kBoundMargin));
      if (cover_bound != worst.covered) {
        if (cover_bound > worst.covered) return false;
        continue;
      }
      if (cd4_bound != grid(worst.cd4)) {
        if (cd4_bound > grid(worst.cd4)) return false;
        continue;
      }
      if (cd8_bound != grid(worst.cd8)) {
        if (cd8_bound > grid(worst.cd8)) return false;
        continue;
      }
      if (size + a < worst.positions.size()) return false;
      if (size + a > worst.positions.size()) continue;
      lexmin_.assign(chosen.begin(), chosen.end());
      lexmin_.insert(lexmin_.end(), smallest_.begin(), smallest_.begin() + static_cast<std::ptrdiff_t>(a));
      std::sort(lexmin_.begin(), lexmin_.end());
      if (lexmin_ < worst.positions) return false;
    }
    return true;
  }

  /// Offers the current set, building it only when it can enter the top list.
  void offer(const std::vector<std::uint32_t>& chosen, const std::uint64_t* cover) {
    sorted_.assign(chosen.begin(), chosen.end());
    std::sort(sorted_.begin(), sorted_.end());
    Scored s;
    for (std::size_t w = 0; w < p_.words; ++w) s.covered += std::popcount(cover[w]);
    const auto [cd4, cd8] = sums(p_, sorted_);
    s.cd4 = cd4 / static_cast<double>(sorted_.size());
    s.cd8 = cd8 / static_cast<double>(sorted_.size());
    if (top_.full()) {
      const Scored& w = top_.worst();
      const int c = compare_value(s.covered, s.cd4, s.cd8, w.covered, w.cd4, w.cd8);
      if (c > 0 || (c == 0 && sorted_.size() > w.positions.size())) return;
    }
    s.positions = sorted_;
    top_.offer(std::move(s));
  }

  void descend(std::size_t s, std::vector<std::uint32_t>& chosen, double sum4, double sum8) {
    const std::size_t depth = chosen.size();
    const std::uint64_t* parent = cover_.data() + depth * p_.words;
    std::uint64_t* mine = cover_.data() + (depth + 1) * p_.words;
    for (std::size_t j = s; j < order_.size(); ++j) {
      const std::uint32_t pos = order_[j];
      for (std::size_t w = 0; w < p_.words; ++w) mine[w] = parent[w] | p_.cover(pos)[w];
      chosen.push_back(pos);
      offer(chosen, mine);
      const double s4 = sum4 + p_.cd4[pos], s8 = sum8 + p_.cd8[pos];
      if (chosen.size() < k_ && j + 1 < order_.size() && !prune(j + 1, chosen, mine, s4, s8))
        descend(j + 1, chosen, s4, s8);
      chosen.pop_back();
    }
  }

  const Prepared& p_;
  std::size_t k_;
  TopSets top_;
  std::vector<std::uint32_t> order_;
  std::vector<double> best_sum4_, best_sum8_;
  std::vector<std::uint64_t> cover_;  ///< (k + 1) levels of the running cover
  std::vector<int> gains_;              // scratch of prune()
  std::vector<std::uint64_t> union_;    // scratch of prune()
  std::vector<std::uint32_t> smallest_, lexmin_;  // scratch of prune()
  std::vector<std::uint32_t> sorted_;   // scratch of offer()
};

/// Greedy ascent from the best single fragment: repeatedly moves to the best set one change away
/// (add a fragment while there is room, swap one, or drop one) while that set ranks better.
Scored greedy(const Prepared& p, std::size_t k) {
  const std::size_t n = p.by_id.size();
  Scored current;
  // Each accepted move strictly improves the set in a total order over finitely many sets.
  for (;;) {
    std::vector<char> in(n, 0);
    for (std::uint32_t pos : current.positions) in[pos] = 1;
    std::optional<Scored> best;
    const auto consider = [&](std::vector<std::uint32_t> positions) {
      Scored s = score(p, std::move(positions));
      if (!best || before(s, *best)) best = std::move(s);
    };
    for (std::uint32_t j = 0; j < n; ++j) {
      if (in[j]) continue;
      if (current.positions.size() < k) {
        std::vector<std::uint32_t> v = current.positions;
        v.push_back(j);
        consider(std::move(v));
      }
      for (std::size_t i = 0; i < current.positions.size(); ++i) {
        std::vector<std::uint32_t> v = current.positions;
        v[i] = j;
        consider(std::move(v));
      }
    }
    for (std::size_t i = 0; current.positions.size() > 1 && i < current.positions.size(); ++i) {
      std::vector<std::uint32_t> v = current.positions;
      v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
      consider(std::move(v));
    }
    if (!best || (!current.positions.empty() && !before(*best, current))) return current;
    current = std::move(*best);
  }
}

ProductSet to_product_set(const Prepared& p, const Scored& s) {
  ProductSet out;
  std::vector<std::uint64_t> cover(p.words, 0);
  for (std::uint32_t pos : s.positions) {
    out.fragments.push_back(p.by_id[pos]);
    for (std::size_t w = 0; w < p.words; ++w) cover[w] |= p.cover(pos)[w];
  }
  for (std::size_t d = 0; d < p.dense_to_neoantigen.size(); ++d)
    if (cover[d / 64] >> (d % 64) & 1u) out.neoantigens.push_back(p.dense_to_neoantigen[d]);
  out.cd4_frequency = s.cd4;
  out.cd8_frequency = s.cd8;
  return out;
}

std::vector<std::uint32_t> difference(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  std::vector<std::uint32_t> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

ProductAlternative compare(const Prepared& p, const Scored& chosen, const Scored& other) {
  ProductAlternative alt;
  alt.set = to_product_set(p, other);
  const ProductSet base = to_product_set(p, chosen);
  for (std::uint32_t pos : difference(other.positions, chosen.positions))
    alt.versus_chosen.added_fragments.push_back(p.by_id[pos]);
  for (std::uint32_t pos : difference(chosen.positions, other.positions))
    alt.versus_chosen.removed_fragments.push_back(p.by_id[pos]);
  alt.versus_chosen.gained_neoantigens = difference(alt.set.neoantigens, base.neoantigens);
  alt.versus_chosen.lost_neoantigens = difference(base.neoantigens, alt.set.neoantigens);
  alt.versus_chosen.cd4_change = other.cd4 - chosen.cd4;
  alt.versus_chosen.cd8_change = other.cd8 - chosen.cd8;
  return alt;
}

}  // namespace

std::string_view product_method_name(ProductMethod method) noexcept {
  return method == ProductMethod::kExact ? "exact" : "greedy";
}

ProductSet evaluate_product(const std::vector<ProductCandidate>& candidates, std::vector<std::uint32_t> fragments) {
  const Prepared p = prepare(candidates);
  std::vector<std::uint32_t> position_of(candidates.size());
  for (std::uint32_t pos = 0; pos < p.by_id.size(); ++pos) position_of[p.by_id[pos]] = pos;
  for (std::uint32_t& f : fragments) f = position_of.at(f);
  return to_product_set(p, score(p, std::move(fragments)));
}

bool product_before(const std::vector<ProductCandidate>& candidates, const ProductSet& a, const ProductSet& b) {
  const auto as_scored = [&](const ProductSet& s) {
    Scored out{{}, static_cast<int>(s.neoantigens.size()), s.cd4_frequency, s.cd8_frequency};
    std::vector<std::string> ids;
    for (std::uint32_t f : s.fragments) ids.push_back(candidates[f].fragment_id);
    return std::pair(out, ids);
  };
  const auto [sa, ida] = as_scored(a);
  const auto [sb, idb] = as_scored(b);
  if (const int c = compare_value(sa.covered, sa.cd4, sa.cd8, sb.covered, sb.cd4, sb.cd8)) return c < 0;
  if (ida.size() != idb.size()) return ida.size() < idb.size();
  return ida < idb;
}

ProductChoice choose_product(const std::vector<ProductCandidate>& candidates, const ProductParams& params) {
  if (params.max_fragments < 1) throw std::invalid_argument("choose_product: max_fragments must be >= 1");
  if (params.alternatives < 0) throw std::invalid_argument("choose_product: alternatives must be >= 0");
  const Prepared p = prepare(candidates);
  ProductChoice out;
  const std::size_t n = candidates.size();
  if (n == 0) return out;
  const std::size_t k = std::min(n, static_cast<std::size_t>(params.max_fragments));

  Scored chosen;
  std::vector<Scored> others;
  if (count_sets(n, k, kExactSetBudget) <= kExactSetBudget) {
    out.method = ProductMethod::kExact;
    const TopSets top = ExactSearch(p, k, 1 + static_cast<std::size_t>(params.alternatives)).run();
    chosen = top.sets().front();
    others.assign(top.sets().begin() + 1, top.sets().end());
  } else {
    out.method = ProductMethod::kGreedy;
    chosen = greedy(p, k);
  }
  out.chosen = to_product_set(p, chosen);
  for (const Scored& s : others) out.alternatives.push_back(compare(p, chosen, s));

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
      best = score(p, std::move(v));
    } else {
      for (std::size_t i = 0; i < chosen.positions.size(); ++i) {
        std::vector<std::uint32_t> v = chosen.positions;
        v[i] = pos;
        Scored s = score(p, std::move(v));
        if (i == 0 || before(s, best)) {
          best = std::move(s);
          option.replaces = p.by_id[chosen.positions[i]];
        }
      }
    }
    option.option = compare(p, chosen, best);
    out.left_out.push_back(std::move(option));
  }
  return out;
}

}  // namespace tilmatch::screen
