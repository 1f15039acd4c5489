#include "screen/product_search.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace tilmatch::screen::detail {
namespace {

/// Relative margin added to frequency bounds: a bound sums in search order while a set's value
/// sums in id order, and the two roundings may differ by a few ulps (far below 1e-12).
constexpr double kBoundMargin = 1e-12;
/// Unit roundoff of double, with room: the error of a sum or product of m terms is at most about
/// m times this, relative to its magnitude (Higham, Accuracy and Stability of Numerical Algorithms,
/// 2nd ed., 2002, sections 3.1 and 4.2).
constexpr double kRoundoff = 2.3e-16;

template <class T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

/// A value on a grid; monotone, so bounds stay bounds.
long long grid(double value, double resolution) { return std::llround(value / resolution); }
long long coverage_grid(double expected) { return grid(expected, kCoverageResolution); }
long long frequency_grid(double frequency) { return grid(frequency, kFrequencyResolution); }

/// E of the set holding `groups` (ascending, distinct), summed in one fixed order (each neoantigen's
/// product over ascending group ids, then the sum over ascending neoantigens), so the value of a set
/// never depends on how it was reached. `miss` and `seen` are scratch of p.neoantigens entries.
double expected_coverage(const Prepared& p, const std::vector<std::uint32_t>& groups, std::vector<double>& miss,
                         std::vector<char>& seen) {
  std::vector<std::uint32_t> touched;
  for (std::uint32_t g : groups)
    for (std::uint32_t n : p.members[g]) {
      if (!seen[n]) seen[n] = 1, miss[n] = 1.0, touched.push_back(n);
      miss[n] *= p.miss[g];
    }
  std::sort(touched.begin(), touched.end());
  double e = 0;
  for (std::uint32_t n : touched) {
    e += 1.0 - miss[n];
    seen[n] = 0;
  }
  return e;
}

std::vector<std::uint32_t> groups_of_set(const Prepared& p, const std::vector<std::uint32_t>& positions) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t pos : positions) out.insert(out.end(), p.groups_of[pos].begin(), p.groups_of[pos].end());
  sort_unique(out);
  return out;
}

