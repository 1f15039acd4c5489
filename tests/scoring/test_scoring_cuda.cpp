#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <cstdio>
#include <random>
#include <string>

// The CUDA runtime only to hold device memory, so that a real allocation fails (OutOfMemory...).
#include <cuda_runtime.h>

#include "cuda_api.hpp"
#include "common/test_support.hpp"
#include "scoring/backend.hpp"
#include "scoring/engine.hpp"
#include "scoring/vgene_table.hpp"
#include "scoring_cuda.hpp"
#include "tilmatch/error.hpp"

namespace ts = tilmatch::scoring;

namespace {

std::vector<std::string> random_seqs(std::mt19937& rng, std::size_t n, int max_len) {
  static const char kLetters[] = "ACDEFGHIKLMNPQRSTVWYX";
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string s(rng() % static_cast<unsigned>(max_len + 1), 'A');
    // A skewed alphabet (mostly 6 letters, rarely X) makes hits common.
    for (char& c : s) c = rng() % 16 == 0 ? kLetters[rng() % 21] : kLetters[rng() % 6];
    out.push_back(s);
  }
  return out;
}

/// n random alpha+beta TCRs (no V genes); draws the alpha CDR3s, then the beta CDR3s.
std::vector<ts::TcrRecord> random_paired(std::mt19937& rng, std::size_t n, int max_len) {
  const auto a = random_seqs(rng, n, max_len), b = random_seqs(rng, n, max_len);
  std::vector<ts::TcrRecord> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back({a[i], b[i], "", ""});
  return out;
}

}  // namespace

/// Every test here needs a device: skipped without one. seeded_rng prints the seed and the device.
class ScoringCuda : public ::testing::Test {
 protected:
  void SetUp() override {
    devices_ = tilmatch::cuda::list_devices();
    if (devices_.empty()) GTEST_SKIP() << "no CUDA device";
  }
  std::mt19937 seeded_rng(unsigned seed) const {
    std::printf("seed %u on %s\n", seed, devices_[0].name.c_str());
    return std::mt19937(seed);
  }

 private:
  std::vector<tilmatch::cuda::DeviceInfo> devices_;
};

TEST_F(ScoringCuda, TcrdistEqualsCpu) {
  std::mt19937 rng = seeded_rng(20261124u);
  const auto q = random_paired(rng, 300, 20);
  const auto r = random_paired(rng, 700, 20);
  // alpha alone orders references by the alpha chain (the primary chain is the scored one).
  for (auto chains : {ts::Chains::beta, ts::Chains::alpha, ts::Chains::alpha_beta}) {
    const auto qs = ts::encode_tcrdist_set(q, chains, nullptr);
    const auto rs = ts::encode_tcrdist_set(r, chains, nullptr);
    ts::EngineOptions o;
    o.threads = 2;
    const auto cpu = ts::tcrdist_search(qs, rs, 60, o);
    ASSERT_GT(cpu.size(), 0u);
    // A tile smaller than one row of references exercises multi-tile streaming.
    for (std::size_t tile : {std::size_t{333}, tilmatch::cuda::kDefaultTilePairs})
      EXPECT_EQ(tilmatch::cuda::tcrdist_search_on_device(qs, rs, 60, {}, 0, tile), cpu) << tile;
    o.top_k = 4;
    EXPECT_EQ(tilmatch::cuda::tcrdist_search_on_device(qs, rs, 60, {}, 0, 1000, 4),
              ts::tcrdist_search(qs, rs, 60, o));
  }
}

