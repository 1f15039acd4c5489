// Outputs a pipeline can trust (issue 11, items 6 and 7): every table of the example run (a first run
// and a second round with the screen's results) marks a missing value `NA` and writes counts as
// integers; run.json is typed, stamped and valid against docs/run.schema.json; and the risky cases
// (another run's folder, swapped samples, no --hla, a comma-separated manifest, 10x declared AIRR)
// are refused or said.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "common/test_support.hpp"
#include "report/html_report.hpp"
#include "tilmatch/version.hpp"

namespace tilmatch::test {
namespace {

namespace fs = std::filesystem;

fs::path example() { return source_dir() / "data" / "example"; }

std::string run_args(const fs::path& out, const std::string& extra = "") {
  return shell_join(example_run_args(out)) + " --threads 2 " + extra;
}

/// The example's first run and its second round (the screen's results against the first run's
/// design), once per test process.
struct ExampleRuns {
  ScratchDir dir;
  CommandResult first = run_tilmatch(run_args(dir / "round1"));
  CommandResult second = run_tilmatch(
      run_args(dir / "round2", "--screen " + shell_quote(example() / "screen" / "readouts.tsv") + " --design " +
                                   shell_quote(dir / "round1" / "tmg_design.tsv") + " --reactive-repertoires " +
                                   shell_quote(example() / "screen" / "reactive_manifest.tsv")));
};
const ExampleRuns& runs() {
  static const ExampleRuns r;
  return r;
}

class Outputs : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(runs().first.exit_code, 0) << runs().first.err;
    ASSERT_EQ(runs().second.exit_code, 0) << runs().second.err;
  }
  static std::vector<fs::path> folders() { return {runs().dir / "round1", runs().dir / "round2"}; }
};

std::vector<fs::path> tables(const fs::path& folder) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(folder))
    if (e.path().extension() == ".tsv") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(Outputs, EveryTableMarksAMissingValueNaAndNothingElse) {
  // Case-sensitive: `none` is a confidence level, not a missing value.
  const std::regex other_mark("nan|NaN|-nan|None|null|NULL|N/A|n/a|-|\\.|inf|-inf|Inf");
  std::size_t tables_seen = 0, na_seen = 0;
  for (const fs::path& folder : folders()) {
    for (const fs::path& path : tables(folder)) {
      ++tables_seen;
      const auto rows = parse_tsv(read_file(path));
      ASSERT_FALSE(rows.empty()) << path;
      for (std::size_t r = 1; r < rows.size(); ++r) {
        ASSERT_EQ(rows[r].size(), rows[0].size()) << path << " line " << r + 1;
        for (std::size_t c = 0; c < rows[r].size(); ++c) {
          const std::string& v = rows[r][c];
          EXPECT_FALSE(v.empty()) << path << " line " << r + 1 << " column " << rows[0][c] << ": an empty cell";
          EXPECT_FALSE(std::regex_match(v, other_mark))
              << path << " line " << r + 1 << " column " << rows[0][c] << ": '" << v << "'";
          na_seen += v == "NA";
        }
      }
    }
  }
  // Both rounds' tables (6, and 13 with the screen's seven); and the convention is exercised
  // (cultures without evidence, clonotypes without an alpha chain).
  EXPECT_EQ(tables_seen, 6u + 13u);
  EXPECT_GT(na_seen, 0u);
}

TEST_F(Outputs, CountsAreWrittenAsIntegers) {
  const std::regex integer("[0-9]+");
  for (const fs::path& folder : folders()) {
    std::size_t checked = 0;
    for (const char* name : {"fragments.tsv", "clonotypes.tsv"}) {
      const auto rows = parse_tsv(read_file(folder / name));
      ASSERT_GT(rows.size(), 1u);
      for (const char* column : {"total_count", "fragments", "clonotypes", "neoantigens", "evidenced_clonotypes"}) {
        const auto at = std::find(rows[0].begin(), rows[0].end(), column);
        if (at == rows[0].end()) continue;
        const auto c = static_cast<std::size_t>(at - rows[0].begin());
        for (std::size_t r = 1; r < rows.size(); ++r, ++checked)
          EXPECT_TRUE(std::regex_match(rows[r][c], integer)) << folder / name << " " << column << ": " << rows[r][c];
      }
    }
    // fragment_counts: F03:5;F07:12
    const auto rows = parse_tsv(read_file(folder / "clonotypes.tsv"));
    const auto c = static_cast<std::size_t>(std::find(rows[0].begin(), rows[0].end(), "fragment_counts") -
                                            rows[0].begin());
    ASSERT_LT(c, rows[0].size());
    const std::regex counts("[^:;]+:[0-9]+(;[^:;]+:[0-9]+)*");
    for (std::size_t r = 1; r < rows.size(); ++r)
      EXPECT_TRUE(std::regex_match(rows[r][c], counts)) << "clonotypes.tsv fragment_counts: " << rows[r][c];
    EXPECT_GT(checked, 100u);
  }
}

