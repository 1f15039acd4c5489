// tilmatch search: query TCRs against a reference (TCRdist radius or TCRMatch score), hits as TSV.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
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
#include "tilmatch/text.hpp"

namespace tilmatch::cli {
namespace {

/// Default TCRdist radius: tcrdist3 users commonly take 12-24 for beta-chain neighbourhoods; 24
/// keeps one CDR3 substitution plus V-loop differences (or two close CDR3 substitutions).
constexpr int kDefaultMaxDistance = 24;
/// --all-pairs writes every pair; above this many the output would be unmanageable.
constexpr double kMaxAllPairs = 1e7;

struct SearchArgs {
  std::string query, reference, metric, chains = "beta", v_gene_table;
  std::string query_format = "auto", reference_format = "auto", backend = "auto", memory = kDefaultMemory;
  std::optional<int> max_distance;
  std::optional<std::string> min_score;
  std::size_t top_k = 0;
  unsigned threads = 0;
  bool all_pairs = false;
  bool allow_empty = false;
  bool v_genes = true;
  std::string out;
};

void check_search_args(const SearchArgs& a) {
  const bool tcrdist = a.metric == "tcrdist";
  if (tcrdist && a.min_score) throw UsageError("--min-score applies to --metric tcrmatch; use --max-distance");
  if (!tcrdist && a.max_distance) throw UsageError("--max-distance applies to --metric tcrdist; use --min-score");
  if (!tcrdist && a.chains != "beta") throw UsageError("--metric tcrmatch scores the beta chain only");
  if (!tcrdist && !a.v_gene_table.empty()) throw UsageError("--v-gene-table applies to --metric tcrdist");
  if (a.all_pairs && (a.max_distance || a.min_score || a.top_k))
    throw UsageError("--all-pairs cannot be combined with --max-distance, --min-score or --top-k");
}

/// The reference, encoded for the metric, with the backend, the V-gene table and the cut-offs.
/// Built in place (the V-gene pointer may point into it), never copied or moved.
struct SearchSetup {
  explicit SearchSetup(const SearchArgs& a)
      : tcrdist(a.metric == "tcrdist"),
        chains(parse_chains(a.chains)),
        kind(scoring::parse_backend_kind(a.backend)),
        k1(scoring::make_k1_table()) {
    options.memory_budget_bytes = parse_memory(a.memory, "--memory");
    options.top_k = a.top_k;
    log::stage("reading reference TCRs from " + a.reference + "...");
    ref = load_reference_table(a.reference, a.reference_format);
    require_usable(ref.tcrs.size(), a.reference, "reference TCR", ref.skipped, a.allow_empty);
    backend = scoring::make_backend(kind, a.threads);
    vg = tcrdist ? choose_vgene_table(a.v_gene_table, a.v_genes, ref.tcrs, chains, vgenes) : nullptr;
    if (vg) count_vgenes(ref.tcrs, *vg, chains, ref_vgenes);
    if (tcrdist) {
      ref_tcrdist = scoring::encode_tcrdist_set(tcrdist_records(ref.tcrs), chains, vg);
    } else {
      ref_tcrmatch = scoring::encode_tcrmatch_set(tcrmatch_sequences(ref.tcrs), k1);
    }
    radius = a.all_pairs ? std::numeric_limits<int>::max() / 2 : a.max_distance.value_or(kDefaultMaxDistance);
    // TCRMatch's rule, so that its hit sets are reproduced: score > S, both float32.
    threshold = a.all_pairs ? -std::numeric_limits<float>::infinity()
                            : scoring::tcrmatch_min_score(a.min_score
                                                              ? parse_tcrmatch_threshold(*a.min_score, "--min-score")
                                                              : scoring::kTcrmatchDefaultThreshold);
  }
  SearchSetup(const SearchSetup&) = delete;
  SearchSetup& operator=(const SearchSetup&) = delete;

  bool tcrdist;
  scoring::Chains chains;
  scoring::BackendKind kind;
  scoring::EngineOptions options;
  SearchTable ref;
  std::unique_ptr<scoring::Backend> backend;
  std::optional<scoring::VGeneTable> vgenes;
  const scoring::VGeneTable* vg = nullptr;
  scoring::VGeneCounts ref_vgenes;
  scoring::K1Table k1;
  std::optional<scoring::TcrdistSet> ref_tcrdist;
  std::optional<scoring::TcrmatchSet> ref_tcrmatch;
  int radius = 0;
  float threshold = 0;
};

/// The output's header and rows: query and reference ids and CDR3s, the score, and with an
/// annotated reference its epitopes, MHC, antigen and source (`NA` where unannotated).
class HitRows {
 public:
  explicit HitRows(const SearchTable& ref) : ref_(ref) {}

