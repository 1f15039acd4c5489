#include "rank/screen_summary.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

namespace tilmatch::rank {
namespace {

std::vector<std::uint32_t> indices_of(const std::vector<std::string>& ids, const IdIndex& index) {
  std::vector<std::uint32_t> out;
  for (const std::string& id : ids)
    if (auto it = index.find(id); it != index.end()) out.push_back(it->second);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
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
std::vector<std::string> binding(const screen::PositiveConstruct* p, const screen::Construct& construct,
                                 const std::set<std::pair<std::string, std::string>>& resolved,
                                 const std::string& fragment) {
  std::vector<std::string> candidates = p && !p->neoantigens.empty() ? p->neoantigens : construct.neoantigens;
  std::vector<std::string> narrowed;
  for (const std::string& n : candidates)
    if (resolved.count({fragment, n}) && std::find(narrowed.begin(), narrowed.end(), n) == narrowed.end())
      narrowed.push_back(n);
  return narrowed.empty() ? candidates : narrowed;
}

bool overlaps(const std::vector<std::uint32_t>& group, const std::vector<std::uint32_t>& sorted) {
  return std::any_of(group.begin(), group.end(),
                     [&](std::uint32_t n) { return std::binary_search(sorted.begin(), sorted.end(), n); });
}

/// A positive group a culture shows, before it becomes a product group.
struct ShownGroup {
  std::vector<std::uint32_t> neoantigens;  ///< sorted
  std::uint32_t clonotype = kNone;         ///< the reactive clonotype whose binding it is, if one
  /// A second reading stands behind it: a proven clonotype, a second assay or a second construct.
  bool confirmed = true;
};

/// The groups one culture shows, one per reactivity of the parsimonious reading of its results, in which
/// one reactive neoantigen explains every positive holding it:
///  - each reactive clonotype it carries (`carried`) or that was proven in it (`proven_here`), bound to
///    several neoantigens, is a group: the clonotype's, shared by every such culture. Of clonotypes with
///    the same binding, or one holding another's, the one with the fewest candidates (then the lowest
///    index) stands for both;
///  - an ambiguous construct sharing a candidate with such a clonotype shows that clonotype's reactivity;
///  - ambiguous constructs sharing a candidate show one reactivity (a TMG and the pool holding one of its
///    epitopes both read positive for that epitope), among the fewer candidates of the two (the first
///    on a tie): the group the deconvolution narrowed most;
///  - a group holding a neoantigen resolved in the culture (`resolved`) is explained by it.
/// A construct's group is unconfirmed when it read positive in one assay only and no other construct
/// joined it.
std::vector<ShownGroup> shown_groups(const MeasuredReactivity& m, const std::vector<std::uint32_t>& carried,
                                     const std::vector<std::uint32_t>& proven_here,
                                     const std::vector<ReactiveClonotype>& reactive,
                                     const std::vector<std::uint32_t>& resolved) {
  const auto usable = [&](const std::vector<std::uint32_t>& g) { return g.size() > 1 && !overlaps(g, resolved); };
  std::vector<std::uint32_t> clonotypes = carried;
  clonotypes.insert(clonotypes.end(), proven_here.begin(), proven_here.end());
  std::sort(clonotypes.begin(), clonotypes.end(), [&](std::uint32_t a, std::uint32_t b) {
    const std::size_t sa = reactive[a].neoantigens.size(), sb = reactive[b].neoantigens.size();
    return sa != sb ? sa < sb : a < b;
  });
  clonotypes.erase(std::unique(clonotypes.begin(), clonotypes.end()), clonotypes.end());
  std::vector<ShownGroup> out;
  for (std::uint32_t r : clonotypes) {
    const std::vector<std::uint32_t>& g = reactive[r].neoantigens;
    const bool explained = std::any_of(out.begin(), out.end(), [&](const ShownGroup& h) {
      return std::includes(g.begin(), g.end(), h.neoantigens.begin(), h.neoantigens.end());
    });
    if (usable(g) && !explained) out.push_back({g, r});
  }
  const std::size_t clonotype_groups = out.size();
  for (std::size_t a = 0; a < m.ambiguous.size(); ++a) {
    std::vector<std::uint32_t> g = m.ambiguous[a];
    const bool confirmed = a >= m.ambiguous_assays.size() || m.ambiguous_assays[a] >= 2;
    std::sort(g.begin(), g.end());
    // A construct resolved by elimination on one reading is held ambiguous with one candidate: a group.
    if (g.empty() || overlaps(g, resolved)) continue;
    if (std::any_of(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(clonotype_groups),
                    [&](const ShownGroup& h) { return overlaps(h.neoantigens, g); }))
      continue;
    const auto overlapping = std::find_if(out.begin() + static_cast<std::ptrdiff_t>(clonotype_groups), out.end(),
                                          [&](const ShownGroup& h) { return overlaps(h.neoantigens, g); });
    if (overlapping == out.end()) {
      out.push_back({std::move(g), kNone, confirmed});
      continue;
    }
    overlapping->confirmed = true;  // two constructs read positive for it
    if (g.size() < overlapping->neoantigens.size()) overlapping->neoantigens = std::move(g);
  }
  return out;
}

}  // namespace

bool single_readings_only(const MeasuredReactivity& m, bool proven_here) {
  if (!m.reactive.empty() || proven_here) return false;
  const std::vector<ShownGroup> groups = shown_groups(m, {}, {}, {}, m.reactive);
  return !groups.empty() && std::none_of(groups.begin(), groups.end(), [](const ShownGroup& g) { return g.confirmed; });
}

std::vector<screen::ConstructOutcome> construct_outcomes(const std::vector<screen::Call>& calls) {
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

/// Per culture: the neoantigens it reacted to, its unresolved positives, what it was cleared of.
std::vector<MeasuredReactivity> measured_reactivity(const screen::Deconvolution& d,
                                                  const std::vector<screen::Call>& calls,
                                                  const IdIndex& fragments, const IdIndex& neoantigens) {
  std::vector<MeasuredReactivity> out(fragments.size());
  for (const screen::ConstructCall& cc : d.calls)
    if (cc.result != screen::ConstructResult::kInconclusive) out[fragments.at(cc.fragment_id)].screened = true;
  for (const screen::Call& c : calls)
    if (c.positive_control == screen::PositiveControlStatus::kFailed)
      out[fragments.at(c.fragment_id)].control_failed = true;
  for (const screen::PositiveConstruct& p : d.positives)
    if (p.resolution == screen::Resolution::kAmbiguous) {
      MeasuredReactivity& m = out[fragments.at(p.fragment_id)];
      m.ambiguous.push_back(indices_of(p.neoantigens, neoantigens));
      m.ambiguous_assays.push_back(static_cast<int>(p.positive_assays.size()));
    }
  for (const screen::NeoantigenCall& nc : d.neoantigen_calls) {
    const auto n = neoantigens.find(nc.neoantigen);
    if (n == neoantigens.end()) continue;
    MeasuredReactivity& m = out[fragments.at(nc.fragment_id)];
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
  for (MeasuredReactivity& m : out)
    for (auto* v : {&m.reactive, &m.cleared, &m.tested}) std::sort(v->begin(), v->end());
  return out;
}

std::vector<ReactiveTcr> reactive_clonotypes(const std::vector<screen::EnrichmentResult>& results,
                                             const std::vector<const screen::Construct*>& constructs,
                                             const std::function<Tcr(std::uint64_t)>& tcr_of,
                                             const screen::Deconvolution& d, const IdIndex& neoantigens) {
  std::vector<ReactiveTcr> out;
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
        ReactiveTcr& t = out[it->second];
        ++t.proofs;
        for (std::uint32_t n : indices_of(neo_ids, neoantigens)) t.clonotype.neoantigens.push_back(n);
        std::sort(t.clonotype.neoantigens.begin(), t.clonotype.neoantigens.end());
        auto& v = t.clonotype.neoantigens;
        v.erase(std::unique(v.begin(), v.end()), v.end());
        if (t.clonotype.compartment != compartment_of(p)) t.clonotype.compartment = screen::Compartment::kUnknown;
        continue;
      }
      ReactiveTcr t;
      t.clonotype.id = "R" + std::to_string(out.size() + 1);
      t.clonotype.fragment_id = r.fragment_id;
      t.clonotype.construct = r.construct;
      t.clonotype.neoantigens = indices_of(neo_ids, neoantigens);
      t.clonotype.compartment = compartment_of(p);
      t.tcr = tcr_of(ce.key);
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
  return out;
}

std::vector<screen::ProductCandidate> product_candidates(const ClonotypeTable& table,
                                                         const std::vector<MeasuredReactivity>& measured,
                                                         const std::vector<TrackedReactivity>& tracked,
                                                         const std::vector<ReactiveClonotype>& reactive,
                                                         std::vector<screen::ProductGroup>& groups,
                                                         std::vector<ProductGroupSource>& sources,
                                                         std::vector<double>& weights, double unconfirmed_weight) {
  std::map<std::string, std::vector<std::uint32_t>, std::less<>> proven_in;  // fragment -> reactive clonotypes
  for (std::uint32_t r = 0; r < reactive.size(); ++r)
    if (reactive[r].neoantigens.size() > 1) proven_in[reactive[r].fragment_id].push_back(r);
  std::vector<std::uint32_t> group_of_clonotype(reactive.size(), kNone);
  std::vector<screen::ProductCandidate> out;
  for (std::uint32_t f = 0; f < table.fragments.size(); ++f) {
    const MeasuredReactivity& m = measured[f];
    const TrackedReactivity& t = tracked[f];
    screen::ProductCandidate p;
    p.fragment_id = table.fragments[f].id;
    std::set_union(m.reactive.begin(), m.reactive.end(), t.neoantigens.begin(), t.neoantigens.end(),
                   std::back_inserter(p.resolved));
    const auto proven = proven_in.find(p.fragment_id);
    for (ShownGroup& g : shown_groups(m, t.unresolved_reactive,
                                      proven == proven_in.end() ? std::vector<std::uint32_t>{} : proven->second,
                                      reactive, p.resolved)) {
      if (g.clonotype == kNone) {
        p.groups.push_back(static_cast<std::uint32_t>(groups.size()));
        groups.push_back(std::move(g.neoantigens));
        sources.push_back({p.fragment_id, false, g.confirmed});
        weights.push_back(g.confirmed ? 1.0 : unconfirmed_weight);
        continue;
      }
      std::uint32_t& shared = group_of_clonotype[g.clonotype];
      if (shared == kNone) {
        shared = static_cast<std::uint32_t>(groups.size());
        groups.push_back(std::move(g.neoantigens));
        sources.push_back({reactive[g.clonotype].id, true, true});
        weights.push_back(1.0);
      }
      p.groups.push_back(shared);
    }
    std::sort(p.groups.begin(), p.groups.end());
    p.cd4_frequency = std::min(1.0, t.cd4_frequency);
    p.cd8_frequency = std::min(1.0, t.cd8_frequency);
    if (!p.resolved.empty() || !p.groups.empty() || p.cd4_frequency > 0 || p.cd8_frequency > 0)
      out.push_back(std::move(p));
  }
  return out;
}

std::vector<screen::TrackedFragment> tracked_fragments(const ClonotypeTable& table,
                                                       const std::vector<TrackedReactivity>& tracked,
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

/// Fragments whose positive control failed, with the assays, in call order.
std::vector<screen::FailedControl> failed_controls(const std::vector<screen::Call>& calls) {
  std::vector<screen::FailedControl> out;
  for (const screen::Call& c : calls) {
    if (c.positive_control != screen::PositiveControlStatus::kFailed) continue;
    if (out.empty() || out.back().fragment_id != c.fragment_id) out.push_back({c.fragment_id, {}});
    auto& assays = out.back().assays;
    if (std::find(assays.begin(), assays.end(), c.assay) == assays.end()) assays.push_back(c.assay);
  }
  for (auto& f : out) std::sort(f.assays.begin(), f.assays.end());
  return out;
}

}  // namespace tilmatch::rank
