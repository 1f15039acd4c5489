// Product choice: hand-made cases, the exact search against brute force on random instances
// (fixed, printed seed), a 48-fragment k = 6 instance, and the greedy fallback.

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
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

ProductCandidate candidate(std::string id, std::vector<std::uint32_t> neoantigens, double cd4, double cd8 = 0) {
  return {std::move(id), std::move(neoantigens), cd4, cd8};
}

/// `prefix` followed by `n` (built by appending: GCC 12 warns falsely on "F" + std::to_string(n)).
std::string numbered(std::string_view prefix, long n) {
  std::string s(prefix);
  s += std::to_string(n);
  return s;
}

Ids ids_of(const std::vector<ProductCandidate>& c, const std::vector<std::uint32_t>& fragments) {
  Ids out;
  for (std::uint32_t f : fragments) out.push_back(c[f].fragment_id);
  return out;
}

TEST(ChooseProduct, CoverageFirstThenTheMeanCd4Frequency) {
  const std::vector<ProductCandidate> c = {candidate("F1", {0}, 0.2), candidate("F2", {0}, 0.1),
                                           candidate("F3", {1}, 0.0)};
  ProductParams params;
  params.max_fragments = 2;
  const ProductChoice choice = choose_product(c, params);
  EXPECT_EQ(choice.method, ProductMethod::kExact);
  EXPECT_EQ(ids_of(c, choice.chosen.fragments), (Ids{"F1", "F3"}));
  EXPECT_EQ(choice.chosen.neoantigens, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_DOUBLE_EQ(choice.chosen.cd4_frequency, 0.1);
  // The next best sets: {F2, F3} (both neoantigens, mean 0.05), then {F1} (one, 0.2).
  ASSERT_GE(choice.alternatives.size(), 2u);
  EXPECT_EQ(ids_of(c, choice.alternatives[0].set.fragments), (Ids{"F2", "F3"}));
  EXPECT_EQ(ids_of(c, choice.alternatives[0].versus_chosen.added_fragments), Ids{"F2"});
  EXPECT_EQ(ids_of(c, choice.alternatives[0].versus_chosen.removed_fragments), Ids{"F1"});
  EXPECT_DOUBLE_EQ(choice.alternatives[0].versus_chosen.cd4_change, -0.05);
  EXPECT_EQ(ids_of(c, choice.alternatives[1].set.fragments), Ids{"F1"});
  EXPECT_EQ(choice.alternatives[1].versus_chosen.lost_neoantigens, std::vector<std::uint32_t>{1});
  // F2 is left out; swapping it for F1 keeps both neoantigens, for F3 loses one.
  ASSERT_EQ(choice.left_out.size(), 1u);
  EXPECT_EQ(c[choice.left_out[0].fragment].fragment_id, "F2");
  ASSERT_TRUE(choice.left_out[0].replaces.has_value());
  EXPECT_EQ(c[*choice.left_out[0].replaces].fragment_id, "F1");
  EXPECT_TRUE(choice.left_out[0].option.versus_chosen.lost_neoantigens.empty());
}

TEST(ChooseProduct, AWeakCultureThatAddsNothingIsLeftOutEvenWithRoom) {
  const std::vector<ProductCandidate> c = {candidate("F1", {0}, 0.2), candidate("F2", {0}, 0.1),
                                           candidate("F3", {1}, 0.0)};
  const ProductChoice choice = choose_product(c, {3, 5});
  EXPECT_EQ(ids_of(c, choice.chosen.fragments), (Ids{"F1", "F3"}));
  ASSERT_EQ(choice.left_out.size(), 1u);
  EXPECT_FALSE(choice.left_out[0].replaces.has_value());  // there is room: it would be added
  // (0.2 + 0.1 + 0) / 3 rounds a hair above 0.1: equal means up to rounding must still tie.
  EXPECT_NEAR(choice.left_out[0].option.versus_chosen.cd4_change, 0.0, 1e-12);
}

TEST(ChooseProduct, Cd8BreaksCd4TiesThenFewerFragmentsThenIds) {
  const std::vector<ProductCandidate> c = {candidate("B", {0}, 0.1, 0.3), candidate("A", {0}, 0.1, 0.3),
                                           candidate("C", {0}, 0.1, 0.5)};
  EXPECT_EQ(ids_of(c, choose_product(c, {2, 0}).chosen.fragments), Ids{"C"});
  const std::vector<ProductCandidate> twins = {candidate("B", {0}, 0.1, 0.3), candidate("A", {0}, 0.1, 0.3)};
  const ProductChoice choice = choose_product(twins, {2, 5});
  EXPECT_EQ(ids_of(twins, choice.chosen.fragments), Ids{"A"});
  ASSERT_EQ(choice.alternatives.size(), 2u);
  EXPECT_EQ(ids_of(twins, choice.alternatives[0].set.fragments), Ids{"B"});
  EXPECT_EQ(ids_of(twins, choice.alternatives[1].set.fragments), (Ids{"A", "B"}));
}

TEST(ChooseProduct, RejectsBadInput) {
  EXPECT_THROW(choose_product({candidate("F1", {}, 0), candidate("F1", {}, 0)}, {}), std::invalid_argument);
  EXPECT_THROW(choose_product({candidate("F1", {}, 1.5)}, {}), std::invalid_argument);
  EXPECT_THROW(choose_product({candidate("F1", {}, 0.1)}, {0, 0}), std::invalid_argument);
  EXPECT_TRUE(choose_product({}, {}).chosen.fragments.empty());
}

/// The order of product.hpp, computed here independently of the library.
struct Brute {
  Ids ids;  // sorted
  int covered = 0;
  double cd4 = 0, cd8 = 0;
};

bool brute_before(const Brute& a, const Brute& b) {
  if (a.covered != b.covered) return a.covered > b.covered;
  if (a.cd4 != b.cd4) return a.cd4 > b.cd4;
  if (a.cd8 != b.cd8) return a.cd8 > b.cd8;
  if (a.ids.size() != b.ids.size()) return a.ids.size() < b.ids.size();
  return a.ids < b.ids;
}

std::vector<Brute> brute_force(const std::vector<ProductCandidate>& c, int k) {
  std::vector<Brute> all;
  const std::uint32_t n = static_cast<std::uint32_t>(c.size());
  for (std::uint32_t mask = 1; mask < (1u << n); ++mask) {
    if (std::popcount(mask) > k) continue;
    Brute b;
    std::set<std::uint32_t> covered;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (!(mask >> i & 1u)) continue;
      b.ids.push_back(c[i].fragment_id);
      covered.insert(c[i].neoantigens.begin(), c[i].neoantigens.end());
      b.cd4 += c[i].cd4_frequency;  // multiples of 1/64: every sum is exact in any order
      b.cd8 += c[i].cd8_frequency;
    }
    std::sort(b.ids.begin(), b.ids.end());
    b.covered = static_cast<int>(covered.size());
    b.cd4 /= static_cast<double>(b.ids.size());
    b.cd8 /= static_cast<double>(b.ids.size());
    all.push_back(std::move(b));
  }
  std::sort(all.begin(), all.end(), brute_before);
  return all;
}

