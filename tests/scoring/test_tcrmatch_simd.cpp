// The AVX2 TCRMatch kernel gives each lane the bits of the scalar rule (tcrmatch_k3).

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "scoring/tcrmatch.hpp"
#include "scoring/tcrmatch_simd.hpp"

namespace ts = tilmatch::scoring;

TEST(TcrmatchSimd, BlockKernelEqualsTheScalarRuleBitForBit) {
  if (!ts::tcrmatch_simd_available()) GTEST_SKIP() << "no AVX2 on this CPU";
  const ts::K1Table k1 = ts::make_k1_table();
  const unsigned seed = 20261207u;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  alignas(32) static float profile[ts::tcrmatch_block_profile_size(ts::kTcrmatchMaxK)];
  std::size_t lanes_checked = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    // Lengths 0-30 (the kernel's range), every residue code including unknown (20), blocks of 1-8.
    const int lf = static_cast<int>(rng() % 31), length = static_cast<int>(rng() % 31);
    const int count = 1 + static_cast<int>(rng() % ts::kTcrmatchLanes);
    const unsigned alphabet = trial % 2 ? 4 : ts::kK1Alphabet;
    std::vector<std::uint8_t> f(static_cast<std::size_t>(lf));
    for (auto& c : f) c = static_cast<std::uint8_t>(rng() % alphabet);
    std::vector<std::vector<std::uint8_t>> refs(static_cast<std::size_t>(count),
                                                std::vector<std::uint8_t>(static_cast<std::size_t>(length)));
    const std::uint8_t* ptrs[ts::kTcrmatchLanes];
    for (int lane = 0; lane < count; ++lane) {
      for (auto& c : refs[static_cast<std::size_t>(lane)]) c = static_cast<std::uint8_t>(rng() % alphabet);
      ptrs[lane] = refs[static_cast<std::size_t>(lane)].data();
    }
    ts::make_tcrmatch_block_profile(ptrs, count, length, k1, profile);
    float got[ts::kTcrmatchLanes];
    ts::tcrmatch_k3_block(f.data(), lf, profile, length, got);
    for (int lane = 0; lane < ts::kTcrmatchLanes; ++lane) {
      const float want = lane < count ? ts::tcrmatch_k3(f.data(), lf, ptrs[lane], length, k1.k) : 0.0f;
      ASSERT_EQ(std::memcmp(&got[lane], &want, sizeof want), 0)
          << "trial " << trial << " lane " << lane << ": " << got[lane] << " vs " << want;
      ++lanes_checked;
    }
  }
  EXPECT_GT(lanes_checked, 4000u);
}
