// `tilmatch run` with the screen's results (--screen, --design, --reactive-repertoires): every bad
// input exits 2 naming the file and line with nothing written to --out; a fragment without negative
// controls is a note, not an error; and the bundled example's screen (data/example/screen/, made by
// scripts/make-example-screen) comes out as its planted truth.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/test_support.hpp"

namespace tilmatch::test {
namespace {

namespace fs = std::filesystem;
using Row = std::map<std::string, std::string>;

fs::path example() { return source_dir() / "data" / "example"; }
fs::path example_screen() { return example() / "screen"; }

/// `tilmatch run` on the example patient (scripts/run-example's inputs) into `out`, plus `extra`.
std::string run_args(const fs::path& out, const std::string& extra) {
  const fs::path ex = example();
  return "run --vcf " + shell_quote(ex / "patient.vcf") + " --sample EXAMPLE_TUMOR --normal-sample EXAMPLE_NORMAL" +
         " --fragments " + shell_quote(ex / "fragments.tsv") + " --reference " + shell_quote(ex / "reference.tsv") +
         " --validated " + shell_quote(ex / "validated.tsv") +
         " --hla 'A*02:01,A*24:02,B*07:02,B*44:02,C*05:01,C*07:02' --backend cpu --threads 2 --out " +
         shell_quote(out) + " " + extra;
}

/// Comma-separated items; "NA" is none.
std::vector<std::string> items(const std::string& field) {
  std::vector<std::string> out;
  if (field == "NA") return out;
  std::stringstream s(field);
  for (std::string item; std::getline(s, item, ',');) out.push_back(item);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

std::string gene(const std::string& allele) { return allele.substr(0, allele.find('*')); }

/// The first run on the example, once per test process: its tmg_design.tsv is the design the
/// screen refers to.
struct FirstRun {
  ScratchDir dir;
  CommandResult result = run_tilmatch(run_args(dir / "round1", ""));
  fs::path out() const { return dir / "round1"; }
  fs::path design() const { return out() / "tmg_design.tsv"; }
};
const FirstRun& first_run() {
  static const FirstRun run;
  return run;
}

/// Files under `dir` with their bytes.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = read_file(e.path());
  return files;
}

// ---- bad input -------------------------------------------------------------------------------

const std::string kReadoutsHeader = "fragment_id\tconstruct\tassay\treplicate\tvalue\n";
/// F03's control wells and one TMG1 well: lines 2-5, so a row appended is line 6.
const std::string kWells =
    "F03\tnegative\telispot_ifng\t1\t10\n"
    "F03\tnegative\telispot_ifng\t2\t12\n"
    "F03\tpositive\telispot_ifng\t1\t500\n"
    "F03\tTMG1\telispot_ifng\t1\t300\n";

class ScreenCli : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(first_run().result.exit_code, 0) << first_run().result.err; }

  fs::path out() const { return dir_ / "out"; }

  /// Readouts of kWells plus `rows`, with the first run's design.
  std::string readouts_with(const std::string& rows) const {
    write_file(dir_ / "readouts.tsv", kReadoutsHeader + kWells + rows);
    return "--screen " + shell_quote(dir_ / "readouts.tsv") + " --design " + shell_quote(first_run().design());
  }

  /// A reactive-repertoire manifest of `rows` (fragment, construct, population, path); paths are
  /// the example's own sorted and unsorted repertoires of F03.
  std::string manifest_with(const std::string& rows) const {
    write_file(dir_ / "reactive.tsv", "fragment_id\tconstruct\tpopulation\tpath\n" + rows);
    return "--design " + shell_quote(first_run().design()) + " --reactive-repertoires " +
           shell_quote(dir_ / "reactive.tsv");
  }
  static std::string repertoire(const std::string& population) {
    return (example_screen() / "tcrseq" / ("F03.LFGTMPDPV." + population + ".airr.tsv")).string();
  }

