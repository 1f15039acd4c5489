#include "pipeline/run_json.hpp"

#include <algorithm>
#include <map>

#include "pipeline/peptide_writers.hpp"
#include "pipeline/run_writers.hpp"

namespace tilmatch::pipeline {

void write_run_peptide_tables(AtomicFile& candidates_out, AtomicFile& epitopes_out, AtomicFile& minigenes_out,
                              const std::vector<Candidate>& candidates, const std::vector<rank::Neoantigen>& neoantigens,
                              const std::function<double(const std::string& epitope)>& presentation) {
  std::map<std::string, std::uint32_t> by_key;
  for (std::uint32_t n = 0; n < neoantigens.size(); ++n)
    for (const std::string& k : neoantigens[n].candidate_keys) by_key[k] = n;
  std::string h = candidates_header();
  h.pop_back();
  candidates_out.write(h + "\tneoantigen_id\tclonality\texpression_factor\tweight\n");
  h = epitopes_header();
  h.pop_back();
  epitopes_out.write(h + "\tneoantigen_id\tpresentation\n");
  std::string buf, ebuf, mbuf;
  for (const Candidate& cd : candidates) {
    const rank::Neoantigen& n = neoantigens[by_key.at(cd.variant.index)];
    std::string row = candidate_row(cd.variant, cd.build.window.pair ? &*cd.build.window.pair : nullptr,
                                    cd.build.window.pair ? "ok" : peptides::to_string(cd.build.window.skip));
    row.pop_back();
    buf += row + '\t' + n.id + '\t' + format_score(n.clonality) + '\t' + format_score(n.expressed) + '\t' +
           format_score(n.weight) + '\n';
    for (const ClassedEpitope& e : cd.build.epitopes) {
      std::string er = epitope_row(cd.variant, e.mhc_class, e.pair);
      er.pop_back();
      ebuf += er + '\t' + n.id + '\t' + (presentation ? format_score(presentation(e.pair.mt)) : "NA") +
              '\n';
    }
    for (const peptides::Minigene& m : cd.build.minigenes)
      mbuf += fasta_record(minigene_name(cd.variant, m), m.sequence);
  }
  candidates_out.write(buf);
  epitopes_out.write(ebuf);
  minigenes_out.write(mbuf);
}

void write_evidence_counts(JsonWriter& j, const EvidenceCounts& counts, bool with_background) {
  j.key("reference_epitopes").value(counts.reference_epitopes);
  j.key("candidate_epitopes").value(counts.candidate_epitopes);
  j.key("epitope_matches").value(counts.epitope_matches);
  j.key("wild_type_matches_rejected").value(counts.wild_type_matches);
  j.key("hla_mismatches").value(counts.hla_mismatches);
  j.key("hla_mismatches_dropped").value(counts.hla_dropped);
  j.key("hla_settled_by_other_annotation").value(counts.hla_other_annotation);
  j.key("hla_settled_by_presentation").value(counts.hla_presented);
  j.key("hla_settled_by_epitope_annotation").value(counts.hla_epitope_annotation);
  j.key("active_references").value(counts.active_references);
  j.key("reference_negatives").value(counts.reference_negatives);
  j.key("negative_epitopes").value(counts.negative_epitopes);
  j.key("class_balanced_evidence").value(counts.class_balanced);
  j.key("class_balance_dropped").value(counts.class_balance_dropped);
  j.key("transfer_hits").value(counts.transfer_hits);
  j.key("direct_evidence").value(counts.direct_evidence);
  j.key("neighbor_evidence").value(counts.neighbor_evidence);
  if (with_background) {
    j.key("background_rows").value(counts.background_rows);
    j.key("background_rows_without_v_gene").value(counts.background_without_v);
    j.key("background_rows_in_reach").value(counts.background_in_reach);
    j.key("chance_radius_min").value(static_cast<std::int64_t>(counts.min_chance_radius));
    j.key("chance_radius_max").value(static_cast<std::int64_t>(counts.max_chance_radius));
    j.key("chance_any_hit").value(counts.chance_any);
    j.key("surprise_clonotypes").value(counts.surprise_clonotypes);
    j.key("surprise_ceiling").value(counts.surprise_ceiling);
  }
}

void write_mhc_conflicts(JsonWriter& j, const std::vector<rank::ReferenceMhcConflict>& conflicts,
                         const std::vector<std::string>& matched_epitopes, const std::vector<ReferenceTcr>& rows) {
  j.key("reference_mhc_conflicts").begin_array();
  for (const rank::ReferenceMhcConflict& m : conflicts) {
    j.begin_object();
    j.key("cdr3").value(m.cdr3b);
    j.key("v").value(m.vb);
    j.key("cdr3_alpha").value(m.cdr3a);
    j.key("epitope").value(m.epitope);
    j.key("candidate_epitope").value(std::binary_search(matched_epitopes.begin(),
                                                        matched_epitopes.end(), m.epitope));
    j.key("mhcs").begin_array();
    for (const std::string& x : m.mhcs) j.value(x);
    j.end_array();
    j.key("sources").begin_array();
    for (const std::string& x : m.sources) j.value(x);
    j.end_array();
    j.key("reference_ids").begin_array();
    for (std::uint32_t r : m.rows) j.value(rows[r].id);
    j.end_array();
    j.end_object();
  }
  j.end_array();
}

}  // namespace tilmatch::pipeline
