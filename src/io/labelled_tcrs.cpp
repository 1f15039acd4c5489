#include "io/labelled_tcrs.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>
#include <unordered_map>

#include "io/line_reader.hpp"
#include "io/repertoire.hpp"
#include "io/table_checks.hpp"
#include "io/table_reader.hpp"
#include "names/gene_names.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::io {
namespace {

namespace fs = std::filesystem;

/// One usable TCR row of a file, whatever its layout.
struct TcrRow {
  Tcr tcr;
  std::string own_id;  ///< the layout's id column, or empty
  std::int64_t line = 0;
};
using TcrRowSink = std::function<void(TcrRow&&)>;

/// "" when `cdr3` is a usable junction, else the reason it is skipped (as the repertoire readers).
std::string cdr3_problem(std::string_view cdr3) {
  if (cdr3.empty()) return "missing_cdr3";
  if (cdr3.find('*') != std::string_view::npos) return "stop_codon";
  if (!names::is_amino_acid_sequence(cdr3)) return "non_amino_acid";
  return {};
}

/// IMMREP22's paired columns (TRA_CDR3 and TRB_CDR3 are full junctions, C...F/W).
void read_immrep_rows(const std::string& path, std::map<std::string, std::int64_t>& skipped, const TcrRowSink& sink) {
  TableReader t(path, '\t');
  reject_wrong_separator(t);
  const auto b = t.require("TRB_CDR3");
  const auto vb = t.find("TRBV"), jb = t.find("TRBJ");
  const auto a = t.find("TRA_CDR3"), va = t.find("TRAV"), ja = t.find("TRAJ");
  while (t.next()) {
    Tcr tcr{text::to_upper(t.key_field(b)), names::normalize_gene(t.key_field(vb)), names::normalize_gene(t.key_field(jb)),
            text::to_upper(t.key_field(a)), names::normalize_gene(t.key_field(va)), names::normalize_gene(t.key_field(ja))};
    if (std::string why = cdr3_problem(tcr.cdr3b); !why.empty()) {
      skipped[why] += 1;
      continue;
    }
    if (!tcr.cdr3a.empty() && !cdr3_problem(tcr.cdr3a).empty()) {
      // A bad alpha chain does not spoil a good beta chain: keep the beta alone.
      tcr.cdr3a.clear();
      tcr.va.clear();
      tcr.ja.clear();
      skipped["alpha_chain_dropped"] += 1;
    }
    sink(TcrRow{std::move(tcr), std::string(), t.line_number()});
  }
}

/// Reads the TCR rows of `path` in `format` ("immrep", a repertoire format name, or "auto");
/// returns the line of the header (0 for a headerless CDR3 list).
std::int64_t read_tcr_rows(const std::string& path, const std::string& format,
                           std::map<std::string, std::int64_t>& skipped, const TcrRowSink& sink) {
  if (format == "immrep" || (format == "auto" && is_immrep_table(path))) {
    read_immrep_rows(path, skipped, sink);
    return TableReader(path, '\t').line_number();
  }
  const RepertoireSummary summary = stream_repertoire(path, parse_repertoire_format(format), [&](RepertoireRow&& r) {
    sink(TcrRow{std::move(r.tcr), std::move(r.id), r.line});
  });
  for (const auto& [why, n] : summary.skipped) skipped[why] += n;
  if (summary.format == RepertoireFormat::kCdr3List) return 0;
  return TableReader(path, summary.format == RepertoireFormat::kTenx ? ',' : 0).line_number();
}

std::string file_stem(const fs::path& p) {
  std::string name = p.filename().string();
  for (std::string_view ext : {".gz", ".txt", ".tsv", ".csv"}) {
    if (name.size() > ext.size() && name.ends_with(ext)) name.resize(name.size() - ext.size());
  }
  return name;
}

bool is_epitope_file(const fs::path& p) {
  const std::string name = p.filename().string();
  const bool table = name.ends_with(".txt") || name.ends_with(".txt.gz") || name.ends_with(".tsv") ||
                     name.ends_with(".tsv.gz");
  return table && names::is_amino_acid_sequence(file_stem(p));
}


void read_labelled_file(const std::string& path, LabelledTcrs& out) {
  // First the labels and epitopes by line, then the TCRs in the file's layout, joined by line.
  struct Label {
    std::string epitope;
    bool positive = false;
  };
  std::unordered_map<std::int64_t, Label> labels;
  std::string fixed_epitope;
  {
    TableReader t(path);
    reject_wrong_separator(t);
    const auto epitope = t.find("epitope");
    const auto label = t.find("label");
    if (!epitope) {
      fixed_epitope = file_stem(path);
      if (!label || !names::is_amino_acid_sequence(fixed_epitope))
        throw InputError(path, "line " + std::to_string(t.line_number()),
                         "labelled references need 'epitope' and 'label' columns, or a 'Label' column in a file "
                         "named after its epitope (<EPITOPE>.txt, IMMREP22 style)");
    } else if (!label) {
      throw InputError(path, "line " + std::to_string(t.line_number()), "no 'label' column (1 binds, 0 does not)");
    }
    while (t.next()) {
      Label l{fixed_epitope, parse_label(t, *label)};
      if (epitope) {
        l.epitope = text::to_upper(trim_blanks(t.field(epitope)));
        if (!names::is_amino_acid_sequence(l.epitope))
          throw InputError(path, t.where(epitope), "epitope '" + std::string(t.field(epitope)) + "' is no peptide");
      }
      labels.emplace(t.line_number(), std::move(l));
    }
  }
  const std::string stem = file_stem(path);
  std::int64_t header_line = 0;
  std::vector<TcrRow> rows;
  std::map<std::string, std::int64_t> skipped;
  header_line = read_tcr_rows(path, "auto", skipped, [&](TcrRow&& r) { rows.push_back(std::move(r)); });
  for (TcrRow& r : rows) {
    const auto it = labels.find(r.line);
    if (r.line == 0 || it == labels.end())
      throw InputError(path, "", "this layout pairs chains per cell across rows; labelled references need one TCR per row");
    LabelledTcr l;
    l.id = r.own_id.empty() ? stem + ":" + std::to_string(r.line - header_line) : r.own_id;
    l.tcr = std::move(r.tcr);
    l.epitope = it->second.epitope;
    l.positive = it->second.positive;
    l.file = path;
    l.line = r.line;
    out.rows.push_back(std::move(l));
  }
  for (const auto& [why, n] : skipped) out.skipped[why] += n;
}

}  // namespace

