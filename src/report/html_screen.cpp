#include "report/html_screen.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "report/html_format.hpp"
#include "report/html_table.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::report::detail {
namespace {

// Tracked-frequency cells start a little above the scale's white end so any presence shows.
constexpr double kHeatFloor = 0.12;
// Cells darker than this along the heat scale get white text: from here on white contrasts better
// than the body's near-black (both about 4.2:1 here, WCAG 2 relative luminance).
constexpr double kDarkCell = 0.68;

std::string_view compartment_name(screen::Compartment c) {
  return c == screen::Compartment::kCd4 ? "CD4" : c == screen::Compartment::kCd8 ? "CD8" : "unknown";
}

std::string escaped(std::string_view s) { return html_escape(s.empty() ? kMissing : s); }

std::string ratio_text(double v) { return std::isinf(v) && v > 0 ? "∞" : format_significant(v, 3); }

/// <td data-label="label">html</td>: the label heads the cell when a narrow screen shows rows as cards.
void labelled(std::string& out, std::string_view label, const std::string& html, std::string_view cls = {}) {
  out += "<td";
  if (!cls.empty()) out += " class=\"" + std::string(cls) + "\"";
  out += " data-label=\"" + html_escape(label) + "\">" + html + "</td>";
}

std::string neoantigen_id(const ScreenView& v, std::uint32_t n) { return v.result.neoantigens[n].id; }

std::vector<std::string> neoantigen_ids(const ScreenView& v, const std::vector<std::uint32_t>& ns) {
  std::vector<std::string> out;
  for (std::uint32_t n : ns) out.push_back(neoantigen_id(v, n));
  return out;
}

const rank::TrackedReactivity& tracked_of(const ScreenView& v, std::uint32_t fragment) {
  static const rank::TrackedReactivity kNothing;
  return fragment < v.screen.tracked.size() ? v.screen.tracked[fragment] : kNothing;
}

// --- Ranking ----------------------------------------------------------------------------------

std::string tier_badge(const std::string& tier) {
  const bool known =
      tier == "measured" || tier == "tracked" || tier == "unconfirmed" || tier == "public" || tier == "none";
  return "<span class=\"badge tier-" + (known ? tier : std::string("none")) + "\">" + escaped(tier) + "</span>";
}

// --- Deconvolution and next round -------------------------------------------------------------

struct FragmentFindings {
  bool tested = false;
  std::vector<std::string> reactive;      // "KRAS.G12D (PP2; CD8)"
  std::vector<std::string> ambiguous;     // HTML: construct and its candidates
  std::vector<std::string> unexplained;   // construct ids
  std::vector<std::string> cleared;       // neoantigen ids
  std::vector<std::string> next;          // "step 2: ..."
};

std::string next_step_kind(screen::NextStepKind k) {
  switch (k) {
    case screen::NextStepKind::kScreenFragment: return "Screen culture";
    case screen::NextStepKind::kDeconvolve: return "Deconvolve";
    case screen::NextStepKind::kRepeatFragment: return "Screen culture again";
    case screen::NextStepKind::kTestNeoantigen: break;
  }
  return "Test neoantigen";
}

void render_deconvolution(std::string& out, const ScreenView& v) {
  const screen::Deconvolution& d = v.screen.deconvolution;
  open_section(out, "screen-deconvolution", "Deconvolution and next round");
  std::map<std::string, FragmentFindings> by_fragment;
  for (const screen::ConstructCall& c : d.calls) by_fragment[c.fragment_id].tested = true;
  for (const screen::NeoantigenCall& n : d.neoantigen_calls) {
    if (n.status == screen::ReactivityStatus::kReactive) {
      std::string item = n.neoantigen + " (";
      for (std::size_t i = 0; i < n.constructs.size(); ++i) item += (i ? ", " : "") + n.constructs[i];
      for (screen::Compartment c : n.compartments)
        if (c != screen::Compartment::kUnknown) item += "; " + std::string(compartment_name(c));
      by_fragment[n.fragment_id].reactive.push_back(item + ")");
    } else if (n.status == screen::ReactivityStatus::kNotReactive) {
      by_fragment[n.fragment_id].cleared.push_back(n.neoantigen);
    }
  }
  for (const screen::PositiveConstruct& p : d.positives) {
    if (p.resolution == screen::Resolution::kAmbiguous)
      by_fragment[p.fragment_id].ambiguous.push_back("<span class=\"mono\">" + html_escape(p.construct) +
                                                     "</span>: " + folded_list(p.neoantigens, "candidates") +
                                                     (p.one_reading ? " (one reading)" : ""));
    else if (p.resolution == screen::Resolution::kUnexplained)
      by_fragment[p.fragment_id].unexplained.push_back(p.construct);
  }
  const auto& steps = v.screen.next_round.steps;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const screen::NextStep& s = steps[i];
    const std::string label = "step " + std::to_string(i + 1) + ": ";
    if (s.kind == screen::NextStepKind::kScreenFragment) by_fragment[s.subject].next.push_back(label + "screen it");
    if (s.kind == screen::NextStepKind::kRepeatFragment)
      by_fragment[s.subject].next.push_back(label + "screen it again (positive control failed)");
    if (s.kind == screen::NextStepKind::kDeconvolve)
      for (const std::string& f : s.fragments) by_fragment[f].next.push_back(label + "deconvolve " + s.subject);
  }

