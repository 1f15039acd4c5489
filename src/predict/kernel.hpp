#pragma once
/// How the distances of one query TCR to an epitope's labelled reference TCRs become one score
/// (`tilmatch predict`). Pure functions over plain values; the distances come from the scorer
/// (TCRdist, scoring/tcrdist.hpp), the aggregation is decided here.
///
/// Every kernel turns a distance d into a similarity exp(-d/s) in (0, 1] and summarises a set of
/// them; a set with no member summarises to 0. Class balancing subtracts the same summary over the
/// epitope's negatives (a class-balanced kernel classifier: each class weighs 1 whatever its size,
/// Schölkopf & Smola, "Learning with Kernels", 2002, §1.2 "a simple pattern recognition algorithm",
/// with the Laplacian kernel exp(-d/s) of a distance). A higher score means more likely to bind.

#include <cstddef>
#include <span>
#include <string_view>

namespace tilmatch::predict {

enum class Kernel {
  nearest,  ///< exp(-d_min/s): the nearest member alone (the nearest-neighbour baseline)
  mean,     ///< mean of exp(-d/s) over every member (Parzen window)
  knn,      ///< mean of exp(-d/s) over the k nearest members (all of them when fewer)
};

/// "nearest", "mean" or "knn"; UsageError otherwise.
Kernel parse_kernel(std::string_view name);
std::string_view to_string(Kernel kernel) noexcept;

struct KernelParams {
  Kernel kernel = Kernel::mean;
  /// Distance scale s of exp(-d/s), in TCRdist units (> 0).
  double scale = 24.0;
  /// Members summarised by Kernel::knn (>= 1).
  std::size_t k = 5;
  /// Subtract the summary over the negatives (the score then lies in [-1, 1], else in [0, 1]).
  bool balanced = true;
};

/// Summary of one class: the kernel applied to `distances` (any order; TCRdist units, >= 0).
/// Sums run in a fixed order (ascending distance), so equal inputs give equal bits.
double class_similarity(std::span<const int> distances, const KernelParams& params);

/// The score of a query for an epitope: class_similarity over the positives, minus the same over
/// the negatives when params.balanced.
double epitope_score(std::span<const int> positive_distances, std::span<const int> negative_distances,
                     const KernelParams& params);

/// Throws UsageError when `params` is out of range (scale not a positive finite number, k of 0).
void check_kernel_params(const KernelParams& params);

}  // namespace tilmatch::predict
