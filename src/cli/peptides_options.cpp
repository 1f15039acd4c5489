// Variant and peptide options shared by `peptides` and `run`.

#include "cli/peptides_options.hpp"

#include <CLI/CLI.hpp>

#include <optional>

#include "cli/common_options.hpp"
#include "cli/help.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::cli {
namespace {

void add_filter(CLI::App& sub, const char* name, std::optional<double>& target, const char* help) {
  sub.add_option_function<double>(name, [&target](const double& v) { target = v; }, help)
      ->type_name("NUM")
      ->group(kGroupFilters);
}

}  // namespace

void add_peptides_options(CLI::App& sub, PeptidesOptions& o) {
  pipeline::PeptidesConfig& c = o.config;
  sub.add_option("--vcf", c.vcf.path, "VEP-annotated VCF, VCF.gz or BCF (VEP with the Wildtype and Frameshift plugins)")
      ->required()
      ->check(CLI::ExistingFile)
      ->group(kGroupInputs);
  sub.add_option("--sample", c.vcf.sample, "Tumour sample name (optional for a single-sample VCF)")
      ->group(kGroupInputs);
  sub.add_option("--normal-sample", o.normal_sample, "Matched normal sample name in the same VCF")
      ->group(kGroupInputs);
  sub.add_option("--class1-lengths", o.class1, "MHC class I epitope lengths, e.g. 8-11 or 8,9,10")
      ->capture_default_str()
      ->group(kGroupDesign);
  sub.add_option("--class2-lengths", o.class2, "MHC class II epitope lengths ('none' for none)")
      ->capture_default_str()
      ->group(kGroupDesign);
  sub.add_option("--minigene-length", c.minigene_length, "Minigene length (odd; 12 residues each side for 25)")
      ->capture_default_str()
      ->group(kGroupDesign);
  sub.add_option("--flank", o.flank, "Flank of windows.fasta (default: longest class I length - 1, as pVACseq)")
      ->type_name("INT")
      ->group(kGroupDesign);
  sub.add_option("--downstream-limit", o.downstream,
                 "Frameshift residues kept after the mutation in MT windows, or 'full'")
      ->capture_default_str()
      ->group(kGroupDesign);
  sub.add_flag_callback(
         "--no-checksum", [&c] { c.input_checksum = false; },
         "Skip the MD5 of the input VCF in run.json (saves a full read of a large file)")
      ->group(kGroupOutput);
  sub.add_flag("--pass-only", c.vcf.pass_only, "Use only records whose FILTER is PASS or '.'")->group(kGroupFilters);
  sub.add_option("--biotypes", o.biotypes, "Transcript biotypes to keep (comma-separated)")
      ->capture_default_str()
      ->group(kGroupFilters);
  sub.add_flag("--allow-incomplete-transcripts", c.vcf.allow_incomplete_transcripts,
               "Keep transcripts flagged cds_start_NF / cds_end_NF")
      ->group(kGroupFilters);
  add_filter(sub, "--min-tdna-depth", c.filter.min_tdna_depth, "Minimum tumour DNA depth (DP)");
  add_filter(sub, "--min-tdna-vaf", c.filter.min_tdna_vaf, "Minimum tumour DNA VAF (AF, or AD/DP)");
  add_filter(sub, "--min-trna-depth", c.filter.min_trna_depth, "Minimum tumour RNA depth (RDP)");
  add_filter(sub, "--min-trna-vaf", c.filter.min_trna_vaf, "Minimum tumour RNA VAF (RAF, or RAD/RDP)");
  add_filter(sub, "--min-normal-depth", c.filter.min_normal_depth, "Minimum normal DNA depth");
  add_filter(sub, "--max-normal-vaf", c.filter.max_normal_vaf, "Maximum normal DNA VAF");
  add_filter(sub, "--min-gene-expression", c.filter.min_gene_expression, "Minimum gene expression (GX)");
  add_filter(sub, "--min-transcript-expression", c.filter.min_transcript_expression,
             "Minimum transcript expression (TX)");
}

void finish_peptides_options(PeptidesOptions& o) {
  pipeline::PeptidesConfig& cfg = o.config;
  if (!o.normal_sample.empty()) cfg.vcf.normal_sample = o.normal_sample;
  cfg.class1_lengths = parse_lengths(o.class1, "--class1-lengths");
  cfg.class2_lengths = parse_lengths(o.class2, "--class2-lengths");
  cfg.vcf.biotypes = parse_list(o.biotypes);
  if (o.flank >= 0) cfg.flank = o.flank;
  if (o.downstream == "full") {
    cfg.downstream_limit.reset();
  } else if (auto v = text::parse_int(o.downstream); v && *v > 0) {
    cfg.downstream_limit = static_cast<int>(*v);
  } else {
    throw UsageError("--downstream-limit: expected a positive number or 'full', got '" + o.downstream + "'");
  }
}

void add_output_folder_options(CLI::App& sub, std::string& out_dir, bool& force) {
  sub.add_option("-o,--out", out_dir, "Output directory (created if needed)")
      ->required()
      ->type_name("DIR")
      ->group(kGroupOutput);
  sub.add_flag("--force", force, "Write into --out even if it holds another run's result or other files")
      ->group(kGroupOutput);
}

}  // namespace tilmatch::cli
