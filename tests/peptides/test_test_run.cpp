// pVACseq test_run (tests/test_data/pvacseq): per-length FASTA sent to the predictors and the
// (MT, WT) epitope pairs of all_epitopes.tsv, lengths 9 and 10, "-d full" (no downstream limit).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/test_support.hpp"
#include "peptides/converter_tsv.hpp"
#include "peptides/oracle_files.hpp"

namespace tilmatch::test {
namespace {

constexpr const char* kDir = "pvacseq_example/test_run/MHC_Class_I";
constexpr const char* kDirII = "pvacseq_example/test_run/MHC_Class_II";

peptides::WindowOptions options_for(int length) {
  peptides::WindowOptions options;
  options.flank = length - 1;
  options.min_length = length;
  return options;
}

template <typename Project>
auto project(const std::set<EpitopeRow>& rows, Project p) {
  std::set<decltype(p(*rows.begin()))> out;
  for (const auto& r : rows) out.insert(p(r));
  return out;
}

TEST(TestRun, PerLengthFastaMatchesPredictorInput) {
  TILMATCH_REQUIRE_SHARED(dir, kDir);
  const auto tsv = read_converter_tsv(dir / "Test.tsv");
  ASSERT_EQ(tsv.rows.size(), 24u);
  for (const int length : {9, 10}) {
    SCOPED_TRACE("length " + std::to_string(length));
    const std::string stem = "tmp/Test." + std::to_string(length) + ".fa.split_1-48";
    const auto expected = read_merged_fasta(dir / stem, dir / (stem + ".key"));
    EXPECT_EQ(generate_merged_fasta(tsv.rows, options_for(length)), expected);
  }
}

TEST(TestRun, CombinedFastaFlank9) {
  TILMATCH_REQUIRE_SHARED(dir, kDir);
  const auto tsv = read_converter_tsv(dir / "Test.tsv");
  peptides::WindowOptions options;
  options.flank = 9;  // max epitope length 10 - 1
  options.min_length = 0;
  std::map<std::string, std::string> got;
  for (const auto& v : tsv.rows) {
    const auto r = peptides::make_windows(v, options);
    if (!r.pair) continue;
    got["WT." + v.index] = r.pair->wt;
    got["MT." + v.index] = r.pair->mt;
  }
  const auto records = read_fasta(dir / "Test.fasta");
  const std::map<std::string, std::string> expected(records.begin(), records.end());
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(got, expected);
}

TEST(TestRun, EpitopePairsMatchAllEpitopes) {
  TILMATCH_REQUIRE_SHARED(dir, kDir);
  const auto tsv = read_converter_tsv(dir / "Test.tsv");
  const auto expected = read_all_epitopes(dir / "Test.MHC_I.all_epitopes.tsv.gz");
  const auto got = generate_epitopes(tsv.rows, {9, 10});
  const auto pair = [](const EpitopeRow& r) { return std::make_tuple(std::get<1>(r), std::get<4>(r), std::get<5>(r)); };
  const auto expected_pairs = project(expected, pair);
  const auto got_pairs = project(got, pair);
  EXPECT_GT(expected_pairs.size(), 0u);
  for (const auto& p : expected_pairs) {
    EXPECT_TRUE(got_pairs.count(p)) << "missing L=" << std::get<0>(p) << " MT " << std::get<1>(p) << " WT '"
                                    << std::get<2>(p) << "'";
  }
  for (const auto& p : got_pairs) {
    EXPECT_TRUE(expected_pairs.count(p)) << "extra L=" << std::get<0>(p) << " MT " << std::get<1>(p) << " WT '"
                                         << std::get<2>(p) << "'";
  }
}

TEST(TestRun, SubPeptideAndMutationPositionsMatchAllEpitopes) {
  TILMATCH_REQUIRE_SHARED(dir, kDir);
  const auto tsv = read_converter_tsv(dir / "Test.tsv");
  const auto expected = read_all_epitopes(dir / "Test.MHC_I.all_epitopes.tsv.gz");
  const auto got = generate_epitopes(tsv.rows, {9, 10});
  const auto print = [](const EpitopeRow& r) {
    return std::get<0>(r) + " L=" + std::to_string(std::get<1>(r)) + " pos=" + std::to_string(std::get<2>(r)) +
           " mut=" + std::get<3>(r) + " " + std::get<4>(r) + "/" + std::get<5>(r);
  };
  for (const auto& r : expected) EXPECT_TRUE(got.count(r)) << "missing " << print(r);
  for (const auto& r : got) EXPECT_TRUE(expected.count(r)) << "extra " << print(r);
}

// Class II (NNalign, length 15, flank 14); the run's converter TSV is the Class I one.
TEST(TestRun, ClassIILength15) {
  TILMATCH_REQUIRE_SHARED(dir, kDir);
  TILMATCH_REQUIRE_SHARED(dir2, kDirII);
  const auto tsv = read_converter_tsv(dir / "Test.tsv");
  const auto expected_fasta =
      read_merged_fasta(dir2 / "tmp/Test.15.fa.split_1-48", dir2 / "tmp/Test.15.fa.split_1-48.key");
  EXPECT_EQ(generate_merged_fasta(tsv.rows, options_for(15)), expected_fasta);

  peptides::WindowOptions options;
  options.flank = 14;
  options.min_length = 0;
  std::map<std::string, std::string> got_windows;
  for (const auto& v : tsv.rows) {
    const auto r = peptides::make_windows(v, options);
    if (!r.pair) continue;
    got_windows["WT." + v.index] = r.pair->wt;
    got_windows["MT." + v.index] = r.pair->mt;
  }
  const auto records = read_fasta(dir2 / "Test.fasta");
  EXPECT_EQ(got_windows, (std::map<std::string, std::string>(records.begin(), records.end())));

  const auto expected = read_all_epitopes(dir2 / "Test.MHC_II.all_epitopes.tsv.gz");
  const auto got = generate_epitopes(tsv.rows, {15});
  EXPECT_FALSE(expected.empty());
  for (const auto& r : expected) {
    EXPECT_TRUE(got.count(r)) << "missing " << std::get<0>(r) << " pos=" << std::get<2>(r) << " mut=" << std::get<3>(r)
                              << " " << std::get<4>(r) << "/" << std::get<5>(r);
  }
  for (const auto& r : got) {
    EXPECT_TRUE(expected.count(r)) << "extra " << std::get<0>(r) << " pos=" << std::get<2>(r) << " mut=" << std::get<3>(r)
                                   << " " << std::get<4>(r) << "/" << std::get<5>(r);
  }
}

}  // namespace
}  // namespace tilmatch::test
