// tilmatch predict: labelled reference TCRs x query TCRs -> a score per query and epitope.

#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/byte_size.hpp"
#include "cli/command.hpp"
#include "cli/help.hpp"
#include "cli/search_support.hpp"
#include "io/labelled_tcrs.hpp"
#include "pipeline/predict_stage.hpp"
#include "predict/auc.hpp"
#include "predict/kernel.hpp"
#include "scoring/backend.hpp"
#include "scoring/vgene_table.hpp"
#include "tilmatch/atomic_file.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::cli {
namespace {

// Defaults chosen by leave-one-out on the IMMREP22 training files only (scripts/bench-immrep,
// docs/BENCHMARKS.md): paired chains with V loops, the class-balanced mean kernel.
constexpr const char* kDefaultChains = "alpha_beta";
constexpr const char* kDefaultKernel = "mean";
constexpr double kDefaultScale = 24.0;
constexpr std::size_t kDefaultK = 5;
/// Beta-only repertoires are common; the default scores both chains.
constexpr const char* kNoAlphaHint =
    "no TCR here has an alpha chain, which --chains alpha_beta (the default) scores; use --chains beta";

struct PredictArgs {
  std::vector<std::string> references;
  std::string query, query_format = "auto", chains = kDefaultChains, kernel = kDefaultKernel, v_gene_table;
  std::string backend = "auto", memory = kDefaultMemory, out, auc;
  double scale = kDefaultScale;
  std::size_t k = kDefaultK;
  bool unbalanced = false, leave_one_out = false, v_genes = true;
  unsigned threads = 0;
};

/// Whether `t` has every chain `chains` scores (readers guarantee the beta chain).
bool has_chains(const Tcr& t, scoring::Chains chains) {
  return !scoring::uses_chain(chains, 0) || !t.cdr3a.empty();
}

/// InputError naming `file` and `where` when a V gene `chains` scores is absent from `vgenes`.
void require_vgenes(const Tcr& t, const scoring::VGeneTable& vgenes, scoring::Chains chains, const std::string& file,
                    const std::string& where) {
  for (int c = 0; c < 2; ++c) {
    if (!scoring::uses_chain(chains, c)) continue;
    const std::string& v = c == 0 ? t.va : t.vb;
    if (!vgenes.contains(v))
      throw InputError(file, where,
                       (v.empty() ? std::string(c == 0 ? "no alpha" : "no beta") + " V gene"
                                  : "V gene '" + v + "' is not in " + vgenes.file()) +
                           " (needed with --v-gene-table)");
  }
}

std::string where_line(std::int64_t line) { return line > 0 ? "line " + std::to_string(line) : ""; }

/// The kernel, chains and memory budget from the arguments (UsageError when they do not fit).
pipeline::PredictOptions predict_options(const PredictArgs& a) {
  if (!a.leave_one_out && a.query.empty()) throw UsageError("give --query, or --leave-one-out");
  if (!a.auc.empty() && !a.leave_one_out) throw UsageError("--auc needs --leave-one-out");
  // The layout is detected from the first line before the rows are read: stdin cannot be read twice.
  if (a.query == "-") throw UsageError("--query: give a file (standard input is not supported)");
  pipeline::PredictOptions options;
  options.chains = parse_chains(a.chains);
  options.kernel.kernel = predict::parse_kernel(a.kernel);
  options.kernel.scale = a.scale;
  options.kernel.k = a.k;
  options.kernel.balanced = !a.unbalanced;
  predict::check_kernel_params(options.kernel);
  options.engine.memory_budget_bytes = parse_memory(a.memory, "--memory");
  return options;
}

/// The labelled references with every scored chain (the others skipped and counted), grouped by
/// epitope. A user's V-gene table (`user_table`) must hold each scored V gene.
struct LabelledReferences {
  std::vector<io::LabelledTcr> rows;
  std::vector<pipeline::EpitopeClasses> epitopes;
  std::vector<Tcr> tcrs;  ///< rows' TCRs, same order
};

LabelledReferences read_labelled(const PredictArgs& a, scoring::Chains chains, const scoring::VGeneTable* user_table) {
  io::LabelledTcrs labelled;
  log::stage("reading labelled reference TCRs...");
  for (const std::string& path : a.references) io::read_labelled_references(path, labelled);
  LabelledReferences out;
  for (io::LabelledTcr& r : labelled.rows) {
    if (!has_chains(r.tcr, chains)) {
      labelled.skipped["no_alpha_chain"] += 1;
      continue;
    }
    if (user_table) require_vgenes(r.tcr, *user_table, chains, r.file, where_line(r.line));
    out.rows.push_back(std::move(r));
  }
  log_skipped("references", labelled.skipped);
  if (out.rows.empty() && labelled.skipped.count("no_alpha_chain"))
    throw InputError(a.references.front(), "", kNoAlphaHint);
  if (out.rows.empty()) throw InputError(a.references.front(), "", "no usable labelled reference TCR");
  out.epitopes = pipeline::group_by_epitope(out.rows);
  for (const auto& r : out.rows) out.tcrs.push_back(r.tcr);
  return out;
}

/// The query TCRs with every scored chain, and their ids; `user_table` as for the references.
struct QueryTcrs {
  std::vector<std::string> ids;
  std::vector<Tcr> tcrs;
};

QueryTcrs read_queries(const PredictArgs& a, scoring::Chains chains, const scoring::VGeneTable* user_table) {
  log::stage("reading query TCRs from " + a.query + "...");
  io::IdentifiedTcrs q = io::read_query_tcrs(a.query, a.query_format);
  QueryTcrs out;
  for (std::size_t i = 0; i < q.tcrs.size(); ++i) {
    if (!has_chains(q.tcrs[i], chains)) {
      q.skipped["no_alpha_chain"] += 1;
      continue;
    }
    if (user_table) require_vgenes(q.tcrs[i], *user_table, chains, a.query, where_line(q.lines[i]));
    out.ids.push_back(q.ids[i]);
    out.tcrs.push_back(q.tcrs[i]);
  }
  log_skipped(a.query, q.skipped);
  if (out.tcrs.empty() && q.skipped.count("no_alpha_chain")) throw InputError(a.query, "", kNoAlphaHint);
  require_usable(out.tcrs.size(), a.query, "query TCR", q.skipped, false);
  return out;
}

/// predictions.tsv: one row per query and epitope (the label last with --leave-one-out).
void write_predictions(AtomicFile& out, const std::vector<pipeline::Prediction>& predictions,
                       const std::vector<std::string>& query_ids, const LabelledReferences& refs, bool leave_one_out) {
  std::string text = "query_id\tepitope\tscore\tnearest_positive_id\tnearest_positive_distance";
  text += leave_one_out ? "\tlabel\n" : "\n";
  for (const auto& p : predictions) {
    text += text::tsv_escape(query_ids[p.query]) + '\t' + refs.epitopes[p.epitope].epitope + '\t' +
            text::format_double(p.score) + '\t';
    if (p.nearest_positive == pipeline::kNoReference) {
      text += "NA\tNA";
    } else {
      text += text::tsv_escape(refs.rows[p.nearest_positive].id) + '\t' + std::to_string(p.nearest_positive_distance);
    }
    if (leave_one_out) text += refs.rows[p.query].positive ? "\t1" : "\t0";
    text += '\n';
    if (text.size() > (std::size_t{1} << 20)) {
      out.write(text);
      text.clear();
    }
  }
  out.write(text);
}

/// --auc: per epitope, the ROC AUC of its references' left-out scores against their labels, then
/// the mean over the epitopes that have one.
std::string auc_table(const std::vector<pipeline::Prediction>& predictions, const LabelledReferences& refs) {
  const auto& epitopes = refs.epitopes;
  std::vector<std::vector<double>> scores(epitopes.size());
  std::vector<std::vector<int>> labels(epitopes.size());
  for (const auto& p : predictions) {
    scores[p.epitope].push_back(p.score);
    labels[p.epitope].push_back(refs.rows[p.query].positive ? 1 : 0);
  }
  std::string table = "epitope\tpositives\tnegatives\tauc\n";
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t e = 0; e < epitopes.size(); ++e) {
    const auto auc = predict::roc_auc(scores[e], labels[e]);
    table += epitopes[e].epitope + '\t' + std::to_string(epitopes[e].positives.size()) + '\t' +
             std::to_string(epitopes[e].negatives.size()) + '\t' + (auc ? text::format_fixed(*auc, 4) : "NA") + '\n';
    if (auc) {
      sum += *auc;
      ++n;
    }
  }
  return table + "mean\tNA\tNA\t" + (n ? text::format_fixed(sum / static_cast<double>(n), 4) : std::string("NA")) +
         '\n';
}

