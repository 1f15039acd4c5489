#include "pipeline/run_writers.hpp"

#include <algorithm>
#include <array>
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

/// Prefix given to a metadata column named like an output column.
constexpr std::string_view kMetadataPrefix = "meta_";

bool is_fragment_column(std::string_view name) {
  return std::find(kFragmentColumns.begin(), kFragmentColumns.end(), name) != kFragmentColumns.end();
}

void add(std::string& row, std::string_view field) { text::append_tsv_field(row, field); }

std::string int_or_na(long long v) { return v < 0 ? "NA" : std::to_string(v); }

}  // namespace

std::string format_score(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::vector<std::string> rename_clashing_metadata(io::ClonotypeTable& table) {
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

void write_clonotypes(AtomicFile& out, const io::ClonotypeTable& table, const rank::RunResult& result) {
  out.write(
      "clonotype_id\tcdr3_beta\tv_beta\tj_beta\tcdr3_alpha\tv_alpha\tj_alpha\tfragments\ttotal_count\t"
      "fragment_counts\tbest_neoantigen\tbest_score\n");
  std::string buf;
  std::size_t k = 0;
  for (std::uint32_t c = 0; c < table.clonotypes.size(); ++c) {
    const Tcr& t = table.clonotypes[c].tcr;
    std::string counts;
    double total = 0;
    int fragments = 0;
    for (; k < table.counts.size() && table.counts[k].clonotype == c; ++k) {
      const io::ClonotypeCount& cc = table.counts[k];
      if (!counts.empty()) counts += ';';
      counts += table.fragments[cc.fragment].id + ":" + text::format_double(cc.count);
      total += cc.count;
      ++fragments;
    }
    const std::uint32_t b = result.clonotype_best.empty() ? kNone : result.clonotype_best[c];
    add(buf, rank::clonotype_id(c));
    for (const std::string* f : {&t.cdr3b, &t.vb, &t.jb, &t.cdr3a, &t.va, &t.ja}) add(buf, *f);
    add(buf, std::to_string(fragments));
    add(buf, text::format_double(total));
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

void write_affinity(AtomicFile& out, const io::ClonotypeTable& table, const rank::RunResult& result) {
  out.write(
      "neoantigen_id\tclonotype_id\tcdr3_beta\tv_beta\tscore\troute\tvia_clonotype\tneighbor_distance\t"
      "reference_id\treference_set\treference_source\treference_cdr3_beta\treference_epitope\treference_mhc\t"
      "mt_epitope\tepitope_similarity\thla\tpresentation\ttcrdist\ttcrmatch\treference_neighbors\tdensity\n");
  std::string buf;
  for (const rank::Evidence& e : result.evidence) {
    const Tcr& t = table.clonotypes[e.clonotype].tcr;
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
    add(buf, format_score(e.presentation));
    add(buf, int_or_na(e.tcrdist));
    add(buf, e.tcrmatch < 0 ? "NA" : text::format_fixed(e.tcrmatch, 6));
    add(buf, std::to_string(e.reference_neighbors));
    add(buf, format_score(e.density));
    buf += '\n';
    if (buf.size() > kFlushBytes) {
      out.write(buf);
      buf.clear();
    }
  }
  out.write(buf);
}

void write_fragments(AtomicFile& out, const io::ClonotypeTable& table, const rank::RunResult& result) {
  std::set<std::string> meta_keys;
  for (const auto& f : table.fragments)
    for (const auto& kv : f.metadata) meta_keys.insert(kv.first);
  std::string buf;
  for (std::string_view c : kFragmentColumns) add(buf, c);
  for (const std::string& k : meta_keys) add(buf, k);
  buf += '\n';
  for (const rank::FragmentScore& s : result.ranking) {
    const io::FragmentSummary& f = table.fragments[s.fragment];
    add(buf, std::to_string(s.rank));
    add(buf, f.id);
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
    add(buf, text::format_double(f.total_count));
    for (const std::string& k : meta_keys) {
      auto it = f.metadata.find(k);
      add(buf, it == f.metadata.end() ? "" : it->second);
    }
    buf += '\n';
  }
  out.write(buf);
}

void write_design_tsv(AtomicFile& out, const rank::RunResult& result) {
  std::string buf = "construct\tkind\tslot\tneoantigen_id\tgene\tchange\tsequence\tpriority\tweight\treason\n";
  for (const rank::DesignSlot& d : result.design) {
    const rank::Neoantigen& n = result.neoantigens[d.neoantigen];
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
