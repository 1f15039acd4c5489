#pragma once
/// Deterministic, locale-independent number formatting and colours for the HTML report.
/// Every function returns "n/a" for NaN or infinite values, so no "nan"/"inf" reaches a page.

#include <string>
#include <string_view>

#include "tilmatch/json_writer.hpp"

namespace tilmatch::report {

/// Escapes &, <, >, " and ' so `text` is safe both as element content and inside a quoted
/// attribute value. Other bytes (UTF-8 included) pass through unchanged.
std::string html_escape(std::string_view text);

/// A run parameter as the report shows it: a real number with up to 6 significant digits in plain
/// notation (0.97, 0.25, 1e-06), a whole number or text as is, a boolean "yes"/"no", a list joined
/// with ", ", an absent one "not given".
std::string parameter_text(const JsonScalar& value);

namespace detail {

/// `v` with `digits` significant digits in fixed notation: 0.012346 -> "0.01235" (digits 4),
/// 1234.5 -> "1235", 0 -> "0".
std::string format_significant(double v, int digits);
/// `v` with exactly `decimals` decimals: format_decimals(0.5, 3) == "0.500".
std::string format_decimals(double v, int decimals);
/// A p- or q-value with 2 significant digits, in scientific notation below 0.001 so that tiny values
/// stay short: 0.0123 -> "0.012", 0.0004 -> "4.0e-04", 3.1e-11 -> "3.1e-11", 1 -> "1.0"; 0 (an
/// underflow: no test returns exactly 0) -> "<1e-300".
std::string format_probability(double p);
/// A fraction as a percentage: format_percent(0.12345) == "12.35%".
std::string format_percent(double fraction, int decimals = 2);
/// A fraction of cells as a percentage with 2 decimals; a non-zero fraction that would print as
/// 0.00% prints "<0.01%" instead: format_share(0.0225) == "2.25%", format_share(1e-6) == "<0.01%".
std::string format_share(double fraction);
/// A change of a fraction, in percentage points with its sign: "+9.00%", "-0.25%", "0.00%".
std::string format_share_change(double change);
/// A fold change with 2 significant digits and "×": 6.5 -> "6.5×", 10.33 -> "10×", +inf -> "∞×";
/// empty for NaN (no fold: both means zero, or no control).
std::string format_fold(double fold);
/// Colour of a heatmap cell as "#rrggbb": `t` in [0, 1] (clamped) along ColorBrewer's
/// single-hue sequential "Blues" scale, which is readable with every common colour-vision deficiency.
std::string heat_colour(double t);
/// The CSS linear-gradient of the whole heat scale, low to high, for the legend.
std::string heat_gradient_css();

}  // namespace detail
}  // namespace tilmatch::report
