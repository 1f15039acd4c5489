#pragma once
/// Readers for TIL-culture repertoires: AIRR rearrangement TSV, 10x Genomics
/// filtered_contig_annotations.csv, MiXCR clone tables, Adaptive ImmunoSEQ exports, tcrdist3-style
/// CSV and plain CDR3 lists. The format is detected from the header and can be forced.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "io/line_reader.hpp"
#include "tilmatch/tcr.hpp"

namespace tilmatch::io {

enum class RepertoireFormat { kAuto, kAirr, kTenx, kMixcr, kAdaptive, kTcrdist, kCdr3List };

std::string_view to_string(RepertoireFormat f) noexcept;
/// "auto", "airr", "10x", "mixcr", "adaptive", "tcrdist", "cdr3-list"; throws UsageError otherwise.
RepertoireFormat parse_repertoire_format(std::string_view name);

/// One clonotype row after normalisation (several rows may share a clonotype).
struct RepertoireRow {
  Tcr tcr;
  double count = 1;  ///< reads/UMIs/templates/cells as the format gives them; 1 when absent
  /// The row's own identifier when the format has one (AIRR sequence_id or cell_id, 10x barcode,
  /// MiXCR cloneId, tcrdist3 clone_id); empty otherwise.
  std::string id;
  /// 1-based line of the row in its file (the line a tabular reader's errors name); 0 for rows
  /// paired per cell, which come from several lines.
  std::int64_t line = 0;
};

struct Repertoire {
  RepertoireFormat format = RepertoireFormat::kAuto;
  std::vector<RepertoireRow> rows;
  /// reason -> rows skipped: "non_productive", "missing_cdr3", "stop_codon",
  /// "non_amino_acid", "no_beta_chain", "unsupported_locus", "not_a_cell", ...
  std::map<std::string, std::int64_t> skipped;
  /// CDR3s read from AIRR `cdr3_aa` (no junction) had the conserved C and F added.
  std::int64_t anchors_added = 0;
};

/// Detects the format from the first line of `path`; throws InputError when it is no known format.
RepertoireFormat detect_repertoire_format(const std::string& path);

/// Receives the usable rows of a repertoire, one at a time, in file order.
using RowSink = std::function<void(RepertoireRow&&)>;

/// What a streamed read found besides its rows.
struct RepertoireSummary {
  RepertoireFormat format = RepertoireFormat::kAuto;
  std::int64_t rows = 0;  ///< rows given to the sink
  std::map<std::string, std::int64_t> skipped;
  std::int64_t anchors_added = 0;
};

/// Reads `path` row by row, handing each usable row to `sink` as soon as it is read, so memory does
/// not grow with the file. Single-cell rows (10x contigs, AIRR rows with cell_id) are paired per
/// cell and reach the sink only after the whole file is read. Errors as read_repertoire; rows
/// already given to the sink stay given.
RepertoireSummary stream_repertoire(const std::string& path, RepertoireFormat format, const RowSink& sink);
/// The same over an in-memory file (io/line_reader.hpp), parsed exactly as a file of its bytes;
/// errors name `file.name`.
RepertoireSummary stream_repertoire(const MemoryFile& file, RepertoireFormat format, const RowSink& sink);

/// Reads a whole repertoire. Bad rows are counted per reason in `skipped`; a file that is not a
/// repertoire at all (no known header, missing required columns) throws InputError.
Repertoire read_repertoire(const std::string& path, RepertoireFormat format = RepertoireFormat::kAuto);

}  // namespace tilmatch::io
