// `tilmatch run` on inputs it once accepted with exit 0 and wrong output (issue 12): each is now
// exit 2 naming the file and the place, with nothing written, or a documented repair with a note.

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "common/test_support.hpp"

namespace tilmatch::test {
namespace {

namespace fs = std::filesystem;

fs::path example() { return source_dir() / "data" / "example"; }

/// Runs the example patient with `vcf`, the manifest `manifest` (next to which F01 and F03 are
/// copied into frags/) and extra arguments.
CommandResult run_case(const ScratchDir& dir, const fs::path& vcf, const std::string& manifest,
                       const std::string& extra = "") {
  fs::create_directories(dir / "frags");
  for (const char* f : {"F01.airr.tsv", "F03.airr.tsv"}) {
    fs::copy_file(example() / "fragments" / f, dir / "frags" / f, fs::copy_options::overwrite_existing);
  }
  write_file(dir / "manifest.tsv", manifest);
  return run_tilmatch("run --vcf " + shell_quote(vcf) + " --sample EXAMPLE_TUMOR --fragments " +
                      shell_quote(dir / "manifest.tsv") + " --reference " + shell_quote(example() / "reference.tsv") +
                      " --backend cpu --out " + shell_quote(dir / "out") + " " + extra);
}

const char kTwoCultures[] = "fragment_id\tpath\nF01\tfrags/F01.airr.tsv\nF03\tfrags/F03.airr.tsv\n";

void expect_refused(const CommandResult& r, const ScratchDir& dir, const std::string& needle) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("tilmatch run: " + needle), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out")) << "output left behind";
}

TEST(RunInputs, VcfLineCutAndJoinedToTheNextExitsTwoNamingTheLine) {
  ScratchDir dir;
  const std::string vcf = read_file(example() / "patient.vcf");
  // The 37th line is #CHROM; cut the first record (line 38) inside its CSQ and join it to line 39.
  const auto first = vcf.find("\nchr1\t") + 1;
  const auto cut = vcf.find("missense_variant", first);
  const auto next = vcf.find('\n', first) + 1;
  write_file(dir / "joined.vcf", vcf.substr(0, cut) + vcf.substr(next));
  const auto r = run_case(dir, dir / "joined.vcf", kTwoCultures);
  expect_refused(r, dir, (dir / "joined.vcf").string() + ", chr1:111904 (line 38): ");
  EXPECT_NE(r.err.find("the first record looks cut short and joined to the next line"), std::string::npos) << r.err;
}

TEST(RunInputs, OverflowingCountsExitTwoNamingFileLineAndColumn) {
  ScratchDir dir;
  fs::create_directories(dir / "frags");
  write_file(dir / "frags" / "big.tsv",
             "sequence_id\tlocus\tproductive\tv_call\tj_call\tjunction_aa\tduplicate_count\n"
             "b1\tTRB\tT\tTRBV6-5*01\tTRBJ2-1*01\tCASSWCPMNEQFF\t1e308\n"
             "b2\tTRB\tT\tTRBV27*01\tTRBJ1-5*01\tCASSSENFFLYDQPQHF\t1e308\n");
  const auto r = run_case(dir, example() / "patient.vcf",
                          "fragment_id\tpath\nF01\tfrags/F01.airr.tsv\nBIG\tfrags/big.tsv\n");
  expect_refused(r, dir, (dir / "frags" / "big.tsv").string() + ", line 3, column 'duplicate_count': ");
}

TEST(RunInputs, QuotedTabInATenxFieldExitsTwoNamingTheColumn) {
  ScratchDir dir;
  fs::create_directories(dir / "frags");
  write_file(dir / "frags" / "tenx.csv",
             "barcode,is_cell,contig_id,high_confidence,chain,v_gene,j_gene,productive,cdr3,umis\n"
             "AAAC-1,true,c1,true,TRB,\"TRBV6-5\tCAVRDSNYQLIW\",TRBJ2-1,true,CASSWCPMNEQFF,9\n");
  const auto r = run_case(dir, example() / "patient.vcf",
                          "fragment_id\tpath\nF01\tfrags/F01.airr.tsv\nT1\tfrags/tenx.csv\n");
  expect_refused(r, dir, (dir / "frags" / "tenx.csv").string() + ", line 2, column 'v_gene': the value contains a tab");
}

TEST(RunInputs, PresentationPercentileAbove100ExitsTwo) {
  ScratchDir dir;
  write_file(dir / "pred.tsv", "peptide\tallele\tpercentile\nSIINFEKL\tHLA-A*02:01\t0.5\nGILGFVFTL\tHLA-A*02:01\t250\n");
  const auto r = run_case(dir, example() / "patient.vcf", kTwoCultures, "--presentation " + shell_quote(dir / "pred.tsv"));
  expect_refused(r, dir, (dir / "pred.tsv").string() + ", line 3, column 'percentile': ");
}

TEST(RunInputs, MetadataColumnNamedLikeAnOutputColumnIsRenamedWithANote) {
  ScratchDir dir;
  const auto r = run_case(dir, example() / "patient.vcf",
                          "fragment_id\tpath\tscore\tmeta_score\trank\tsite\n"
                          "F01\tfrags/F01.airr.tsv\thigh\tx\t1\tliver\n"
                          "F03\tfrags/F03.airr.tsv\tlow\ty\t2\tlung\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = parse_tsv(read_file(dir / "out" / "fragments.tsv"));
  ASSERT_EQ(rows.size(), 3u);
  const std::vector<std::string>& header = rows[0];
  EXPECT_EQ(std::set<std::string>(header.begin(), header.end()).size(), header.size()) << "duplicate column names";
  // 'meta_score' was taken by the manifest itself, so 'score' moves one prefix further.
  const std::vector<std::string> tail(header.end() - 4, header.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"meta_meta_score", "meta_rank", "meta_score", "site"}));
  const std::string json = read_file(dir / "out" / "run.json");
  EXPECT_NE(json.find("The manifest column 'score' is named like a column of fragments.tsv; it is written as "
                      "'meta_meta_score'."),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("The manifest column 'rank' is named like a column of fragments.tsv; it is written as "
                      "'meta_rank'."),
            std::string::npos)
      << json;
  const std::string html = read_file(dir / "out" / "report.html");
  EXPECT_NE(html.find("is named like a column of fragments.tsv"), std::string::npos);
  // The values follow their renamed columns.
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const std::string& id = rows[i][1];
    const std::string& renamed = rows[i][header.size() - 4];
    EXPECT_EQ(renamed, id == "F01" ? "high" : "low") << id;
  }
}

}  // namespace
}  // namespace tilmatch::test
