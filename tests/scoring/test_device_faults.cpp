// Device faults injected at the backend interface: out-of-memory falls back to smaller device
// tiles with the same hits; a lost device propagates as CudaError. No device needed.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "scoring/backend.hpp"
#include "tilmatch/error.hpp"

namespace ts = tilmatch::scoring;

namespace {

std::vector<std::string> random_cdr3s(std::mt19937& rng, std::size_t n) {
  static const char kLetters[] = "ACDEFGHIKLMNPQRSTVWY";
  std::uniform_int_distribution<int> len(8, 18);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string s(static_cast<std::size_t>(len(rng)), 'A');
    for (char& c : s) c = kLetters[rng() % 6];  // few letters: many near neighbours
    out.push_back(s);
  }
  return out;
}

std::vector<ts::TcrRecord> beta_records(const std::vector<std::string>& cdr3s) {
  std::vector<ts::TcrRecord> out;
  for (const auto& s : cdr3s) out.push_back({"", s, "", ""});
  return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// Sets an environment variable for the scope of a test, restoring "unset" after it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
  ~ScopedEnv() { ::unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

ts::EngineOptions tiles(std::size_t queries, std::size_t references) {
  ts::EngineOptions o;
  o.tile_queries = queries;
  o.tile_references = references;
  return o;
}

}  // namespace

TEST(DeviceTile, DefaultIsOneRowOfReferencesThenQueriesUpToTheDefaultPairs) {
  EXPECT_EQ(ts::device_tile(10, 100, {}), (ts::DeviceTile{10, 100}));
  EXPECT_EQ(ts::device_tile(1 << 20, 1 << 20, {}), (ts::DeviceTile{16, 1 << 20}));  // 2^24 / 2^20 queries
  EXPECT_EQ(ts::device_tile(3, std::size_t{1} << 25, {}), (ts::DeviceTile{1, std::size_t{1} << 24}));
  EXPECT_EQ(ts::device_tile(0, 5, {}).pairs(), 0u);
  EXPECT_EQ(ts::device_tile(5, 0, {}).pairs(), 0u);
}

TEST(DeviceTile, ExplicitTilesGiveTheirPairsInTheDevicesShape) {
  // 64 x 100 = 6,400 pairs: a whole row of 1,000 references and 6 queries.
  EXPECT_EQ(ts::device_tile(1000, 1000, tiles(64, 100)), (ts::DeviceTile{6, 1000}));
  // A tile set for a long reference (1 x 4,096) holds 40 queries of a 100-reference search.
  EXPECT_EQ(ts::device_tile(1000, 100, tiles(1, 4096)), (ts::DeviceTile{40, 100}));
  EXPECT_EQ(ts::device_tile(7, 100, tiles(1, 4096)), (ts::DeviceTile{7, 100}));
  EXPECT_EQ(ts::device_tile(1000, 10000, tiles(1, 4096)), (ts::DeviceTile{1, 4096}));
  // Only one of the two set: the default.
  EXPECT_EQ(ts::device_tile(10, 100, tiles(1, 0)), (ts::DeviceTile{10, 100}));
  // Products past size_t saturate instead of wrapping.
  EXPECT_EQ(ts::device_tile(10, 100, tiles(std::size_t{1} << 40, std::size_t{1} << 40)), (ts::DeviceTile{10, 100}));
}

TEST(ShrinkDeviceTile, QuartersThePairsDownToTheFloorThenGivesUp) {
  const std::size_t nq = 5000, nr = 3000;
  ts::EngineOptions o;
  const ts::DeviceOutOfMemory cause("cudaMalloc failed: cudaErrorMemoryAllocation");
  // 15,000,000 pairs (under the default 2^24) -> a quarter: 1,250 queries x 3,000 references.
  ts::shrink_device_tile(o, nq, nr, cause);
  EXPECT_EQ(ts::device_tile(nq, nr, o), (ts::DeviceTile{1250, 3000}));
  std::size_t steps = 1;
  std::string message;
  for (;;) {
    const ts::DeviceTile before = ts::device_tile(nq, nr, o);
    try {
      ts::shrink_device_tile(o, nq, nr, cause);
    } catch (const ts::DeviceOutOfMemory& e) {
      EXPECT_LE(before.pairs(), ts::kMinDeviceTilePairs);
      message = e.what();
      break;
    }
    const ts::DeviceTile after = ts::device_tile(nq, nr, o);
    ++steps;
    ASSERT_GT(after.pairs(), 0u);
    ASSERT_LE(after.pairs(), std::max(ts::kMinDeviceTilePairs, before.pairs() / 4)) << steps;
    ASSERT_LE(after.queries, nq);
    ASSERT_LE(after.references, nr);
    ASSERT_LT(steps, 20u) << "the tile must reach the floor";
  }
  // 15e6 / 4^k: 3.75e6, 9.4e5, 2.3e5, 5.9e4, 1.5e4, then the floor (one query x 3,000 references).
  EXPECT_EQ(steps, 6u);
  EXPECT_TRUE(contains(message, "device out of memory even at the smallest tile (1 query x 3000 references)"))
      << message;
  EXPECT_TRUE(contains(message, "--backend cpu")) << message;
  EXPECT_TRUE(contains(message, "cudaErrorMemoryAllocation")) << message;
}

TEST(ShrinkDeviceTile, ASearchAlreadyAtTheFloorGivesUpAtOnce) {
  ts::EngineOptions o;
  try {
    ts::shrink_device_tile(o, 2, 50, ts::DeviceOutOfMemory("oom"));
    FAIL() << "expected DeviceOutOfMemory";
  } catch (const ts::DeviceOutOfMemory& e) {
    EXPECT_TRUE(contains(e.what(), "smallest tile (2 queries x 50 references)")) << e.what();
  }
  EXPECT_EQ(o.tile_queries, 0u);
  EXPECT_EQ(o.tile_references, 0u);
}

TEST(FaultPlan, Parses) {
  EXPECT_EQ(ts::parse_fault_plan("oom:5000"), (ts::FaultPlan{5000, std::nullopt}));
  EXPECT_EQ(ts::parse_fault_plan("oom:0"), (ts::FaultPlan{0, std::nullopt}));
  EXPECT_EQ(ts::parse_fault_plan("lost:3"), (ts::FaultPlan{std::nullopt, 3}));
  EXPECT_EQ(ts::parse_fault_plan("lost:2,oom:10"), (ts::FaultPlan{10, 2}));
  for (const char* bad : {"", "oom", "oom:", "oom:-1", "oom:1x", "lost:0", "oom:1,oom:2", "boom:1", "oom:1,", "OOM:1",
                          "lost:1;oom:2"}) {
    try {
      ts::parse_fault_plan(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const tilmatch::UsageError& e) {
      EXPECT_TRUE(contains(e.what(), "TILMATCH_FAULT_BACKEND")) << e.what();
    }
  }
}

TEST(FaultyBackend, OutOfMemoryFallsBackToSmallerTilesWithTheSameHits) {
  const unsigned seed = 20250112u;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  const auto qs = random_cdr3s(rng, 300), rs = random_cdr3s(rng, 700);  // 210,000 pairs
  const auto q = ts::encode_tcrdist_set(beta_records(qs), ts::Chains::beta, nullptr);
  const auto r = ts::encode_tcrdist_set(beta_records(rs), ts::Chains::beta, nullptr);
  const auto k1 = ts::make_k1_table();
  const auto mq = ts::encode_tcrmatch_set(qs, k1), mr = ts::encode_tcrmatch_set(rs, k1);
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 2);
  ts::EngineOptions plain;
  const auto want = cpu->tcrdist_search(q, r, 36, plain);
  const auto want_m = cpu->tcrmatch_search(mq, mr, 0.8f, k1, plain);
  ASSERT_GT(want.size(), 100u);
  ASSERT_GT(want_m.size(), 10u);

  constexpr std::size_t kRoom = 20000;
  const auto faulty = ts::make_faulty_backend(ts::make_backend(ts::BackendKind::kCpu, 2), {kRoom, std::nullopt});
  EXPECT_TRUE(contains(faulty->name(), "cpu")) << faulty->name();
  ts::EngineOptions o;
  EXPECT_THROW(faulty->tcrdist_search(q, r, 36, o), ts::DeviceOutOfMemory);
  const auto got = ts::search_with_tile_fallback(
      o, q.size(), r.size(), [&](const ts::EngineOptions& e) { return faulty->tcrdist_search(q, r, 36, e); });
  EXPECT_EQ(got, want);
  const ts::DeviceTile fitted = ts::device_tile(q.size(), r.size(), o);
  EXPECT_LE(fitted.pairs(), kRoom);
  EXPECT_GT(fitted.pairs(), kRoom / 4);  // one quarter step too small would not have been needed
  // The smaller tile stays in the options: the next search fits at once and keeps it.
  const ts::EngineOptions kept = o;
  const auto got_m = ts::search_with_tile_fallback(o, mq.size(), mr.size(), [&](const ts::EngineOptions& e) {
    return faulty->tcrmatch_search(mq, mr, 0.8f, k1, e);
  });
  EXPECT_EQ(got_m, want_m);
  EXPECT_EQ(o.tile_queries, kept.tile_queries);
  EXPECT_EQ(o.tile_references, kept.tile_references);
  // top-k is applied per query, so it too is unchanged by the tile.
  plain.top_k = o.top_k = 2;
  EXPECT_EQ(faulty->tcrdist_search(q, r, 36, o), cpu->tcrdist_search(q, r, 36, plain));
}

TEST(FaultyBackend, NoRoomEvenAtTheFloorGivesUp) {
  std::mt19937 rng(7);
  const auto q = ts::encode_tcrdist_set(beta_records(random_cdr3s(rng, 100)), ts::Chains::beta, nullptr);
  const auto faulty = ts::make_faulty_backend(ts::make_backend(ts::BackendKind::kCpu, 1), {0, std::nullopt});
  ts::EngineOptions o;
  try {
    ts::search_with_tile_fallback(o, q.size(), q.size(),
                                  [&](const ts::EngineOptions& e) { return faulty->tcrdist_search(q, q, 24, e); });
    FAIL() << "expected DeviceOutOfMemory";
  } catch (const ts::DeviceOutOfMemory& e) {
    EXPECT_TRUE(contains(e.what(), "device out of memory even at the smallest tile")) << e.what();
  }
  // A search with no pairs touches no device memory.
  const auto none = ts::encode_tcrdist_set({}, ts::Chains::beta, nullptr);
  EXPECT_TRUE(faulty->tcrdist_search(none, q, 24, o).empty());
}

TEST(FaultyBackend, ALostDeviceStaysLostAndIsNotRetried) {
  std::mt19937 rng(11);
  const auto q = ts::encode_tcrdist_set(beta_records(random_cdr3s(rng, 50)), ts::Chains::beta, nullptr);
  const auto faulty = ts::make_faulty_backend(ts::make_backend(ts::BackendKind::kCpu, 1), {std::nullopt, 2});
  ts::EngineOptions o;
  EXPECT_NO_THROW(faulty->tcrdist_search(q, q, 24, o));
  for (int search = 2; search <= 3; ++search) {
    try {
      ts::search_with_tile_fallback(o, q.size(), q.size(),
                                    [&](const ts::EngineOptions& e) { return faulty->tcrdist_search(q, q, 24, e); });
      FAIL() << "expected CudaError at search " << search;
    } catch (const ts::DeviceOutOfMemory&) {
      FAIL() << "a lost device is not out of memory";
    } catch (const tilmatch::CudaError& e) {
      EXPECT_TRUE(contains(e.what(), "device lost")) << e.what();
    }
  }
  EXPECT_EQ(o.tile_queries, 0u);  // nothing was shrunk
  EXPECT_EQ(o.tile_references, 0u);
}

TEST(FaultyBackend, TheFactoryWrapsTheChosenBackendWhenAsked) {
  std::mt19937 rng(13);
  const auto q = ts::encode_tcrdist_set(beta_records(random_cdr3s(rng, 20)), ts::Chains::beta, nullptr);
  {
    ScopedEnv env("TILMATCH_FAULT_BACKEND", "lost:1");
    const auto b = ts::make_backend(ts::BackendKind::kCpu, 1);
    EXPECT_TRUE(contains(b->name(), "injected")) << b->name();
    EXPECT_THROW(b->tcrdist_search(q, q, 24, {}), tilmatch::CudaError);
  }
  {
    ScopedEnv env("TILMATCH_FAULT_BACKEND", "lost");
    EXPECT_THROW(ts::make_backend(ts::BackendKind::kCpu, 1), tilmatch::UsageError);
  }
  {
    ScopedEnv env("TILMATCH_FAULT_BACKEND", "");
    EXPECT_EQ(ts::make_backend(ts::BackendKind::kCpu, 1)->name(), "cpu");
  }
  EXPECT_EQ(ts::make_backend(ts::BackendKind::kCpu, 1)->name(), "cpu");
}

TEST(FaultyBackend, OnTheDeviceTooSmallerTilesGiveTheCpuHits) {
  if (ts::make_backend(ts::BackendKind::kAuto, 1)->name().rfind("cuda", 0) != 0) GTEST_SKIP() << "no CUDA device";
  const unsigned seed = 20250113u;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  const auto qs = random_cdr3s(rng, 300), rs = random_cdr3s(rng, 700);
  const auto q = ts::encode_tcrdist_set(beta_records(qs), ts::Chains::beta, nullptr);
  const auto r = ts::encode_tcrdist_set(beta_records(rs), ts::Chains::beta, nullptr);
  const auto k1 = ts::make_k1_table();
  const auto mq = ts::encode_tcrmatch_set(qs, k1), mr = ts::encode_tcrmatch_set(rs, k1);
  const auto cpu = ts::make_backend(ts::BackendKind::kCpu, 0);
  const auto want = cpu->tcrdist_search(q, r, 36, {});
  const auto want_m = cpu->tcrmatch_search(mq, mr, 0.8f, k1, {});
  // The CUDA backend takes its tile from the options: a 1 x 100 tile is 2,100 launches.
  const auto gpu = ts::make_backend(ts::BackendKind::kCuda, 0);
  EXPECT_EQ(gpu->tcrdist_search(q, r, 36, tiles(1, 100)), want);
  EXPECT_EQ(gpu->tcrmatch_search(mq, mr, 0.8f, k1, tiles(7, 50)), want_m);
  const auto faulty = ts::make_faulty_backend(ts::make_backend(ts::BackendKind::kCuda, 0), {20000, std::nullopt});
  ts::EngineOptions o;
  EXPECT_EQ(ts::search_with_tile_fallback(
                o, q.size(), r.size(), [&](const ts::EngineOptions& e) { return faulty->tcrdist_search(q, r, 36, e); }),
            want);
  EXPECT_EQ(ts::search_with_tile_fallback(o, mq.size(), mr.size(),
                                          [&](const ts::EngineOptions& e) {
                                            return faulty->tcrmatch_search(mq, mr, 0.8f, k1, e);
                                          }),
            want_m);
}
