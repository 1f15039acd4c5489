#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "report/html_format.hpp"

namespace tilmatch::report {
namespace {

TEST(HtmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(html_escape("<a href=\"x\">Tom's & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(html_escape("&amp;"), "&amp;amp;");
}

TEST(HtmlEscape, PassesOtherTextThrough) {
  EXPECT_EQ(html_escape(""), "");
  EXPECT_EQ(html_escape("CASSIRSSYEQYF TRBV7-9*01"), "CASSIRSSYEQYF TRBV7-9*01");
  EXPECT_EQ(html_escape("tilmatch run — β × α"), "tilmatch run — β × α");
}

TEST(HtmlFormat, SignificantDigits) {
  using detail::format_significant;
  EXPECT_EQ(format_significant(0.012345678, 4), "0.01235");
  EXPECT_EQ(format_significant(0.2334, 4), "0.2334");
  EXPECT_EQ(format_significant(1234.6, 4), "1235");
  EXPECT_EQ(format_significant(123456.0, 4), "123456");
  EXPECT_EQ(format_significant(1, 4), "1.000");
  EXPECT_EQ(format_significant(0, 4), "0");
  EXPECT_EQ(format_significant(-0.0, 4), "0");
  EXPECT_EQ(format_significant(-0.5, 3), "-0.500");
  EXPECT_EQ(format_significant(9.99996, 4), "10.00");
  EXPECT_EQ(format_significant(0.099999, 3), "0.100");
}

TEST(HtmlFormat, DecimalsAndPercent) {
  using detail::format_decimals;
  using detail::format_percent;
  EXPECT_EQ(format_decimals(0.5, 3), "0.500");
  EXPECT_EQ(format_decimals(-0.0001, 2), "0.00");
  EXPECT_EQ(format_percent(0.12345), "12.35%");
  EXPECT_EQ(format_percent(1), "100.00%");
  EXPECT_EQ(format_percent(0), "0.00%");
  EXPECT_EQ(format_percent(0.005, 1), "0.5%");
}

TEST(HtmlFormat, ProbabilitiesGoScientificBelowOneInAThousand) {
  using detail::format_probability;
  EXPECT_EQ(format_probability(0.0123), "0.012");
  EXPECT_EQ(format_probability(0.05), "0.050");
  EXPECT_EQ(format_probability(0.001), "0.0010");
  EXPECT_EQ(format_probability(0.0004), "4.0e-04");
  EXPECT_EQ(format_probability(3.14e-11), "3.1e-11");
  EXPECT_EQ(format_probability(1), "1.0");
  EXPECT_EQ(format_probability(0), "<1e-300");
  EXPECT_EQ(format_probability(std::numeric_limits<double>::quiet_NaN()), "n/a");
}

TEST(HtmlFormat, SharesChangesAndFolds) {
  using detail::format_fold;
  using detail::format_share;
  using detail::format_share_change;
  EXPECT_EQ(format_share(0.0225), "2.25%");
  EXPECT_EQ(format_share(0.00004), "<0.01%");   // would print 0.00%
  EXPECT_EQ(format_share(0.00005), "0.01%");
  EXPECT_EQ(format_share(0), "0.00%");
  EXPECT_EQ(format_share_change(0.09), "+9.00%");
  EXPECT_EQ(format_share_change(-0.0025), "-0.25%");
  EXPECT_EQ(format_share_change(1e-9), "0.00%");  // rounds to zero: no sign
  EXPECT_EQ(format_share_change(-1e-9), "0.00%");
  EXPECT_EQ(format_fold(6.5), "6.5×");
  EXPECT_EQ(format_fold(31.0 / 3.0), "10×");
  EXPECT_EQ(format_fold(0.8), "0.80×");
  EXPECT_EQ(format_fold(std::numeric_limits<double>::infinity()), "∞×");
  EXPECT_EQ(format_fold(std::numeric_limits<double>::quiet_NaN()), "");
}

TEST(HtmlFormat, NonFiniteValuesReadNotAvailable) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(detail::format_significant(nan, 4), "n/a");
  EXPECT_EQ(detail::format_significant(-inf, 4), "n/a");
  EXPECT_EQ(detail::format_decimals(inf, 2), "n/a");
  EXPECT_EQ(detail::format_percent(nan), "n/a");
}

TEST(HtmlFormat, HeatScaleRunsLightToDarkAndClamps) {
  EXPECT_EQ(detail::heat_colour(0), "#f7fbff");
  EXPECT_EQ(detail::heat_colour(1), "#08306b");
  EXPECT_EQ(detail::heat_colour(0.5), "#6baed6");
  EXPECT_EQ(detail::heat_colour(-3), "#f7fbff");
  EXPECT_EQ(detail::heat_colour(7), "#08306b");
  EXPECT_EQ(detail::heat_colour(std::nan("")), "#f7fbff");
  // Monotone: each step is at least as dark (red channel falls) as the one before.
  int previous_red = 256;
  for (int i = 0; i <= 100; ++i) {
    const int red = std::stoi(detail::heat_colour(i / 100.0).substr(1, 2), nullptr, 16);
    EXPECT_LE(red, previous_red) << i;
    previous_red = red;
  }
  EXPECT_EQ(detail::heat_gradient_css().rfind("linear-gradient(to right,#f7fbff,", 0), 0u);
}

TEST(ParameterText, FormatsEachTypeForReading) {
  EXPECT_EQ(parameter_text(JsonScalar{0.97}), "0.97");
  // A float option widened to double would print 0.9700000286102295; 6 significant digits do not.
  EXPECT_EQ(parameter_text(JsonScalar{static_cast<double>(0.97f)}), "0.97");
  EXPECT_EQ(parameter_text(JsonScalar{0.25}), "0.25");
  EXPECT_EQ(parameter_text(JsonScalar{1.0}), "1");
  EXPECT_EQ(parameter_text(JsonScalar{1e-6}), "1e-06");
  EXPECT_EQ(parameter_text(JsonScalar{123456789.0}), "1.23457e+08");
  EXPECT_EQ(parameter_text(JsonScalar{std::numeric_limits<double>::quiet_NaN()}), "n/a");
  EXPECT_EQ(parameter_text(JsonScalar{std::int64_t{12}}), "12");
  EXPECT_EQ(parameter_text(JsonScalar{true}), "yes");
  EXPECT_EQ(parameter_text(JsonScalar{false}), "no");
  EXPECT_EQ(parameter_text(JsonScalar{}), "not given");
  EXPECT_EQ(parameter_text(JsonScalar{std::string("tcrdist")}), "tcrdist");
  EXPECT_EQ(parameter_text(JsonScalar{std::vector<std::string>{"A*02:01", "B*07:02"}}), "A*02:01, B*07:02");
}

}  // namespace
}  // namespace tilmatch::report
