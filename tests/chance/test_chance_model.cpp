// The chance model: background counts against hand-computed TCRdist cases and against a
// pair-by-pair count (scoring::tcrdist_pair), radius and weight rules by hand, and the same
// model whatever the block size, thread count or backend.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "chance/background.hpp"
#include "chance/chance_model.hpp"
#include "io/background.hpp"
#include "common/test_support.hpp"
#include "scoring/vgene_table.hpp"
#include "scoring/backend.hpp"
#include "scoring/engine.hpp"
#include "tilmatch/error.hpp"

namespace tc = tilmatch::chance;
namespace ts = tilmatch::scoring;

namespace {

ts::TcrRecord beta(const std::string& cdr3) { return ts::TcrRecord{"", cdr3, "", ""}; }

std::vector<ts::TcrRecord> betas(const std::vector<std::string>& cdr3s) {
  std::vector<ts::TcrRecord> out;
  for (const auto& s : cdr3s) out.push_back(beta(s));
  return out;
}

// One reference and a background at hand-computed distances (tcrdist3 defaults: positions 3..L-3
// scored, weight 3; BLOSUM62 L/I = 2, L/V = 1, L/D = -4, Q/E = 2):
//   CASSLGQAYEQYF  itself                      0
//   CASSIGQAYEQYF  L->I: 3 x (4 - 2)           6
//   CASSVGQAYEQYF  L->V: 3 x (4 - 1)           9
//   CASSDGQAYEQYF  L->D: 3 x 4                12
//   CASSDGEAYEQYF  L->D, Q->E: 12 + 3 x 2     18
//   CASSDGQAYEQYF  again (a second draw)      12
//   CAWWWWWWWWQYF  far (> 24)
// Each row is given twice in a row, so that both halves of the background (rows alternate) hold
// the same seven.
const std::vector<std::string> kSeven = {"CASSLGQAYEQYF", "CASSIGQAYEQYF", "CASSVGQAYEQYF",
                                              "CASSDGQAYEQYF", "CASSDGEAYEQYF", "CASSDGQAYEQYF",
                                              "CAWWWWWWWWQYF"};

std::vector<std::string> twice(const std::vector<std::string>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.insert(out.end(), {r, r});
  return out;
}
const std::vector<std::string> kBackground = twice(kSeven);

tc::ChanceModel hand_model(const tc::ChanceParams& params) {
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 1);
  const auto bg = ts::encode_tcrdist_set(betas(kBackground), ts::Chains::beta, nullptr);
  return tc::build_chance_model(betas({"CASSLGQAYEQYF"}), bg, nullptr, *cpu, params);
}

TEST(ChanceModel, CountsBackgroundWithinEachDistance) {
  const auto model = hand_model({});
  ASSERT_EQ(model.references(), 1u);
  EXPECT_EQ(model.background_size(), 14u);
  EXPECT_EQ(model.half_size[0], 7u);
  EXPECT_EQ(model.half_size[1], 7u);
  EXPECT_EQ(model.max_distance, 24);
  const std::uint32_t want[25] = {1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6};
  for (int d = 0; d <= 24; ++d) {
    EXPECT_EQ(model.count_within(0, d, tc::Half::kSelection), want[d]) << "d=" << d;
    EXPECT_EQ(model.count_within(0, d, tc::Half::kEstimation), want[d]) << "d=" << d;
  }
  EXPECT_EQ(model.count_within(0, -1), 0u);
  EXPECT_EQ(model.count_within(0, 99), 6u);
}

TEST(ChanceModel, RadiusIsTheLargestWithinTheTarget) {
  tc::ChanceParams p;
  p.pseudo_count = 0.5;           // p(d) = (c + 0.5) / 8
  p.repertoire_size = 8;          // N p(d) = c + 0.5
  p.target_neighbours = 3.5;      // c <= 3: d <= 11
  auto model = hand_model(p);
  EXPECT_EQ(model.radius[0], 11);
  EXPECT_EQ(tc::chance_radius(model, 0, p), 11);
  EXPECT_DOUBLE_EQ(tc::chance_probability(model, 0, 9, p), 3.5 / 8);
  p.target_neighbours = 5.5;      // c <= 5: every d up to 17
  EXPECT_EQ(tc::chance_radius(model, 0, p), 17);
  p.max_radius = 14;              // capped
  EXPECT_EQ(tc::chance_radius(model, 0, p), 14);
  p.target_neighbours = 1.0;      // not even d = 0 (c = 1): min_radius
  EXPECT_EQ(tc::chance_radius(model, 0, p), 0);
  p.min_radius = 3;
  EXPECT_EQ(tc::chance_radius(model, 0, p), 3);
}

