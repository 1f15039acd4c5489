// The aggregation kernels against values computed by hand (python math.exp, printed with repr).

#include <gtest/gtest.h>

#include <vector>

#include "predict/kernel.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::predict {
namespace {

// Doubles from one libm agree to the last bits; 1e-12 leaves room for another libm's exp.
constexpr double kTol = 1e-12;

KernelParams params(Kernel kernel, bool balanced, double scale = 24.0, std::size_t k = 5) {
  KernelParams p;
  p.kernel = kernel;
  p.balanced = balanced;
  p.scale = scale;
  p.k = k;
  return p;
}

TEST(PredictKernel, MeanIsTheAverageSimilarityOverTheClass) {
  const std::vector<int> pos{12, 0, 24};
  // (exp(-12/24) + exp(0) + exp(-24/24)) / 3
  EXPECT_NEAR(class_similarity(pos, params(Kernel::mean, false)), 0.658136700294692, kTol);
}

TEST(PredictKernel, NearestTakesTheClosestMemberWhateverItsPosition) {
  const std::vector<int> pos{30, 12, 40};
  EXPECT_NEAR(class_similarity(pos, params(Kernel::nearest, false, 6.0)), 0.1353352832366127, kTol);  // exp(-2)
}

TEST(PredictKernel, KnnAveragesTheKNearestOnly) {
  const std::vector<int> pos{24, 0, 300, 12};
  // the two nearest, 0 and 12: (1 + exp(-0.5)) / 2
  EXPECT_NEAR(class_similarity(pos, params(Kernel::knn, false, 24.0, 2)), 0.8032653298563167, kTol);
  // k larger than the class: every member
  const std::vector<int> three{12, 0, 24};
  EXPECT_NEAR(class_similarity(three, params(Kernel::knn, false, 24.0, 10)), 0.658136700294692, kTol);
}

TEST(PredictKernel, BalancedSubtractsTheNegativesSummary) {
  const std::vector<int> pos{12, 0, 24}, neg{48};
  EXPECT_NEAR(epitope_score(pos, neg, params(Kernel::mean, true)), 0.5228014170580793, kTol);
  EXPECT_NEAR(epitope_score(pos, neg, params(Kernel::mean, false)), 0.658136700294692, kTol);
  EXPECT_NEAR(epitope_score(pos, neg, params(Kernel::nearest, true)), 0.8646647167633873, kTol);  // 1 - exp(-2)
}

TEST(PredictKernel, AnEmptyClassSummarisesToZero) {
  const std::vector<int> none, neg{0};
  EXPECT_EQ(class_similarity(none, params(Kernel::mean, false)), 0.0);
  EXPECT_EQ(epitope_score(none, neg, params(Kernel::nearest, true)), -1.0);
  EXPECT_EQ(epitope_score(neg, none, params(Kernel::knn, true)), 1.0);
}

TEST(PredictKernel, InputOrderDoesNotChangeTheBits) {
  std::vector<int> a{7, 300, 15, 15, 90, 1, 44, 250, 3}, b(a.rbegin(), a.rend());
  for (Kernel k : {Kernel::nearest, Kernel::mean, Kernel::knn})
    EXPECT_EQ(class_similarity(a, params(k, false, 13.0, 4)), class_similarity(b, params(k, false, 13.0, 4)));
}

TEST(PredictKernel, NamesAndParameterChecks) {
  EXPECT_EQ(parse_kernel("knn"), Kernel::knn);
  EXPECT_EQ(to_string(parse_kernel("nearest")), "nearest");
  EXPECT_THROW(parse_kernel("exp"), UsageError);
  EXPECT_THROW(check_kernel_params(params(Kernel::mean, true, 0.0)), UsageError);
  EXPECT_THROW(check_kernel_params(params(Kernel::knn, true, 24.0, 0)), UsageError);
  EXPECT_NO_THROW(check_kernel_params(params(Kernel::knn, true, 24.0, 1)));
}

}  // namespace
}  // namespace tilmatch::predict
