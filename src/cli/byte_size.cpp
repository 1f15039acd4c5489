#include "cli/byte_size.hpp"

#include <cctype>
#include <cmath>
#include <string>

#include "tilmatch/text.hpp"

namespace tilmatch::cli {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  std::size_t end = 0;
  while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
  const std::string_view number = text.substr(0, end);
  std::string_view unit = text.substr(end);
  while (!unit.empty() && is_space(unit.front())) unit.remove_prefix(1);
  if (number.empty() || number.front() == '.' || number.back() == '.') return std::nullopt;
  const auto value = text::parse_double(number);
  if (!value || !std::isfinite(*value)) return std::nullopt;

  double scale = 1;
  if (!unit.empty()) {
    switch (std::toupper(static_cast<unsigned char>(unit.front()))) {
      case 'K': scale = 1024.0; break;
      case 'M': scale = 1024.0 * 1024; break;
      case 'G': scale = 1024.0 * 1024 * 1024; break;
      case 'T': scale = 1024.0 * 1024 * 1024 * 1024; break;
      case 'B': scale = 1; break;
      default: return std::nullopt;
    }
    std::string rest;
    for (char c : unit.substr(1)) rest += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const bool bytes_only = std::toupper(static_cast<unsigned char>(unit.front())) == 'B';
    if (bytes_only ? !rest.empty() : !(rest.empty() || rest == "B" || rest == "IB")) return std::nullopt;
  }
  const double bytes = std::floor(*value * scale);
  if (bytes >= 9223372036854775808.0) return std::nullopt;  // 2^63
  return static_cast<std::uint64_t>(bytes);
}

}  // namespace tilmatch::cli
