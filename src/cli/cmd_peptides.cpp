// tilmatch peptides: variants -> neoantigen candidates, windows, epitopes and minigenes.

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::cli {
namespace {

Runner setup_peptides(CLI::App& sub) {
  auto path = std::make_shared<std::string>();
  sub.add_option("--vcf", *path, "VEP-annotated VCF, VCF.gz or BCF")->required();
  return [path]() -> int { throw UsageError("peptides: not implemented yet"); };
}

}  // namespace

CommandSpec peptides_command() {
  return {"peptides", "Build neoantigen candidates, peptide windows, epitopes and minigenes from a VCF",
          &setup_peptides};
}

}  // namespace tilmatch::cli
