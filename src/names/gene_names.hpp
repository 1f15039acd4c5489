#pragma once
/// Normalisation of V/J gene names from the different exporters to IMGT names.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tilmatch::names {

/// IMGT name from any supported exporter's spelling, keeping the allele when one is given:
/// "TRBV5-1*01" stays; "TCRBV05-01*01" (Adaptive) -> "TRBV5-1*01"; "TCRBV05" -> "TRBV5";
/// "TRBV5-1*00(1234.5)" (MiXCR hit with score) -> "TRBV5-1"; "TRBV5-1*01,TRBV5-5*01" -> first;
/// IMGT names with a '/' stay whole: "TRAV29/DV5*04", the orphon "TRBV24/OR9-2*01";
/// "TRBV12-3;TRBV12-4" -> first; zero-padded numbers lose their zeros: "TRBV06-05*01" -> "TRBV6-5*01";
/// "", "None", "NA", "unresolved" -> "".
std::string normalize_gene(std::string_view name);

/// normalize_gene, remembered per distinct raw name: a repertoire spells a few dozen genes over
/// up to millions of rows. Holds at most kMaxNames names; past that (a file of ever-new
/// spellings) it normalises without remembering. Same results as normalize_gene, always (a copy:
/// no reference into the cache outlives a later call).
class GeneNameCache {
 public:
  static constexpr std::size_t kMaxNames = 4096;
  std::string operator()(std::string_view raw);

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> names_;
};

/// Gene without allele: "TRBV5-1*01" -> "TRBV5-1".
std::string_view gene_without_allele(std::string_view name) noexcept;

/// "TRB", "TRA", "TRG", "TRD", "IGH"... from a gene name prefix; "" when unknown.
std::string_view locus_of_gene(std::string_view name) noexcept;

/// A CDR3 given without its conserved anchors (AIRR `cdr3_aa`, TCRMatch `trimmed_seq`) as a
/// junction: "C" + core + "F" (the anchor of every TRB and most TRA J genes).
std::string add_junction_anchors(std::string_view core);

/// True when every character is one of the 20 standard amino acids (upper case) and s is non-empty.
bool is_amino_acid_sequence(std::string_view s) noexcept;

}  // namespace tilmatch::names