/// Random culture: fragment ids in shuffled order, few neoantigens, frequencies drawn from a
/// small set of multiples of 1/64 so that ties on every criterion occur.
std::vector<ProductCandidate> random_instance(std::mt19937_64& rng, int n, int universe) {
  std::vector<ProductCandidate> c;
  std::vector<int> names(static_cast<std::size_t>(n));
  std::iota(names.begin(), names.end(), 1);
  std::shuffle(names.begin(), names.end(), rng);
  std::uniform_int_distribution<int> freq(0, 6), coin(0, 3);
  for (int i = 0; i < n; ++i) {
    ProductCandidate x;
    x.fragment_id = numbered("F", names[static_cast<std::size_t>(i)]);
    for (int u = 0; u < universe; ++u)
      if (coin(rng) == 0) x.neoantigens.push_back(static_cast<std::uint32_t>(u * 7));  // sparse indices
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
  std::uniform_int_distribution<int> size(1, 12), kk(1, 4), universe(1, 8);
  for (int trial = 0; trial < 300; ++trial) {
    const int n = size(rng), k = kk(rng);
    const auto c = random_instance(rng, n, universe(rng));
    SCOPED_TRACE("seed " + std::to_string(kSeed) + " trial " + std::to_string(trial) + " n " + std::to_string(n) +
                 " k " + std::to_string(k));
    const ProductParams params{k, 3};
    const ProductChoice choice = choose_product(c, params);
    const std::vector<Brute> expected = brute_force(c, k);
    ASSERT_EQ(choice.method, ProductMethod::kExact);
    EXPECT_EQ(ids_of(c, choice.chosen.fragments), expected[0].ids);
    EXPECT_EQ(static_cast<int>(choice.chosen.neoantigens.size()), expected[0].covered);
    EXPECT_DOUBLE_EQ(choice.chosen.cd4_frequency, expected[0].cd4);
    EXPECT_DOUBLE_EQ(choice.chosen.cd8_frequency, expected[0].cd8);
    const std::size_t alternatives = std::min<std::size_t>(3, expected.size() - 1);
    ASSERT_EQ(choice.alternatives.size(), alternatives);
    for (std::size_t a = 0; a < alternatives; ++a)
      EXPECT_EQ(ids_of(c, choice.alternatives[a].set.fragments), expected[a + 1].ids) << "alternative " << a;
    EXPECT_EQ(choice.left_out.size(), c.size() - choice.chosen.fragments.size());
  }
}

/// True when no single addition (with room), removal or swap gives a set that ranks before it.
bool locally_optimal(const std::vector<ProductCandidate>& c, const ProductSet& chosen, std::size_t k) {
  std::vector<std::vector<std::uint32_t>> neighbours;
  const std::vector<std::uint32_t>& s = chosen.fragments;
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
    return product_before(c, evaluate_product(c, v), chosen);
  });
}

