// Backgrounds: the shipped OLGA sample reads whole, the copy compiled into the binary reads exactly
// as the file does, a V-grouped list reads as the same rows in a repertoire layout, and a malformed
// or empty file is an InputError naming it (and the line).

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>

#include "common/test_support.hpp"
#include "io/background.hpp"
#include "tilmatch/checksum.hpp"
#include "tilmatch/error.hpp"

namespace ti = tilmatch::io;
namespace tt = tilmatch::test;

namespace {

std::filesystem::path shipped() { return tt::source_dir() / "data" / "background" / "olga_trb_1m.txt.gz"; }

TEST(BackgroundReader, ShippedSampleReadsWhole) {
  const tilmatch::Background bg = ti::read_background(shipped().string());
  ASSERT_EQ(bg.size(), 1000000u);
  EXPECT_TRUE(bg.skipped.empty());
  std::set<std::string> cdr3s;
  for (std::size_t i = 0; i < bg.size(); ++i) {
    ASSERT_EQ(bg.v_of(i).rfind("TRBV", 0), 0u) << bg.v_of(i);
    ASSERT_EQ(bg.cdr3_of(i).front(), 'C') << bg.cdr3_of(i);
    cdr3s.emplace(bg.cdr3_of(i));
  }
  EXPECT_GT(bg.genes.size(), 40u);
  // Public CDR3s are drawn more than once and kept: the rows are draws, not distinct clonotypes.
  EXPECT_LT(cdr3s.size(), bg.size());
  EXPECT_GT(cdr3s.size(), 900000u);
}

TEST(BackgroundReader, BuiltInIsTheShippedFileRowForRow) {
  const ti::MemoryFile file = ti::builtin_background_file();
  // The same bytes as the file in the source tree (a stale build would differ here)...
  EXPECT_EQ(tilmatch::md5_bytes(file.bytes), tilmatch::md5_file(shipped()));
  EXPECT_EQ(file.name, ti::kBuiltinBackgroundName);
  // ...and the same rows, read by the same reader.
  const tilmatch::Background from_file = ti::read_background(shipped().string());
  const tilmatch::Background builtin = ti::read_background(file);
  EXPECT_EQ(builtin.file, ti::kBuiltinBackgroundName);
  EXPECT_EQ(builtin.genes, from_file.genes);
  EXPECT_EQ(builtin.gene_of, from_file.gene_of);
  EXPECT_EQ(builtin.cdr3_end, from_file.cdr3_end);
  EXPECT_EQ(builtin.cdr3, from_file.cdr3);
  EXPECT_EQ(builtin.skipped, from_file.skipped);
}

TEST(BackgroundReader, GroupedListReadsAsTheSameRowsInAnyLayout) {
  tt::ScratchDir dir;
  const std::string grouped =
      "#tilmatch background 1\tmade by hand\n"
      "# a comment\n"
      ">TRBV6-1*01\n"
      "CASSGRSRRTYSNQPQHF\n"
      "CASSGRSRRTYSNQPQHF\n"
      "\n"
      ">TCRBV05-01*01\n"
      "CASSARSGDYEQYF\n"
      ">TRBV6-1*01\n"
      "CASSLGQAYEQYF\n";
  const std::string airr =
      "sequence_id\tv_call\tj_call\tjunction_aa\n"
      "a\tTRBV6-1*01\tTRBJ1-5*01\tCASSGRSRRTYSNQPQHF\n"
      "b\tTRBV6-1*01\tTRBJ1-5*01\tCASSGRSRRTYSNQPQHF\n"
      "c\tTRBV5-1*01\tTRBJ2-7*01\tCASSARSGDYEQYF\n"
      "d\tTRBV6-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\n";
  tt::write_file(dir / "bg.txt", grouped);
  const tilmatch::Background g = ti::read_background((dir / "bg.txt").string());
  const tilmatch::Background a = ti::read_background(ti::MemoryFile{"bg.tsv", airr});
  ASSERT_EQ(g.size(), 4u);
  ASSERT_EQ(g.size(), a.size());
  for (std::size_t i = 0; i < g.size(); ++i) {
    EXPECT_EQ(g.cdr3_of(i), a.cdr3_of(i)) << i;
    EXPECT_EQ(g.v_of(i), a.v_of(i)) << i;  // Adaptive's TCRBV05-01*01 normalised to TRBV5-1*01
  }
  EXPECT_EQ(g.genes, (std::vector<std::string>{"TRBV6-1*01", "TRBV5-1*01"}));
  EXPECT_EQ(g.gene_of, (std::vector<std::uint32_t>{0, 0, 1, 0}));
  EXPECT_EQ(g.cdr3_of(2), "CASSARSGDYEQYF");
}

TEST(BackgroundReader, MalformedGroupedListNamesTheLine) {
  const std::string head = "#tilmatch background 1\n";
  const struct {
    std::string body, line, says;
  } cases[] = {
      {"CASSLGQAYEQYF\n", "line 2", "before the first"},
      {">TRBV6-1*01\nCASSLGQAYEQYF\ncass*gq\n", "line 4", "not a CDR3"},
      {">TRBV6-1*01\nCASSLGQAYEQYF\n>\nCASSLGQAYEQYF\n", "line 4", "names no V gene"},
      {"# only comments\n", "", "no usable"},
  };
  for (const auto& c : cases) {
    try {
      ti::read_background(ti::MemoryFile{"bad.txt", head + c.body});
      ADD_FAILURE() << "expected InputError for " << c.body;
    } catch (const tilmatch::InputError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("bad.txt"), std::string::npos) << what;
      EXPECT_NE(what.find(c.line), std::string::npos) << what;
      EXPECT_NE(what.find(c.says), std::string::npos) << what;
    }
  }
  // A header line that merely starts like one is a repertoire header, not a grouped list.
  EXPECT_THROW(ti::read_background(ti::MemoryFile{"x.txt", "#tilmatch background 12\n>TRBV6-1\nCASSF\n"}),
               tilmatch::InputError);
}

