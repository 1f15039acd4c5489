// tilmatch peptides: variants -> neoantigen candidates, windows, epitopes and minigenes.

#include <CLI/CLI.hpp>

#include <memory>

#include "cli/command.hpp"
#include "cli/help.hpp"
#include "cli/peptides_options.hpp"
#include "pipeline/peptides_stage.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch::cli {
namespace {

struct PeptidesArgs {
  PeptidesOptions options;
  std::string out_dir;
  bool force = false;
};

Runner setup_peptides(CLI::App& sub) {
  auto a = std::make_shared<PeptidesArgs>();
  add_peptides_options(sub, a->options);
  add_output_folder_options(sub, a->out_dir, a->force);
  sub.footer(
      "Example (the bundled patient):\n"
      "  tilmatch peptides --vcf data/example/patient.vcf --sample EXAMPLE_TUMOR --normal-sample EXAMPLE_NORMAL \\\n"
      "    --out peptides-out\n"
      "\n"
      "Outputs in --out: candidates.tsv, windows.fasta, epitopes.tsv, minigenes.tsv, minigenes.fasta, run.json.\n"
      "Filters are off by default; a value missing from the VCF never fails a filter.");

  return [a](const std::string& command_line) -> int {
    finish_peptides_options(a->options);
    pipeline::PeptidesConfig& cfg = a->options.config;
    cfg.command_line = command_line;
    cfg.out_dir = a->out_dir;
    cfg.force = a->force;
    pipeline::run_peptides(cfg);
    log::stage("done; outputs in " + a->out_dir);
    return kExitOk;
  };
}

}  // namespace

CommandSpec peptides_command() {
  return {"peptides", "Build neoantigen candidates, peptide windows, epitopes and minigenes from a VCF",
          &setup_peptides};
}

}  // namespace tilmatch::cli
