#include "pipeline/screen_writers.hpp"

#include <cmath>
#include <map>

#include "pipeline/peptide_writers.hpp"
#include "pipeline/run_writers.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::pipeline {
namespace {

// An empty cell is written `NA`, the one missing-value mark of every tilmatch table (docs/formats.md).
void add(std::string& row, std::string_view field) { text::append_tsv_field(row, field.empty() ? kNa : field); }

std::string num(double v) { return std::isnan(v) ? "NA" : format_score(v); }

std::string compartment_name(screen::Compartment c) {
  switch (c) {
    case screen::Compartment::kCd4: return "CD4";
    case screen::Compartment::kCd8: return "CD8";
    case screen::Compartment::kUnknown: break;
  }
  return "unknown";
}

std::string status_name(screen::CallStatus s) {
  static const char* const kNames[] = {"positive", "negative", "no_control", "control_failed", "not_called"};
  return kNames[static_cast<int>(s)];
}

template <class T, class F>
std::string joined(const std::vector<T>& items, F to_text, const char* sep = ",") {
  std::string s;
  for (const T& item : items) {
    if (!s.empty()) s += sep;
    s += to_text(item);
  }
  return s.empty() ? "NA" : s;
}

std::string ids(const std::vector<std::string>& v) {
  return joined(v, [](const std::string& s) { return s; });
}
/// Where wells were read: their lines, each as `file:line` when the screen has several readout files.
std::string lines(const std::vector<screen::ReadoutPlace>& v, const std::vector<std::string>& files) {
  return joined(v, [&](const screen::ReadoutPlace& p) {
    return files.size() > 1 ? files[p.file] + ":" + std::to_string(p.line) : std::to_string(p.line);
  });
}
std::string neo_ids(const std::vector<std::uint32_t>& v, const std::vector<rank::Neoantigen>& neoantigens) {
  return joined(v, [&](std::uint32_t n) { return neoantigens[n].id; });
}

}  // namespace

void write_screen_calls(AtomicFile& out, const rank::ScreenOutcome& s) {
  std::string buf =
      "fragment_id\tconstruct\tassay\tcompartment\tstatus\trule\tfallback\tpositive_control\tn_test\tn_control\t"
      "mean_test\tmean_control\tfold\tstatistic\tp\tq\tmin_p\ttest_lines\tcontrol_lines\n";
  for (const screen::Call& c : s.calls) {
    add(buf, c.fragment_id);
    add(buf, c.construct);
    add(buf, c.assay);
    add(buf, compartment_name(c.compartment));
    add(buf, status_name(c.status));
    add(buf, std::string(screen::to_string(c.rule)));
    add(buf, c.fallback ? "yes" : "no");
    add(buf, std::string(screen::to_string(c.positive_control)));
    add(buf, std::to_string(c.n_test));
    add(buf, std::to_string(c.n_control));
    add(buf, num(c.mean_test));
    add(buf, num(c.mean_control));
    add(buf, std::isinf(c.fold) ? "Inf" : num(c.fold));
    add(buf, num(c.statistic));
    add(buf, num(c.p));
    add(buf, num(c.q));
    add(buf, num(c.min_p));
    add(buf, lines(c.test_lines, s.readout_files));
    add(buf, lines(c.control_lines, s.readout_files));
    buf += '\n';
  }
  out.write(buf);
}

void write_reactivity(AtomicFile& out, const rank::ScreenOutcome& s) {
  std::string buf =
      "fragment_id\tneoantigen_id\tstatus\tcandidates\tconstructs\tcompartments\tminigenes\tminigenes_cleared\t"
      "peptides_cleared\treadout_lines\tnote\n";
  for (const screen::NeoantigenCall& n : s.deconvolution.neoantigen_calls) {
    add(buf, n.fragment_id);
    add(buf, n.neoantigen);
    add(buf, std::string(screen::reactivity_name(n.status)));
    add(buf, ids(n.candidates));
    add(buf, ids(n.constructs));
    add(buf, joined(n.compartments, compartment_name));
    add(buf, std::to_string(n.minigenes));
    add(buf, std::to_string(n.minigenes_cleared));
    add(buf, std::to_string(n.peptides_cleared));
    add(buf, lines(n.lines, s.readout_files));
    add(buf, n.note);
    buf += '\n';
  }
  out.write(buf);
}