int run_predict(const PredictArgs& a) {
  const pipeline::PredictOptions options = predict_options(a);
  const auto kind = scoring::parse_backend_kind(a.backend);
  // A table the user names must hold every scored V gene; the built-in one (the default, as in
  // `run`) resolves names like `run` and `search` do and scores a TCR whose V gene it lacks on
  // its CDR3 alone, counted and reported.
  std::optional<scoring::VGeneTable> vgenes;
  if (!a.v_gene_table.empty()) vgenes = scoring::VGeneTable::load(a.v_gene_table);
  const scoring::VGeneTable* user_table = vgenes ? &*vgenes : nullptr;
  const LabelledReferences refs = read_labelled(a, options.chains, user_table);
  const auto ref_records = tcrdist_records(refs.tcrs);
  const scoring::VGeneTable* vg = user_table;
  if (vg == nullptr && a.v_genes && carries_vgenes(refs.tcrs, options.chains)) vg = &scoring::VGeneTable::builtin();
  count_and_report_vgenes("predict", "references", refs.tcrs, vg, options.chains);

  const auto backend = scoring::make_backend(kind, a.threads);
  const std::string on = scoring::describe_backend(*backend, a.threads);
  const auto count = [](std::size_t n) { return log::format_count(static_cast<long long>(n)); };
  std::vector<pipeline::Prediction> predictions;
  std::vector<std::string> query_ids;
  if (a.leave_one_out) {
    log::stage("scoring each of " + count(refs.rows.size()) + " reference TCRs of " + count(refs.epitopes.size()) +
               " epitopes against the others on " + on + "...");
    predictions = pipeline::predict_leave_one_out(ref_records, refs.epitopes, options, *backend, vg);
    for (const auto& r : refs.rows) query_ids.push_back(r.id);
  } else {
    QueryTcrs q = read_queries(a, options.chains, user_table);
    count_and_report_vgenes("predict", "queries", q.tcrs, vg, options.chains);
    log::stage("scoring " + count(q.tcrs.size()) + " queries against " + count(refs.rows.size()) +
               " reference TCRs of " + count(refs.epitopes.size()) + " epitopes on " + on + "...");
    const auto ref_set = scoring::encode_tcrdist_set(ref_records, options.chains, vg);
    predictions = pipeline::predict_queries(tcrdist_records(q.tcrs), ref_set, refs.epitopes, options, *backend, vg);
    query_ids = std::move(q.ids);
  }

  AtomicFile out(a.out);
  write_predictions(out, predictions, query_ids, refs, a.leave_one_out);
  std::optional<AtomicFile> auc_out;
  if (!a.auc.empty()) {
    auc_out.emplace(a.auc);
    auc_out->write(auc_table(predictions, refs));
  }
  out.commit();
  if (auc_out) auc_out->commit();
  log::stage("done: " + count(predictions.size()) + " predictions written to " + output_name(a.out) +
             (a.auc.empty() ? "" : ", ROC AUCs to " + a.auc));
  return kExitOk;
}

