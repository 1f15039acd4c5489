#pragma once
/// Small HTML pieces shared by the report's sections (html_report.cpp, html_screen.cpp): escaped
/// text and cells, table headers, empty states, badges, and the anchors between sections.

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "tilmatch/clonotypes.hpp"

namespace tilmatch::report::detail {

/// What a cell shows when it has no value.
inline constexpr std::string_view kMissing = "—";
/// Lists longer than this fold into a <details> that names their length, so that a construct with
/// 16 candidates does not fill the screen.
inline constexpr std::size_t kListInline = 4;

/// Appends `s`, HTML-escaped.
void text(std::string& out, std::string_view s);
/// Appends <td>escaped `s`</td> (kMissing when `s` is empty), with an optional class.
void cell(std::string& out, std::string_view s, std::string_view cls = {});
/// Appends a <thead> row of `names`; a leading '#' marks a numeric (right-aligned) column.
void header_cells(std::string& out, std::initializer_list<std::string_view> names);
void header_cells(std::string& out, const std::vector<std::string>& names);
/// Appends the italic paragraph a section shows when it has nothing to show.
void empty_state(std::string& out, std::string_view message);
/// A badge that carries its word as well as its colour: high, medium, low, none (anything else grey).
std::string confidence_badge(const std::string& confidence);
/// Appends <section id="`id`"><h2>`heading`</h2> (the caller closes it).
void open_section(std::string& out, std::string_view id, std::string_view heading);
/// Appends a caption paragraph. `html` is the report's own markup: it is not escaped.
void hint(std::string& out, std::string_view html);
/// `items` escaped and joined by ", " (`empty`, escaped, when there are none).
std::string escaped_list(const std::vector<std::string>& items, std::string_view empty = kMissing);
/// `items` escaped and joined by ", "; more than kListInline of them fold into
/// <details><summary>N `noun`</summary>items</details>; `empty` (escaped) when there are none.
std::string folded_list(const std::vector<std::string>& items, std::string_view noun,
                        std::string_view empty = kMissing);
/// The id of the drill-down of the culture at 0-based `position` in the public ranking. Positions,
/// not the user's fragment ids, so that any id makes a valid link.
std::string culture_anchor(std::size_t position);
/// A fragment's manifest metadata as "key: value; key: value" (empty when it has none).
std::string fragment_metadata(const FragmentSummary& fragment);

}  // namespace tilmatch::report::detail
