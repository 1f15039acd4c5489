#pragma once
/// Class balance of `tilmatch run`'s reference transfer (docs/scoring.md, "Class balance"): when
/// the references carry negatives (rows labelled 0: TCRs known not to recognise their epitope),
/// evidence for an epitope is weighed against them with `tilmatch predict`'s aggregation, the
/// class-balanced kernel (predict/kernel.hpp, pipeline/predict_stage.hpp, its defaults).

#include <cstdint>
#include <vector>

#include "pipeline/evidence_stage.hpp"
#include "rank/model.hpp"
#include "scoring/backend.hpp"
#include "tilmatch/clonotypes.hpp"

namespace tilmatch::pipeline {

/// What class balancing did, for run.json.
struct BalanceCounts {
  std::int64_t negatives = 0;          ///< negative reference TCRs read
  std::int64_t epitopes = 0;           ///< distinct epitopes with negatives
  std::int64_t balanced_entries = 0;   ///< direct entries whose epitope has negatives
  std::int64_t dropped_entries = 0;    ///< of those, entries balanced to 0 (as near the negatives as the positives)
};

/// For each direct (reference-route) entry whose reference epitope E has negatives: K+ and K- are
/// the mean of exp(-d/24) over E's positive and negative reference TCRs, d the TCRdist of the
/// entry's clonotype to each (tilmatch predict's kernel, on the run's chains and V loops); the
/// entry keeps the share max(0, K+ - K-) / K+ of its score, recorded as Evidence::class_balance,
/// and is dropped at 0. Other entries keep class_balance 1. Same bytes on any backend.
BalanceCounts balance_against_negatives(std::vector<rank::Evidence>& direct, const ReferenceSet& references,
                                        const ClonotypeTable& table, const scoring::Backend& backend,
                                        const EvidenceConfig& cfg);

}  // namespace tilmatch::pipeline
