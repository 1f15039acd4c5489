#include "io/screen_readouts.hpp"

#include <array>
#include <map>
#include <string_view>

#include "io/table_checks.hpp"
#include "io/table_reader.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::io {
namespace {

// Flow readouts are percentages of the parent gate, so they cannot exceed 100.
constexpr std::array<std::string_view, 3> kPercentAssays = {"cd137_cd8", "cd137_cd4", "ox40_cd4"};

double number(const TableReader& t, std::size_t column) {
  const std::string_view v = trim_blanks(t.field(column));
  if (v.empty()) throw InputError(t.path(), t.where(column), "empty " + t.header()[column]);
  const auto x = text::parse_double(v);
  if (!x) throw InputError(t.path(), t.where(column), "'" + std::string(v) + "' is not a finite number");
  return *x;
}

}  // namespace

std::vector<screen::Readout> read_screen_readouts(const std::string& path) {
  TableReader t(path, 0, '#');
  reject_wrong_separator(t);
  const auto fragment_col = t.require("fragment_id");
  const auto construct_col = t.require("construct");
  const auto assay_col = t.require("assay");
  const auto replicate_col = t.require("replicate");
  const auto value_col = t.require("value");
  const auto cells_col = t.find("cells_per_well");
  const auto plate_col = t.find("plate");
  const auto well_col = t.find("well");

  std::vector<screen::Readout> out;
  std::map<std::string, std::int64_t> line_of;  // (fragment, construct, assay, replicate) -> line
  while (t.next()) {
    screen::Readout r;
    r.line = t.line_number();
    r.fragment_id = required_field(t, fragment_col);
    r.construct = required_field(t, construct_col);
    if (const std::string c = to_lower(r.construct); c == "negative" || c == "positive") r.construct = c;
    r.assay = to_lower(required_field(t, assay_col));
    r.replicate = required_field(t, replicate_col);
    r.value = number(t, value_col);
    if (r.value < 0) throw InputError(path, t.where(value_col), "negative value " + text::format_double(r.value));
    for (std::string_view a : kPercentAssays) {
      if (r.assay == a && r.value > 100) {
        throw InputError(path, t.where(value_col),
                         "value " + text::format_double(r.value) + " of assay '" + r.assay +
                             "' is above 100 (percent of the parent gate)");
      }
    }
    if (cells_col && !trim_blanks(t.field(cells_col)).empty()) {
      const double cells = number(t, *cells_col);
      if (cells <= 0) {
        throw InputError(path, t.where(cells_col), "cells_per_well must be > 0, found " + text::format_double(cells));
      }
      r.cells_per_well = cells;
    }
    r.plate = std::string(trim_blanks(t.field(plate_col)));
    r.well = std::string(trim_blanks(t.field(well_col)));

    std::string key = r.fragment_id + '\t' + r.construct + '\t' + r.assay + '\t' + r.replicate;
    const auto [it, inserted] = line_of.emplace(std::move(key), r.line);
    if (!inserted) {
      throw InputError(path, "line " + std::to_string(r.line),
                       "duplicate readout: fragment '" + r.fragment_id + "', construct '" + r.construct + "', assay '" +
                           r.assay + "', replicate '" + r.replicate + "' already on line " +
                           std::to_string(it->second));
    }
    out.push_back(std::move(r));
  }
  if (out.empty()) throw InputError(path, "", "no readouts: the file has a header but no data rows");
  return out;
}

}  // namespace tilmatch::io
