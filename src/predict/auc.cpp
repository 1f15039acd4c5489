#include "predict/auc.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace tilmatch::predict {

std::optional<double> roc_auc(std::span<const double> scores, std::span<const int> labels) {
  if (scores.size() != labels.size()) throw std::invalid_argument("roc_auc: scores and labels differ in length");
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (double s : scores)
    if (std::isnan(s)) throw std::invalid_argument("roc_auc: NaN score");
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  double positive_rank_sum = 0.0;
  double n_pos = 0.0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    // Ranks i+1 .. j share their mean.
    const double mid_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t t = i; t < j; ++t) {
      if (labels[order[t]] != 0) {
        positive_rank_sum += mid_rank;
        n_pos += 1.0;
      }
    }
    i = j;
  }
  const double n_neg = static_cast<double>(scores.size()) - n_pos;
  if (n_pos == 0.0 || n_neg == 0.0) return std::nullopt;
  const double u = positive_rank_sum - n_pos * (n_pos + 1.0) / 2.0;
  return u / (n_pos * n_neg);
}

}  // namespace tilmatch::predict