void write_reactive_clonotypes(AtomicFile& out, const rank::ScreenOutcome& s, const ClonotypeTable& table,
                               const std::vector<rank::Neoantigen>& neoantigens) {
  // Where each reactive clonotype is seen: fragment -> frequency of identical clonotypes.
  std::vector<std::map<std::uint32_t, double>> seen(s.reactive.size());
  // Sparse: a few tracked clonotypes among millions.
  std::map<std::uint32_t, std::vector<std::uint32_t>> identical;
  for (const rank::TrackedHit& h : s.tracked_hits)
    if (h.identical) identical[h.clonotype].push_back(h.reactive);
  for (const ClonotypeCount& cc : table.counts)
    if (const auto it = identical.find(cc.clonotype); it != identical.end())
      for (std::uint32_t r : it->second) seen[r][cc.fragment] += cc.frequency;
  std::string buf =
      "reactive_id\tcdr3_beta\tv_beta\tj_beta\tneoantigen_ids\tepitope_known\tcompartment\tproven_in\tconstruct\t"
      "proofs\treference_population\tsorted_count\treference_count\tsorted_frequency\treference_frequency\t"
      "odds_ratio\tp\tq\tfragments_identical\n";
  for (std::size_t i = 0; i < s.reactive.size(); ++i) {
    const rank::ReactiveTcr& r = s.reactive[i];
    add(buf, r.clonotype.id);
    add(buf, r.tcr.cdr3b);
    add(buf, r.tcr.vb.empty() ? "NA" : r.tcr.vb);
    add(buf, r.tcr.jb.empty() ? "NA" : r.tcr.jb);
    add(buf, neo_ids(r.clonotype.neoantigens, neoantigens));
    add(buf, r.epitope_known ? "yes" : "no");
    add(buf, compartment_name(r.clonotype.compartment));
    add(buf, r.clonotype.fragment_id);
    add(buf, r.clonotype.construct);
    add(buf, std::to_string(r.proofs));
    add(buf, r.reference_population);
    add(buf, std::to_string(r.sorted_count));
    add(buf, std::to_string(r.reference_count));
    add(buf, num(r.sorted_frequency));
    add(buf, num(r.reference_frequency));
    add(buf, std::isinf(r.odds_ratio) ? "Inf" : num(r.odds_ratio));
    add(buf, num(r.p));
    add(buf, num(r.q));
    std::string where;
    for (const auto& [f, freq] : seen[i]) {
      if (!where.empty()) where += ';';
      where += table.fragments[f].id;
      where += ':';
      where += format_score(freq);
    }
    add(buf, where.empty() ? "NA" : where);
    buf += '\n';
  }
  out.write(buf);
}

void write_tracked(AtomicFile& out, const rank::ScreenOutcome& s, const ClonotypeTable& table) {
  // (fragment, frequency) of each tracked clonotype: sparse, a few among millions.
  std::map<std::uint32_t, std::vector<std::pair<std::uint32_t, double>>> by_clonotype;
  for (const rank::TrackedHit& h : s.tracked_hits) by_clonotype[h.clonotype];
  for (const ClonotypeCount& cc : table.counts)
    if (const auto it = by_clonotype.find(cc.clonotype); it != by_clonotype.end())
      it->second.emplace_back(cc.fragment, cc.frequency);
  std::string buf = "reactive_id\tclonotype_id\tcdr3_beta\tv_beta\tdistance\tfragment_id\tfrequency\n";
  for (const rank::TrackedHit& h : s.tracked_hits) {
    const TcrView t = table.clonotypes[h.clonotype].tcr;
    for (const auto& [f, freq] : by_clonotype[h.clonotype]) {
      add(buf, s.reactive[h.reactive].clonotype.id);
      add(buf, rank::clonotype_id(h.clonotype));
      add(buf, t.cdr3b);
      add(buf, t.vb.empty() ? "NA" : t.vb);
      add(buf, std::to_string(h.distance));
      add(buf, table.fragments[f].id);
      add(buf, format_score(freq));
      buf += '\n';
    }
  }
  out.write(buf);
}