TEST_F(ScoringCuda, HitBufferOverflowRescoresTheTile) {
  std::mt19937 rng = seeded_rng(20261127u);
  // 400 x 700 = 280,000 pairs in one tile, every pair a hit: more than the first buffer (64 Ki hits).
  const auto bq = random_seqs(rng, 400, 20), br = random_seqs(rng, 700, 20);
  std::vector<ts::TcrRecord> q, r;
  for (const auto& b : bq) q.push_back({"", b, "", ""});
  for (const auto& b : br) r.push_back({"", b, "", ""});
  const auto qs = ts::encode_tcrdist_set(q, ts::Chains::beta, nullptr);
  const auto rs = ts::encode_tcrdist_set(r, ts::Chains::beta, nullptr);
  ts::EngineOptions o;
  o.threads = 2;
  o.memory_budget_bytes = std::size_t{1} << 28;
  const auto cpu = ts::tcrdist_search(qs, rs, 1 << 20, o);
  ASSERT_EQ(cpu.size(), 400u * 700u);
  EXPECT_EQ(tilmatch::cuda::tcrdist_search_on_device(qs, rs, 1 << 20, {}, 0, tilmatch::cuda::kDefaultTilePairs), cpu);
}

TEST_F(ScoringCuda, TcrdistWithVLoopsEqualsCpu) {
  TILMATCH_REQUIRE_SHARED(db, "tcr_oracles/tcrdist3_alphabeta_gammadelta_db.tsv");
  const auto vgenes = ts::VGeneTable::load(db);
  std::mt19937 rng = seeded_rng(20261126u);
  const char* const trav[] = {"TRAV1-2*01", "TRAV12-1*01", "TRAV21*01", "TRAV38-1*01", "TRAV8-4*01", "TRAV13-1*01"};
  const char* const trbv[] = {"TRBV5-1*01", "TRBV6-5*01", "TRBV7-9*01", "TRBV19*01", "TRBV20-1*01", "TRBV28*01",
                              "TRBV27*01", "TRBV12-3*01"};
  auto make = [&](std::size_t n) {
    const auto a = random_seqs(rng, n, 18), b = random_seqs(rng, n, 18);
    std::vector<ts::TcrRecord> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back({a[i], b[i], trav[rng() % 6], trbv[rng() % 8]});
    return out;
  };
  const auto q = make(250), r = make(600);
  for (auto chains : {ts::Chains::beta, ts::Chains::alpha_beta}) {
    const auto qs = ts::encode_tcrdist_set(q, chains, &vgenes);
    const auto rs = ts::encode_tcrdist_set(r, chains, &vgenes);
    ts::EngineOptions o;
    o.threads = 2;
    const auto cpu = ts::tcrdist_search(qs, rs, 120, o);
    ASSERT_GT(cpu.size(), 0u);
    for (std::size_t tile : {std::size_t{333}, tilmatch::cuda::kDefaultTilePairs})
      EXPECT_EQ(tilmatch::cuda::tcrdist_search_on_device(qs, rs, 120, {}, 0, tile), cpu) << tile;
  }
}

TEST_F(ScoringCuda, TcrmatchEqualsCpu) {
  std::mt19937 rng = seeded_rng(20261125u);
  const auto k1 = ts::make_k1_table();
  // Lengths up to 40 exercise the 30-residue run cap.
  const auto qs = ts::encode_tcrmatch_set(random_seqs(rng, 200, 40), k1);
  const auto rs = ts::encode_tcrmatch_set(random_seqs(rng, 600, 40), k1);
  ts::EngineOptions o;
  o.threads = 2;
  const auto cpu = ts::tcrmatch_search(qs, rs, 0.7f, k1, o);
  ASSERT_GT(cpu.size(), 0u);
  // Same IEEE operations in the same order (no FMA contraction on either side): bit-identical.
  for (std::size_t tile : {std::size_t{257}, tilmatch::cuda::kDefaultTilePairs})
    EXPECT_EQ(tilmatch::cuda::tcrmatch_search_on_device(qs, rs, 0.7f, k1, 0, tile), cpu) << tile;
  o.top_k = 3;
  EXPECT_EQ(tilmatch::cuda::tcrmatch_search_on_device(qs, rs, 0.7f, k1, 0, 1000, 3),
            ts::tcrmatch_search(qs, rs, 0.7f, k1, o));
  // Every pair a hit (threshold -inf): 120,000 hits overflow the first buffer of one tile.
  o.top_k = 0;
  o.memory_budget_bytes = std::size_t{1} << 28;
  const float all = -std::numeric_limits<float>::infinity();
  const auto every = ts::tcrmatch_search(qs, rs, all, k1, o);
  ASSERT_EQ(every.size(), 200u * 600u);
  EXPECT_EQ(tilmatch::cuda::tcrmatch_search_on_device(qs, rs, all, k1, 0), every);
}

