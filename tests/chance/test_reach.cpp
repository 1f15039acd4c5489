// chance::Reach: rows it leaves out are out of reach of every reference, so the chance model built
// on the rows it keeps (with their row numbers) is the model of the whole background, bit for bit;
// and it leaves out most rows of a large background for a few references.

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "chance/background.hpp"
#include "chance/chance_model.hpp"
#include "io/background.hpp"
#include "chance/reach.hpp"
#include "common/test_support.hpp"
#include "scoring/backend.hpp"
#include "scoring/vgene_table.hpp"

namespace tc = tilmatch::chance;
namespace ts = tilmatch::scoring;

namespace {

/// Every 50th row of the shipped background (20,000 rows over every V gene: its rows are sorted
/// by V gene), as a Background of its own.
tilmatch::Background sample() {
  static const tilmatch::Background shipped =
      tilmatch::io::read_background((tilmatch::test::source_dir() / "data" / "background" / "olga_trb_1m.txt.gz").string());
  tilmatch::Background bg;
  bg.file = "sample";
  for (std::size_t i = 0; i < shipped.size(); i += 50) bg.add(shipped.cdr3_of(i), shipped.v_of(i));
  return bg;
}

/// References: 12 background rows with one residue changed, of different V genes and lengths.
std::vector<ts::TcrRecord> references(const tilmatch::Background& bg) {
  std::vector<ts::TcrRecord> refs;
  for (std::size_t i = 7; i < bg.size() && refs.size() < 12; i += bg.size() / 12) {
    ts::TcrRecord r = tc::background_record(bg, i);
    r.cdr3_b[5] = r.cdr3_b[5] == 'G' ? 'A' : 'G';
    refs.push_back(r);
  }
  return refs;
}

void expect_same_model(const tc::ChanceModel& a, const tc::ChanceModel& b) {
  EXPECT_EQ(a.half_size[0], b.half_size[0]);
  EXPECT_EQ(a.half_size[1], b.half_size[1]);
  EXPECT_EQ(a.within[0], b.within[0]);
  EXPECT_EQ(a.within[1], b.within[1]);
  EXPECT_EQ(a.radius, b.radius);
  EXPECT_EQ(a.neighbour_offsets, b.neighbour_offsets);
  EXPECT_EQ(a.neighbour_rows, b.neighbour_rows);
}

/// The model over the rows `reach` keeps, and how many it kept.
tc::ChanceModel model_in_reach(const std::vector<ts::TcrRecord>& refs, const tilmatch::Background& bg,
                               const ts::VGeneTable* vgenes, const tc::ChanceParams& p, const ts::Backend& backend,
                               std::size_t& kept) {
  const tc::Reach reach(bg, refs, vgenes, p.max_radius);
  std::vector<ts::TcrRecord> rows;
  std::vector<std::uint32_t> number;
  for (std::size_t i = 0; i < bg.size(); ++i)
    if (reach(i)) {
      rows.push_back(tc::background_record(bg, i));
      number.push_back(static_cast<std::uint32_t>(i));
    }
  kept = rows.size();
  return tc::build_chance_model(refs, ts::encode_tcrdist_set(rows, ts::Chains::beta, vgenes), number, bg.size(),
                                vgenes, backend, p);
}

TEST(ChanceBackground, RowsBecomeBetaChainRecords) {
  tilmatch::Background bg;
  bg.add("CASSLGQAYEQYF", "TRBV6-1*01");
  bg.add("CASSARSGDYEQYF", "TRBV5-1*01");
  const ts::TcrRecord r = tc::background_record(bg, 1);
  EXPECT_EQ(r.cdr3_b, "CASSARSGDYEQYF");
  EXPECT_EQ(r.v_b, "TRBV5-1*01");
  EXPECT_TRUE(r.cdr3_a.empty());
  EXPECT_TRUE(r.v_a.empty());
  const std::vector<ts::TcrRecord> all = tc::background_records(bg);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].cdr3_b, "CASSLGQAYEQYF");
  EXPECT_EQ(all[1].v_b, "TRBV5-1*01");
}