TEST(ChanceModel, RadiusFromTheSelectionHalfProbabilityFromTheEstimationHalf) {
  // Selection half (even rows): the reference and its L->D variant (12); estimation half (odd
  // rows): the reference, its L->I (6) and L->V (9) variants.
  const std::vector<std::string> rows = {"CASSLGQAYEQYF", "CASSLGQAYEQYF", "CASSDGQAYEQYF", "CASSIGQAYEQYF",
                                         "CAWWWWWWWWQYF", "CASSVGQAYEQYF"};
  tc::ChanceParams p;
  p.repertoire_size = 4;     // p = (c + 0.5) / 4 on halves of 3: N p = c + 0.5
  p.target_neighbours = 1.5; // c <= 1
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 1);
  const auto bg = ts::encode_tcrdist_set(betas(rows), ts::Chains::beta, nullptr);
  const auto model = tc::build_chance_model(betas({"CASSLGQAYEQYF"}), bg, nullptr, *cpu, p);
  EXPECT_EQ(model.radius[0], 11);  // the selection half's second neighbour is at 12
  EXPECT_EQ(model.count_within(0, 11, tc::Half::kEstimation), 3u);
  EXPECT_DOUBLE_EQ(tc::chance_probability(model, 0, 11, p), 3.5 / 4);
  EXPECT_EQ(model.neighbour_rows, (std::vector<std::uint32_t>{1, 3, 5}));
  // A hit's surprise is judged on both halves: (1 + 3 + 0.5) / (6 + 1) at TCRdist 11, where the
  // selection half holds 1 (the reference) and the estimation half 3 (each distance on its own
  // counts: no profile).
  p.profile_strength = 0;
  EXPECT_DOUBLE_EQ(tc::whole_background_probability(model, 0, 11, p), 4.5 / 7);
  EXPECT_DOUBLE_EQ(tc::whole_background_probability(model, 0, 12, p), 5.5 / 7);  // L->D joins
  EXPECT_DOUBLE_EQ(tc::whole_background_probability(model, 0, 99, p), 5.5 / 7);  // clamped to the cap
}

