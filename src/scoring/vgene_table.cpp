#include "scoring/vgene_table.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "encode/residues.hpp"
#include "scoring/tcrdist.hpp"
#include "tilmatch/text.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::scoring {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

}  // namespace

void VGeneCounts::add(VGeneMatch match, std::string_view name) {
  switch (match) {
    case VGeneMatch::kExact: ++exact; break;
    case VGeneMatch::kNoAllele: ++no_allele; break;
    case VGeneMatch::kAlleleFallback: ++allele_fallback; break;
    case VGeneMatch::kUnknown: {
      if (name.empty()) {
        ++missing;
        break;
      }
      ++unknown;
      const auto at = std::lower_bound(unknown_names.begin(), unknown_names.end(), name);
      if (at == unknown_names.end() || *at != name) unknown_names.insert(at, std::string(name));
      break;
    }
  }
}

void VGeneCounts::merge(const VGeneCounts& o) {
  exact += o.exact;
  no_allele += o.no_allele;
  allele_fallback += o.allele_fallback;
  unknown += o.unknown;
  missing += o.missing;
  std::vector<std::string> names;
  std::set_union(unknown_names.begin(), unknown_names.end(), o.unknown_names.begin(), o.unknown_names.end(),
                 std::back_inserter(names));
  unknown_names = std::move(names);
}

std::string VGeneCounts::summary() const {
  using text::format_grouped;
  std::ostringstream s;
  s << format_grouped(exact) << " exact, " << format_grouped(no_allele) << " without allele (*01), "
    << format_grouped(allele_fallback) << " allele not in the table (*01), " << format_grouped(unknown) << " unknown";
  if (!unknown_names.empty()) {
    constexpr std::size_t kShown = 5;  // enough to recognise a naming problem, short enough for a log line
    s << " (";
    for (std::size_t i = 0; i < unknown_names.size() && i < kShown; ++i) s << (i ? ", " : "") << unknown_names[i];
    if (unknown_names.size() > kShown) s << ", ... " << format_grouped(static_cast<long long>(unknown_names.size())) << " names";
    s << ")";
  }
  s << ", " << format_grouped(missing) << " without V gene; unknown and missing ones scored on CDR3 alone";
  return s.str();
}

VGeneTable VGeneTable::load(const std::filesystem::path& path, std::string_view organism) {
  std::ifstream in(path);
  if (!in) throw IoError("cannot open V-gene table " + path.string());
  return parse(in, path.string(), organism);
}

VGeneTable VGeneTable::parse(std::istream& in, const std::string& file, std::string_view organism) {
  VGeneTable table;
  table.file_ = file;
  std::string line;
  std::size_t line_no = 0;
  std::map<std::string, std::set<std::string>> families;  // TRBV20 -> {TRBV20-1}
  std::size_t ncols = 0;
  int col_id = -1, col_org = -1, col_chain = -1, col_region = -1, col_cdrs = -1;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto fields = split(line, '\t');
    const std::string where = "line " + std::to_string(line_no);
    if (ncols == 0) {
      ncols = fields.size();
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const int c = static_cast<int>(i);
        if (fields[i] == "id") col_id = c;
        if (fields[i] == "organism") col_org = c;
        if (fields[i] == "chain") col_chain = c;
        if (fields[i] == "region") col_region = c;
        if (fields[i] == "cdrs") col_cdrs = c;
      }
      if (col_id < 0 || col_org < 0 || col_chain < 0 || col_region < 0 || col_cdrs < 0)
        throw InputError(table.file_, where,
                         "header lacks one of the columns id, organism, chain, region, cdrs");
      continue;
    }
    if (fields.size() != ncols)
      throw InputError(table.file_, where,
                       "expected " + std::to_string(ncols) + " tab-separated fields, found " +
                           std::to_string(fields.size()));
    if (fields[col_org] != organism || fields[col_region] != "V") continue;
    if (fields[col_id].empty()) throw InputError(table.file_, where, "empty id");
    if (fields[col_chain].size() != 1 ||
        std::string_view("ABGD").find(fields[col_chain][0]) == std::string_view::npos)
      throw InputError(table.file_, where, "chain must be A, B, G or D, got '" +
                                               std::string(fields[col_chain]) + "'");
    const auto loops = split(fields[col_cdrs], ';');
    if (loops.size() < 3)
      throw InputError(table.file_, where,
                       "cdrs must hold CDR1;CDR2;CDR2.5[;CDR3], got '" +
                           std::string(fields[col_cdrs]) + "'");
    Entry e;
    e.chain = fields[col_chain][0];
    for (int k = 0; k < 3; ++k) {
      for (char c : loops[k]) {
        if (c == '.' || c == '*') {
          // '*' (a stop in pseudogene loops) costs nothing against any residue, as a gap does:
          // that is what tcrdist3-convention V distances (tcrdist_rs's lookup) give.
          e.loops.push_back(kGapCode);
        } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
          e.loops.push_back(encode::residue_code(c));
        } else {
          throw InputError(table.file_, where,
                           std::string("unexpected character '") + c + "' in cdrs");
        }
      }
    }
    // TRAV alleles appear twice (as alpha and again as delta chains, same loops): the first
    // occurrence, from the alpha-beta part of the table, wins.
    if (table.first_loop_length_ == 0) table.first_loop_length_ = static_cast<std::uint32_t>(e.loops.size());
    const std::string_view id = fields[col_id];
    if (const std::size_t dash = id.find('-'); dash != std::string_view::npos && id.find('/') == std::string_view::npos)
      families[std::string(id.substr(0, dash))].insert(std::string(id.substr(0, id.find('*'))));
    table.entries_.try_emplace(std::string(fields[col_id]), std::move(e));
  }
  if (in.bad()) throw IoError("error reading V-gene table " + table.file_);
  for (const auto& [family, genes] : families)
    if (genes.size() == 1 && *genes.begin() == family + "-1") table.subgroup_one_.emplace(family, *genes.begin());
  if (ncols == 0) throw InputError(table.file_, "", "empty V-gene table");
  return table;
}

