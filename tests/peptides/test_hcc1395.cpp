// HCC1395 (pvacseq example data): the combined <sample>.fasta of Class I (flank 8) and Class II
// (flank 14), downstream limit 1000 (pvacseq run's default), from the converter TSV.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <tuple>
#include <string>
#include <utility>
#include <vector>

#include "common/test_support.hpp"
#include "peptides/converter_tsv.hpp"
#include "peptides/oracle_files.hpp"

namespace tilmatch::test {
namespace {

void check_combined_fasta(const std::string& fasta_rel, int flank) {
  TILMATCH_REQUIRE_SHARED(tsv_path, "pvacseq_example/hcc1395/HCC1395_TUMOR_DNA.tsv.gz");
  TILMATCH_REQUIRE_SHARED(fasta_path, fasta_rel);
  const auto tsv = read_converter_tsv(tsv_path);
  ASSERT_EQ(tsv.rows.size(), 955u);

  peptides::WindowOptions options;
  options.flank = flank;
  // generate_protein_fasta passes no epitope length, so no window is too short.
  options.min_length = 0;
  options.downstream_limit = 1000;
  std::map<std::string, int> skips;
  std::map<std::string, std::string> got;  // "WT.<index>" -> window
  std::vector<std::pair<std::string, std::string>> got_pairs;
  for (const auto& v : tsv.rows) {
    const auto r = peptides::make_windows(v, options);
    if (!r.pair) {
      ++skips[std::string(peptides::to_string(r.skip))];
      std::cout << "skipped " << v.index << ": " << peptides::to_string(r.skip) << "\n";
      continue;
    }
    got["WT." + v.index] = r.pair->wt;
    got["MT." + v.index] = r.pair->mt;
    got_pairs.emplace_back(r.pair->wt, r.pair->mt);
  }
  for (const auto& [reason, n] : skips) std::cout << "skip " << reason << ": " << n << "\n";

  const auto records = read_fasta(fasta_path);
  std::map<std::string, std::string> expected(records.begin(), records.end());
  ASSERT_EQ(expected.size(), records.size()) << "duplicate headers";
  std::vector<std::pair<std::string, std::string>> expected_pairs;
  for (const auto& [header, sequence] : records) {
    if (header.rfind("WT.", 0) != 0) continue;
    const auto mt = expected.find("MT." + header.substr(3));
    ASSERT_NE(mt, expected.end()) << header;
    expected_pairs.emplace_back(sequence, mt->second);
  }
  EXPECT_EQ(expected_pairs.size(), 951u);
  std::sort(got_pairs.begin(), got_pairs.end());
  std::sort(expected_pairs.begin(), expected_pairs.end());
  EXPECT_EQ(got_pairs, expected_pairs);

  int mismatches = 0;
  for (const auto& [key, sequence] : expected) {
    const auto it = got.find(key);
    if (it == got.end()) {
      ADD_FAILURE() << "missing " << key;
    } else if (it->second != sequence) {
      ADD_FAILURE() << key << ": got " << it->second << " expected " << sequence;
    }
    if (it == got.end() || it->second != sequence) {
      if (++mismatches > 20) break;
    }
  }
  for (const auto& [key, sequence] : got) {
    EXPECT_TRUE(expected.count(key)) << "unexpected " << key;
  }
  EXPECT_EQ(tsv.rows.size() - got_pairs.size(), 4u);
  // One frameshift that only lengthens the protein and three inserted stops ("-/*").
  EXPECT_EQ(skips, (std::map<std::string, int>{{"not_novel", 4}}));
}

TEST(Hcc1395, ClassIFastaFlank8) { check_combined_fasta("pvacseq_example/hcc1395/MHC_Class_I/HCC1395_TUMOR_DNA.fasta", 8); }

TEST(Hcc1395, ClassIIFastaFlank14) {
  check_combined_fasta("pvacseq_example/hcc1395/MHC_Class_II/HCC1395_TUMOR_DNA.fasta", 14);
}

// The filtered reports list a few epitopes each (best per variant after binding filters): every one
// must be among ours, with the same Sub-peptide and Mutation Position. Lengths: -e1 8,9 / -e2 15;
// downstream limit 1000.
void check_filtered_report(const std::string& report_rel, const std::vector<int>& lengths) {
  TILMATCH_REQUIRE_SHARED(tsv_path, "pvacseq_example/hcc1395/HCC1395_TUMOR_DNA.tsv.gz");
  TILMATCH_REQUIRE_SHARED(report_path, report_rel);
  const auto tsv = read_converter_tsv(tsv_path);
  const auto expected = read_all_epitopes(report_path);
  ASSERT_FALSE(expected.empty());
  const auto got = generate_epitopes(tsv.rows, lengths, 1000);
  for (const auto& r : expected) {
    EXPECT_TRUE(got.count(r)) << "missing " << std::get<0>(r) << " L=" << std::get<1>(r) << " pos=" << std::get<2>(r)
                              << " mut=" << std::get<3>(r) << " " << std::get<4>(r) << "/" << std::get<5>(r);
  }
}

TEST(Hcc1395, ClassIFilteredEpitopesAreGenerated) {
  check_filtered_report("pvacseq_example/hcc1395/MHC_Class_I/HCC1395_TUMOR_DNA.MHC_I.filtered.tsv", {8, 9});
}

TEST(Hcc1395, ClassIIFilteredEpitopesAreGenerated) {
  check_filtered_report("pvacseq_example/hcc1395/MHC_Class_II/HCC1395_TUMOR_DNA.MHC_II.filtered.tsv", {15});
}

// The aggregated reports name one best MT peptide per variant (Index, Best Peptide, Pos = its
// Mutation Position): 358 Class I and the Class II variants, all variant types.
void check_aggregated_report(const std::string& report_rel, const std::vector<int>& lengths) {
  TILMATCH_REQUIRE_SHARED(tsv_path, "pvacseq_example/hcc1395/HCC1395_TUMOR_DNA.tsv.gz");
  TILMATCH_REQUIRE_SHARED(report_path, report_rel);
  const auto tsv = read_converter_tsv(tsv_path);
  std::set<std::tuple<std::string, std::string, std::string>> got;
  for (const auto& r : generate_epitopes(tsv.rows, lengths, 1000)) {
    got.emplace(std::get<0>(r), std::get<4>(r), std::get<3>(r));
  }
  const auto table = read_tsv_table(report_path);
  ASSERT_GT(table.size(), 10u);
  for (const auto& row : table) {
    const std::tuple<std::string, std::string, std::string> key{row.at("Index"), row.at("Best Peptide"), row.at("Pos")};
    EXPECT_TRUE(got.count(key)) << "missing " << std::get<0>(key) << " " << std::get<1>(key) << " pos "
                                << std::get<2>(key);
  }
}

TEST(Hcc1395, ClassIAggregatedBestPeptidesAreGenerated) {
  check_aggregated_report("pvacseq_example/hcc1395/MHC_Class_I/HCC1395_TUMOR_DNA.MHC_I.all_epitopes.aggregated.tsv",
                          {8, 9});
}

TEST(Hcc1395, ClassIIAggregatedBestPeptidesAreGenerated) {
  check_aggregated_report("pvacseq_example/hcc1395/MHC_Class_II/HCC1395_TUMOR_DNA.MHC_II.all_epitopes.aggregated.tsv",
                          {15});
}

}  // namespace
}  // namespace tilmatch::test
