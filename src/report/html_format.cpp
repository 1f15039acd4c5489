#include "report/html_format.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <variant>

namespace tilmatch::report {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace detail {

namespace {

constexpr std::string_view kNotAvailable = "n/a";

struct Rgb {
  int r, g, b;
};

// ColorBrewer Blues, 9 classes (Cynthia Brewer, colorbrewer2.org), lightest first.
constexpr std::array<Rgb, 9> kBlues{{{0xf7, 0xfb, 0xff},
                                     {0xde, 0xeb, 0xf7},
                                     {0xc6, 0xdb, 0xef},
                                     {0x9e, 0xca, 0xe1},
                                     {0x6b, 0xae, 0xd6},
                                     {0x42, 0x92, 0xc6},
                                     {0x21, 0x71, 0xb5},
                                     {0x08, 0x51, 0x9c},
                                     {0x08, 0x30, 0x6b}}};

std::string hex(Rgb c) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "#";
  for (int v : {c.r, c.g, c.b}) {
    out += kDigits[(v >> 4) & 0xF];
    out += kDigits[v & 0xF];
  }
  return out;
}

}  // namespace

std::string format_decimals(double v, int decimals) {
  if (!std::isfinite(v)) return std::string(kNotAvailable);
  if (v == 0) v = 0;  // no "-0.00"
  char buf[128];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  if (ec != std::errc()) return std::string(kNotAvailable);
  std::string out(buf, ptr);
  // A tiny negative value rounds to "-0.000": show it as zero.
  if (out.front() == '-' && out.find_first_not_of("-0.") == std::string::npos) out.erase(0, 1);
  return out;
}

std::string format_significant(double v, int digits) {
  if (!std::isfinite(v)) return std::string(kNotAvailable);
  if (v == 0) return "0";
  digits = std::max(digits, 1);
  const int exponent = static_cast<int>(std::floor(std::log10(std::fabs(v))));
  int decimals = std::clamp(digits - 1 - exponent, 0, 17);
  std::string out = format_decimals(v, decimals);
  // Rounding up across a power of ten (9.99996 -> "10.000") adds a digit: drop one decimal.
  double rounded = 0;
  std::from_chars(out.data(), out.data() + out.size(), rounded);
  if (decimals > 0 && std::fabs(rounded) >= std::pow(10.0, exponent + 1)) out = format_decimals(v, decimals - 1);
  return out;
}

std::string format_probability(double p) {
  if (!std::isfinite(p)) return std::string(kNotAvailable);
  // A probability of a test is never exactly 0: zero is a value below what a double holds.
  if (p == 0) return "<1e-300";
  if (std::fabs(p) >= 1e-3) return format_significant(p, 2);
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, p, std::chars_format::scientific, 1);
  if (ec != std::errc()) return std::string(kNotAvailable);
  return std::string(buf, ptr);
}

std::string format_percent(double fraction, int decimals) {
  if (!std::isfinite(fraction)) return std::string(kNotAvailable);
  return format_decimals(fraction * 100.0, decimals) + "%";
}

std::string format_share(double fraction) {
  // Below half of 0.01%, two decimals round to zero.
  if (std::isfinite(fraction) && fraction > 0 && fraction < 5e-5) return "<0.01%";
  return format_percent(fraction);
}

std::string format_share_change(double change) {
  std::string out = format_percent(change);
  // A change that rounds to zero gets no sign.
  if (std::isfinite(change) && change > 0 && out != "0.00%") out.insert(0, 1, '+');
  return out;
}

std::string format_fold(double fold) {
  if (std::isnan(fold)) return {};
  if (std::isinf(fold)) return fold > 0 ? "∞×" : "n/a";
  return format_significant(fold, 2) + "×";
}

std::string heat_colour(double t) {
  if (!std::isfinite(t)) t = 0;
  t = std::clamp(t, 0.0, 1.0);
  const double pos = t * static_cast<double>(kBlues.size() - 1);
  const auto lo = std::min(static_cast<std::size_t>(pos), kBlues.size() - 2);
  const double f = pos - static_cast<double>(lo);
  const Rgb a = kBlues[lo];
  const Rgb b = kBlues[lo + 1];
  auto mix = [f](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * f)); };
  return hex({mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b)});
}

std::string heat_gradient_css() {
  std::string out = "linear-gradient(to right";
  for (const Rgb& c : kBlues) {
    out += ',';
    out += hex(c);
  }
  out += ')';
  return out;
}

}  // namespace detail
std::string parameter_text(const JsonScalar& value) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "not given";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return x;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(x);
        } else if constexpr (std::is_same_v<T, double>) {
          if (!std::isfinite(x)) return "n/a";
          char buf[32];
          const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 6);
          return std::string(buf, end);
        } else if constexpr (std::is_same_v<T, bool>) {
          return x ? "yes" : "no";
        } else {
          std::string out;
          for (const std::string& item : x) out += (out.empty() ? "" : ", ") + item;
          return out;
        }
      },
      value);
}

}  // namespace tilmatch::report
