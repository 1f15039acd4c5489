#include "pipeline/screen_stage.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>
#include <utility>

#include "io/fragments.hpp"
#include "io/reactive_manifest.hpp"
#include "io/repertoire.hpp"
#include "io/screen_design.hpp"
#include "io/screen_readouts.hpp"
#include "names/gene_names.hpp"
#include "rank/screen_summary.hpp"
#include "scoring/vgene_table.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch::pipeline {
namespace {

using screen::Construct;
using IndexMap = rank::IdIndex;

template <class Items, class Id>
IndexMap index_by(const Items& items, Id id) {
  IndexMap out;
  for (std::uint32_t i = 0; i < items.size(); ++i) out.emplace(id(items[i]), i);
  return out;
}

std::string line_of(std::int64_t line, const char* column) {
  return "line " + std::to_string(line) + ", column '" + column + "'";
}

/// Readouts of every --screen file, in the order given; `file[i]` indexes the file of `rows[i]`.
struct ScreenReadouts {
  std::vector<screen::Readout> rows;
  std::vector<std::uint32_t> file;
};

ScreenReadouts read_readouts(const std::vector<std::string>& files) {
  ScreenReadouts out;
  for (std::uint32_t f = 0; f < files.size(); ++f) {
    std::vector<screen::Readout> rows = io::read_screen_readouts(files[f]);
    for (screen::Readout& r : rows) r.file = f;
    out.file.insert(out.file.end(), rows.size(), f);
    std::move(rows.begin(), rows.end(), std::back_inserter(out.rows));
  }
  return out;
}

/// Every readout names a fragment of the manifest and a construct the run knows.
void check_readouts(const ScreenReadouts& readouts, const ScreenConfig& c, const ScreenContext& ctx,
                    const IndexMap& fragments, const screen::ConstructCatalog& catalog) {
  for (std::size_t i = 0; i < readouts.rows.size(); ++i) {
    const screen::Readout& r = readouts.rows[i];
    const std::string& file = c.readouts[readouts.file[i]];
    if (!fragments.count(r.fragment_id))
      throw InputError(file, line_of(r.line, "fragment_id"),
                       "fragment '" + r.fragment_id + "' is not in the fragment manifest " + ctx.fragments_manifest);
    if (screen::is_control(r.construct) || catalog.resolve(r.construct)) continue;
    std::string hint = c.designs.empty() ? " (give the first run's tmg_design.tsv with --design)" : "";
    throw InputError(file, line_of(r.line, "construct"),
                     "construct '" + r.construct +
                         "' is neither a construct of the design, a minigene name, an MT epitope or minigene of "
                         "this run, 'negative' nor 'positive'" + hint);
  }
}

/// One readout per well across every file, once constructs are canonical: a construct named by id in
/// one round and by sequence in the next is one construct, so its wells need distinct replicates.
void check_unique_wells(const ScreenReadouts& readouts, const ScreenConfig& c) {
  std::map<std::string, std::size_t> first;  // (fragment, construct, assay, replicate) -> readout index
  for (std::size_t i = 0; i < readouts.rows.size(); ++i) {
    const screen::Readout& r = readouts.rows[i];
    std::string key = r.fragment_id + '\t' + r.construct + '\t' + r.assay + '\t' + r.replicate;
    const auto [it, added] = first.emplace(std::move(key), i);
    if (added) continue;
    const screen::Readout& was = readouts.rows[it->second];
    const std::uint32_t was_file = readouts.file[it->second];
    const std::string where = was_file == readouts.file[i] ? "line " + std::to_string(was.line)
                                                           : c.readouts[was_file] + ", line " + std::to_string(was.line);
    throw InputError(c.readouts[readouts.file[i]], "line " + std::to_string(r.line),
                     "duplicate readout: fragment '" + r.fragment_id + "', construct '" + r.construct + "', assay '" +
                         r.assay + "', replicate '" + r.replicate + "' already at " + where +
                         " (give each round's wells their own replicate labels)");
  }
}

/// The design's constructs, then every other construct the readouts name, each once.
std::vector<Construct> constructs_named(const std::vector<screen::Readout>& readouts,
                                        const screen::ConstructCatalog& catalog) {
  std::vector<Construct> out = catalog.design();
  std::set<std::string> ids;
  for (const Construct& c : out) ids.insert(c.id);
  for (const screen::Readout& r : readouts) {
    if (screen::is_control(r.construct)) continue;
    const Construct* c = catalog.resolve(r.construct);
    if (c && ids.insert(c->id).second) out.push_back(*c);
  }
  return out;
}

/// Readouts name a construct by design id, minigene name or (any case) sequence: one id per construct.
void canonical_constructs(ScreenReadouts& readouts, const screen::ConstructCatalog& catalog) {
  for (screen::Readout& r : readouts.rows)
    if (!screen::is_control(r.construct)) r.construct = catalog.resolve(r.construct)->id;
}

/// The beta clonotypes (CDR3b + TRBV gene without allele) met in the reactive-cell repertoires,
/// numbered in order of first sight, with the J gene first seen with each. Sorted and bulk TCR-seq
/// meet on the beta chain even when one of them is single-cell (paired) and the other bulk. Kept
/// compactly, as those repertoires may hold millions of clonotypes of which a few prove reactive:
/// each key once, its J as a number; tcr() builds the TCR of one.
class BetaClonotypes {
 public:
  std::uint64_t number(const Tcr& t) {
    std::string key = t.cdr3b;
    key += '\t';
    key += names::gene_without_allele(t.vb);
    const auto [it, added] = index_.try_emplace(std::move(key), keys_.size());
    if (added) {
      keys_.push_back(&it->first);  // a node-based map's keys stay where they are
      const auto [j, new_j] = j_index_.try_emplace(t.jb, static_cast<std::uint32_t>(j_names_.size()));
      if (new_j) j_names_.push_back(t.jb);
      j_of_.push_back(j->second);
    }
    return it->second;
  }

