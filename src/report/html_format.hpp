#pragma once
/// Deterministic, locale-independent number formatting and colours for the HTML report.
/// Every function returns "n/a" for NaN or infinite values, so no "nan"/"inf" reaches a page.

#include <string>
#include <string_view>

namespace tilmatch::report {

/// Escapes &, <, >, " and ' so `text` is safe both as element content and inside a quoted
/// attribute value. Other bytes (UTF-8 included) pass through unchanged.
std::string html_escape(std::string_view text);

namespace detail {

/// `v` with `digits` significant digits in fixed notation: 0.012346 -> "0.01235" (digits 4),
/// 1234.5 -> "1235", 0 -> "0".
std::string format_significant(double v, int digits);
/// `v` with exactly `decimals` decimals: format_decimals(0.5, 3) == "0.500".
std::string format_decimals(double v, int decimals);
/// A fraction as a percentage: format_percent(0.12345) == "12.35%".
std::string format_percent(double fraction, int decimals = 2);
/// Colour of a heatmap cell as "#rrggbb": `t` in [0, 1] (clamped) along ColorBrewer's
/// single-hue sequential "Blues" scale, which is readable with every common colour-vision deficiency.
std::string heat_colour(double t);
/// The CSS linear-gradient of the whole heat scale, low to high, for the legend.
std::string heat_gradient_css();

}  // namespace detail
}  // namespace tilmatch::report