/// Sums of cd4 and cd8 over `sorted` positions, in that order.
std::pair<double, double> sums(const Prepared& p, const std::vector<std::uint32_t>& sorted) {
  double cd4 = 0, cd8 = 0;
  for (std::uint32_t pos : sorted) {
    cd4 += p.cd4[pos];
    cd8 += p.cd8[pos];
  }
  return {cd4, cd8};
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
///
/// Why the bound holds. Write f_g = 1 - 1/|g| in [0, 1) and F(T) = sum_n [1 - prod_{g in T, n in g} f_g]
/// for a set T of groups; E(S) = F(G(S)) with G(S) the union of the groups of S's cultures.
///  - F is monotone: a new group multiplies some products by factors <= 1.
///  - F is submodular: the gain of a group h at T is (1 - f_h) sum_{n in h} prod_{g in T, n in g} f_g,
///    which can only shrink when T grows (more factors <= 1).
///  - So is E over cultures: for S within S' and a culture c, add the groups of c missing from G(S')
///    first; each gains at least as much at G(S) as at G(S') (submodularity), and the groups of c
///    already in G(S') but not in G(S) gain >= 0 at G(S) (monotonicity). Hence
///    E(S + c) - E(S) >= E(S' + c) - E(S').
///  - For a set T of a cultures added to S, adding them one at a time and bounding each gain by its
///    gain at S: E(S + T) <= E(S) + sum_{c in T} [E(S + c) - E(S)] <= E(S) + (the a largest such gains
///    over the cultures that may still join); and E(S + T) <= E(S + all of them) by monotonicity.
///  - Per neoantigen n, with m_n its running miss (the product over S's groups) and, for a culture c,
///    h_cn = 1 - prod over c's groups not in G(S) holding n of f_g (the chance that c alone draws n):
///    T gains m_n [1 - prod over T's new groups holding n of f_g] <= m_n [1 - prod_{c in T} (1 - h_cn)]
///    on n (a group two cultures of T share enters the right-hand product twice, lowering it), and
///    that is at most m_n [1 - prod over the a largest h_cn of the suffix of (1 - h)]. Summed over n,
///    a third bound, exact when the cultures are alike (six cultures positive for one TMG), where the
///    sum of gains overcounts.
/// The running value and gains are sums taken in search order, so the bound is widened by the rounding
/// margin of Prepared::coverage_margin before it is compared on the grid.
class ExactSearch {
 public:
  ExactSearch(const Prepared& p, std::size_t k, std::size_t keep)
      : p_(p), k_(k), top_(keep), scorer_(p), miss_(p.neoantigens, 1.0), scratch_(p.neoantigens, 1.0),
        own_(p.neoantigens, 1.0), touched_mark_(p.neoantigens, 0), count_(p.members.size(), 0),
        group_mark_(p.members.size(), 0), draws_(p.neoantigens * k, 0.0), draw_count_(p.neoantigens, 0) {
    const std::size_t n = p.by_id.size();
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), 0u);
    std::vector<double> alone(n, 0);
    for (std::uint32_t pos = 0; pos < n; ++pos) alone[pos] = scorer_({pos}).expected;
    std::sort(order_.begin(), order_.end(), [&](std::uint32_t a, std::uint32_t b) {
      if (alone[a] != alone[b]) return alone[a] > alone[b];
      if (p.cd4[a] != p.cd4[b]) return p.cd4[a] > p.cd4[b];
      if (p.cd8[a] != p.cd8[b]) return p.cd8[a] > p.cd8[b];
      return a < b;
    });
    // best_sum4_[s * (k + 1) + a]: sum of the a largest cd4 among order_[s..n).
    best_sum4_ = suffix_best(p.cd4);
    best_sum8_ = suffix_best(p.cd8);
  }

  TopSets run() {
    std::vector<std::uint32_t> chosen;
    descend(0, chosen, 0.0, 0.0, 0.0);
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

  /// Applies the groups of `pos` that are neither in the set nor already applied to `scratch_`, a
  /// copy of the running misses on the neoantigens touched since the last clear_scratch(); `own_`
  /// gets the product of the applied groups' misses alone.
  void apply_to_scratch(std::uint32_t pos) {
    for (std::uint32_t g : p_.groups_of[pos]) {
      if (count_[g] > 0 || group_mark_[g]) continue;
      group_mark_[g] = 1;
      marked_.push_back(g);
      for (std::uint32_t n : p_.members[g]) {
        if (!touched_mark_[n]) touched_mark_[n] = 1, scratch_[n] = miss_[n], own_[n] = 1.0, touched_.push_back(n);
        scratch_[n] *= p_.miss[g];
        own_[n] *= p_.miss[g];
      }
    }
  }

  /// Records, per neoantigen the last applied culture touched, its chance 1 - own_ of drawing it
  /// among the `most` largest of the suffix (descending).
  void record_draws(std::size_t most) {
    for (std::uint32_t n : touched_) {
      double h = 1.0 - own_[n];
      if (draw_count_[n] == 0) drawn_.push_back(n);
      double* top = draws_.data() + n * k_;
      std::uint8_t& count = draw_count_[n];
      if (count == most && top[most - 1] >= h) continue;
      std::size_t i = count < most ? count++ : most - 1;
      for (; i > 0 && top[i - 1] < h; --i) top[i] = top[i - 1];
      top[i] = h;
    }
  }

  /// draw_bound_[a] for a = 1..most: sum over drawn neoantigens of miss (1 - prod over its a largest
  /// draws of (1 - h)); clears the draws.
  void draw_bounds(std::size_t most) {
    draw_bound_.assign(most + 1, 0.0);
    for (std::uint32_t n : drawn_) {
      const double* top = draws_.data() + n * k_;
      double none = 1.0;
      for (std::size_t a = 1; a <= most; ++a) {
        if (a <= draw_count_[n]) none *= 1.0 - top[a - 1];
        draw_bound_[a] += miss_[n] * (1.0 - none);
      }
      draw_count_[n] = 0;
    }
    drawn_.clear();
  }

  /// E(S + what was applied) - E(S).
  double scratch_gain() const {
    double gain = 0;
    for (std::uint32_t n : touched_) gain += miss_[n] - scratch_[n];
    return gain;
  }

  void clear_scratch() {
    for (std::uint32_t n : touched_) touched_mark_[n] = 0;
    for (std::uint32_t g : marked_) group_mark_[g] = 0;
    touched_.clear();
    marked_.clear();
  }

  /// True when no set made by adding a >= 1 positions of order_[s..] to `chosen` can enter the
  /// top list. For each a, its expected coverage is bounded as the class comment proves, its resolved
  /// neoantigens by those of `chosen` and the whole suffix, and its frequencies by the a largest of the suffix; where the bound ties the worst listed set, size and
  /// then ids decide, and the smallest id list reachable is `chosen` plus the a smallest positions.
  bool prune(std::size_t s, const std::vector<std::uint32_t>& chosen, double value, double sum4, double sum8) {
    if (!top_.full()) return false;
    const Scored& worst = top_.worst();
    const std::size_t size = chosen.size();
    const std::size_t most = std::min(k_ - size, order_.size() - s);
    gains_.clear();
    for (std::size_t j = s; j < order_.size(); ++j) {
      apply_to_scratch(order_[j]);
      gains_.push_back(scratch_gain());
      record_draws(most);
      clear_scratch();
    }
    draw_bounds(most);
    for (std::size_t j = s; j < order_.size(); ++j) apply_to_scratch(order_[j]);
    const double all = scratch_gain();  // every culture that may still join, at once
    clear_scratch();
    const auto most_d = static_cast<std::ptrdiff_t>(most);
    std::partial_sort(gains_.begin(), gains_.begin() + most_d, gains_.end(), std::greater<>());
    smallest_.assign(order_.begin() + static_cast<std::ptrdiff_t>(s), order_.end());
    std::partial_sort(smallest_.begin(), smallest_.begin() + most_d, smallest_.end());

    const long long worst_e = coverage_grid(worst.expected);
    const std::size_t certain_max = certain_bound(s, chosen);
    double gained = 0;
    for (std::size_t a = 1; a <= most; ++a) {
      gained += gains_[a - 1];
      const double bound = value + std::min({gained, all, draw_bound_[a]});
      const long long e_bound = coverage_grid(bound + p_.coverage_margin(bound));
      const auto n = static_cast<double>(size + a);
      const long long cd4_bound = frequency_grid((sum4 + best_sum4_[s * (k_ + 1) + a]) / n * (1.0 + kBoundMargin));
      const long long cd8_bound = frequency_grid((sum8 + best_sum8_[s * (k_ + 1) + a]) / n * (1.0 + kBoundMargin));
      if (e_bound != worst_e) {
        if (e_bound > worst_e) return false;
        continue;
      }
      if (certain_max != worst.certain) {
        if (certain_max > worst.certain) return false;
        continue;
      }
      if (cd4_bound != frequency_grid(worst.cd4)) {
        if (cd4_bound > frequency_grid(worst.cd4)) return false;
        continue;
      }
      if (cd8_bound != frequency_grid(worst.cd8)) {
        if (cd8_bound > frequency_grid(worst.cd8)) return false;
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

  /// Resolved neoantigens of `chosen` and every culture of order_[s..] together: no set between them
  /// covers more.
  std::size_t certain_bound(std::size_t s, const std::vector<std::uint32_t>& chosen) {
    certain_.clear();
    const auto add = [&](std::uint32_t pos) {
      for (std::uint32_t g : p_.groups_of[pos])
        if (g >= p_.first_certain) certain_.push_back(g);
    };
    for (std::uint32_t pos : chosen) add(pos);
    for (std::size_t j = s; j < order_.size(); ++j) add(order_[j]);
    sort_unique(certain_);
    return certain_.size();
  }

  /// Offers the current set (running value `value`), scoring it canonically only when it may enter
  /// the top list.
  void offer(const std::vector<std::uint32_t>& chosen, double value) {
    if (top_.full()) {
      const Scored& w = top_.worst();
      if (coverage_grid(value + p_.coverage_margin(value)) < coverage_grid(w.expected)) return;
    }
    Scored s = scorer_(chosen);
    if (top_.full()) {
      const Scored& w = top_.worst();
      const int c = compare_value(value_of(s), value_of(w));
      if (c > 0 || (c == 0 && s.positions.size() > w.positions.size())) return;
    }
    top_.offer(std::move(s));
  }

  /// Adds the groups of `pos` to the running misses; returns the gain. undo_ keeps what to restore.
  double push(std::uint32_t pos) {
    double gain = 0;
    for (std::uint32_t g : p_.groups_of[pos]) {
      if (count_[g]++ > 0) continue;
      for (std::uint32_t n : p_.members[g]) {
        undo_.emplace_back(n, miss_[n]);
        const double next = miss_[n] * p_.miss[g];
        gain += miss_[n] - next;
        miss_[n] = next;
      }
    }
    return gain;
  }

  void pop(std::uint32_t pos, std::size_t undo_mark) {
    for (std::uint32_t g : p_.groups_of[pos]) --count_[g];
    while (undo_.size() > undo_mark) {
      miss_[undo_.back().first] = undo_.back().second;
      undo_.pop_back();
    }
  }

  void descend(std::size_t s, std::vector<std::uint32_t>& chosen, double value, double sum4, double sum8) {
    for (std::size_t j = s; j < order_.size(); ++j) {
      const std::uint32_t pos = order_[j];
      const std::size_t undo_mark = undo_.size();
      const double v = value + push(pos);
      chosen.push_back(pos);
      offer(chosen, v);
      const double s4 = sum4 + p_.cd4[pos], s8 = sum8 + p_.cd8[pos];
      if (chosen.size() < k_ && j + 1 < order_.size() && !prune(j + 1, chosen, v, s4, s8))
        descend(j + 1, chosen, v, s4, s8);
      chosen.pop_back();
      pop(pos, undo_mark);
    }
  }

  const Prepared& p_;
  std::size_t k_;
  TopSets top_;
  Scorer scorer_;
  std::vector<std::uint32_t> order_;
  std::vector<double> best_sum4_, best_sum8_;
  std::vector<double> miss_;            ///< per neoantigen: the running product of misses
  std::vector<double> scratch_;         // scratch of apply_to_scratch()
  std::vector<double> own_;             // scratch of apply_to_scratch()
  std::vector<char> touched_mark_;      // scratch of apply_to_scratch()
  std::vector<std::uint32_t> touched_;  // scratch of apply_to_scratch()
  std::vector<int> count_;              ///< per group: cultures of the current set showing it
  std::vector<char> group_mark_;        // scratch of apply_to_scratch()
  std::vector<std::uint32_t> marked_;   // scratch of apply_to_scratch()
  std::vector<std::pair<std::uint32_t, double>> undo_;  ///< (neoantigen, miss before) per push
  std::vector<double> draws_;              // per neoantigen, k slots: scratch of record_draws()
  std::vector<std::uint8_t> draw_count_;   // scratch of record_draws()
  std::vector<std::uint32_t> drawn_;       // scratch of record_draws()
  std::vector<double> draw_bound_;         // of draw_bounds()
  std::vector<double> gains_;                     // scratch of prune()
  std::vector<std::uint32_t> smallest_, lexmin_;  // scratch of prune()
  std::vector<std::uint32_t> certain_;            // scratch of certain_bound()
};

}  // namespace

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

Prepared prepare(const std::vector<ProductCandidate>& candidates, const std::vector<ProductGroup>& groups,
                 std::span<const double> weights) {
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
  for (std::size_t g = 0; g < groups.size(); ++g) {
    std::vector<std::uint32_t> sorted = groups[g];
    sort_unique(sorted);
    if (groups[g].empty() || sorted.size() != groups[g].size())
      throw std::invalid_argument("choose_product: group " + std::to_string(g) +
                                  " is empty or lists a neoantigen twice");
  }
  if (!weights.empty() && weights.size() != groups.size())
    throw std::invalid_argument("choose_product: " + std::to_string(weights.size()) + " group weights for " +
                                std::to_string(groups.size()) + " groups");
  for (const double w : weights)
    if (!(w > 0.0 && w <= 1.0)) throw std::invalid_argument("choose_product: a group weight is outside (0, 1]");
  std::vector<char> shown(groups.size(), 0);
  std::vector<std::uint32_t> neoantigens, resolved;
  for (const ProductCandidate& c : candidates) {
    for (double f : {c.cd4_frequency, c.cd8_frequency})
      if (!(f >= 0.0 && f <= 1.0))
        throw std::invalid_argument("choose_product: fragment '" + c.fragment_id +
                                    "' has a reactive frequency outside [0, 1]");
    for (std::uint32_t g : c.groups) {
      if (g >= groups.size())
        throw std::invalid_argument("choose_product: fragment '" + c.fragment_id + "' names group " +
                                    std::to_string(g) + " of " + std::to_string(groups.size()));
      shown[g] = 1;
      neoantigens.insert(neoantigens.end(), groups[g].begin(), groups[g].end());
    }
    resolved.insert(resolved.end(), c.resolved.begin(), c.resolved.end());
  }
  neoantigens.insert(neoantigens.end(), resolved.begin(), resolved.end());
  sort_unique(neoantigens);
  sort_unique(resolved);
  p.neoantigens = neoantigens.size();
  const auto dense = [&](std::uint32_t n) {
    const auto at = std::lower_bound(neoantigens.begin(), neoantigens.end(), n);
    return static_cast<std::uint32_t>(at - neoantigens.begin());
  };
  std::vector<std::uint32_t> group_id(groups.size(), 0);
  std::size_t total_members = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (!shown[g]) continue;
    group_id[g] = static_cast<std::uint32_t>(p.members.size());
    std::vector<std::uint32_t> m;
    for (std::uint32_t n : groups[g]) m.push_back(dense(n));
    std::sort(m.begin(), m.end());
    // (|g| - 1) / |g| at weight 1: exact for |g| = 1 (0) and a power of two, correctly rounded otherwise.
    const double w = weights.empty() ? 1.0 : weights[g];
    p.miss.push_back(w == 1.0 ? static_cast<double>(m.size() - 1) / static_cast<double>(m.size())
                              : 1.0 - w / static_cast<double>(m.size()));
    total_members += m.size();
    p.members.push_back(std::move(m));
  }
  const std::uint32_t first_resolved = static_cast<std::uint32_t>(p.members.size());
  p.first_certain = first_resolved;
  for (std::uint32_t n : resolved) {
    p.members.push_back({dense(n)});
    p.miss.push_back(0.0);
    ++total_members;
  }
  p.groups_of.resize(candidates.size());
  for (std::size_t pos = 0; pos < p.by_id.size(); ++pos) {
    const ProductCandidate& c = candidates[p.by_id[pos]];
    std::vector<std::uint32_t>& mine = p.groups_of[pos];
    for (std::uint32_t g : c.groups) mine.push_back(group_id[g]);
    for (std::uint32_t n : c.resolved)
      mine.push_back(first_resolved +
                     static_cast<std::uint32_t>(std::lower_bound(resolved.begin(), resolved.end(), n) -
                                                resolved.begin()));
    sort_unique(mine);
    p.cd4.push_back(c.cd4_frequency);
    p.cd8.push_back(c.cd8_frequency);
  }
  // E and its increments are sums of at most `neoantigens` terms in [0, 1] and products of at most
  // `total_members` factors: each rounds by at most (terms) x kRoundoff relative to E + 1.
  p.margin = 4.0 * static_cast<double>(p.neoantigens + total_members + 1) * kRoundoff;
  return p;
}

int compare_value(const Value& a, const Value& b) {
  if (coverage_grid(a.expected) != coverage_grid(b.expected))
    return coverage_grid(a.expected) > coverage_grid(b.expected) ? -1 : 1;
  if (a.certain != b.certain) return a.certain > b.certain ? -1 : 1;
  if (frequency_grid(a.cd4) != frequency_grid(b.cd4)) return frequency_grid(a.cd4) > frequency_grid(b.cd4) ? -1 : 1;
  if (frequency_grid(a.cd8) != frequency_grid(b.cd8)) return frequency_grid(a.cd8) > frequency_grid(b.cd8) ? -1 : 1;
  return 0;
}

bool before(const Scored& a, const Scored& b) {
  if (const int c = compare_value(value_of(a), value_of(b))) return c < 0;
  if (a.positions.size() != b.positions.size()) return a.positions.size() < b.positions.size();
  return a.positions < b.positions;
}

Scored Scorer::operator()(std::vector<std::uint32_t> positions) {
  std::sort(positions.begin(), positions.end());
  Scored s;
  const std::vector<std::uint32_t> groups = groups_of_set(p_, positions);
  s.expected = expected_coverage(p_, groups, miss_, seen_);
  s.certain = static_cast<std::size_t>(
      groups.end() - std::lower_bound(groups.begin(), groups.end(), p_.first_certain));
  if (!positions.empty()) {
    const auto [cd4, cd8] = sums(p_, positions);
    s.cd4 = cd4 / static_cast<double>(positions.size());
    s.cd8 = cd8 / static_cast<double>(positions.size());
  }
  s.positions = std::move(positions);
  return s;
}

std::vector<Scored> exact_search(const Prepared& p, std::size_t k, std::size_t keep) {
  return ExactSearch(p, k, keep).run().sets();
}

/// Greedy ascent from the best single fragment: repeatedly moves to the best set one change away
/// (add a fragment while there is room, swap one, or drop one) while that set ranks better.
Scored greedy_search(const Prepared& p, std::size_t k) {
  const std::size_t n = p.by_id.size();
  Scorer score(p);
  Scored current;
  // Each accepted move strictly improves the set in a total order over finitely many sets.
  for (;;) {
    std::vector<char> in(n, 0);
    for (std::uint32_t pos : current.positions) in[pos] = 1;
    std::optional<Scored> best;
    const auto consider = [&](std::vector<std::uint32_t> positions) {
      Scored s = score(std::move(positions));
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

}  // namespace tilmatch::screen::detail
