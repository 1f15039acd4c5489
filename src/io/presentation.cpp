#include "io/presentation.hpp"

#include <algorithm>

#include "io/line_reader.hpp"
#include "io/table_reader.hpp"
#include "names/gene_names.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::io {
namespace {

/// Percentile ranks are percentages of random peptides that bind better: 0 to 100.
constexpr double kMaxPercentile = 100;

bool all_digits(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void strip_bom(std::string& line) {
  if (line.size() >= 3 && static_cast<unsigned char>(line[0]) == 0xEF && static_cast<unsigned char>(line[1]) == 0xBB &&
      static_cast<unsigned char>(line[2]) == 0xBF) {
    line.erase(0, 3);
  }
}

/// A score cell: empty or a missing-value word -> nullopt; otherwise a non-negative number or an
/// InputError at `where`.
std::optional<double> parse_score(std::string_view cell, const std::string& path, const std::string& where) {
  cell = text::trim(cell);
  const std::string upper = text::to_upper(cell);
  if (upper.empty() || upper == "NA" || upper == "N/A" || upper == "NAN" || upper == "NONE") return std::nullopt;
  const auto v = text::parse_double(cell);
  if (!v || *v < 0) throw InputError(path, where, "'" + std::string(cell) + "' is not a non-negative number");
  return v;
}

/// A percentile-rank cell: as parse_score, and at most 100.
std::optional<double> parse_percentile(std::string_view cell, const std::string& path, const std::string& where) {
  const auto v = parse_score(cell, path, where);
  if (v && *v > kMaxPercentile) {
    throw InputError(path, where, "percentile rank '" + std::string(text::trim(cell)) + "' is above 100");
  }
  return v;
}

/// "DQA1" + "DQB1", "DPA1" + "DPB1", "DRA" + "DRB1": alpha chain first, as predictors write the pair.
bool is_heterodimer(std::string_view alpha, std::string_view beta) noexcept {
  return alpha.size() > 2 && beta.size() > 2 && alpha.substr(0, 2) == beta.substr(0, 2) && alpha[2] == 'A' &&
         beta[2] == 'B' && alpha[0] == 'D';
}

/// Adds one prediction, or counts why it is unusable.
void add_row(PresentationTable& t, std::string_view peptide, std::string_view allele, std::optional<double> ic50,
             std::optional<double> rank) {
  PresentationEntry e;
  e.peptide = text::to_upper(text::trim(peptide));
  if (!names::is_amino_acid_sequence(e.peptide)) {
    t.skipped["invalid_peptide"] += 1;
    return;
  }
  std::vector<names::HlaAllele> alleles = names::parse_hla_list(allele);
  if (alleles.size() == 1) {
    e.allele = std::move(alleles[0]);
  } else if (alleles.size() == 2 && is_heterodimer(alleles[0].gene, alleles[1].gene)) {
    // A class II heterodimer named alpha-beta: the beta chain decides matching (see match_hla).
    e.alpha_chain = std::move(alleles[0]);
    e.allele = std::move(alleles[1]);
  } else {
    t.skipped["unusable_allele"] += 1;
    return;
  }
  if (!ic50 && !rank) {
    t.skipped["no_score"] += 1;
    return;
  }
  e.ic50_nm = ic50;
  e.percentile_rank = rank;
  t.rows.push_back(std::move(e));
}

/// Column-mapped formats read through TableReader.
struct Columns {
  std::string format;
  std::size_t peptide = 0;
  std::size_t allele = 0;
  std::optional<std::size_t> ic50;
  std::optional<std::size_t> rank;
};

std::optional<Columns> detect_columns(const TableReader& t) {
  const auto peptide = t.find("peptide"), allele = t.find("allele");
  if (peptide && allele && (t.find("mhcflurry_affinity") || t.find("mhcflurry_presentation_percentile"))) {
    return Columns{"mhcflurry", *peptide, *allele, t.find("mhcflurry_affinity"),
                   t.find_any({"mhcflurry_presentation_percentile", "mhcflurry_affinity_percentile"})};
  }
  const auto hla = t.find("HLA Allele"), mt = t.find("MT Epitope Seq");
  if (hla && mt) {
    Columns c{"pvacseq", *mt, *hla, t.find_any({"Median MT IC50 Score", "Best MT IC50 Score"}),
              t.find_any({"Median MT Percentile", "Best MT Percentile"})};
    if (!c.ic50 && !c.rank) {
      throw InputError(t.path(), "header",
                       "pVACseq table has neither 'Median MT IC50 Score'/'Best MT IC50 Score' nor "
                       "'Median MT Percentile'/'Best MT Percentile'");
    }
    return c;
  }
  const auto ic50 = t.find_any({"ic50", "ic50_nm"}), rank = t.find_any({"percentile", "percentile_rank"});
  if (peptide && allele && (ic50 || rank)) return Columns{"tilmatch", *peptide, *allele, ic50, rank};
  return std::nullopt;
}

void read_columns(TableReader& t, const Columns& c, PresentationTable& out) {
  out.format = c.format;
  while (t.next()) {
    const auto ic50 = c.ic50 ? parse_score(t.field(c.ic50), t.path(), t.where(c.ic50)) : std::nullopt;
    const auto rank = c.rank ? parse_percentile(t.field(c.rank), t.path(), t.where(c.rank)) : std::nullopt;
    add_row(out, t.field(c.peptide), t.field(c.allele), ic50, rank);
  }
}

std::optional<std::size_t> index_of(const std::vector<std::string>& cells, std::size_t begin, std::size_t end,
                                    std::string_view name) {
  for (std::size_t i = begin; i < std::min(end, cells.size()); ++i) {
    if (cells[i] == name) return i;
  }
  return std::nullopt;
}

bool looks_like_netmhcpan_xls(const std::vector<std::string>& first, const std::vector<std::string>& second) {
  return !first.empty() && first[0].empty() && second.size() >= 2 && second[0] == "Pos" &&
         index_of(second, 0, second.size(), "Peptide").has_value();
}

/// NetMHCpan -xls: line 1 names each allele above the first column of its group; line 2 holds the
/// column names; each data row carries one prediction per allele group.
void read_netmhcpan_xls(const std::string& path, PresentationTable& out) {
  out.format = "netmhcpan_xls";
  LineReader reader(path);
  std::string line;
  std::vector<std::vector<std::string>> header;
  while (header.size() < 2 && reader.next(line)) {
    if (header.empty()) strip_bom(line);
    if (!text::trim(line).empty()) header.push_back(TableReader::split_line(line, '\t'));
  }
  const std::vector<std::string>& alleles = header[0];
  const std::vector<std::string>& names = header[1];
  const std::size_t peptide = *index_of(names, 0, names.size(), "Peptide");
  struct Group {
    std::string allele;
    std::optional<std::size_t> rank, ic50;
  };
  std::vector<Group> groups;
  for (std::size_t c = 0; c < alleles.size(); ++c) {
    if (text::trim(alleles[c]).empty()) continue;
    std::size_t end = c + 1;
    while (end < alleles.size() && text::trim(alleles[end]).empty()) ++end;
    Group g{std::string(text::trim(alleles[c])), index_of(names, c, end, "EL_Rank"), index_of(names, c, end, "nM")};
    if (!g.rank) g.rank = index_of(names, c, end, "Rank");
    if (!g.rank && !g.ic50) {
      throw InputError(path, "line 2", "no EL_Rank, Rank or nM column under allele '" + g.allele + "'");
    }
    groups.push_back(std::move(g));
  }
  if (groups.empty()) throw InputError(path, "line 1", "NetMHCpan -xls header names no allele");
  auto where = [&](std::size_t col) {
    return "line " + std::to_string(reader.line_number()) + ", column '" + names[col] + "'";
  };
  while (reader.next(line)) {
    if (text::trim(line).empty()) continue;
    const std::vector<std::string> cells = TableReader::split_line(line, '\t');
    if (cells.size() < names.size()) {
      throw InputError(path, "line " + std::to_string(reader.line_number()),
                       "expected " + std::to_string(names.size()) + " fields as in the header, found " +
                           std::to_string(cells.size()));
    }
    for (const Group& g : groups) {
      const auto rank = g.rank ? parse_percentile(cells[*g.rank], path, where(*g.rank)) : std::nullopt;
      const auto ic50 = g.ic50 ? parse_score(cells[*g.ic50], path, where(*g.ic50)) : std::nullopt;
      add_row(out, cells[peptide], g.allele, ic50, rank);
    }
  }
}

/// NetMHCpan 4.x text output. Returns false when no prediction header line was found.
bool read_netmhcpan_text(const std::string& path, PresentationTable& out) {
  struct Header {
    std::vector<std::string> names;
    std::size_t mhc = 0, peptide = 0, needed = 0;
    std::optional<std::size_t> rank, ic50;
  };
  // A "Pos MHC Peptide ... %Rank_EL" line (4.0: "Pos HLA Peptide ... %Rank"); nullopt for any other.
  auto parse_header = [](const std::vector<std::string_view>& tok) -> std::optional<Header> {
    Header h;
    h.names.assign(tok.begin(), tok.end());
    auto find = [&](std::string_view name) -> std::optional<std::size_t> {
      for (std::size_t i = 0; i < h.names.size(); ++i) {
        if (h.names[i] == name) return i;
      }
      return std::nullopt;
    };
    const auto mhc = find("MHC") ? find("MHC") : find("HLA");
    const auto peptide = find("Peptide");
    h.rank = find("%Rank_EL") ? find("%Rank_EL") : find("%Rank");
    h.ic50 = find("Aff(nM)");
    if (!mhc || !peptide || (!h.rank && !h.ic50)) return std::nullopt;
    h.mhc = *mhc;
    h.peptide = *peptide;
    h.needed = std::max({h.mhc, h.peptide, h.rank.value_or(0), h.ic50.value_or(0)}) + 1;
    return h;
  };
  LineReader reader(path);
  std::string line;
  std::optional<Header> header;
  while (reader.next(line)) {
    const std::vector<std::string_view> tok = text::tokens(line, "");
    if (tok.empty()) continue;
    if (tok[0] == "Pos") {
      if (auto h = parse_header(tok)) header = std::move(h);
      continue;
    }
    if (!header || !all_digits(tok[0])) continue;  // comments, dashes, per-allele summaries
    const std::string at = "line " + std::to_string(reader.line_number());
    if (tok.size() < header->needed) {
      throw InputError(path, at, "expected at least " + std::to_string(header->needed) + " fields, found " +
                                     std::to_string(tok.size()));
    }
    auto where = [&](std::size_t col) { return at + ", column '" + header->names[col] + "'"; };
    const auto rank = header->rank ? parse_percentile(tok[*header->rank], path, where(*header->rank)) : std::nullopt;
    const auto ic50 = header->ic50 ? parse_score(tok[*header->ic50], path, where(*header->ic50)) : std::nullopt;
    add_row(out, tok[header->peptide], tok[header->mhc], ic50, rank);
  }
  if (!header) return false;
  out.format = "netmhcpan";
  return true;
}

bool row_allowed(const PresentationEntry& e, const std::vector<names::HlaAllele>& patient) {
  if (patient.empty()) return true;
  std::vector<names::HlaAllele> reference{e.allele};
  if (e.alpha_chain) reference.push_back(*e.alpha_chain);
  return names::match_hla(reference, patient) == names::HlaMatch::kMatch;
}

template <typename Get>
std::optional<double> best_of(const PresentationTable& t, std::string_view peptide,
                              const std::vector<names::HlaAllele>& patient, Get get) {
  std::optional<double> best;
  auto [first, last] = t.rows_of(peptide);
  for (auto it = first; it != last; ++it) {
    const std::optional<double> v = get(*it);
    if (v && (!best || *v < *best) && row_allowed(*it, patient)) best = v;
  }
  return best;
}

}  // namespace

std::pair<std::vector<PresentationEntry>::const_iterator, std::vector<PresentationEntry>::const_iterator>
PresentationTable::rows_of(std::string_view peptide) const {
  const std::string key = text::to_upper(peptide);
  struct Less {
    bool operator()(const PresentationEntry& e, const std::string& k) const { return e.peptide < k; }
    bool operator()(const std::string& k, const PresentationEntry& e) const { return k < e.peptide; }
  };
  return std::equal_range(rows.begin(), rows.end(), key, Less{});
}

std::optional<double> PresentationTable::best_rank(std::string_view peptide,
                                                   const std::vector<names::HlaAllele>& patient) const {
  return best_of(*this, peptide, patient, [](const PresentationEntry& e) { return e.percentile_rank; });
}

std::optional<double> PresentationTable::best_ic50(std::string_view peptide,
                                                   const std::vector<names::HlaAllele>& patient) const {
  return best_of(*this, peptide, patient, [](const PresentationEntry& e) { return e.ic50_nm; });
}

PresentationTable read_presentation(const std::string& path) {
  PresentationTable out;
  std::vector<std::vector<std::string>> head;  // the first two non-empty lines, split on tabs
  char delimiter = 0;
  {
    LineReader reader(path);
    std::string line;
    while (head.size() < 2 && reader.next(line)) {
      if (head.empty()) strip_bom(line);
      if (text::trim(line).empty()) continue;
      if (head.empty()) {
        if (line.find('\t') != std::string::npos) delimiter = '\t';
        else if (line.find(',') != std::string::npos) delimiter = ',';
      }
      head.push_back(TableReader::split_line(line, '\t'));
    }
    if (head.empty()) throw InputError(path, "", "empty file: expected a header line");
  }
  if (delimiter) {
    TableReader table(path, delimiter);
    if (auto columns = detect_columns(table)) {
      read_columns(table, *columns, out);
    } else if (head.size() == 2 && looks_like_netmhcpan_xls(head[0], head[1])) {
      read_netmhcpan_xls(path, out);
    }
  }
  if (out.format.empty() && !read_netmhcpan_text(path, out)) {
    throw InputError(path, "",
                     "not a known presentation prediction format (expected a tilmatch TSV with peptide, allele, "
                     "ic50/percentile columns; a pVACseq all_epitopes or filtered TSV; an mhcflurry-predict CSV; "
                     "NetMHCpan 4.x output or its -xls table)");
  }
  if (out.rows.empty()) {
    std::string why;
    for (const auto& [reason, n] : out.skipped) why += (why.empty() ? "" : ", ") + reason + " " + std::to_string(n);
    throw InputError(path, "",
                     "no usable prediction (" + (why.empty() ? std::string("no data rows") : "rows skipped: " + why) +
                         "): every epitope would lack presentation evidence");
  }
  std::stable_sort(out.rows.begin(), out.rows.end(),
                   [](const PresentationEntry& a, const PresentationEntry& b) { return a.peptide < b.peptide; });
  return out;
}

}  // namespace tilmatch::io
