#pragma once
// Test-only readers for pVACseq's expected outputs: FASTA (numbered or keyed, wrapped or not) and
// the YAML key files that map FASTA record numbers to WT./MT. ids.

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "tilmatch/variant.hpp"
#include "peptides/peptides.hpp"

namespace tilmatch::test {

/// (header without '>', sequence with wrapped lines joined), in file order.
std::vector<std::pair<std::string, std::string>> read_fasta(const std::filesystem::path& path);

/// YAML "n:\n- id\n- id" -> {n: [ids]}.
std::map<int, std::vector<std::string>> read_fasta_key(const std::filesystem::path& path);

/// (sequence, ids) per record of a numbered FASTA + key, in record order.
using MergedFasta = std::vector<std::pair<std::string, std::vector<std::string>>>;
MergedFasta read_merged_fasta(const std::filesystem::path& fasta, const std::filesystem::path& key);

/// FastaGenerator's output for `rows`: identical sequences merged, first occurrence first.
/// `skips` (optional) counts the reason for each row without a window pair.
MergedFasta generate_merged_fasta(const std::vector<VariantTranscript>& rows, const peptides::WindowOptions& options,
                                  std::map<std::string, int>* skips = nullptr);

/// Rows of a TSV with a header (plain or gzip), as column name -> value.
std::vector<std::map<std::string, std::string>> read_tsv_table(const std::filesystem::path& path);

/// (index, length, Sub-peptide Position, Mutation Position, MT epitope, WT epitope or "").
using EpitopeRow = std::tuple<std::string, int, int, std::string, std::string, std::string>;

/// The epitope rows of a pVACseq all_epitopes / filtered report (plain or gzip); "NA" WT -> "".
std::set<EpitopeRow> read_all_epitopes(const std::filesystem::path& path);

/// make_epitopes over `rows` for each length, windows built with flank = length - 1, no downstream
/// limit unless given.
std::set<EpitopeRow> generate_epitopes(const std::vector<VariantTranscript>& rows, const std::vector<int>& lengths,
                                       std::optional<int> downstream_limit = std::nullopt);

}  // namespace tilmatch::test
