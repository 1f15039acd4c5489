#include "scoring/search_runs.hpp"

#include <string>
#include <utility>

#include "tilmatch/log.hpp"

namespace tilmatch::scoring {

std::size_t first_run_size(std::size_t memory_budget_bytes, std::size_t max_hits_per_query) {
  return std::clamp<std::size_t>(
      memory_budget_bytes / 2 / (kBytesPerHit * std::max<std::size_t>(1, max_hits_per_query)), 1, kMaxQueriesPerRun);
}

QueryOverBudget::QueryOverBudget(std::size_t query, std::size_t memory_budget_bytes)
    : UsageError("query " + std::to_string(query + 1) + " alone has more hits than a memory budget of " +
                 std::to_string(memory_budget_bytes) +
                 " bytes holds; tighten the threshold, use top-k or raise the memory budget"),
      query_(query) {}

SearchRuns::SearchRuns(std::size_t memory_budget_bytes, std::size_t max_hits_per_query, std::string what)
    : memory_budget_bytes_(memory_budget_bytes),
      what_(std::move(what)),
      run_(first_run_size(memory_budget_bytes, max_hits_per_query)) {}

void SearchRuns::score(std::size_t n, const ScoreRun& score_run) {
  const std::size_t first = queries_;  // this block's first query among all
  for (std::size_t from = 0; from < n;) {
    const std::size_t to = std::min(n, from + run_);
    std::size_t found = 0;
    try {
      found = score_run(from, to);
    } catch (const HitBudgetExceeded&) {
      if (to - from == 1) throw QueryOverBudget(first + from, memory_budget_bytes_);
      run_ = std::max<std::size_t>(1, (to - from) / 4);
      log::debug(what_ + " " + std::to_string(first + from + 1) + "-" + std::to_string(first + to) +
                 " pass the budget; scoring them " + std::to_string(run_) + " at a time");
      continue;
    }
    queries_ += to - from;
    hits_ += found;
    from = to;
    // 4x the hits per query seen so far leaves room for a denser stretch of queries ahead.
    const double per_query = static_cast<double>(hits_) / static_cast<double>(queries_);
    const double fits = static_cast<double>(memory_budget_bytes_ / 2) /
                        (static_cast<double>(kBytesPerHit) * std::max(1.0, 4 * per_query));
    run_ = std::clamp<std::size_t>(static_cast<std::size_t>(fits), 1, std::min(2 * run_, kMaxQueriesPerRun));
  }
}

std::size_t search_in_runs(std::size_t n_queries, std::size_t memory_budget_bytes, std::size_t max_hits_per_query,
                           const ScoreRun& score_run, std::string what) {
  SearchRuns runs(memory_budget_bytes, max_hits_per_query, std::move(what));
  runs.score(n_queries, score_run);
  return runs.hits();
}

}  // namespace tilmatch::scoring
