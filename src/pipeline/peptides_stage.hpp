#pragma once
/// The `peptides` stage: annotated VCF -> candidates, windows, epitopes, minigenes, run.json.
/// Streams record by record: memory does not grow with the number of records.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "io/vcf_reader.hpp"
#include "pipeline/candidate_filter.hpp"

namespace tilmatch::pipeline {

struct PeptidesConfig {
  io::VcfOptions vcf;
  std::vector<int> class1_lengths{8, 9, 10, 11};
  std::vector<int> class2_lengths{12, 13, 14, 15, 16, 17, 18};
  int minigene_length = 25;
  /// Flank of windows.fasta; default: longest class I length - 1 (pVACseq's convention).
  std::optional<int> flank;
  /// Frameshift MT windows stop this many residues after the mutation (pVACseq -d; default 1000).
  /// nullopt: to the end of the frameshift protein ("full").
  std::optional<int> downstream_limit = 1000;
  CandidateFilter filter;
  std::filesystem::path out_dir;
  /// --force: out_dir may hold another run's result (replaced) or files tilmatch did not write (kept).
  bool force = false;
  /// MD5 of the input VCF in run.json (read on a second thread; on uncompressed BCF it is the slowest
  /// part of the run). false: "md5": null.
  bool input_checksum = true;
  /// The command line as given, recorded in run.json.
  std::string command_line;
};

struct PeptidesSummary {
  std::int64_t records = 0;
  std::int64_t candidates = 0;
  std::int64_t window_pairs = 0;
  std::int64_t epitopes = 0;
  std::int64_t minigenes = 0;
  std::map<std::string, std::int64_t> candidates_by_type;
  std::map<std::string, std::int64_t> skipped_by_reason;
};

/// Validates `config` (throws UsageError), runs the stage and writes every output atomically into
/// config.out_dir: nothing appears there unless the whole run succeeds.
PeptidesSummary run_peptides(const PeptidesConfig& config);

/// Checks lengths and ranges; throws UsageError with the option name.
void validate(const PeptidesConfig& config);

}  // namespace tilmatch::pipeline