bool is_immrep_table(const std::string& path) {
  LineReader r(path);
  std::string line;
  while (r.next(line)) {
    if (line.empty()) continue;
    const auto fields = TableReader::split_line(line, '\t');
    return std::find(fields.begin(), fields.end(), "TRB_CDR3") != fields.end();
  }
  return false;
}

IdentifiedTcrs read_query_tcrs(const std::string& path, const std::string& format) {
  IdentifiedTcrs q;
  std::vector<TcrRow> rows;
  const std::int64_t header_line =
      read_tcr_rows(path, format, q.skipped, [&](TcrRow&& r) { rows.push_back(std::move(r)); });
  for (std::size_t i = 0; i < rows.size(); ++i) {
    TcrRow& r = rows[i];
    // Rows paired per cell come from several lines; their layouts give each cell an id.
    q.ids.push_back(!r.own_id.empty() ? r.own_id
                                      : std::to_string(r.line > 0 ? r.line - header_line : static_cast<std::int64_t>(i + 1)));
    q.tcrs.push_back(std::move(r.tcr));
    q.lines.push_back(r.line);
  }
  return q;
}

void read_labelled_references(const std::string& path, LabelledTcrs& out) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    read_labelled_file(path, out);
    return;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    if (entry.is_regular_file() && is_epitope_file(entry.path())) files.push_back(entry.path());
  }
  if (ec) throw IoError(path + ": cannot list the folder: " + ec.message());
  if (files.empty())
    throw InputError(path, "", "no <EPITOPE>.txt[.gz] or <EPITOPE>.tsv[.gz] file in this folder");
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) read_labelled_file(f.string(), out);
}

}  // namespace tilmatch::io