  /// Runs with `flags`: exit 2, the message names `file` and each of `needles`, and --out was not made.
  void expect_refused(const std::string& flags, const std::string& file, const std::vector<std::string>& needles) {
    const CommandResult r = run_tilmatch(run_args(out(), flags));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("tilmatch run: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(file), std::string::npos) << "no file named: " << r.err;
    for (const std::string& n : needles) EXPECT_NE(r.err.find(n), std::string::npos) << n << " not in: " << r.err;
    EXPECT_FALSE(fs::exists(out())) << "output left behind";
  }

  ScratchDir dir_;
};

TEST_F(ScreenCli, UnknownFragmentInReadouts) {
  expect_refused(readouts_with("F09\tTMG1\telispot_ifng\t2\t300\n"), "readouts.tsv",
                 {"line 6", "fragment_id", "'F09'"});
}

TEST_F(ScreenCli, UnknownConstructInReadouts) {
  expect_refused(readouts_with("F03\tTMG9\telispot_ifng\t1\t300\n"), "readouts.tsv", {"line 6", "construct", "'TMG9'"});
}

TEST_F(ScreenCli, ConstructWithoutItsDesignNamesTheOption) {
  write_file(dir_ / "readouts.tsv", kReadoutsHeader + kWells);
  expect_refused("--screen " + shell_quote(dir_ / "readouts.tsv"), "readouts.tsv", {"line 5", "'TMG1'", "--design"});
}

TEST_F(ScreenCli, NegativeValue) {
  expect_refused(readouts_with("F03\tTMG2\telispot_ifng\t1\t-3\n"), "readouts.tsv", {"line 6", "value", "-3"});
}

TEST_F(ScreenCli, NonNumericValue) {
  expect_refused(readouts_with("F03\tTMG2\telispot_ifng\t1\tmany\n"), "readouts.tsv", {"line 6", "value", "'many'"});
}

TEST_F(ScreenCli, FlowPercentAbove100) {
  expect_refused(readouts_with("F03\tTMG2\tcd137_cd8\t1\t130\n"), "readouts.tsv", {"line 6", "value", "above 100"});
}

TEST_F(ScreenCli, DuplicateReadoutNamesBothLines) {
  expect_refused(readouts_with("F03\tTMG1\telispot_ifng\t1\t280\n"), "readouts.tsv",
                 {"line 6", "duplicate", "line 5"});
}

// ---- readouts of several files (rounds of a screen) ---------------------------------------------

/// A second round of F03: its own negatives and replicate labels, TMG1 again and TMG2.
const std::string kRound2Wells =
    "F03\tnegative\telispot_ifng\tr2.1\t9\n"
    "F03\tnegative\telispot_ifng\tr2.2\t11\n"
    "F03\tTMG1\telispot_ifng\tr2.1\t260\n"
    "F03\tTMG2\telispot_ifng\tr2.1\t8\n";

/// A TSV's rows without the columns that name readout lines (which differ between one file and two).
std::vector<Row> without_lines(std::vector<Row> rows) {
  for (Row& r : rows)
    for (const char* c : {"test_lines", "control_lines", "readout_lines"}) r.erase(c);
  return rows;
}

TEST_F(ScreenCli, ReadoutsOfTwoFilesAreReadAsOneScreen) {
  write_file(dir_ / "both.tsv", kReadoutsHeader + kWells + kRound2Wells);
  write_file(dir_ / "first.tsv", kReadoutsHeader + kWells);
  write_file(dir_ / "second.tsv", kReadoutsHeader + kRound2Wells);
  const std::string design = " --design " + shell_quote(first_run().design());
  const CommandResult one = run_tilmatch(run_args(dir_ / "one", "--screen " + shell_quote(dir_ / "both.tsv") + design));
  const CommandResult two = run_tilmatch(run_args(dir_ / "two", "--screen " + shell_quote(dir_ / "first.tsv") +
                                                                    " --screen " + shell_quote(dir_ / "second.tsv") + design));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  const auto calls = tsv_rows(dir_ / "two" / "screen_calls.tsv");
  const auto tmg1 = std::find_if(calls.begin(), calls.end(), [](const Row& c) { return c.at("construct") == "TMG1"; });
  ASSERT_NE(tmg1, calls.end());
  EXPECT_EQ(tmg1->at("n_test"), "2") << "TMG1's well of the second file not read";
  EXPECT_EQ(tmg1->at("n_control"), "4") << "the second file's negatives not pooled with the first's";
  EXPECT_EQ(without_lines(calls), without_lines(tsv_rows(dir_ / "one" / "screen_calls.tsv")));
  EXPECT_EQ(without_lines(tsv_rows(dir_ / "two" / "reactivity.tsv")),
            without_lines(tsv_rows(dir_ / "one" / "reactivity.tsv")));
  EXPECT_EQ(read_file(dir_ / "two" / "fragments.tsv"), read_file(dir_ / "one" / "fragments.tsv"));
  EXPECT_NE(read_file(dir_ / "two" / "run.json").find("second.tsv"), std::string::npos) << "second file not recorded";
  // Lines name their file when there are several: TMG1's wells are on its line of the first file and on
  // line 4 of the second; with one file they are bare lines.
  const std::size_t first_line = 2 + static_cast<std::size_t>(
                                         std::count(kWells.begin(), kWells.begin() + kWells.find("F03\tTMG1\t"), '\n'));
  EXPECT_EQ(tmg1->at("test_lines"), (dir_ / "first.tsv").string() + ":" + std::to_string(first_line) + "," +
                                        (dir_ / "second.tsv").string() + ":4");
  for (const Row& c : calls)
    for (const char* column : {"test_lines", "control_lines"})
      for (const std::string& place : items(c.at(column)))
        EXPECT_TRUE(place.rfind((dir_ / "first.tsv").string() + ":", 0) == 0 ||
                    place.rfind((dir_ / "second.tsv").string() + ":", 0) == 0)
            << column << " " << place;
  for (const Row& r : tsv_rows(dir_ / "two" / "reactivity.tsv"))
    for (const std::string& place : items(r.at("readout_lines")))
      EXPECT_NE(place.find(".tsv:"), std::string::npos) << "readout_lines " << place;
  const auto one_calls = tsv_rows(dir_ / "one" / "screen_calls.tsv");
  for (const Row& c : one_calls) EXPECT_EQ(c.at("test_lines").find(':'), std::string::npos) << c.at("test_lines");
}

TEST_F(ScreenCli, AFragmentWithoutNegativeWellsIsNotedWithTheFileOfItsWells) {
  write_file(dir_ / "first.tsv", kReadoutsHeader + kWells);
  write_file(dir_ / "second.tsv", kReadoutsHeader + "F02\tpositive\telispot_ifng\tr2.1\t480\n"
                                                    "F02\tTMG1\telispot_ifng\tr2.1\t35\n");
  const CommandResult r = run_tilmatch(run_args(dir_ / "two", "--screen " + shell_quote(dir_ / "first.tsv") +
                                                                  " --screen " + shell_quote(dir_ / "second.tsv") +
                                                                  " --design " + shell_quote(first_run().design())));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string json = read_file(dir_ / "two" / "run.json");
  EXPECT_NE(json.find("Fragment F02 has no negative control wells for elispot_ifng in " + (dir_ / "second.tsv").string() +
                      ":"),
            std::string::npos)
      << json;
  EXPECT_EQ(json.find((dir_ / "first.tsv").string() + " and "), std::string::npos) << "the note names F02's file only";
}

TEST_F(ScreenCli, DuplicateWellAcrossFilesNamesBothFiles) {
  write_file(dir_ / "first.tsv", kReadoutsHeader + kWells);
  write_file(dir_ / "second.tsv", kReadoutsHeader + "F03\tnegative\telispot_ifng\tr2.1\t9\n"
                                                    "F03\tTMG1\telispot_ifng\t1\t280\n");
  expect_refused("--screen " + shell_quote(dir_ / "first.tsv") + " --screen " + shell_quote(dir_ / "second.tsv") +
                     " --design " + shell_quote(first_run().design()),
                 "second.tsv", {"line 3", "duplicate", "'TMG1'", "first.tsv, line 5", "replicate labels"});
}

TEST_F(ScreenCli, BadReadoutInTheSecondFileNamesThatFile) {
  write_file(dir_ / "first.tsv", kReadoutsHeader + kWells);
  write_file(dir_ / "second.tsv", kReadoutsHeader + "F03\tnegative\telispot_ifng\tr2.1\t9\n"
                                                    "F09\tTMG1\telispot_ifng\tr2.1\t280\n");
  const std::string flags = "--screen " + shell_quote(dir_ / "first.tsv") + " --screen " +
                            shell_quote(dir_ / "second.tsv") + " --design " + shell_quote(first_run().design());
  expect_refused(flags, "second.tsv", {"line 3", "fragment_id", "'F09'"});
  const CommandResult r = run_tilmatch(run_args(out(), flags));
  EXPECT_EQ(r.err.find("first.tsv"), std::string::npos) << "the error names the wrong file: " << r.err;
}

TEST_F(ScreenCli, UnknownFragmentInReactiveManifest) {
  const std::string rows = "F03\tLFGTMPDPV\tsorted\t" + repertoire("sorted") + "\n" + "F03\t\tunsorted\t" +
                           repertoire("unsorted") + "\n" + "F09\t\tunsorted\t" + repertoire("unsorted") + "\n";
  expect_refused(manifest_with(rows), "reactive.tsv", {"line 4", "fragment_id", "'F09'"});
}

TEST_F(ScreenCli, UnknownConstructInReactiveManifest) {
  const std::string rows = "F03\tTMG9\tsorted\t" + repertoire("sorted") + "\n" + "F03\t\tunsorted\t" +
                           repertoire("unsorted") + "\n";
  expect_refused(manifest_with(rows), "reactive.tsv", {"line 2", "construct", "'TMG9'"});
}

/// The first run's design with line `line` (1-based) passed through `edit`.
std::string edited_design(std::size_t line, const std::function<std::string(std::string)>& edit) {
  std::stringstream in(read_file(first_run().design()));
  std::string out;
  std::size_t n = 0;
  for (std::string l; std::getline(in, l);) out += (++n == line ? edit(l) : l) + "\n";
  return out;
}

TEST_F(ScreenCli, DesignFromAnotherVcf) {
  // A neoantigen this run does not have, as a design made for another patient or VCF would hold.
  bool edited = false;
  write_file(dir_ / "other_design.tsv", edited_design(3, [&](std::string l) {
               const std::size_t at = l.find("\tCTNB1.T255Q\t");
               if (at != std::string::npos) l.replace(at, 13, "\tTP53.R175H\t"), edited = true;
               return l;
             }));
  ASSERT_TRUE(edited) << "TMG1's slot 2 is no longer CTNB1.T255Q: update the test";
  write_file(dir_ / "readouts.tsv", kReadoutsHeader + kWells);
  expect_refused("--screen " + shell_quote(dir_ / "readouts.tsv") + " --design " + shell_quote(dir_ / "other_design.tsv"),
                 "other_design.tsv", {"line 3", "'TP53.R175H'"});
}

TEST_F(ScreenCli, DesignWhoseConstructHoldsOtherMinigenes) {
  // TMG1's second member edited: the construct no longer holds one of this run's minigenes.
  std::string member;
  write_file(dir_ / "edited_design.tsv", edited_design(3, [&](std::string l) {
               const std::size_t seq = l.find("NHQVWARPHMLYQAYCAKCKKKKQH");
               if (seq != std::string::npos) l[seq] = 'W', member = l.substr(seq, 25);
               return l;
             }));
  ASSERT_FALSE(member.empty()) << "TMG1's slot 2 is no longer CTNB1's minigene: update the test";
  write_file(dir_ / "readouts.tsv", kReadoutsHeader + kWells);
  expect_refused("--screen " + shell_quote(dir_ / "readouts.tsv") + " --design " + shell_quote(dir_ / "edited_design.tsv"),
                 "edited_design.tsv", {"line 3", member, "other minigenes"});
}

TEST_F(ScreenCli, DesignWithoutTheScreenIsAUsageError) {
  expect_refused("--design " + shell_quote(first_run().design()), "--design", {"--screen"});
}

TEST_F(ScreenCli, FailedSecondRunLeavesAnExistingOutputUnchanged) {
  fs::copy(first_run().out(), out(), fs::copy_options::recursive);
  const auto before = snapshot(out());
  const CommandResult r = run_tilmatch(run_args(out(), readouts_with("F09\tTMG1\telispot_ifng\t2\t300\n")));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("'F09'"), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(out()), before);
}

