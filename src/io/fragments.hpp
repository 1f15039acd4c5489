#pragma once
/// A patient's TIL cultures: the fragment manifest, every culture's repertoire, and the clonotypes
/// deduplicated across cultures with sparse per-culture counts and frequencies.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "io/repertoire.hpp"
#include "tilmatch/tcr.hpp"

namespace tilmatch::io {

/// One row of the manifest TSV: `fragment_id`, `path` (absolute, or relative to the manifest's folder
/// and inside it), optional
/// `format` (see parse_repertoire_format) and any other columns kept as metadata.
struct FragmentEntry {
  std::string id;
  std::string path;
  RepertoireFormat format = RepertoireFormat::kAuto;
  std::map<std::string, std::string> metadata;
};

/// Reads and checks the manifest: required columns, unique non-empty ids, existing files.
/// Throws InputError naming the manifest, the line and the column.
std::vector<FragmentEntry> read_manifest(const std::string& path);

struct FragmentSummary {
  std::string id;
  std::string path;
  RepertoireFormat format = RepertoireFormat::kAuto;
  std::map<std::string, std::string> metadata;
  std::int64_t rows = 0;        ///< usable rows read
  double total_count = 0;       ///< sum of counts over usable rows
  std::int64_t clonotypes = 0;  ///< distinct clonotypes in this fragment
  std::map<std::string, std::int64_t> skipped;
};

/// A clonotype: CDR3b + TRBV gene [+ CDR3a + TRAV gene]; V names are gene level (allele removed).
/// `tcr.jb`/`tcr.ja` is the smallest J name seen for it (J is not part of the key).
struct Clonotype {
  Tcr tcr;
};

/// Sparse count of one clonotype in one fragment; frequency = count / fragment total.
struct ClonotypeCount {
  std::uint32_t clonotype = 0;
  std::uint32_t fragment = 0;
  double count = 0;
  double frequency = 0;
};

struct ClonotypeTable {
  std::vector<Clonotype> clonotypes;      ///< sorted by (cdr3b, vb, cdr3a, va)
  std::vector<FragmentSummary> fragments; ///< manifest order
  std::vector<ClonotypeCount> counts;     ///< sorted by (clonotype, fragment)
};

/// Merges already-read repertoires (`reps[i]` belongs to `entries[i]`). Pure function.
ClonotypeTable merge_repertoires(const std::vector<FragmentEntry>& entries, const std::vector<Repertoire>& reps);

/// Reads the manifest and every repertoire (up to `threads` files at once, 0 = all cores) and merges
/// them in manifest order; the result does not depend on `threads`. A repertoire with no usable row
/// is an InputError naming the fragment and its file.
ClonotypeTable load_fragments(const std::string& manifest_path, unsigned threads = 0);

}  // namespace tilmatch::io
