// ROC AUC against sklearn.metrics.roc_auc_score (scikit-learn 1.x), values printed with repr.

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "predict/auc.hpp"

namespace tilmatch::predict {
namespace {

constexpr double kTol = 1e-12;

std::vector<int> labels(const std::vector<int>& v) { return v; }

TEST(RocAuc, MatchesSklearnWithTiesAcrossClasses) {
  // roc_auc_score([1,0,1,1,0,0], [0.9,0.8,0.8,0.3,0.3,0.1]) == 0.7777777777777778
  const std::vector<double> s{0.9, 0.8, 0.8, 0.3, 0.3, 0.1};
  const auto y = labels({1, 0, 1, 1, 0, 0});
  ASSERT_TRUE(roc_auc(s, y).has_value());
  EXPECT_NEAR(*roc_auc(s, y), 0.7777777777777778, kTol);
}

TEST(RocAuc, MatchesSklearnWithNegativeScoresAndTies) {
  // roc_auc_score([0,1,0,1,0,1,1], [2.5,-1.0,0.0,3.0,0.0,0.0,7.25]) == 0.5833333333333334
  const std::vector<double> s{2.5, -1.0, 0.0, 3.0, 0.0, 0.0, 7.25};
  EXPECT_NEAR(*roc_auc(s, labels({0, 1, 0, 1, 0, 1, 1})), 0.5833333333333334, kTol);
}

TEST(RocAuc, PerfectInvertedAndAllTied) {
  const std::vector<double> s{0.1, 0.2, 0.3, 0.4};
  EXPECT_EQ(*roc_auc(s, labels({0, 0, 1, 1})), 1.0);
  EXPECT_EQ(*roc_auc(s, labels({1, 1, 0, 0})), 0.0);
  const std::vector<double> tied{5, 5, 5};
  EXPECT_EQ(*roc_auc(tied, labels({1, 0, 0})), 0.5);
}

TEST(RocAuc, UndefinedWithOneClassAndRejectsNan) {
  const std::vector<double> s{0.1, 0.2};
  EXPECT_FALSE(roc_auc(s, labels({1, 1})).has_value());
  EXPECT_FALSE(roc_auc(std::vector<double>{}, std::vector<int>{}).has_value());
  const std::vector<double> nan{0.1, std::nan("")};
  EXPECT_THROW(roc_auc(nan, labels({1, 0})), std::invalid_argument);
}

}  // namespace
}  // namespace tilmatch::predict