TEST_F(ScreenCli, FragmentWithoutNegativeControlsIsANoteNotAnError) {
  // F02 was read without negative wells for ELISpot; F03 has them.
  const CommandResult r = run_tilmatch(run_args(out(), readouts_with("F02\tpositive\telispot_ifng\t1\t480\n"
                                                                     "F02\tTMG1\telispot_ifng\t1\t35\n"
                                                                     "F02\tTMG1\telispot_ifng\t2\t41\n")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int f02 = 0;
  for (const Row& c : tsv_rows(out() / "screen_calls.tsv")) {
    EXPECT_EQ(c.at("status") == "no_control", c.at("fragment_id") == "F02") << c.at("fragment_id");
    f02 += c.at("fragment_id") == "F02";
  }
  EXPECT_EQ(f02, 1);
  const std::string note = "Fragment F02 has no negative control wells for elispot_ifng";
  const std::string json = read_file(out() / "run.json");
  const std::size_t screen = json.find("\"screen\": {");
  ASSERT_NE(screen, std::string::npos);
  EXPECT_NE(json.find(note, screen), std::string::npos) << "not in run.json's screen notes";
  EXPECT_EQ(json.find("Fragment F03 has no negative"), std::string::npos);
  EXPECT_NE(read_file(out() / "report.html").find(note), std::string::npos) << "not in the report's notes";
  for (const Row& f : tsv_rows(out() / "fragments.tsv")) {
    if (f.at("fragment_id") == "F02") {
      EXPECT_NE(f.at("tier"), "measured");
    }
  }
}

TEST_F(ScreenCli, TcrseqRowsLeftOutAreNoted) {
  // The sorted repertoire with two non-productive rows added: the enrichment test counts the
  // productive ones, and the note says what it left out and from which file.
  std::string sorted = read_file(repertoire("sorted"));
  sorted += "x1\tTRB\tF\tTRBV6-5*01\tTRBJ2-1*01\tCASSWCPMNEQFF\t40\n";
  sorted += "x2\tTRB\tF\tTRBV27*01\tTRBJ1-5*01\tCASSSENFFLYDQPQHF\t20\n";
  ASSERT_EQ(read_file(repertoire("sorted")).substr(0, 11), "sequence_id");
  write_file(dir_ / "sorted.airr.tsv", sorted);
  const std::string flags = manifest_with("F03\tLFGTMPDPV\tsorted\t" + (dir_ / "sorted.airr.tsv").string() +
                                          "\nF03\tLFGTMPDPV\tunsorted\t" + repertoire("unsorted") + "\n");
  const CommandResult r = run_tilmatch(run_args(out(), flags));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string note =
      "reactive-cell TCR-seq rows left out: non_productive 2 (" + (dir_ / "sorted.airr.tsv").string() + " 2)";
  EXPECT_NE(r.err.find(note), std::string::npos) << r.err;
  const std::string json = read_file(out() / "run.json");
  EXPECT_NE(json.find(note, json.find("\"screen\": {")), std::string::npos) << "not in run.json's screen notes";
  EXPECT_NE(read_file(out() / "report.html").find(note), std::string::npos) << "not in the report's notes";
}

TEST_F(ScreenCli, SortsOfOneFragmentShareItsBaseline) {
  // F03's sorted cells under two constructs against its one unsorted baseline (read once): each
  // comparison sees the whole baseline, so the clonotype is proven twice on the same counts.
  const std::string unsorted = "F03\t\tunsorted\t" + repertoire("unsorted") + "\n";
  CommandResult r = run_tilmatch(run_args(out(), manifest_with("F03\tLFGTMPDPV\tsorted\t" + repertoire("sorted") +
                                                                "\n" + unsorted)));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<Row> one = tsv_rows(out() / "reactive_clonotypes.tsv");
  fs::remove_all(out());
  r = run_tilmatch(run_args(out(), manifest_with("F03\tLFGTMPDPV\tsorted\t" + repertoire("sorted") + "\n" +
                                                 "F03\tTMG1\tsorted\t" + repertoire("sorted") + "\n" + unsorted)));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<Row> two = tsv_rows(out() / "reactive_clonotypes.tsv");
  ASSERT_EQ(one.size(), 1u);
  ASSERT_EQ(two.size(), 1u);
  EXPECT_EQ(one[0].at("proofs"), "1");
  EXPECT_EQ(two[0].at("proofs"), "2");
  for (const char* column : {"cdr3_beta", "sorted_count", "reference_count", "p"})
    EXPECT_EQ(two[0].at(column), one[0].at(column)) << column;
}

// ---- the bundled example's screen ------------------------------------------------------------

/// The second run on the example with its screen, against data/example/screen/truth.tsv.
class RunExampleScreen : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    result_ = new CommandResult(run_tilmatch(run_args(out(), second_round_flags())));
    truth_ = new std::vector<Row>(tsv_rows(example_screen() / "truth.tsv"));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete truth_;
  }
  void SetUp() override {
    ASSERT_EQ(first_run().result.exit_code, 0) << first_run().result.err;
    ASSERT_EQ(result_->exit_code, 0) << result_->err;
  }
  static std::string second_round_flags() {
    return "--screen " + shell_quote(example_screen() / "readouts.tsv") + " --design " +
           shell_quote(first_run().design()) + " --reactive-repertoires " +
           shell_quote(example_screen() / "reactive_manifest.tsv") + " --product-size 4";
  }
  static fs::path out() { return first_run().dir / "round2"; }

  /// Truth rows with a planted reactivity.
  static std::vector<Row> planted() {
    std::vector<Row> out;
    for (const Row& t : *truth_)
      if (t.at("neoantigen_id") != "NA") out.push_back(t);
    return out;
  }
  /// Fragments whose own screen can show their planted reactivity: screened, control passed.
  static std::set<std::string> expected_measured() {
    std::set<std::string> out;
    for (const Row& t : planted())
      if (t.at("screened") == "yes" && t.at("positive_control") == "passed") out.insert(t.at("fragment_id"));
    return out;
  }
  /// Other fragments carrying a clonotype identical to one whose sort proved it reactive.
  static std::set<std::string> expected_tracked() {
    std::set<std::pair<std::string, std::string>> proven;
    for (const Row& t : planted())
      if (t.at("sorted") != "NA") proven.insert({t.at("cdr3_beta"), t.at("v_beta")});
    std::set<std::string> out;
    const auto measured = expected_measured();
    for (const Row& t : planted())
      if (!measured.count(t.at("fragment_id")) && proven.count({t.at("cdr3_beta"), t.at("v_beta")}))
        out.insert(t.at("fragment_id"));
    return out;
  }
  static std::set<std::string> design_constructs() {
    std::set<std::string> out;
    for (const Row& d : tsv_rows(first_run().design())) out.insert(d.at("construct"));
    return out;
  }

  static CommandResult* result_;
  static std::vector<Row>* truth_;
};
CommandResult* RunExampleScreen::result_ = nullptr;
std::vector<Row>* RunExampleScreen::truth_ = nullptr;

