#include "rank/screen_summary.hpp"

#include <algorithm>
#include <numeric>
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

/// The unresolved candidate groups a culture shows (measured or tracked), minus those a resolved
/// reactivity of the culture already explains.
std::vector<std::vector<std::uint32_t>> open_groups(const MeasuredReactivity& m,
                                                    const TrackedReactivity& t,
                                                    const std::vector<std::uint32_t>& resolved) {
  std::vector<std::vector<std::uint32_t>> out;
  for (const auto* list : {&m.ambiguous, &t.unresolved})
    for (const auto& g : *list)
      if (!overlaps(g, resolved)) out.push_back(g);
  return out;
}

}  // namespace

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
    if (p.resolution == screen::Resolution::kAmbiguous)
      out[fragments.at(p.fragment_id)].ambiguous.push_back(indices_of(p.neoantigens, neoantigens));
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
                                             const std::vector<Tcr>& tcrs, const screen::Deconvolution& d,
                                             const IdIndex& neoantigens) {
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
  return out;
}

std::vector<screen::ProductCandidate> product_candidates(const io::ClonotypeTable& table,
                                                         const std::vector<MeasuredReactivity>& measured,
                                                         const std::vector<TrackedReactivity>& tracked,
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
