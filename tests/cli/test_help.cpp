// Help that reads cleanly: option groups, an example per subcommand, no CLI11 artefacts, and a
// suggestion for a mistyped option.

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/byte_size.hpp"
#include "cli/command.hpp"
#include "cli/help.hpp"
#include "common/test_support.hpp"

namespace tilmatch::cli {
namespace {

using test::run_tilmatch;
using test::shell_quote;

const std::vector<std::string> kOrder = {kGroupInputs, kGroupFilters, kGroupReferences, kGroupModel,
                                         kGroupDesign, kGroupScreen,  kGroupCompute,    kGroupOutput};

/// The groups each subcommand's options fall in.
const std::map<std::string, std::set<std::string>> kGroupsOf = {
    {"run", {kGroupInputs, kGroupFilters, kGroupReferences, kGroupModel, kGroupDesign, kGroupScreen, kGroupCompute,
             kGroupOutput}},
    {"peptides", {kGroupInputs, kGroupFilters, kGroupDesign, kGroupOutput}},
    {"search", {kGroupInputs, kGroupFilters, kGroupReferences, kGroupModel, kGroupCompute, kGroupOutput}},
    {"neighbors", {kGroupInputs, kGroupFilters, kGroupReferences, kGroupModel, kGroupCompute, kGroupOutput}},
    {"predict", {kGroupInputs, kGroupReferences, kGroupModel, kGroupCompute, kGroupOutput}},
    {"background", {kGroupInputs, kGroupModel, kGroupOutput}},
};

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);  // the textbook example
  EXPECT_EQ(edit_distance("--fragment", "--fragments"), 1u);
  EXPECT_EQ(edit_distance("--memroy", "--memory"), 2u);  // a transposition is two edits
  EXPECT_EQ(edit_distance("flaw", "lawn"), 2u);
}

TEST(SuggestName, PicksTheNearestWithinReach) {
  const std::vector<std::string> names = {"--fragments", "--reference", "--references-only", "--radius", "-o"};
  EXPECT_EQ(suggest_name("--fragment", names), "--fragments");
  EXPECT_EQ(suggest_name("--refrence", names), "--reference");
  EXPECT_EQ(suggest_name("--radios", names), "--radius");
  EXPECT_EQ(suggest_name("--no-such-option", names), "");
  EXPECT_EQ(suggest_name("--x", {}), "");
}

TEST(SuggestName, TiesGoToTheEarlierName) {
  EXPECT_EQ(suggest_name("--ab", {"--aa", "--bb"}), "--aa");
  EXPECT_EQ(suggest_name("--ab", {"--bb", "--aa"}), "--bb");
}

TEST(CleanTypeName, DropsValidatorText) {
  EXPECT_EQ(clean_type_name("INT"), "INT");
  EXPECT_EQ(clean_type_name("TEXT:FILE"), "FILE");
  EXPECT_EQ(clean_type_name("INT:INT in [0 - 1]"), "INT");
  EXPECT_EQ(clean_type_name("FLOAT:FLOAT in [0 - 1]"), "FLOAT");
  EXPECT_EQ(clean_type_name("TEXT:{tcrdist,tcrmatch}"), "TEXT");
}

TEST(WrapWords, BreaksAtSpacesAndIndentsContinuations) {
  EXPECT_EQ(wrap_words("", 10, 2), "");
  EXPECT_EQ(wrap_words("one two three", 20, 2), "one two three");
  EXPECT_EQ(wrap_words("one two three", 7, 2), "one two\n  three");
  EXPECT_EQ(wrap_words("one two three", 3, 1), "one\n two\n three");
  EXPECT_EQ(wrap_words("averyverylongword b", 5, 0), "averyverylongword\nb");  // a long word stays whole
}

TEST(FirstUnknownOption, SkipsValuesKnownNamesAndNumbers) {
  CLI::App app;
  std::string out;
  int n = 0;
  app.add_option("-o,--out", out);
  app.add_option("--radius", n);
  EXPECT_EQ(first_unknown_option(app, {"--out", "x", "--radius=3", "-ofile", "-", "-5"}), "");
  EXPECT_EQ(first_unknown_option(app, {"--out", "x", "--outt=y", "--zz"}), "--outt");
  EXPECT_EQ(first_unknown_option(app, {"-x"}), "-x");
}

TEST(CommandTable, EveryOptionIsInANamedGroup) {
  for (const CommandSpec& spec : all_commands()) {
    CLI::App sub;
    spec.setup(sub);
    std::set<std::string> seen;
    for (const CLI::Option* opt : sub.get_options()) {
      if (opt == sub.get_help_ptr()) continue;
      EXPECT_NE(std::find(kOrder.begin(), kOrder.end(), opt->get_group()), kOrder.end())
          << spec.name << " " << opt->get_name() << " is in group '" << opt->get_group() << "'";
      seen.insert(opt->get_group());
    }
    EXPECT_EQ(seen, kGroupsOf.at(std::string(spec.name))) << spec.name;
  }
}

TEST(CliHelp, EachSubcommandListsItsGroupsInOrderWithAnExample) {
  for (const CommandSpec& spec : all_commands()) {
    const std::string name(spec.name);
    const auto r = run_tilmatch(name + " --help");
    ASSERT_EQ(r.exit_code, 0) << name;
    std::size_t last = 0;
    for (const std::string& g : kOrder) {
      const auto at = r.out.find("\n" + g + ":\n");
      if (!kGroupsOf.at(name).count(g)) {
        EXPECT_EQ(at, std::string::npos) << name << " lists an empty group " << g;
        continue;
      }
      ASSERT_NE(at, std::string::npos) << name << " has no group " << g << ":\n" << r.out;
      EXPECT_GT(at, last) << name << ": " << g << " out of order";
      last = at;
    }
    const auto example = r.out.find("Example");
    ASSERT_NE(example, std::string::npos) << name << ":\n" << r.out;
    EXPECT_NE(r.out.find("  tilmatch " + name + " --", example), std::string::npos) << name << ":\n" << r.out;
  }
}