TEST_F(RunExampleScreen, WritesTheSecondRunsOutputs) {
  for (const char* f : {"screen_calls.tsv", "reactivity.tsv", "reactive_clonotypes.tsv", "tracked.tsv", "product.tsv",
                        "next_round.tsv", "next_round_design.tsv", "fragments.tsv", "report.html", "run.json"})
    EXPECT_TRUE(fs::is_regular_file(out() / f)) << f;
  const std::string json = read_file(out() / "run.json");
  EXPECT_NE(json.find("\"screen\": {"), std::string::npos);
  EXPECT_EQ(json.find("no negative control wells"), std::string::npos);
}

TEST_F(RunExampleScreen, TruthCoversEveryTier) {
  // The example is for newcomers: it must show each tier and a failed control.
  EXPECT_GE(expected_measured().size(), 3u);
  EXPECT_EQ(expected_tracked().size(), 1u);
  EXPECT_TRUE(std::any_of(truth_->begin(), truth_->end(), [](const Row& t) { return t.at("positive_control") == "failed"; }));
}

TEST_F(RunExampleScreen, RankingTiersFollowTheTruth) {
  const auto measured = expected_measured();
  const auto tracked = expected_tracked();
  std::map<std::string, int> planted_per_fragment;
  for (const Row& t : planted()) ++planted_per_fragment[t.at("fragment_id")];
  const auto ranking = tsv_rows(out() / "fragments.tsv");
  ASSERT_EQ(ranking.size(), 8u);
  for (std::size_t i = 0; i < ranking.size(); ++i) {
    const Row& r = ranking[i];
    const std::string& f = r.at("fragment_id");
    EXPECT_EQ(r.at("rank"), std::to_string(i + 1));
    if (i < measured.size()) {
      EXPECT_TRUE(measured.count(f)) << "rank " << i + 1 << ": " << f;
      EXPECT_EQ(r.at("tier"), "measured") << f;
      EXPECT_EQ(r.at("confidence"), "high") << f;
    } else if (i < measured.size() + tracked.size()) {
      EXPECT_TRUE(tracked.count(f)) << "rank " << i + 1 << ": " << f;
      EXPECT_EQ(r.at("tier"), "tracked") << f;
      EXPECT_EQ(r.at("screen_status"), "not_screened") << f;
    } else {
      EXPECT_TRUE(r.at("tier") == "public" || r.at("tier") == "none") << f << ": " << r.at("tier");
    }
  }
  // The culture with the most planted reactivities (F03: two) ranks first.
  const auto most = std::max_element(planted_per_fragment.begin(), planted_per_fragment.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; });
  EXPECT_EQ(ranking[0].at("fragment_id"), most->first);
  EXPECT_EQ(ranking[0].at("reactive_neoantigens"), std::to_string(most->second));
  for (const Row& t : *truth_) {
    const auto r = std::find_if(ranking.begin(), ranking.end(), [&](const Row& x) { return x.at("fragment_id") == t.at("fragment_id"); });
    ASSERT_NE(r, ranking.end());
    if (t.at("positive_control") == "failed") {
      EXPECT_EQ(r->at("screen_status"), "control_failed");
    }
    if (t.at("screened") == "no") {
      EXPECT_EQ(r->at("screen_status"), "not_screened");
    }
  }
}