TEST(ChanceReach, ModelOnRowsInReachIsTheWholeModelWithVLoops) {
  const tilmatch::Background bg = sample();
  const auto refs = references(bg);
  const ts::VGeneTable& vgenes = ts::VGeneTable::builtin();
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 2);
  for (const int cap : {24, 36}) {
    tc::ChanceParams p;
    p.max_radius = cap;
    const auto whole = tc::build_chance_model(refs, ts::encode_tcrdist_set(tc::background_records(bg), ts::Chains::beta, &vgenes),
                                              &vgenes, *cpu, p);
    std::size_t kept = 0;
    const auto part = model_in_reach(refs, bg, &vgenes, p, *cpu, kept);
    expect_same_model(part, whole);
    // The planted near rows are found (the comparison is not of two empty models)...
    std::uint64_t near = 0;
    for (std::size_t r = 0; r < refs.size(); ++r)
      near += whole.count_within(r, cap, tc::Half::kSelection) + whole.count_within(r, cap, tc::Half::kEstimation);
    EXPECT_GE(near, refs.size());  // each reference's own row, one substitution away, at least
    // ...and most rows are left out: 12 references reach few (V gene, length) classes.
    EXPECT_LT(kept, bg.size() / 2) << "cap " << cap;
    EXPECT_GT(kept, 0u);
  }
}

TEST(ChanceReach, ModelOnRowsInReachIsTheWholeModelOnCdr3Alone) {
  const tilmatch::Background bg = sample();
  const auto refs = references(bg);
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 2);
  tc::ChanceParams p;
  p.max_radius = 24;  // two residues of length difference at most
  const auto whole =
      tc::build_chance_model(refs, ts::encode_tcrdist_set(tc::background_records(bg), ts::Chains::beta, nullptr), nullptr, *cpu, p);
  std::size_t kept = 0;
  const auto part = model_in_reach(refs, bg, nullptr, p, *cpu, kept);
  expect_same_model(part, whole);
  EXPECT_LT(kept, bg.size());  // lengths more than two residues from every reference's are out
}

TEST(ChanceReach, NoReferenceOrNegativeDistanceReachesNothing) {
  const tilmatch::Background bg = sample();
  const tc::Reach none(bg, {}, nullptr, 24);
  const tc::Reach negative(bg, references(bg), nullptr, -1);
  for (std::size_t i = 0; i < bg.size(); i += 101) {
    EXPECT_FALSE(none(i));
    EXPECT_FALSE(negative(i));
  }
}

TEST(ChanceReach, RowNumbersMustFitTheRowsAndAscend) {
  const tilmatch::Background bg = sample();
  const auto refs = references(bg);
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 1);
  const std::vector<ts::TcrRecord> two{tc::background_record(bg, 0), tc::background_record(bg, 1)};
  const auto set = ts::encode_tcrdist_set(two, ts::Chains::beta, nullptr);
  const std::vector<std::uint32_t> descending{5, 3}, past_end{1, 10}, one{1}, none;
  EXPECT_THROW(tc::build_chance_model(refs, set, descending, 10, nullptr, *cpu, {}), std::invalid_argument);
  EXPECT_THROW(tc::build_chance_model(refs, set, past_end, 10, nullptr, *cpu, {}), std::invalid_argument);
  EXPECT_THROW(tc::build_chance_model(refs, set, one, 10, nullptr, *cpu, {}), std::invalid_argument);
  EXPECT_THROW(tc::build_chance_model(refs, set, none, 10, nullptr, *cpu, {}), std::invalid_argument);
  // No row in reach: an empty set with no row numbers is a background with nothing near.
  const auto empty = ts::encode_tcrdist_set({}, ts::Chains::beta, nullptr);
  const auto nothing = tc::build_chance_model(refs, empty, none, 10, nullptr, *cpu, {});
  EXPECT_EQ(nothing.half_size[1], 5u);
  EXPECT_EQ(nothing.count_within(0, 24), 0u);
  const std::vector<std::uint32_t> fine{3, 8};
  const auto m = tc::build_chance_model(refs, set, fine, 10, nullptr, *cpu, {});
  EXPECT_EQ(m.half_size[0], 5u);
  EXPECT_EQ(m.half_size[1], 5u);
}

}  // namespace
