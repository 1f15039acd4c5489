#pragma once
/// Area under the ROC curve of scores against binary labels, for leave-one-out benchmarks of
/// `tilmatch predict`.

#include <optional>
#include <span>

namespace tilmatch::predict {

/// ROC AUC: the probability that a random positive scores above a random negative, ties counting
/// one half. Computed as the Mann-Whitney U statistic over n_pos * n_neg with mid-ranks for ties
/// (Hanley & McNeil, Radiology 143:29-36, 1982, eq. 2; Mason & Graham, QJRMS 128:2145, 2002), which
/// equals sklearn.metrics.roc_auc_score. `labels[i]` is 1 when scores[i] is a positive, 0 when a negative.
/// nullopt when either class is empty; scores must not be NaN (std::invalid_argument).
std::optional<double> roc_auc(std::span<const double> scores, std::span<const int> labels);

}  // namespace tilmatch::predict