TEST_F(RunExampleScreen, ReactivityCallsFollowTheTruth) {
  const auto design = design_constructs();
  std::map<std::pair<std::string, std::string>, Row> calls;
  for (const Row& c : tsv_rows(out() / "reactivity.tsv")) calls[{c.at("fragment_id"), c.at("neoantigen_id")}] = c;
  std::set<std::pair<std::string, std::string>> planted_pairs;
  const auto measured = expected_measured();
  int reactive = 0, ambiguous = 0;
  for (const Row& t : planted()) {
    planted_pairs.insert({t.at("fragment_id"), t.at("neoantigen_id")});
    if (!measured.count(t.at("fragment_id"))) continue;
    const auto it = calls.find({t.at("fragment_id"), t.at("neoantigen_id")});
    ASSERT_NE(it, calls.end()) << t.at("fragment_id") << " " << t.at("neoantigen_id");
    // Reactive when a single peptide (no design construct) stimulated it; else ambiguous among
    // candidates that include the planted neoantigen.
    const auto constructs = items(t.at("constructs"));
    const bool single = std::any_of(constructs.begin(), constructs.end(), [&](const auto& c) { return !design.count(c); });
    if (single) {
      EXPECT_EQ(it->second.at("status"), "reactive") << t.at("fragment_id") << " " << t.at("neoantigen_id");
      ++reactive;
    } else {
      EXPECT_EQ(it->second.at("status"), "ambiguous") << t.at("fragment_id") << " " << t.at("neoantigen_id");
      EXPECT_TRUE(has(items(it->second.at("candidates")), t.at("neoantigen_id")));
      ++ambiguous;
    }
  }
  EXPECT_GE(reactive, 2);
  EXPECT_GE(ambiguous, 2);
  for (const auto& [key, c] : calls) {
    if (c.at("status") == "reactive") {
      EXPECT_TRUE(planted_pairs.count(key)) << "false reactive call: " << key.first << " " << key.second;
    }
  }
  // A failed positive control leaves its fragment untested: no call either way.
  for (const Row& t : *truth_) {
    if (t.at("positive_control") != "failed") continue;
    for (const auto& [key, c] : calls) {
      if (key.first == t.at("fragment_id")) {
        EXPECT_EQ(c.at("status"), "not_tested") << key.second;
      }
    }
    for (const Row& s : tsv_rows(out() / "screen_calls.tsv")) {
      if (s.at("fragment_id") == t.at("fragment_id")) {
        EXPECT_EQ(s.at("status"), "control_failed");
      }
    }
  }
}

