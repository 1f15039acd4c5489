#include "pipeline/screen_stage.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <unordered_map>
#include <utility>

#include "io/gene_names.hpp"
#include "io/reactive_manifest.hpp"
#include "io/repertoire.hpp"
#include "io/screen_design.hpp"
#include "io/screen_readouts.hpp"
#include "scoring/vgene_table.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch::pipeline {
namespace {

using screen::Construct;
using IndexMap = std::map<std::string, std::uint32_t, std::less<>>;

template <class Items, class Id>
IndexMap index_by(const Items& items, Id id) {
  IndexMap out;
  for (std::uint32_t i = 0; i < items.size(); ++i) out.emplace(id(items[i]), i);
  return out;
}

std::string line_of(std::int64_t line, const char* column) {
  return "line " + std::to_string(line) + ", column '" + column + "'";
}

/// Every readout names a fragment of the manifest and a construct the run knows.
void check_readouts(const std::vector<screen::Readout>& readouts, const ScreenConfig& c, const ScreenContext& ctx,
                    const IndexMap& fragments, const screen::ConstructCatalog& catalog) {
  for (const screen::Readout& r : readouts) {
    if (!fragments.count(r.fragment_id))
      throw InputError(c.readouts, line_of(r.line, "fragment_id"),
                       "fragment '" + r.fragment_id + "' is not in the fragment manifest " + ctx.fragments_manifest);
    if (screen::is_control(r.construct) || catalog.resolve(r.construct)) continue;
    std::string hint = c.designs.empty() ? " (give the first run's tmg_design.tsv with --design)" : "";
    throw InputError(c.readouts, line_of(r.line, "construct"),
                     "construct '" + r.construct +
                         "' is neither a construct of the design, a minigene name, an MT epitope or minigene of "
                         "this run, 'negative' nor 'positive'" + hint);
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
std::vector<screen::Readout> canonical_constructs(std::vector<screen::Readout> readouts,
                                                  const screen::ConstructCatalog& catalog) {
  for (screen::Readout& r : readouts)
    if (!screen::is_control(r.construct)) r.construct = catalog.resolve(r.construct)->id;
  return readouts;
}

std::vector<screen::ConstructOutcome> outcomes_of(const std::vector<screen::Call>& calls) {
  std::vector<screen::ConstructOutcome> out;
  out.reserve(calls.size());
  for (const screen::Call& c : calls) {
    screen::ConstructOutcome o{c.fragment_id, c.construct, c.assay, c.compartment, c.status, c.test_lines};
    o.lines.insert(o.lines.end(), c.control_lines.begin(), c.control_lines.end());
    o.lines.insert(o.lines.end(), c.positive_lines.begin(), c.positive_lines.end());
    std::sort(o.lines.begin(), o.lines.end());
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<std::uint32_t> indices_of(const std::vector<std::string>& ids, const IndexMap& index) {
  std::vector<std::uint32_t> out;
  for (const std::string& id : ids)
    if (auto it = index.find(id); it != index.end()) out.push_back(it->second);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

/// Per culture: the neoantigens it reacted to, its unresolved positives, what it was cleared of.
std::vector<rank::MeasuredReactivity> measured_of(const screen::Deconvolution& d,
                                                  const std::vector<screen::Call>& calls,
                                                  const IndexMap& fragments, const IndexMap& neoantigens) {
  std::vector<rank::MeasuredReactivity> out(fragments.size());
  for (const screen::ConstructCall& cc : d.calls)
    if (cc.result != screen::ConstructResult::kInconclusive) out[fragments.at(cc.fragment_id)].screened = true;
  for (const screen::Call& c : calls)
    if (c.positive_control == screen::PositiveControlStatus::kFailed)
      out[fragments.at(c.fragment_id)].control_failed = true;
  for (const screen::PositiveConstruct& p : d.positives)
    if (p.resolution == screen::Resolution::kAmbiguous)
      out[fragments.at(p.fragment_id)].ambiguous.push_back(indices_of(p.neoantigens, neoantigens));
  for (const screen::NeoantigenCall& nc : d.neoantigen_calls) {
    const auto n = neoantigens.find(nc.neoantigen);
    if (n == neoantigens.end()) continue;
    rank::MeasuredReactivity& m = out[fragments.at(nc.fragment_id)];
    if (nc.status == screen::ReactivityStatus::kReactive) {
      m.reactive.push_back(n->second);
      m.tested.push_back(n->second);
      std::string constructs;
      for (const std::string& c : nc.constructs) constructs += (constructs.empty() ? "" : ", ") + c;
      m.why += (m.why.empty() ? "" : "; ") + nc.neoantigen + ": " + constructs;
    } else if (nc.status == screen::ReactivityStatus::kNotReactive) {
      m.cleared.push_back(n->second);
      m.tested.push_back(n->second);
    }
  }
  for (rank::MeasuredReactivity& m : out)
    for (auto* v : {&m.reactive, &m.cleared, &m.tested}) std::sort(v->begin(), v->end());
  return out;
}

/// Beta-chain key of a clonotype: CDR3b and TRBV gene. Sorted and bulk TCR-seq meet on the beta chain
/// even when one of them is single-cell (paired) and the other bulk.
std::string beta_key(const Tcr& t) {
  std::string k = t.cdr3b;
  k += '\t';
  k += io::gene_without_allele(t.vb);
  return k;
}

/// Reads of each beta clonotype of one repertoire; counts must be whole reads or templates.
std::vector<screen::ClonotypeCount> count_clonotypes(const io::ReactiveRepertoireEntry& e,
                                                     std::unordered_map<std::string, std::uint64_t>& keys,
                                                     std::vector<Tcr>& tcrs) {
  std::unordered_map<std::uint64_t, double> counts;
  const io::Repertoire rep = io::read_repertoire(e.path, e.format);
  if (rep.rows.empty()) throw InputError(e.path, "", "repertoire of fragment '" + e.fragment_id +
                                                         "' (reactive-repertoire manifest) has no usable clonotype");
  for (const io::RepertoireRow& row : rep.rows) {
    const auto [it, added] = keys.emplace(beta_key(row.tcr), tcrs.size());
    if (added) {
      Tcr beta;
      beta.cdr3b = row.tcr.cdr3b;
      beta.vb = io::gene_without_allele(row.tcr.vb);
      beta.jb = row.tcr.jb;
      tcrs.push_back(std::move(beta));
    }
    counts[it->second] += row.count;
  }
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

/// Compartment of a reactive clonotype: the one compartment its construct read positive in, if one.
screen::Compartment compartment_of(const screen::PositiveConstruct* p) {
  if (!p) return screen::Compartment::kUnknown;
  std::set<screen::Compartment> seen(p->compartments.begin(), p->compartments.end());
  seen.erase(screen::Compartment::kUnknown);
  return seen.size() == 1 ? *seen.begin() : screen::Compartment::kUnknown;
}

/// The neoantigens a clonotype enriched after co-culture with `construct` in `fragment` stands for: the
/// construct's candidates after deconvolution (else every neoantigen it holds), narrowed to those the
/// culture was resolved reactive to when some are (the parsimonious reading: one reactivity, already
/// found through other constructs).
std::vector<std::string> binding(const screen::PositiveConstruct* p, const Construct& construct,
                                 const std::set<std::pair<std::string, std::string>>& resolved,
                                 const std::string& fragment) {
  std::vector<std::string> candidates = p && !p->neoantigens.empty() ? p->neoantigens : construct.neoantigens;
  std::vector<std::string> narrowed;
  for (const std::string& n : candidates)
    if (resolved.count({fragment, n}) && std::find(narrowed.begin(), narrowed.end(), n) == narrowed.end())
      narrowed.push_back(n);
  return narrowed.empty() ? candidates : narrowed;
}

/// Clonotypes enriched in sorted cells (FEST criteria), one entry per beta clonotype, bound to the
/// neoantigens their construct resolves to in that culture (else every neoantigen it holds).
std::vector<rank::ReactiveTcr> find_reactive(const ScreenConfig& c, const ScreenContext& ctx,
                                       const screen::ConstructCatalog& catalog, const screen::Deconvolution& d,
                                       const IndexMap& fragments, const IndexMap& neoantigens,
                                       std::map<std::string, std::int64_t>& counts) {
  std::vector<rank::ReactiveTcr> out;
  if (c.reactive_repertoires.empty()) return out;
  const auto entries = io::read_reactive_manifest(c.reactive_repertoires);
  std::unordered_map<std::string, std::uint64_t> keys;
  std::vector<Tcr> tcrs;
  std::vector<screen::EnrichmentComparison> comparisons;
  std::vector<const Construct*> constructs;
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
    screen::EnrichmentComparison cmp;
    cmp.fragment_id = e.fragment_id;
    cmp.construct = construct->id;
    cmp.reference_kind = base->population == io::Population::kNoTarget ? screen::ReferencePopulation::kNoTarget
                                                                         : screen::ReferencePopulation::kUnsorted;
    cmp.sorted = count_clonotypes(e, keys, tcrs);
    cmp.reference = count_clonotypes(*base, keys, tcrs);
    comparisons.push_back(std::move(cmp));
    constructs.push_back(construct);
  }
  const auto results = screen::find_reactive_clonotypes(comparisons, c.enrichment);
  counts["enrichment_comparisons"] = static_cast<std::int64_t>(results.size());

  std::map<std::pair<std::string, std::string>, const screen::PositiveConstruct*> positives;
  std::set<std::pair<std::string, std::string>> resolved;  // (fragment, neoantigen) resolved reactive
  for (const screen::NeoantigenCall& nc : d.neoantigen_calls)
    if (nc.status == screen::ReactivityStatus::kReactive) resolved.insert({nc.fragment_id, nc.neoantigen});
  for (const screen::PositiveConstruct& p : d.positives) positives[{p.fragment_id, p.construct}] = &p;
  std::unordered_map<std::uint64_t, std::size_t> by_key;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const screen::EnrichmentResult& r = results[i];
    const auto pos = positives.find({r.fragment_id, r.construct});
    const screen::PositiveConstruct* p = pos == positives.end() ? nullptr : pos->second;
    const std::vector<std::string> neo_ids = binding(p, *constructs[i], resolved, r.fragment_id);
    for (const screen::ClonotypeEnrichment& ce : r.clonotypes) {
      if (!ce.reactive) continue;
      const auto [it, added] = by_key.emplace(ce.key, out.size());
      if (!added) {  // proven again: one reactive clonotype, bound to every neoantigen it was proven for
        rank::ReactiveTcr& t = out[it->second];
        ++t.proofs;
        for (std::uint32_t n : indices_of(neo_ids, neoantigens)) t.clonotype.neoantigens.push_back(n);
        std::sort(t.clonotype.neoantigens.begin(), t.clonotype.neoantigens.end());
        auto& v = t.clonotype.neoantigens;
        v.erase(std::unique(v.begin(), v.end()), v.end());
        if (t.clonotype.compartment != compartment_of(p)) t.clonotype.compartment = screen::Compartment::kUnknown;
        continue;
      }
      rank::ReactiveTcr t;
      t.clonotype.id = "R" + std::to_string(out.size() + 1);
      t.clonotype.fragment_id = r.fragment_id;
      t.clonotype.construct = r.construct;
      t.clonotype.neoantigens = indices_of(neo_ids, neoantigens);
      t.clonotype.compartment = compartment_of(p);
      t.tcr = tcrs[ce.key];
      t.reference_population = r.reference_kind == screen::ReferencePopulation::kNoTarget ? "no_target" : "unsorted";
      t.sorted_count = ce.sorted_count;
      t.reference_count = ce.reference_count;
      t.sorted_frequency = ce.sorted_frequency;
      t.reference_frequency = ce.reference_frequency;
      t.odds_ratio = ce.odds_ratio;
      t.p = ce.p;
      t.q = ce.q;
      t.epitope_known = constructs[i]->kind == screen::ConstructKind::kPeptide;
      out.push_back(std::move(t));
    }
  }
  counts["reactive_clonotypes"] = static_cast<std::int64_t>(out.size());
  return out;
}

/// The patient's clonotypes within the tracking radius of each reactive clonotype (beta chain, V loops
/// when a V-gene table is given), on the run's backend.
std::vector<rank::TrackedHit> track(const std::vector<rank::ReactiveTcr>& reactive, const ScreenConfig& c,
                                    const ScreenContext& ctx) {
  std::vector<rank::TrackedHit> out;
  if (reactive.empty()) return out;
  std::vector<scoring::TcrRecord> queries, refs;
  std::vector<std::uint32_t> query_index, ref_index;
  for (std::uint32_t i = 0; i < reactive.size(); ++i) {
    if (ctx.vgenes && !ctx.vgenes->contains(reactive[i].tcr.vb)) continue;
    queries.push_back({{}, reactive[i].tcr.cdr3b, {}, reactive[i].tcr.vb});
    query_index.push_back(i);
  }
  for (std::uint32_t j = 0; j < ctx.table->clonotypes.size(); ++j) {
    const Tcr& t = ctx.table->clonotypes[j].tcr;
    if (ctx.vgenes && !ctx.vgenes->contains(t.vb)) continue;
    refs.push_back({{}, t.cdr3b, {}, t.vb});
    ref_index.push_back(j);
  }
  if (queries.empty() || refs.empty()) return out;
  const auto q = scoring::encode_tcrdist_set(queries, scoring::Chains::beta, ctx.vgenes);
  const auto r = scoring::encode_tcrdist_set(refs, scoring::Chains::beta, ctx.vgenes);
  scoring::EngineOptions engine = ctx.engine;
  const auto hits = scoring::search_with_tile_fallback(
      engine, queries.size(), refs.size(),
      [&](const scoring::EngineOptions& o) { return ctx.backend->tcrdist_search(q, r, c.tracking_radius, o); });
  for (const scoring::TcrdistHit& h : hits) {
    const std::uint32_t clonotype = ref_index[h.reference], r = query_index[h.query];
    out.push_back({clonotype, r, h.distance,
                   rank::same_beta_clonotype(ctx.table->clonotypes[clonotype].tcr, reactive[r].tcr)});
  }
  std::sort(out.begin(), out.end(), [](const rank::TrackedHit& a, const rank::TrackedHit& b) {
    return std::tie(a.reactive, a.clonotype) < std::tie(b.reactive, b.clonotype);
  });
  return out;
}

bool overlaps(const std::vector<std::uint32_t>& group, const std::vector<std::uint32_t>& sorted) {
  return std::any_of(group.begin(), group.end(),
                     [&](std::uint32_t n) { return std::binary_search(sorted.begin(), sorted.end(), n); });
}

/// The unresolved candidate groups a culture shows (measured or tracked), minus those a resolved
/// reactivity of the culture already explains.
std::vector<std::vector<std::uint32_t>> open_groups(const rank::MeasuredReactivity& m,
                                                    const rank::TrackedReactivity& t,
                                                    const std::vector<std::uint32_t>& resolved) {
  std::vector<std::vector<std::uint32_t>> out;
  for (const auto* list : {&m.ambiguous, &t.unresolved})
    for (const auto& g : *list)
      if (!overlaps(g, resolved)) out.push_back(g);
  return out;
}

/// Product candidates: per culture the reactivities it covers and its tracked CD4/CD8 frequencies. A
/// reactivity is a resolved neoantigen, or an unresolved one: overlapping candidate groups (across all
/// cultures) merge into one, so a construct left ambiguous in several cultures counts once, and a
/// culture is never credited twice for one positive construct seen through several others.
std::vector<screen::ProductCandidate> product_candidates(const io::ClonotypeTable& table,
                                                         const std::vector<rank::MeasuredReactivity>& measured,
                                                         const std::vector<rank::TrackedReactivity>& tracked,
                                                         std::size_t neoantigens,
                                                         std::vector<std::vector<std::uint32_t>>& units) {
  const std::size_t nf = table.fragments.size();
  std::vector<std::vector<std::uint32_t>> resolved(nf);
  std::vector<std::vector<std::vector<std::uint32_t>>> groups(nf);
  std::vector<std::uint32_t> parent(neoantigens);
  std::iota(parent.begin(), parent.end(), 0u);
  const auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (std::uint32_t f = 0; f < nf; ++f) {
    std::set_union(measured[f].reactive.begin(), measured[f].reactive.end(), tracked[f].neoantigens.begin(),
                   tracked[f].neoantigens.end(), std::back_inserter(resolved[f]));
    groups[f] = open_groups(measured[f], tracked[f], resolved[f]);
    for (const auto& g : groups[f])
      for (std::uint32_t n : g) parent[find(n)] = find(g.front());
  }
  std::map<std::vector<std::uint32_t>, std::uint32_t> index;
  const auto unit = [&](std::vector<std::uint32_t> u) {
    const auto [it, added] = index.emplace(u, static_cast<std::uint32_t>(units.size()));
    if (added) units.push_back(std::move(u));
    return it->second;
  };
  std::map<std::uint32_t, std::vector<std::uint32_t>> components;  // root -> members of open groups
  for (const auto& fg : groups)
    for (const auto& g : fg)
      for (std::uint32_t n : g) components[find(n)].push_back(n);
  for (auto& [root, members] : components) {
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
  }
  std::vector<screen::ProductCandidate> out;
  for (std::uint32_t f = 0; f < nf; ++f) {
    screen::ProductCandidate p;
    p.fragment_id = table.fragments[f].id;
    for (std::uint32_t n : resolved[f]) p.neoantigens.push_back(unit({n}));
    for (const auto& g : groups[f]) p.neoantigens.push_back(unit(components.at(find(g.front()))));
    std::sort(p.neoantigens.begin(), p.neoantigens.end());
    p.neoantigens.erase(std::unique(p.neoantigens.begin(), p.neoantigens.end()), p.neoantigens.end());
    p.cd4_frequency = std::min(1.0, tracked[f].cd4_frequency);
    p.cd8_frequency = std::min(1.0, tracked[f].cd8_frequency);
    if (!p.neoantigens.empty() || p.cd4_frequency > 0 || p.cd8_frequency > 0) out.push_back(std::move(p));
  }
  return out;
}

std::vector<screen::TrackedFragment> tracked_fragments(const io::ClonotypeTable& table,
                                                       const std::vector<rank::TrackedReactivity>& tracked,
                                                       const std::vector<screen::Readout>& readouts) {
  std::set<std::string> with_readouts;
  for (const screen::Readout& r : readouts) with_readouts.insert(r.fragment_id);
  std::vector<screen::TrackedFragment> out;
  for (std::uint32_t f = 0; f < table.fragments.size(); ++f) {
    if (tracked[f].frequency <= 0) continue;  // identical clonotypes only: neighbours may be chance
    out.push_back({table.fragments[f].id, std::min(1.0, tracked[f].frequency),
                   with_readouts.count(table.fragments[f].id) > 0});
  }
  return out;
}

void count_calls(const std::vector<screen::Call>& calls, std::map<std::string, std::int64_t>& counts) {
  static const char* const kNames[] = {"positive", "negative", "no_control", "control_failed", "not_called"};
  for (const char* n : kNames) counts[std::string("calls_") + n] = 0;
  for (const screen::Call& c : calls) ++counts[std::string("calls_") + kNames[static_cast<int>(c.status)]];
}

}  // namespace

rank::ScreenOutcome run_screen(const ScreenConfig& c, const ScreenContext& ctx) {
  rank::ScreenOutcome out;
  const IndexMap fragments = index_by(ctx.table->fragments, [](const auto& f) { return f.id; });
  const IndexMap neoantigens = index_by(*ctx.neoantigens, [](const auto& n) { return n.id; });
  screen::ConstructCatalog catalog(c.designs.empty() ? std::vector<Construct>{} : io::read_screen_designs(c.designs),
                                   ctx.catalog);
  out.design = catalog.design();

  std::vector<screen::Readout> readouts;
  if (!c.readouts.empty()) {
    readouts = io::read_screen_readouts(c.readouts);
    check_readouts(readouts, c, ctx, fragments, catalog);
    readouts = canonical_constructs(std::move(readouts), catalog);
  }
  out.counts["readouts"] = static_cast<std::int64_t>(readouts.size());
  out.calls = screen::call_screen(readouts, c.calls);
  count_calls(out.calls, out.counts);
  std::vector<std::string> fragment_ids, neoantigen_ids;
  for (const auto& f : ctx.table->fragments) fragment_ids.push_back(f.id);
  for (const auto& n : *ctx.neoantigens) neoantigen_ids.push_back(n.id);
  const std::vector<Construct> constructs = constructs_named(readouts, catalog);
  out.deconvolution = screen::deconvolve(constructs, outcomes_of(out.calls), fragment_ids, neoantigen_ids, c.readouts);
  out.measured = measured_of(out.deconvolution, out.calls, fragments, neoantigens);

  out.reactive = find_reactive(c, ctx, catalog, out.deconvolution, fragments, neoantigens, out.counts);
  out.tracked_hits = track(out.reactive, c, ctx);
  std::vector<rank::ReactiveClonotype> reactive;
  for (const rank::ReactiveTcr& r : out.reactive) reactive.push_back(r.clonotype);
  out.tracked = rank::track_reactive(*ctx.table, reactive, out.tracked_hits, out.measured, c.tracking_radius);
  out.ranking = rank::rank_with_screen(*ctx.table, *ctx.public_ranking, out.measured, out.tracked, reactive,
                                       *ctx.neoantigens);

  out.product_candidates =
      product_candidates(*ctx.table, out.measured, out.tracked, ctx.neoantigens->size(), out.product_units);
  out.product = screen::choose_product(out.product_candidates, c.product);
  out.next_round = screen::plan_next_round(out.deconvolution, constructs,
                                           tracked_fragments(*ctx.table, out.tracked, readouts), c.next_round);
  out.counts["tracked_hits"] = static_cast<std::int64_t>(out.tracked_hits.size());
  for (const char* tier : {"measured", "tracked", "public", "none"})
    out.counts[std::string("fragments_") + tier] =
        std::count_if(out.ranking.begin(), out.ranking.end(), [&](const auto& r) { return r.tier == tier; });
  if (readouts.empty()) out.notes.push_back("No readouts (--screen): reactivity comes from sorted TCR-seq only.");
  if (!c.readouts.empty() && c.reactive_repertoires.empty())
    out.notes.push_back("No reactive-cell TCR-seq (--reactive-repertoires): no clonotype is tracked across cultures.");
  return out;
}

}  // namespace tilmatch::pipeline