// The pooled profile and the probability it shrinks toward: the hand model's reference (both
// halves: 2 rows at 0, 6, 9, 18 and 4 at 12 within the cap, 12 in all) and one far from every row.
TEST(ChanceModel, ProfileShrinksEachReferenceTowardThePooledShare) {
  tc::ChanceParams p;  // a = 0.5, kappa = 50
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 1);
  const auto bg = ts::encode_tcrdist_set(betas(kBackground), ts::Chains::beta, nullptr);
  const auto model = tc::build_chance_model(betas({"CASSLGQAYEQYF", "CWWWWWWWWWWWWWWWF"}), bg, nullptr, *cpu, p);
  ASSERT_EQ(model.profile.size(), 25u);
  // phi(d) = (sum of counts within d + 0.5) / (12 + 0.5).
  EXPECT_DOUBLE_EQ(model.profile[0], 2.5 / 12.5);
  EXPECT_DOUBLE_EQ(model.profile[6], 4.5 / 12.5);
  EXPECT_DOUBLE_EQ(model.profile[12], 10.5 / 12.5);
  EXPECT_DOUBLE_EQ(model.profile[24], 1.0);
  EXPECT_EQ(tc::pooled_profile(model, p), model.profile);
  const double m = 14 + 1;  // M + 2a
  // The reference with no background row near it: p(D) = a0 / 15 at the cap, a0 = (n1 + k a) /
  // (n0 + k) = (0 + 10 x 0.5) / (1 + 10) (one reference without a row, none with one), and phi(d)
  // of it closer in (was 0.5 / 15 at every d): its exact hit is 5 times less likely by chance.
  EXPECT_EQ(model.empty_references, 1u);
  EXPECT_EQ(model.single_references, 0u);
  const double a0 = 5.0 / 11;
  EXPECT_DOUBLE_EQ(model.empty_count, a0);
  EXPECT_DOUBLE_EQ(tc::whole_background_probability(model, 1, 24, p), a0 / m);
  EXPECT_DOUBLE_EQ(tc::whole_background_probability(model, 1, 0, p), a0 / m * (2.5 / 12.5));
  EXPECT_DOUBLE_EQ(tc::whole_background_probability(model, 1, 12, p), a0 / m * (10.5 / 12.5));
  // The crowded one: its own counts (4 + 4 within 12 of 12), shrunk toward phi by kappa = 50.
  EXPECT_DOUBLE_EQ(tc::whole_background_probability(model, 0, 12, p),
                   12.5 / m * (10 + 50 * (10.5 / 12.5)) / (12 + 50));
  // Non-decreasing in d and clamped to the cap, for both.
  for (std::size_t r = 0; r < 2; ++r) {
    for (int d = 1; d <= 30; ++d)
      EXPECT_LE(tc::whole_background_probability(model, r, d - 1, p), tc::whole_background_probability(model, r, d, p))
          << "reference " << r << " d=" << d;
    EXPECT_DOUBLE_EQ(tc::whole_background_probability(model, r, 99, p),
                     tc::whole_background_probability(model, r, 24, p));
  }
  // kappa = 0: each distance on its own counts; a far larger kappa: the pooled share alone.
  tc::ChanceParams off = p;
  off.profile_strength = 0;
  EXPECT_DOUBLE_EQ(tc::whole_background_probability(model, 1, 0, off), 0.5 / m);
  EXPECT_DOUBLE_EQ(tc::whole_background_probability(model, 0, 6, off), 4.5 / m);
  tc::ChanceParams pooled = p;
  pooled.profile_strength = 1e12;
  EXPECT_NEAR(tc::whole_background_probability(model, 0, 6, pooled), 12.5 / m * (4.5 / 12.5), 1e-9);
  // A model without a profile (not built by build_chance_model) is refused, not read as phi = 0.
  tc::ChanceModel bare = model;
  bare.profile.clear();
  EXPECT_THROW(tc::whole_background_probability(bare, 0, 6, p), std::invalid_argument);
  EXPECT_DOUBLE_EQ(tc::whole_background_probability(bare, 0, 6, off), 4.5 / m);
  tc::ChanceParams negative = p;
  negative.profile_strength = -1;
  EXPECT_THROW(tc::build_chance_model(betas({"CASSLGQAYEQYF"}), bg, nullptr, *cpu, negative), std::invalid_argument);
}

TEST(ChanceModel, ProfileOfAModelWithoutNeighboursIsFlat) {
  // No reference has a row near it: phi = 1 everywhere, and p is the floor at every d: a0 / 15,
  // a0 = (0 + 10 x 0.5) / (1 + 10) for the one reference without a row.
  tc::ChanceParams p;
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 1);
  const auto bg = ts::encode_tcrdist_set(betas(kBackground), ts::Chains::beta, nullptr);
  const auto model = tc::build_chance_model(betas({"CWWWWWWWWWWWWWWWF"}), bg, nullptr, *cpu, p);
  EXPECT_EQ(model.profile, std::vector<double>(25, 1.0));
  EXPECT_DOUBLE_EQ(tc::whole_background_probability(model, 0, 0, p), 5.0 / 11 / 15);
  EXPECT_DOUBLE_EQ(tc::floor_probability(model, p), 5.0 / 11 / 15);
  const auto empty = tc::build_chance_model(betas({"CASSLGQAYEQYF"}), ts::encode_tcrdist_set({}, ts::Chains::beta, nullptr),
                                            nullptr, *cpu, p);
  EXPECT_EQ(empty.profile, std::vector<double>(25, 1.0));
}

TEST(ChanceModel, NeighbourRowsAreThoseWithinTheRadius) {
  tc::ChanceParams p;
  p.repertoire_size = 8;
  p.target_neighbours = 3.5;  // radius 11: the first three of the seven, rows 1, 3, 5 in the estimation half
  const auto model = hand_model(p);
  ASSERT_EQ(model.neighbour_offsets.size(), 2u);
  EXPECT_EQ(model.neighbour_rows, (std::vector<std::uint32_t>{1, 3, 5}));
  const std::uint32_t refs[] = {0};
  EXPECT_DOUBLE_EQ(tc::union_probability(model, refs, p), 3.5 / 8);
}

