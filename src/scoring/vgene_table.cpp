#include "scoring/vgene_table.hpp"

#include <fstream>
#include <utility>

#include "encode/residues.hpp"
#include "scoring/tcrdist.hpp"
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

std::string with_allele(std::string_view gene) {
  std::string name(gene);
  if (name.find('*') == std::string::npos) name += "*01";
  return name;
}

}  // namespace

VGeneTable VGeneTable::load(const std::filesystem::path& path, std::string_view organism) {
  VGeneTable table;
  table.file_ = path.string();
  std::ifstream in(path);
  if (!in) throw IoError("cannot open V-gene table " + table.file_);
  std::string line;
  std::size_t line_no = 0;
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
    table.entries_.try_emplace(std::string(fields[col_id]), std::move(e));
  }
  if (in.bad()) throw IoError("error reading V-gene table " + table.file_);
  if (ncols == 0) throw InputError(table.file_, "", "empty V-gene table");
  return table;
}

const VGeneTable::Entry* VGeneTable::find(std::string_view gene) const {
  auto it = entries_.find(with_allele(gene));
  return it == entries_.end() ? nullptr : &it->second;
}

const VGeneTable::Entry& VGeneTable::require(std::string_view gene) const {
  const Entry* e = find(gene);
  if (e == nullptr)
    throw InputError(file_, "", "unknown V gene '" + std::string(gene) + "'");
  return *e;
}

bool VGeneTable::contains(std::string_view gene) const { return find(gene) != nullptr; }

std::span<const std::uint8_t> VGeneTable::loops(std::string_view gene) const {
  return require(gene).loops;
}

char VGeneTable::chain(std::string_view gene) const { return require(gene).chain; }

}  // namespace tilmatch::scoring
