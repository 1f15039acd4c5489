#include "io/vcf_test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/test_support.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::test {

std::vector<VariantTranscript> read_all_rows(const io::VcfOptions& options, io::SkipCounts* skips) {
  io::VcfReader reader(options);
  std::vector<VariantTranscript> all;
  std::vector<VariantTranscript> batch;
  while (reader.next(batch)) {
    for (auto& v : batch) all.push_back(std::move(v));
  }
  if (skips) *skips = reader.skips();
  return all;
}

std::map<std::string, std::string> to_columns(const VariantTranscript& v) {
  return {
      {"chromosome_name", v.chromosome_name},
      {"start", std::to_string(v.start)},
      {"stop", std::to_string(v.stop)},
      {"reference", v.reference},
      {"variant", v.variant},
      {"gene_name", v.gene_name},
      {"transcript_name", v.transcript_name},
      {"transcript_support_level", v.transcript_support_level},
      {"canonical", v.canonical},
      {"mane_select", v.mane_select},
      {"transcript_length", std::to_string(v.wildtype_protein.size())},
      {"biotype", v.biotype},
      {"transcript_cds_flags", v.transcript_cds_flags},
      {"amino_acid_change", v.amino_acid_change},
      {"codon_change", v.codon_change},
      {"ensembl_gene_id", v.ensembl_gene_id},
      {"hgvsc", v.hgvsc},
      {"hgvsp", v.hgvsp},
      {"wildtype_amino_acid_sequence", v.wildtype_protein},
      {"frameshift_amino_acid_sequence", v.frameshift_protein},
      {"variant_type", std::string(to_string(v.variant_type))},
      {"protein_position", v.protein_position},
      {"transcript_expression", v.transcript_expression},
      {"gene_expression", v.gene_expression},
      {"normal_depth", v.normal_depth.text},
      {"normal_vaf", v.normal_vaf.text},
      {"tdna_depth", v.tdna_depth.text},
      {"tdna_vaf", v.tdna_vaf.text},
      {"trna_depth", v.trna_depth.text},
      {"trna_vaf", v.trna_vaf.text},
      {"index", v.index},
      {"protein_length_change", v.protein_length_change},
  };
}

std::vector<std::map<std::string, std::string>> read_tsv(const std::string& path) {
  std::string content = read_text_maybe_gz(path);
  std::vector<std::map<std::string, std::string>> rows;
  std::vector<std::string> header;
  std::size_t begin = 0;
  while (begin < content.size()) {
    auto end = content.find('\n', begin);
    if (end == std::string::npos) end = content.size();
    std::string_view line(content.data() + begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    begin = end + 1;
    if (line.empty()) continue;
    auto cells = text::split(line, '\t');
    if (header.empty()) {
      for (auto c : cells) header.emplace_back(c);
      continue;
    }
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size(); ++i) {
      row[header[i]] = i < cells.size() ? std::string(cells[i]) : std::string();
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void expect_rows_equal(const std::vector<std::map<std::string, std::string>>& expected,
                       const std::vector<VariantTranscript>& actual,
                       const std::vector<std::string>& excluded) {
  ASSERT_EQ(actual.size(), expected.size()) << "row count differs";
  int mismatches = 0;
  for (std::size_t i = 0; i < expected.size() && mismatches < 20; ++i) {
    auto got = to_columns(actual[i]);
    for (const auto& [name, text] : got) {
      if (std::find(excluded.begin(), excluded.end(), name) != excluded.end()) continue;
      auto it = expected[i].find(name);
      ASSERT_NE(it, expected[i].end()) << "expected table has no column " << name;
      if (it->second != text) {
        ++mismatches;
        ADD_FAILURE() << "row " << i << " (" << expected[i].at("index") << ") column " << name
                      << ": expected '" << it->second << "', got '" << text << "'";
      }
    }
  }
}

}  // namespace tilmatch::test
