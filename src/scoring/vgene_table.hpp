#pragma once
/// V-gene loop table in tcrdist3's `alphabeta_gammadelta_db.tsv` format: per allele the IMGT-gapped
/// CDR1;CDR2;CDR2.5;CDR3-start loops (`cdrs` column, `.` = gap; `*` is scored as a gap).

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tilmatch::scoring {

class VGeneTable {
 public:
  /// Reads the V-region rows of `organism` from `path`. Throws IoError when the file cannot be
  /// read and InputError (file, line) on a malformed row or a missing column.
  static VGeneTable load(const std::filesystem::path& path, std::string_view organism = "human");

  /// Gapped CDR1+CDR2+CDR2.5 of `gene` as codes (residue codes, kGapCode for '.'), concatenated.
  /// A name without an allele (TRBV5-1) resolves to *01. Unknown gene: InputError naming file and gene.
  std::span<const std::uint8_t> loops(std::string_view gene) const;

  /// Chain letter of `gene` ('A', 'B', 'G', 'D'); same resolution and errors as loops().
  char chain(std::string_view gene) const;

  bool contains(std::string_view gene) const;
  std::size_t size() const noexcept { return entries_.size(); }
  const std::string& file() const noexcept { return file_; }

 private:
  struct Entry {
    char chain = 0;
    std::vector<std::uint8_t> loops;
  };
  const Entry* find(std::string_view gene) const;
  const Entry& require(std::string_view gene) const;

  std::string file_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace tilmatch::scoring
