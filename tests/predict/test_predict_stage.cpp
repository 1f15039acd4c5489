// pipeline/predict_stage against a direct composition of its parts: every pair's TCRdist from
// scoring::tcrdist_pair, every score from predict::epitope_score, on random TCRs (fixed, printed seed).

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "pipeline/predict_stage.hpp"
#include "scoring/backend.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::pipeline {
namespace {

constexpr unsigned kSeed = 20261201;

std::string random_cdr3(std::mt19937& rng) {
  static const std::string kAa = "ACDEFGHIKLMNPQRSTVWY";
  // Few residues in the middle, so that some TCRs are near each other.
  std::uniform_int_distribution<int> len(10, 16), aa(0, 19), near(0, 2);
  std::string s = "CASS";
  const int n = len(rng);
  for (int i = 4; i < n - 1; ++i) s += near(rng) == 0 ? kAa[aa(rng)] : kAa[static_cast<std::size_t>(i % 5)];
  return s + "F";
}

std::vector<io::LabelledTcr> random_references(std::mt19937& rng, std::size_t n) {
  const std::vector<std::string> epitopes{"NLVPMVATV", "GILGFVFTL", "YLQPRTFLL"};
  std::vector<io::LabelledTcr> refs;
  for (std::size_t i = 0; i < n; ++i) {
    io::LabelledTcr r;
    r.id = "r" + std::to_string(i);
    r.tcr.cdr3b = random_cdr3(rng);
    r.tcr.cdr3a = random_cdr3(rng);
    r.epitope = epitopes[i % epitopes.size()];
    r.positive = i % 4 < 2;  // every epitope gets positives and negatives
    r.file = "refs.tsv";
    r.line = static_cast<std::int64_t>(i + 2);
    refs.push_back(std::move(r));
  }
  return refs;
}

std::vector<scoring::TcrRecord> records(const std::vector<Tcr>& tcrs) {
  std::vector<scoring::TcrRecord> out;
  for (const Tcr& t : tcrs) out.push_back({t.cdr3a, t.cdr3b, t.va, t.vb});
  return out;
}

std::vector<Tcr> tcrs_of(const std::vector<io::LabelledTcr>& refs) {
  std::vector<Tcr> out;
  for (const auto& r : refs) out.push_back(r.tcr);
  return out;
}

/// The score the stage should give query q (a row of `qs`) for `c`, leaving out reference `self`.
Prediction expected(const scoring::TcrdistSet& qs, std::size_t q, const scoring::TcrdistSet& rs,
                    const EpitopeClasses& c, std::uint32_t self, const predict::KernelParams& k) {
  std::vector<int> pos, neg;
  Prediction p{static_cast<std::uint32_t>(q), 0, 0.0, kNoReference, 0};
  for (std::uint32_t r : c.positives) {
    if (r == self) continue;
    const int d = scoring::tcrdist_pair(qs, q, rs, r);
    pos.push_back(d);
    if (p.nearest_positive == kNoReference || d < p.nearest_positive_distance) {
      p.nearest_positive = r;
      p.nearest_positive_distance = d;
    }
  }
  for (std::uint32_t r : c.negatives)
    if (r != self) neg.push_back(scoring::tcrdist_pair(qs, q, rs, r));
  p.score = predict::epitope_score(pos, neg, k);
  return p;
}

void expect_same(const Prediction& got, const Prediction& want, const std::string& what) {
  EXPECT_EQ(got.query, want.query) << what;
  EXPECT_EQ(got.score, want.score) << what;  // same function, same inputs: same bits
  EXPECT_EQ(got.nearest_positive, want.nearest_positive) << what;
  EXPECT_EQ(got.nearest_positive_distance, want.nearest_positive_distance) << what;
}

TEST(PredictStage, QueriesMatchTheDirectCompositionWhateverTheBlocks) {
  std::printf("seed %u\n", kSeed);
  std::mt19937 rng(kSeed);
  const auto refs = random_references(rng, 60);
  std::vector<Tcr> queries;
  for (int i = 0; i < 40; ++i) queries.push_back({random_cdr3(rng), "", "", random_cdr3(rng), "", ""});
  queries.push_back(refs[5].tcr);  // identical to a reference: distance 0, not left out
  const auto epitopes = group_by_epitope(refs);
  ASSERT_EQ(epitopes.size(), 3u);
  EXPECT_EQ(epitopes[0].epitope, "GILGFVFTL");  // byte order
  const auto backend = scoring::make_backend(scoring::BackendKind::kCpu, 2);
  for (predict::Kernel kernel : {predict::Kernel::nearest, predict::Kernel::mean, predict::Kernel::knn}) {
    PredictOptions options;
    options.kernel.kernel = kernel;
    options.kernel.k = 3;
    options.engine.memory_budget_bytes = 1;  // the smallest budget: blocks of a few queries
    const auto rs = scoring::encode_tcrdist_set(records(tcrs_of(refs)), options.chains, nullptr);
    const auto qs = scoring::encode_tcrdist_set(records(queries), options.chains, nullptr);
    const auto got = predict_queries(records(queries), rs, epitopes, options, *backend, nullptr);
    ASSERT_EQ(got.size(), queries.size() * epitopes.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      const std::size_t q = i / epitopes.size(), e = i % epitopes.size();
      EXPECT_EQ(got[i].epitope, e);
      expect_same(got[i], expected(qs, q, rs, epitopes[e], kNoReference, options.kernel),
                  std::string(predict::to_string(kernel)) + " query " + std::to_string(q));
    }
    const Prediction& same = got[40 * epitopes.size() + 2];  // the copy of refs[5], for YLQPRTFLL
    EXPECT_EQ(refs[5].epitope, "YLQPRTFLL");
    EXPECT_EQ(same.nearest_positive, 5u);
    EXPECT_EQ(same.nearest_positive_distance, 0);
  }
}

TEST(PredictStage, LeaveOneOutScoresEachReferenceAgainstItsEpitopesOthers) {
  std::mt19937 rng(kSeed + 1);
  auto refs = random_references(rng, 45);
  refs[7].tcr = refs[1].tcr;  // an identical TCR on another row still counts
  const auto epitopes = group_by_epitope(refs);
  const auto backend = scoring::make_backend(scoring::BackendKind::kCpu, 1);
  PredictOptions options;
  options.engine.memory_budget_bytes = 1;
  const auto recs = records(tcrs_of(refs));
  const auto rs = scoring::encode_tcrdist_set(recs, options.chains, nullptr);
  const auto got = predict_leave_one_out(recs, epitopes, options, *backend, nullptr);
  ASSERT_EQ(got.size(), refs.size());
  for (std::size_t i = 0; i < refs.size(); ++i) {
    ASSERT_EQ(got[i].query, i);
    const EpitopeClasses& c = epitopes[got[i].epitope];
    EXPECT_EQ(c.epitope, refs[i].epitope);
    expect_same(got[i], expected(rs, i, rs, c, static_cast<std::uint32_t>(i), options.kernel),
                "reference " + std::to_string(i));
    EXPECT_NE(got[i].nearest_positive, i);
  }
  EXPECT_EQ(refs[1].epitope, refs[7].epitope);
  EXPECT_TRUE(refs[1].positive);
  EXPECT_EQ(got[7].nearest_positive, 1u);
  EXPECT_EQ(got[7].nearest_positive_distance, 0);
}

TEST(PredictStage, AnEpitopeWithoutPositivesIsAnInputErrorNamingItsFile) {
  std::vector<io::LabelledTcr> refs(2);
  refs[0].tcr.cdr3b = "CASSLGQAYEQYF";
  refs[0].epitope = "NLVPMVATV";
  refs[0].positive = true;
  refs[1].tcr.cdr3b = "CASSPVTGGIYGYTF";
  refs[1].epitope = "GILGFVFTL";
  refs[1].file = "gil.tsv";
  try {
    group_by_epitope(refs);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "gil.tsv");
    EXPECT_NE(std::string(e.what()).find("GILGFVFTL"), std::string::npos);
  }
}

}  // namespace
}  // namespace tilmatch::pipeline