  hint(out, "Per culture, in manifest order: the neoantigens the screen resolves as reactive (with the constructs "
            "behind them and the compartment seen), positive constructs whose candidates could not be told apart, "
            "positive constructs every member of which was cleared elsewhere (unexplained), the neoantigens "
            "cleared, and the next round&#39;s steps for the culture. reactivity.tsv has every culture &times; "
            "neoantigen.");
  if (by_fragment.empty()) {
    empty_state(out, "No culture was tested and nothing is proposed.");
  } else {
    out += "<div class=\"scroll\"><table class=\"deconv\">";
    header_cells(out, {"Culture", "Reactive neoantigens", "Ambiguous constructs: candidates", "Unexplained positives",
                       "Cleared", "Next round"});
    out += "<tbody>\n";
    for (const FragmentSummary& f : v.table.fragments) {
      const auto it = by_fragment.find(f.id);
      if (it == by_fragment.end()) continue;
      const FragmentFindings& x = it->second;
      out += "<tr><th class=\"row\">";
      text(out, f.id);
      if (!x.tested) out += "<span class=\"sub\">not screened</span>";
      out += "</th><td>" + folded_list(x.reactive, "neoantigens") + "</td><td>";
      for (const std::string& a : x.ambiguous) out += "<div>" + a + "</div>";
      if (x.ambiguous.empty()) out += kMissing;
      out += "</td><td class=\"mono\">" + folded_list(x.unexplained, "constructs") + "</td><td>" +
             folded_list(x.cleared, "neoantigens") + "</td><td>" + folded_list(x.next, "steps") + "</td></tr>\n";
    }
    out += "</tbody></table></div>\n";
  }

  out += "<h3>Next round</h3>\n";
  if (steps.empty()) {
    empty_state(out, "Nothing to propose: every positive construct is resolved and every neoantigen tested.");
  } else {
    out += "<ol class=\"steps\">\n";
    for (const screen::NextStep& s : steps) {
      out += "<li><strong>" + next_step_kind(s.kind) + "</strong> <span class=\"mono\">" + escaped(s.subject) +
             "</span>";
      out += ": ";
      text(out, s.reason);
      if (!s.constructs.empty())
        out += "<div class=\"sub\">Constructs: " + folded_list(s.constructs, "constructs") + "</div>";
      out += "</li>\n";
    }
    out += "</ol>\n";
    hint(out, "next_round.tsv lists the steps and next_round_design.tsv the designed constructs&#39; sequences.");
  }
  out += "</section>\n";
}

// --- Reactive clonotypes tracked across cultures ----------------------------------------------

