#include "cli/screen_options.hpp"

#include "cli/help.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::cli {

void add_screen_options(CLI::App& sub, ScreenArgs& a) {
  pipeline::ScreenConfig& c = a.config;
  const std::string g = kGroupScreen;
  sub.add_option("--screen", c.readouts,
                 "Screen readouts TSV (fragment_id, construct, assay, replicate, value[, cells_per_well, plate, well]); "
                 "repeatable: each round's readouts, read as one screen")
      ->check(CLI::ExistingFile)
      ->group(g);
  sub.add_option("--design", c.designs,
                 "Design the readouts refer to: the first run's tmg_design.tsv, and extra designs such as "
                 "next_round_design.tsv (repeatable)")
      ->check(CLI::ExistingFile)
      ->group(g);
  sub.add_option("--reactive-repertoires", c.reactive_repertoires,
                 "TCR-seq of sorted reactive cells and their baselines (fragment_id, construct, population, path"
                 "[, format])")
      ->check(CLI::ExistingFile)
      ->group(g);
  sub.add_option("--elispot-rule", a.elispot_rule, "ELISpot call: dfr_2x, dfr_eq (permutation tests) or fold")
      ->check(CLI::IsMember({"dfr_2x", "dfr_eq", "fold"}))
      ->capture_default_str()
      ->group(g);
  sub.add_option("--screen-fdr", c.calls.fdr, "FDR of the ELISpot tests across the screen")
      ->capture_default_str()
      ->group(g);
  sub.add_option("--screen-multiplicity", a.multiplicity,
                 "bh (Benjamini-Hochberg over the screen) or westfall_young (Moodie's step-down per fragment)")
      ->check(CLI::IsMember({"bh", "westfall_young"}))
      ->capture_default_str()
      ->group(g);
  sub.add_option("--elispot-min-fold", c.calls.elispot_min_fold, "ELISpot: mean test / mean negative")
      ->capture_default_str()
      ->group(g);
  sub.add_option("--elispot-min-spots", c.calls.elispot_min_spots, "ELISpot: mean spots per well")
      ->capture_default_str()
      ->group(g);
  sub.add_option("--flow-min-fold", c.calls.flow_min_fold, "Flow: mean test % / mean negative %")
      ->capture_default_str()
      ->group(g);
  sub.add_option("--flow-min-delta", c.calls.flow_min_delta, "Flow: percentage points above the negative")
      ->capture_default_str()
      ->group(g);
  sub.add_option("--dfr-seed", c.calls.dfr.seed, "Seed of Monte Carlo DFR tests (when too many relabellings)")
      ->capture_default_str()
      ->group(g);
  sub.add_flag_callback(
         "--no-clear-contained-peptides", [&c] { c.deconvolution.clear_contained_peptides = false; },
         "Deconvolution: a negative minigene does not clear the peptides it contains (by default a response to a "
         "peptide that the culture does not show against its whole 25-mer is not counted)")
      ->group(g);
  sub.add_option("--fest-fdr", c.enrichment.fdr, "Reactive clonotypes: BH FDR of Fisher's test (FEST)")
      ->capture_default_str()
      ->group(g);
  sub.add_option("--fest-min-odds-ratio", c.enrichment.min_odds_ratio, "Reactive clonotypes: odds ratio (FEST)")
      ->capture_default_str()
      ->group(g);
  sub.add_option("--fest-min-count", c.enrichment.min_sorted_count,
                 "Reactive clonotypes: reads in the sorted population (FEST)")
      ->capture_default_str()
      ->group(g);
  sub.add_option("--tracking-radius", c.tracking_radius,
                 "TCRdist (beta chain) around a reactive clonotype within which a culture's clonotypes are tracked")
      ->capture_default_str()
      ->group(g);
  sub.add_option("--product-size", c.product.max_fragments, "Most cultures pooled into the infusion product")
      ->capture_default_str()
      ->group(g);
  sub.add_option("--product-alternatives", c.product.alternatives, "Next-best products to list")
      ->capture_default_str()
      ->group(g);
}

void finish_screen_options(ScreenArgs& a) {
  pipeline::ScreenConfig& c = a.config;
  c.calls.elispot_rule = a.elispot_rule == "fold"     ? screen::ElispotRule::kFold
                         : a.elispot_rule == "dfr_eq" ? screen::ElispotRule::kDfrEq
                                                      : screen::ElispotRule::kDfr2x;
  c.calls.multiplicity = a.multiplicity == "westfall_young" ? screen::Multiplicity::kWestfallYoung
                                                            : screen::Multiplicity::kBenjaminiHochberg;
  if (!(c.calls.fdr > 0 && c.calls.fdr < 1)) throw UsageError("--screen-fdr must be in (0, 1)");
  if (!(c.enrichment.fdr > 0 && c.enrichment.fdr < 1)) throw UsageError("--fest-fdr must be in (0, 1)");
  if (!(c.enrichment.min_odds_ratio >= 0)) throw UsageError("--fest-min-odds-ratio must be >= 0");
  if (c.enrichment.min_sorted_count < 1) throw UsageError("--fest-min-count must be >= 1");
  if (c.tracking_radius < 0 || c.tracking_radius > 1000) throw UsageError("--tracking-radius must be in 0-1000");
  if (c.product.max_fragments < 1) throw UsageError("--product-size must be >= 1");
  if (c.product.alternatives < 0) throw UsageError("--product-alternatives must be >= 0");
  if (!c.enabled() && !c.designs.empty())
    throw UsageError("--design is read with --screen or --reactive-repertoires (the screen's results)");
}

}  // namespace tilmatch::cli
