#pragma once
// String probes for the report tests: sections, blocks and counts of a rendered page.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace tilmatch::test {

inline std::size_t count(const std::string& hay, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) ++n;
  return n;
}

/// The text of <section id="id"> ... </section>; fails the test when absent.
inline std::string section(const std::string& html, const std::string& id) {
  const auto begin = html.find("<section id=\"" + id + "\">");
  EXPECT_NE(begin, std::string::npos) << "no section " << id;
  if (begin == std::string::npos) return {};
  const auto end = html.find("</section>", begin);
  return html.substr(begin, end - begin);
}

/// Every block of `html` that starts with `open`, up to (not including) the next `close`.
inline std::vector<std::string> blocks(const std::string& html, const std::string& open, const std::string& close) {
  std::vector<std::string> out;
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const auto end = html.find(close, at);
    out.push_back(html.substr(at, end - at));
  }
  return out;
}

}  // namespace tilmatch::test