void render_tracked(std::string& out, const ScreenView& v) {
  const auto& reactive = v.screen.reactive;
  open_section(out, "screen-tracked", "Reactive clonotypes across cultures");
  if (reactive.empty()) {
    empty_state(out, "No reactive clonotypes: no sorted TCR-seq was given (--reactive-repertoires) or no clonotype "
                     "was enriched in it.");
    out += "</section>\n";
    return;
  }
  // Frequency in each culture of the patient clonotypes identical to each reactive clonotype.
  std::map<std::uint32_t, std::vector<std::uint32_t>> identical;  // sparse: a few among millions
  for (const rank::TrackedHit& h : v.screen.tracked_hits)
    if (h.distance == 0) identical[h.clonotype].push_back(h.reactive);
  std::vector<std::map<std::uint32_t, double>> seen(reactive.size());
  std::vector<bool> column(v.table.fragments.size(), false);
  double max_frequency = 0;
  for (const ClonotypeCount& cc : v.table.counts) {
    const auto it = identical.find(cc.clonotype);
    if (it == identical.end()) continue;
    for (std::uint32_t r : it->second) {
      seen[r][cc.fragment] += cc.frequency;
      column[cc.fragment] = true;
    }
  }
  for (const auto& s : seen)
    for (const auto& [f, freq] : s) max_frequency = std::max(max_frequency, std::isfinite(freq) ? freq : 0.0);
  hint(out, "One row per clonotype proven reactive by sorted TCR-seq (FEST enrichment: q and odds ratio of its "
            "proof), one column per culture carrying a clonotype identical to one of them on the &beta; chain "
            "(CDR3&beta; and TRBV), with that clonotype&#39;s frequency in the culture, darker for larger. * marks "
            "the culture whose sorted cells proved it. TCRdist neighbours are listed in tracked.tsv, not here.");
  out += "<div class=\"scroll\"><table class=\"tracked\"><thead><tr><th class=\"row\">Reactive</th><th>CDR3β</th>"
         "<th>TRBV</th><th>Compartment</th><th>Neoantigens</th><th>Proven in</th><th class=\"num\">q</th>"
         "<th class=\"num\">Odds ratio</th>";
  for (std::uint32_t f = 0; f < column.size(); ++f) {
    if (!column[f]) continue;
    out += "<th class=\"num\">";
    text(out, v.table.fragments[f].id);
    out += "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < reactive.size(); ++i) {
    const rank::ReactiveTcr& r = reactive[i];
    const auto& ns = r.clonotype.neoantigens;
    out += "<tr><th class=\"row\">";
    text(out, r.clonotype.id);
    out += "</th>";
    cell(out, r.tcr.cdr3b, "mono");
    cell(out, r.tcr.vb, "nowrap");
    cell(out, compartment_name(r.clonotype.compartment));
    out += "<td class=\"neo\">" + std::string(ns.size() > 1 ? "unresolved among " : "") +
           folded_list(neoantigen_ids(v, ns), "candidates") + "</td>";
    cell(out, r.clonotype.fragment_id + " · " + r.clonotype.construct, "nowrap");
    cell(out, format_probability(r.q), "num");
    cell(out, ratio_text(r.odds_ratio), "num");
    for (std::uint32_t f = 0; f < column.size(); ++f) {
      if (!column[f]) continue;
      const std::string mark = v.table.fragments[f].id == r.clonotype.fragment_id ? "*" : "";
      const auto it = seen[i].find(f);
      if (it == seen[i].end()) {
        out += "<td class=\"tf\">" + mark + "</td>";
        continue;
      }
      const double t = kHeatFloor + (1 - kHeatFloor) * (max_frequency > 0 ? it->second / max_frequency : 0);
      out += "<td class=\"tf" + std::string(t > kDarkCell ? " dark" : "") + "\" style=\"background:" +
             heat_colour(t) + "\" title=\"";
      text(out, r.clonotype.id + " in " + v.table.fragments[f].id + ": " + format_share(it->second));
      out += "\">" + html_escape(format_share(it->second)) + mark + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n</section>\n";
}

// --- Product ----------------------------------------------------------------------------------

std::string group_text(const ScreenView& v, std::uint32_t group) {
  const screen::ProductGroup& ns = v.screen.product_groups[group];
  std::string out = "unresolved (";
  for (std::size_t i = 0; i < ns.size() && i < 3; ++i) out += (i ? " | " : "") + neoantigen_id(v, ns[i]);
  if (ns.size() > 3) out += " | … " + std::to_string(ns.size()) + " candidates";
  out += ")";
  // A reactive clonotype's group is shared by the cultures carrying it; a construct's is its culture's.
  if (group < v.screen.product_group_sources.size() && !v.screen.product_group_sources[group].id.empty()) {
    const rank::ProductGroupSource& source = v.screen.product_group_sources[group];
    out += (source.clonotype ? " via " : " in ") + source.id;
    if (!source.confirmed) out += ", one assay";
  }
  return out;
}

/// Expected neoantigens with 2 decimals; a change carries its sign, and one that rounds to zero none.
std::string expected_text(double e) { return format_decimals(e, 2); }
std::string expected_change_text(double change) {
  std::string out = format_decimals(change, 2);
  if (out == "-0.00") return "0.00";
  if (change > 0 && out != "0.00") out.insert(0, 1, '+');
  return out;
}

void render_product(std::string& out, const ScreenView& v) {
  const screen::ProductChoice& p = v.screen.product;
  const auto& cands = v.screen.product_candidates;
  open_section(out, "screen-product", "Product and alternatives");
  if (cands.empty() || p.chosen.fragments.empty()) {
    empty_state(out, "No culture covers a reactivity or carries a tracked reactive clonotype: no product to choose.");
    out += "</section>\n";
    return;
  }
  const auto fragments = [&](const std::vector<std::uint32_t>& fs) {
    std::vector<std::string> ids;
    for (std::uint32_t f : fs) ids.push_back(cands[f].fragment_id);
    return ids;
  };
  // Resolved neoantigens first, then unresolved groups.
  const auto covered = [&](const std::vector<std::uint32_t>& resolved, const std::vector<std::uint32_t>& groups) {
    std::vector<std::string> ids;
    for (std::uint32_t n : resolved) ids.push_back(neoantigen_id(v, n));
    for (std::uint32_t g : groups) ids.push_back(group_text(v, g));
    return ids;
  };
  hint(out, p.method == screen::ProductMethod::kExact
                ? "Exact search: every set of cultures up to the product size was compared; the alternatives are "
                  "the next-best sets, in order."
                : "Greedy search (too many sets to compare every one): the best set reached by adding, swapping or "
                  "dropping one culture at a time; no ranked alternatives.");
  hint(out, "Sets rank by the expected number of distinct reactive neoantigens covered, then reactive CD4 "
            "frequency, then CD8, then fewer cultures (breadth and CD4 were associated with response in the "
            "selected-TIL trial, Lowery et al., Nat Med 2025). A resolved neoantigen counts 1; an unresolved "
            "positive construct, or a reactive clonotype bound to several candidates, stands for one of its "
            "candidates, each equally likely, so cultures positive for the same construct may cover different "
            "neoantigens. Frequencies are the mean over the set&#39;s cultures: the reactive share of a pool of "
            "equal cell numbers.");
  out += "<div class=\"scroll\"><table class=\"product\">";
  header_cells(out, {"Set", "Cultures", "#Expected neoantigens", "Covered", "#CD4", "#CD8", "Adds", "Removes", "Gains",
                     "Loses", "#Expected change", "#CD4 change", "#CD8 change"});
  out += "<tbody>\n";
  const auto row = [&](const std::string& name, const screen::ProductSet& set, const screen::SetDifference* d) {
    out += d ? "<tr>" : "<tr class=\"chosen\">";
    cell(out, name, "nowrap");
    out += "<td>" + folded_list(fragments(set.fragments), "cultures") + "</td>";
    cell(out, expected_text(set.expected_neoantigens), "num");
    // The chosen set's reactivities in full: they are what the product is for.
    const auto items = covered(set.resolved, set.groups);
    out += "<td>" + (d ? folded_list(items, "reactivities") : escaped_list(items)) + "</td>";
    cell(out, format_share(set.cd4_frequency), "num");
    cell(out, format_share(set.cd8_frequency), "num");
    for (const auto* list : {d ? &d->added_fragments : nullptr, d ? &d->removed_fragments : nullptr})
      out += "<td>" + (list ? folded_list(fragments(*list), "cultures") : std::string(kMissing)) + "</td>";
    if (d) {
      out += "<td>" + folded_list(covered(d->gained_resolved, d->gained_groups), "reactivities") + "</td>";
      out += "<td>" + folded_list(covered(d->lost_resolved, d->lost_groups), "reactivities") + "</td>";
    } else {
      out += "<td>" + std::string(kMissing) + "</td><td>" + std::string(kMissing) + "</td>";
    }
    cell(out, d ? expected_change_text(d->expected_change) : std::string(), "num");
    cell(out, d ? format_share_change(d->cd4_change) : std::string(), "num");
    cell(out, d ? format_share_change(d->cd8_change) : std::string(), "num");
    out += "</tr>\n";
  };
  row("chosen (" + std::string(screen::product_method_name(p.method)) + ")", p.chosen, nullptr);
  for (std::size_t i = 0; i < p.alternatives.size(); ++i)
    row("alternative " + std::to_string(i + 1), p.alternatives[i].set, &p.alternatives[i].versus_chosen);
  for (const screen::FragmentOption& o : p.left_out)
    row("with " + cands[o.fragment].fragment_id +
            (o.replaces ? " for " + cands[*o.replaces].fragment_id : std::string(" added")),
        o.option.set, &o.option.versus_chosen);
  out += "</tbody></table></div>\n";
  hint(out, "&quot;with X&quot;: the best set that takes in a culture left out by one change to the chosen set. "
            "product.tsv has every row.");
  out += "</section>\n";
}

}  // namespace

void check_screen(const ScreenView& v) {
  const std::size_t nf = v.table.fragments.size(), nc = v.table.clonotypes.size();
  const std::size_t nn = v.result.neoantigens.size(), nr = v.screen.reactive.size();
  const std::size_t ng = v.screen.product_groups.size(), np = v.screen.product_candidates.size();
  const auto check = [](const char* what, std::size_t index, std::size_t size) {
    if (index >= size)
      throw Error("report: screen " + std::string(what) + " index " + std::to_string(index) + " is out of range (" +
                  std::to_string(size) + ")");
  };
  for (const rank::ScreenRank& r : v.screen.ranking) check("ranking fragment", r.fragment, nf);
  for (const rank::ReactiveTcr& r : v.screen.reactive) {
    if (r.clonotype.clonotype != rank::kNone) check("reactive clonotype", r.clonotype.clonotype, nc);
    for (std::uint32_t n : r.clonotype.neoantigens) check("reactive neoantigen", n, nn);
  }
  for (const rank::TrackedHit& h : v.screen.tracked_hits) {
    check("tracked hit clonotype", h.clonotype, nc);
    check("tracked hit reactive", h.reactive, nr);
  }
  for (const auto& group : v.screen.product_groups) {
    if (group.empty()) throw Error("report: screen product group is empty");
    for (std::uint32_t n : group) check("product group neoantigen", n, nn);
  }
  const auto check_lists = [&](const std::vector<std::uint32_t>& resolved, const std::vector<std::uint32_t>& groups) {
    for (std::uint32_t n : resolved) check("product neoantigen", n, nn);
    for (std::uint32_t g : groups) check("product group", g, ng);
  };
  for (const screen::ProductCandidate& c : v.screen.product_candidates) check_lists(c.resolved, c.groups);
  const auto check_set = [&](const screen::ProductSet& s) {
    for (std::uint32_t f : s.fragments) check("product fragment", f, np);
    check_lists(s.resolved, s.groups);
  };
  const auto check_difference = [&](const screen::SetDifference& d) {
    for (const auto* fs : {&d.added_fragments, &d.removed_fragments})
      for (std::uint32_t f : *fs) check("product fragment", f, np);
    check_lists(d.gained_resolved, d.gained_groups);
    check_lists(d.lost_resolved, d.lost_groups);
  };
  check_set(v.screen.product.chosen);
  for (const screen::ProductAlternative& a : v.screen.product.alternatives) {
    check_set(a.set);
    check_difference(a.versus_chosen);
  }
  for (const screen::FragmentOption& o : v.screen.product.left_out) {
    check("product left-out fragment", o.fragment, np);
    if (o.replaces) check("product replaced fragment", *o.replaces, np);
    check_set(o.option.set);
    check_difference(o.option.versus_chosen);
  }
}

std::string screen_nav() {
  return "<a href=\"#screen-calls\">Screen calls</a><a href=\"#screen-deconvolution\">Deconvolution</a>"
         "<a href=\"#screen-tracked\">Reactive clonotypes</a><a href=\"#screen-product\">Product</a>";
}

void render_screen_ranking(std::string& out, const ScreenView& v) {
  const auto& ranking = v.screen.ranking;
  open_section(out, "ranking", "Ranked cultures");
  if (ranking.empty()) {
    empty_state(out, "No cultures were ranked.");
    out += "</section>\n";
    return;
  }
  std::vector<std::size_t> public_position(v.table.fragments.size(), v.result.ranking.size());
  for (std::size_t i = 0; i < v.result.ranking.size(); ++i) public_position[v.result.ranking[i].fragment] = i;
  hint(out, "Ranked by the screen&#39;s evidence, strongest tier first: <strong>measured</strong> (the culture "
            "reacted in the screen), <strong>tracked</strong> (it carries a clonotype identical, on the &beta; "
            "chain, to one proven reactive by sorted TCR-seq), <strong>public</strong> (public-reference "
            "evidence only, standing out from chance), <strong>unconfirmed</strong> (single readings only: each "
            "positive construct read in one assay, nothing resolved or proven; to confirm), <strong>none</strong>. "
            "Reactivities: resolved reactive neoantigens plus unresolved positive constructs. Tracked CD4/CD8: "
            "the culture&#39;s share of clonotypes identical to proven reactive CD4 or CD8 clonotypes. Public "
            "score: the public-reference score, whose rank (#) the heatmap and evidence sections below keep.");
  out += "<div class=\"scroll\"><table class=\"ranking screen-ranking\">";
  header_cells(out, {"#Rank", "Culture", "Tier", "Confidence", "#Reactivities", "#Tracked CD4", "#Tracked CD8",
                     "#Public score", "Why"});
  out += "<tbody>\n";
  for (const rank::ScreenRank& s : ranking) {
    const std::size_t pos = public_position[s.fragment];
    const rank::TrackedReactivity& t = tracked_of(v, s.fragment);
    std::string culture;
    if (pos < v.result.ranking.size()) culture += "<a href=\"#" + culture_anchor(pos) + "\">";
    culture += html_escape(v.table.fragments[s.fragment].id);
    if (pos < v.result.ranking.size()) culture += "</a>";
    if (const std::string m = fragment_metadata(v.table.fragments[s.fragment]); !m.empty())
      culture += "<span class=\"sub\">" + html_escape(m) + "</span>";
    out += "<tr class=\"rank-row\">";
    labelled(out, "Rank", std::to_string(s.rank), "num");
    labelled(out, "Culture", culture);
    labelled(out, "Tier", tier_badge(s.tier));
    labelled(out, "Confidence", confidence_badge(s.confidence));
    labelled(out, "Reactivities", std::to_string(s.reactive_neoantigens), "num");
    labelled(out, "Tracked CD4", html_escape(format_share(t.cd4_frequency)), "num");
    labelled(out, "Tracked CD8", html_escape(format_share(t.cd8_frequency)), "num");
    std::string score(kMissing);
    if (pos < v.result.ranking.size()) {
      const rank::FragmentScore& p = v.result.ranking[pos];
      score = format_significant(p.score, 4) + " <span class=\"sub-inline\">#" + std::to_string(p.rank) + "</span>";
    }
    labelled(out, "Public score", score, "num small");
    labelled(out, "Why", escaped(s.reason), "why");
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n</section>\n";
}

void render_screen_sections(std::string& out, const ScreenView& v) {
  render_calls_plate(out, v);
  render_deconvolution(out, v);
  render_tracked(out, v);
  render_product(out, v);
}

}  // namespace tilmatch::report::detail