const VGeneTable::Entry* VGeneTable::find(std::string_view gene, VGeneMatch* match, std::string* resolved) const {
  const auto found = [&](const std::string& name, VGeneMatch m) -> const Entry* {
    auto it = entries_.find(name);
    if (it == entries_.end()) return nullptr;
    if (match) *match = m;
    if (resolved) *resolved = name;
    return &it->second;
  };
  if (match) *match = VGeneMatch::kUnknown;
  if (gene.empty()) return nullptr;
  const std::size_t star = gene.find('*');
  const std::string_view name = gene.substr(0, star);
  // Adaptive (and databases copying it) number genes without a subgroup as subgroup 1: TRBV28-1 is
  // IMGT's TRBV28. Tried only when the table has no such gene.
  // Conversely a subgroup left out (TRBV29 for TRBV29-1) is unambiguous when the table has only
  // subgroup 1 of that family.
  std::vector<std::string_view> names{name};
  const bool known_gene = entries_.find(std::string(name) + "*01") != entries_.end();
  if (!known_gene && name.size() > 2 && name.substr(name.size() - 2) == "-1")
    names.push_back(name.substr(0, name.size() - 2));
  std::string only_subgroup;
  if (!known_gene && name.find('-') == std::string_view::npos) {
    const auto it = subgroup_one_.find(std::string(name));
    if (it != subgroup_one_.end()) {
      only_subgroup = it->second;
      names.push_back(only_subgroup);
    }
  }
  for (std::string_view n : names) {
    if (star == std::string_view::npos) {
      if (const Entry* e = found(std::string(n) + "*01", VGeneMatch::kNoAllele)) return e;
    } else if (const Entry* e = found(std::string(n) + std::string(gene.substr(star)), VGeneMatch::kExact)) {
      return e;
    }
  }
  if (star == std::string_view::npos) return nullptr;
  // An allele the table lacks (newly described, or left out as partial) differs from *01 by a few
  // residues at most, usually outside the loops: *01 is the closest guess, and the count says so.
  for (std::string_view n : names)
    if (const Entry* e = found(std::string(n) + "*01", VGeneMatch::kAlleleFallback)) return e;
  return nullptr;
}

std::vector<std::string> VGeneTable::names() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& kv : entries_) out.push_back(kv.first);
  std::sort(out.begin(), out.end());
  return out;
}

VGeneMatch VGeneTable::lookup(std::string_view gene, std::string* resolved) const {
  VGeneMatch match = VGeneMatch::kUnknown;
  find(gene, &match, resolved);
  return match;
}

const VGeneTable::Entry& VGeneTable::require(std::string_view gene) const {
  const Entry* e = find(gene);
  if (e == nullptr)
    throw InputError(file_, "", "unknown V gene '" + std::string(gene) + "'");
  return *e;
}

std::span<const std::uint8_t> VGeneTable::loops(std::string_view gene) const {
  return require(gene).loops;
}

char VGeneTable::chain(std::string_view gene) const { return require(gene).chain; }

}  // namespace tilmatch::scoring
