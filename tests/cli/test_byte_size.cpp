// --memory sizes: the forms Slurm, Nextflow and people write, all binary.

#include <gtest/gtest.h>

#include <cstdint>

#include "cli/byte_size.hpp"
#include "cli/search_support.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::cli {
namespace {

constexpr std::uint64_t kKi = 1024, kMi = kKi * 1024, kGi = kMi * 1024, kTi = kGi * 1024;

TEST(ByteSize, EveryWrittenFormOfSixGibibytes) {
  for (const char* text : {"6G", "6g", "6GB", "6gb", "6 GB", "6 G", "6GiB", "6gib", "6 GiB", " 6G ", "6\tGB"})
    EXPECT_EQ(parse_byte_size(text), 6 * kGi) << text;
}

TEST(ByteSize, EachUnitIsAPowerOf1024) {
  EXPECT_EQ(parse_byte_size("512M"), 536870912u);  // 512 * 2^20
  EXPECT_EQ(parse_byte_size("512MB"), 512 * kMi);
  EXPECT_EQ(parse_byte_size("64K"), 65536u);
  EXPECT_EQ(parse_byte_size("64KiB"), 64 * kKi);
  EXPECT_EQ(parse_byte_size("1T"), 1099511627776u);  // 2^40
  EXPECT_EQ(parse_byte_size("2TB"), 2 * kTi);
}

TEST(ByteSize, PlainNumbersAndBytesAreBytes) {
  EXPECT_EQ(parse_byte_size("1000000"), 1000000u);
  EXPECT_EQ(parse_byte_size("1000000B"), 1000000u);
  EXPECT_EQ(parse_byte_size("0"), 0u);
}

TEST(ByteSize, FractionsScaleThenDropPartialBytes) {
  EXPECT_EQ(parse_byte_size("1.5G"), 1610612736u);  // 1.5 * 2^30
  EXPECT_EQ(parse_byte_size("0.5K"), 512u);
  EXPECT_EQ(parse_byte_size("1.7"), 1u);
}

TEST(ByteSize, RejectsAnythingElse) {
  for (const char* text : {"", " ", "G", "GB", "-1G", "+1G", "6X", "6 XB", "6GBB", "6 G B", "6Gi", "6BiB", "6KiBs",
                           "1e3", "1e3G", ".5G", "6.G", "1.2.3G", "six G", "6,5G", "0x10M", "inf", "nan"})
    EXPECT_FALSE(parse_byte_size(text).has_value()) << "'" << text << "'";
}

TEST(ByteSize, RejectsSizesPast2To63Bytes) {
  EXPECT_EQ(parse_byte_size("8388607T"), 8388607 * kTi);  // 2^63 - 2^40
  EXPECT_FALSE(parse_byte_size("8388608T").has_value());  // 2^63
  EXPECT_FALSE(parse_byte_size("99999999999999999999").has_value());
}

TEST(ByteSize, MemoryOptionNamesItselfAndNeedsOneMebibyte) {
  EXPECT_EQ(parse_memory("6 GB", "--memory"), 6 * kGi);
  EXPECT_EQ(parse_memory("1M", "--memory"), kMi);
  for (const char* bad : {"6 XB", "1023K", "", "lots"}) {
    try {
      parse_memory(bad, "--memory");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("--memory"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(std::string("'") + bad + "'"), std::string::npos) << e.what();
    }
  }
}

TEST(ByteSize, TheDefaultParses) { EXPECT_EQ(parse_byte_size(kDefaultMemory), 2 * kGi); }

}  // namespace
}  // namespace tilmatch::cli
