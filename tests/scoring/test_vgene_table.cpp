#include <gtest/gtest.h>

#include <string>

#include "common/test_support.hpp"
#include "scoring/tcrdist.hpp"
#include "scoring/vgene_table.hpp"
#include "tilmatch/error.hpp"

namespace ts = tilmatch::scoring;

namespace {

const char kHeader[] = "id\torganism\tchain\tregion\tnucseq\tframe\taligned_protseq\tcdr_columns\tcdrs\n";

std::string row(const std::string& id, const std::string& cdrs, const std::string& region = "V") {
  return id + "\thuman\tB\t" + region + "\tacgt\t+1\tXXX\t1-2\t" + cdrs + "\n";
}

}  // namespace

TEST(VGeneTable, LoadsLoopsAndResolvesAlleleLessNames) {
  tilmatch::test::ScratchDir dir;
  tilmatch::test::write_file(dir / "db.tsv", std::string(kHeader) + row("TRBV5-1*01", "MN.HEY;SVGAGI;PE;CASS") +
                                                 row("TRBV5-1*02", "MNHHEY;SVGAGI;PE;CASS") +
                                                 row("TRBJ1-1*01", "", "J"));
  const auto t = ts::VGeneTable::load(dir / "db.tsv");
  EXPECT_EQ(t.size(), 2u);
  const auto loops = t.loops("TRBV5-1");
  ASSERT_EQ(loops.size(), 14u);
  EXPECT_EQ(loops[2], ts::kGapCode);
  EXPECT_EQ(loops[0], tilmatch::encode::residue_code('M'));
  EXPECT_EQ(t.loops("TRBV5-1*02")[2], tilmatch::encode::residue_code('H'));
  EXPECT_EQ(t.chain("TRBV5-1"), 'B');
  EXPECT_FALSE(t.contains("TRBJ1-1*01"));
}

TEST(VGeneTable, UnknownGeneNamesFileAndGene) {
  tilmatch::test::ScratchDir dir;
  tilmatch::test::write_file(dir / "db.tsv", std::string(kHeader) + row("TRBV5-1*01", "MN;SV;PE;CA"));
  const auto t = ts::VGeneTable::load(dir / "db.tsv");
  try {
    (void)t.loops("TRBV99");
    FAIL() << "expected InputError";
  } catch (const tilmatch::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("TRBV99"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("db.tsv"), std::string::npos) << e.what();
  }
}

TEST(VGeneTable, MalformedRowsNameFileAndLine) {
  tilmatch::test::ScratchDir dir;
  tilmatch::test::write_file(dir / "short.tsv", std::string(kHeader) + row("TRBV5-1*01", "MN;SV;PE;CA") +
                                                    "TRBV6*01\thuman\tB\tV\n");
  try {
    (void)ts::VGeneTable::load(dir / "short.tsv");
    FAIL() << "expected InputError";
  } catch (const tilmatch::InputError& e) {
    EXPECT_EQ(e.where(), "line 3");
    EXPECT_NE(e.file().find("short.tsv"), std::string::npos);
  }
  tilmatch::test::write_file(dir / "cdrs.tsv", std::string(kHeader) + row("TRBV5-1*01", "MN;SV"));
  EXPECT_THROW((void)ts::VGeneTable::load(dir / "cdrs.tsv"), tilmatch::InputError);
  // Found by fuzz/fuzz_vgene_table: any one byte was taken as the chain letter.
  tilmatch::test::write_file(dir / "chain.tsv", std::string(kHeader) + "TRBV5-1*01\thuman\t\xab\tV\tacgt\t+1\tXXX\t1-2\tMN;SV;PE\n");
  try {
    (void)ts::VGeneTable::load(dir / "chain.tsv");
    FAIL() << "expected InputError";
  } catch (const tilmatch::InputError& e) {
    EXPECT_EQ(e.where(), "line 2");
    EXPECT_NE(std::string(e.what()).find("chain must be A, B, G or D"), std::string::npos) << e.what();
  }
  tilmatch::test::write_file(dir / "header.tsv", "id\torganism\n");
  EXPECT_THROW((void)ts::VGeneTable::load(dir / "header.tsv"), tilmatch::InputError);
  EXPECT_THROW((void)ts::VGeneTable::load(dir / "missing.tsv"), tilmatch::IoError);
}

TEST(VGeneTable, SharedTableHasHumanLoopsOfFixedLength) {
  TILMATCH_REQUIRE_SHARED(db, "tcr_oracles/tcrdist3_alphabeta_gammadelta_db.tsv");
  const auto t = ts::VGeneTable::load(db);
  // 121 A + 251 B human V rows, of which 103 TRAV alleles are listed again as delta chains.
  EXPECT_EQ(t.size(), 121u + 251u - 103u);
  EXPECT_EQ(t.loops("TRBV20-1").size(), 28u);
  EXPECT_EQ(t.loops("TRAV5*01").size(), 28u);
  EXPECT_EQ(t.chain("TRAV5"), 'A');
}
