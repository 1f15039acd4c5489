#pragma once
/// Shared by `tilmatch search` and `tilmatch neighbors`: option parsing, loading query and
/// reference tables, and turning them into scorer records.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "io/repertoire.hpp"
#include "scoring/engine.hpp"
#include "scoring/vgene_table.hpp"
#include "tilmatch/tcr.hpp"

namespace tilmatch::cli {

/// "beta", "alpha" or "alpha_beta"; UsageError otherwise.
scoring::Chains parse_chains(const std::string& text);

/// --memory: parse_byte_size() of at least 1 MiB; UsageError naming `option` otherwise.
std::size_t parse_memory(const std::string& text, const std::string& option);

/// A TCRMatch threshold as TCRMatch 1.3 reads `-s` (std::stof: the decimal rounded once to
/// float32), but strict: the whole text must be a number in [0, 1] (TCRMatch's own range check),
/// else UsageError naming `option`.
float parse_tcrmatch_threshold(const std::string& text, const std::string& option);

/// One side of a search: TCRs in input order, with display ids and (for reference databases)
/// annotation. `annotated` says whether epitope/mhc/... columns exist.
struct SearchTable {
  std::vector<std::string> ids;
  std::vector<Tcr> tcrs;
  std::vector<ReferenceTcr> annotation;  ///< same order as tcrs when annotated
  bool annotated = false;
  std::map<std::string, std::int64_t> skipped;  ///< rows not used, by reason
};

/// The id a search writes for `row`: its own id where the format has one (RepertoireRow::id), else
/// its 1-based line in the file (so a skipped row does not shift the ids after it), else (rows
/// paired per cell without an id, which no reader makes) `usable_row`, its 1-based number among
/// the usable rows.
std::string row_id(const io::RepertoireRow& row, std::size_t usable_row);

/// Reads a repertoire ("-" = a CDR3 list on stdin); ids as row_id.
SearchTable load_repertoire_table(const std::string& path, const std::string& format);

/// A run of consecutive query TCRs: `first` is the 0-based number of the first among all usable rows.
struct QueryBlock {
  std::size_t first = 0;
  std::vector<std::string> ids;
  std::vector<Tcr> tcrs;
};

/// Streams a repertoire ("-" = a CDR3 list on stdin) in blocks of at most `block_size` TCRs, each
/// handed to `consume` before more is read, so memory holds one block whatever the file's size.
/// Ids as row_id. Returns the read's summary (log its skipped rows with log_skipped).
io::RepertoireSummary stream_repertoire_blocks(const std::string& path, const std::string& format,
                                               std::size_t block_size,
                                               const std::function<void(const QueryBlock&)>& consume);

/// How a stage line names an output: the path, or "standard output" for "-".
std::string output_name(const std::string& path);

/// One stage line when rows were skipped: "<path>: N rows skipped (reason n, ...)". Silently
/// missing rows are the surprise a user cannot diagnose: a file without a locus column whose
/// v_call is "n.a." loses those rows, a database its other chains and species.
void log_skipped(const std::string& path, const std::map<std::string, std::int64_t>& skipped);

/// Throws InputError naming `path` (`role` says which input it is, e.g. "query TCR") when `usable`
/// is 0, listing `skipped`, unless `allow_empty`: searching an empty side finds nothing, which is
/// far more often a wrong file or format than an answer.
void require_usable(std::size_t usable, const std::string& path, const std::string& role,
                    const std::map<std::string, std::int64_t>& skipped, bool allow_empty);

/// Reads a reference database; with format "auto", a file that is no reference table is read as a
/// repertoire instead (ids = row numbers, no annotation).
SearchTable load_reference_table(const std::string& path, const std::string& format);

/// Scorer records (CDR3s and V genes) of `tcrs`.
std::vector<scoring::TcrRecord> tcrdist_records(const std::vector<Tcr>& tcrs);

/// Adds to `counts` how the V genes of `tcrs` (of each chain scored under `chains`) resolve in `vgenes`.
void count_vgenes(const std::vector<Tcr>& tcrs, const scoring::VGeneTable& vgenes, scoring::Chains chains,
                  scoring::VGeneCounts& counts);

/// True when some TCR has a V gene on a chain scored under `chains`.
bool carries_vgenes(const std::vector<Tcr>& tcrs, scoring::Chains chains);

/// The V-gene table of `search` and `neighbors`: --v-gene-table's (loaded into `loaded`), else the
/// built-in one; null with --no-v-genes or when `tcrs` carry no V gene of a scored chain (CDR3 only).
const scoring::VGeneTable* choose_vgene_table(const std::string& path, bool use_v_genes, const std::vector<Tcr>& tcrs,
                                              scoring::Chains chains, std::optional<scoring::VGeneTable>& loaded);

/// Logs how the V genes resolved: a warning naming `what` when some were guessed or unknown.
void report_vgenes(const std::string& command, const std::string& what, const scoring::VGeneTable& vgenes,
                   const scoring::VGeneCounts& counts);

/// count_vgenes over `tcrs`, then report_vgenes; nothing when `vgenes` is null (CDR3 only).
void count_and_report_vgenes(const std::string& command, const std::string& what, const std::vector<Tcr>& tcrs,
                             const scoring::VGeneTable* vgenes, scoring::Chains chains);

/// TCRMatch inputs: beta CDR3s with TCRMatch's C...F trimming.
std::vector<std::string> tcrmatch_sequences(const std::vector<Tcr>& tcrs);

}  // namespace tilmatch::cli
