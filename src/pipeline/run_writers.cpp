#include "pipeline/run_writers.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>

#include "pipeline/peptide_writers.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::pipeline {
namespace {

using rank::kNone;

constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

/// The columns of fragments.tsv before the manifest's metadata columns.
constexpr std::array<std::string_view, 14> kFragmentColumns = {
    "rank", "fragment_id", "score", "evidenced_frequency", "neoantigens", "evidenced_clonotypes", "confidence",
    "best_neoantigen", "best_clonotype", "best_reference", "best_evidence", "neoantigen_ids", "clonotypes",
    "total_count"};
/// With the screen's results: rank, fragment_id, these, then kFragmentColumns from `score` on (the public
/// evidence, its `confidence` named `public_confidence`).
constexpr std::array<std::string_view, 15> kScreenColumns = {
    "tier", "confidence", "why", "screen_status", "reactive_neoantigens", "reactive_neoantigen_ids", "unresolved",
    "tracked_frequency", "tracked_cd4_frequency", "tracked_cd8_frequency", "tracked_neighbor_frequency",
    "contradicted_frequency", "tracked_neoantigen_ids", "public_rank", "public_confidence"};

/// With a background (rank::RunResult::chance_tested), after kFragmentColumns: the culture against chance.
constexpr std::array<std::string_view, 6> kChanceColumns = {
    "chance_observed", "chance_expected", "chance_frequency", "chance_expected_frequency", "chance_p", "chance_q"};

/// Prefix given to a metadata column named like an output column.
constexpr std::string_view kMetadataPrefix = "meta_";

bool is_fragment_column(std::string_view name) {
  return std::find(kFragmentColumns.begin(), kFragmentColumns.end(), name) != kFragmentColumns.end() ||
         std::find(kScreenColumns.begin(), kScreenColumns.end(), name) != kScreenColumns.end() ||
         std::find(kChanceColumns.begin(), kChanceColumns.end(), name) != kChanceColumns.end();
}

// An empty cell is written `NA`, the one missing-value mark of every tilmatch table (docs/formats.md).
void add(std::string& row, std::string_view field) { text::append_tsv_field(row, field.empty() ? kNa : field); }

std::string int_or_na(long long v) { return v < 0 ? std::string(kNa) : std::to_string(v); }

}  // namespace

std::string format_count(double v) {
  if (std::isnan(v)) return std::string(kNa);
  // Counts are whole in every repertoire format tilmatch reads; below 2^53 a whole double prints exactly.
  if (v == std::trunc(v) && std::fabs(v) < 0x1p53) return std::to_string(static_cast<long long>(v));
  return text::format_double(v);
}

