// Run sizing of searches under a memory budget (scoring/search_runs.hpp), with a fake scorer that
// fails like a backend whose hits pass the budget: no backend, no data.

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "scoring/engine.hpp"
#include "scoring/search_runs.hpp"
#include "tilmatch/error.hpp"

namespace ts = tilmatch::scoring;

namespace {

using Span = std::pair<std::size_t, std::size_t>;

/// A scorer that keeps `hits_per_query` hits per query and, as a backend does, throws
/// HitBudgetExceeded (keeping nothing) when a run has more than `max_run` queries.
struct FakeScorer {
  explicit FakeScorer(std::size_t largest_run, std::size_t hits_each = 1)
      : max_run(largest_run), hits_per_query(hits_each) {}

  std::size_t max_run;
  std::size_t hits_per_query;
  std::vector<Span> tried;   // every call, in order
  std::vector<Span> scored;  // the calls that kept their hits

  ts::ScoreRun fn() {
    return [this](std::size_t from, std::size_t to) -> std::size_t {
      tried.emplace_back(from, to);
      if (to - from > max_run) throw ts::HitBudgetExceeded(1);
      scored.emplace_back(from, to);
      return (to - from) * hits_per_query;
    };
  }
};

/// A budget whose first run is `first` queries when each may hit `max_hits` references: half of
/// it holds first x max_hits hits of kBytesPerHit bytes.
std::size_t budget_for(std::size_t first, std::size_t max_hits) { return 2 * ts::kBytesPerHit * max_hits * first; }

/// True when `runs` cover [0, n) in order, each query once.
bool covers_in_order(const std::vector<Span>& runs, std::size_t n) {
  std::size_t next = 0;
  for (const auto& [from, to] : runs) {
    if (from != next || to <= from) return false;
    next = to;
  }
  return next == n;
}

}  // namespace

TEST(FirstRunSize, HalfTheBudgetHoldsEveryQueryHittingItsMaximum) {
  EXPECT_EQ(ts::first_run_size(budget_for(64, 100), 100), 64u);
  EXPECT_EQ(ts::first_run_size(budget_for(64, 100) - 1, 100), 63u);  // rounded down
  EXPECT_EQ(ts::first_run_size(budget_for(1, 100) - 1, 100), 1u);    // never below one query
  EXPECT_EQ(ts::first_run_size(std::size_t{1} << 40, 1), ts::kMaxQueriesPerRun);
  EXPECT_EQ(ts::first_run_size(budget_for(5, 1), 0), 5u);  // no reference counts as one hit per query
}

TEST(SearchRuns, RunsShrinkByQuartersWhenHitsPassTheBudgetThenGrowByTwo) {
  // First run 64; the scorer takes at most 10 queries. One hit per query leaves room for 1,600 per
  // run (half the budget over 4 hits per query), so after a success a run only doubles.
  FakeScorer s{10};
  const std::size_t hits = ts::search_in_runs(100, budget_for(64, 100), 100, s.fn());
  const std::vector<Span> first_tries = {{0, 64},  {0, 16},  {0, 4},   {4, 12},  {12, 28},
                                        {12, 16}, {16, 24}, {24, 40}, {24, 28}, {28, 36}};
  ASSERT_GE(s.tried.size(), first_tries.size());
  EXPECT_EQ(std::vector<Span>(s.tried.begin(), s.tried.begin() + 10), first_tries);
  EXPECT_TRUE(covers_in_order(s.scored, 100));
  for (const auto& [from, to] : s.scored) EXPECT_LE(to - from, 10u);
  EXPECT_EQ(hits, 100u);
}

TEST(SearchRuns, GrowthIsCappedByTheHitsSeen) {
  // 50 hits per query: after the first run of 64 (room for 6,400 hits), the next runs hold 4 x 50
  // hits per query in the same room: 32 queries.
  FakeScorer s{1000, 50};
  ts::search_in_runs(100, budget_for(64, 100), 100, s.fn());
  EXPECT_EQ(s.tried, (std::vector<Span>{{0, 64}, {64, 96}, {96, 100}}));
}

TEST(SearchRuns, RunsNeverPassTheLargestRun) {
  FakeScorer s{ts::kMaxQueriesPerRun * 4};
  const std::size_t n = ts::kMaxQueriesPerRun * 3 + 5;
  ts::search_in_runs(n, std::size_t{1} << 40, 1, s.fn());
  EXPECT_TRUE(covers_in_order(s.scored, n));
  EXPECT_EQ(s.tried.size(), 4u);
  for (const auto& [from, to] : s.tried) EXPECT_LE(to - from, ts::kMaxQueriesPerRun);
}

TEST(SearchRuns, NoQueriesScoresNothing) {
  FakeScorer s{10};
  EXPECT_EQ(ts::search_in_runs(0, budget_for(64, 100), 100, s.fn()), 0u);
  EXPECT_TRUE(s.tried.empty());
}

TEST(SearchRuns, AQueryWhoseHitsAloneDoNotFitIsAnError) {
  FakeScorer s{0};  // not even one query fits
  try {
    ts::search_in_runs(100, budget_for(64, 100), 100, s.fn());
    FAIL() << "expected QueryOverBudget";
  } catch (const ts::QueryOverBudget& e) {
    EXPECT_EQ(e.query(), 0u);
    EXPECT_NE(std::string(e.what()).find("query 1 alone has more hits than a memory budget of " +
                                         std::to_string(budget_for(64, 100)) + " bytes"),
              std::string::npos)
        << e.what();
  }
  // 64 -> 16 -> 4 -> 1 queries, then the error.
  EXPECT_EQ(s.tried, (std::vector<Span>{{0, 64}, {0, 16}, {0, 4}, {0, 1}}));
  EXPECT_TRUE(s.scored.empty());
}

TEST(SearchRuns, BlocksCarryTheRunSizeAndTheQueryCount) {
  ts::SearchRuns runs(budget_for(4, 100), 100);
  FakeScorer a{1000};
  runs.score(10, a.fn());
  EXPECT_EQ(a.tried, (std::vector<Span>{{0, 4}, {4, 10}}));  // 4, then 8 (clipped at the block's end)
  EXPECT_EQ(runs.queries(), 10u);
  EXPECT_EQ(runs.next_run(), 16u);
  // In the second block, query 3 (the 14th overall) alone passes the budget.
  std::vector<Span> tried;
  auto fails_at_3 = [&tried](std::size_t from, std::size_t to) -> std::size_t {
    tried.emplace_back(from, to);
    if (from <= 3 && 3 < to) throw ts::HitBudgetExceeded(1);
    return to - from;
  };
  try {
    runs.score(20, fails_at_3);
    FAIL() << "expected QueryOverBudget";
  } catch (const ts::QueryOverBudget& e) {
    EXPECT_EQ(e.query(), 13u);
  }
  EXPECT_EQ(tried, (std::vector<Span>{{0, 16}, {0, 4}, {0, 1}, {1, 3}, {3, 7}, {3, 4}}));
  EXPECT_EQ(runs.queries(), 13u);
  EXPECT_EQ(runs.hits(), 13u);
}

TEST(SearchRuns, OtherErrorsPassThroughUnchanged) {
  auto bad = [](std::size_t, std::size_t) -> std::size_t { throw tilmatch::InputError("q.tsv", "line 3", "bad"); };
  EXPECT_THROW(ts::search_in_runs(10, budget_for(4, 100), 100, bad), tilmatch::InputError);
}
