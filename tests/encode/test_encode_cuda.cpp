#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

#include "cuda_api.hpp"
#include "encode/batch.hpp"

TEST(EncodeCuda, MatchesHostOnRandomInput) {
  auto devices = tilmatch::cuda::list_devices();
  if (devices.empty()) GTEST_SKIP() << "no CUDA device";
  const unsigned seed = 20261123u;
  std::printf("seed %u on %s\n", seed, devices[0].name.c_str());
  std::mt19937 rng(seed);
  std::string ascii(1 << 20, 'A');
  for (char& c : ascii) c = static_cast<char>(rng() % 256);
  auto device = tilmatch::cuda::encode_residues_on_device(ascii, 0);
  EXPECT_EQ(device, tilmatch::encode::encode_sequence(ascii));
  EXPECT_TRUE(tilmatch::cuda::encode_residues_on_device("", 0).empty());
}