TEST(ChanceModel, UnionCountsSharedNeighboursOnce) {
  tc::ChanceParams p;
  p.repertoire_size = 1;
  p.target_neighbours = 1e9;  // every reference gets the cap
  p.max_radius = 6;
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 1);
  const auto bg = ts::encode_tcrdist_set(betas(kBackground), ts::Chains::beta, nullptr);
  // CASSLGQAYEQYF reaches rows 0 (0) and 1 (6); CASSIGQAYEQYF rows 0 (6), 1 (0) and 2 (I/V = 3:
  // 3 x 1 = 3). Together rows 0, 1, 2: three, not five.
  const auto model = tc::build_chance_model(betas({"CASSLGQAYEQYF", "CASSIGQAYEQYF"}), bg, nullptr, *cpu, p);
  EXPECT_EQ(model.radius, (std::vector<std::int32_t>{6, 6}));
  const std::uint32_t both[] = {0, 1};
  EXPECT_EQ(model.neighbour_rows, (std::vector<std::uint32_t>{1, 3, 1, 3, 5}));
  EXPECT_DOUBLE_EQ(tc::union_probability(model, both, p), 3.5 / 8);
  EXPECT_DOUBLE_EQ(tc::union_probability(model, {}, p), 0.5 / 8);
}

TEST(ChanceModel, SmoothedFractionAndSurpriseWeight) {
  EXPECT_DOUBLE_EQ(tc::smoothed_fraction(0, 1000000, 0.5), 0.5 / 1000001);
  EXPECT_DOUBLE_EQ(tc::smoothed_fraction(10, 100, 0.0), 0.1);
  EXPECT_THROW(tc::smoothed_fraction(0, 0, 0.5), std::invalid_argument);
  EXPECT_THROW(tc::smoothed_fraction(1, 10, -1.0), std::invalid_argument);
  EXPECT_DOUBLE_EQ(tc::surprise_weight(1e-5, 1e5), 0.5);  // one chance neighbour expected: even odds
  EXPECT_DOUBLE_EQ(tc::surprise_weight(0.0, 1e5), 1.0);
  EXPECT_DOUBLE_EQ(tc::surprise_weight(1e-3, 1e5), 1.0 / 101.0);
  // Close to exp(-n p) where chance explains little (the Poisson probability of no chance neighbour).
  EXPECT_NEAR(tc::surprise_weight(1e-7, 1e5), std::exp(-0.01), 1e-4);
  // Coarse background counts move it boundedly: one draw more of 5 x 10^5 at n = 2.4 x 10^6.
  const double p0 = tc::smoothed_fraction(0, 500000, 0.5), p1 = tc::smoothed_fraction(1, 500000, 0.5);
  EXPECT_LT(tc::surprise_weight(p0, 2.4e6) / tc::surprise_weight(p1, 2.4e6), 3.0);
  // The ceiling: a 10^6-row background at a patient of 10^6 clonotypes gives a hit no row explains
  // 1 / (1 + 10^6 x 0.5 / (10^6 + 1)) ~ 2/3; ten times the rows, ~0.95.
  // (A model of that many rows whose floor pseudo-count is a = 0.5.)
  tc::ChanceParams jeffreys;
  const auto rows = [](std::size_t m) {
    tc::ChanceModel model;
    model.half_size[0] = m / 2;
    model.half_size[1] = m - m / 2;
    return model;
  };
  EXPECT_DOUBLE_EQ(tc::surprise_ceiling(rows(1000000), 1e6, jeffreys), 1.0 / (1.0 + 1e6 * 0.5 / 1000001));
  EXPECT_NEAR(tc::surprise_ceiling(rows(10000000), 1e6, jeffreys), 0.952, 1e-3);
  EXPECT_THROW(tc::surprise_ceiling(rows(0), 1e6, jeffreys), std::invalid_argument);
}

