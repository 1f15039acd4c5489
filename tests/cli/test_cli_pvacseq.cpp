// Acceptance against pVACseq's own outputs (../shared/data/pvacseq_example), run through the CLI on
// the real VCFs, each as VCF.gz and as BCF.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/test_support.hpp"

namespace fs = std::filesystem;
using namespace tilmatch::test;

namespace {

using PairMultiset = std::multiset<std::pair<std::string, std::string>>;

/// (WT, MT) window pairs keyed by candidate index from a pVACseq-convention FASTA.
std::map<std::string, std::pair<std::string, std::string>> window_pairs(const std::string& fasta) {
  std::map<std::string, std::pair<std::string, std::string>> out;
  for (const auto& [header, seq] : parse_fasta(fasta)) {
    const std::string key = header.substr(3);
    if (header.rfind("WT.", 0) == 0) out[key].first = seq;
    if (header.rfind("MT.", 0) == 0) out[key].second = seq;
  }
  return out;
}

PairMultiset values(const std::map<std::string, std::pair<std::string, std::string>>& m) {
  PairMultiset out;
  for (const auto& [k, v] : m) out.insert(v);
  return out;
}

void expect_same_windows(const fs::path& ours, const fs::path& theirs) {
  auto a = window_pairs(read_file(ours));
  auto b = window_pairs(read_text_maybe_gz(theirs));
  ASSERT_FALSE(b.empty());
  EXPECT_EQ(a.size(), b.size());
  EXPECT_TRUE(values(a) == values(b)) << "window pair multisets differ";
  for (const auto& [key, pair] : b) {
    auto it = a.find(key);
    if (it == a.end()) {
      ADD_FAILURE() << "missing " << key;
      continue;
    }
    EXPECT_EQ(it->second, pair) << key;
  }
  for (const auto& [key, pair] : a) EXPECT_TRUE(b.count(key)) << "extra " << key;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) throw std::runtime_error("no column " + name);
  return static_cast<std::size_t>(it - header.begin());
}

}  // namespace

class HccWindows : public ::testing::TestWithParam<const char*> {};

TEST_P(HccWindows, MatchPvacseqClassIAndClassII) {
  TILMATCH_REQUIRE_SHARED(vcf_gz, "pvacseq_example/hcc1395/annotated.expression.vcf.gz");
  const fs::path expected = vcf_gz.parent_path();
  ScratchDir dir;
  fs::path input = vcf_gz;
  if (std::string(GetParam()) == "bcf") {
    input = dir / "hcc.bcf";
    convert_vcf(vcf_gz, input, "wb");
  }
  const std::string common = "peptides --vcf '" + input.string() +
                             "' --sample HCC1395_TUMOR_DNA --normal-sample HCC1395_NORMAL_DNA ";
  auto r1 = run_tilmatch(common + "--class1-lengths 8,9 --class2-lengths none --out '" + (dir / "c1").string() + "'");
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  expect_same_windows(dir / "c1/windows.fasta", expected / "MHC_Class_I/HCC1395_TUMOR_DNA.fasta");
  auto r2 = run_tilmatch(common + "--class1-lengths none --class2-lengths 15 --flank 14 --out '" +
                         (dir / "c2").string() + "'");
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  expect_same_windows(dir / "c2/windows.fasta", expected / "MHC_Class_II/HCC1395_TUMOR_DNA.fasta");

  // Candidates: the 955 rows of pVACseq's table, on variant, transcript, type and protein position.
  auto ours = parse_tsv(read_file(dir / "c1/candidates.tsv"));
  auto theirs = parse_tsv(read_text_maybe_gz(expected / "HCC1395_TUMOR_DNA.tsv.gz"));
  ASSERT_EQ(theirs.size(), 956u);
  ASSERT_EQ(ours.size(), theirs.size());
  const std::vector<std::string> fields = {"chromosome_name", "start", "stop", "reference", "variant",
                                           "transcript_name", "variant_type", "protein_position"};
  for (std::size_t i = 1; i < theirs.size(); ++i) {
    EXPECT_EQ(ours[i][column(ours[0], "key")], theirs[i][column(theirs[0], "index")]) << "row " << i;
    for (const auto& f : fields) {
      EXPECT_EQ(ours[i][column(ours[0], f)], theirs[i][column(theirs[0], f)]) << "row " << i << " column " << f;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, HccWindows, ::testing::Values("vcf.gz", "bcf"));

TEST(PvacseqTestRun, EpitopePairsForLengths9And10) {
  TILMATCH_REQUIRE_SHARED(vcf, "pvacseq_example/test_run/input.vcf.gz");
  TILMATCH_REQUIRE_SHARED(expected, "pvacseq_example/test_run/MHC_Class_I/Test.MHC_I.all_epitopes.tsv.gz");
  ScratchDir dir;
  auto r = run_tilmatch("peptides --vcf '" + vcf.string() +
                        "' --pass-only --biotypes IG_V_gene,protein_coding --class1-lengths 9,10 "
                        "--class2-lengths none --out '" + (dir / "o").string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::tuple<std::string, std::string, std::string>> ours, theirs;
  auto mine = parse_tsv(read_file(dir / "o/epitopes.tsv"));
  for (std::size_t i = 1; i < mine.size(); ++i) {
    ours.insert({mine[i][column(mine[0], "length")], mine[i][column(mine[0], "mt_epitope")],
                 mine[i][column(mine[0], "wt_epitope")]});
  }
  auto all = parse_tsv(read_text_maybe_gz(expected));
  for (std::size_t i = 1; i < all.size(); ++i) {
    theirs.insert({all[i][column(all[0], "Peptide Length")], all[i][column(all[0], "MT Epitope Seq")],
                   all[i][column(all[0], "WT Epitope Seq")]});
  }
  ASSERT_FALSE(theirs.empty());
  for (const auto& t : theirs) {
    EXPECT_TRUE(ours.count(t)) << "missing " << std::get<0>(t) << " " << std::get<1>(t) << " / " << std::get<2>(t);
  }
  for (const auto& t : ours) {
    EXPECT_TRUE(theirs.count(t)) << "extra " << std::get<0>(t) << " " << std::get<1>(t) << " / " << std::get<2>(t);
  }
}

TEST(PvacseqGenerateProteinFasta, Flank10FullDownstream) {
  TILMATCH_REQUIRE_SHARED(vcf, "pvacseq_example/test_run/input.vcf.gz");
  TILMATCH_REQUIRE_SHARED(multi, "pvacseq_example/generate_protein_fasta/input_multi_sample.vcf.gz");
  TILMATCH_REQUIRE_SHARED(expected, "pvacseq_example/generate_protein_fasta/output.flank10.fasta");
  ScratchDir dir;
  const std::string opts = " --flank 10 --downstream-limit full --biotypes protein_coding,IG_V_gene ";
  auto r = run_tilmatch("peptides --vcf '" + vcf.string() + "'" + opts + "--out '" + (dir / "a").string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_same_windows(dir / "a/windows.fasta", expected);
  auto m = run_tilmatch("peptides --vcf '" + multi.string() + "' --sample H_NJ-HCC1395-HCC1395" + opts + "--out '" +
                        (dir / "b").string() + "'");
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_EQ(read_file(dir / "b/windows.fasta"), read_file(dir / "a/windows.fasta"));
}
