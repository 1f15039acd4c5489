// The AVX2 TCRdist kernel gives each lane the scalar rule's mismatch (tcrdist_cdr3_mismatch).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

#include "scoring/tcrdist.hpp"
#include "scoring/tcrdist_simd.hpp"

namespace ts = tilmatch::scoring;

TEST(TcrdistSimd, BlockKernelEqualsTheScalarRule) {
  if (!ts::tcrdist_simd_available()) GTEST_SKIP() << "no AVX2 on this CPU";
  const unsigned seed = 20261208u;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  static ts::TcrdistBlock block;
  static ts::TcrdistQueryRows rows;
  std::size_t lanes_checked = 0;
  for (int trial = 0; trial < 6000; ++trial) {
    // Lengths 0-60 (the kernel's range) with equal, near and far lengths, every CDR3 code
    // including unknown (20), blocks of 1-32, tcrdist3's trims and others.
    const int ql = static_cast<int>(rng() % (ts::kTcrdistSimdMaxLength + 1));
    const int length = trial % 3 == 0 ? ql
                                      : std::clamp(ql + static_cast<int>(rng() % 9) - 4 + (trial % 7 == 0 ? 30 : 0), 0,
                                                   ts::kTcrdistSimdMaxLength);
    const int count = 1 + static_cast<int>(rng() % ts::kTcrdistLanes);
    const int trims[][2] = {{3, 2}, {0, 0}, {5, 7}, {1, 4}};
    const int ntrim = trims[trial % 4][0], ctrim = trims[trial % 4][1];
    const unsigned alphabet = trial % 2 ? 3 : 21;
    std::vector<std::uint8_t> q(static_cast<std::size_t>(ql));
    for (auto& c : q) c = static_cast<std::uint8_t>(rng() % alphabet);
    std::vector<std::vector<std::uint8_t>> refs(static_cast<std::size_t>(count),
                                                std::vector<std::uint8_t>(static_cast<std::size_t>(length)));
    const std::uint8_t* ptrs[ts::kTcrdistLanes];
    for (int lane = 0; lane < count; ++lane) {
      for (auto& c : refs[static_cast<std::size_t>(lane)]) c = static_cast<std::uint8_t>(rng() % alphabet);
      ptrs[lane] = refs[static_cast<std::size_t>(lane)].data();
    }
    ts::make_tcrdist_block(ptrs, count, length, block);
    ts::make_tcrdist_query_rows(q.data(), ql, ts::kTcrdistTable.d, rows);
    std::uint8_t got[ts::kTcrdistLanes];
    ts::tcrdist_mismatch_block(rows, block, ntrim, ctrim, got);
    for (int lane = 0; lane < count; ++lane) {
      const int want = ts::tcrdist_cdr3_mismatch(q.data(), ql, ptrs[lane], length, ts::kTcrdistTable.d, ntrim, ctrim);
      ASSERT_EQ(static_cast<int>(got[lane]), want) << "trial " << trial << " lane " << lane << ", lengths " << ql
                                                   << " and " << length;
      ++lanes_checked;
    }
  }
  EXPECT_GT(lanes_checked, 6000u);
}
