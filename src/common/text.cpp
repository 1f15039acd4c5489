#include "tilmatch/text.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <system_error>

#include "tilmatch/variant.hpp"

namespace tilmatch {

std::string_view to_string(VariantType type) noexcept {
  switch (type) {
    case VariantType::kMissense: return "missense";
    case VariantType::kInframeIns: return "inframe_ins";
    case VariantType::kInframeDel: return "inframe_del";
    case VariantType::kFrameshift: return "FS";
  }
  return "unknown";
}

std::optional<VariantType> parse_variant_type(std::string_view name) noexcept {
  if (name == "missense") return VariantType::kMissense;
  if (name == "inframe_ins") return VariantType::kInframeIns;
  if (name == "inframe_del") return VariantType::kInframeDel;
  if (name == "FS") return VariantType::kFrameshift;
  return std::nullopt;
}

namespace text {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t begin = 0;
  while (true) {
    std::size_t end = s.find(sep, begin);
    if (end == std::string_view::npos) {
      out.push_back(s.substr(begin));
      return out;
    }
    out.push_back(s.substr(begin, end - begin));
    begin = end + 1;
  }
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::optional<std::int64_t> parse_int(std::string_view s) noexcept {
  std::int64_t v = 0;
  if (s.empty()) return std::nullopt;
  const char* first = s.data();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_double(std::string_view s) noexcept {
  double v = 0;
  if (s.empty()) return std::nullopt;
  const char* first = s.data();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

namespace {

// Shortest round-trip digits; integral values get Python's ".0" so outputs read like pVACseq's.
template <typename T>
std::string shortest(T v) {
  if (std::isnan(v)) return "NA";
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string out(buf, ptr);
  if (out.find_first_of(".eE") == std::string::npos && out != "inf" && out != "-inf") out += ".0";
  return out;
}

}  // namespace

std::string format_double(double v) { return shortest(v); }
std::string format_float(float v) { return shortest(v); }

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool is_space(char c) noexcept { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> tokens(std::string_view s, std::string_view separators, bool whitespace) {
  auto separator = [&](char c) { return (whitespace && is_space(c)) || separators.find(c) != std::string_view::npos; };
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && separator(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && !separator(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string format_fixed(double v, int digits) {
  if (std::isnan(v)) return "NA";
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, digits);
  return std::string(buf, ptr);
}

std::string tsv_escape(std::string_view field) {
  std::string out;
  append_tsv_escaped(out, field);
  return out;
}

void append_tsv_field(std::string& out, std::string_view field) {
  if (!out.empty() && out.back() != '\n') out += '\t';
  append_tsv_escaped(out, field);
}

void append_tsv_escaped(std::string& out, std::string_view field) {
  const std::size_t start = out.size();
  out.append(field);
  for (std::size_t i = start; i < out.size(); ++i) {
    char& c = out[i];
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
}

std::string format_grouped(long long n) {
  const unsigned long long v = n < 0 ? 0ULL - static_cast<unsigned long long>(n) : static_cast<unsigned long long>(n);
  const std::string digits = std::to_string(v);
  std::string out(n < 0 ? "-" : "");
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace text
}  // namespace tilmatch
