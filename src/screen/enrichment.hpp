#pragma once
/// Reactive clonotypes from TCR-seq of sorted (reactive) cells against a reference population, by
/// the MANAFEST/FEST criteria (Danilova et al. 2018 Cancer Immunol Res 6:888; FEST manual and code,
/// github.com/ldanilova/fest): per clonotype, Fisher's exact test of its reads in the sorted
/// population vs the reference, BH FDR across the clonotypes tested in that comparison, an odds
/// ratio threshold (conditional MLE, as R's fisher.test reports it) and a minimum read count in the
/// sorted population. Pure and deterministic; clonotypes are opaque integer keys.

#include <cstdint>
#include <string>
#include <vector>

#include "screen/stats.hpp"

namespace tilmatch::screen {

/// Reads (or templates) of one clonotype in one population.
struct ClonotypeCount {
  std::uint64_t key = 0;   ///< opaque clonotype id (e.g. its row in the clonotype table)
  std::int64_t count = 0;  ///< >= 0
};

/// What the sorted cells are compared against.
enum class ReferencePopulation : std::uint8_t {
  kUnsorted,  ///< the same culture before sorting
  kNoTarget,  ///< the culture co-cultured without the construct (FEST's "reference culture")
};

/// One comparison: the cells sorted after co-culture with `construct` (e.g. 4-1BB+ sorted) against
/// a reference population of the same fragment. Each population lists every clonotype it holds,
/// once: its total is the sum of its counts.
struct EnrichmentComparison {
  std::string fragment_id;
  std::string construct;
  ReferencePopulation reference_kind = ReferencePopulation::kUnsorted;
  std::vector<ClonotypeCount> sorted;
  std::vector<ClonotypeCount> reference;
};

/// Thresholds of the FEST criteria.
struct EnrichmentParams {
  /// FDR (BH over the tested clonotypes of the comparison) must be below this: FEST default 0.05.
  double fdr = 0.05;
  /// Conditional-MLE odds ratio must exceed this: FEST default 5 (app "odds ratio threshold").
  double min_odds_ratio = 5.0;
  /// A clonotype is tested only with at least this many reads in the sorted population: FEST's
  /// runFisher default nReadFilter = 10 (its app's "minimal number of templates" field defaults
  /// to 1 in the published version and 50 in the 2025 one).
  std::int64_t min_sorted_count = 10;
  /// One-sided (expansion in the sorted population), as a reactive clonotype must be expanded.
  /// FEST's runFisher calls fisher.test two-sided and keeps odds ratios above the threshold;
  /// kTwoSided reproduces its p-values (about twice ours for expanded clonotypes).
  Alternative alternative = Alternative::kGreater;
};

/// One clonotype tested in one comparison.
struct ClonotypeEnrichment {
  std::uint64_t key = 0;
  std::int64_t sorted_count = 0;
  std::int64_t reference_count = 0;
  double sorted_frequency = 0;     ///< sorted_count / sorted total
  double reference_frequency = 0;  ///< reference_count / reference total (0 when that total is 0)
  double odds_ratio = 0;           ///< conditional MLE of [[sorted, reference], [other sorted, other reference]]
  double p = 0;                    ///< Fisher's exact p (params.alternative)
  double q = 0;                    ///< BH over the comparison's tested clonotypes
  bool reactive = false;           ///< q < fdr, odds_ratio > min_odds_ratio (count filter already applied)
};

/// The result of one comparison.
struct EnrichmentResult {
  std::string fragment_id;
  std::string construct;
  ReferencePopulation reference_kind = ReferencePopulation::kUnsorted;
  std::int64_t sorted_total = 0;
  std::int64_t reference_total = 0;
  std::size_t reactive = 0;                     ///< clonotypes flagged reactive
  std::vector<ClonotypeEnrichment> clonotypes;  ///< every tested clonotype, by key
};

/// Tests each clonotype with >= max(1, min_sorted_count) sorted reads (one absent from the
/// reference counts 0 there). Throws std::invalid_argument on a negative count or a key listed twice in a population.
EnrichmentResult enrich_comparison(const EnrichmentComparison& comparison, const EnrichmentParams& params);

/// enrich_comparison over every comparison, results in input order.
std::vector<EnrichmentResult> find_reactive_clonotypes(const std::vector<EnrichmentComparison>& comparisons,
                                                       const EnrichmentParams& params);

}  // namespace tilmatch::screen