TEST(CliHelp, NoGarbledLines) {
  // CLI11's own format glued defaults to types ("INT=1"), validators into types ("INT:INT in [0 - 1]",
  // "TEXT:{a,b}") and flag values into names ("--no-checksum{false}").
  const std::regex glued_default("[A-Z]=[^ ]");
  for (const char* args : {"--help", "run --help", "peptides --help", "search --help", "neighbors --help",
                                  "predict --help"}) {
    const auto r = run_tilmatch(args);
    ASSERT_EQ(r.exit_code, 0) << args;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line)) {
      EXPECT_LE(line.size(), kHelpWidth) << args << ": " << line;
      if (line.rfind("  tilmatch ", 0) == 0 || line.rfind("    --", 0) == 0) continue;  // example command lines
      EXPECT_EQ(line.find('{'), std::string::npos) << args << ": " << line;
      EXPECT_EQ(line.find("[0 -"), std::string::npos) << args << ": " << line;
      EXPECT_EQ(line.find("TEXT:"), std::string::npos) << args << ": " << line;
      EXPECT_FALSE(std::regex_search(line, glued_default)) << args << ": " << line;
    }
  }
}

TEST(CliHelp, DefaultsReadAsDefaults) {
  const auto r = run_tilmatch("run --help");
  EXPECT_NE(r.out.find("--max-epitope-mismatches INT"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[default: 1]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--memory SIZE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(std::string("[default: ") + kDefaultMemory + "]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--no-checksum "), std::string::npos) << r.out;
}

TEST(CliHelp, EveryScoringSubcommandHasTheSameMemoryDefault) {
  for (const char* name : {"run", "search", "neighbors", "predict"}) {
    const auto r = run_tilmatch(std::string(name) + " --help");
    EXPECT_NE(r.out.find(std::string("[default: ") + kDefaultMemory + "]"), std::string::npos) << name;
  }
}

// The help texts as reviewed, in tests/cli/golden/. After a deliberate change to options or help text,
// rewrite them with TILMATCH_UPDATE_GOLDEN=1 tilmatch_cli_tests --gtest_filter='CliHelp.Golden*' and
// read the diff.
TEST(CliHelp, GoldenTexts) {
  const std::filesystem::path golden = test::source_dir() / "tests" / "cli" / "golden";
  const bool update = std::getenv("TILMATCH_UPDATE_GOLDEN") != nullptr;
  std::vector<std::string> names = {""};
  for (const CommandSpec& spec : all_commands()) names.emplace_back(spec.name);
  for (const std::string& name : names) {
    const auto r = run_tilmatch(name.empty() ? "--help" : name + " --help");
    ASSERT_EQ(r.exit_code, 0) << name;
    const auto file = golden / ("help" + (name.empty() ? std::string() : "_" + name) + ".txt");
    if (update) test::write_file(file, r.out);
    ASSERT_TRUE(std::filesystem::exists(file)) << file << " missing; see the comment above";
    EXPECT_EQ(r.out, test::read_file(file)) << file << " differs; see the comment above";
  }
}

TEST(CliUnknownOption, NamesItAndSuggestsTheNearest) {
  test::ScratchDir dir;
  // --fragments is required, so without the suggestion this read as "--fragments is required".
  const auto r = run_tilmatch("run --vcf " + shell_quote(test::source_dir() / "data/example/patient.vcf") +
                              " --fragment x --reference y --out " + shell_quote(dir / "out"));
  EXPECT_EQ(r.exit_code, kExitInput);
  EXPECT_NE(r.err.find("tilmatch run: unknown option --fragment; did you mean --fragments?"), std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));

  const auto s = run_tilmatch("search --query q --reference r --metric tcrdist --max-distnce 3 --out -");
  EXPECT_EQ(s.exit_code, kExitInput);
  EXPECT_NE(s.err.find("unknown option --max-distnce; did you mean --max-distance?"), std::string::npos) << s.err;

  const auto far = run_tilmatch("peptides --vcf x --out y --no-such-option");
  EXPECT_EQ(far.exit_code, kExitInput);
  EXPECT_NE(far.err.find("unknown option --no-such-option ("), std::string::npos) << far.err;
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
}

TEST(CliUnknownOption, TopLevelOptionsAreKnownToSubcommands) {
  const auto r = run_tilmatch("peptides --help -q");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto v = run_tilmatch("--verbos peptides --vcf x --out y");
  EXPECT_EQ(v.exit_code, kExitInput);
  EXPECT_NE(v.err.find("did you mean --verbose?"), std::string::npos) << v.err;
}

TEST(CliUnknownOption, AMistypedSubcommandGetsTheNearestToo) {
  const auto r = run_tilmatch("serch --query q");
  EXPECT_EQ(r.exit_code, kExitInput);
  EXPECT_NE(r.err.find("tilmatch: unknown subcommand 'serch'; did you mean search?"), std::string::npos) << r.err;
  const auto far = run_tilmatch("align");
  EXPECT_EQ(far.exit_code, kExitInput);
  EXPECT_NE(far.err.find("unknown subcommand 'align' ("), std::string::npos) << far.err;
}

TEST(CliMemory, BadSizeIsAUsageErrorNamingTheOption) {
  const auto r = run_tilmatch("neighbors --input - --max-distance 3 --memory '6 XB' --out -");
  EXPECT_EQ(r.exit_code, kExitInput);
  EXPECT_NE(r.err.find("--memory: expected a size"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'6 XB'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace tilmatch::cli
