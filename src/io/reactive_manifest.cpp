#include "io/reactive_manifest.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "io/table_checks.hpp"
#include "io/table_reader.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::io {

std::string_view to_string(Population p) noexcept {
  switch (p) {
    case Population::kSorted:
      return "sorted";
    case Population::kUnsorted:
      return "unsorted";
    case Population::kNoTarget:
      return "no_target";
  }
  return "unknown";
}

std::optional<Population> parse_population(std::string_view name) noexcept {
  for (const Population p : {Population::kSorted, Population::kUnsorted, Population::kNoTarget}) {
    const std::string_view n = to_string(p);
    if (name.size() == n.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
          return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
        })) {
      return p;
    }
  }
  return std::nullopt;
}

std::vector<ReactiveRepertoireEntry> read_reactive_manifest(const std::string& path) {
  TableReader t(path, 0, '#');
  reject_wrong_separator(t);
  const auto fragment_col = t.require("fragment_id");
  const auto construct_col = t.require("construct");
  const auto population_col = t.require("population");
  const auto path_col = t.require("path");
  const auto format_col = t.find("format");

  std::vector<ReactiveRepertoireEntry> out;
  std::map<std::string, std::int64_t> line_of;  // (fragment, construct, population) -> line
  while (t.next()) {
    ReactiveRepertoireEntry e;
    e.line = t.line_number();
    e.fragment_id = required_field(t, fragment_col);
    e.construct = std::string(trim_blanks(t.field(construct_col)));
    const std::string population = required_field(t, population_col);
    const auto p = parse_population(population);
    if (!p) {
      throw InputError(path, t.where(population_col),
                       "unknown population '" + population + "' (expected sorted, unsorted or no_target)");
    }
    e.population = *p;
    if (e.population == Population::kSorted && e.construct.empty()) {
      throw InputError(path, t.where(construct_col),
                       "a sorted population needs the construct its cells were co-cultured with");
    }
    const std::string subject = "fragment '" + e.fragment_id + "'" +
                                (e.construct.empty() ? std::string() : ", construct '" + e.construct + "'");
    e.path = resolve_listed_file(path, t.where(path_col), trim_blanks(t.field(path_col)),
                                 std::string(to_string(e.population)) + " repertoire of " + subject);
    if (format_col && !trim_blanks(t.field(format_col)).empty()) {
      try {
        e.format = parse_repertoire_format(trim_blanks(t.field(format_col)));
      } catch (const UsageError& err) {
        throw InputError(path, t.where(format_col), err.what());
      }
    }
    std::string key = e.fragment_id + '\t' + e.construct + '\t' + std::string(to_string(e.population));
    const auto [it, inserted] = line_of.emplace(std::move(key), e.line);
    if (!inserted) {
      throw InputError(path, "line " + std::to_string(e.line),
                       "a " + std::string(to_string(e.population)) + " repertoire of " + subject +
                           " is already listed on line " + std::to_string(it->second));
    }
    out.push_back(std::move(e));
  }
  if (out.empty()) throw InputError(path, "", "the manifest lists no repertoires");

  // (fragment, construct) pairs with a baseline; an empty construct covers the whole fragment.
  std::set<std::pair<std::string, std::string>> baseline;
  for (const ReactiveRepertoireEntry& e : out) {
    if (e.population != Population::kSorted) baseline.emplace(e.fragment_id, e.construct);
  }
  for (const ReactiveRepertoireEntry& e : out) {
    if (e.population != Population::kSorted || baseline.count({e.fragment_id, e.construct}) ||
        baseline.count({e.fragment_id, std::string()})) {
      continue;
    }
    throw InputError(path, "line " + std::to_string(e.line),
                     "sorted repertoire of fragment '" + e.fragment_id + "', construct '" + e.construct +
                         "' has no baseline: add an unsorted or no_target repertoire of the fragment (for this "
                         "construct, or with an empty construct for all of them)");
  }
  return out;
}

}  // namespace tilmatch::io