  std::string header() const {
    std::string h = "query_id\treference_id\tquery_cdr3b\treference_cdr3b\tscore";
    if (ref_.annotated) h += "\tepitope\tmhc\tantigen_gene\tantigen_species\tsource";
    return h + '\n';
  }

  void add(const QueryBlock& b, std::size_t qi, std::uint32_t ri, const std::string& score) {
    lines_ += text::tsv_escape(b.ids[qi]) + '\t' + text::tsv_escape(ref_.ids[ri]) + '\t' + b.tcrs[qi].cdr3b + '\t' +
              ref_.tcrs[ri].cdr3b + '\t' + score;
    if (ref_.annotated) {
      const ReferenceTcr& r = ref_.annotation[ri];
      // The column lists every epitope of the row: its peptides, then the others (IEDB).
      const std::string sep = r.epitope.empty() || r.other_epitopes.empty() ? "" : ",";
      const std::string epitopes = r.epitope + sep + r.other_epitopes;
      // An unannotated field is `NA`, never an empty cell (docs/formats.md).
      lines_ += '\t' + (epitopes.empty() ? std::string("NA") : text::tsv_escape(epitopes));
      for (const std::string* f : {&r.mhc, &r.antigen_gene, &r.antigen_species, &r.source})
        lines_ += '\t' + (f->empty() ? std::string("NA") : text::tsv_escape(*f));
    }
    lines_ += '\n';
  }

  /// The rows added since the last call.
  std::string take() { return std::exchange(lines_, std::string()); }

