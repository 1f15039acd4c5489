#pragma once
/// The results of `tilmatch run` as plain data: neoantigens with their weights, the sparse
/// neoantigen x clonotype evidence with provenance, the ranking of TIL cultures and the screening
/// design. Built by rank/ (pure functions), written by pipeline/ (TSV, FASTA, JSON) and report/
/// (HTML). docs/scoring.md defines every number.

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tilmatch::rank {

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

/// The identifier of clonotype `index` (its position in ClonotypeTable::clonotypes) in every
/// output: "C1", "C2", ...
inline std::string clonotype_id(std::uint32_t index) {
  std::string id(1, 'C');
  id += std::to_string(index + 1);
  return id;
}

/// One mutation (variant, alt allele) as a neoantigen; its transcripts' candidates are merged.
struct Neoantigen {
  std::string id;            ///< "<gene>.<change>", e.g. "TP53.R175H"; unique within a run
  std::string gene;
  std::string change;        ///< protein change, e.g. "R175H", "G12_A13insL", "S181fs"
  std::string variant;       ///< "chr17:7675088 C>T" (VCF POS, REF, ALT)
  std::string variant_type;  ///< pVACseq's short name: missense, inframe_ins, inframe_del, FS
  std::vector<std::string> candidate_keys;  ///< pVACseq keys of the transcripts, file order
  std::vector<std::string> mt_epitopes;     ///< distinct MT epitopes (all lengths), sorted
  /// Distinct (MT epitope, paired WT epitope) pairs, sorted; WT empty when pVACseq pairs none.
  std::vector<std::pair<std::string, std::string>> epitope_pairs;
  std::optional<double> tdna_vaf, trna_vaf, trna_depth, expression;  ///< expression: TPM
  double clonality = 1;   ///< factor from tumour DNA VAF
  double expressed = 1;   ///< factor from RNA VAF / expression
  double weight = 1;      ///< clonality * expressed
  std::vector<std::string> minigenes;  ///< 25-mers (several tiles for frameshifts)
};

/// Where a piece of evidence came from.
enum class Route : std::uint8_t { kReference, kNeighbor };

/// One entry of the sparse neoantigen x clonotype affinity matrix (affinity.tsv): the best route
/// by which clonotype `clonotype` is tied to neoantigen `neoantigen`.
struct Evidence {
  std::uint32_t neoantigen = 0;
  std::uint32_t clonotype = 0;
  double score = 0;  ///< in (0, 1]
  Route route = Route::kReference;
  // The reference TCR behind the evidence (for neighbours: behind the neighbour's evidence).
  std::string reference_id;
  bool validated = false;        ///< from --validated (lab-confirmed) rather than a public DB
  std::string reference_source;  ///< the reference's `source` column, or the file name
  std::string reference_cdr3b;
  std::string reference_epitope;
  std::string reference_mhc;
  std::string mt_epitope;       ///< the candidate's MT epitope the reference epitope matched
  double epitope_similarity = 1;  ///< 1 for an exact match, else the pepsim score
  std::string hla;              ///< why hla_factor applies: rank::to_string(HlaOutcome), e.g. "match"
  double hla_factor = 1;        ///< HLA factor h of the route (docs/scoring.md)
  double presentation = 1;      ///< presentation factor of mt_epitope
  double proximity = 1;         ///< distance (or TCRMatch) factor to the reference TCR
  int reference_neighbors = 0;  ///< distinct clonotypes of the patient within the reference's radius
  double density = 1;           ///< specificity factor from reference_neighbors
  /// Share of the score kept by class balance against the epitope's negative reference TCRs
  /// (pipeline/class_balance.hpp); 1 when the epitope has none.
  double class_balance = 1;
  /// With a background: this clonotype lies within the chance radius of the reference of this
  /// route or of another reference route merged into this entry (the best-scoring one is kept), so
  /// the per-culture test counts it (rank::test_against_chance); false for a route via a neighbour
  /// unless merged with such a hit; true for reference routes without a background.
  bool chance_hit = true;
  int tcrdist = -1;             ///< clonotype (or neighbour) to reference TCR; -1 when scored by TCRMatch
  double tcrmatch = -1;         ///< TCRMatch score when --transfer-metric tcrmatch, else -1
  std::uint32_t via_clonotype = kNone;  ///< neighbour routes: the evidenced clonotype
  int neighbor_distance = -1;           ///< TCRdist to via_clonotype
};

/// One TIL culture's place in the ranking (fragments.tsv).
struct FragmentScore {
  std::uint32_t fragment = 0;     ///< index into the clonotype table's fragments
  int rank = 0;                   ///< 1-based
  double score = 0;               ///< sum over clonotypes of frequency * best weighted evidence
  double evidenced_frequency = 0; ///< sum of frequencies of clonotypes with any evidence
  int neoantigens = 0;            ///< distinct neoantigens with evidence in this culture
  int evidenced_clonotypes = 0;
  /// "high": a lab-validated reference TCR with the exact epitope lies close (proximity >= 0.75) to
  /// an evidenced clonotype; "medium": some reference TCR lies close; "low": only distant or
  /// neighbour evidence; "none": no evidence.
  std::string confidence;
  std::uint32_t best_evidence = kNone;  ///< index into RunResult::evidence of the top contribution
  /// Against chance (with a background, docs/scoring.md "Chance model"): distinct clonotypes with
  /// reference evidence, what chance gives a repertoire of this one's size, p and BH q; NaN / -1
  /// when not tested.
  std::int64_t chance_observed = -1;
  double chance_expected = std::numeric_limits<double>::quiet_NaN();
  /// The share of the culture in those clonotypes (the statistic tested), and its expectation by
  /// chance; NaN when not tested.
  double chance_frequency = std::numeric_limits<double>::quiet_NaN();
  double chance_expected_frequency = std::numeric_limits<double>::quiet_NaN();
  double chance_p = std::numeric_limits<double>::quiet_NaN();
  double chance_q = std::numeric_limits<double>::quiet_NaN();
  /// neoantigen index -> this culture's contribution to `score` through it (heatmap cells).
  std::vector<std::pair<std::uint32_t, double>> by_neoantigen;
};

/// One slot of the screening design (tmg_design.tsv).
struct DesignSlot {
  std::string construct;      ///< "TMG1", "TMG2", ... or "PP1", ...
  std::string kind;           ///< "tandem_minigene" or "peptide_pool"
  int slot = 0;               ///< 1-based position in the construct / pool
  std::uint32_t neoantigen = 0;
  std::string sequence;       ///< the 25-mer (TMG) or peptide (pool)
  double priority = 0;        ///< ordering key (docs/scoring.md)
  std::string reason;         ///< "evidence in F03, F07" or "weight only"
};

/// Everything `tilmatch run` produced, for the writers and the report.
struct RunResult {
  std::vector<Neoantigen> neoantigens;
  std::vector<Evidence> evidence;        ///< sorted by (neoantigen, clonotype)
  std::vector<FragmentScore> ranking;    ///< rank order
  std::vector<DesignSlot> design;
  /// Per clonotype: index of its best evidence entry (kNone when it has none).
  std::vector<std::uint32_t> clonotype_best;
  std::vector<std::string> notes;        ///< user-facing remarks ("no usable candidates", ...)
  bool chance_tested = false;            ///< the ranking carries chance_* (a background was given)
  double chance_fdr = 0;                 ///< when chance_tested: the BH level cultures were called at
};

}  // namespace tilmatch::rank
