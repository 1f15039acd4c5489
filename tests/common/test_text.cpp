#include <gtest/gtest.h>

#include <limits>

#include "tilmatch/text.hpp"
#include "tilmatch/variant.hpp"

using namespace tilmatch;

TEST(Text, SplitKeepsEmptyFields) {
  auto parts = text::split("a||b|", '|');
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0], "a");
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(parts[2], "b");
  EXPECT_EQ(parts[3], "");
  EXPECT_EQ(text::split("", '|').size(), 1u);
}

TEST(Text, TokensDropEmptyPiecesBetweenSeparatorsAndWhitespace) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(text::tokens("a, b;;c", ",;"), (V{"a", "b", "c"}));
  EXPECT_EQ(text::tokens(" A*02:01\tB*07:02\n", ""), (V{"A*02:01", "B*07:02"}));
  EXPECT_EQ(text::tokens("a b,c", ",", false), (V{"a b", "c"})) << "whitespace kept when asked";
  EXPECT_TRUE(text::tokens("", ",").empty());
  EXPECT_TRUE(text::tokens(" ,; \r", ",;").empty());
  EXPECT_EQ(text::trim("\t a b \r\n"), "a b");
  EXPECT_EQ(text::trim("   "), "");
  EXPECT_TRUE(text::is_space('\v'));
  EXPECT_FALSE(text::is_space('_'));
}

TEST(Text, StrictNumberParsing) {
  EXPECT_EQ(text::parse_int("42"), 42);
  EXPECT_EQ(text::parse_int("-7"), -7);
  EXPECT_FALSE(text::parse_int("4x"));
  EXPECT_FALSE(text::parse_int(""));
  EXPECT_DOUBLE_EQ(*text::parse_double("0.25"), 0.25);
  EXPECT_FALSE(text::parse_double("nan"));
  EXPECT_FALSE(text::parse_double("1.0.0"));
}

TEST(Text, PythonLikeShortestFloats) {
  EXPECT_EQ(text::format_double(0.0), "0.0");
  EXPECT_EQ(text::format_double(1.0), "1.0");
  EXPECT_EQ(text::format_double(90.0 / 741.0), "0.1214574898785425");
  EXPECT_EQ(text::format_float(0.0522f), "0.0522");
  EXPECT_EQ(text::format_fixed(0.5, 3), "0.500");
}

TEST(Text, VariantTypeNamesRoundTrip) {
  for (auto t : {VariantType::kMissense, VariantType::kInframeIns, VariantType::kInframeDel,
                 VariantType::kFrameshift}) {
    EXPECT_EQ(parse_variant_type(to_string(t)), t);
  }
  EXPECT_FALSE(parse_variant_type("stop_gained"));
}

TEST(Text, TsvFieldsJoinWithTabsAndEscape) {
  std::string buf;
  tilmatch::text::append_tsv_field(buf, "a\tb");
  tilmatch::text::append_tsv_field(buf, "c");
  buf += '\n';
  tilmatch::text::append_tsv_field(buf, "d\ne");
  EXPECT_EQ(buf, "a b\tc\nd e");
  EXPECT_EQ(tilmatch::text::tsv_escape("x\ry"), "x y");
}

TEST(Text, GroupedIntegersKeepEveryDigit) {
  EXPECT_EQ(tilmatch::text::format_grouped(0), "0");
  EXPECT_EQ(tilmatch::text::format_grouped(999), "999");
  EXPECT_EQ(tilmatch::text::format_grouped(1000), "1,000");
  EXPECT_EQ(tilmatch::text::format_grouped(12005), "12,005");
  EXPECT_EQ(tilmatch::text::format_grouped(2437091), "2,437,091");
  EXPECT_EQ(tilmatch::text::format_grouped(-1234567), "-1,234,567");
  EXPECT_EQ(tilmatch::text::format_grouped(std::numeric_limits<long long>::min()), "-9,223,372,036,854,775,808");
}
