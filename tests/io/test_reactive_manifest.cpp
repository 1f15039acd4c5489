// The reactive-repertoire manifest: populations, baselines, paths (the fragment manifest's rules)
// and an error naming file, line and column for every bad input.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/test_support.hpp"
#include "io/reactive_manifest.hpp"
#include "tilmatch/error.hpp"

using namespace tilmatch;
using tilmatch::test::ScratchDir;
using tilmatch::test::write_file;

namespace {

const std::string kHeader = "fragment_id\tconstruct\tpopulation\tpath\n";
const std::string kAirr =
    "sequence_id\tlocus\tproductive\tv_call\tj_call\tjunction_aa\tduplicate_count\n"
    "s1\tTRB\tT\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t10\n";

/// A folder holding `tcrseq/a.tsv`, `tcrseq/b.tsv` and `tcrseq/c.tsv`.
void make_files(const ScratchDir& d) {
  std::filesystem::create_directories(d / "tcrseq");
  for (const char* f : {"tcrseq/a.tsv", "tcrseq/b.tsv", "tcrseq/c.tsv"}) write_file(d / f, kAirr);
}

std::string error_for(const ScratchDir& d, const std::string& text) {
  write_file(d / "reactive.tsv", text);
  try {
    io::read_reactive_manifest((d / "reactive.tsv").string());
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), (d / "reactive.tsv").string());
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ReactiveManifest, ReadsEntriesWithResolvedPathsAndFormats) {
  ScratchDir d;
  make_files(d);
  const std::string absolute = (d / "tcrseq/c.tsv").string();
  write_file(d / "reactive.tsv", "fragment_id\tconstruct\tpopulation\tpath\tformat\tsort_gate\n"
                                 "F1\tTMG1\tsorted\ttcrseq/a.tsv\tairr\t4-1BB+\n"
                                 "F1\tTMG1\tUnsorted\ttcrseq/b.tsv\t\t\n"
                                 "F2\tPP1\tSORTED\t" + absolute + "\t\tOX40+\n"
                                 "F2\t\tno_target\t./tcrseq/../tcrseq/b.tsv\t\t\n");
  const auto m = io::read_reactive_manifest((d / "reactive.tsv").string());
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].fragment_id, "F1");
  EXPECT_EQ(m[0].construct, "TMG1");
  EXPECT_EQ(m[0].population, io::Population::kSorted);
  EXPECT_EQ(m[0].path, (d / "tcrseq/a.tsv").string());
  EXPECT_EQ(m[0].format, io::RepertoireFormat::kAirr);
  EXPECT_EQ(m[0].line, 2);
  EXPECT_EQ(m[1].population, io::Population::kUnsorted);
  EXPECT_EQ(m[1].format, io::RepertoireFormat::kAuto);
  EXPECT_EQ(m[2].population, io::Population::kSorted);
  EXPECT_EQ(m[2].path, (d / "tcrseq/c.tsv").string());
  // An empty construct is the fragment's baseline for every construct.
  EXPECT_EQ(m[3].construct, "");
  EXPECT_EQ(m[3].population, io::Population::kNoTarget);
  EXPECT_EQ(m[3].path, (d / "tcrseq/b.tsv").string());
  EXPECT_EQ(m[3].line, 5);
}

TEST(ReactiveManifest, PopulationNames) {
  EXPECT_EQ(io::parse_population("no_target"), io::Population::kNoTarget);
  EXPECT_EQ(io::parse_population("No_Target"), io::Population::kNoTarget);
  EXPECT_FALSE(io::parse_population("notarget").has_value());
  EXPECT_FALSE(io::parse_population("").has_value());
  for (auto p : {io::Population::kSorted, io::Population::kUnsorted, io::Population::kNoTarget})
    EXPECT_EQ(io::parse_population(io::to_string(p)), p);
}

TEST(ReactiveManifest, BadRowsNameLineAndColumn) {
  ScratchDir d;
  make_files(d);
  const std::string ok = "F1\tTMG1\tunsorted\ttcrseq/b.tsv\n";
  struct Case {
    std::string row;
    std::string where;
    std::string says;
  };
  const Case cases[] = {
      {"F1\tTMG1\tactivated\ttcrseq/a.tsv\n", "line 3, column 'population'", "unknown population 'activated'"},
      {"F1\t\tsorted\ttcrseq/a.tsv\n", "line 3, column 'construct'", "needs the construct"},
      {"\tTMG1\tsorted\ttcrseq/a.tsv\n", "line 3, column 'fragment_id'", "empty fragment_id"},
      {"F1\tTMG1\tsorted\ttcrseq/missing.tsv\n", "line 3, column 'path'", "not found"},
      {"F1\tTMG1\tsorted\t\n", "line 3, column 'path'", "empty path"},
      {"F1\tTMG1\tsorted\t../elsewhere/a.tsv\n", "line 3, column 'path'", "leads outside the manifest's folder"},
      {"F1\tTMG1\tunsorted\ttcrseq/c.tsv\n", "line 3", "already listed on line 2"},
      {"F1\tTMG2\tsorted\ttcrseq/a.tsv\n", "line 3", "has no baseline"},
  };
  for (const Case& c : cases) {
    const std::string e = error_for(d, kHeader + ok + c.row);
    EXPECT_NE(e.find("reactive.tsv, " + c.where), std::string::npos) << c.row << " -> " << e;
    EXPECT_NE(e.find(c.says), std::string::npos) << c.row << " -> " << e;
  }
  const std::string format = error_for(d,
                                       "fragment_id\tconstruct\tpopulation\tpath\tformat\n"
                                       "F1\tTMG1\tunsorted\ttcrseq/b.tsv\tfasta\n");
  EXPECT_NE(format.find("reactive.tsv, line 2, column 'format'"), std::string::npos) << format;
  const std::string missing = error_for(d, "fragment_id\tconstruct\tpath\nF1\tTMG1\ttcrseq/a.tsv\n");
  EXPECT_NE(missing.find("reactive.tsv, header: missing required column 'population'"), std::string::npos) << missing;
  EXPECT_NE(error_for(d, kHeader).find("lists no repertoires"), std::string::npos);
  const std::string csv = error_for(d, "fragment_id,construct,population,path\nF1,TMG1,sorted,tcrseq/a.tsv\n");
  EXPECT_NE(csv.find("looks like a CSV"), std::string::npos) << csv;
}

TEST(ReactiveManifest, BaselineOfTheSameConstructOrOfTheWholeFragment) {
  ScratchDir d;
  make_files(d);
  // F1's TMG1 sort has its own unsorted; F2's sorts share the fragment-wide no_target baseline.
  EXPECT_EQ(error_for(d, kHeader + "F1\tTMG1\tsorted\ttcrseq/a.tsv\n"
                                   "F1\tTMG1\tunsorted\ttcrseq/b.tsv\n"
                                   "F2\tTMG1\tsorted\ttcrseq/a.tsv\n"
                                   "F2\tPP1\tsorted\ttcrseq/c.tsv\n"
                                   "F2\t\tno_target\ttcrseq/b.tsv\n"),
            "");
  // A baseline of another fragment does not count.
  const std::string e = error_for(d, kHeader +
                                         "F1\tTMG1\tsorted\ttcrseq/a.tsv\n"
                                         "F2\t\tunsorted\ttcrseq/b.tsv\n");
  EXPECT_NE(e.find("reactive.tsv, line 2: sorted repertoire of fragment 'F1', construct 'TMG1' has no baseline"),
            std::string::npos)
      << e;
}
