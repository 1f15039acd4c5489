#pragma once
/// Everything built from one candidate (window pair, epitopes of every length, minigenes), shared
/// by the `peptides` and `run` stages so both apply the same rules.

#include <vector>

#include "peptides/peptides.hpp"
#include "pipeline/peptides_stage.hpp"
#include "tilmatch/variant.hpp"

namespace tilmatch::pipeline {

struct LengthPlan {
  int length = 0;
  const char* mhc_class = "I";  ///< "I" or "II"
};

/// The peptide rules of a PeptidesConfig, resolved once.
struct PeptidePlan {
  int flank = 0;                          ///< of the main (windows.fasta) window pair
  peptides::WindowOptions main_windows;
  std::vector<LengthPlan> lengths;        ///< ascending, class I before class II at equal length
  std::optional<int> downstream_limit;
  peptides::MinigeneOptions minigenes;
};

/// Resolves `config` (already validated).
PeptidePlan make_plan(const PeptidesConfig& config);

struct ClassedEpitope {
  const char* mhc_class = "I";
  peptides::EpitopePair pair;
};

struct CandidateBuild {
  peptides::WindowResult window;          ///< the main window pair, or why there is none
  std::vector<ClassedEpitope> epitopes;   ///< in plan order, then position
  std::vector<peptides::Minigene> minigenes;
};

CandidateBuild build_candidate(const VariantTranscript& v, const PeptidePlan& plan);

/// A variant that passed the filters, with what was built from it.
struct Candidate {
  VariantTranscript variant;
  CandidateBuild build;
};

}  // namespace tilmatch::pipeline
