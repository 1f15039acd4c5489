#pragma once
/// `tilmatch run`: VCF -> candidates -> neoantigens; TIL cultures -> clonotypes; references ->
/// evidence; ranking of cultures, screening design, TSV/FASTA outputs, run.json and report.html.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "chance/significance.hpp"
#include "pipeline/evidence_stage.hpp"
#include "pipeline/peptides_stage.hpp"
#include "pipeline/screen_stage.hpp"
#include "rank/params.hpp"
#include "scoring/backend.hpp"

namespace tilmatch::pipeline {

struct RunConfig {
  PeptidesConfig peptides;               ///< VCF, lengths, filters; peptides.out_dir is the run's --out
  std::string fragments;                 ///< manifest TSV
  std::vector<std::string> references;   ///< public reference DBs
  std::vector<std::string> validated;    ///< lab-validated reactive TCRs (same formats)
  std::string reference_format = "auto";
  std::string hla;                       ///< --hla: allele list or file; empty = not checked
  std::string presentation;              ///< --presentation table; empty = none
  std::string v_gene_table;              ///< V-gene table in tcrdist3's layout; empty = the built-in one
  bool v_genes = true;                   ///< TCRdist with V loops when both sides carry V genes (--no-v-genes: false)
  /// Background repertoire of the chance model (any repertoire layout); empty = the built-in one
  /// (io::builtin_background_file()).
  std::string background;
  /// The chance model (--no-background: false). On by default with --transfer-metric tcrdist; the
  /// built-in background is not used with tcrmatch, whose scores it does not model.
  bool chance_model = true;
  chance::ChanceParams chance;           ///< the chance model's parameters (with a background)
  /// False discovery rate of the per-culture test (--chance-fdr): cultures with BH q below it stand
  /// out from chance; the others are called none.
  double chance_fdr = chance::kChanceFdr;
  rank::ModelParams params;
  ScreenConfig screen;                   ///< the screen's results (second round); disabled by default
  EvidenceConfig::Metric metric = EvidenceConfig::Metric::kTcrdist;
  scoring::BackendKind backend = scoring::BackendKind::kAuto;
  unsigned threads = 0;
  std::size_t memory_bytes = std::size_t{1} << 30;
  std::string command_line;
};

struct StageTiming {
  std::string name;
  double seconds = 0;
  double peak_rss_mb = 0;  ///< process peak resident set size at the end of the stage
};

struct RunSummary {
  std::int64_t candidates = 0;
  std::int64_t neoantigens = 0;
  std::int64_t clonotypes = 0;
  std::int64_t evidence = 0;
  std::vector<StageTiming> stages;
  std::string backend;
};

/// Validates `config` (UsageError), runs every stage and writes all outputs atomically into
/// config.peptides.out_dir: nothing appears there unless the whole run succeeds.
RunSummary run_tilmatch(const RunConfig& config);

}  // namespace tilmatch::pipeline