// The floor of references with no background row within the cap: Robbins' n1 / n0, shrunk toward
// a by k references. Five references, 0, 0, 0, 1 and 3 rows within the cap: n0 = 3, n1 = 1.
TEST(ChanceModel, FloorOfReferencesWithoutNeighboursIsRobbinsEstimateShrunkTowardJeffreys) {
  tc::ChanceModel model;
  model.max_distance = 24;
  model.half_size[0] = model.half_size[1] = 500;
  model.radius.assign(5, 24);
  const std::uint32_t at_cap[5][2] = {{0, 0}, {0, 0}, {0, 0}, {0, 1}, {2, 1}};
  for (auto& half : model.within) half.assign(5 * 25, 0);
  for (std::size_t r = 0; r < 5; ++r)
    for (int h = 0; h < 2; ++h) model.within[h][r * 25 + 24] = at_cap[r][h];
  model.profile.assign(25, 1.0);
  tc::ChanceParams p;  // a = 0.5, k = 10
  EXPECT_DOUBLE_EQ(tc::empty_reference_count(model, p), (1 + 10 * 0.5) / (3 + 10));
  EXPECT_EQ(model.empty_references, 3u);
  EXPECT_EQ(model.single_references, 1u);
  const double m = 1000 + 1;  // M + 2a
  EXPECT_DOUBLE_EQ(tc::floor_probability(model, p), 6.0 / 13 / m);
  EXPECT_DOUBLE_EQ(tc::whole_background_probability(model, 0, 24, p), 6.0 / 13 / m);
  EXPECT_DOUBLE_EQ(tc::whole_background_probability(model, 3, 24, p), 1.5 / m);  // (c + a): not floored
  EXPECT_DOUBLE_EQ(tc::surprise_ceiling(model, 1000, p), 1.0 / (1.0 + 1000 * 6.0 / 13 / m));
  // k = 0: Robbins' estimate alone; a huge k: a.
  tc::ChanceParams robbins = p;
  robbins.floor_strength = 0;
  EXPECT_DOUBLE_EQ(tc::empty_reference_count(model, robbins), 1.0 / 3);
  robbins.floor_strength = 1e12;
  EXPECT_NEAR(tc::empty_reference_count(model, robbins), 0.5, 1e-9);
  // Without the profile (kappa = 0) the floor stays a, whatever a0.
  tc::ChanceParams off = p;
  off.profile_strength = 0;
  EXPECT_DOUBLE_EQ(tc::floor_probability(model, off), 0.5 / m);
  // No reference at all, k = 0: a.
  tc::ChanceModel none;
  none.max_distance = 24;
  tc::ChanceParams zero = p;
  zero.floor_strength = 0;
  EXPECT_DOUBLE_EQ(tc::empty_reference_count(none, zero), 0.5);
  // A negative or infinite k is refused when a model is built.
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 1);
  const auto bg = ts::encode_tcrdist_set(betas(kBackground), ts::Chains::beta, nullptr);
  for (const double k : {-1.0, std::numeric_limits<double>::infinity(), std::nan("")}) {
    tc::ChanceParams bad = p;
    bad.floor_strength = k;
    EXPECT_THROW(tc::build_chance_model(betas({"CASSLGQAYEQYF"}), bg, nullptr, *cpu, bad), std::invalid_argument) << k;
  }
}

TEST(ChanceModel, EmptyInputs) {
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 1);
  const auto bg = ts::encode_tcrdist_set(betas(kBackground), ts::Chains::beta, nullptr);
  EXPECT_EQ(tc::build_chance_model({}, bg, nullptr, *cpu, {}).references(), 0u);
  const auto empty = ts::encode_tcrdist_set({}, ts::Chains::beta, nullptr);
  tc::ChanceParams p;
  p.max_radius = 6;
  const auto model = tc::build_chance_model(betas({"CASSLGQAYEQYF"}), empty, nullptr, *cpu, p);
  EXPECT_EQ(model.count_within(0, 6), 0u);
  EXPECT_EQ(model.background_size(), 0u);
  EXPECT_EQ(model.radius[0], 6);  // an empty background rules nothing out
  EXPECT_THROW(tc::chance_probability(model, 0, 3, p), std::invalid_argument);
  p.min_radius = 9;
  EXPECT_THROW(tc::build_chance_model(betas({"CASSLGQAYEQYF"}), bg, nullptr, *cpu, p), std::invalid_argument);
}

