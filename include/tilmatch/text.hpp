#pragma once
/// Small text helpers shared by readers and writers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tilmatch::text {

/// Splits on every `sep`; "a||b" gives {"a", "", "b"}; "" gives {""}.
std::vector<std::string_view> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);

/// Whole-string parses: nullopt on empty input, trailing characters, overflow or non-finite values.
std::optional<std::int64_t> parse_int(std::string_view s) noexcept;
std::optional<double> parse_double(std::string_view s) noexcept;

/// Shortest round-trip decimal, Python-repr style ("1.0", "0.12146"); "NA" for NaN.
std::string format_double(double v);
/// The same for a float32 value as stored in a VCF ("0.0522", not "0.052200000733").
std::string format_float(float v);
/// Fixed number of decimals, e.g. format_fixed(0.5, 3) == "0.500".
std::string format_fixed(double v, int digits);

/// An integer with its digits grouped by thousands, in full: 12005 -> "12,005", -1234567 -> "-1,234,567".
std::string format_grouped(long long n);

/// ASCII upper case.
std::string to_upper(std::string_view s);

/// Whitespace as the C locale's isspace has it: space, \t, \n, \v, \f, \r.
bool is_space(char c) noexcept;
/// `s` without leading and trailing whitespace.
std::string_view trim(std::string_view s) noexcept;
/// The non-empty pieces of `s` between separators: any character of `separators`, and whitespace
/// when `whitespace` is true. tokens("a, b;;c", ",;") gives {"a", "b", "c"}.
std::vector<std::string_view> tokens(std::string_view s, std::string_view separators, bool whitespace = true);

/// Replaces tab and newline characters so a value cannot break a TSV row.
std::string tsv_escape(std::string_view field);
/// Appends tsv_escape(field) to `out` without a temporary string.
void append_tsv_escaped(std::string& out, std::string_view field);
/// Appends one TSV field to a buffer of rows: a tab first unless `out` is empty or ends a line.
void append_tsv_field(std::string& out, std::string_view field);

}  // namespace tilmatch::text
