#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "encode/batch.hpp"
#include "encode/residues.hpp"

using namespace tilmatch::encode;

TEST(Residues, AlphabetMapsToZeroToNineteen) {
  for (int i = 0; i < kNumResidues; ++i) {
    EXPECT_EQ(residue_code(kAlphabet[i]), i) << kAlphabet[i];
    EXPECT_EQ(residue_code(static_cast<char>(kAlphabet[i] | 0x20)), i);
    EXPECT_EQ(residue_letter(static_cast<std::uint8_t>(i)), kAlphabet[i]);
  }
}

TEST(Residues, NonStandardIsUnknown) {
  for (char c : std::string("BJOUXZ*-. 0\n")) EXPECT_EQ(residue_code(c), kUnknown) << int(c);
  EXPECT_EQ(residue_code(static_cast<char>(0xC3)), kUnknown);
}

TEST(EncodeBatch, BucketsByLengthStably) {
  std::vector<std::string> seqs = {"CASSF", "CAF", "CASSX", "", "CAW"};
  EncodedBatch b = encode_batch(seqs);
  ASSERT_EQ(b.size(), 5u);
  EXPECT_EQ(b.input_index, (std::vector<std::uint32_t>{3, 1, 4, 0, 2}));
  EXPECT_EQ(b.lengths, (std::vector<std::uint32_t>{0, 3, 3, 5, 5}));
  EXPECT_EQ(b.bucket_begin, (std::vector<std::uint32_t>{0, 1, 3, 5}));
  // Offsets advance by the padded length (multiple of 4).
  EXPECT_EQ(b.offsets, (std::vector<std::uint64_t>{0, 0, 4, 8, 16}));
  EXPECT_EQ(b.codes.size(), 24u);
  EXPECT_EQ(b.codes[16 + 4], kUnknown);  // the X of CASSX
  EXPECT_EQ(b.codes[3], kUnknown);       // padding after CAF
}

TEST(EncodeBatch, Empty) {
  EncodedBatch b = encode_batch({});
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.bucket_begin, (std::vector<std::uint32_t>{0}));
}
