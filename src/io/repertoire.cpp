#include "io/repertoire.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "io/line_reader.hpp"
#include "io/table_reader.hpp"
#include "names/gene_names.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::io {

std::string_view to_string(RepertoireFormat f) noexcept {
  switch (f) {
    case RepertoireFormat::kAuto: return "auto";
    case RepertoireFormat::kAirr: return "airr";
    case RepertoireFormat::kTenx: return "10x";
    case RepertoireFormat::kMixcr: return "mixcr";
    case RepertoireFormat::kAdaptive: return "adaptive";
    case RepertoireFormat::kTcrdist: return "tcrdist";
    case RepertoireFormat::kCdr3List: return "cdr3-list";
  }
  return "unknown";
}

RepertoireFormat parse_repertoire_format(std::string_view name) {
  for (auto f : {RepertoireFormat::kAuto, RepertoireFormat::kAirr, RepertoireFormat::kTenx, RepertoireFormat::kMixcr,
                 RepertoireFormat::kAdaptive, RepertoireFormat::kTcrdist, RepertoireFormat::kCdr3List}) {
    if (to_string(f) == name) return f;
  }
  throw UsageError("unknown repertoire format '" + std::string(name) +
                   "' (expected auto, airr, 10x, mixcr, adaptive, tcrdist or cdr3-list)");
}

