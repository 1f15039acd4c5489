#include <gtest/gtest.h>

#include <regex>

#include "cli/command.hpp"
#include "common/test_support.hpp"
#include "io/vcf_reader.hpp"
#include "tilmatch/version.hpp"

using tilmatch::test::run_tilmatch;

TEST(CliBasics, VersionNamesTheVersion) {
  auto r = run_tilmatch("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find(std::string("tilmatch ") + tilmatch::kVersion), std::string::npos) << r.out;
}

// workflow/scripts/versions_yml.sh reads this line: the version with its commit, then HTSlib's.
TEST(CliBasics, VersionLineNamesCommitBuildAndHtslib) {
  auto r = run_tilmatch("--version");
  EXPECT_EQ(r.exit_code, 0);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(r.out, m, std::regex(R"(tilmatch (\S+) \((CPU-only build|CUDA backend built); htslib ([0-9]+\.[0-9][^ )]*)\)\n)")))
      << r.out;
  EXPECT_EQ(m[1].str(), tilmatch::kBuildVersion);
  EXPECT_EQ(m[3].str(), tilmatch::io::htslib_version());
}

TEST(CliBasics, EverySubcommandHasHelp) {
  auto top = run_tilmatch("--help");
  EXPECT_EQ(top.exit_code, 0);
  for (const auto& spec : tilmatch::cli::all_commands()) {
    EXPECT_NE(top.out.find(std::string(spec.name)), std::string::npos) << spec.name;
    auto r = run_tilmatch(std::string(spec.name) + " --help");
    EXPECT_EQ(r.exit_code, 0) << spec.name;
    EXPECT_NE(r.out.find("--out"), std::string::npos) << spec.name << " help:\n" << r.out;
    EXPECT_TRUE(r.err.empty()) << r.err;
  }
}

TEST(CliBasics, NoSubcommandIsAUsageError) {
  auto r = run_tilmatch("");
  EXPECT_EQ(r.exit_code, tilmatch::cli::kExitInput);
  EXPECT_TRUE(r.out.empty());
}

TEST(CliBasics, UnknownOptionIsAUsageError) {
  auto r = run_tilmatch("peptides --vcf x --out y --no-such-option");
  EXPECT_EQ(r.exit_code, tilmatch::cli::kExitInput);
}
