#include "cli/common_options.hpp"

#include "tilmatch/error.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::cli {

std::vector<int> parse_lengths(const std::string& text, const std::string& option) {
  std::vector<int> out;
  if (text.empty() || text == "none") return out;
  auto bad = [&](std::string_view item) {
    return UsageError(option + ": '" + std::string(item) + "' is not a length or a range like 12-18");
  };
  for (std::string_view item : text::split(text, ',')) {
    if (item.empty()) continue;
    const auto dash = item.find('-');
    if (dash == std::string_view::npos) {
      auto v = text::parse_int(item);
      if (!v) throw bad(item);
      out.push_back(static_cast<int>(*v));
      continue;
    }
    auto lo = text::parse_int(item.substr(0, dash));
    auto hi = text::parse_int(item.substr(dash + 1));
    if (!lo || !hi || *lo > *hi || *hi - *lo > 1000) throw bad(item);
    for (auto v = *lo; v <= *hi; ++v) out.push_back(static_cast<int>(v));
  }
  return out;
}

std::vector<std::string> parse_list(const std::string& text) {
  std::vector<std::string> out;
  for (std::string_view item : text::split(text, ',')) {
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

}  // namespace tilmatch::cli
