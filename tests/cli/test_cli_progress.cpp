// What the CLI says while it works: stage lines on stderr (not with -q), a final line naming the
// outputs, run.log in the output folder, and no progress redraws when stderr is not a terminal.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "common/test_support.hpp"

namespace tilmatch::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// Runs the example patient into `out` with `extra` options (stderr is a file here, never a terminal).
CommandResult run_example(const fs::path& out, const std::string& extra) {
  return run_tilmatch(extra + " " + shell_join(example_run_args(out)) + " --threads 2");
}

class RunTalks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir();
    loud_ = new CommandResult(run_example(*dir_ / "loud", ""));
    quiet_ = new CommandResult(run_example(*dir_ / "quiet", "-q"));
  }
  static void TearDownTestSuite() {
    delete loud_;
    delete quiet_;
    delete dir_;
  }
  static ScratchDir* dir_;
  static CommandResult* loud_;
  static CommandResult* quiet_;
};
ScratchDir* RunTalks::dir_ = nullptr;
CommandResult* RunTalks::loud_ = nullptr;
CommandResult* RunTalks::quiet_ = nullptr;

TEST_F(RunTalks, StageLinesWithElapsedSecondsOnStderr) {
  ASSERT_EQ(loud_->exit_code, 0) << loud_->err;
  EXPECT_TRUE(loud_->out.empty());
  const std::regex stage(R"(^tilmatch \[[0-9]+\.[0-9] s\] .+)");
  const auto lines = lines_of(loud_->err);
  ASSERT_GE(lines.size(), 6u) << loud_->err;
  for (const std::string& l : lines) EXPECT_TRUE(std::regex_match(l, stage)) << l;
  for (const char* what : {"] reading variants from ", " neoantigens from ", "; reading the repertoires listed in ",
                           " clonotypes in 8 cultures; reading references", " reference TCRs on cpu",
                           " evidence entries; ranking 8 cultures", "] writing outputs"})
    EXPECT_NE(loud_->err.find(what), std::string::npos) << what << " missing from:\n" << loud_->err;
}

TEST_F(RunTalks, TheLastLineNamesTheOutputFolder) {
  ASSERT_EQ(loud_->exit_code, 0) << loud_->err;
  const auto lines = lines_of(loud_->err);
  ASSERT_FALSE(lines.empty());
  const std::string suffix = "; outputs in " + (*dir_ / "loud").string();
  EXPECT_NE(lines.back().find("] done: "), std::string::npos) << lines.back();
  EXPECT_EQ(lines.back().substr(lines.back().size() - std::min(lines.back().size(), suffix.size())), suffix)
      << lines.back();
}

TEST_F(RunTalks, QuietSaysNothingAndWritesTheSameOutputs) {
  ASSERT_EQ(quiet_->exit_code, 0) << quiet_->err;
  EXPECT_EQ(quiet_->err, "");
  EXPECT_EQ(quiet_->out, "");
  const auto loud = comparable_outputs(*dir_ / "loud");
  const auto quiet = comparable_outputs(*dir_ / "quiet");
  ASSERT_TRUE(loud.count("fragments.tsv"));
  EXPECT_EQ(loud, quiet);
}

TEST_F(RunTalks, RunLogHasTheStageLinesWithTimestamps) {
  ASSERT_EQ(loud_->exit_code, 0) << loud_->err;
  for (const char* run : {"loud", "quiet"}) {
    ASSERT_TRUE(fs::is_regular_file(*dir_ / run / "run.log")) << run;
    const auto log = lines_of(read_file(*dir_ / run / "run.log"));
    ASSERT_GE(log.size(), 6u) << run;
    const std::regex line(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \[[0-9]+\.[0-9] s\] .+)");
    for (const std::string& l : log) EXPECT_TRUE(std::regex_match(l, line)) << run << ": " << l;
  }
  // Every stage line on stderr up to the outputs is in run.log, in order (the final line comes after
  // the folder is published, so it cannot be in it).
  const auto err = lines_of(loud_->err);
  const auto log = lines_of(read_file(*dir_ / "loud" / "run.log"));
  ASSERT_EQ(log.size() + 1, err.size()) << loud_->err << "\n---\n" << read_file(*dir_ / "loud" / "run.log");
  for (std::size_t i = 0; i < log.size(); ++i) {
    const std::string said = err[i].substr(std::string("tilmatch ").size());
    EXPECT_EQ(log[i].substr(log[i].find(' ') + 1), said) << i;
  }
  // -q silences stderr, not the record: the quiet run's log has the same stage messages.
  const auto quiet_log = lines_of(read_file(*dir_ / "quiet" / "run.log"));
  ASSERT_EQ(quiet_log.size(), log.size());
  const auto message = [](const std::string& l) { return l.substr(l.find("] ") + 2); };
  for (std::size_t i = 0; i < log.size(); ++i) EXPECT_EQ(message(quiet_log[i]), message(log[i])) << i;
}

TEST_F(RunTalks, NoCarriageReturnWhenStderrIsAFile) {
  EXPECT_EQ(loud_->err.find('\r'), std::string::npos);
  EXPECT_EQ(read_file(*dir_ / "loud" / "run.log").find('\r'), std::string::npos);
}