void write_product(AtomicFile& out, const rank::ScreenOutcome& s, const std::vector<rank::Neoantigen>& neoantigens) {
  const auto& cands = s.product_candidates;
  const auto frag_ids = [&](const std::vector<std::uint32_t>& v) {
    return joined(v, [&](std::uint32_t f) { return cands[f].fragment_id; });
  };
  // An unresolved group in short form: its first three candidates, how many it holds and where it
  // comes from: "unresolved(KRAS.G12D|TP53.R175H; via R2)", "unresolved(A|B|C|... 16 candidates; in F03)",
  // "…; in F03, one assay" for an unconfirmed group (weighed down in expected_neoantigens).
  const auto group_text = [&](std::uint32_t g) {
    const screen::ProductGroup& n = s.product_groups[g];
    std::string text = "unresolved(" + neoantigens[n.front()].id;
    for (std::size_t i = 1; i < n.size() && i < 3; ++i) text += "|" + neoantigens[n[i]].id;
    if (n.size() > 3) text += "|... " + std::to_string(n.size()) + " candidates";
    if (g < s.product_group_sources.size() && !s.product_group_sources[g].id.empty())
      text += (s.product_group_sources[g].clonotype ? "; via " : "; in ") + s.product_group_sources[g].id;
    if (g < s.product_group_sources.size() && !s.product_group_sources[g].confirmed) text += ", one assay";
    return text + ")";
  };
  const auto groups = [&](const std::vector<std::uint32_t>& v) { return joined(v, group_text); };
  const auto both = [&](const std::vector<std::uint32_t>& resolved, const std::vector<std::uint32_t>& g) {
    std::vector<std::string> items;
    for (std::uint32_t n : resolved) items.push_back(neoantigens[n].id);
    for (std::uint32_t x : g) items.push_back(group_text(x));
    return ids(items);
  };
  std::string buf =
      "set\tmethod\tfragments\texpected_neoantigens\tresolved_neoantigens\tunresolved_groups\tcd4_frequency\t"
      "cd8_frequency\tadds\tremoves\tgains\tloses\texpected_change\tcd4_change\tcd8_change\n";
  const std::string method(screen::product_method_name(s.product.method));
  auto row = [&](const std::string& name, const screen::ProductSet& set, const screen::SetDifference* d) {
    add(buf, name);
    add(buf, method);
    add(buf, frag_ids(set.fragments));
    add(buf, format_score(set.expected_neoantigens));
    add(buf, neo_ids(set.resolved, neoantigens));
    add(buf, groups(set.groups));
    add(buf, format_score(set.cd4_frequency));
    add(buf, format_score(set.cd8_frequency));
    add(buf, d ? frag_ids(d->added_fragments) : "NA");
    add(buf, d ? frag_ids(d->removed_fragments) : "NA");
    add(buf, d ? both(d->gained_resolved, d->gained_groups) : "NA");
    add(buf, d ? both(d->lost_resolved, d->lost_groups) : "NA");
    add(buf, d ? format_score(d->expected_change) : "NA");
    add(buf, d ? format_score(d->cd4_change) : "NA");
    add(buf, d ? format_score(d->cd8_change) : "NA");
    buf += '\n';
  };
  if (!s.product.chosen.fragments.empty()) row("chosen", s.product.chosen, nullptr);
  for (std::size_t i = 0; i < s.product.alternatives.size(); ++i)
    row("alternative_" + std::to_string(i + 1), s.product.alternatives[i].set,
        &s.product.alternatives[i].versus_chosen);
  for (const screen::FragmentOption& o : s.product.left_out)
    row("with_" + cands[o.fragment].fragment_id, o.option.set, &o.option.versus_chosen);
  out.write(buf);
}

void write_next_round(AtomicFile& out, const rank::ScreenOutcome& s) {
  std::string buf = "step\tkind\tsubject\tfragments\tconstructs\treason\n";
  int step = 0;
  for (const screen::NextStep& n : s.next_round.steps) {
    add(buf, std::to_string(++step));
    add(buf, std::string(screen::next_step_name(n.kind)));
    add(buf, n.subject);
    add(buf, ids(n.fragments));
    add(buf, ids(n.constructs));
    add(buf, n.reason);
    buf += '\n';
  }
  out.write(buf);
}

}  // namespace tilmatch::pipeline