TEST(ChooseProduct, FortyEightFragmentsWithKSixFinishExactly) {
  constexpr std::uint64_t kSeed = 48006;
  std::printf("[ seed     ] %llu\n", static_cast<unsigned long long>(kSeed));
  std::mt19937_64 rng(kSeed);
  const auto c = random_instance(rng, 48, 30);
  const ProductChoice choice = choose_product(c, {6, 5});
  EXPECT_EQ(choice.method, ProductMethod::kExact);
  EXPECT_LE(choice.chosen.fragments.size(), 6u);
  EXPECT_TRUE(locally_optimal(c, choice.chosen, 6));
  ASSERT_EQ(choice.alternatives.size(), 5u);
  EXPECT_TRUE(product_before(c, choice.chosen, choice.alternatives[0].set));
  for (std::size_t a = 1; a < choice.alternatives.size(); ++a)
    EXPECT_TRUE(product_before(c, choice.alternatives[a - 1].set, choice.alternatives[a].set));
  // Every left-out fragment's best one-change set ranks after the chosen one.
  for (const FragmentOption& o : choice.left_out) EXPECT_TRUE(product_before(c, choice.chosen, o.option.set));
}

TEST(ChooseProduct, BeyondTheExactLimitsTheGreedyFallbackIsLabelled) {
  // 60 cultures: each of 6 neoantigens is covered by ten cultures, the best of which is known.
  std::vector<ProductCandidate> c;
  for (std::uint32_t i = 0; i < 60; ++i)
    c.push_back(candidate(numbered("F", 100 + i), {i % 6}, static_cast<double>(i) / 128.0));
  const ProductChoice choice = choose_product(c, {6, 5});
  EXPECT_EQ(choice.method, ProductMethod::kGreedy);
  EXPECT_EQ(product_method_name(choice.method), "greedy");
  EXPECT_TRUE(choice.alternatives.empty());
  EXPECT_EQ(ids_of(c, choice.chosen.fragments), (Ids{"F154", "F155", "F156", "F157", "F158", "F159"}));
  EXPECT_EQ(choice.chosen.neoantigens.size(), 6u);
  EXPECT_TRUE(locally_optimal(c, choice.chosen, 6));
}

TEST(ChooseProduct, ResultDoesNotDependOnInputOrder) {
  std::mt19937_64 rng(7);
  auto c = random_instance(rng, 10, 6);
  const ProductChoice a = choose_product(c, {3, 4});
  auto reversed = c;
  std::reverse(reversed.begin(), reversed.end());
  const ProductChoice b = choose_product(reversed, {3, 4});
  EXPECT_EQ(ids_of(c, a.chosen.fragments), ids_of(reversed, b.chosen.fragments));
  ASSERT_EQ(a.alternatives.size(), b.alternatives.size());
  for (std::size_t i = 0; i < a.alternatives.size(); ++i)
    EXPECT_EQ(ids_of(c, a.alternatives[i].set.fragments), ids_of(reversed, b.alternatives[i].set.fragments));
}

}  // namespace
}  // namespace tilmatch::screen
