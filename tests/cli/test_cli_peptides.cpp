// tilmatch peptides on the bundled example: golden-style format equivalence (VCF, VCF.gz, BCF),
// determinism, and bad input leaving nothing behind.

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "cli/command.hpp"
#include "common/test_support.hpp"

namespace fs = std::filesystem;
using namespace tilmatch::test;

namespace {

const char* const kOutputs[] = {"candidates.tsv", "windows.fasta", "epitopes.tsv", "minigenes.tsv",
                                "minigenes.fasta"};

fs::path example_vcf() { return source_dir() / "data/example/patient.vcf"; }

std::string counts_section(const std::string& run_json) {
  auto at = run_json.find("\"counts\"");
  return at == std::string::npos ? std::string() : run_json.substr(at);
}

CommandResult peptides(const fs::path& vcf, const fs::path& out, const std::string& extra = "") {
  return run_tilmatch("peptides --vcf '" + vcf.string() + "' --sample EXAMPLE_TUMOR --normal-sample EXAMPLE_NORMAL --out '" +
                      out.string() + "' " + extra);
}

}  // namespace

TEST(CliPeptides, ExampleRunsAndWritesEveryOutput) {
  ScratchDir dir;
  auto r = peptides(example_vcf(), dir / "out");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << "results go to files, not stdout";
  for (const char* name : kOutputs) EXPECT_TRUE(fs::exists(dir / "out" / name)) << name;
  auto candidates = parse_tsv(read_file(dir / "out/candidates.tsv"));
  // 24 made-up variants, one transcript each; the synonymous and CSQ-less records are skipped.
  EXPECT_EQ(candidates.size(), 1u + 24u);
  const std::string run = read_file(dir / "out/run.json");
  EXPECT_NE(run.find("\"candidates\": 24"), std::string::npos) << run;
  EXPECT_NE(run.find("\"no_csq\": 1"), std::string::npos) << run;
  // No temporary files are left behind.
  for (const auto& e : fs::directory_iterator(dir / "out")) {
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
  }
}

TEST(CliPeptides, RunJsonHasTheInputMd5UnlessSkipped) {
  ScratchDir dir;
  ASSERT_EQ(peptides(example_vcf(), dir / "a").exit_code, 0);
  ASSERT_EQ(peptides(example_vcf(), dir / "b", "--no-checksum").exit_code, 0);
  // The digest equals coreutils' md5sum of the file.
  std::string expected;
  if (FILE* p = popen(("md5sum " + shell_quote(example_vcf())).c_str(), "r")) {
    char buf[33] = {};
    if (std::fread(buf, 1, 32, p) == 32) expected = buf;
    pclose(p);
  }
  ASSERT_EQ(expected.size(), 32u) << "md5sum unavailable";
  EXPECT_NE(read_file(dir / "a/run.json").find("\"md5\": \"" + expected + "\""), std::string::npos);
  EXPECT_NE(read_file(dir / "b/run.json").find("\"md5\": null"), std::string::npos);
  for (const char* name : kOutputs) EXPECT_EQ(read_file(dir / "a" / name), read_file(dir / "b" / name)) << name;
}

TEST(CliPeptides, VcfGzAndBcfGiveIdenticalBytes) {
  ScratchDir dir;
  convert_vcf(example_vcf(), dir / "patient.vcf.gz", "wz");
  convert_vcf(example_vcf(), dir / "patient.bcf", "wb");
  std::map<std::string, fs::path> inputs = {{"vcf", example_vcf()},
                                            {"vcf.gz", dir / "patient.vcf.gz"},
                                            {"bcf", dir / "patient.bcf"}};
  for (const auto& [kind, path] : inputs) {
    auto r = peptides(path, dir / kind);
    ASSERT_EQ(r.exit_code, 0) << kind << ": " << r.err;
  }
  for (const char* name : kOutputs) {
    const std::string want = read_file(dir / "vcf" / name);
    EXPECT_FALSE(want.empty()) << name;
    EXPECT_EQ(read_file(dir / "vcf.gz" / name), want) << name << " differs for VCF.gz";
    EXPECT_EQ(read_file(dir / "bcf" / name), want) << name << " differs for BCF";
  }
  const std::string counts = counts_section(read_file(dir / "vcf/run.json"));
  EXPECT_FALSE(counts.empty());
  EXPECT_EQ(counts_section(read_file(dir / "bcf/run.json")), counts);
}

TEST(CliPeptides, RepeatedRunsAreByteIdentical) {
  ScratchDir dir;
  ASSERT_EQ(peptides(example_vcf(), dir / "a").exit_code, 0);
  ASSERT_EQ(peptides(example_vcf(), dir / "b").exit_code, 0);
  for (const char* name : kOutputs) EXPECT_EQ(read_file(dir / "a" / name), read_file(dir / "b" / name)) << name;
  EXPECT_EQ(read_file(dir / "a/run.json").size(), read_file(dir / "b/run.json").size());
}

