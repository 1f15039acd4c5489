#pragma once
/// Shared by `tilmatch search` and `tilmatch neighbors`: option parsing, loading query and
/// reference tables, and turning them into scorer records.

#include <cstddef>
#include <string>
#include <vector>

#include "scoring/engine.hpp"
#include "tilmatch/tcr.hpp"

namespace tilmatch::scoring {
class VGeneTable;
}

namespace tilmatch::cli {

/// "beta", "alpha" or "alpha_beta"; UsageError otherwise.
scoring::Chains parse_chains(const std::string& text);

/// Byte counts such as "512M", "4G", "1.5G", "1000000" (K/M/G/T are powers of 1024); UsageError otherwise.
std::size_t parse_memory(const std::string& text, const std::string& option);

/// One side of a search: TCRs in input order, with display ids and (for reference databases)
/// annotation. `annotated` says whether epitope/mhc/... columns exist.
struct SearchTable {
  std::vector<std::string> ids;
  std::vector<Tcr> tcrs;
  std::vector<ReferenceTcr> annotation;  ///< same order as tcrs when annotated
  bool annotated = false;
};

/// Reads a repertoire ("-" = a CDR3 list on stdin); ids are the rows' own ids where the format has
/// them (RepertoireRow::id), else 1-based row numbers.
SearchTable load_repertoire_table(const std::string& path, const std::string& format);

/// Reads a reference database; with format "auto", a file that is no reference table is read as a
/// repertoire instead (ids = row numbers, no annotation).
SearchTable load_reference_table(const std::string& path, const std::string& format);

/// Scorer records (CDR3s and V genes) of `tcrs`.
std::vector<scoring::TcrRecord> tcrdist_records(const std::vector<Tcr>& tcrs);

/// Throws InputError naming `path` and the 1-based row of the first TCR whose V gene (of a chain
/// scored under `chains`) is missing from `vgenes` or empty.
void check_vgenes(const SearchTable& table, const std::string& path, const scoring::VGeneTable& vgenes,
                  scoring::Chains chains);

/// TCRMatch inputs: beta CDR3s with TCRMatch's C...F trimming.
std::vector<std::string> tcrmatch_sequences(const std::vector<Tcr>& tcrs);

}  // namespace tilmatch::cli
