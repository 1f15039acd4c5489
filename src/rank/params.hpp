#pragma once
/// The parameters of tilmatch's reactivity model and its per-factor formulas. docs/scoring.md
/// states the model; every default here is the documented one.

#include <algorithm>
#include <optional>

namespace tilmatch::rank {

struct ModelParams {
  // Reference transfer.
  double validated_weight = 1.0;       ///< reference TCRs given with --validated (lab-confirmed)
  double public_weight = 0.5;          ///< reference TCRs from public databases (--reference)
  int max_epitope_mismatches = 1;      ///< substitutions allowed between equal-length epitopes (0 or 1)
  double min_epitope_similarity = 0.9; ///< peptide-kernel threshold for a non-identical epitope match
  int radius = 12;                     ///< TCRdist radius around a reference TCR (one CDR3 substitution)
  float min_tcrmatch = 0.97f;          ///< TCRMatch threshold when transferring by TCRMatch
  /// reference without a usable MHC when --hla is given, or whose MHC only another TCR of the epitope
  /// settles (rank::HlaOutcome::kEpitopeAnnotation)
  double hla_unknown_factor = 0.5;
  /// Reference whose MHC names only alleles the patient lacks, when --hla is given (docs/scoring.md:
  /// below hla_unknown_factor, since a stated restriction argues against; not 0, since databases
  /// disagree on it). 0 drops the route.
  double hla_mismatch_factor = 0.25;
  /// A reference TCR with n > this many distinct clonotypes of the patient within its radius sits in a
  /// dense (public-like) neighbourhood: its evidence is scaled by this / n. 0 = off.
  int reference_neighbors = 3;
  // Neighbourhood support.
  bool neighbors = true;
  int neighbor_radius = 12;            ///< TCRdist radius of the clonotype neighbour graph
  double neighbor_share = 0.5;         ///< share of an evidenced clonotype's score a neighbour inherits
  // Candidate weight.
  double min_clonality = 0.1;          ///< floor of the clonality factor
  double min_expression = 0.1;         ///< floor of the expression factor
  double unexpressed_allele = 0.1;     ///< RNA covers the site (depth > 0) but shows no alt read
  // Presentation (--presentation).
  double presentation_missing = 0.5;   ///< epitope absent from the table for the patient's alleles
  // Ranking and design.
  int design_top_cultures = 3;         ///< cultures whose evidence orders the screening design
  int tmg_size = 16;                   ///< target 25-mers per tandem-minigene construct
  int tmg_min = 12, tmg_max = 24;      ///< allowed construct sizes
  int pool_size = 10;                  ///< peptides per pool
};

/// Proximity at or above which reference evidence counts as close (confidence high/medium):
/// within half the TCRdist radius, or a TCRMatch score halfway between the threshold and 1.
inline constexpr double kCloseProximity = 0.75;

/// Specificity of a reference TCR with n distinct clonotypes of the patient within its radius:
/// min(1, k / n) (1 when k = 0).
inline double density_factor(long n, int k) noexcept {
  if (k <= 0 || n <= k) return 1.0;
  return static_cast<double>(k) / static_cast<double>(n);
}

/// Weight of a TCRdist distance d within radius r: 1 at d = 0, falling linearly to 1/2 at d = r.
inline double distance_factor(int d, int r) noexcept {
  if (r <= 0) return 1.0;
  return 1.0 - 0.5 * static_cast<double>(d) / static_cast<double>(r);
}

/// Weight of a TCRMatch score s >= threshold t: 1 at s = 1, 1/2 at s = t.
inline double tcrmatch_factor(double s, double t) noexcept {
  if (t >= 1.0) return 1.0;
  return 1.0 - 0.5 * std::clamp((1.0 - s) / (1.0 - t), 0.0, 1.0);
}

/// Clonality from tumour DNA VAF: 2 x VAF (a heterozygous clonal variant in a pure sample has VAF 0.5),
/// clamped to [min_clonality, 1]; 1 when the VAF is unknown.
inline double clonality_factor(std::optional<double> tdna_vaf, const ModelParams& p) noexcept {
  if (!tdna_vaf) return 1.0;
  return std::clamp(2.0 * *tdna_vaf, p.min_clonality, 1.0);
}

/// Expression: TPM / (TPM + 1) floored at min_expression (1 when unknown), times unexpressed_allele
/// when RNA covers the site but carries no alt read.
inline double expression_factor(std::optional<double> tpm, std::optional<double> trna_vaf,
                                std::optional<double> trna_depth, const ModelParams& p) noexcept {
  double f = 1.0;
  if (tpm) f = std::max(p.min_expression, *tpm / (*tpm + 1.0));
  if (trna_vaf && trna_depth && *trna_depth > 0 && *trna_vaf <= 0) f *= p.unexpressed_allele;
  return f;
}

/// Binder cut-offs of NetMHCpan 4.1 (Reynisson et al., Nucleic Acids Res 2020): percentile rank
/// <= 0.5 strong, <= 2 weak binder; without a rank, IC50 <= 50 nM strong, <= 500 nM weak.
inline constexpr double kStrongBinderRank = 0.5, kWeakBinderRank = 2.0;
inline constexpr double kStrongBinderIc50Nm = 50.0, kWeakBinderIc50Nm = 500.0;

/// Presentation from the best percentile rank or, without a rank, the best IC50: 1 for a strong
/// binder, 0.7 for a weak one, 0.2 otherwise; presentation_missing without either.
inline double presentation_factor(std::optional<double> rank, std::optional<double> ic50_nm,
                                  const ModelParams& p) noexcept {
  if (rank) return *rank <= kStrongBinderRank ? 1.0 : *rank <= kWeakBinderRank ? 0.7 : 0.2;
  if (ic50_nm) return *ic50_nm <= kStrongBinderIc50Nm ? 1.0 : *ic50_nm <= kWeakBinderIc50Nm ? 0.7 : 0.2;
  return p.presentation_missing;
}

/// Presented: at least a weak binder by the same cut-offs as presentation_factor.
inline bool is_presented(std::optional<double> rank, std::optional<double> ic50_nm) noexcept {
  if (rank) return *rank <= kWeakBinderRank;
  return ic50_nm && *ic50_nm <= kWeakBinderIc50Nm;
}

}  // namespace tilmatch::rank
