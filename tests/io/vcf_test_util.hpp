#pragma once
// Helpers for the VcfReader tests: read a whole file, render rows as pVACseq's TSV columns.

#include <map>
#include <string>
#include <vector>

#include "io/vcf_reader.hpp"

namespace tilmatch::test {

/// All rows of a file, in order.
std::vector<VariantTranscript> read_all_rows(const io::VcfOptions& options,
                                             io::SkipCounts* skips = nullptr);

/// One row as pVACseq's converter TSV columns (name -> text).
std::map<std::string, std::string> to_columns(const VariantTranscript& v);

/// A TSV file (plain or gzip) as header-keyed rows.
std::vector<std::map<std::string, std::string>> read_tsv(const std::string& path);

/// Compares rows column by column; a mismatch names the row index and column. Columns in
/// `excluded` are not compared.
void expect_rows_equal(const std::vector<std::map<std::string, std::string>>& expected,
                       const std::vector<VariantTranscript>& actual,
                       const std::vector<std::string>& excluded = {});

}  // namespace tilmatch::test
