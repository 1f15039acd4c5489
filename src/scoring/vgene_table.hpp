#pragma once
/// V-gene loop table in tcrdist3's `alphabeta_gammadelta_db.tsv` format: per allele the IMGT-gapped
/// CDR1;CDR2;CDR2.5;CDR3-start loops (`cdrs` column, `.` = gap; `*` is scored as a gap). The
/// project ships its own human table (data/vgenes/human_tr_vgenes.tsv, built into the binary:
/// VGeneTable::builtin()); `--v-gene-table` reads another one, such as tcrdist3's.

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tilmatch::scoring {

/// How a V-gene name was found in a table (VGeneTable::lookup).
enum class VGeneMatch {
  kExact,           ///< the name, allele included, is in the table (spelled TRBV28-1*01 for TRBV28*01,
                    ///< or TRBV29*01 for TRBV29-1*01 when that is the family's only gene)
  kNoAllele,        ///< no allele given: the gene's *01, by convention (tcrdist3 does the same)
  kAlleleFallback,  ///< the allele is not in the table: the gene's *01 (TRAV30*05 -> TRAV30*01)
  kUnknown,         ///< empty name, or neither the name nor the gene's *01 is in the table
};

/// How many names resolved each way (one count per TCR and chain looked up), and the distinct
/// names that did not resolve.
struct VGeneCounts {
  std::int64_t exact = 0;
  std::int64_t no_allele = 0;
  std::int64_t allele_fallback = 0;
  std::int64_t unknown = 0;  ///< a name the table cannot resolve
  std::int64_t missing = 0;  ///< no V gene given
  std::vector<std::string> unknown_names;  ///< distinct unknown names, sorted

  void add(VGeneMatch match, std::string_view name);
  void merge(const VGeneCounts& other);
  /// Names resolved by a guess or not at all: allele_fallback + unknown + missing.
  std::int64_t inexact() const noexcept { return allele_fallback + unknown + missing; }
  /// "1000 exact, 20 without allele (*01), 3 allele not in the table (*01), 2 unknown: TRBV99, ...,
  /// 4 without V gene".
  std::string summary() const;
};

class VGeneTable {
 public:
  /// Reads the V-region rows of `organism` from `path`. Throws IoError when the file cannot be
  /// read and InputError (file, line) on a malformed row or a missing column.
  static VGeneTable load(const std::filesystem::path& path, std::string_view organism = "human");

  /// The same from a stream; `file` names it in errors.
  static VGeneTable parse(std::istream& in, const std::string& file, std::string_view organism = "human");

  /// The project's human TRA/TRB/TRG/TRD table (data/vgenes/human_tr_vgenes.tsv, compiled in):
  /// IMGT/GENE-DB functional alleles, built by scripts/make-vgene-table.
  static const VGeneTable& builtin();

  /// How `gene` resolves; `resolved` (optional) receives the table's name it resolves to.
  VGeneMatch lookup(std::string_view gene, std::string* resolved = nullptr) const;

  /// Gapped CDR1+CDR2+CDR2.5 of `gene` as codes (residue codes, kGapCode for '.'), concatenated,
  /// resolved as lookup() does. Unknown gene: InputError naming file and gene.
  std::span<const std::uint8_t> loops(std::string_view gene) const;

  /// Chain letter of `gene` ('A', 'B', 'G', 'D'); same resolution and errors as loops().
  char chain(std::string_view gene) const;

  /// Length of the first V gene's loops in the table: the length given to a chain whose genes are
  /// all unknown (their gap loops are never scored), so it still matches the other set's.
  std::uint32_t first_loop_length() const noexcept { return first_loop_length_; }

  bool contains(std::string_view gene) const { return lookup(gene) != VGeneMatch::kUnknown; }
  std::size_t size() const noexcept { return entries_.size(); }
  /// Every gene*allele of the table, sorted.
  std::vector<std::string> names() const;
  const std::string& file() const noexcept { return file_; }

 private:
  struct Entry {
    char chain = 0;
    std::vector<std::uint8_t> loops;
  };
  const Entry* find(std::string_view gene, VGeneMatch* match = nullptr, std::string* resolved = nullptr) const;
  const Entry& require(std::string_view gene) const;

  std::string file_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint32_t first_loop_length_ = 0;
  std::unordered_map<std::string, std::string> subgroup_one_;  ///< TRBV29 -> TRBV29-1: a family's only gene
};

}  // namespace tilmatch::scoring
