#include "cli/search_support.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "cli/byte_size.hpp"
#include "io/reference_db.hpp"
#include "io/repertoire.hpp"
#include "scoring/tcrmatch.hpp"
#include "scoring/vgene_table.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::cli {

scoring::Chains parse_chains(const std::string& text) {
  if (text == "beta") return scoring::Chains::beta;
  if (text == "alpha") return scoring::Chains::alpha;
  if (text == "alpha_beta") return scoring::Chains::alpha_beta;
  throw UsageError("--chains: expected beta, alpha or alpha_beta, got '" + text + "'");
}

std::size_t parse_memory(const std::string& text, const std::string& option) {
  const auto bytes = parse_byte_size(text);
  if (!bytes || *bytes < (std::uint64_t{1} << 20))
    throw UsageError(option + ": expected a size of at least 1M such as 512M, 6G, 6GB, '6 GB' or 6GiB (binary units: "
                     "1G = 1024^3 bytes), got '" + text + "'");
  return static_cast<std::size_t>(*bytes);
}

float parse_tcrmatch_threshold(const std::string& text, const std::string& option) {
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  // strtof, as std::stof does: the decimal rounds straight to float, never through double.
  const float v = std::strtof(begin, &end);
  const bool whole = end != begin && *end == '\0' && !std::isspace(static_cast<unsigned char>(text.front()));
  if (!whole || errno == ERANGE || !(v >= 0.0f && v <= 1.0f))
    throw UsageError(option + ": expected a score threshold between 0 and 1 such as 0.97, got '" + text + "'");
  return v;
}

std::string output_name(const std::string& path) { return path == "-" ? "standard output" : path; }

void log_skipped(const std::string& path, const std::map<std::string, std::int64_t>& skipped) {
  if (skipped.empty()) return;
  std::int64_t total = 0;
  std::string why;
  for (const auto& [reason, n] : skipped) {
    total += n;
    why += (why.empty() ? "" : ", ") + reason + " " + log::format_count(n);
  }
  log::stage((path == "-" ? std::string("standard input") : path) + ": " + log::format_count(total) +
             (total == 1 ? " row" : " rows") + " skipped (" + why + ")");
}

void require_usable(std::size_t usable, const std::string& path, const std::string& role,
                    const std::map<std::string, std::int64_t>& skipped, bool allow_empty) {
  if (usable > 0 || allow_empty) return;
  std::string why;
  for (const auto& [reason, n] : skipped) why += (why.empty() ? "" : ", ") + reason + " " + std::to_string(n);
  throw InputError(path == "-" ? "standard input" : path, "",
                   "no usable " + role + (why.empty() ? std::string(" (no data rows)") : " (rows skipped: " + why + ")") +
                       "; pass --allow-empty to write a header-only output instead");
}

std::string row_id(const io::RepertoireRow& row, std::size_t usable_row) {
  if (!row.id.empty()) return row.id;
  return std::to_string(row.line > 0 ? static_cast<std::size_t>(row.line) : usable_row);
}

namespace {

SearchTable from_repertoire(const io::Repertoire& rep) {
  SearchTable t;
  for (std::size_t i = 0; i < rep.rows.size(); ++i) {
    t.ids.push_back(row_id(rep.rows[i], i + 1));
    t.tcrs.push_back(rep.rows[i].tcr);
  }
  t.skipped = rep.skipped;
  return t;
}

}  // namespace

SearchTable load_repertoire_table(const std::string& path, const std::string& format) {
  SearchTable t;
  const auto summary = stream_repertoire_blocks(path, format, std::size_t{1} << 16, [&t](const QueryBlock& b) {
    t.ids.insert(t.ids.end(), b.ids.begin(), b.ids.end());
    t.tcrs.insert(t.tcrs.end(), b.tcrs.begin(), b.tcrs.end());
  });
  log_skipped(path, summary.skipped);
  t.skipped = summary.skipped;
  return t;
}

