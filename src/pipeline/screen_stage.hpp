#pragma once
/// The screen's results back in `tilmatch run` (docs/screening.md): readouts called, deconvolved to
/// fragment x neoantigen reactivity, reactive clonotypes found in sorted TCR-seq and tracked in every
/// culture, cultures re-ranked in evidence tiers, the infusion product and the next round chosen.
/// This file only composes io/ readers, screen/ rules and rank/ aggregation.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rank/model.hpp"
#include "rank/screen_result.hpp"
#include "scoring/backend.hpp"
#include "screen/calls.hpp"
#include "screen/constructs.hpp"
#include "screen/deconvolution.hpp"
#include "screen/enrichment.hpp"
#include "screen/next_round.hpp"
#include "tilmatch/clonotypes.hpp"
#include "tilmatch/tcr.hpp"

namespace tilmatch::scoring {
class VGeneTable;
}

namespace tilmatch::pipeline {

struct ScreenConfig {
  std::vector<std::string> readouts;    ///< --screen: readouts TSVs, concatenated in this order; empty = none
  std::vector<std::string> designs;     ///< --design: the first run's tmg_design.tsv and extra designs
  std::string reactive_repertoires;     ///< --reactive-repertoires manifest; empty = none
  screen::CallParams calls;
  screen::DeconvolutionParams deconvolution;
  screen::EnrichmentParams enrichment;
  screen::ProductParams product;
  screen::NextRoundParams next_round;
  int tracking_radius = 12;             ///< TCRdist (beta chain) around a reactive clonotype
  bool enabled() const noexcept { return !readouts.empty() || !reactive_repertoires.empty(); }
};

/// What the run built, for the screen to check and use.
struct ScreenContext {
  const std::vector<rank::Neoantigen>* neoantigens = nullptr;
  std::vector<screen::NeoantigenCatalogEntry> catalog;  ///< per neoantigen: minigenes, names, MT epitopes
  const ClonotypeTable* table = nullptr;
  const std::vector<rank::FragmentScore>* public_ranking = nullptr;
  const scoring::Backend* backend = nullptr;
  scoring::EngineOptions engine;
  const scoring::VGeneTable* vgenes = nullptr;  ///< V loops in tracking when set
  std::string fragments_manifest;               ///< for messages
};

/// Reads the screen's inputs, checks them against the run (InputError naming file and line) and
/// derives everything in ScreenOutcome. Readouts of several files (rounds of a screen) are read as one
/// screen: a well (fragment, construct, assay, replicate) given twice, in one file or two, is an error
/// naming both places. Deterministic for its inputs and config.
rank::ScreenOutcome run_screen(const ScreenConfig& config, const ScreenContext& context);

}  // namespace tilmatch::pipeline
