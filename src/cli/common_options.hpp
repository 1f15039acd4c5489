#pragma once
/// Option parsing shared by subcommands.

#include <string>
#include <vector>

namespace tilmatch::cli {

/// Parses epitope lengths: "8,9,10,11", "12-18", "8-11,15", or "none" / "" for no lengths.
/// Throws UsageError naming `option` on malformed input.
std::vector<int> parse_lengths(const std::string& text, const std::string& option);

/// Splits a comma-separated list, dropping empty items.
std::vector<std::string> parse_list(const std::string& text);

}  // namespace tilmatch::cli
