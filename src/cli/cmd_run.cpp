// tilmatch run: rank a patient's TIL cultures by evidence of neoantigen reactivity.

#include <CLI/CLI.hpp>

#include <memory>

#include "cli/byte_size.hpp"
#include "cli/command.hpp"
#include "cli/help.hpp"
#include "cli/peptides_options.hpp"
#include "cli/screen_options.hpp"
#include "cli/search_support.hpp"
#include "pipeline/run_stage.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch::cli {
namespace {

struct RunArgs {
  PeptidesOptions peptides;
  ScreenArgs screen;
  pipeline::RunConfig config;
  std::string metric = "tcrdist", backend = "auto", memory = kDefaultMemory, out_dir;
  bool no_neighbors = false;
  bool force = false;
};

/// The patient's inputs besides the VCF: cultures, HLA, presentation.
void add_patient_options(CLI::App& sub, pipeline::RunConfig& c) {
  sub.add_option("--fragments", c.fragments, "Fragment manifest TSV (fragment_id, path[, format, metadata...])")
      ->required()
      ->check(CLI::ExistingFile)
      ->group(kGroupInputs);
  sub.add_option("--hla", c.hla, "Patient HLA alleles: comma list (A*02:01,B*07:02,...) or a file")
      ->group(kGroupInputs);
  sub.add_option("--presentation", c.presentation,
                 "MHC presentation predictions (NetMHCpan, MHCflurry, pVACseq or tilmatch TSV)")
      ->check(CLI::ExistingFile)
      ->group(kGroupInputs);
}

/// Reference TCRs, their V loops and the chance model's background.
void add_reference_options(CLI::App& sub, pipeline::RunConfig& c) {
  sub.add_option("--reference", c.references, "Public reference TCR database with epitopes (repeatable; "
                 "tilmatch, VDJdb or IEDB TSV)")
      ->check(CLI::ExistingFile)
      ->group(kGroupReferences);
  sub.add_option("--validated", c.validated, "Lab-validated neoantigen-reactive TCRs (same formats; repeatable)")
      ->check(CLI::ExistingFile)
      ->group(kGroupReferences);
  sub.add_option("--reference-format", c.reference_format, "Reference format (auto, tilmatch, vdjdb, iedb)")
      ->capture_default_str()
      ->group(kGroupReferences);
  auto* vtable = sub.add_option("--v-gene-table", c.v_gene_table,
                                "V-gene loop table in tcrdist3's layout, instead of the built-in IMGT one")
                     ->check(CLI::ExistingFile)
                     ->group(kGroupReferences);
  sub.add_flag("--no-v-genes{false}", c.v_genes,
               "TCRdist on CDR3 alone (default: CDR1/CDR2/CDR2.5 too when clonotypes and references carry V genes)")
      ->excludes(vtable)
      ->group(kGroupModel);
  auto* background = sub.add_option("--background", c.background,
                                    "Background repertoire of unrelated clonotypes for the chance model, instead of "
                                    "the built-in one (10^6 OLGA TRB draws, data/background/olga_trb_1m.txt.gz); "
                                    "any repertoire layout or a V-grouped CDR3 list (docs/formats.md)")
                         ->check(CLI::ExistingFile)
                         ->group(kGroupReferences);
  sub.add_flag("--no-background{false}", c.chance_model,
               "No chance model: unweighted hits, no per-culture significance (default: surprise-weighted hits, "
               "cultures tested against chance and significant ones ranked first; docs/scoring.md)")
      ->excludes(background)
      ->group(kGroupModel);
}

/// The chance model's radii and target.
void add_chance_options(CLI::App& sub, pipeline::RunConfig& c) {
  sub.add_option("--chance-max-radius", c.chance.max_radius,
                 "Chance model: radius hits are scored within, and the largest per-reference radius (24: two "
                 "conservative CDR3 substitutions)")
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--chance-repertoire-size", c.chance.repertoire_size,
                 "Chance model: clonotypes N of the repertoire the per-reference radii are set for (surprise "
                 "weights use the patient's distinct clonotypes)")
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--chance-target", c.chance.target_neighbours,
                 "Chance model: expected chance neighbours N p_r(d) allowed within a radius")
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--chance-profile-strength", c.chance.profile_strength,
                 "Chance model: weight, in background neighbours, of the references' pooled distance profile in "
                 "each reference's own when a hit's chance rate is estimated (0: each distance on its own counts)")
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--chance-fdr", c.chance_fdr,
                 "Chance model: Benjamini-Hochberg FDR across cultures; a culture with q below it stands out "
                 "from chance and ranks first, the others are called none")
      ->capture_default_str()
      ->group(kGroupModel);
}

