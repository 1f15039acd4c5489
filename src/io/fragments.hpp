#pragma once
/// A patient's TIL cultures: reads the fragment manifest and every culture's repertoire, and merges
/// the clonotypes across cultures into a ClonotypeTable (include/tilmatch/clonotypes.hpp).

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "io/repertoire.hpp"
#include "tilmatch/clonotypes.hpp"

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

/// Merges already-read repertoires (`reps[i]` belongs to `entries[i]`). Pure function.
ClonotypeTable merge_repertoires(const std::vector<FragmentEntry>& entries, const std::vector<Repertoire>& reps);

/// Reads the manifest and every repertoire (up to `threads` files at once, 0 = all cores) and merges
/// them in manifest order; the result does not depend on `threads`. A repertoire with no usable row
/// is an InputError naming the fragment and its file.
ClonotypeTable load_fragments(const std::string& manifest_path, unsigned threads = 0);

/// The rows the repertoire readers left out (non-productive, other chains, unusable CDR3s...),
/// summed over the cultures, by reason.
std::map<std::string, std::int64_t> skipped_rows(const std::vector<FragmentSummary>& fragments);

/// Rows left out of each of several sources (a culture, a file), by reason.
using SkippedBySource = std::vector<std::pair<std::string, std::map<std::string, std::int64_t>>>;

/// For a note: "non_productive 20 (F02 12, F03 8); unsupported_locus 150 (F01 150)", reasons in
/// name order, sources in their order; empty when no row was left out.
std::string skipped_rows_text(const SkippedBySource& sources);

/// The same with the cultures the rows came from, in manifest order.
std::string skipped_rows_text(const std::vector<FragmentSummary>& fragments);

}  // namespace tilmatch::io
