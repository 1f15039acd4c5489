// Backgrounds: the shipped OLGA sample reads whole, the copy compiled into the binary reads exactly
// as the file does, and a file without a usable row is an InputError naming it.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "chance/background.hpp"
#include "common/test_support.hpp"
#include "tilmatch/checksum.hpp"
#include "tilmatch/error.hpp"

namespace tc = tilmatch::chance;
namespace tt = tilmatch::test;

namespace {

TEST(ChanceBackground, ShippedSampleReadsWhole) {
  const auto path = tt::source_dir() / "data" / "background" / "olga_trb_100k.tsv.gz";
  const tc::Background bg = tc::read_background(path.string());
  ASSERT_EQ(bg.rows.size(), 100000u);
  EXPECT_TRUE(bg.skipped.empty());
  std::set<std::string> genes, cdr3s;
  for (const auto& r : bg.rows) {
    ASSERT_EQ(r.v_b.rfind("TRBV", 0), 0u) << r.v_b;
    ASSERT_EQ(r.cdr3_b.front(), 'C') << r.cdr3_b;
    genes.insert(r.v_b);
    cdr3s.insert(r.cdr3_b);
  }
  EXPECT_GT(genes.size(), 40u);
  // Public CDR3s are drawn more than once and kept: the rows are draws, not distinct clonotypes.
  EXPECT_LT(cdr3s.size(), bg.rows.size());
  EXPECT_GT(cdr3s.size(), 90000u);
}

TEST(ChanceBackground, BuiltInIsTheShippedFileRowForRow) {
  const auto path = tt::source_dir() / "data" / "background" / "olga_trb_100k.tsv.gz";
  const tilmatch::io::MemoryFile file = tc::builtin_background_file();
  // The same bytes as the file in the source tree (a stale build would differ here)...
  EXPECT_EQ(tilmatch::md5_bytes(file.bytes), tilmatch::md5_file(path));
  EXPECT_EQ(file.name, tc::kBuiltinBackgroundName);
  // ...and the same rows, read by the same reader.
  const tc::Background from_file = tc::read_background(path.string());
  const tc::Background builtin = tc::read_background(file);
  EXPECT_EQ(builtin.file, tc::kBuiltinBackgroundName);
  ASSERT_EQ(builtin.rows.size(), from_file.rows.size());
  for (std::size_t i = 0; i < builtin.rows.size(); ++i) {
    ASSERT_EQ(builtin.rows[i].cdr3_b, from_file.rows[i].cdr3_b) << "row " << i;
    ASSERT_EQ(builtin.rows[i].v_b, from_file.rows[i].v_b) << "row " << i;
    ASSERT_EQ(builtin.rows[i].cdr3_a, from_file.rows[i].cdr3_a) << "row " << i;
    ASSERT_EQ(builtin.rows[i].v_a, from_file.rows[i].v_a) << "row " << i;
  }
  EXPECT_EQ(builtin.skipped, from_file.skipped);
}

TEST(ChanceBackground, InMemoryFileReadsAsTheFileAndErrorsNameIt) {
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
  const tc::Background from_file = tc::read_background(path.string());
  const tc::Background from_memory = tc::read_background(tilmatch::io::MemoryFile{"mem.tsv", text});
  ASSERT_EQ(from_memory.rows.size(), 2u);  // a and b: c is not productive, d no beta chain, e a stop codon
  ASSERT_EQ(from_memory.rows.size(), from_file.rows.size());
  for (std::size_t i = 0; i < from_file.rows.size(); ++i) {
    EXPECT_EQ(from_memory.rows[i].cdr3_b, from_file.rows[i].cdr3_b);
    EXPECT_EQ(from_memory.rows[i].v_b, from_file.rows[i].v_b);
  }
  EXPECT_EQ(from_memory.rows[1].cdr3_b, "CASSARSGDYEQYF");
  EXPECT_EQ(from_memory.skipped, from_file.skipped);
  EXPECT_EQ(from_memory.skipped.size(), 3u);
  try {
    tc::read_background(tilmatch::io::MemoryFile{"ragged.tsv", "sequence_id\tv_call\tjunction_aa\nx\tTRBV5-1\n"});
    FAIL() << "expected InputError";
  } catch (const tilmatch::InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("ragged.tsv"), std::string::npos) << what;
    EXPECT_NE(what.find("line 2"), std::string::npos) << what;
  }
}

TEST(ChanceBackground, NoUsableRowIsAnInputErrorNamingTheFile) {
  tt::ScratchDir dir;
  const auto path = dir / "empty.tsv";
  tt::write_file(path, "sequence_id\tv_call\tj_call\tjunction_aa\n");
  try {
    tc::read_background(path.string());
    FAIL() << "expected InputError";
  } catch (const tilmatch::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("empty.tsv"), std::string::npos) << e.what();
  }
}

}  // namespace
