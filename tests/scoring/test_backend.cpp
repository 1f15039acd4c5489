#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "scoring/backend.hpp"
#include "tilmatch/error.hpp"

namespace ts = tilmatch::scoring;

namespace {

std::vector<std::string> random_cdr3s(unsigned seed, std::size_t n) {
  static const char kLetters[] = "ACDEFGHIKLMNPQRSTVWY";
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> len(0, 20);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string s(static_cast<std::size_t>(len(rng)), 'A');
    for (char& c : s) c = kLetters[rng() % 6];  // few letters: many near neighbours
    if (!s.empty() && rng() % 10 == 0) s[rng() % s.size()] = 'X';
    out.push_back(s);
  }
  return out;
}

std::vector<ts::TcrRecord> beta_records(const std::vector<std::string>& cdr3s) {
  std::vector<ts::TcrRecord> out;
  for (const auto& s : cdr3s) out.push_back({"", s, "", ""});
  return out;
}

bool has_cuda_device() { return ts::make_backend(ts::BackendKind::kAuto, 1)->name().rfind("cuda", 0) == 0; }

}  // namespace

TEST(Backend, ParseKinds) {
  EXPECT_EQ(ts::parse_backend_kind("auto"), ts::BackendKind::kAuto);
  EXPECT_EQ(ts::parse_backend_kind("cpu"), ts::BackendKind::kCpu);
  EXPECT_EQ(ts::parse_backend_kind("cuda"), ts::BackendKind::kCuda);
  EXPECT_THROW(ts::parse_backend_kind("gpu"), tilmatch::UsageError);
  EXPECT_THROW(ts::parse_backend_kind(""), tilmatch::UsageError);
  EXPECT_THROW(ts::parse_backend_kind("CPU"), tilmatch::UsageError);
  for (auto k : {ts::BackendKind::kAuto, ts::BackendKind::kCpu, ts::BackendKind::kCuda})
    EXPECT_EQ(ts::parse_backend_kind(ts::to_string(k)), k);
}

TEST(Backend, CpuIsCpu) { EXPECT_EQ(ts::make_backend(ts::BackendKind::kCpu, 2)->name(), "cpu"); }

TEST(Backend, AutoIsCpuWithoutDeviceAndCudaIsRefused) {
  if (has_cuda_device()) GTEST_SKIP() << "a CUDA device is present";
  EXPECT_EQ(ts::make_backend(ts::BackendKind::kAuto, 1)->name(), "cpu");
  try {
    ts::make_backend(ts::BackendKind::kCuda, 1);
    FAIL() << "expected BackendUnavailable";
  } catch (const tilmatch::BackendUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("cuda"), std::string::npos) << e.what();
  }
}

TEST(Backend, CpuEqualsEngine) {
  const unsigned seed = 20240611u;
  std::printf("seed %u\n", seed);
  const auto qs = random_cdr3s(seed, 120), rs = random_cdr3s(seed + 1, 260);
  const auto q = ts::encode_tcrdist_set(beta_records(qs), ts::Chains::beta, nullptr);
  const auto r = ts::encode_tcrdist_set(beta_records(rs), ts::Chains::beta, nullptr);
  ts::EngineOptions opts;
  opts.threads = 1;
  const auto backend = ts::make_backend(ts::BackendKind::kCpu, 2);
  const auto want = ts::tcrdist_search(q, r, 36, opts);
  ASSERT_GT(want.size(), 50u);
  EXPECT_EQ(backend->tcrdist_search(q, r, 36, opts), want);
  opts.top_k = 3;
  EXPECT_EQ(backend->tcrdist_search(q, r, 36, opts), ts::tcrdist_search(q, r, 36, opts));

  const auto k1 = ts::make_k1_table();
  const auto mq = ts::encode_tcrmatch_set(qs, k1), mr = ts::encode_tcrmatch_set(rs, k1);
  opts.top_k = 0;
  const auto want_m = ts::tcrmatch_search(mq, mr, 0.8f, k1, opts);
  ASSERT_GT(want_m.size(), 10u);
  EXPECT_EQ(backend->tcrmatch_search(mq, mr, 0.8f, k1, opts), want_m);
}

TEST(Backend, CudaEqualsCpu) {
  if (!has_cuda_device()) GTEST_SKIP() << "no CUDA device";
  const unsigned seed = 777u;
  std::printf("seed %u\n", seed);
  const auto qs = random_cdr3s(seed, 300), rs = random_cdr3s(seed + 1, 700);
  const auto q = ts::encode_tcrdist_set(beta_records(qs), ts::Chains::beta, nullptr);
  const auto r = ts::encode_tcrdist_set(beta_records(rs), ts::Chains::beta, nullptr);
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 0);
  const auto gpu = ts::make_backend(ts::BackendKind::kCuda, 0);
  ts::EngineOptions opts;
  EXPECT_EQ(gpu->tcrdist_search(q, r, 48, opts), cpu->tcrdist_search(q, r, 48, opts));
  const auto k1 = ts::make_k1_table();
  const auto mq = ts::encode_tcrmatch_set(qs, k1), mr = ts::encode_tcrmatch_set(rs, k1);
  // Same IEEE operations in the same order on both: identical hit lists, scores included.
  EXPECT_EQ(gpu->tcrmatch_search(mq, mr, 0.8f, k1, opts), cpu->tcrmatch_search(mq, mr, 0.8f, k1, opts));
}
