#pragma once
/// Parts of `tilmatch run`'s outputs composed from the evidence stage's records: the candidate tables
/// with their neoantigen columns, and run.json's evidence counts and MHC conflicts
/// (docs/formats.md).

#include <functional>
#include <string>
#include <vector>

#include "pipeline/candidate_builder.hpp"
#include "pipeline/evidence_stage.hpp"
#include "rank/hla_evidence.hpp"
#include "rank/model.hpp"
#include "tilmatch/atomic_file.hpp"
#include "tilmatch/json_writer.hpp"
#include "tilmatch/tcr.hpp"

namespace tilmatch::pipeline {

/// candidates.tsv, epitopes.tsv and minigenes.fasta as `tilmatch peptides` writes them, with each
/// candidate's neoantigen_id, clonality, expression_factor and weight, and each epitope's
/// neoantigen_id and presentation factor (`NA` without `presentation`).
void write_run_peptide_tables(AtomicFile& candidates_out, AtomicFile& epitopes_out, AtomicFile& minigenes_out,
                              const std::vector<Candidate>& candidates, const std::vector<rank::Neoantigen>& neoantigens,
                              const std::function<double(const std::string& epitope)>& presentation);

/// run.json's counts from the evidence stage (reference epitopes to neighbour evidence; the chance
/// model's when `with_background`), as keys of the open counts object.
void write_evidence_counts(JsonWriter& j, const EvidenceCounts& counts, bool with_background);

/// run.json's `reference_mhc_conflicts` array; `matched_epitopes` (sorted) marks the conflicts whose
/// epitope matched a candidate; `rows` gives the reference ids.
void write_mhc_conflicts(JsonWriter& j, const std::vector<rank::ReferenceMhcConflict>& conflicts,
                         const std::vector<std::string>& matched_epitopes, const std::vector<ReferenceTcr>& rows);

}  // namespace tilmatch::pipeline
