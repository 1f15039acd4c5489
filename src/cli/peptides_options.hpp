#pragma once
/// The variant and peptide options shared by `tilmatch peptides` and `tilmatch run`.

#include <string>

#include "pipeline/peptides_stage.hpp"

namespace CLI {
class App;
}

namespace tilmatch::cli {

struct PeptidesOptions {
  pipeline::PeptidesConfig config;
  std::string normal_sample;
  std::string class1 = "8,9,10,11";
  std::string class2 = "12-18";
  std::string biotypes = "protein_coding";
  std::string downstream = "1000";
  int flank = -1;
};

/// Adds --vcf, --sample, --normal-sample, lengths, --minigene-length, --flank, --downstream-limit,
/// --pass-only, --biotypes, --allow-incomplete-transcripts and the VAF/depth/expression filters.
void add_peptides_options(CLI::App& sub, PeptidesOptions& o);

/// The output folder options that `peptides` and `run` share: `-o,--out DIR` (required) and `--force`
/// (docs/reliability.md: which folders a run may replace).
void add_output_folder_options(CLI::App& sub, std::string& out_dir, bool& force);

/// Parses the text options into o.config (UsageError naming the option).
void finish_peptides_options(PeptidesOptions& o);

}  // namespace tilmatch::cli