Runner setup_predict(CLI::App& sub) {
  auto a = std::make_shared<PredictArgs>();
  sub.add_option("--reference", a->references,
                 "Labelled reference TCRs (repeatable): a table with 'epitope' and 'label' (1/0) columns in any "
                 "repertoire layout or IMMREP22's, <EPITOPE>.txt[.gz] files with a 'Label' column, or their folder")
      ->required()
      ->group(kGroupReferences);
  auto* query = sub.add_option("--query", a->query, "Query TCRs: any repertoire layout or IMMREP22's columns")
                    ->group(kGroupInputs);
  auto* loo = sub.add_flag("--leave-one-out", a->leave_one_out,
                           "No query: score each reference for its own epitope against the others (never itself); "
                           "adds a 'label' column")
                  ->group(kGroupInputs);
  query->excludes(loo);
  sub.add_option("--query-format", a->query_format,
                 "auto, immrep, airr, 10x, mixcr, adaptive, tcrdist or cdr3-list")
      ->capture_default_str()
      ->group(kGroupInputs);
  auto* vtable = sub.add_option("--v-gene-table", a->v_gene_table,
                                "V-gene loop table in tcrdist3's layout (alphabeta_gammadelta_db.tsv), instead of the "
                                "built-in IMGT one; every scored V gene must be in it")
                     ->check(CLI::ExistingFile)
                     ->group(kGroupReferences);
  sub.add_flag("--no-v-genes{false}", a->v_genes,
               "TCRdist on CDR3s alone (default: CDR1/CDR2/CDR2.5 too, from the built-in table, when the references "
               "carry V genes)")
      ->excludes(vtable)
      ->group(kGroupModel);
  sub.add_option("--chains", a->chains, "beta, alpha or alpha_beta")->capture_default_str()->group(kGroupModel);
  sub.add_option("--kernel", a->kernel, "nearest, mean or knn (over exp(-d/scale))")
      ->capture_default_str()
      ->check(CLI::IsMember({"nearest", "mean", "knn"}))
      ->group(kGroupModel);
  sub.add_option("--scale", a->scale, "Kernel distance scale, TCRdist units (> 0)")
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--k", a->k, "Members averaged by --kernel knn (>= 1)")->capture_default_str()->group(kGroupModel);
  sub.add_flag("--no-balance", a->unbalanced, "Score positives only (default: minus the same over the negatives)")
      ->group(kGroupModel);
  sub.add_option("--backend", a->backend, "auto, cpu or cuda")->capture_default_str()->group(kGroupCompute);
  sub.add_option("--threads", a->threads, "CPU threads (0 = all)")->capture_default_str()->group(kGroupCompute);
  sub.add_option("--memory", a->memory, kMemoryHelp)->capture_default_str()->type_name("SIZE")->group(kGroupCompute);
  sub.add_option("--auc", a->auc, "With --leave-one-out: per-epitope ROC AUC table")->type_name("FILE")->group(kGroupOutput);
  sub.add_option("-o,--out", a->out, "predictions.tsv ('-' = stdout)")->required()->type_name("FILE")->group(kGroupOutput);
  sub.footer(
      "Examples (labelled references: IMMREP22's training folder, or a table with epitope and label columns):\n"
      "  tilmatch predict --reference immrep22/training_data --query data/example/fragments/F01.airr.tsv \\\n"
      "    --out predictions.tsv\n"
      "  tilmatch predict --reference immrep22/training_data --leave-one-out --auc auc.tsv --out loo.tsv\n"
      "\n"
      "Columns: query_id, epitope, score, nearest_positive_id, nearest_positive_distance (label last with\n"
      "--leave-one-out), one row per query and reference epitope, by query then epitope. score: exp(-d/scale)\n"
      "over the epitope's positives (nearest, mean, or mean of the k nearest) minus the same over its\n"
      "negatives; higher = more likely to bind. d: TCRdist with the V loops (CDR3 only with --no-v-genes).");

  return [a](const std::string&) -> int { return run_predict(*a); };
}

}  // namespace

CommandSpec predict_command() {
  return {"predict", "Score query TCRs for the epitopes of labelled reference TCRs (kernel over TCRdist)",
          &setup_predict};
}

}  // namespace tilmatch::cli