std::string format_score(double v) {
  if (std::isnan(v)) return std::string(kNa);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::vector<std::string> rename_clashing_metadata(ClonotypeTable& table) {
  std::set<std::string> taken;
  for (const auto& f : table.fragments)
    for (const auto& kv : f.metadata) taken.insert(kv.first);
  std::vector<std::pair<std::string, std::string>> renames;  // (old, new)
  for (const std::string& name : taken) {
    if (!is_fragment_column(name)) continue;
    std::string renamed(name);
    // Distinct names stay distinct under the same prefixes, so only the original names can collide.
    while (is_fragment_column(renamed) || taken.count(renamed)) renamed.insert(0, kMetadataPrefix);
    renames.emplace_back(name, renamed);
  }
  std::vector<std::string> notes;
  for (const auto& [from, to] : renames) {
    for (auto& f : table.fragments) {
      if (auto node = f.metadata.extract(from)) {
        node.key() = to;
        f.metadata.insert(std::move(node));
      }
    }
    notes.push_back("The manifest column '" + from + "' is named like a column of fragments.tsv; it is written as '" +
                    to + "'.");
  }
  return notes;
}

void write_clonotypes(AtomicFile& out, const ClonotypeTable& table, const rank::RunResult& result) {
  out.write(
      "clonotype_id\tcdr3_beta\tv_beta\tj_beta\tcdr3_alpha\tv_alpha\tj_alpha\tfragments\ttotal_count\t"
      "fragment_counts\tbest_neoantigen\tbest_score\n");
  std::string buf;
  std::size_t k = 0;
  for (std::uint32_t c = 0; c < table.clonotypes.size(); ++c) {
    const TcrView t = table.clonotypes[c].tcr;
    std::string counts;
    double total = 0;
    int fragments = 0;
    for (; k < table.counts.size() && table.counts[k].clonotype == c; ++k) {
      const ClonotypeCount& cc = table.counts[k];
      if (!counts.empty()) counts += ';';
      counts += table.fragments[cc.fragment].id + ":" + format_count(cc.count);
      total += cc.count;
      ++fragments;
    }
    const std::uint32_t b = result.clonotype_best.empty() ? kNone : result.clonotype_best[c];
    add(buf, rank::clonotype_id(c));
    for (const std::string_view f : {t.cdr3b, t.vb, t.jb, t.cdr3a, t.va, t.ja}) add(buf, f);
    add(buf, std::to_string(fragments));
    add(buf, format_count(total));
    add(buf, counts);
    add(buf, b == kNone ? "" : result.neoantigens[result.evidence[b].neoantigen].id);
    add(buf, b == kNone ? "0" : format_score(result.evidence[b].score));
    buf += '\n';
    if (buf.size() > kFlushBytes) {
      out.write(buf);
      buf.clear();
    }
  }
  out.write(buf);
}

void write_affinity(AtomicFile& out, const ClonotypeTable& table, const rank::RunResult& result) {
  out.write(
      "neoantigen_id\tclonotype_id\tcdr3_beta\tv_beta\tscore\troute\tvia_clonotype\tneighbor_distance\t"
      "reference_id\treference_set\treference_source\treference_cdr3_beta\treference_epitope\treference_mhc\t"
      "mt_epitope\tepitope_similarity\thla\thla_factor\tpresentation\ttcrdist\ttcrmatch\treference_neighbors\tdensity\t"
      "class_balance\tchance_hit\n");
  std::string buf;
  for (const rank::Evidence& e : result.evidence) {
    const TcrView t = table.clonotypes[e.clonotype].tcr;
    add(buf, result.neoantigens[e.neoantigen].id);
    add(buf, rank::clonotype_id(e.clonotype));
    add(buf, t.cdr3b);
    add(buf, t.vb);
    add(buf, format_score(e.score));
    add(buf, e.route == rank::Route::kReference ? "reference" : "neighbor");
    add(buf, e.via_clonotype == kNone ? "" : rank::clonotype_id(e.via_clonotype));
    add(buf, e.route == rank::Route::kNeighbor ? int_or_na(e.neighbor_distance) : "");
    add(buf, e.reference_id);
    add(buf, e.validated ? "validated" : "public");
    add(buf, e.reference_source);
    add(buf, e.reference_cdr3b);
    add(buf, e.reference_epitope);
    add(buf, e.reference_mhc);
    add(buf, e.mt_epitope);
    add(buf, format_score(e.epitope_similarity));
    add(buf, e.hla);
    add(buf, format_score(e.hla_factor));
    add(buf, format_score(e.presentation));
    add(buf, int_or_na(e.tcrdist));
    add(buf, e.tcrmatch < 0 ? "NA" : text::format_fixed(e.tcrmatch, 6));
    add(buf, std::to_string(e.reference_neighbors));
    add(buf, format_score(e.density));
    add(buf, format_score(e.class_balance));
    // Whether the per-culture test counts this clonotype through this neoantigen (a route of its own
    // within its reference's chance radius); NA without the chance model.
    add(buf, !result.chance_tested ? "NA" : e.chance_hit ? "yes" : "no");
    buf += '\n';
    if (buf.size() > kFlushBytes) {
      out.write(buf);
      buf.clear();
    }
  }
  out.write(buf);
}

namespace {

std::string id_list(const std::vector<std::uint32_t>& v, const std::vector<rank::Neoantigen>& neoantigens,
                    const char* sep = ",") {
  std::string s;
  for (std::uint32_t n : v) {
    if (!s.empty()) s += sep;
    s += neoantigens[n].id;
  }
  return s.empty() ? "NA" : s;
}

/// The public-evidence columns of one culture: kFragmentColumns from `score` on, after `public_rank`
/// when `with_rank`.
void add_public(std::string& buf, const rank::FragmentScore& s, const FragmentSummary& f,
                const rank::RunResult& result, bool with_rank) {
  if (with_rank) add(buf, std::to_string(s.rank));
  add(buf, format_score(s.score));
  add(buf, format_score(s.evidenced_frequency));
  add(buf, std::to_string(s.neoantigens));
  add(buf, std::to_string(s.evidenced_clonotypes));
  add(buf, s.confidence);
  const rank::Evidence* best = s.best_evidence == kNone ? nullptr : &result.evidence[s.best_evidence];
  add(buf, best ? result.neoantigens[best->neoantigen].id : "");
  add(buf, best ? rank::clonotype_id(best->clonotype) : "");
  add(buf, best ? best->reference_id : "");
  add(buf, best ? format_score(best->score) : "0");
  std::string ids;
  for (const auto& [n, v] : s.by_neoantigen) ids += (ids.empty() ? "" : ",") + result.neoantigens[n].id;
  add(buf, ids);
  add(buf, std::to_string(f.clonotypes));
  add(buf, format_count(f.total_count));
}

void add_screen(std::string& buf, const rank::ScreenRank& r, const rank::ScreenOutcome& s,
                const std::vector<rank::Neoantigen>& neoantigens) {
  const rank::MeasuredReactivity& m = s.measured[r.fragment];
  const rank::TrackedReactivity& t = s.tracked[r.fragment];
  add(buf, r.tier);
  add(buf, r.confidence);
  add(buf, r.reason);
  add(buf, r.reactive_neoantigens > 0 ? "reactive"
           : m.control_failed       ? "control_failed"
           : m.screened             ? "not_reactive"
                                    : "not_screened");
  add(buf, std::to_string(r.reactive_neoantigens));
  add(buf, id_list(m.reactive, neoantigens));
  std::string groups;
  for (const auto& g : m.ambiguous) {
    if (!groups.empty()) groups += ';';
    groups += id_list(g, neoantigens, "|");
  }
  add(buf, groups.empty() ? "NA" : groups);
  add(buf, format_score(t.frequency));
  add(buf, format_score(t.cd4_frequency));
  add(buf, format_score(t.cd8_frequency));
  add(buf, format_score(t.neighbor_frequency));
  add(buf, format_score(t.contradicted_frequency));
  add(buf, id_list(t.neoantigens, neoantigens));
}

}  // namespace

void write_fragments(AtomicFile& out, const ClonotypeTable& table, const rank::RunResult& result,
                     const rank::ScreenOutcome* screen) {
  std::set<std::string> meta_keys;
  for (const auto& f : table.fragments)
    for (const auto& kv : f.metadata) meta_keys.insert(kv.first);
  std::string buf;
  if (screen) {
    add(buf, kFragmentColumns[0]);
    add(buf, kFragmentColumns[1]);
    for (std::size_t i = 0; i + 1 < kScreenColumns.size(); ++i) add(buf, kScreenColumns[i]);
    for (std::size_t i = 2; i < kFragmentColumns.size(); ++i)
      add(buf, kFragmentColumns[i] == "confidence" ? kScreenColumns.back() : kFragmentColumns[i]);
  } else {
    for (std::string_view c : kFragmentColumns) add(buf, c);
  }
  if (result.chance_tested)
    for (std::string_view c : kChanceColumns) add(buf, c);
  for (const std::string& k : meta_keys) add(buf, k);
  buf += '\n';
  std::vector<const rank::FragmentScore*> by_fragment(table.fragments.size(), nullptr);
  for (const rank::FragmentScore& s : result.ranking) by_fragment[s.fragment] = &s;
  const std::size_t rows = screen ? screen->ranking.size() : result.ranking.size();
  for (std::size_t i = 0; i < rows; ++i) {
    const std::uint32_t frag = screen ? screen->ranking[i].fragment : result.ranking[i].fragment;
    const FragmentSummary& f = table.fragments[frag];
    add(buf, std::to_string(screen ? screen->ranking[i].rank : result.ranking[i].rank));
    add(buf, f.id);
    if (screen) add_screen(buf, screen->ranking[i], *screen, result.neoantigens);
    add_public(buf, *by_fragment[frag], f, result, screen != nullptr);
    if (result.chance_tested) {
      const rank::FragmentScore& s = *by_fragment[frag];
      add(buf, int_or_na(s.chance_observed));
      add(buf, format_score(s.chance_expected));
      add(buf, format_score(s.chance_frequency));
      add(buf, format_score(s.chance_expected_frequency));
      add(buf, format_score(s.chance_p));
      add(buf, format_score(s.chance_q));
    }
    for (const std::string& k : meta_keys) {
      auto it = f.metadata.find(k);
      add(buf, it == f.metadata.end() ? "" : it->second);
    }
    buf += '\n';
  }
  out.write(buf);
}

void write_design_tsv(AtomicFile& out, const rank::RunResult& result) {
  write_design_tsv(out, result.design, result.neoantigens);
}

void write_design_tsv(AtomicFile& out, const std::vector<rank::DesignSlot>& design,
                      const std::vector<rank::Neoantigen>& neoantigens) {
  std::string buf = "construct\tkind\tslot\tneoantigen_id\tgene\tchange\tsequence\tpriority\tweight\treason\n";
  for (const rank::DesignSlot& d : design) {
    const rank::Neoantigen& n = neoantigens[d.neoantigen];
    add(buf, d.construct);
    add(buf, d.kind);
    add(buf, std::to_string(d.slot));
    add(buf, n.id);
    add(buf, n.gene);
    add(buf, n.change);
    add(buf, d.sequence);
    add(buf, format_score(d.priority));
    add(buf, format_score(n.weight));
    add(buf, d.reason);
    buf += '\n';
  }
  out.write(buf);
}

void write_design_fasta(AtomicFile& out, const rank::RunResult& result) {
  std::string buf;
  for (std::size_t i = 0; i < result.design.size();) {
    const rank::DesignSlot& d = result.design[i];
    if (d.kind == "tandem_minigene") {
      std::string seq, members;
      std::size_t j = i;
      for (; j < result.design.size() && result.design[j].construct == d.construct; ++j) {
        seq += result.design[j].sequence;
        members += (members.empty() ? "" : ",") + result.neoantigens[result.design[j].neoantigen].id;
      }
      buf += fasta_record(d.construct + " minigenes=" + std::to_string(j - i) + " " + members, seq);
      i = j;
    } else {
      buf += fasta_record(d.construct + "." + std::to_string(d.slot) + " " + result.neoantigens[d.neoantigen].id,
                          d.sequence);
      ++i;
    }
  }
  out.write(buf);
}

}  // namespace tilmatch::pipeline
