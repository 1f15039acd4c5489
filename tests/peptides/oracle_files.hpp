#pragma once
// Test-only readers for pVACseq's expected outputs: FASTA (numbered or keyed, wrapped or not) and
// the YAML key files that map FASTA record numbers to WT./MT. ids.

#include <filesystem>
#include <map>
#include <string>
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

}  // namespace tilmatch::test