/// How reference evidence transfers to clonotypes (docs/scoring.md).
void add_transfer_options(CLI::App& sub, RunArgs& a) {
  rank::ModelParams& p = a.config.params;
  sub.add_option("--transfer-metric", a.metric, "tcrdist or tcrmatch")
      ->check(CLI::IsMember({"tcrdist", "tcrmatch"}))
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--radius", p.radius, "TCRdist radius around reference TCRs (12: one CDR3 substitution)")
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--min-tcrmatch", p.min_tcrmatch, "TCRMatch threshold with --transfer-metric tcrmatch")
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--max-epitope-mismatches", p.max_epitope_mismatches,
                 "Substitutions allowed between a reference epitope and an MT epitope of equal length (0 or 1)")
      ->check(CLI::Range(0, 1))
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--min-epitope-similarity", p.min_epitope_similarity,
                 "Peptide kernel similarity a substituted epitope must reach, in (0, 1]")
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--public-weight", p.public_weight, "Weight of public reference TCRs, in [0, 1] (validated: 1)")
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--hla-mismatch-factor", p.hla_mismatch_factor,
                 "Factor on a reference TCR whose MHC the patient lacks, in [0, 1] (0 drops it; docs/scoring.md)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--reference-neighbors", p.reference_neighbors,
                 "Scale the evidence of a reference TCR with n > K clonotypes within its radius by K/n (0 = off)")
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--neighbor-radius", p.neighbor_radius, "TCRdist radius of neighbourhood support")
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("--neighbor-share", p.neighbor_share, "Share of evidence a neighbour inherits, in [0, 1]")
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_flag("--no-neighbors", a.no_neighbors, "No neighbourhood support")->group(kGroupModel);
}

/// The screening design and the compute resources.
void add_design_and_compute_options(CLI::App& sub, RunArgs& a) {
  pipeline::RunConfig& c = a.config;
  rank::ModelParams& p = c.params;
  sub.add_option("--design-top", p.design_top_cultures, "Cultures whose evidence orders the screening design")
      ->capture_default_str()
      ->group(kGroupDesign);
  sub.add_option("--tmg-size", p.tmg_size, "25-mers per tandem-minigene construct (12-24)")
      ->capture_default_str()
      ->group(kGroupDesign);
  sub.add_option("--pool-size", p.pool_size, "Peptides per pool")->capture_default_str()->group(kGroupDesign);
  sub.add_option("--backend", a.backend, "auto, cpu or cuda")->capture_default_str()->group(kGroupCompute);
  sub.add_option("--threads", c.threads, "CPU threads (0 = all)")->capture_default_str()->group(kGroupCompute);
  sub.add_option("--memory", a.memory, kMemoryHelp)->capture_default_str()->type_name("SIZE")->group(kGroupCompute);
}

Runner setup_run(CLI::App& sub) {
  auto a = std::make_shared<RunArgs>();
  add_peptides_options(sub, a->peptides);
  add_patient_options(sub, a->config);
  add_reference_options(sub, a->config);
  add_chance_options(sub, a->config);
  add_transfer_options(sub, *a);
  add_design_and_compute_options(sub, *a);
  add_screen_options(sub, a->screen);
  add_output_folder_options(sub, a->out_dir, a->force);
  sub.footer(
      "Example (the bundled patient; scripts/run-example runs it):\n"
      "  tilmatch run --vcf data/example/patient.vcf --sample EXAMPLE_TUMOR --normal-sample EXAMPLE_NORMAL \\\n"
      "    --fragments data/example/fragments.tsv --reference data/example/reference.tsv \\\n"
      "    --validated data/example/validated.tsv --hla 'A*02:01,A*24:02,B*07:02,B*44:02,C*05:01,C*07:02' \\\n"
      "    --out example-out\n"
      "\n"
      "Outputs in --out: fragments.tsv (the ranking), affinity.tsv, clonotypes.tsv, candidates.tsv, epitopes.tsv,\n"
      "minigenes.fasta, tmg_design.tsv, tmg_design.fasta, report.html, run.json, run.log; with the screen's results\n"
      "(--screen, --reactive-repertoires) also screen_calls.tsv, reactivity.tsv, reactive_clonotypes.tsv,\n"
      "tracked.tsv, product.tsv, next_round.tsv, next_round_design.tsv. docs/scoring.md and docs/screening.md\n"
      "explain every score.");

  return [a](const std::string& command_line) -> int {
    pipeline::RunConfig& cfg = a->config;
    finish_peptides_options(a->peptides);
    cfg.peptides = a->peptides.config;
    cfg.peptides.out_dir = a->out_dir;
    cfg.peptides.force = a->force;
    cfg.peptides.command_line = command_line;
    cfg.command_line = command_line;
    cfg.metric = a->metric == "tcrmatch" ? pipeline::EvidenceConfig::Metric::kTcrmatch
                                         : pipeline::EvidenceConfig::Metric::kTcrdist;
    cfg.params.neighbors = !a->no_neighbors;
    cfg.backend = scoring::parse_backend_kind(a->backend);
    cfg.memory_bytes = parse_memory(a->memory, "--memory");
    finish_screen_options(a->screen);
    cfg.screen = a->screen.config;
    const pipeline::RunSummary s = pipeline::run_tilmatch(cfg);
    log::stage("done: " + log::format_count(s.neoantigens) + " neoantigens, " + log::format_count(s.clonotypes) +
               " clonotypes, " + log::format_count(s.evidence) + " evidence entries; outputs in " + a->out_dir);
    return kExitOk;
  };
}

}  // namespace

CommandSpec run_command() {
  return {"run", "Rank a patient's TIL cultures by evidence of neoantigen reactivity (the main job)", &setup_run};
}

}  // namespace tilmatch::cli
