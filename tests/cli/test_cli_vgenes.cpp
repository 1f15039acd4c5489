// V genes by default in `tilmatch run`: the built-in IMGT loop table, --no-v-genes, and names the
// table lacks counted (run.json, stderr, report) instead of failing the run.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/test_support.hpp"

using namespace tilmatch::test;

namespace {

namespace fs = std::filesystem;

fs::path example() { return source_dir() / "data" / "example"; }

std::string run_args(const fs::path& fragments, const fs::path& out, const std::string& extra = "") {
  const fs::path ex = example();
  return "run --vcf " + shell_quote(ex / "patient.vcf") + " --sample EXAMPLE_TUMOR --normal-sample EXAMPLE_NORMAL" +
         " --fragments " + shell_quote(fragments) + " --reference " + shell_quote(ex / "reference.tsv") +
         " --validated " + shell_quote(ex / "validated.tsv") + " --hla 'A*02:01,A*24:02,B*07:02,B*44:02,C*05:01'" +
         " --backend cpu --threads 2 --out " + shell_quote(out) + " " + extra;
}

/// fragment_id -> confidence, from fragments.tsv.
std::map<std::string, std::string> confidence(const fs::path& out) {
  const auto t = parse_tsv(read_file(out / "fragments.tsv"));
  int id = -1, conf = -1;
  for (std::size_t c = 0; c < t[0].size(); ++c) {
    if (t[0][c] == "fragment_id") id = static_cast<int>(c);
    if (t[0][c] == "confidence") conf = static_cast<int>(c);
  }
  std::map<std::string, std::string> m;
  for (std::size_t i = 1; i < t.size(); ++i) m[t[i][id]] = t[i][conf];
  return m;
}

}  // namespace

TEST(RunVGenes, LoopsByDefaultRemoveChanceEvidenceOfEmptyCultures) {
  ScratchDir dir;
  // What V loops do to the radius-12 transfer alone: the chance model (which reaches to 24 and
  // calls its own `none`s) is off in both runs.
  const auto with = run_tilmatch(run_args(example() / "fragments.tsv", dir / "v", "--no-background"));
  ASSERT_EQ(with.exit_code, 0) << with.err;
  const auto without =
      run_tilmatch(run_args(example() / "fragments.tsv", dir / "cdr3", "--no-v-genes --no-background"));
  ASSERT_EQ(without.exit_code, 0) << without.err;
  const std::string json = read_file(dir / "v" / "run.json");
  EXPECT_NE(json.find("\"tcrdist_loops\": \"CDR1/CDR2/CDR2.5/CDR3 (built-in data/vgenes/human_tr_vgenes.tsv)\""),
            std::string::npos)
      << json;
  EXPECT_NE(read_file(dir / "cdr3" / "run.json").find("\"tcrdist_loops\": \"CDR3 only (--no-v-genes)\""),
            std::string::npos);
  // Every name of the example resolves (genes merged without allele -> *01; references exact).
  EXPECT_NE(json.find("\"unknown\": 0"), std::string::npos) << json;
  EXPECT_EQ(json.find("\"allele_fallback\": 1"), std::string::npos) << json;
  // The planted cultures (truth.tsv) keep their evidence; the four without a planted clonotype
  // (F02, F04, F06, F08) lose the chance neighbours that differ from the reference in V gene.
  const auto v = confidence(dir / "v"), cdr3 = confidence(dir / "cdr3");
  for (const char* planted : {"F01", "F03", "F05", "F07"}) {
    EXPECT_NE(v.at(planted), "none") << planted;
    EXPECT_NE(cdr3.at(planted), "none") << planted;
  }
  int empty_with_evidence_cdr3 = 0;
  for (const char* empty : {"F02", "F04", "F06", "F08"}) {
    EXPECT_EQ(v.at(empty), "none") << empty;
    empty_with_evidence_cdr3 += cdr3.at(empty) != "none";
  }
  EXPECT_GT(empty_with_evidence_cdr3, 0) << "the example no longer shows what V loops change";
}

TEST(RunVGenes, NamesTheTableLacksAreCountedNotFatal) {
  ScratchDir dir;
  // F03 of the example with its planted clonotype (TRBV27*01, an exact reference TCR) called with
  // an allele the table lacks, and two background clonotypes with an unknown and no V gene.
  std::istringstream in(read_file(example() / "fragments" / "F03.airr.tsv"));
  std::string line, text;
  int row = 0;
  while (std::getline(in, line)) {
    if (row == 1) line = "F03.1\tTRB\tT\tTRBV_NOPE*01\tTRBJ1-2*01\tCASSETHYGYTF\t7";
    if (row == 2) line = "F03.2\tTRB\tT\t\tTRBJ1-2*01\tCASSLPMGFRYGYTF\t2";
    const std::string planted = "TRBV27*01\tTRBJ2-3*01\tCASSCFYTDTQYF";
    if (auto at = line.find(planted); at != std::string::npos) line.replace(at, 9, "TRBV27*09");
    text += line + "\n";
    ++row;
  }
  fs::create_directories(dir / "frags");
  write_file(dir / "frags" / "F03.airr.tsv", text);
  write_file(dir / "frags" / "manifest.tsv", "fragment_id\tpath\nF03\tF03.airr.tsv\n");
  const auto r = run_tilmatch(run_args(dir / "frags" / "manifest.tsv", dir / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Clonotypes merge alleles at gene level, so TRBV27*09 arrives as TRBV27 (*01) and is counted
  // without allele; the unknown gene and the missing one are named.
  EXPECT_NE(r.err.find("warning: run: V genes in built-in data/vgenes/human_tr_vgenes.tsv: clonotypes"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("1 unknown (TRBV_NOPE), 1 without V gene"), std::string::npos) << r.err;
  const std::string json = read_file(dir / "out" / "run.json");
  EXPECT_NE(json.find("\"unknown_names\": [\n        \"TRBV_NOPE\"\n      ]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"missing\": 1"), std::string::npos) << json;
  EXPECT_NE(read_file(dir / "out" / "report.html").find("TRBV_NOPE"), std::string::npos);
  // The planted clonotype keeps its evidence: F03 is not 'none'.
  EXPECT_NE(confidence(dir / "out").at("F03"), "none");
}
