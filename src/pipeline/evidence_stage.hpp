#pragma once
/// The sparse neoantigen x clonotype affinity matrix of `tilmatch run` (docs/scoring.md):
/// reference epitopes matched to candidate MT epitopes (exact or pepsim), reference TCRs vouching
/// for clonotypes within a TCRdist radius (or above a TCRMatch score), and neighbourhood support.
/// Scoring of clonotypes runs on the given backend; everything else is deterministic host code,
/// so the result is the same whatever the backend, thread count or memory budget.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "io/fragments.hpp"
#include "rank/model.hpp"
#include "rank/params.hpp"
#include "scoring/backend.hpp"
#include "tilmatch/tcr.hpp"

namespace tilmatch::scoring {
class VGeneTable;
}

namespace tilmatch::pipeline {

/// Reference TCRs of every --reference and --validated file, in argument order.
struct ReferenceSet {
  std::vector<ReferenceTcr> rows;
  std::vector<bool> validated;  ///< per row: from --validated
};

enum class HlaVerdict { kMatch, kMismatch, kUnknown };

struct EvidenceConfig {
  rank::ModelParams params;
  enum class Metric { kTcrdist, kTcrmatch } metric = Metric::kTcrdist;
  /// Reference MHC (as written in the database) against the patient's alleles; empty = not checked.
  std::function<HlaVerdict(std::string_view mhc)> hla;
  /// Presentation factor of an MT epitope; empty = 1 for all.
  std::function<double(const std::string& epitope)> presentation;
  /// V loops in TCRdist when set (a TCR whose V gene the table lacks is scored on its CDR3 alone).
  const scoring::VGeneTable* vgenes = nullptr;
  scoring::EngineOptions engine;
  unsigned threads = 0;  ///< host-side pepsim threads (0 = all)
};

/// What happened along the way, for run.json and the log.
struct EvidenceCounts {
  std::int64_t reference_epitopes = 0;   ///< distinct epitopes in the references
  std::int64_t candidate_epitopes = 0;   ///< distinct MT epitopes of the candidates
  std::int64_t epitope_matches = 0;      ///< (reference epitope, MT epitope) pairs accepted
  std::int64_t wild_type_matches = 0;    ///< pairs rejected: the WT epitope is at least as similar
  std::int64_t hla_mismatches = 0;       ///< (reference, neoantigen) routes dropped for HLA
  std::int64_t active_references = 0;    ///< reference TCRs vouching for some neoantigen
  std::int64_t transfer_hits = 0;        ///< clonotype-reference pairs within the radius
  std::int64_t direct_evidence = 0;      ///< (neoantigen, clonotype) entries by reference transfer
  std::int64_t neighbor_evidence = 0;    ///< entries added by neighbourhood support
};

/// Builds the evidence list, sorted by (neoantigen, clonotype), one entry (the best route) each.
std::vector<rank::Evidence> collect_evidence(const std::vector<rank::Neoantigen>& neoantigens,
                                             const ReferenceSet& references, const io::ClonotypeTable& table,
                                             const scoring::Backend& backend, const EvidenceConfig& config,
                                             EvidenceCounts& counts);

}  // namespace tilmatch::pipeline