TEST(CliPeptides, FiltersRemoveCandidatesAndAreCounted) {
  ScratchDir dir;
  ASSERT_EQ(peptides(example_vcf(), dir / "all").exit_code, 0);
  auto r = peptides(example_vcf(), dir / "f", "--min-tdna-vaf 0.3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto all = parse_tsv(read_file(dir / "all/candidates.tsv"));
  auto kept = parse_tsv(read_file(dir / "f/candidates.tsv"));
  EXPECT_LT(kept.size(), all.size());
  EXPECT_GT(kept.size(), 1u);
  // Every kept row really has tumour DNA VAF >= 0.3 (column tdna_vaf).
  std::size_t col = 0;
  while (col < kept[0].size() && kept[0][col] != "tdna_vaf") ++col;
  ASSERT_LT(col, kept[0].size());
  for (std::size_t i = 1; i < kept.size(); ++i) EXPECT_GE(std::stod(kept[i][col]), 0.3) << kept[i][0];
  EXPECT_NE(read_file(dir / "f/run.json").find("tdna_vaf_below_min"), std::string::npos);
}

TEST(CliPeptides, LengthsAndFlankChangeTheOutputs) {
  ScratchDir dir;
  auto r = peptides(example_vcf(), dir / "o", "--class1-lengths 9 --class2-lengths none --flank 12");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto epitopes = parse_tsv(read_file(dir / "o/epitopes.tsv"));
  ASSERT_GT(epitopes.size(), 1u);
  for (std::size_t i = 1; i < epitopes.size(); ++i) {
    EXPECT_EQ(epitopes[i][2], "9");
    EXPECT_EQ(epitopes[i][5].size(), 9u);
  }
  // A missense window with flank 12 away from the protein ends is 25 residues.
  auto windows = parse_fasta(read_file(dir / "o/windows.fasta"));
  std::set<std::size_t> lengths;
  for (const auto& [h, s] : windows) lengths.insert(s.size());
  EXPECT_TRUE(lengths.count(25)) << "no 25-residue window";
}

// ---- bad input: a clear message naming the file, exit code 2, and no output directory content ----

namespace {

void expect_clean_failure(const CommandResult& r, const fs::path& out, const std::string& must_mention) {
  EXPECT_EQ(r.exit_code, tilmatch::cli::kExitInput) << r.err;
  EXPECT_NE(r.err.find("tilmatch peptides: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(must_mention), std::string::npos) << "message should mention '" << must_mention << "': " << r.err;
  EXPECT_FALSE(fs::exists(out)) << "output directory left behind: " << out;
}

std::string example_text() { return read_file(example_vcf()); }

}  // namespace

TEST(CliPeptidesBadInput, MissingFile) {
  ScratchDir dir;
  auto r = peptides(dir / "nope.vcf", dir / "out");
  EXPECT_EQ(r.exit_code, tilmatch::cli::kExitInput);
  EXPECT_NE(r.err.find("nope.vcf"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(CliPeptidesBadInput, UnknownSample) {
  ScratchDir dir;
  auto r = run_tilmatch("peptides --vcf '" + example_vcf().string() + "' --sample NOBODY --out '" +
                        (dir / "out").string() + "'");
  expect_clean_failure(r, dir / "out", "NOBODY");
}

TEST(CliPeptidesBadInput, TruncatedFile) {
  ScratchDir dir;
  std::string text = example_text();
  // Cut in the middle of the last record's CSQ.
  write_file(dir / "cut.vcf", text.substr(0, text.size() - 300));
  auto r = peptides(dir / "cut.vcf", dir / "out");
  expect_clean_failure(r, dir / "out", "cut.vcf");
}

TEST(CliPeptidesBadInput, HeaderWithoutCsq) {
  ScratchDir dir;
  std::string text = example_text();
  std::string stripped;
  for (std::size_t begin = 0; begin < text.size();) {
    std::size_t end = text.find('\n', begin);
    std::string line = text.substr(begin, end - begin + 1);
    begin = end + 1;
    if (line.rfind("##INFO=<ID=CSQ", 0) == 0) continue;
    stripped += line;
  }
  write_file(dir / "nocsq.vcf", stripped);
  auto r = peptides(dir / "nocsq.vcf", dir / "out");
  expect_clean_failure(r, dir / "out", "CSQ");
}

TEST(CliPeptidesBadInput, BadLengths) {
  ScratchDir dir;
  auto r = peptides(example_vcf(), dir / "out", "--class1-lengths 9,x");
  expect_clean_failure(r, dir / "out", "--class1-lengths");
  r = peptides(example_vcf(), dir / "out", "--minigene-length 24");
  expect_clean_failure(r, dir / "out", "--minigene-length");
}

TEST(CliPeptides, HeaderOnlyVcfGivesEmptyOutputs) {
  ScratchDir dir;
  std::string text = example_text();
  std::string header = text.substr(0, text.find("\nchr") + 1);
  write_file(dir / "empty.vcf", header);
  auto r = peptides(dir / "empty.vcf", dir / "out");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(parse_tsv(read_file(dir / "out/candidates.tsv")).size(), 1u);  // header only
  EXPECT_NE(r.err.find("no usable candidates"), std::string::npos) << r.err;
}

TEST(CliPeptides, ExpressionFilterUsesGx) {
  ScratchDir dir;
  auto r = peptides(example_vcf(), dir / "f", "--min-gene-expression 50");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto kept = parse_tsv(read_file(dir / "f/candidates.tsv"));
  std::size_t col = 0;
  while (col < kept[0].size() && kept[0][col] != "gene_expression") ++col;
  ASSERT_LT(col, kept[0].size());
  ASSERT_GT(kept.size(), 1u);
  EXPECT_LT(kept.size(), 25u);
  for (std::size_t i = 1; i < kept.size(); ++i) EXPECT_GE(std::stod(kept[i][col]), 50.0) << kept[i][0];
  EXPECT_NE(read_file(dir / "f/run.json").find("gene_expression_below_min"), std::string::npos);
}