TEST_F(RunExampleScreen, ReactiveClonotypesAreTheSortedPlantedOnes) {
  const auto reactive = tsv_rows(out() / "reactive_clonotypes.tsv");
  std::size_t sorted = 0;
  for (const Row& t : planted()) {
    if (t.at("sorted") == "NA") continue;
    ++sorted;
    const auto r = std::find_if(reactive.begin(), reactive.end(), [&](const Row& x) {
      return x.at("cdr3_beta") == t.at("cdr3_beta") && x.at("v_beta") == gene(t.at("v_beta"));
    });
    ASSERT_NE(r, reactive.end()) << t.at("cdr3_beta") << " not found reactive";
    EXPECT_EQ(r->at("proven_in"), t.at("fragment_id"));
    EXPECT_EQ(r->at("construct"), t.at("sorted"));
    EXPECT_TRUE(has(items(r->at("neoantigen_ids")), t.at("neoantigen_id"))) << r->at("neoantigen_ids");
  }
  // Nothing else: the culture's background did not enrich in the sorted cells.
  EXPECT_EQ(reactive.size(), sorted);
  EXPECT_GE(sorted, 2u);
}

/// Most distinct planted neoantigens that at most `k` of `cover`'s fragments hold together.
std::size_t best_cover(const std::map<std::string, std::set<std::string>>& cover, std::size_t k) {
  const std::vector<std::pair<std::string, std::set<std::string>>> list(cover.begin(), cover.end());
  std::size_t best = 0;
  for (unsigned mask = 0; mask < (1u << list.size()); ++mask) {
    std::set<std::string> covered;
    std::size_t n = 0;
    for (std::size_t i = 0; i < list.size(); ++i)
      if (mask >> i & 1u) ++n, covered.insert(list[i].second.begin(), list[i].second.end());
    if (n <= k) best = std::max(best, covered.size());
  }
  return best;
}

