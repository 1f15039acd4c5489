#include "predict/kernel.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "tilmatch/error.hpp"

namespace tilmatch::predict {

Kernel parse_kernel(std::string_view name) {
  for (Kernel k : {Kernel::nearest, Kernel::mean, Kernel::knn})
    if (to_string(k) == name) return k;
  throw UsageError("unknown kernel '" + std::string(name) + "' (expected nearest, mean or knn)");
}

std::string_view to_string(Kernel kernel) noexcept {
  switch (kernel) {
    case Kernel::nearest: return "nearest";
    case Kernel::mean: return "mean";
    case Kernel::knn: return "knn";
  }
  return "unknown";
}

void check_kernel_params(const KernelParams& params) {
  if (!(params.scale > 0) || !std::isfinite(params.scale))
    throw UsageError("kernel scale must be a positive number of TCRdist units");
  if (params.k == 0) throw UsageError("knn needs k >= 1");
}

double class_similarity(std::span<const int> distances, const KernelParams& params) {
  if (distances.empty()) return 0.0;
  // Sorted, so the nearest members come first and the sum's order does not depend on the caller's.
  std::vector<int> d(distances.begin(), distances.end());
  std::size_t used = d.size();
  if (params.kernel == Kernel::nearest) used = 1;
  if (params.kernel == Kernel::knn) used = std::min(params.k, d.size());
  std::partial_sort(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(used), d.end());
  double sum = 0.0;
  for (std::size_t i = 0; i < used; ++i) sum += std::exp(-static_cast<double>(d[i]) / params.scale);
  return sum / static_cast<double>(used);
}

double epitope_score(std::span<const int> positive_distances, std::span<const int> negative_distances,
                     const KernelParams& params) {
  const double positive = class_similarity(positive_distances, params);
  return params.balanced ? positive - class_similarity(negative_distances, params) : positive;
}

}  // namespace tilmatch::predict
