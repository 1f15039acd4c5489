#pragma once
/// Aggregation of the neoantigen x clonotype evidence into a ranking of TIL cultures, and the
/// screening design that follows from it. Pure functions; docs/scoring.md gives the formulas.

#include <cstdint>
#include <vector>

#include "rank/model.hpp"
#include "rank/params.hpp"
#include "tilmatch/clonotypes.hpp"

namespace tilmatch::rank {

/// Per clonotype, the index in `evidence` of its best entry by score x neoantigen weight (ties:
/// the lower neoantigen index), or kNone. `evidence` must be sorted by (neoantigen, clonotype).
std::vector<std::uint32_t> best_evidence_per_clonotype(const std::vector<Neoantigen>& neoantigens,
                                                       const std::vector<Evidence>& evidence,
                                                       std::size_t clonotypes);

/// Ranks every culture of `table`: score = sum over its clonotypes of frequency x the weighted
/// score of the clonotype's best evidence. Sorted by score, then evidenced frequency, then
/// neoantigens covered (all descending), then fragment id.
std::vector<FragmentScore> rank_fragments(const std::vector<Neoantigen>& neoantigens,
                                          const std::vector<Evidence>& evidence,
                                          const std::vector<std::uint32_t>& clonotype_best,
                                          const ClonotypeTable& table);

/// Tests every culture of `ranking` against chance (chance::culture_significance_weighted): the
/// summed frequency of its clonotypes with reference (not neighbour) evidence within their
/// reference's chance radius (Evidence::chance_hit) against what chance hits give, each of its
/// clonotypes being one with probability q_any; BH across cultures. Sets the chance_* fields and,
/// where q >= fdr, confidence "none"; then moves the cultures with q < fdr above the others,
/// keeping the score order within each group, and renumbers the ranks.
void test_against_chance(std::vector<FragmentScore>& ranking, const std::vector<Evidence>& evidence,
                         const ClonotypeTable& table, double q_any, double fdr);

/// Tandem-minigene constructs holding every neoantigen's minigenes, and peptide pools of the MT
/// epitopes that carry reference evidence, ordered by evidence in the top cultures, then weight.
std::vector<DesignSlot> design_screen(const std::vector<Neoantigen>& neoantigens,
                                      const std::vector<Evidence>& evidence,
                                      const std::vector<FragmentScore>& ranking,
                                      const ClonotypeTable& table, const ModelParams& params);

}  // namespace tilmatch::rank