// A reference whose background neighbours alone pass the memory budget is a UsageError naming it,
// not the search's message about queries and top-k.
TEST(ChanceModel, AReferenceWhoseNeighboursAloneDoNotFitIsAnErrorNamingIt) {
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 1);
  // 64 KiB (the smallest budget) holds 2,730 hits: 5,000 copies of the reference do not fit.
  const auto bg = ts::encode_tcrdist_set(betas(std::vector<std::string>(5000, "CASSLGQAYEQYF")), ts::Chains::beta,
                                         nullptr);
  ts::EngineOptions tiny;
  tiny.memory_budget_bytes = 1;
  try {
    tc::build_chance_model(betas({"CASRRRRRRRRRF", "CASSLGQAYEQYF"}), bg, nullptr, *cpu, {}, tiny);
    FAIL() << "no error";
  } catch (const tilmatch::UsageError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("reference TCR 2 (CDR3b CASSLGQAYEQYF)"), std::string::npos) << m;
    EXPECT_NE(m.find("--memory"), std::string::npos) << m;
    EXPECT_EQ(m.find("top-k"), std::string::npos) << m;
  }
}

// Random CDR3s over a skewed alphabet, so that many pairs fall within 24.
std::vector<std::string> random_cdr3s(std::mt19937& rng, std::size_t n) {
  static const char kCommon[] = "SGTA";
  static const char kAll[] = "ACDEFGHIKLMNPQRSTVWY";
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string s = "CAS";
    const int middle = 5 + static_cast<int>(rng() % 4);
    for (int k = 0; k < middle; ++k) s += rng() % 8 == 0 ? kAll[rng() % 20] : kCommon[rng() % 4];
    s += "QYF";
    out.push_back(s);
  }
  return out;
}

TEST(ChanceModel, MatchesPairByPairCountsWhateverTheBlockSizeAndThreads) {
  const unsigned seed = 20261201;
  std::mt19937 rng(seed);
  SCOPED_TRACE(testing::Message() << "seed " << seed);
  const auto refs = betas(random_cdr3s(rng, 300));
  const auto bg_records = betas(random_cdr3s(rng, 4000));
  const auto bg = ts::encode_tcrdist_set(bg_records, ts::Chains::beta, nullptr);
  const auto ref_set = ts::encode_tcrdist_set(refs, ts::Chains::beta, nullptr);
  tc::ChanceParams p;
  p.repertoire_size = 1000;
  p.target_neighbours = 2.0;
  const auto one = ts::make_backend(ts::BackendKind::kCpu, 1);
  tc::ChanceBuildStats stats;
  const auto model = tc::build_chance_model(refs, bg, nullptr, *one, p, {}, {}, &stats);
  EXPECT_EQ(stats.pairs, 300u * 4000u);
  std::uint64_t total = 0;
  for (std::size_t r = 0; r < refs.size(); ++r) {
    std::uint32_t want[2][25] = {};
    for (std::size_t b = 0; b < bg_records.size(); ++b) {
      const int d = ts::tcrdist_pair(ref_set, r, bg, b);
      if (d <= 24) want[b % 2][d] += 1;
    }
    for (int h = 0; h < 2; ++h) {
      for (int d = 1; d <= 24; ++d) want[h][d] += want[h][d - 1];
      for (int d = 0; d <= 24; ++d)
        ASSERT_EQ(model.count_within(r, d, static_cast<tc::Half>(h)), want[h][d]) << "reference " << r << " d=" << d;
      total += want[h][24];
    }
  }
  EXPECT_EQ(stats.hits, total);
  ASSERT_GT(total, 300u * 10u) << "the test needs many hits to exercise the blocks";

  // A 64 KiB budget holds 2,730 hits: blocks must split (HitBudgetExceeded) and still count alike.
  ts::EngineOptions small;
  small.memory_budget_bytes = 1;
  const auto two = ts::make_backend(ts::BackendKind::kCpu, 2);
  tc::ChanceBuildStats split_stats;
  const auto split = tc::build_chance_model(refs, bg, nullptr, *two, p, small, {}, &split_stats);
  EXPECT_GT(split_stats.blocks, 1u);
  EXPECT_EQ(split.within[0], model.within[0]);
  EXPECT_EQ(split.within[1], model.within[1]);
  EXPECT_EQ(split.radius, model.radius);
  EXPECT_EQ(split.neighbour_offsets, model.neighbour_offsets);
  EXPECT_EQ(split.neighbour_rows, model.neighbour_rows);
}

