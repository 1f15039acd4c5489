#pragma once
/// The sparse neoantigen x clonotype affinity matrix of `tilmatch run` (docs/scoring.md):
/// reference epitopes matched to candidate MT epitopes (exact or pepsim), reference TCRs vouching
/// for clonotypes within a TCRdist radius (or above a TCRMatch score), and neighbourhood support.
/// Scoring of clonotypes runs on the given backend; everything else is deterministic host code,
/// so the result is the same whatever the backend, thread count or memory budget.

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tilmatch/background.hpp"
#include "chance/chance_model.hpp"
#include "names/hla.hpp"
#include "rank/model.hpp"
#include "rank/params.hpp"
#include "scoring/backend.hpp"
#include "tilmatch/clonotypes.hpp"
#include "tilmatch/tcr.hpp"

namespace tilmatch::scoring {
class VGeneTable;
}

namespace tilmatch::pipeline {

/// Reference TCRs of every --reference and --validated file, in argument order.
struct ReferenceSet {
  std::vector<ReferenceTcr> rows;
  std::vector<bool> validated;  ///< per row: from --validated
  /// TCRs labelled as not recognising their epitope (io::ReferenceDb::negatives), every file's:
  /// evidence for an epitope with negatives is weighed against them (docs/scoring.md, "Class balance").
  std::vector<ReferenceTcr> negatives;
};

/// A reference MHC against the patient's alleles (names::match_hla).
using HlaVerdict = names::HlaMatch;

struct EvidenceConfig {
  rank::ModelParams params;
  enum class Metric { kTcrdist, kTcrmatch } metric = Metric::kTcrdist;
  /// Reference MHC (as written in the database) against the patient's alleles; empty = not checked.
  std::function<HlaVerdict(std::string_view mhc)> hla;
  /// Presentation factor of an MT epitope; empty = 1 for all.
  std::function<double(const std::string& epitope)> presentation;
  /// Whether an MT epitope is predicted presented by a patient allele (rank::is_presented); such a
  /// route counts as an HLA match whatever the reference MHC says. Empty = no predictions.
  std::function<bool(const std::string& epitope)> presented;
  /// V loops in TCRdist when set (a TCR whose V gene the table lacks is scored on its CDR3 alone).
  const scoring::VGeneTable* vgenes = nullptr;
  scoring::EngineOptions engine;
  unsigned threads = 0;  ///< host-side pepsim threads (0 = all)
  /// Background repertoire of the chance model (docs/scoring.md, "Chance model"); owned by the
  /// caller; nullptr = off. With TCRdist transfer, hits within chance.max_radius (instead of
  /// params.radius) transfer, each weighted by its surprise 1 / (1 + N p_r(d)), N the patient's
  /// distinct clonotypes.
  const Background* background = nullptr;
  std::string background_file;  ///< named in errors
  chance::ChanceParams chance;
};

/// What happened along the way, for run.json and the log.
struct EvidenceCounts {
  std::int64_t reference_epitopes = 0;   ///< distinct epitopes in the references
  std::int64_t candidate_epitopes = 0;   ///< distinct MT epitopes of the candidates
  std::int64_t epitope_matches = 0;      ///< (reference epitope, MT epitope) pairs accepted
  std::int64_t wild_type_matches = 0;    ///< pairs rejected: the WT epitope is at least as similar
  /// (reference, neoantigen) routes whose reference MHC names only alleles the patient lacks, and that
  /// no other annotation or prediction settles: penalised by hla_mismatch_factor, dropped when it is 0.
  std::int64_t hla_mismatches = 0;
  std::int64_t hla_dropped = 0;          ///< of those, routes dropped (hla_mismatch_factor 0)
  std::int64_t hla_other_annotation = 0; ///< routes whose MHC fails but another row of the TCR matches
  std::int64_t hla_presented = 0;        ///< routes whose MHC fails but the MT epitope is presented
  std::int64_t hla_epitope_annotation = 0;  ///< routes whose MHC fails but another TCR of the epitope matches
  std::vector<std::string> matched_epitopes;  ///< distinct reference epitopes matched to a candidate, sorted
  std::int64_t active_references = 0;    ///< reference TCRs vouching for some neoantigen
  std::int64_t reference_negatives = 0;  ///< reference TCRs labelled 0 (pipeline/class_balance.hpp)
  std::int64_t negative_epitopes = 0;    ///< distinct epitopes with negatives
  std::int64_t class_balanced = 0;       ///< direct entries weighed against their epitope's negatives
  std::int64_t class_balance_dropped = 0;  ///< of those, entries balanced to 0
  std::int64_t transfer_hits = 0;        ///< clonotype-reference pairs within the radius
  std::int64_t direct_evidence = 0;      ///< (neoantigen, clonotype) entries by reference transfer
  std::int64_t neighbor_evidence = 0;    ///< entries added by neighbourhood support
  // With a background (EvidenceConfig::background):
  std::int64_t background_rows = 0;      ///< background rows scored (those with a known V gene)
  std::int64_t background_in_reach = 0;  ///< of those, rows within reach of an active reference (chance::Reach)
  std::int64_t background_without_v = 0; ///< with --v-gene-table: background rows left out
  /// Probability that an unrelated clonotype lies within the radius of some active reference
  /// (chance::union_probability); NaN without a background or with no active reference.
  double chance_any = std::numeric_limits<double>::quiet_NaN();
  int min_chance_radius = -1, max_chance_radius = -1;  ///< over the active references
  /// The active references' pooled distance profile, d = 0..the cap (chance::pooled_profile): how
  /// the surprise weights resolve distances a reference's own counts do not (run.json's
  /// background). Empty without a chance model.
  std::vector<double> chance_profile;
  /// The active references with no background row within the cap (n0) and with one (n1), and the
  /// floor pseudo-count a0 their surprise weights go by (chance::empty_reference_count; run.json's
  /// background). Meaningful only with chance_profile.
  struct ChanceFloor {
    std::int64_t empty = 0, single = 0;
    double count = 0.5;
  } chance_floor;
  /// Clonotypes N of the surprise weights 1 / (1 + N p_r(d)): the patient's distinct clonotypes
  /// (all cultures, deduplicated), every one of which each reference is searched against.
  double surprise_clonotypes = std::numeric_limits<double>::quiet_NaN();
  /// The largest surprise weight the background can give a hit at the cap among them
  /// (chance::surprise_ceiling): below ~0.8 the background is too small to tell a rare reference's
  /// distant hits from a public one's. NaN without a background.
  double surprise_ceiling = std::numeric_limits<double>::quiet_NaN();
};

/// Builds the evidence list, sorted by (neoantigen, clonotype), one entry (the best route) each.
std::vector<rank::Evidence> collect_evidence(const std::vector<rank::Neoantigen>& neoantigens,
                                             const ReferenceSet& references, const ClonotypeTable& table,
                                             const scoring::Backend& backend, const EvidenceConfig& config,
                                             EvidenceCounts& counts);

}  // namespace tilmatch::pipeline
