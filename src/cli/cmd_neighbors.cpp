// tilmatch neighbors: all TCRdist neighbour pairs within one repertoire (i < j), as TSV.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/byte_size.hpp"
#include "cli/command.hpp"
#include "cli/help.hpp"
#include "cli/search_support.hpp"
#include "scoring/backend.hpp"
#include "scoring/search_runs.hpp"
#include "scoring/vgene_table.hpp"
#include "tilmatch/atomic_file.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch::cli {
namespace {

struct NeighborsArgs {
  std::string input, input_format = "auto", metric = "tcrdist", chains = "beta", v_gene_table;
  std::string backend = "auto", memory = kDefaultMemory, out;
  int max_distance = 0;
  unsigned threads = 0;
  bool allow_empty = false;
  bool v_genes = true;
};

/// The pairs i < j of the table's TCRs within max_distance, scored in runs sized from the memory
/// budget (scoring/search_runs.hpp; the first assumes a row near every other row) and written run
/// by run, as in `search`: the bytes do not depend on the runs. i and j number the usable rows;
/// id_i and id_j are their ids as `search` writes them (the file's id, else its line), which a
/// skipped row does not shift. Returns the pairs written.
std::size_t write_pairs(const SearchTable& rep, scoring::Chains chains, const scoring::VGeneTable* vg,
                        const scoring::Backend& backend, scoring::EngineOptions& options, const NeighborsArgs& a,
                        AtomicFile& out) {
  const std::vector<Tcr>& tcrs = rep.tcrs;
  const std::size_t n = tcrs.size();
  const auto records = tcrdist_records(tcrs);
  const auto set = scoring::encode_tcrdist_set(records, chains, vg);
  out.write("i\tj\tcdr3b_i\tcdr3b_j\tdistance\tid_i\tid_j\n");
  std::string lines;
  log::Progress progress("neighbors", static_cast<long long>(n));
  std::size_t written = 0;
  // Scores rows [i0, i1) and writes their pairs; throws HitBudgetExceeded (nothing written) when
  // their hits do not fit.
  auto score_run = [&](std::size_t i0, std::size_t i1) {
    const std::vector<scoring::TcrRecord> part(records.begin() + static_cast<std::ptrdiff_t>(i0),
                                               records.begin() + static_cast<std::ptrdiff_t>(i1));
    const auto rows = scoring::encode_tcrdist_set(part, chains, vg);
    // The symmetric search scores each pair twice; only i < j is written. Out of device memory,
    // the run is scored again in smaller device tiles (kept for later runs).
    const auto hits = scoring::search_with_tile_fallback(
        options, rows.size(), set.size(),
        [&](const scoring::EngineOptions& o) { return backend.tcrdist_search(rows, set, a.max_distance, o); });
    lines.clear();
    for (const auto& h : hits) {
      const std::size_t i = i0 + h.query;
      if (i >= h.reference) continue;
      lines += std::to_string(i + 1) + '\t' + std::to_string(h.reference + 1) + '\t' + tcrs[i].cdr3b + '\t' +
               tcrs[h.reference].cdr3b + '\t' + std::to_string(h.distance) + '\t' + rep.ids[i] + '\t' +
               rep.ids[h.reference] + '\n';
    }
    out.write(lines);
    written += static_cast<std::size_t>(std::count(lines.begin(), lines.end(), '\n'));
    progress.update(static_cast<long long>(i1), "rows", 1);
    return hits.size();
  };
  try {
    scoring::search_in_runs(n, options.memory_budget_bytes, n, score_run, "neighbors: pairs of rows");
  } catch (const scoring::QueryOverBudget& e) {
    throw UsageError("row " + std::to_string(e.query() + 1) + " (CDR3b " + tcrs[e.query()].cdr3b +
                     ") alone has more neighbours within " + std::to_string(a.max_distance) + " than --memory " +
                     a.memory + " holds; lower --max-distance or raise --memory");
  }
  progress.done();
  return written;
}

int run_neighbors(const NeighborsArgs& a) {
  if (a.max_distance < 0) throw UsageError("--max-distance must be >= 0");
  const scoring::Chains chains = parse_chains(a.chains);
  const auto kind = scoring::parse_backend_kind(a.backend);
  scoring::EngineOptions options;
  options.memory_budget_bytes = parse_memory(a.memory, "--memory");
  log::stage("reading TCRs from " + (a.input == "-" ? std::string("standard input") : a.input) + "...");
  const SearchTable rep = load_repertoire_table(a.input, a.input_format);
  require_usable(rep.tcrs.size(), a.input, "TCR", rep.skipped, a.allow_empty);
  const auto backend = scoring::make_backend(kind, a.threads);
  std::optional<scoring::VGeneTable> vgenes;
  const scoring::VGeneTable* vg = choose_vgene_table(a.v_gene_table, a.v_genes, rep.tcrs, chains, vgenes);
  count_and_report_vgenes("neighbors", "input", rep.tcrs, vg, chains);
  const auto pairs = static_cast<long long>(rep.tcrs.size()) * static_cast<long long>(rep.tcrs.size() - 1) / 2;
  log::stage("scoring " + log::format_count(pairs) + " pairs of " +
             log::format_count(static_cast<long long>(rep.tcrs.size())) + " TCRs on " +
             scoring::describe_backend(*backend, a.threads) + "...");
  AtomicFile out(a.out);
  const std::size_t written = write_pairs(rep, chains, vg, *backend, options, a, out);
  out.commit();
  log::stage("done: " + log::format_count(static_cast<long long>(written)) + " pairs within " +
             std::to_string(a.max_distance) + " written to " + output_name(a.out));
  return kExitOk;
}

Runner setup_neighbors(CLI::App& sub) {
  auto a = std::make_shared<NeighborsArgs>();
  sub.add_option("--input", a->input, "Repertoire (any repertoire format; '-' = CDR3 list on stdin)")
      ->required()
      ->group(kGroupInputs);
  sub.add_option("--input-format", a->input_format,
                 "Repertoire format (auto, airr, 10x, mixcr, adaptive, tcrdist, cdr3-list)")
      ->capture_default_str()
      ->group(kGroupInputs);
  auto* vtable = sub.add_option("--v-gene-table", a->v_gene_table,
                                "V-gene loop table in tcrdist3's layout, instead of the built-in IMGT one")
                     ->check(CLI::ExistingFile)
                     ->group(kGroupReferences);
  sub.add_flag("--no-v-genes{false}", a->v_genes,
               "TCRdist on CDR3 alone (default: CDR1/CDR2/CDR2.5 too when the input carries V genes)")
      ->excludes(vtable)
      ->group(kGroupModel);
  sub.add_option("--metric", a->metric, "Only tcrdist")
      ->check(CLI::IsMember({"tcrdist"}))
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--chains", a->chains, "beta, alpha or alpha_beta")->capture_default_str()->group(kGroupModel);
  sub.add_option("--max-distance", a->max_distance, "Keep pairs with distance <= D")
      ->required()
      ->group(kGroupFilters);
  sub.add_option("--backend", a->backend, "auto, cpu or cuda")->capture_default_str()->group(kGroupCompute);
  sub.add_option("--threads", a->threads, "CPU threads (0 = all)")->capture_default_str()->group(kGroupCompute);
  sub.add_option("--memory", a->memory, kMemoryHelp)->capture_default_str()->type_name("SIZE")->group(kGroupCompute);
  sub.add_flag("--allow-empty", a->allow_empty,
               "Write a header-only output when the input has no usable TCR (else exit 2)")
      ->group(kGroupOutput);
  sub.add_option("-o,--out", a->out, "Pairs TSV ('-' = stdout)")->required()->type_name("FILE")->group(kGroupOutput);
  sub.footer(
      "Example (pairs of clonotypes of one example culture within TCRdist 24):\n"
      "  tilmatch neighbors --input data/example/fragments/F01.airr.tsv --max-distance 24 --out pairs.tsv\n"
      "\n"
      "Columns: i, j (1-based numbers among the usable rows, i < j), cdr3b_i, cdr3b_j, distance, id_i, id_j\n"
      "(the rows' ids: the file's id column, else its line); ordered by i, distance, j.");

  return [a](const std::string&) { return run_neighbors(*a); };
}

}  // namespace

CommandSpec neighbors_command() {
  return {"neighbors", "All TCRdist neighbour pairs within one repertoire", &setup_neighbors};
}

}  // namespace tilmatch::cli