/// The value text after `"key": ` in `json` up to the end of its line (comma dropped).
std::string json_field(const std::string& json, const std::string& key) {
  const std::string start = "\"" + key + "\": ";
  const auto at = json.find(start);
  if (at == std::string::npos) return "<absent>";
  std::string v = json.substr(at + start.size(), json.find('\n', at) - at - start.size());
  if (!v.empty() && v.back() == ',') v.pop_back();
  return v;
}

TEST_F(Outputs, RunJsonTypesItsParametersAndSaysWhenWhereAndHow) {
  const std::string json = read_file(runs().dir / "round1" / "run.json");
  EXPECT_EQ(json_field(json, "schema_version"), "1");
  EXPECT_EQ(json_field(json, "threads"), "2");
  EXPECT_TRUE(std::regex_match(json_field(json, "timestamp"), std::regex("\"20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z\"")))
      << json_field(json, "timestamp");
  EXPECT_NE(json_field(json, "host"), "\"\"");
  EXPECT_EQ(json_field(json, "version").rfind(std::string("\"") + kVersion, 0), 0u) << json_field(json, "version");
  EXPECT_EQ(json_field(json, "radius"), "12");
  EXPECT_EQ(json_field(json, "min_tcrmatch"), "0.97") << "a float option keeps the decimal it was given as";
  EXPECT_EQ(json_field(json, "hla_mismatch_factor"), "0.25");
  EXPECT_EQ(json_field(json, "neighbors"), "true");
  EXPECT_EQ(json_field(json, "hla_checked"), "true");
  EXPECT_EQ(json_field(json, "sample"), "\"EXAMPLE_TUMOR\"");
}