TEST(BackgroundReader, InMemoryFileReadsAsTheFileAndErrorsNameIt) {
  tt::ScratchDir dir;
  const std::string text =
      "sequence_id\tv_call\tj_call\tjunction_aa\tproductive\n"
      "a\tTRBV6-1*01\tTRBJ1-5*01\tCASSGRSRRTYSNQPQHF\tT\n"
      "b\tTRBV5-1\tTRBJ2-7*01\tcassarsgdyeqyf\tT\n"
      "c\tTRBV5-1*01\tTRBJ2-7*01\tCASSARSGDYEQYF\tF\n"
      "d\tTRAV1-2*01\tTRAJ33*01\tCAVRDSNYQLIW\tT\n"
      "e\tTRBV18*01\tTRBJ2-7*01\tCASS*DTWGKYEQYF\tT\n";
  const auto path = dir / "bg.tsv";
  tt::write_file(path, text);
  const tilmatch::Background from_file = ti::read_background(path.string());
  const tilmatch::Background from_memory = ti::read_background(ti::MemoryFile{"mem.tsv", text});
  ASSERT_EQ(from_memory.size(), 2u);  // a and b: c is not productive, d no beta chain, e a stop codon
  ASSERT_EQ(from_memory.size(), from_file.size());
  for (std::size_t i = 0; i < from_file.size(); ++i) {
    EXPECT_EQ(from_memory.cdr3_of(i), from_file.cdr3_of(i));
    EXPECT_EQ(from_memory.v_of(i), from_file.v_of(i));
  }
  EXPECT_EQ(from_memory.cdr3_of(1), "CASSARSGDYEQYF");
  EXPECT_EQ(from_memory.skipped, from_file.skipped);
  EXPECT_EQ(from_memory.skipped.size(), 3u);
  try {
    ti::read_background(ti::MemoryFile{"ragged.tsv", "sequence_id\tv_call\tjunction_aa\nx\tTRBV5-1\n"});
    FAIL() << "expected InputError";
  } catch (const tilmatch::InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("ragged.tsv"), std::string::npos) << what;
    EXPECT_NE(what.find("line 2"), std::string::npos) << what;
  }
}

TEST(BackgroundReader, NoUsableRowIsAnInputErrorNamingTheFile) {
  tt::ScratchDir dir;
  const auto path = dir / "empty.tsv";
  tt::write_file(path, "sequence_id\tv_call\tj_call\tjunction_aa\n");
  try {
    ti::read_background(path.string());
    FAIL() << "expected InputError";
  } catch (const tilmatch::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("empty.tsv"), std::string::npos) << e.what();
  }
}

}  // namespace
