#include "report/html_run_info.hpp"

#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

#include "report/html_format.hpp"
#include "report/html_table.hpp"

namespace tilmatch::report::detail {
namespace {

void render_pairs(std::string& out, std::string_view heading, std::string_view key, std::string_view value,
                  const std::vector<std::pair<std::string, std::string>>& pairs, std::string_view value_class) {
  out += "<h3>";
  text(out, heading);
  out += "</h3>\n";
  if (pairs.empty()) {
    empty_state(out, "None recorded.");
    return;
  }
  out += "<table class=\"pairs\">";
  header_cells(out, {key, value});
  out += "<tbody>\n";
  for (const auto& [k, val] : pairs) {
    out += "<tr>";
    cell(out, k, "mono");
    cell(out, val, value_class);
    out += "</tr>\n";
  }
  out += "</tbody></table>\n";
}

}  // namespace

void render_run(std::string& out, const ReportInput& in) {
  out += "<section id=\"run\">\n<h2>Parameters, inputs and timings</h2>\n";
  render_pairs(out, "Parameters", "Parameter", "Value", in.parameters, "mono");
  render_pairs(out, "Inputs", "Input", "MD5", in.inputs, "mono");
  std::vector<std::pair<std::string, std::string>> timings;
  double total = 0;
  for (const auto& [stage, seconds] : in.timings_s) {
    timings.emplace_back(stage, format_decimals(seconds, 3));
    total += std::isfinite(seconds) ? seconds : 0;
  }
  if (timings.size() > 1) timings.emplace_back("total", format_decimals(total, 3));
  if (!timings.empty()) out += kRunSpecificBegin;
  render_pairs(out, "Timings (seconds)", "Stage", "#Seconds", timings, "num");
  if (!timings.empty()) out += std::string(kRunSpecificEnd) + "\n";
  out += "</section>\n";
}

}  // namespace tilmatch::report::detail
