#pragma once
/// Readers for reference TCR databases with known epitopes: VDJdb TSV (release `vdjdb.txt`/web export,
/// one chain per row paired by complex id), TCRMatch/IEDB TSV (`trimmed_seq, original_seq, ...`), and
/// tilmatch's own reference TSV (docs/formats.md), which the VDJdb-derived table in ../shared also uses.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tilmatch/tcr.hpp"

namespace tilmatch::io {

enum class ReferenceFormat { kAuto, kTilmatch, kVdjdb, kIedb };

std::string_view to_string(ReferenceFormat f) noexcept;
/// "auto", "tilmatch", "vdjdb", "iedb"; throws UsageError otherwise.
ReferenceFormat parse_reference_format(std::string_view name);

struct ReferenceDb {
  ReferenceFormat format = ReferenceFormat::kAuto;
  std::vector<ReferenceTcr> rows;
  /// Rows labelled 0 in a tilmatch table's optional `label` column: TCRs known not to recognise
  /// their epitope (as IMMREP's negatives). `tilmatch run` weighs evidence against them
  /// (docs/scoring.md, "Class balance"); they are never references themselves.
  std::vector<ReferenceTcr> negatives;
  /// reason -> rows skipped ("missing_cdr3", "non_amino_acid", "missing_epitope", "invalid_epitope", ...).
  std::map<std::string, std::int64_t> skipped;
};

/// Reads a whole reference database; rows with no usable beta CDR3 or epitope are counted and
/// skipped; a file that is no reference table throws InputError.
ReferenceDb read_reference(const std::string& path, ReferenceFormat format = ReferenceFormat::kAuto);

}  // namespace tilmatch::io
