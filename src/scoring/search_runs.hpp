#pragma once
/// Scoring many queries against a reference within a memory budget: the queries are scored in runs
/// whose hits should fit in half the budget, each run's hits handed on before the next is scored.
/// Shared by `tilmatch search`, `tilmatch neighbors` and the Python module, so that they size and
/// retry runs alike. Hits are ordered by query first, so what the runs give is the same whatever
/// their sizes.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>

#include "scoring/engine.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::scoring {

/// Bytes a kept hit is charged while sizing runs: the larger hit struct plus about what a caller
/// keeps for it (a TSV row, or a few array cells).
inline constexpr std::size_t kBytesPerHit = std::max(sizeof(TcrdistHit), sizeof(TcrmatchHit)) + 64;

/// Queries per run at most: large enough to keep every core busy on tiles, small enough that a
/// run's TCRs (about 200 bytes each) stay a few MB.
inline constexpr std::size_t kMaxQueriesPerRun = 16384;

/// The first run's size in queries: every query hitting `max_hits_per_query` references (at least 1)
/// at kBytesPerHit fits in half of `memory_budget_bytes`; between 1 and kMaxQueriesPerRun.
std::size_t first_run_size(std::size_t memory_budget_bytes, std::size_t max_hits_per_query);

/// Thrown when one query's hits alone pass the budget (a run of one query threw HitBudgetExceeded).
class QueryOverBudget : public UsageError {
 public:
  QueryOverBudget(std::size_t query, std::size_t memory_budget_bytes);
  /// 0-based number of the query among all queries scored by the SearchRuns.
  std::size_t query() const noexcept { return query_; }

 private:
  std::size_t query_;
};

/// Scores queries [from, to) (numbered within the current SearchRuns::score call) and returns how
/// many hits it kept; throws HitBudgetExceeded, having kept and handed on nothing, when they do not
/// fit the budget.
using ScoreRun = std::function<std::size_t(std::size_t from, std::size_t to)>;

/// Sizes the runs of one search over a stream of queries, which may arrive in blocks (one score()
/// call each): the run size and the hits per query seen carry over from block to block.
///
/// The first run assumes every query hits `max_hits_per_query` references (first_run_size). After
/// each run, the next is sized so that 4x the hits per query seen so far fit in half the budget,
/// growing at most 2x per run, never above kMaxQueriesPerRun. A run that throws HitBudgetExceeded
/// is scored again a quarter the size (at least 1 query); a single query that throws is
/// QueryOverBudget.
class SearchRuns {
 public:
  /// `memory_budget_bytes`: what the whole search may hold (half of it for hits). `what` names the
  /// queries' hits in the debug line logged when a run is split ("search: hits of queries 1-512
  /// pass the budget; ...").
  SearchRuns(std::size_t memory_budget_bytes, std::size_t max_hits_per_query,
             std::string what = "search: hits of queries");

  /// Scores the next `n` queries in runs, in order, each query exactly once: calls
  /// `score_run(from, to)` for consecutive runs covering [0, n). Throws QueryOverBudget (query()
  /// counts every query before this block too) and whatever score_run throws besides
  /// HitBudgetExceeded.
  void score(std::size_t n, const ScoreRun& score_run);

  /// Queries scored so far, over every score() call.
  std::size_t queries() const noexcept { return queries_; }
  /// Hits kept so far (the sum of score_run's results).
  std::size_t hits() const noexcept { return hits_; }
  /// The size in queries of the next run.
  std::size_t next_run() const noexcept { return run_; }

 private:
  std::size_t memory_budget_bytes_;
  std::string what_;
  std::size_t run_;
  std::size_t queries_ = 0;
  std::size_t hits_ = 0;
};

/// Scores queries [0, n_queries) in runs as SearchRuns does; returns the hits kept in all.
std::size_t search_in_runs(std::size_t n_queries, std::size_t memory_budget_bytes, std::size_t max_hits_per_query,
                           const ScoreRun& score_run, std::string what = "search: hits of queries");

}  // namespace tilmatch::scoring