TEST(ChanceModel, WithVLoopsMatchesPairByPairCounts) {
  TILMATCH_REQUIRE_SHARED(db, "tcr_oracles/tcrdist3_alphabeta_gammadelta_db.tsv");
  const auto vgenes = ts::VGeneTable::load(db);
  // 1,000 of the shipped background's draws with a V gene of the table (every 97th: its rows are
  // sorted by V gene), and 20 later ones (with one CDR3 residue changed, so that distances vary)
  // as references.
  const tilmatch::Background bg = tilmatch::io::read_background((tilmatch::test::source_dir() / "data" / "background" /
                                                 "olga_trb_1m.txt.gz").string());
  std::vector<ts::TcrRecord> rows, refs;
  for (std::size_t i = 0; i < bg.size(); i += 97) {
    const ts::TcrRecord r = tc::background_record(bg, i);
    if (!vgenes.contains(r.v_b)) continue;
    if (rows.size() < 1000) {
      rows.push_back(r);
    } else if (refs.size() < 20) {
      ts::TcrRecord x = r;
      x.cdr3_b[4] = x.cdr3_b[4] == 'L' ? 'I' : 'L';
      refs.push_back(x);
    }
  }
  ASSERT_EQ(refs.size(), 20u);
  // Background rows near the references: their own CDR3s with a V gene of another family.
  for (std::size_t i = 0; i < refs.size(); ++i) rows.push_back({"", refs[i].cdr3_b, "", rows[i].v_b});
  const auto set = ts::encode_tcrdist_set(rows, ts::Chains::beta, &vgenes);
  const auto ref_set = ts::encode_tcrdist_set(refs, ts::Chains::beta, &vgenes);
  tc::ChanceParams p;
  p.max_radius = 60;  // V loops add tens
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 2);
  const auto model = tc::build_chance_model(refs, set, &vgenes, *cpu, p);
  std::uint64_t within = 0;
  for (std::size_t r = 0; r < refs.size(); ++r) {
    std::uint32_t want[2] = {0, 0};
    for (std::size_t b = 0; b < rows.size(); ++b)
      if (ts::tcrdist_pair(ref_set, r, set, b) <= 60) want[b % 2] += 1;
    ASSERT_EQ(model.count_within(r, 60, tc::Half::kSelection), want[0]) << "reference " << r;
    ASSERT_EQ(model.count_within(r, 60, tc::Half::kEstimation), want[1]) << "reference " << r;
    within += want[0] + want[1];
  }
  EXPECT_GE(within, 10u) << "the planted near rows must be found";
  // Without V loops the same references find at least as many rows within 60 (loops only add).
  const auto plain = tc::build_chance_model(refs, ts::encode_tcrdist_set(rows, ts::Chains::beta, nullptr), nullptr,
                                            *cpu, p);
  for (std::size_t r = 0; r < refs.size(); ++r)
    EXPECT_GE(plain.count_within(r, 60), model.count_within(r, 60)) << "reference " << r;
  EXPECT_THROW(tc::build_chance_model(refs, set, nullptr, *cpu, p), std::invalid_argument);
}

TEST(ChanceModel, CudaBackendGivesTheCpuModel) {
  std::unique_ptr<ts::Backend> cuda;
  try {
    cuda = ts::make_backend(ts::BackendKind::kCuda, 2);
  } catch (const tilmatch::BackendUnavailable& e) {
    GTEST_SKIP() << "no CUDA backend: " << e.what();
  }
  const unsigned seed = 7;
  std::mt19937 rng(seed);
  SCOPED_TRACE(testing::Message() << "seed " << seed << ", " << cuda->name());
  const auto refs = betas(random_cdr3s(rng, 2000));
  const auto bg = ts::encode_tcrdist_set(betas(random_cdr3s(rng, 50000)), ts::Chains::beta, nullptr);
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 2);
  const tc::ChanceParams p;
  const auto a = tc::build_chance_model(refs, bg, nullptr, *cpu, p);
  const auto b = tc::build_chance_model(refs, bg, nullptr, *cuda, p);
  EXPECT_EQ(a.within[0], b.within[0]);
  EXPECT_EQ(a.within[1], b.within[1]);
  EXPECT_EQ(a.radius, b.radius);
  EXPECT_EQ(a.neighbour_rows, b.neighbour_rows);
}

}  // namespace