TEST_F(ScoringCuda, TcrdistLongRowsAndOtherTrimsEqualCpu) {
  // Lengths 0-45 cross the kernels' 36-residue staging slots (rows over 36 are read in place), and
  // trims other than tcrdist3's 3/2 move the 32-bit word path's first and last words.
  std::mt19937 rng = seeded_rng(20261129u);
  const auto q = random_paired(rng, 200, 45);
  const auto r = random_paired(rng, 500, 45);
  ts::EngineOptions o;
  o.threads = 2;
  for (auto chains : {ts::Chains::beta, ts::Chains::alpha_beta}) {
    const auto qs = ts::encode_tcrdist_set(q, chains, nullptr);
    const auto rs = ts::encode_tcrdist_set(r, chains, nullptr);
    for (const ts::TcrdistParams& p : {ts::TcrdistParams{}, ts::TcrdistParams{3, 4, 0, 0}, ts::TcrdistParams{3, 4, 4, 1},
                                       ts::TcrdistParams{3, 4, 7, 9}, ts::TcrdistParams{3, 4, 0, 40},
                                       ts::TcrdistParams{1, 1, 5, 5}}) {
      const auto cpu = ts::tcrdist_search(qs, rs, 90, o, p);
      ASSERT_GT(cpu.size(), 0u);
      EXPECT_EQ(tilmatch::cuda::tcrdist_search_on_device(qs, rs, 90, p, 0), cpu)
          << p.cdr3_weight << " " << p.gap_penalty << " " << p.ntrim << " " << p.ctrim;
    }
  }
}

TEST_F(ScoringCuda, SingleRowsBudgetAndNegativeRadiusAsOnCpu) {
  std::mt19937 rng = seeded_rng(20261128u);
  std::vector<ts::TcrRecord> one{{"", "CASSLGQAYEQYF", "", ""}}, many;
  for (const auto& b : random_seqs(rng, 500, 20)) many.push_back({"", b, "", ""});
  const auto os = ts::encode_tcrdist_set(one, ts::Chains::beta, nullptr);
  const auto ms = ts::encode_tcrdist_set(many, ts::Chains::beta, nullptr);
  ts::EngineOptions o;
  o.threads = 1;
  for (int radius : {0, 24, 96}) {
    EXPECT_EQ(tilmatch::cuda::tcrdist_search_on_device(os, ms, radius, {}, 0), ts::tcrdist_search(os, ms, radius, o));
    EXPECT_EQ(tilmatch::cuda::tcrdist_search_on_device(ms, os, radius, {}, 0), ts::tcrdist_search(ms, os, radius, o));
  }
  EXPECT_EQ(tilmatch::cuda::tcrdist_search_on_device(os, os, 0, {}, 0), ts::tcrdist_search(os, os, 0, o));
  // No gap penalty: no length can be pruned.
  const ts::TcrdistParams no_gap{3, 0, 3, 2};
  EXPECT_EQ(tilmatch::cuda::tcrdist_search_on_device(ms, ms, 12, no_gap, 0), ts::tcrdist_search(ms, ms, 12, o, no_gap));
  EXPECT_TRUE(tilmatch::cuda::tcrdist_search_on_device(ms, ms, -1, {}, 0).empty());
  EXPECT_TRUE(ts::tcrdist_search(ms, ms, -1, o).empty());
  // 250,000 hits of 12 bytes against a 1 MiB budget: both backends refuse, with the same message.
  o.memory_budget_bytes = std::size_t{1} << 20;
  std::string cpu_error, gpu_error;
  try { ts::tcrdist_search(ms, ms, 1 << 20, o); } catch (const tilmatch::Error& e) { cpu_error = e.what(); }
  try {
    tilmatch::cuda::tcrdist_search_on_device(ms, ms, 1 << 20, {}, 0, tilmatch::cuda::kDefaultTilePairs, 0, o.memory_budget_bytes);
  } catch (const tilmatch::Error& e) { gpu_error = e.what(); }
  EXPECT_NE(cpu_error.find("hits exceed the memory budget"), std::string::npos) << cpu_error;
  EXPECT_EQ(gpu_error, cpu_error);
}

