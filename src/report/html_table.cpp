#include "report/html_table.hpp"

#include "report/html_format.hpp"

namespace tilmatch::report::detail {

void text(std::string& out, std::string_view s) { out += html_escape(s); }

void cell(std::string& out, std::string_view s, std::string_view cls) {
  out += cls.empty() ? "<td>" : "<td class=\"" + std::string(cls) + "\">";
  text(out, s.empty() ? kMissing : s);
  out += "</td>";
}

namespace {

template <typename Names>
void header_cells_of(std::string& out, const Names& names) {
  out += "<thead><tr>";
  for (std::string_view n : names) {
    if (!n.empty() && n.front() == '#') {
      out += "<th class=\"num\">";
      text(out, n.substr(1));
    } else {
      out += "<th>";
      text(out, n);
    }
    out += "</th>";
  }
  out += "</tr></thead>";
}

}  // namespace

void header_cells(std::string& out, std::initializer_list<std::string_view> names) { header_cells_of(out, names); }
void header_cells(std::string& out, const std::vector<std::string>& names) { header_cells_of(out, names); }

void empty_state(std::string& out, std::string_view message) {
  out += "<p class=\"empty\">";
  text(out, message);
  out += "</p>\n";
}

void open_section(std::string& out, std::string_view id, std::string_view heading) {
  out += "<section id=\"";
  text(out, id);
  out += "\">\n<h2>";
  text(out, heading);
  out += "</h2>\n";
}

void hint(std::string& out, std::string_view html) {
  out += "<p class=\"hint\">";
  out += html;
  out += "</p>\n";
}

std::string escaped_list(const std::vector<std::string>& items, std::string_view empty) {
  if (items.empty()) return html_escape(empty);
  std::string list;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) list += ", ";
    list += html_escape(items[i]);
  }
  return list;
}

std::string folded_list(const std::vector<std::string>& items, std::string_view noun, std::string_view empty) {
  std::string list = escaped_list(items, empty);
  if (items.size() <= kListInline) return list;
  return "<details class=\"more\"><summary>" + std::to_string(items.size()) + " " + html_escape(noun) +
         "</summary>" + list + "</details>";
}

std::string confidence_badge(const std::string& confidence) {
  const bool known = confidence == "high" || confidence == "medium" || confidence == "low" || confidence == "none";
  std::string out = "<span class=\"badge conf-";
  out += known ? confidence : std::string("other");
  out += "\">";
  out += html_escape(confidence.empty() ? std::string(kMissing) : confidence);
  return out + "</span>";
}

std::string culture_anchor(std::size_t position) { return "culture-" + std::to_string(position + 1); }

std::string fragment_metadata(const FragmentSummary& fragment) {
  std::string out;
  for (const auto& [key, value] : fragment.metadata) {
    if (!out.empty()) out += "; ";
    out += key + ": " + value;
  }
  return out;
}

}  // namespace tilmatch::report::detail
