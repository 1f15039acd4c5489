// Product choice: expected coverage on hand-made cases, the exact search against brute force on random
// instances (fixed, printed seed), a 48-fragment k = 6 instance, and the greedy fallback.

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "screen/product.hpp"

namespace tilmatch::screen {
namespace {

using Ids = std::vector<std::string>;
using Groups = std::vector<ProductGroup>;
using Indices = std::vector<std::uint32_t>;

ProductCandidate candidate(std::string id, Indices resolved, double cd4, double cd8 = 0, Indices groups = {}) {
  return {std::move(id), std::move(resolved), std::move(groups), cd4, cd8};
}

/// `prefix` followed by `n` (built by appending: GCC 12 warns falsely on "F" + std::to_string(n)).
std::string numbered(std::string_view prefix, long n) {
  std::string s(prefix);
  s += std::to_string(n);
  return s;
}

Ids ids_of(const std::vector<ProductCandidate>& c, const Indices& fragments) {
  Ids out;
  for (std::uint32_t f : fragments) out.push_back(c[f].fragment_id);
  return out;
}

/// The candidates' indices whose ids are `ids`.
Indices indices_of(const std::vector<ProductCandidate>& c, const Ids& ids) {
  Indices out;
  for (const std::string& id : ids)
    for (std::uint32_t i = 0; i < c.size(); ++i)
      if (c[i].fragment_id == id) out.push_back(i);
  return out;
}

TEST(ChooseProduct, CoverageFirstThenTheMeanCd4Frequency) {
  const std::vector<ProductCandidate> c = {candidate("F1", {0}, 0.2), candidate("F2", {0}, 0.1),
                                           candidate("F3", {1}, 0.0)};
  ProductParams params;
  params.max_fragments = 2;
  const ProductChoice choice = choose_product(c, {}, params);
  EXPECT_EQ(choice.method, ProductMethod::kExact);
  EXPECT_EQ(ids_of(c, choice.chosen.fragments), (Ids{"F1", "F3"}));
  EXPECT_EQ(choice.chosen.resolved, (Indices{0, 1}));
  EXPECT_TRUE(choice.chosen.groups.empty());
  EXPECT_DOUBLE_EQ(choice.chosen.expected_neoantigens, 2.0);
  EXPECT_DOUBLE_EQ(choice.chosen.cd4_frequency, 0.1);
  // The next best sets: {F2, F3} (both neoantigens, mean 0.05), then {F1} (one, 0.2).
  ASSERT_GE(choice.alternatives.size(), 2u);
  EXPECT_EQ(ids_of(c, choice.alternatives[0].set.fragments), (Ids{"F2", "F3"}));
  EXPECT_EQ(ids_of(c, choice.alternatives[0].versus_chosen.added_fragments), Ids{"F2"});
  EXPECT_EQ(ids_of(c, choice.alternatives[0].versus_chosen.removed_fragments), Ids{"F1"});
  EXPECT_DOUBLE_EQ(choice.alternatives[0].versus_chosen.cd4_change, -0.05);
  EXPECT_EQ(choice.alternatives[0].versus_chosen.expected_change, 0.0);
  EXPECT_EQ(ids_of(c, choice.alternatives[1].set.fragments), Ids{"F1"});
  EXPECT_EQ(choice.alternatives[1].versus_chosen.lost_resolved, Indices{1});
  EXPECT_DOUBLE_EQ(choice.alternatives[1].versus_chosen.expected_change, -1.0);
  // F2 is left out; swapping it for F1 keeps both neoantigens, for F3 loses one.
  ASSERT_EQ(choice.left_out.size(), 1u);
  EXPECT_EQ(c[choice.left_out[0].fragment].fragment_id, "F2");
  ASSERT_TRUE(choice.left_out[0].replaces.has_value());
  EXPECT_EQ(c[*choice.left_out[0].replaces].fragment_id, "F1");
  EXPECT_TRUE(choice.left_out[0].option.versus_chosen.lost_resolved.empty());
}

TEST(ChooseProduct, AWeakCultureThatAddsNothingIsLeftOutEvenWithRoom) {
  const std::vector<ProductCandidate> c = {candidate("F1", {0}, 0.2), candidate("F2", {0}, 0.1),
                                           candidate("F3", {1}, 0.0)};
  const ProductChoice choice = choose_product(c, {}, {3, 5});
  EXPECT_EQ(ids_of(c, choice.chosen.fragments), (Ids{"F1", "F3"}));
  ASSERT_EQ(choice.left_out.size(), 1u);
  EXPECT_FALSE(choice.left_out[0].replaces.has_value());  // there is room: it would be added
  // (0.2 + 0.1 + 0) / 3 rounds a hair above 0.1: equal means up to rounding must still tie.
  EXPECT_NEAR(choice.left_out[0].option.versus_chosen.cd4_change, 0.0, 1e-12);
}

TEST(ChooseProduct, Cd8BreaksCd4TiesThenFewerFragmentsThenIds) {
  const std::vector<ProductCandidate> c = {candidate("B", {0}, 0.1, 0.3), candidate("A", {0}, 0.1, 0.3),
                                           candidate("C", {0}, 0.1, 0.5)};
  EXPECT_EQ(ids_of(c, choose_product(c, {}, {2, 0}).chosen.fragments), Ids{"C"});
  const std::vector<ProductCandidate> twins = {candidate("B", {0}, 0.1, 0.3), candidate("A", {0}, 0.1, 0.3)};
  const ProductChoice choice = choose_product(twins, {}, {2, 5});
  EXPECT_EQ(ids_of(twins, choice.chosen.fragments), Ids{"A"});
  ASSERT_EQ(choice.alternatives.size(), 2u);
  EXPECT_EQ(ids_of(twins, choice.alternatives[0].set.fragments), Ids{"B"});
  EXPECT_EQ(ids_of(twins, choice.alternatives[1].set.fragments), (Ids{"A", "B"}));
}

TEST(ChooseProduct, ResolvedNeoantigensBreakTiesOfExpectedCoverageBeforeCd4) {
  // A: one construct ambiguous between 0 and 1 (E = 1), high CD4; B: 2 resolved (E = 1), low CD4.
  const Groups groups = {{0, 1}};
  const std::vector<ProductCandidate> c = {candidate("A", {}, 0.5, 0, {0}), candidate("B", {2}, 0.01)};
  const ProductChoice choice = choose_product(c, groups, {1, 1});
  EXPECT_EQ(ids_of(c, choice.chosen.fragments), Ids{"B"});
  ASSERT_EQ(choice.alternatives.size(), 1u);
  EXPECT_EQ(ids_of(c, choice.alternatives[0].set.fragments), Ids{"A"});
  EXPECT_TRUE(product_before(c, choice.chosen, choice.alternatives[0].set));
}

TEST(ExpectedCoverage, EachPositiveGroupIsOneDrawAmongItsCandidates) {
  // Hand values of E = sum_n [1 - prod_{g in n} (1 - 1/|g|)].
  const Groups groups = {{0, 1}, {0, 1}, {0, 1, 2, 3}, {5, 6, 7}};
  const std::vector<ProductCandidate> c = {
      candidate("A", {}, 0, 0, {0}),     // one construct ambiguous between 0 and 1
      candidate("B", {}, 0, 0, {1}),     // the same construct in another culture: a group of its own
      candidate("C", {}, 0, 0, {0}),     // carries A's reactive clonotype: A's group
      candidate("D", {0}, 0, 0, {}),     // 0 resolved
      candidate("E", {}, 0, 0, {2, 3}),  // two constructs, disjoint candidates
      candidate("F", {5}, 0, 0, {3}),    // 5 resolved, and a group holding it
  };
  const auto e = [&](const Ids& ids) { return evaluate_product(c, groups, indices_of(c, ids)).expected_neoantigens; };
  EXPECT_DOUBLE_EQ(e({"A"}), 1.0);
  EXPECT_DOUBLE_EQ(e({"A", "C"}), 1.0);                 // one clonotype, one reactivity
  EXPECT_DOUBLE_EQ(e({"A", "B"}), 2 * (1 - 0.5 * 0.5));  // 1.5: both may react to the same one
  EXPECT_DOUBLE_EQ(e({"A", "D"}), 1.0 + 0.5);           // 0 certain; A's draw adds 1 half the time
  EXPECT_DOUBLE_EQ(e({"E"}), 2.0);
  // 0, 1: 1 - (1/2)(3/4) each; 2, 3: 1/4 each; 5: 1; 6, 7: 1/3 each.
  EXPECT_NEAR(e({"A", "E", "F"}), 2 * (1 - 0.5 * 0.75) + 2 * 0.25 + 1 + 2.0 / 3, 1e-15);
  // Weighed: A's group is real with probability 1/2, so each of 0, 1 is its target with 1/4.
  const std::vector<double> w = {0.5, 1, 1, 1};
  EXPECT_DOUBLE_EQ(evaluate_product(c, groups, indices_of(c, {"A"}), w).expected_neoantigens, 0.5);
  EXPECT_DOUBLE_EQ(evaluate_product(c, groups, indices_of(c, {"A", "D"}), w).expected_neoantigens, 1.25);
  const ProductSet s = evaluate_product(c, groups, indices_of(c, {"A", "D", "F"}));
  EXPECT_EQ(s.resolved, (Indices{0, 5}));
  EXPECT_EQ(s.groups, (Indices{0, 3}));
}

TEST(ChooseProduct, SixCulturesPositiveForOneTmgBeatSixSharingOneResolvedNeoantigen) {
  // T1..T6: each positive for the same 16-minigene TMG (neoantigens 0..15), left ambiguous: six groups.
  // R1..R6: each resolved reactive to neoantigen 16, with higher CD4 frequencies. Counting the TMG as
  // one reactivity, both sixes cover one and CD4 picks the R cultures; as six draws among 16, the Ts
  // cover 16 (1 - (15/16)^6) = 5.14 expected neoantigens.
  Groups groups;
  std::vector<ProductCandidate> c;
  ProductGroup tmg(16);
  std::iota(tmg.begin(), tmg.end(), 0u);
  for (std::uint32_t i = 1; i <= 6; ++i) {
    c.push_back(candidate(numbered("T", i), {}, 0.01 * i, 0, {static_cast<std::uint32_t>(groups.size())}));
    groups.push_back(tmg);
    c.push_back(candidate(numbered("R", i), {16}, 0.1 + 0.01 * i));
  }
  const double r = 15.0 / 16.0;
  const ProductSet ts = evaluate_product(c, groups, indices_of(c, {"T1", "T2", "T3", "T4", "T5", "T6"}));
  const ProductSet rs = evaluate_product(c, groups, indices_of(c, {"R1", "R2", "R3", "R4", "R5", "R6"}));
  EXPECT_NEAR(ts.expected_neoantigens, 16 * (1 - std::pow(r, 6)), 1e-12);
  EXPECT_DOUBLE_EQ(rs.expected_neoantigens, 1.0);
  EXPECT_TRUE(product_before(c, ts, rs));
  // The best six: five Ts (16 (1 - r^5) = 4.41) and the best R (1 more, certain), 5.41 > 5.14;
  // the Ts with the highest CD4 frequencies.
  const ProductChoice choice = choose_product(c, groups, {6, 2});
  EXPECT_EQ(ids_of(c, choice.chosen.fragments), (Ids{"R6", "T2", "T3", "T4", "T5", "T6"}));
  EXPECT_NEAR(choice.chosen.expected_neoantigens, 16 * (1 - std::pow(r, 5)) + 1, 1e-12);
  EXPECT_EQ(choice.chosen.resolved, Indices{16});
  EXPECT_EQ(choice.chosen.groups.size(), 5u);
}

TEST(ChooseProduct, RejectsBadInput) {
  EXPECT_THROW(choose_product({candidate("F1", {}, 0), candidate("F1", {}, 0)}, {}, {}), std::invalid_argument);
  EXPECT_THROW(choose_product({candidate("F1", {}, 1.5)}, {}, {}), std::invalid_argument);
  EXPECT_THROW(choose_product({candidate("F1", {}, 0.1)}, {}, {0, 0}), std::invalid_argument);
  EXPECT_THROW(choose_product({candidate("F1", {}, 0.1, 0, {1})}, {{0, 1}}, {}), std::invalid_argument);
  EXPECT_THROW(choose_product({candidate("F1", {}, 0.1, 0, {0})}, {{}}, {}), std::invalid_argument);
  EXPECT_THROW(choose_product({candidate("F1", {}, 0.1, 0, {0})}, {{3, 4, 3}}, {}), std::invalid_argument);
  const std::vector<double> zero = {0.0}, two = {1.0, 1.0};
  EXPECT_THROW(choose_product({candidate("F1", {}, 0.1, 0, {0})}, {{3, 4}}, {}, zero), std::invalid_argument);
  EXPECT_THROW(choose_product({candidate("F1", {}, 0.1, 0, {0})}, {{3, 4}}, {}, two), std::invalid_argument);
  EXPECT_TRUE(choose_product({}, {}, {}).chosen.fragments.empty());
}

/// The order of product.hpp, computed here independently of the library.
struct Brute {
  Ids ids;  // sorted
  double expected = 0;
  std::size_t certain = 0;  // resolved neoantigens
  double cd4 = 0, cd8 = 0;
};

long long on_grid(double v) { return std::llround(v / 1e-9); }

bool brute_before(const Brute& a, const Brute& b) {
  if (on_grid(a.expected) != on_grid(b.expected)) return on_grid(a.expected) > on_grid(b.expected);
  if (a.certain != b.certain) return a.certain > b.certain;
  if (a.cd4 != b.cd4) return a.cd4 > b.cd4;
  if (a.cd8 != b.cd8) return a.cd8 > b.cd8;
  if (a.ids.size() != b.ids.size()) return a.ids.size() < b.ids.size();
  return a.ids < b.ids;
}

/// E straight from its definition: per neoantigen, the chance that no chosen group drew it (a group of
/// weight w draws each of its candidates with w / |g|; empty `weights`: 1 each).
double brute_expected(const std::vector<ProductCandidate>& c, const Groups& groups, std::uint32_t mask,
                      const std::vector<double>& weights) {
  std::set<std::uint32_t> resolved, chosen_groups, neoantigens;
  for (std::uint32_t i = 0; i < c.size(); ++i) {
    if (!(mask >> i & 1u)) continue;
    resolved.insert(c[i].resolved.begin(), c[i].resolved.end());
    chosen_groups.insert(c[i].groups.begin(), c[i].groups.end());
  }
  neoantigens = resolved;
  for (std::uint32_t g : chosen_groups) neoantigens.insert(groups[g].begin(), groups[g].end());
  double e = 0;
  for (std::uint32_t n : neoantigens) {
    if (resolved.count(n)) {
      e += 1;
      continue;
    }
    double none = 1;
    for (std::uint32_t g : chosen_groups)
      if (std::count(groups[g].begin(), groups[g].end(), n))
        none *= 1 - (weights.empty() ? 1.0 : weights[g]) / static_cast<double>(groups[g].size());
    e += 1 - none;
  }
  return e;
}

std::vector<Brute> brute_force(const std::vector<ProductCandidate>& c, const Groups& groups, int k,
                               const std::vector<double>& weights = {}) {
  std::vector<Brute> all;
  const std::uint32_t n = static_cast<std::uint32_t>(c.size());
  for (std::uint32_t mask = 1; mask < (1u << n); ++mask) {
    if (std::popcount(mask) > k) continue;
    Brute b;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (!(mask >> i & 1u)) continue;
      b.ids.push_back(c[i].fragment_id);
      b.cd4 += c[i].cd4_frequency;  // multiples of 1/64: every sum is exact in any order
      b.cd8 += c[i].cd8_frequency;
    }
    std::sort(b.ids.begin(), b.ids.end());
    b.expected = brute_expected(c, groups, mask, weights);
    std::set<std::uint32_t> resolved;
    for (std::uint32_t i = 0; i < n; ++i)
      if (mask >> i & 1u) resolved.insert(c[i].resolved.begin(), c[i].resolved.end());
    b.certain = resolved.size();
    b.cd4 /= static_cast<double>(b.ids.size());
    b.cd8 /= static_cast<double>(b.ids.size());
    all.push_back(std::move(b));
  }
  std::sort(all.begin(), all.end(), brute_before);
  return all;
}

/// `size` distinct neoantigens of 0..universe-1, as sparse indices (x 7).
ProductGroup random_group(std::mt19937_64& rng, int universe, std::size_t size) {
  std::vector<std::uint32_t> all(static_cast<std::size_t>(universe));
  std::iota(all.begin(), all.end(), 0u);
  std::shuffle(all.begin(), all.end(), rng);
  ProductGroup g(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(size));
  for (std::uint32_t& n : g) n *= 7;
  return g;
}

/// Random cultures: fragment ids in shuffled order, a few resolved neoantigens, groups shared by
/// several cultures (a tracked clonotype) and groups of their own (an ambiguous construct). Group
/// sizes are powers of two and at most 10 groups exist, so every E is a sum of dyadic fractions
/// with at most 40 bits, exact in any order: the brute force and the library must agree exactly.
/// Frequencies are multiples of 1/64 from a small set, so that ties on every criterion occur.
std::vector<ProductCandidate> random_instance(std::mt19937_64& rng, int n, int universe, Groups& groups) {
  std::vector<ProductCandidate> c;
  std::vector<int> names(static_cast<std::size_t>(n));
  std::iota(names.begin(), names.end(), 1);
  std::shuffle(names.begin(), names.end(), rng);
  std::uniform_int_distribution<int> freq(0, 6), six(0, 5), four(0, 3), three(0, 2), size_log(1, 3);
  const auto sized = [&] {
    std::size_t size = std::size_t{1} << size_log(rng);
    while (size > static_cast<std::size_t>(universe)) size /= 2;
    return size;
  };
  groups.clear();
  const int shared = std::uniform_int_distribution<int>(0, 4)(rng);
  for (int g = 0; g < shared; ++g) groups.push_back(random_group(rng, universe, sized()));
  for (int i = 0; i < n; ++i) {
    ProductCandidate x;
    x.fragment_id = numbered("F", names[static_cast<std::size_t>(i)]);
    for (int u = 0; u < universe; ++u)
      if (six(rng) == 0) x.resolved.push_back(static_cast<std::uint32_t>(u * 7));
    for (int g = 0; g < shared; ++g)
      if (four(rng) == 0) x.groups.push_back(static_cast<std::uint32_t>(g));
    if (three(rng) == 0 && groups.size() < 10) {
      x.groups.push_back(static_cast<std::uint32_t>(groups.size()));
      groups.push_back(random_group(rng, universe, sized()));
    }
    x.cd4_frequency = freq(rng) / 64.0;
    x.cd8_frequency = freq(rng) / 64.0;
    c.push_back(std::move(x));
  }
  return c;
}

TEST(ChooseProduct, ExactSearchMatchesBruteForceOnRandomInstances) {
  constexpr std::uint64_t kSeed = 20250401;
  std::printf("[ seed     ] %llu\n", static_cast<unsigned long long>(kSeed));
  std::mt19937_64 rng(kSeed);
  std::uniform_int_distribution<int> size(1, 12), kk(1, 4), universe(2, 8);
  for (int trial = 0; trial < 300; ++trial) {
    const int n = size(rng), k = kk(rng);
    Groups groups;
    const auto c = random_instance(rng, n, universe(rng), groups);
    SCOPED_TRACE("seed " + std::to_string(kSeed) + " trial " + std::to_string(trial) + " n " + std::to_string(n) +
                 " k " + std::to_string(k));
    // Every other trial weighs some groups by 1/2 (unconfirmed), which keeps every E dyadic.
    std::vector<double> weights;
    if (trial % 2 == 1)
      for (std::size_t g = 0; g < groups.size(); ++g) weights.push_back(g % 2 == 0 ? 0.5 : 1.0);
    const ProductChoice choice = choose_product(c, groups, {k, 3}, weights);
    const std::vector<Brute> expected = brute_force(c, groups, k, weights);
    ASSERT_EQ(choice.method, ProductMethod::kExact);
    EXPECT_EQ(ids_of(c, choice.chosen.fragments), expected[0].ids);
    EXPECT_EQ(choice.chosen.expected_neoantigens, expected[0].expected);
    EXPECT_DOUBLE_EQ(choice.chosen.cd4_frequency, expected[0].cd4);
    EXPECT_DOUBLE_EQ(choice.chosen.cd8_frequency, expected[0].cd8);
    const std::size_t alternatives = std::min<std::size_t>(3, expected.size() - 1);
    ASSERT_EQ(choice.alternatives.size(), alternatives);
    for (std::size_t a = 0; a < alternatives; ++a) {
      EXPECT_EQ(ids_of(c, choice.alternatives[a].set.fragments), expected[a + 1].ids) << "alternative " << a;
      EXPECT_EQ(choice.alternatives[a].set.expected_neoantigens, expected[a + 1].expected) << "alternative " << a;
    }
    EXPECT_EQ(choice.left_out.size(), c.size() - choice.chosen.fragments.size());
  }
}

/// True when no single addition (with room), removal or swap gives a set that ranks before it.
bool locally_optimal(const std::vector<ProductCandidate>& c, const Groups& groups, const ProductSet& chosen,
                     std::size_t k) {
  std::vector<Indices> neighbours;
  const Indices& s = chosen.fragments;
  for (std::uint32_t j = 0; j < c.size(); ++j) {
    if (std::find(s.begin(), s.end(), j) != s.end()) continue;
    if (s.size() < k) {
      auto v = s;
      v.push_back(j);
      neighbours.push_back(v);
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
      auto v = s;
      v[i] = j;
      neighbours.push_back(v);
    }
  }
  for (std::size_t i = 0; s.size() > 1 && i < s.size(); ++i) {
    auto v = s;
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
    neighbours.push_back(v);
  }
  return std::none_of(neighbours.begin(), neighbours.end(), [&](const auto& v) {
    return product_before(c, evaluate_product(c, groups, v), chosen);
  });
}

/// A screen's worth of cultures: 40 neoantigens in TMGs of 16 (0-15, 16-31, 32-39), cultures resolved
/// to one or two neoantigens, ambiguous in a TMG (a group of their own, sometimes narrowed by cleared
/// minigenes), or carrying one of six reactive clonotypes bound to a TMG's candidates (shared groups).
std::vector<ProductCandidate> screen_like_instance(std::mt19937_64& rng, int n, Groups& groups) {
  const std::vector<std::pair<std::uint32_t, std::uint32_t>> tmgs = {{0, 16}, {16, 32}, {32, 40}};
  const auto tmg_group = [&](std::size_t t, std::size_t keep) {
    ProductGroup g;
    for (std::uint32_t x = tmgs[t].first; x < tmgs[t].second; ++x) g.push_back(x);
    std::shuffle(g.begin(), g.end(), rng);
    g.resize(std::min(keep, g.size()));
    std::sort(g.begin(), g.end());
    return g;
  };
  std::uniform_int_distribution<int> kind(0, 3), tmg(0, 2), neo(0, 39), freq(0, 40), clono(0, 5), keep(2, 16);
  groups.clear();
  for (int r = 0; r < 6; ++r) groups.push_back(tmg_group(static_cast<std::size_t>(tmg(rng)), 16));
  std::vector<ProductCandidate> c;
  for (int i = 0; i < n; ++i) {
    ProductCandidate x;
    x.fragment_id = numbered("F", 100 + i);
    const int what = kind(rng);
    if (what == 0 || what == 3) x.resolved.push_back(static_cast<std::uint32_t>(neo(rng)));
    if (what == 3) x.resolved.push_back(static_cast<std::uint32_t>(neo(rng)));
    if (what == 1 || what == 3) {
      x.groups.push_back(static_cast<std::uint32_t>(groups.size()));
      groups.push_back(tmg_group(static_cast<std::size_t>(tmg(rng)), static_cast<std::size_t>(keep(rng))));
    }
    if (what == 2) x.groups.push_back(static_cast<std::uint32_t>(clono(rng)));
    std::sort(x.resolved.begin(), x.resolved.end());
    x.resolved.erase(std::unique(x.resolved.begin(), x.resolved.end()), x.resolved.end());
    x.cd4_frequency = freq(rng) / 1000.0;
    x.cd8_frequency = freq(rng) / 1000.0;
    c.push_back(std::move(x));
  }
  return c;
}

TEST(ChooseProduct, FortyEightFragmentsWithKSixFinishExactly) {
  constexpr std::uint64_t kSeed = 48006;
  std::printf("[ seed     ] %llu\n", static_cast<unsigned long long>(kSeed));
  std::mt19937_64 rng(kSeed);
  Groups groups;
  const auto c = screen_like_instance(rng, 48, groups);
  const ProductChoice choice = choose_product(c, groups, {6, 5});
  EXPECT_EQ(choice.method, ProductMethod::kExact);
  EXPECT_EQ(choice.chosen.fragments.size(), 6u);  // every culture adds some expected coverage
  EXPECT_TRUE(locally_optimal(c, groups, choice.chosen, 6));
  ASSERT_EQ(choice.alternatives.size(), 5u);
  EXPECT_TRUE(product_before(c, choice.chosen, choice.alternatives[0].set));
  for (std::size_t a = 1; a < choice.alternatives.size(); ++a)
    EXPECT_TRUE(product_before(c, choice.alternatives[a - 1].set, choice.alternatives[a].set));
  // Every left-out fragment's best one-change set ranks after the chosen one.
  for (const FragmentOption& o : choice.left_out) EXPECT_TRUE(product_before(c, choice.chosen, o.option.set));
  // The reported value is the set's own.
  EXPECT_EQ(choice.chosen.expected_neoantigens,
            evaluate_product(c, groups, choice.chosen.fragments).expected_neoantigens);
}

TEST(ChooseProduct, BeyondTheExactLimitsTheGreedyFallbackIsLabelled) {
  // 60 cultures: each of 6 neoantigens is covered by ten cultures, the best of which is known.
  std::vector<ProductCandidate> c;
  for (std::uint32_t i = 0; i < 60; ++i)
    c.push_back(candidate(numbered("F", 100 + i), {i % 6}, static_cast<double>(i) / 128.0));
  const ProductChoice choice = choose_product(c, {}, {6, 5});
  EXPECT_EQ(choice.method, ProductMethod::kGreedy);
  EXPECT_EQ(product_method_name(choice.method), "greedy");
  EXPECT_TRUE(choice.alternatives.empty());
  EXPECT_EQ(ids_of(c, choice.chosen.fragments), (Ids{"F154", "F155", "F156", "F157", "F158", "F159"}));
  EXPECT_DOUBLE_EQ(choice.chosen.expected_neoantigens, 6.0);
  EXPECT_TRUE(locally_optimal(c, {}, choice.chosen, 6));
}

TEST(ChooseProduct, ResultDoesNotDependOnInputOrder) {
  std::mt19937_64 rng(7);
  Groups groups;
  auto c = random_instance(rng, 10, 6, groups);
  const ProductChoice a = choose_product(c, groups, {3, 4});
  auto reversed = c;
  std::reverse(reversed.begin(), reversed.end());
  const ProductChoice b = choose_product(reversed, groups, {3, 4});
  EXPECT_EQ(ids_of(c, a.chosen.fragments), ids_of(reversed, b.chosen.fragments));
  EXPECT_EQ(a.chosen.expected_neoantigens, b.chosen.expected_neoantigens);
  ASSERT_EQ(a.alternatives.size(), b.alternatives.size());
  for (std::size_t i = 0; i < a.alternatives.size(); ++i)
    EXPECT_EQ(ids_of(c, a.alternatives[i].set.fragments), ids_of(reversed, b.alternatives[i].set.fragments));
}

}  // namespace
}  // namespace tilmatch::screen