TEST_F(ScoringCuda, EmptyInputs) {
  const auto k1 = ts::make_k1_table();
  const auto empty = ts::encode_tcrmatch_set({}, k1);
  const auto one = ts::encode_tcrmatch_set({"ASSL"}, k1);
  EXPECT_TRUE(tilmatch::cuda::tcrmatch_search_on_device(empty, one, 0.5f, k1, 0).empty());
  const auto hits = tilmatch::cuda::tcrmatch_search_on_device(one, one, 0.5f, k1, 0);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_FLOAT_EQ(hits[0].score, 1.0f);
}

TEST_F(ScoringCuda, OutOfMemoryLeavesTheDeviceUsableAndSmallerTilesFit) {
  // Every pair a hit: 4,096 x 4,096 = 2^24 pairs, one default tile, whose hit buffer grows to
  // 192 MiB. With all but 96 MiB of the device held here that allocation fails; a quarter tile
  // (48 MiB) fits, and its launches must not see the failed allocation as their error.
  std::mt19937 rng = seeded_rng(20261130u);
  std::vector<ts::TcrRecord> records;
  for (const auto& b : random_seqs(rng, 4096, 20)) records.push_back({"", b, "", ""});
  const auto set = ts::encode_tcrdist_set(records, ts::Chains::beta, nullptr);
  ts::EngineOptions o;
  o.memory_budget_bytes = std::size_t{1} << 30;  // the 192 MiB of hits fit on the host
  const auto gpu = ts::make_backend(ts::BackendKind::kCuda, 0);
  ASSERT_GE(gpu->tcrdist_search(set, set, 0, o).size(), 4096u) << "warm-up: every TCR is its own hit";
  struct Hold {
    void* p = nullptr;
    ~Hold() {
      if (p != nullptr) static_cast<void>(cudaFree(p));
    }
  } hold;
  std::size_t free = 0, total = 0;
  ASSERT_EQ(cudaMemGetInfo(&free, &total), cudaSuccess);
  constexpr std::size_t kLeft = std::size_t{96} << 20;
  if (free < 4 * kLeft) GTEST_SKIP() << "only " << free << " bytes of device memory free";
  if (cudaMalloc(&hold.p, free - kLeft) != cudaSuccess) {
    static_cast<void>(cudaGetLastError());
    GTEST_SKIP() << "could not hold " << free - kLeft << " bytes of device memory";
  }
  EXPECT_THROW(gpu->tcrdist_search(set, set, 1 << 20, o), ts::DeviceOutOfMemory);
  ts::EngineOptions fallback = o;
  const auto hits = ts::search_with_tile_fallback(fallback, set.size(), set.size(), [&](const ts::EngineOptions& e) {
    return gpu->tcrdist_search(set, set, 1 << 20, e);
  });
  EXPECT_LT(ts::device_tile(set.size(), set.size(), fallback).pairs(), std::size_t{1} << 24);
  static_cast<void>(cudaFree(hold.p));
  hold.p = nullptr;
  ts::EngineOptions cpu;
  cpu.memory_budget_bytes = o.memory_budget_bytes;
  EXPECT_EQ(hits, ts::tcrdist_search(set, set, 1 << 20, cpu));
}
