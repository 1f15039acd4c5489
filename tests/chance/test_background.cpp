// Backgrounds: the shipped OLGA sample reads whole, and a file without a usable row is an
// InputError naming it.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "chance/background.hpp"
#include "common/test_support.hpp"
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