TEST(RunLog, WarningsGoIntoRunLogToo) {
  ScratchDir dir;
  // A reference file without a usable TCR is warned about, whatever else the run does.
  write_file(dir / "empty_ref.tsv", "cdr3_beta\tepitope\n");
  auto args = example_run_args(dir / "out");
  args.insert(args.end(), {"--reference", (dir / "empty_ref.tsv").string(), "--threads", "2"});
  const auto r = run_tilmatch(shell_join(args));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string warning = "warning: run: no usable reference TCR in " + (dir / "empty_ref.tsv").string();
  EXPECT_NE(r.err.find("] " + warning + "\n"), std::string::npos) << r.err;
  EXPECT_NE(read_file(dir / "out" / "run.log").find("] " + warning + "\n"), std::string::npos);
}

TEST(PeptidesTalks, StageLinesRunLogAndFinalLine) {
  ScratchDir dir;
  const auto r = run_tilmatch(shell_join(example_peptides_args(dir / "out")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("] reading variants from "), std::string::npos) << r.err;
  const auto lines = lines_of(r.err);
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines.back().find("] done; outputs in " + (dir / "out").string()), std::string::npos) << r.err;
  EXPECT_NE(read_file(dir / "out" / "run.log").find(" candidates, "), std::string::npos);
  const auto q = run_tilmatch("-q " + shell_join(example_peptides_args(dir / "quiet")));
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_EQ(q.err, "");
}

TEST(SearchTalks, StageLinesAndWhereTheHitsWent) {
  ScratchDir dir;
  const fs::path ex = source_dir() / "data" / "example";
  const std::string args = "search --query " + shell_quote(ex / "fragments" / "F01.airr.tsv") + " --reference " +
                           shell_quote(ex / "reference.tsv") + " --metric tcrdist --threads 2 --out ";
  const auto r = run_tilmatch(args + shell_quote(dir / "hits.tsv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("] reading reference TCRs from "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" reference TCRs on cpu"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" hits written to " + (dir / "hits.tsv").string() + "\n"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos);
  const auto to_stdout = run_tilmatch(args + "-");
  ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
  EXPECT_NE(to_stdout.err.find(" hits written to standard output\n"), std::string::npos) << to_stdout.err;
  EXPECT_EQ(to_stdout.out, read_file(dir / "hits.tsv"));
  const auto quiet = run_tilmatch("-q " + args + "-");
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(quiet.out, to_stdout.out);
}

TEST(NeighborsTalks, StageLinesCountPairs) {
  ScratchDir dir;
  const fs::path in = source_dir() / "data" / "example" / "fragments" / "F01.airr.tsv";
  const auto r = run_tilmatch("neighbors --input " + shell_quote(in) + " --max-distance 24 --threads 2 --out " +
                              shell_quote(dir / "pairs.tsv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = parse_tsv(read_file(dir / "pairs.tsv")).size() - 1;
  ASSERT_GT(rows, 0u);
  std::smatch m;
  const std::string err = r.err;
  ASSERT_TRUE(std::regex_search(err, m, std::regex(R"(\] done: ([0-9,]+) pairs within 24 written to (.+)\n)"))) << err;
  EXPECT_EQ(std::regex_replace(m[1].str(), std::regex(","), ""), std::to_string(rows));
  EXPECT_EQ(m[2].str(), (dir / "pairs.tsv").string());
  EXPECT_NE(err.find(" pairs of "), std::string::npos) << err;
}

TEST(ProgressOnATerminal, RedrawsOneLineInPlace) {
  // util-linux script(1) gives the command a pseudo-terminal, as an interactive shell would.
  if (std::system("command -v script >/dev/null 2>&1") != 0) GTEST_SKIP() << "script(1) is not installed";
  ScratchDir dir;
  const fs::path in = source_dir() / "data" / "example" / "fragments" / "F01.airr.tsv";
  const std::string cmd = shell_quote(tilmatch_binary()) + " neighbors --input " + shell_quote(in) +
                          " --max-distance 24 --threads 2 --out " + shell_quote(dir / "pairs.tsv");
  const std::string typescript = (dir / "typescript").string();
  ASSERT_EQ(std::system(("script -qfec " + shell_quote(cmd) + " " + shell_quote(typescript) + " >/dev/null 2>&1").c_str()),
            0);
  const std::string seen = read_file(typescript);
  EXPECT_NE(seen.find("\rtilmatch neighbors: "), std::string::npos) << seen;
  EXPECT_NE(seen.find(" rows (100%)"), std::string::npos) << seen;
  // The file the command wrote is the same as without a terminal.
  const auto plain = run_tilmatch("neighbors --input " + shell_quote(in) + " --max-distance 24 --threads 2 --out -");
  EXPECT_EQ(read_file(dir / "pairs.tsv"), plain.out);
}

TEST(ProgressOnATerminal, RunCountsTheRepertoiresRead) {
  if (std::system("command -v script >/dev/null 2>&1") != 0) GTEST_SKIP() << "script(1) is not installed";
  ScratchDir dir;
  const std::string typescript = (dir / "typescript").string();
  const std::string cmd = shell_quote(tilmatch_binary()) + " " + shell_join(example_run_args(dir / "out"));
  ASSERT_EQ(std::system(("script -qfec " + shell_quote(cmd) + " " + shell_quote(typescript) + " >/dev/null 2>&1").c_str()),
            0);
  const std::string seen = read_file(typescript);
  EXPECT_NE(seen.find("\rtilmatch repertoires: 8 of 8 files (100%)"), std::string::npos) << seen;
  EXPECT_EQ(read_file(dir / "out" / "run.log").find('\r'), std::string::npos);
}

}  // namespace
}  // namespace tilmatch::test