io::RepertoireSummary stream_repertoire_blocks(const std::string& path, const std::string& format,
                                               std::size_t block_size,
                                               const std::function<void(const QueryBlock&)>& consume) {
  auto f = io::parse_repertoire_format(format);
  std::string source = path;
  if (path == "-") {
    source = "/dev/stdin";
    f = io::RepertoireFormat::kCdr3List;
  }
  block_size = std::max<std::size_t>(block_size, 1);
  QueryBlock block;
  std::size_t row = 0;
  auto flush = [&] {
    if (!block.tcrs.empty()) consume(block);
    block.first = row;
    block.ids.clear();
    block.tcrs.clear();
  };
  io::RepertoireSummary summary = io::stream_repertoire(source, f, [&](io::RepertoireRow&& r) {
    ++row;
    block.ids.push_back(row_id(r, row));
    block.tcrs.push_back(std::move(r.tcr));
    if (block.tcrs.size() >= block_size) flush();
  });
  flush();
  return summary;
}

SearchTable load_reference_table(const std::string& path, const std::string& format) {
  const auto f = io::parse_reference_format(format);
  io::ReferenceDb db;
  try {
    db = io::read_reference(path, f);
  } catch (const InputError& e) {
    if (f != io::ReferenceFormat::kAuto || e.where() != "header") throw;
    log::info(path + ": not a reference database; reading it as a repertoire");
    const io::Repertoire rep = io::read_repertoire(path);
    log_skipped(path, rep.skipped);
    return from_repertoire(rep);
  }
  log_skipped(path, db.skipped);
  if (!db.negatives.empty())
    log::info(path + ": " + log::format_count(static_cast<long long>(db.negatives.size())) +
              " rows labelled 0 (TCRs that do not recognise their epitope) are not searched");
  SearchTable t;
  t.annotated = true;
  t.skipped = db.skipped;
  for (ReferenceTcr& r : db.rows) {
    t.ids.push_back(r.id);
    t.tcrs.push_back(r.tcr);
    t.annotation.push_back(std::move(r));
  }
  return t;
}

std::vector<scoring::TcrRecord> tcrdist_records(const std::vector<Tcr>& tcrs) {
  std::vector<scoring::TcrRecord> out;
  out.reserve(tcrs.size());
  for (const Tcr& t : tcrs) out.push_back({t.cdr3a, t.cdr3b, t.va, t.vb});
  return out;
}

void count_vgenes(const std::vector<Tcr>& tcrs, const scoring::VGeneTable& vgenes, scoring::Chains chains,
                  scoring::VGeneCounts& counts) {
  for (const Tcr& t : tcrs)
    for (int c = 0; c < 2; ++c)
      if (scoring::uses_chain(chains, c)) {
        const std::string& v = c == 0 ? t.va : t.vb;
        counts.add(vgenes.lookup(v), v);
      }
}

bool carries_vgenes(const std::vector<Tcr>& tcrs, scoring::Chains chains) {
  return std::any_of(tcrs.begin(), tcrs.end(), [chains](const Tcr& t) {
    return (scoring::uses_chain(chains, 0) && !t.va.empty()) || (scoring::uses_chain(chains, 1) && !t.vb.empty());
  });
}

const scoring::VGeneTable* choose_vgene_table(const std::string& path, bool use_v_genes, const std::vector<Tcr>& tcrs,
                                              scoring::Chains chains, std::optional<scoring::VGeneTable>& loaded) {
  if (!use_v_genes || !carries_vgenes(tcrs, chains)) return nullptr;
  if (path.empty()) return &scoring::VGeneTable::builtin();
  loaded = scoring::VGeneTable::load(path);
  return &*loaded;
}

void report_vgenes(const std::string& command, const std::string& what, const scoring::VGeneTable& vgenes,
                   const scoring::VGeneCounts& counts) {
  const std::string line = command + ": V genes of the " + what + " in " + vgenes.file() + ": " + counts.summary();
  if (counts.inexact() > 0)
    log::warn(line);
  else
    log::info(line);
}

void count_and_report_vgenes(const std::string& command, const std::string& what, const std::vector<Tcr>& tcrs,
                             const scoring::VGeneTable* vgenes, scoring::Chains chains) {
  if (vgenes == nullptr) return;
  scoring::VGeneCounts counts;
  count_vgenes(tcrs, *vgenes, chains, counts);
  report_vgenes(command, what, *vgenes, counts);
}

std::vector<std::string> tcrmatch_sequences(const std::vector<Tcr>& tcrs) {
  std::vector<std::string> out;
  out.reserve(tcrs.size());
  for (const Tcr& t : tcrs) out.emplace_back(scoring::tcrmatch_trim(t.cdr3b));
  return out;
}

}  // namespace tilmatch::cli