namespace {

bool has(const std::vector<std::string>& header, std::string_view name) {
  return std::any_of(header.begin(), header.end(), [&](const std::string& h) { return h == name; });
}

RepertoireFormat format_from_header(const std::vector<std::string>& h) {
  if (has(h, "barcode") && has(h, "chain") && has(h, "cdr3")) return RepertoireFormat::kTenx;
  if ((has(h, "junction_aa") || has(h, "cdr3_aa")) && has(h, "v_call")) return RepertoireFormat::kAirr;
  if (has(h, "aaSeqCDR3") || has(h, "AA. Seq. CDR3")) return RepertoireFormat::kMixcr;
  if (has(h, "amino_acid") || has(h, "aminoAcid")) return RepertoireFormat::kAdaptive;
  if (has(h, "cdr3_b_aa") || has(h, "cdr3_a_aa")) return RepertoireFormat::kTcrdist;
  return RepertoireFormat::kAuto;
}

bool looks_like_cdr3(std::string_view line) {
  std::string s(line);
  if (auto tab = s.find_first_of("\t,"); tab != std::string::npos) s.resize(tab);
  return names::is_amino_acid_sequence(s);
}

/// Validates a CDR3 and returns the skip reason, or "" when usable.
std::string cdr3_problem(std::string_view cdr3) {
  if (cdr3.empty()) return "missing_cdr3";
  if (cdr3.find('*') != std::string_view::npos) return "stop_codon";
  if (cdr3.find('_') != std::string_view::npos || cdr3.find('~') != std::string_view::npos) return "out_of_frame";
  if (!names::is_amino_acid_sequence(cdr3)) return "non_amino_acid";
  return {};
}

bool falsy(std::string_view v) {
  std::string s = text::to_upper(v);
  return s == "F" || s == "FALSE" || s == "0" || s == "NO";
}

double parse_count(const TableReader& t, std::optional<std::size_t> col) {
  if (!col) return 1;
  std::string_view v = t.field(col);
  if (v.empty() || v == "NA" || v == "None") return 1;
  auto d = text::parse_double(v);
  if (!d || *d < 0) {
    throw InputError(t.path(), t.where(col), "count '" + std::string(v) + "' is not a finite non-negative number");
  }
  return *d;
}

/// Where readers put what they find: usable rows go to the sink in file order, the rest is counted.
struct Collector {
  const std::string& path;
  const MemoryFile* memory;  ///< the bytes of `path` when it is held in memory; null for a file
  const RowSink& sink;
  std::map<std::string, std::int64_t>& skipped;
  std::int64_t& anchors_added;
  /// The table and count column of the row being added, for errors; null while rows paired per
  /// cell after the whole file was read are added (their counts are 1).
  const TableReader* table = nullptr;
  std::optional<std::size_t> count_column;
  double total = 0;  ///< sum of the counts of the usable rows so far
};

/// The repertoire's table, from its file or its in-memory bytes.
TableReader open_table(const Collector& rep, char delimiter) {
  return rep.memory ? TableReader(*rep.memory, delimiter) : TableReader(rep.path, delimiter);
}

void add_row(Collector& rep, RepertoireRow row) {
  if (std::string why = cdr3_problem(row.tcr.cdr3b); !why.empty()) {
    rep.skipped[why] += 1;
    return;
  }
  if (!row.tcr.cdr3a.empty() && !cdr3_problem(row.tcr.cdr3a).empty()) {
    // A bad alpha chain does not spoil a good beta chain: keep the beta alone.
    row.tcr.cdr3a.clear();
    row.tcr.va.clear();
    row.tcr.ja.clear();
    rep.skipped["alpha_chain_dropped"] += 1;
  }
  if (row.line == 0 && rep.table != nullptr) row.line = rep.table->line_number();
  // Frequencies divide by this sum: an overflow to infinity would make every one of them 0.
  rep.total += row.count;
  if (!std::isfinite(rep.total)) {
    throw InputError(rep.path, rep.table ? rep.table->where(rep.count_column) : std::string(),
                     "the counts of the usable rows sum past the largest representable number (about 1.8e308) "
                     "here; is this column a count?");
  }
  rep.sink(std::move(row));
}

/// Per-cell pairing for single-cell formats: the best-supported productive beta and alpha chain.
struct CellChains {
  Tcr tcr;
  double beta_support = -1, alpha_support = -1;
};

void add_cells(Collector& rep, std::vector<std::pair<std::string, CellChains>>& cells) {
  rep.table = nullptr;
  for (auto& [barcode, cell] : cells) {
    if (cell.tcr.cdr3b.empty()) {
      rep.skipped["no_beta_chain"] += 1;
      continue;
    }
    add_row(rep, RepertoireRow{std::move(cell.tcr), 1.0, barcode});
  }
}

void read_tenx(const std::string& /*path*/, Collector& rep) {
  TableReader t = open_table(rep, ',');
  const auto barcode = t.require("barcode");
  const auto chain = t.require("chain");
  const auto cdr3 = t.require("cdr3");
  const auto v = t.find("v_gene"), j = t.find("j_gene");
  const auto productive = t.find("productive"), is_cell = t.find("is_cell"), high_conf = t.find("high_confidence");
  const auto umis = t.find_any({"umis", "reads"});
  std::vector<std::pair<std::string, CellChains>> cells;
  std::unordered_map<std::string, std::size_t> index;
  names::GeneNameCache gene;
  while (t.next()) {
    if (is_cell && falsy(t.field(is_cell))) { rep.skipped["not_a_cell"] += 1; continue; }
    if (high_conf && falsy(t.field(high_conf))) { rep.skipped["low_confidence"] += 1; continue; }
    if (productive && text::to_upper(t.field(productive)) != "TRUE") { rep.skipped["non_productive"] += 1; continue; }
    std::string c = text::to_upper(t.field(chain));
    std::string seq = text::to_upper(t.key_field(cdr3));
    if (c != "TRB" && c != "TRA") { rep.skipped["unsupported_locus"] += 1; continue; }
    if (std::string why = cdr3_problem(seq); !why.empty() || seq == "NONE") {
      rep.skipped[why.empty() ? "missing_cdr3" : why] += 1;
      continue;
    }
    const double support = parse_count(t, umis);
    std::string bc(t.key_field(barcode));
    const std::string_view v_name = t.key_field(v), j_name = t.key_field(j);
    auto [it, inserted] = index.try_emplace(bc, cells.size());
    if (inserted) cells.emplace_back(bc, CellChains{});
    CellChains& cell = cells[it->second].second;
    // Ties keep the first contig listed, so the choice does not depend on anything but file order.
    if (c == "TRB" && support > cell.beta_support) {
      cell.beta_support = support;
      cell.tcr.cdr3b = seq;
      cell.tcr.vb = gene(v_name);
      cell.tcr.jb = gene(j_name);
    } else if (c == "TRA" && support > cell.alpha_support) {
      cell.alpha_support = support;
      cell.tcr.cdr3a = seq;
      cell.tcr.va = gene(v_name);
      cell.tcr.ja = gene(j_name);
    }
  }
  add_cells(rep, cells);
}

void read_airr(const std::string& path, Collector& rep) {
  TableReader t = open_table(rep, '\t');
  const auto junction = t.find("junction_aa"), cdr3 = t.find("cdr3_aa");
  if (!junction && !cdr3) throw InputError(path, "header", "AIRR table has neither junction_aa nor cdr3_aa" + t.header_hint());
  const auto v = t.require("v_call");
  const auto j = t.find("j_call"), locus = t.find("locus"), productive = t.find("productive");
  const auto count = t.find_any({"duplicate_count", "consensus_count", "umi_count"});
  const auto cell_id = t.find("cell_id"), sequence_id = t.find("sequence_id");
  rep.table = &t;
  rep.count_column = count;
  std::vector<std::pair<std::string, CellChains>> cells;
  std::unordered_map<std::string, std::size_t> index;
  names::GeneNameCache gene;
  while (t.next()) {
    if (productive && falsy(t.field(productive))) { rep.skipped["non_productive"] += 1; continue; }
    std::string seq = text::to_upper(t.key_field(junction));
    if (seq.empty() && cdr3 && !t.field(cdr3).empty()) {
      seq = names::add_junction_anchors(text::to_upper(t.key_field(cdr3)));
      rep.anchors_added += 1;
    }
    std::string vname = gene(t.key_field(v));
    std::string jname = gene(t.key_field(j));
    std::string loc = locus ? text::to_upper(t.field(locus)) : std::string(names::locus_of_gene(vname));
    if (loc != "TRB" && loc != "TRA") { rep.skipped["unsupported_locus"] += 1; continue; }
    if (std::string why = cdr3_problem(seq); !why.empty()) { rep.skipped[why] += 1; continue; }
    const double n = parse_count(t, count);
    std::string cell = cell_id ? std::string(t.key_field(cell_id)) : std::string();
    if (cell.empty()) {
      if (loc == "TRA") { rep.skipped["no_beta_chain"] += 1; continue; }
      add_row(rep, RepertoireRow{Tcr{seq, vname, jname, "", "", ""}, n,
                                 sequence_id ? std::string(t.key_field(sequence_id)) : std::string()});
      continue;
    }
    auto [it, inserted] = index.try_emplace(cell, cells.size());
    if (inserted) cells.emplace_back(cell, CellChains{});
    CellChains& c = cells[it->second].second;
    if (loc == "TRB" && n > c.beta_support) {
      c.beta_support = n;
      c.tcr.cdr3b = seq;
      c.tcr.vb = vname;
      c.tcr.jb = jname;
    } else if (loc == "TRA" && n > c.alpha_support) {
      c.alpha_support = n;
      c.tcr.cdr3a = seq;
      c.tcr.va = vname;
      c.tcr.ja = jname;
    }
  }
  add_cells(rep, cells);
}

void read_mixcr(const std::string& path, Collector& rep) {
  TableReader t = open_table(rep, '\t');
  const auto cdr3 = t.find_any({"aaSeqCDR3", "AA. Seq. CDR3"});
  const auto v = t.find_any({"allVHitsWithScore", "bestVHit", "allVHits", "All V hits", "Best V hit"});
  const auto j = t.find_any({"allJHitsWithScore", "bestJHit", "allJHits", "All J hits", "Best J hit"});
  const auto count = t.find_any({"uniqueMoleculeCount", "cloneCount", "readCount", "Clone count"});
  const auto clone_id = t.find_any({"cloneId", "Clone ID"});
  if (!cdr3 || !v) throw InputError(path, "header", "MiXCR table needs aaSeqCDR3 and a V-hit column");
  rep.table = &t;
  rep.count_column = count;
  names::GeneNameCache gene;
  while (t.next()) {
    std::string vname = gene(t.key_field(v));
    std::string loc(names::locus_of_gene(vname));
    if (loc != "TRB") {
      rep.skipped[loc == "TRA" ? "no_beta_chain" : "unsupported_locus"] += 1;
      continue;
    }
    add_row(rep, RepertoireRow{Tcr{text::to_upper(t.key_field(cdr3)), vname, gene(t.key_field(j)), "", "", ""},
                               parse_count(t, count), clone_id ? std::string(t.key_field(clone_id)) : std::string()});
  }
}

void read_adaptive(const std::string& /*path*/, Collector& rep) {
  TableReader t = open_table(rep, '\t');
  const auto aa = t.find_any({"amino_acid", "aminoAcid"});
  const auto v = t.find_any({"v_resolved", "v_gene", "vGeneName", "vMaxResolved", "v_allele"});
  const auto j = t.find_any({"j_resolved", "j_gene", "jGeneName", "jMaxResolved", "j_allele"});
  const auto status = t.find_any({"frame_type", "sequenceStatus"});
  const auto count = t.find_any({"templates", "count (templates/reads)", "count (templates)", "seq_reads",
                                 "count (reads)"});
  rep.table = &t;
  rep.count_column = count;
  names::GeneNameCache gene;
  while (t.next()) {
    if (status) {
      std::string s = text::to_upper(t.field(status));
      if (s == "OUT") { rep.skipped["out_of_frame"] += 1; continue; }
      if (s == "STOP") { rep.skipped["stop_codon"] += 1; continue; }
    }
    std::string vname = gene(t.key_field(v));
    if (!vname.empty() && names::locus_of_gene(vname) != "TRB") { rep.skipped["unsupported_locus"] += 1; continue; }
    add_row(rep, RepertoireRow{Tcr{text::to_upper(t.key_field(aa)), vname, gene(t.key_field(j)), "", "", ""},
                               parse_count(t, count), std::string()});
  }
}

void read_tcrdist(const std::string& /*path*/, Collector& rep) {
  TableReader t = open_table(rep, 0);
  const auto b = t.find("cdr3_b_aa"), a = t.find("cdr3_a_aa");
  const auto vb = t.find("v_b_gene"), jb = t.find("j_b_gene"), va = t.find("v_a_gene"), ja = t.find("j_a_gene");
  const auto count = t.find_any({"count", "clone_count"});
  const auto clone_id = t.find("clone_id");
  rep.table = &t;
  rep.count_column = count;
  names::GeneNameCache gene;
  while (t.next()) {
    if (t.field(b).empty()) { rep.skipped["no_beta_chain"] += 1; continue; }
    add_row(rep, RepertoireRow{Tcr{text::to_upper(t.key_field(b)), gene(t.key_field(vb)), gene(t.key_field(jb)),
                                   text::to_upper(t.key_field(a)), gene(t.key_field(va)), gene(t.key_field(ja))},
                               parse_count(t, count), clone_id ? std::string(t.key_field(clone_id)) : std::string()});
  }
}

void read_cdr3_list(const std::string& path, Collector& rep) {
  LineReader r = rep.memory ? LineReader(*rep.memory) : LineReader(path);
  std::string line;
  while (r.next(line)) {
    std::string_view s(line);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    if (s.empty() || s[0] == '#') continue;
    add_row(rep, RepertoireRow{Tcr{text::to_upper(s), "", "", "", "", ""}, 1.0, std::string(), r.line_number()});
  }
}

RepertoireFormat detect_format(LineReader& r) {
  const std::string& path = r.path();
  std::string line;
  while (r.next(line)) {
    if (line.empty()) continue;
    const char delim = looks_like_csv(path) || (line.find('\t') == std::string::npos && line.find(',') != std::string::npos)
                           ? ','
                           : '\t';
    auto f = format_from_header(TableReader::split_line(line, delim));
    if (f != RepertoireFormat::kAuto) return f;
    if (looks_like_cdr3(line)) return RepertoireFormat::kCdr3List;
    throw InputError(path, "line " + std::to_string(r.line_number()),
                     "not a known repertoire format (AIRR junction_aa/v_call, 10x barcode/chain/cdr3, MiXCR "
                     "aaSeqCDR3, Adaptive amino_acid, tcrdist3 cdr3_b_aa, or one CDR3 per line); name the format explicitly");
  }
  throw InputError(path, "", "empty repertoire file");
}

RepertoireSummary stream(const std::string& path, const MemoryFile* memory, RepertoireFormat format,
                         const RowSink& sink) {
  RepertoireSummary summary;
  if (format == RepertoireFormat::kAuto) {
    LineReader r = memory ? LineReader(*memory) : LineReader(path);
    format = detect_format(r);
  }
  summary.format = format;
  const RowSink counting = [&](RepertoireRow&& row) {
    summary.rows += 1;
    sink(std::move(row));
  };
  Collector rep{path, memory, counting, summary.skipped, summary.anchors_added, nullptr, std::nullopt, 0};
  switch (summary.format) {
    case RepertoireFormat::kAirr: read_airr(path, rep); break;
    case RepertoireFormat::kTenx: read_tenx(path, rep); break;
    case RepertoireFormat::kMixcr: read_mixcr(path, rep); break;
    case RepertoireFormat::kAdaptive: read_adaptive(path, rep); break;
    case RepertoireFormat::kTcrdist: read_tcrdist(path, rep); break;
    case RepertoireFormat::kCdr3List: read_cdr3_list(path, rep); break;
    case RepertoireFormat::kAuto: break;
  }
  return summary;
}

}  // namespace

RepertoireFormat detect_repertoire_format(const std::string& path) {
  LineReader r(path);
  return detect_format(r);
}

RepertoireSummary stream_repertoire(const std::string& path, RepertoireFormat format, const RowSink& sink) {
  return stream(path, nullptr, format, sink);
}

RepertoireSummary stream_repertoire(const MemoryFile& file, RepertoireFormat format, const RowSink& sink) {
  return stream(file.name, &file, format, sink);
}

Repertoire read_repertoire(const std::string& path, RepertoireFormat format) {
  Repertoire rep;
  RepertoireSummary summary =
      stream_repertoire(path, format, [&rep](RepertoireRow&& row) { rep.rows.push_back(std::move(row)); });
  rep.format = summary.format;
  rep.skipped = std::move(summary.skipped);
  rep.anchors_added = summary.anchors_added;
  return rep;
}

}  // namespace tilmatch::io