TEST_F(RunExampleScreen, ProductCoversTheMostPlantedReactivities) {
  // Fragments the screen can vouch for (measured or tracked) and the neoantigens planted in them.
  auto candidates = expected_measured();
  for (const auto& f : expected_tracked()) candidates.insert(f);
  std::map<std::string, std::set<std::string>> cover;
  for (const Row& t : planted())
    if (candidates.count(t.at("fragment_id"))) cover[t.at("fragment_id")].insert(t.at("neoantigen_id"));
  const std::size_t optimum = best_cover(cover, 4);  // --product-size 4
  const auto product = tsv_rows(out() / "product.tsv");
  ASSERT_FALSE(product.empty());
  const Row& chosen = product.front();
  ASSERT_EQ(chosen.at("set"), "chosen");
  EXPECT_EQ(chosen.at("method"), "exact");
  // One reactivity listed (a resolved neoantigen or an unresolved group) per planted one it covers.
  EXPECT_EQ(items(chosen.at("resolved_neoantigens")).size() + items(chosen.at("unresolved_groups")).size(), optimum)
      << chosen.at("resolved_neoantigens") << " " << chosen.at("unresolved_groups");
  std::set<std::string> covered;
  const auto fragments = items(chosen.at("fragments"));
  EXPECT_LE(fragments.size(), 4u);
  for (const auto& f : fragments) covered.insert(cover[f].begin(), cover[f].end());
  EXPECT_EQ(covered.size(), optimum) << chosen.at("fragments");
}