  Tcr tcr(std::uint64_t n) const {
    const std::string& key = *keys_.at(n);
    const std::size_t tab = key.find('\t');  // CDR3s are amino acids: the first tab ends it
    Tcr t;
    t.cdr3b = key.substr(0, tab);
    t.vb = key.substr(tab + 1);
    t.jb = j_names_[j_of_[n]];
    return t;
  }

 private:
  std::unordered_map<std::string, std::uint64_t> index_;
  std::vector<const std::string*> keys_;
  std::vector<std::uint32_t> j_of_;
  std::unordered_map<std::string, std::uint32_t> j_index_;
  std::vector<std::string> j_names_;
};

/// Reads of each beta clonotype of one repertoire; counts must be whole reads or templates. The
/// rows the reader left out go into `skipped` under the file's path (a file listed twice counts once).
std::vector<screen::ClonotypeCount> count_clonotypes(const io::ReactiveRepertoireEntry& e, BetaClonotypes& clonotypes,
                                                     std::map<std::string, std::map<std::string, std::int64_t>>& skipped) {
  std::unordered_map<std::uint64_t, double> counts;
  // Row by row: a sorted or bulk repertoire is never held whole.
  const io::RepertoireSummary summary = io::stream_repertoire(
      e.path, e.format, [&](io::RepertoireRow&& row) { counts[clonotypes.number(row.tcr)] += row.count; });
  if (!summary.skipped.empty()) skipped[e.path] = summary.skipped;
  if (summary.rows == 0) throw InputError(e.path, "", "repertoire of fragment '" + e.fragment_id +
                                                          "' (reactive-repertoire manifest) has no usable clonotype");
  std::vector<screen::ClonotypeCount> out;
  out.reserve(counts.size());
  for (const auto& [key, count] : counts) {
    if (!(std::abs(count - std::round(count)) < 1e-6) || count > 9e15)
      throw InputError(e.path, "", "counts must be whole reads, UMIs or templates for the enrichment test (found " +
                                       std::to_string(count) + ")");
    out.push_back({key, static_cast<std::int64_t>(std::llround(count))});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return out;
}

/// The baseline of a sorted population: the fragment's no-target culture (FEST's reference) when
/// sequenced, else its unsorted cells; one named for the construct before one for every construct.
const io::ReactiveRepertoireEntry* baseline_of(const io::ReactiveRepertoireEntry& sorted,
                                               const std::vector<io::ReactiveRepertoireEntry>& entries) {
  const io::ReactiveRepertoireEntry* best = nullptr;
  int best_rank = 99;
  for (const io::ReactiveRepertoireEntry& e : entries) {
    if (e.population == io::Population::kSorted || e.fragment_id != sorted.fragment_id) continue;
    if (!e.construct.empty() && e.construct != sorted.construct) continue;
    const int rank = (e.population == io::Population::kNoTarget ? 0 : 2) + (e.construct.empty() ? 1 : 0);
    if (rank < best_rank) best = &e, best_rank = rank;
  }
  return best;
}

/// Clonotypes enriched in sorted cells (FEST criteria) against their fragment's baseline, read from the
/// reactive-repertoire manifest and bound to neoantigens (rank::reactive_clonotypes).
std::vector<rank::ReactiveTcr> find_reactive(const ScreenConfig& c, const ScreenContext& ctx,
                                             const screen::ConstructCatalog& catalog, const screen::Deconvolution& d,
                                             const IndexMap& fragments, const IndexMap& neoantigens,
                                             std::map<std::string, std::int64_t>& counts,
                                             std::vector<std::string>& notes) {
  if (c.reactive_repertoires.empty()) return {};
  const auto entries = io::read_reactive_manifest(c.reactive_repertoires);
  BetaClonotypes clonotypes;
  std::vector<screen::EnrichmentComparison> comparisons;
  std::vector<const Construct*> constructs;
  std::map<std::string, std::map<std::string, std::int64_t>> skipped;  // file -> reason -> rows
  // A fragment's baseline serves every sorted population of it (one per construct and pool): read once.
  std::map<const io::ReactiveRepertoireEntry*, std::vector<screen::ClonotypeCount>> baselines;
  for (const io::ReactiveRepertoireEntry& e : entries) {
    if (!fragments.count(e.fragment_id))
      throw InputError(c.reactive_repertoires, line_of(e.line, "fragment_id"),
                       "fragment '" + e.fragment_id + "' is not in the fragment manifest " + ctx.fragments_manifest);
    const Construct* construct = e.construct.empty() ? nullptr : catalog.resolve(e.construct);
    if (!e.construct.empty() && !construct)
      throw InputError(c.reactive_repertoires, line_of(e.line, "construct"),
                       "construct '" + e.construct + "' is not a construct of the design, a minigene or an epitope "
                       "of this run");
    if (e.population != io::Population::kSorted) continue;
    const io::ReactiveRepertoireEntry* base = baseline_of(e, entries);
    if (!base)  // the reader requires one; kept for entries built in code
      throw InputError(c.reactive_repertoires, line_of(e.line, "population"),
                       "sorted cells of fragment '" + e.fragment_id + "' have no unsorted or no_target baseline");
    screen::EnrichmentComparison cmp;
    cmp.fragment_id = e.fragment_id;
    cmp.construct = construct->id;
    cmp.reference_kind = base->population == io::Population::kNoTarget ? screen::ReferencePopulation::kNoTarget
                                                                         : screen::ReferencePopulation::kUnsorted;
    cmp.sorted = count_clonotypes(e, clonotypes, skipped);
    auto [baseline, unread] = baselines.try_emplace(base);
    if (unread) baseline->second = count_clonotypes(*base, clonotypes, skipped);
    cmp.reference = baseline->second;
    comparisons.push_back(std::move(cmp));
    constructs.push_back(construct);
  }
  if (const std::string text = io::skipped_rows_text(io::SkippedBySource(skipped.begin(), skipped.end()));
      !text.empty()) {
    std::string note = "reactive-cell TCR-seq rows left out: " + text;
    log::stage(note);
    notes.push_back(std::move(note));
  }
  const auto results = screen::find_reactive_clonotypes(comparisons, c.enrichment);
  counts["enrichment_comparisons"] = static_cast<std::int64_t>(results.size());

  auto out = rank::reactive_clonotypes(
      results, constructs, [&clonotypes](std::uint64_t key) { return clonotypes.tcr(key); }, d, neoantigens);
  counts["reactive_clonotypes"] = static_cast<std::int64_t>(out.size());
  return out;
}

/// The patient's clonotypes within the tracking radius of each reactive clonotype (beta chain, V loops
/// when the run uses them; a V gene the table lacks counts on CDR3 alone), on the run's backend.
std::vector<rank::TrackedHit> track(const std::vector<rank::ReactiveTcr>& reactive, const ScreenConfig& c,
                                    const ScreenContext& ctx) {
  std::vector<rank::TrackedHit> out;
  if (reactive.empty()) return out;
  const ClonotypeList& clonotypes = ctx.table->clonotypes;
  if (clonotypes.empty()) return out;
  // The patient's clonotypes (millions) are encoded in place, not copied into records.
  const auto beta_of = [](const TcrView& t) { return scoring::TcrRecordView{{}, t.cdr3b, {}, t.vb}; };
  const auto query_set = scoring::encode_tcrdist_set(
      reactive.size(), [&](std::size_t i) { return beta_of(reactive[i].tcr); }, scoring::Chains::beta, ctx.vgenes);
  const auto ref_set = scoring::encode_tcrdist_set(
      clonotypes.size(), [&](std::size_t j) { return beta_of(clonotypes[j].tcr); }, scoring::Chains::beta,
      ctx.vgenes);
  scoring::EngineOptions engine = ctx.engine;
  const auto hits = scoring::search_with_tile_fallback(
      engine, reactive.size(), clonotypes.size(),
      [&](const scoring::EngineOptions& o) {
        return ctx.backend->tcrdist_search(query_set, ref_set, c.tracking_radius, o);
      });
  for (const scoring::TcrdistHit& h : hits) {
    out.push_back({h.reference, h.query, h.distance,
                   rank::same_beta_clonotype(clonotypes[h.reference].tcr, reactive[h.query].tcr)});
  }
  std::sort(out.begin(), out.end(), [](const rank::TrackedHit& a, const rank::TrackedHit& b) {
    return std::tie(a.reactive, a.clonotype) < std::tie(b.reactive, b.clonotype);
  });
  return out;
}

void count_calls(const std::vector<screen::Call>& calls, std::map<std::string, std::int64_t>& counts) {
  static const char* const kNames[] = {"positive", "negative", "no_control", "control_failed", "not_called"};
  for (const char* n : kNames) counts[std::string("calls_") + n] = 0;
  for (const screen::Call& c : calls) ++counts[std::string("calls_") + kNames[static_cast<int>(c.status)]];
}

/// A fragment read without negative wells is not an error (a plate's controls may be lost), but its
/// calls are no_control, so the run says where: the readout files holding its wells of those assays.
void note_missing_controls(const std::vector<screen::Call>& calls, const std::vector<std::string>& files,
                           std::vector<std::string>& notes) {
  std::map<std::string, std::set<std::string>> assays;  // fragment -> assays without negative wells
  std::map<std::string, std::set<std::uint32_t>> in;     // fragment -> files of those wells
  for (const screen::Call& c : calls) {
    if (c.status != screen::CallStatus::kNoControl) continue;
    assays[c.fragment_id].insert(c.assay);
    for (const screen::ReadoutPlace& p : c.test_lines) in[c.fragment_id].insert(p.file);
  }
  for (const auto& [fragment, names] : assays) {
    std::string list, readouts;
    for (const std::string& a : names) list += (list.empty() ? "" : ", ") + a;
    for (const std::uint32_t f : in[fragment]) readouts += (readouts.empty() ? "" : " and ") + files[f];
    notes.push_back("Fragment " + fragment + " has no negative control wells for " + list + " in " + readouts +
                    ": its calls there are no_control (not called); add negative wells to call them.");
  }
}

}  // namespace

rank::ScreenOutcome run_screen(const ScreenConfig& c, const ScreenContext& ctx) {
  rank::ScreenOutcome out;
  out.readout_files = c.readouts;
  const IndexMap fragments = index_by(ctx.table->fragments, [](const auto& f) { return f.id; });
  const IndexMap neoantigens = index_by(*ctx.neoantigens, [](const auto& n) { return n.id; });
  screen::ConstructCatalog catalog(c.designs.empty() ? std::vector<Construct>{} : io::read_screen_designs(c.designs),
                                   ctx.catalog);
  out.design = catalog.design();

  ScreenReadouts read = read_readouts(c.readouts);
  check_readouts(read, c, ctx, fragments, catalog);
  canonical_constructs(read, catalog);
  check_unique_wells(read, c);
  const std::vector<screen::Readout> readouts = std::move(read.rows);
  out.counts["readouts"] = static_cast<std::int64_t>(readouts.size());
  out.calls = screen::call_screen(readouts, c.calls);
  count_calls(out.calls, out.counts);
  note_missing_controls(out.calls, c.readouts, out.notes);
  std::vector<std::string> fragment_ids, neoantigen_ids;
  for (const auto& f : ctx.table->fragments) fragment_ids.push_back(f.id);
  for (const auto& n : *ctx.neoantigens) neoantigen_ids.push_back(n.id);
  const std::vector<Construct> constructs = constructs_named(readouts, catalog);
  out.deconvolution = screen::deconvolve(constructs, rank::construct_outcomes(out.calls), fragment_ids, neoantigen_ids,
                                         c.readouts.empty() ? std::string() : c.readouts.front(), c.deconvolution);
  out.measured = rank::measured_reactivity(out.deconvolution, out.calls, fragments, neoantigens);

  out.reactive = find_reactive(c, ctx, catalog, out.deconvolution, fragments, neoantigens, out.counts, out.notes);
  out.tracked_hits = track(out.reactive, c, ctx);
  std::vector<rank::ReactiveClonotype> reactive;
  for (const rank::ReactiveTcr& r : out.reactive) reactive.push_back(r.clonotype);
  out.tracked = rank::track_reactive(*ctx.table, reactive, out.tracked_hits, out.measured, c.tracking_radius);
  out.ranking = rank::rank_with_screen(*ctx.table, *ctx.public_ranking, out.measured, out.tracked, reactive,
                                       *ctx.neoantigens);

  out.product_candidates =
      rank::product_candidates(*ctx.table, out.measured, out.tracked, reactive, out.product_groups,
                               out.product_group_sources, out.product_group_weights, c.product.unconfirmed_weight);
  out.product =
      screen::choose_product(out.product_candidates, out.product_groups, c.product, out.product_group_weights);
  out.next_round = screen::plan_next_round(out.deconvolution, constructs,
                                           rank::tracked_fragments(*ctx.table, out.tracked, readouts), c.next_round,
                                           rank::failed_controls(out.calls));
  out.counts["tracked_hits"] = static_cast<std::int64_t>(out.tracked_hits.size());
  for (const char* tier : {"measured", "tracked", "public", "unconfirmed", "none"})
    out.counts[std::string("fragments_") + tier] =
        std::count_if(out.ranking.begin(), out.ranking.end(), [&](const auto& r) { return r.tier == tier; });
  if (readouts.empty()) out.notes.push_back("No readouts (--screen): reactivity comes from sorted TCR-seq only.");
  if (!c.readouts.empty() && c.reactive_repertoires.empty())
    out.notes.push_back("No reactive-cell TCR-seq (--reactive-repertoires): no clonotype is tracked across cultures.");
  return out;
}

}  // namespace tilmatch::pipeline