 private:
  const SearchTable& ref_;
  std::string lines_;
};

/// Scores queries [from, to) of block b against the reference and adds their rows; returns the
/// hits. Out of device memory, the run is scored again in smaller device tiles (kept for later runs).
std::size_t score_queries(SearchSetup& s, const QueryBlock& b, std::size_t from, std::size_t to, HitRows& rows) {
  const std::vector<Tcr> part(b.tcrs.begin() + static_cast<std::ptrdiff_t>(from),
                              b.tcrs.begin() + static_cast<std::ptrdiff_t>(to));
  const std::size_t n_ref = s.ref.tcrs.size();
  if (s.tcrdist) {
    const auto qs = scoring::encode_tcrdist_set(tcrdist_records(part), s.chains, s.vg);
    const auto hits = scoring::search_with_tile_fallback(s.options, qs.size(), n_ref, [&](const scoring::EngineOptions& o) {
      return s.backend->tcrdist_search(qs, *s.ref_tcrdist, s.radius, o);
    });
    for (const auto& h : hits) rows.add(b, from + h.query, h.reference, std::to_string(h.distance));
    return hits.size();
  }
  const auto qs = scoring::encode_tcrmatch_set(tcrmatch_sequences(part), s.k1);
  const auto hits = scoring::search_with_tile_fallback(s.options, qs.size(), n_ref, [&](const scoring::EngineOptions& o) {
    return s.backend->tcrmatch_search(qs, *s.ref_tcrmatch, s.threshold, s.k1, o);
  });
  for (const auto& h : hits) rows.add(b, from + h.query, h.reference, text::format_fixed(h.score, 6));
  return hits.size();
}

/// --all-pairs: the (small) query, read whole before any output, refused past 10^7 pairs.
std::vector<QueryBlock> read_all_pairs_query(const SearchArgs& a, std::size_t references,
                                             io::RepertoireSummary& summary) {
  std::vector<QueryBlock> held;
  std::size_t n = 0;
  summary = stream_repertoire_blocks(a.query, a.query_format, scoring::kMaxQueriesPerRun, [&](const QueryBlock& b) {
    n += b.tcrs.size();
    if (static_cast<double>(n) * static_cast<double>(references) > kMaxAllPairs)
      throw UsageError("--all-pairs: over 10^7 pairs (" + std::to_string(n) + " queries so far x " +
                       std::to_string(references) + " references); use a threshold instead");
    held.push_back(b);
  });
  return held;
}

int run_search(const SearchArgs& a) {
  check_search_args(a);
  SearchSetup s(a);
  // Memory stays within --memory whatever the input: the query is read in blocks of at most
  // kMaxQueriesPerRun TCRs, and each is scored in runs (scoring/search_runs.hpp) whose hits
  // should fit in half the budget, written out before the next run is scored. Hits are ordered
  // by query first, so the output is the same bytes whatever the runs.
  const std::size_t max_hits_per_query = std::max<std::size_t>(
      1, a.top_k ? std::min<std::size_t>(a.top_k, s.ref.tcrs.size()) : s.ref.tcrs.size());
  scoring::SearchRuns runs(s.options.memory_budget_bytes, max_hits_per_query);
  io::RepertoireSummary summary;
  std::vector<QueryBlock> held;
  if (a.all_pairs) {
    held = read_all_pairs_query(a, s.ref.tcrs.size(), summary);
  } else if (a.out == "-" && a.query != "-") {
    // stdout cannot be taken back, so a query file is read whole (an InputError anywhere in it
    // stops the run) before the first hit goes out; a file output is simply not renamed into place.
    stream_repertoire_blocks(a.query, a.query_format, scoring::kMaxQueriesPerRun, [](const QueryBlock&) {});
  }
  log::stage("scoring the queries in " + (a.query == "-" ? std::string("standard input") : a.query) + " against " +
             log::format_count(static_cast<long long>(s.ref.tcrs.size())) + " reference TCRs on " +
             scoring::describe_backend(*s.backend, a.threads) + "...");

  AtomicFile out(a.out);
  HitRows rows(s.ref);
  // Written with the first query block: an empty query is refused before anything reaches stdout.
  bool header_written = false;
  const auto write_header = [&] {
    if (!header_written) out.write(rows.header());
    header_written = true;
  };
  scoring::VGeneCounts query_vgenes;
  log::Progress progress("search");
  const auto score_block = [&](const QueryBlock& b) {
    if (s.vg) count_vgenes(b.tcrs, *s.vg, s.chains, query_vgenes);
    write_header();
    const std::size_t first = runs.queries();
    try {
      runs.score(b.tcrs.size(), [&](std::size_t from, std::size_t to) {
        const std::size_t found = score_queries(s, b, from, to, rows);
        out.write(rows.take());
        progress.update(static_cast<long long>(b.first + to), "queries", 1);
        return found;
      });
    } catch (const scoring::QueryOverBudget& e) {
      const std::size_t i = e.query() - first;  // within b
      throw UsageError("query " + std::to_string(e.query() + 1) + " (" + b.ids[i] + ", CDR3b " + b.tcrs[i].cdr3b +
                       ") alone has more hits than --memory " + a.memory +
                       " holds; tighten the threshold, use --top-k or raise --memory");
    }
  };
  if (a.all_pairs) {
    for (const QueryBlock& b : held) score_block(b);
  } else {
    summary = stream_repertoire_blocks(a.query, a.query_format, scoring::kMaxQueriesPerRun, score_block);
  }
  progress.done();
  const std::size_t queries = runs.queries(), hits = runs.hits();
  require_usable(queries, a.query, "query TCR", summary.skipped, a.allow_empty);
  write_header();
  out.commit();
  log_skipped(a.query, summary.skipped);
  if (s.vg) {
    report_vgenes("search", "reference TCRs", *s.vg, s.ref_vgenes);
    report_vgenes("search", "queries", *s.vg, query_vgenes);
  }
  log::stage("done: " + log::format_count(static_cast<long long>(queries)) + " queries, " +
             log::format_count(static_cast<long long>(hits)) + " hits written to " + output_name(a.out));
  return kExitOk;
}

Runner setup_search(CLI::App& sub) {
  auto a = std::make_shared<SearchArgs>();
  sub.add_option("--query", a->query, "Query repertoire (any repertoire format; '-' = CDR3 list on stdin)")
      ->required()
      ->group(kGroupInputs);
  sub.add_option("--reference", a->reference,
                 "Reference database (tilmatch, VDJdb or IEDB/TCRMatch TSV) or another repertoire")
      ->required()
      ->group(kGroupReferences);
  sub.add_option("--metric", a->metric, "tcrdist or tcrmatch")
      ->required()
      ->check(CLI::IsMember({"tcrdist", "tcrmatch"}))
      ->group(kGroupModel);
  sub.add_option("--chains", a->chains, "tcrdist chains: beta, alpha or alpha_beta")
      ->capture_default_str()
      ->group(kGroupModel);
  auto* md = sub.add_option_function<int>("--max-distance", [a](const int& v) { a->max_distance = v; },
                                          "tcrdist: keep pairs with distance <= D (default 24)");
  auto* ms = sub.add_option_function<std::string>(
      "--min-score", [a](const std::string& v) { a->min_score = v; },
      "tcrmatch: keep pairs scoring above S, 0 <= S <= 1 (default 0.97); as TCRMatch 1.3's -s: S read as float32, "
      "score > S");
  md->type_name("INT")->group(kGroupFilters);
  ms->type_name("NUM")->group(kGroupFilters);
  md->excludes(ms);
  sub.add_option("--top-k", a->top_k, "Keep the best K hits per query (0 = all)")
      ->capture_default_str()
      ->group(kGroupFilters);
  auto* vtable = sub.add_option("--v-gene-table", a->v_gene_table,
                                "V-gene loop table in tcrdist3's layout (alphabeta_gammadelta_db.tsv), instead of "
                                "the built-in IMGT one")
                     ->check(CLI::ExistingFile)
                     ->group(kGroupReferences);
  sub.add_flag("--no-v-genes{false}", a->v_genes,
               "tcrdist on CDR3 alone (default: CDR1/CDR2/CDR2.5 too when the reference carries V genes)")
      ->excludes(vtable)
      ->group(kGroupModel);
  sub.add_option("--query-format", a->query_format, "Query repertoire format (auto, airr, 10x, mixcr, adaptive, "
                 "tcrdist, cdr3-list)")
      ->capture_default_str()
      ->group(kGroupInputs);
  sub.add_option("--reference-format", a->reference_format, "Reference format (auto, tilmatch, vdjdb, iedb)")
      ->capture_default_str()
      ->group(kGroupReferences);
  sub.add_option("--backend", a->backend, "auto, cpu or cuda")->capture_default_str()->group(kGroupCompute);
  sub.add_option("--threads", a->threads, "CPU threads (0 = all)")->capture_default_str()->group(kGroupCompute);
  sub.add_option("--memory", a->memory, kMemoryHelp)->capture_default_str()->type_name("SIZE")->group(kGroupCompute);
  sub.add_flag("--all-pairs", a->all_pairs, "Write every pair, whatever its score (at most 10^7 pairs)")
      ->group(kGroupOutput);
  sub.add_flag("--allow-empty", a->allow_empty,
               "Write a header-only output when the query or reference has no usable TCR (else exit 2)")
      ->group(kGroupOutput);
  sub.add_option("-o,--out", a->out, "Hits TSV ('-' = stdout)")->required()->type_name("FILE")->group(kGroupOutput);
  sub.footer(
      "Example (clonotypes of an example culture near the example's reference TCRs):\n"
      "  tilmatch search --query data/example/fragments/F01.airr.tsv --reference data/example/reference.tsv \\\n"
      "    --metric tcrdist --max-distance 24 --out hits.tsv\n"
      "\n"
      "Columns: query_id, reference_id, query_cdr3b, reference_cdr3b, score, then epitope, mhc, antigen_gene,\n"
      "antigen_species, source when the reference is a database. query_id (reference_id of a repertoire) is the\n"
      "row's own id (AIRR sequence_id/cell_id, 10x barcode, MiXCR cloneId, tcrdist3 clone_id) or its 1-based row.\n"
      "tcrdist: integer distance (tcrdist3 defaults; CDR1/CDR2/CDR2.5 too when the reference carries V genes, a\n"
      "query without a known V gene on CDR3 alone; --no-v-genes: CDR3 only). tcrmatch: TCRMatch 1.3\n"
      "kernel score on C...F-trimmed CDR3b. Rows are ordered by query, score (best first), reference.");

  return [a](const std::string&) -> int { return run_search(*a); };
}

}  // namespace

CommandSpec search_command() {
  return {"search", "Match query TCRs against a reference by TCRdist or TCRMatch score", &setup_search};
}

}  // namespace tilmatch::cli
