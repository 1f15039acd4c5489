#pragma once
/// Reader for MHC presentation predictions made outside tilmatch (pVACseq reports, MHCflurry,
/// NetMHCpan, or tilmatch's own TSV), reduced to (peptide, allele, IC50, percentile rank) rows that
/// can be looked up by peptide for a patient's HLA type.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "names/hla.hpp"

namespace tilmatch::io {

struct PresentationEntry {
  /// Upper-case peptide of the 20 standard amino acids.
  std::string peptide;
  /// The presenting allele; for a class II heterodimer ("DQA1*01:02-DQB1*06:02") the beta chain.
  names::HlaAllele allele;
  /// The alpha chain of a class II heterodimer, when the prediction names one.
  std::optional<names::HlaAllele> alpha_chain;
  /// Predicted binding affinity, nM (lower binds better).
  std::optional<double> ic50_nm;
  /// Percentile rank among random peptides, 0-100 (lower is better): the predictor's presentation
  /// or eluted-ligand rank when it reports one, otherwise its affinity rank.
  std::optional<double> percentile_rank;
};

struct PresentationTable {
  /// "tilmatch", "pvacseq", "mhcflurry", "netmhcpan" or "netmhcpan_xls".
  std::string format;
  /// Sorted by peptide; rows of one peptide keep their file order.
  std::vector<PresentationEntry> rows;
  /// reason -> rows skipped: "unusable_allele", "invalid_peptide", "no_score".
  std::map<std::string, std::int64_t> skipped;

  /// The lowest percentile rank of `peptide` (any case) over rows whose allele the patient carries
  /// (match_hla == kMatch, at the resolution both have); an empty `patient` list accepts every
  /// allele. nullopt when no such row has a rank. O(log n + rows of the peptide).
  std::optional<double> best_rank(std::string_view peptide, const std::vector<names::HlaAllele>& patient) const;
  /// The same for the lowest IC50 (nM).
  std::optional<double> best_ic50(std::string_view peptide, const std::vector<names::HlaAllele>& patient) const;

  /// Rows of `peptide` (any case), in file order.
  std::pair<std::vector<PresentationEntry>::const_iterator, std::vector<PresentationEntry>::const_iterator>
  rows_of(std::string_view peptide) const;
};

/// Reads a prediction file (plain or gzip), the format detected from its header:
/// - tilmatch TSV (or CSV): columns `peptide`, `allele`, and `ic50` and/or `percentile` (also
///   `ic50_nm`, `percentile_rank`); a score may be empty or "NA";
/// - pVACseq all_epitopes or filtered TSV: `HLA Allele`, `MT Epitope Seq`, `Median MT IC50 Score`
///   (else `Best MT IC50 Score`) and `Median MT Percentile` (else `Best MT Percentile`);
/// - MHCflurry `mhcflurry-predict` CSV: `allele`, `peptide`, `mhcflurry_affinity`,
///   `mhcflurry_affinity_percentile`, and when present `mhcflurry_presentation_percentile`, which is
///   then used as the rank;
/// - NetMHCpan 4.x text output: the header line `Pos MHC Peptide ... %Rank_EL ...` (4.0: `HLA`,
///   `%Rank`), data lines starting with a position number, `Aff(nM)` only with -BA;
/// - NetMHCpan -xls TSV: alleles on the first line above their column groups, `Pos Peptide ID ...
///   EL_Rank ...` on the second (`nM` read when present).
/// Peptides are upper-cased; rows with an allele parse_hla rejects, a peptide that is not amino
/// acids, or no score at all are counted in `skipped`. A score that is neither a finite non-negative
/// number nor empty/"NA", or a percentile rank above 100, throws InputError naming the file, line and
/// column; an empty file, one of no known format or one without a usable row throws InputError
/// naming the file.
PresentationTable read_presentation(const std::string& path);

}  // namespace tilmatch::io
