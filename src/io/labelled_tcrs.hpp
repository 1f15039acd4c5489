#pragma once
/// Inputs of `tilmatch predict`: query TCRs (any repertoire layout, or IMMREP22's paired columns)
/// and reference TCRs labelled as binding (1) or not (0) an epitope: a table with `epitope` and
/// `label` columns in any of those layouts, or IMMREP22-style per-epitope files
/// `<EPITOPE>.txt[.gz]` with a `Label` column, given one by one or as their folder.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tilmatch/tcr.hpp"

namespace tilmatch::io {

/// Query TCRs in file order with the ids `predict` writes.
struct IdentifiedTcrs {
  /// The row's own id (AIRR sequence_id, MiXCR cloneId, tcrdist3 clone_id; RepertoireRow::id) or
  /// else its 1-based data row number (its line minus the header's line).
  std::vector<std::string> ids;
  std::vector<Tcr> tcrs;
  /// 1-based line of each TCR in the file; 0 for TCRs paired per cell (from several lines).
  std::vector<std::int64_t> lines;
  std::map<std::string, std::int64_t> skipped;  ///< rows not used, by reason
};

/// True when the first line of `path` has IMMREP22's `TRB_CDR3` column.
bool is_immrep_table(const std::string& path);

/// Reads queries: format "immrep" (columns TRAV, TRAJ, TRA_CDR3, TRBV, TRBJ, TRB_CDR3), one of
/// io::parse_repertoire_format's names, or "auto" (IMMREP when is_immrep_table, else detected).
/// Rows paired per cell (10x contigs, AIRR with cell_id) take their cell's id. Rows without a usable
/// beta CDR3 are counted in `skipped`; a file of no known layout throws InputError.
IdentifiedTcrs read_query_tcrs(const std::string& path, const std::string& format);

/// A reference TCR with its label for one epitope.
struct LabelledTcr {
  /// "<file stem>:<data row>" ("<EPITOPE>:<row>" for an IMMREP file), or the row's own id.
  std::string id;
  Tcr tcr;
  std::string epitope;  ///< peptide, upper case
  bool positive = false;
  std::string file;        ///< the file it came from
  std::int64_t line = 0;   ///< its 1-based line there
};

struct LabelledTcrs {
  std::vector<LabelledTcr> rows;                ///< in the order read: files as given, rows in file order
  std::map<std::string, std::int64_t> skipped;  ///< rows not used, by reason
};

/// Appends the labelled references of `path` to `out`:
/// - a folder: each `<EPITOPE>.txt`, `.txt.gz`, `.tsv` or `.tsv.gz` in it whose stem is a peptide
///   (other files, such as READMEs, are ignored), in name order, read as below;
/// - a file with an `epitope` column and a `label` column: each row's TCR in the file's layout
///   (as read_query_tcrs), its epitope and label;
/// - a file without an `epitope` column but with a `Label` column and a peptide as its stem: an
///   IMMREP22-style file of that epitope.
/// Labels are 1 (binds) and 0 or -1 (does not: IMMREP22 writes -1). An unknown label, an epitope
/// that is no peptide, a layout that pairs rows per cell, or a folder without such files throw
/// InputError naming the file (and line and column).
void read_labelled_references(const std::string& path, LabelledTcrs& out);

}  // namespace tilmatch::io