/// Validates `json` against docs/run.schema.json with Python's jsonschema; skips where it is missing.
void expect_valid_run_json(const fs::path& json) {
  const fs::path schema = source_dir() / "docs" / "run.schema.json";
  if (std::system("python3 -c 'import jsonschema' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3 with jsonschema is not installed (pip install jsonschema)";
  const std::string cmd =
      "python3 -c 'import json, sys, jsonschema; "
      "jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))' " +
      shell_quote(schema) + " " + shell_quote(json) + " 2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  EXPECT_EQ(::pclose(p), 0) << json << " is not valid against " << schema << ":\n" << out;
}

TEST_F(Outputs, RunJsonOfBothRoundsIsValidAgainstItsSchema) {
  for (const fs::path& folder : folders()) expect_valid_run_json(folder / "run.json");
}

TEST_F(Outputs, TheSchemaRejectsARunJsonWithAParameterOfTheWrongType) {
  ScratchDir dir;
  std::string json = read_file(runs().dir / "round1" / "run.json");
  const std::string typed = "\"radius\": 12";
  const auto at = json.find(typed);
  ASSERT_NE(at, std::string::npos);
  json.replace(at, typed.size(), "\"radius\": \"12\"");
  write_file(dir / "run.json", json);
  if (std::system("python3 -c 'import jsonschema' >/dev/null 2>&1") != 0) GTEST_SKIP() << "no jsonschema";
  const std::string cmd =
      "python3 -c 'import json, sys, jsonschema; "
      "jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))' " +
      shell_quote(source_dir() / "docs" / "run.schema.json") + " " + shell_quote(dir / "run.json") +
      " >/dev/null 2>&1";
  EXPECT_NE(std::system(cmd.c_str()), 0) << "a string radius passed the schema";
}

TEST_F(Outputs, TheReportShowsWhyDateCommandTimingsAndPrintedHeatmapValues) {
  const std::string html = read_file(runs().dir / "round1" / "report.html");
  const std::string json = read_file(runs().dir / "round1" / "run.json");
  const std::string timestamp = json_field(json, "timestamp");
  EXPECT_NE(html.find("<time datetime=" + timestamp + ">"), std::string::npos) << "the run's date";
  const auto command = html.find("<code class=\"command\">");
  ASSERT_NE(command, std::string::npos) << "the command line";
  EXPECT_NE(html.substr(command, html.find("</code>", command) - command).find(" run --vcf "), std::string::npos);
  const auto timings = html.find("<h3>Timings (seconds)</h3>");
  ASSERT_NE(timings, std::string::npos);
  EXPECT_EQ(html.find("None recorded", timings), std::string::npos) << "the run's timings";
  EXPECT_NE(html.find("<td class=\"mono\">evidence</td>", timings), std::string::npos);
  // The top culture's why: F03's best evidence in fragments.tsv.
  const auto rows = parse_tsv(read_file(runs().dir / "round1" / "fragments.tsv"));
  ASSERT_EQ(rows[1][1], "F03");
  const auto ranking = html.find("<table class=\"ranking\">");
  ASSERT_NE(ranking, std::string::npos);
  EXPECT_EQ(html.rfind("<div class=\"scroll\">", ranking), ranking - std::string("<div class=\"scroll\">").size())
      << "the ranking table scrolls at phone width";
  const std::string first_row = html.substr(ranking, html.find("</tr>", html.find("rank-row", ranking)) - ranking);
  // Best neoantigen, then "clonotype <-> reference".
  for (const std::string& why : {">" + rows[1][7] + "<", ">" + rows[1][8] + " &harr; ", ">" + rows[1][9] + "<"})
    EXPECT_NE(first_row.find(why), std::string::npos) << "best evidence '" << why << "' not in the top row";
  // Heatmap cells print their value.
  const auto heatmap = html.find("<table class=\"heatmap\">");
  ASSERT_NE(heatmap, std::string::npos);
  EXPECT_TRUE(std::regex_search(html.substr(heatmap, 20000), std::regex("<td class=\"hm-cell[^>]*>[0-9.e-]+</td>")));
  // Parameters are formatted (no double widening of a float).
  EXPECT_EQ(html.find("0.9700000"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"mono\">0.97</td>"), std::string::npos);
}

// ---- safer defaults ----------------------------------------------------------------------------

TEST(SaferDefaults, ARerunIntoItsOwnFolderReplacesItWithoutForce) {
  ScratchDir dir;
  ASSERT_EQ(run_tilmatch(run_args(dir / "out")).exit_code, 0);
  const auto again = run_tilmatch(run_args(dir / "out", "--public-weight 0.4"));
  EXPECT_EQ(again.exit_code, 0) << again.err;
}

TEST(SaferDefaults, AnotherSamplesResultIsRefusedUnlessForced) {
  ScratchDir dir;
  ASSERT_EQ(run_tilmatch(run_args(dir / "out")).exit_code, 0);
  const std::string before = read_file(dir / "out" / "fragments.tsv");
  // The same VCF with the samples the other way round: another tumour sample.
  std::vector<std::string> swapped = example_run_args(dir / "out");
  for (std::string& a : swapped) {
    if (a == "EXAMPLE_TUMOR") a = "EXAMPLE_NORMAL";
    else if (a == "EXAMPLE_NORMAL") a = "EXAMPLE_TUMOR";
  }
  const auto refused = run_tilmatch(shell_join(swapped));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("holds the result of another run"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("EXAMPLE_TUMOR"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  EXPECT_EQ(read_file(dir / "out" / "fragments.tsv"), before) << "the refused run changed the folder";
  const auto forced = run_tilmatch(shell_join(swapped) + " --force");
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_NE(read_file(dir / "out" / "run.json").find("\"sample\": \"EXAMPLE_NORMAL\""), std::string::npos);
}

TEST(SaferDefaults, ARunMayFollowPeptidesButNotTheOtherWayRound) {
  ScratchDir dir;
  ASSERT_EQ(run_tilmatch(shell_join(example_peptides_args(dir / "out"))).exit_code, 0);
  const auto run = run_tilmatch(run_args(dir / "out"));
  EXPECT_EQ(run.exit_code, 0) << "run writes everything peptides does: " << run.err;
  // peptides would remove the run's ranking.
  const auto refused = run_tilmatch(shell_join(example_peptides_args(dir / "out")));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("tilmatch run of sample 'EXAMPLE_TUMOR'"), std::string::npos) << refused.err;
  EXPECT_TRUE(fs::exists(dir / "out" / "fragments.tsv"));
  EXPECT_EQ(run_tilmatch(shell_join(example_peptides_args(dir / "out")) + " --force").exit_code, 0);
  EXPECT_FALSE(fs::exists(dir / "out" / "fragments.tsv"));
}

TEST(SaferDefaults, AFolderOfOtherFilesIsRefusedUnlessForcedAndTheyAreKept) {
  ScratchDir dir;
  fs::create_directories(dir / "out");
  write_file(dir / "out" / "notes.txt", "my notes");
  const auto refused = run_tilmatch(run_args(dir / "out"));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("'notes.txt'"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(dir / "out" / "fragments.tsv"));
  const auto forced = run_tilmatch(run_args(dir / "out", "--force"));
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(read_file(dir / "out" / "notes.txt"), "my notes");
  EXPECT_TRUE(fs::exists(dir / "out" / "fragments.tsv"));
  fs::create_directories(dir / "empty");
  EXPECT_EQ(run_tilmatch(run_args(dir / "empty")).exit_code, 0) << "an empty folder needs no --force";
}

TEST(SaferDefaults, SwappedSampleNamesAreWarnedOfInTheLogRunJsonAndReport) {
  ScratchDir dir;
  std::vector<std::string> swapped = example_run_args(dir / "out");
  for (std::string& a : swapped) {
    if (a == "EXAMPLE_TUMOR") a = "EXAMPLE_NORMAL";
    else if (a == "EXAMPLE_NORMAL") a = "EXAMPLE_TUMOR";
  }
  const auto r = run_tilmatch(shell_join(swapped));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("swapped"), std::string::npos) << r.err;
  EXPECT_NE(read_file(dir / "out" / "run.json").find("swapped?"), std::string::npos);
  EXPECT_NE(read_file(dir / "out" / "report.html").find("swapped?"),
            std::string::npos);
  // Named the right way round, no such warning.
  const auto right = run_tilmatch(run_args(dir / "right"));
  ASSERT_EQ(right.exit_code, 0);
  EXPECT_EQ(right.err.find("swapped"), std::string::npos) << right.err;
  EXPECT_EQ(read_file(dir / "right" / "run.json").find("swapped?"), std::string::npos);
}

TEST(SaferDefaults, RunningWithoutHlaIsNotedInRunJsonAndReport) {
  ScratchDir dir;
  std::vector<std::string> args = example_run_args(dir / "out");
  const auto hla = std::find(args.begin(), args.end(), "--hla");
  ASSERT_NE(hla, args.end());
  args.erase(hla, hla + 2);
  const auto r = run_tilmatch(shell_join(args));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string json = read_file(dir / "out" / "run.json");
  EXPECT_EQ(json_field(json, "hla_checked"), "false");
  EXPECT_EQ(json_field(json, "hla"), "null");
  EXPECT_NE(json.find("No --hla given"), std::string::npos);
  EXPECT_NE(read_file(dir / "out" / "report.html").find("No --hla given"), std::string::npos);
  EXPECT_NE(r.err.find("no --hla given"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(runs().dir / "round1" / "run.json").find("No --hla given"), std::string::npos);
}

TEST(SaferDefaults, ACommaSeparatedManifestGetsAHint) {
  ScratchDir dir;
  // The example's manifest with commas for tabs, under its .tsv name.
  std::string manifest = read_file(example() / "fragments.tsv");
  for (char& c : manifest)
    if (c == '\t') c = ',';
  fs::create_directories(dir / "m");
  write_file(dir / "m" / "fragments.tsv", manifest);
  for (const auto& e : fs::directory_iterator(example()))
    if (e.is_directory()) fs::create_directory_symlink(e.path(), dir / "m" / e.path().filename());
  std::vector<std::string> args = example_run_args(dir / "out");
  *(std::find(args.begin(), args.end(), "--fragments") + 1) = (dir / "m" / "fragments.tsv").string();
  const auto r = run_tilmatch(shell_join(args));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing required column 'fragment_id'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("looks comma-separated"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("fragments.tsv"), std::string::npos) << r.err;
}

TEST(SaferDefaults, TenxContigsDeclaredAirrGetAHint) {
  ScratchDir dir;
  write_file(dir / "contigs.csv",
             "barcode,is_cell,contig_id,high_confidence,length,chain,v_gene,d_gene,j_gene,c_gene,full_length,"
             "productive,cdr3,cdr3_nt,reads,umis,raw_clonotype_id,raw_consensus_id\n"
             "AAAC-1,true,AAAC-1_contig_1,true,500,TRB,TRBV5-1,None,TRBJ2-7,TRBC2,true,true,CASSLGQAYEQYF,"
             "TGT,100,5,clonotype1,c1\n");
  write_file(dir / "manifest.tsv", "fragment_id\tpath\tformat\nF1\tcontigs.csv\tairr\n");
  std::vector<std::string> args = example_run_args(dir / "out");
  *(std::find(args.begin(), args.end(), "--fragments") + 1) = (dir / "manifest.tsv").string();
  const auto r = run_tilmatch(shell_join(args));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("contigs.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("10x"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace tilmatch::test
