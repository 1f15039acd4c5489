#pragma once
/// How a reference TCR's MHC restriction weighs its evidence for a patient (docs/scoring.md,
/// "Reference transfer", factor h), and the reference rows that annotate one TCR and epitope with
/// MHCs that cannot both be right. Pure functions over plain data.

#include <cstdint>
#include <string>
#include <vector>

#include "names/hla.hpp"
#include "rank/params.hpp"
#include "tilmatch/tcr.hpp"

namespace tilmatch::rank {

/// One TCR and epitope that reference rows annotate with MHCs that cannot all be right
/// ("HLA-A*24:02" in VDJdb, "HLA-A*02:01" in NeoTCR), for run.json and the report.
struct ReferenceMhcConflict {
  std::string epitope;
  std::string cdr3b, vb;  ///< of the group's first row (vb: of the first row that gives one)
  std::string cdr3a;      ///< of the first row that gives one (may be empty)
  std::vector<std::string> mhcs;     ///< distinct usable MHCs as written, sorted
  std::vector<std::string> sources;  ///< distinct `source` values of the group's rows, sorted
  std::vector<std::uint32_t> rows;   ///< indices of the group's rows, ascending
};

/// Why a route got its HLA factor; written to affinity.tsv's `hla` column (to_string).
enum class HlaOutcome : std::uint8_t {
  kNotChecked,       ///< no --hla: factor 1
  kMatch,            ///< the reference's own MHC matches a patient allele: factor 1
  kOtherAnnotation,  ///< another row of the same TCR and epitope names a patient allele: factor 1
  kPresented,        ///< the MT epitope is predicted presented by a patient allele: factor 1
  kEpitopeAnnotation,  ///< another reference TCR of the epitope names a patient allele: hla_unknown_factor
  kUnknown,          ///< no usable MHC anywhere: hla_unknown_factor
  kMismatch,         ///< every annotation names alleles the patient lacks: hla_mismatch_factor
};

/// "not_checked", "match", "match_other_annotation", "presented", "match_epitope_annotation",
/// "unknown", "mismatch".
const char* to_string(HlaOutcome outcome) noexcept;

struct HlaDecision {
  HlaOutcome outcome = HlaOutcome::kNotChecked;
  double factor = 1.0;  ///< in [0, 1]; 0 drops the route
};

/// What is known about one route's restriction.
struct HlaEvidence {
  names::HlaMatch own = names::HlaMatch::kUnknown;  ///< the reference row's MHC against the patient (names::match_hla)
  bool other_annotation_matches = false;      ///< another annotation of the same TCR and epitope is kMatch
  bool presented = false;                     ///< the MT epitope binds a patient allele (is_presented)
  /// A reference row of another TCR with the same epitope names a patient allele.
  bool epitope_annotation_matches = false;
};

/// The route's HLA factor. A match by the row's own MHC comes first, then another annotation of
/// the same TCR and epitope that names a patient allele (public databases disagree: of the 382
/// NeoTCR TCR-epitope pairs that VDJdb also holds, 20 carry an MHC incompatible with VDJdb's), then
/// a presentation prediction for a patient allele, which settles a mismatch or a missing MHC. Then
/// another reference TCR of the same epitope restricted by a patient allele: the patient presents
/// the epitope, but whether this TCR sees it there is unknown (some epitopes are presented by two
/// alleles, each with its own TCRs: VDJdb's RPIIRPATL, B*08:01 and B*07:02), so hla_unknown_factor.
/// Otherwise hla_unknown_factor (no usable MHC) or hla_mismatch_factor (a stated MHC the patient
/// lacks; 0 restores the drop).
HlaDecision decide_hla(const HlaEvidence& evidence, const ModelParams& params) noexcept;

/// Groups reference rows that describe the same TCR and epitope: same epitope and CDR3β, and the
/// same TRBV gene (allele ignored: "TRBV28*01" = "TRBV28"), or, when either row lacks a TRBV, the
/// same CDR3α (both given). Returns each row's group number: the smallest row index of its group,
/// so a row alone is its own group. O(n log n) over the rows.
std::vector<std::uint32_t> same_tcr_groups(const std::vector<ReferenceTcr>& rows);

/// Groups (same_tcr_groups) whose parseable MHC annotations include two that share no allele at
/// their common resolution (names::match_hla of one against the other is kMismatch): "HLA-A*24:02"
/// against "HLA-A*02:01" conflicts, "HLA-A*02" against "HLA-A*02:01" does not. Rows without a
/// usable MHC take no part. Ordered by epitope, CDR3β, TRBV, then first row.
std::vector<ReferenceMhcConflict> find_mhc_conflicts(const std::vector<ReferenceTcr>& rows,
                                                     const std::vector<std::uint32_t>& groups);

}  // namespace tilmatch::rank
