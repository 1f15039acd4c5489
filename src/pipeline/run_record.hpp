#pragma once
/// What `tilmatch run` says of itself: report.html and run.json (docs/formats.md), from what
/// run_tilmatch (pipeline/run_stage.cpp) gathered along its stages.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "pipeline/evidence_stage.hpp"
#include "pipeline/peptide_writers.hpp"
#include "pipeline/run_setup.hpp"
#include "pipeline/run_stage.hpp"
#include "rank/hla_evidence.hpp"
#include "rank/model.hpp"
#include "rank/screen_result.hpp"
#include "tilmatch/clonotypes.hpp"

namespace tilmatch::pipeline {

/// A run's configuration, inputs and results as its report and run.json describe them. Every
/// member is referenced, not owned, except `sample`, `records` and `inputs`.
struct RunRecord {
  const RunConfig& config;
  const RunStamp& stamp;
  const RunSummary& summary;  ///< its stages as timed when a writer below is called
  std::string sample;         ///< the VCF's tumour sample
  std::int64_t records = 0;   ///< VCF records read
  std::vector<RunInputs::Checked> inputs;
  const rank::RunResult& result;
  const ClonotypeTable& table;
  const ReferenceSet& refs;
  const EvidenceCounts& counts;
  const std::map<std::string, std::int64_t>& skipped_records;         ///< VCF records and transcripts, by reason
  const std::map<std::string, std::int64_t>& skipped_reference_rows;  ///< by reason
  const std::vector<rank::ReferenceMhcConflict>& mhc_conflicts;
  const VGeneUse& vgenes;
  const BackgroundUse& background;
  const rank::ScreenOutcome* screen = nullptr;  ///< null: the run had no screen
};

/// report.html (report::render_html) with the run's parameters, inputs and stage timings.
std::string render_run_report(const RunRecord& record);

/// run.json: command, stamp, backend, inputs with their MD5s, typed parameters, counts, MHC
/// conflicts, background, V genes, notes, the screen's parameters and counts, and stage timings.
std::string run_json_text(const RunRecord& record);

}  // namespace tilmatch::pipeline