TEST_F(RunExampleScreen, NextRoundScreensTheTrackedFragmentAndDeconvolvesTheAmbiguous) {
  const auto steps = tsv_rows(out() / "next_round.tsv");
  for (const auto& f : expected_tracked()) {
    EXPECT_TRUE(std::any_of(steps.begin(), steps.end(), [&](const Row& s) {
      return s.at("kind") == "screen_fragment" && s.at("subject") == f;
    })) << f;
  }
  const auto design = design_constructs();
  for (const Row& t : planted()) {
    const auto constructs = items(t.at("constructs"));
    const bool single = std::any_of(constructs.begin(), constructs.end(), [&](const auto& c) { return !design.count(c); });
    if (!expected_measured().count(t.at("fragment_id")) || single) continue;
    EXPECT_TRUE(std::any_of(steps.begin(), steps.end(), [&](const Row& s) {
      return s.at("kind") == "deconvolve" && has(items(s.at("fragments")), t.at("fragment_id"));
    })) << t.at("fragment_id") << " is ambiguous but no deconvolution is proposed";
  }
}

TEST_F(RunExampleScreen, SameBytesWithOneThread) {
  ScratchDir dir;
  std::string args = run_args(dir / "one", second_round_flags());
  args.replace(args.find("--threads 2"), 11, "--threads 1");
  const CommandResult r = run_tilmatch(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"fragments.tsv", "screen_calls.tsv", "reactivity.tsv", "reactive_clonotypes.tsv", "tracked.tsv",
                        "product.tsv", "next_round.tsv", "next_round_design.tsv", "report.html"})
    EXPECT_EQ(comparable_file(dir / "one" / f), comparable_file(out() / f)) << f;
}

TEST_F(RunExampleScreen, CudaGivesTheSameBytes) {
  ScratchDir dir;
  std::string args = run_args(dir / "gpu", second_round_flags());
  args.replace(args.find("--backend cpu"), 13, "--backend cuda");
  const CommandResult r = run_tilmatch(args);
  if (r.exit_code == 3) GTEST_SKIP() << "no usable CUDA device: " << r.err;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"fragments.tsv", "reactive_clonotypes.tsv", "tracked.tsv", "product.tsv", "next_round.tsv"})
    EXPECT_EQ(read_file(dir / "gpu" / f), read_file(out() / f)) << f;
}

TEST(ExampleScreenFiles, AreTheGeneratorsOutput) {
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "python3 not found (the generators need it)";
  ASSERT_EQ(first_run().result.exit_code, 0) << first_run().result.err;
  ScratchDir dir;
  const fs::path made = dir / "example";
  const std::string log = shell_quote(dir / "log.txt");
  const std::string cmd = "python3 " + shell_quote(source_dir() / "scripts" / "make-example") + " " + shell_quote(made) +
                          " > " + log + " 2>&1 && python3 " +
                          shell_quote(source_dir() / "scripts" / "make-example-screen") + " --example " +
                          shell_quote(made) + " --design " + shell_quote(first_run().design()) + " >> " + log + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read_file(dir / "log.txt");
  const auto committed = snapshot(example());
  const auto generated = snapshot(made);
  for (const auto& [name, bytes] : generated) {
    const auto it = committed.find(name);
    ASSERT_NE(it, committed.end()) << name << " is generated but not in data/example";
    EXPECT_TRUE(it->second == bytes) << "data/example/" << name << " differs from the generators' output";
  }
  EXPECT_EQ(generated.size(), committed.size()) << "data/example holds files the generators do not make";
}

}  // namespace
}  // namespace tilmatch::test
