// Screen designs: tmg_design.tsv as `tilmatch run` writes it, extra design files (matrix pools),
// slot rules, and an error naming file, line and column for every bad input.

#include <gtest/gtest.h>

#include <string>

#include "common/test_support.hpp"
#include "io/screen_design.hpp"
#include "tilmatch/error.hpp"

using namespace tilmatch;
using tilmatch::test::ScratchDir;
using tilmatch::test::write_file;

namespace {

const std::string kHeader = "construct\tkind\tslot\tneoantigen_id\tgene\tchange\tsequence\tpriority\tweight\treason\n";
const std::string kMg1 = "AAAAAAAAAAAAKAAAAAAAAAAAA";
const std::string kMg2 = "CCCCCCCCCCCCDCCCCCCCCCCCC";
const std::string kMg3 = "EEEEEEEEEEEEFEEEEEEEEEEEE";

std::string row(const std::string& construct, const std::string& kind, const std::string& slot, const std::string& neo,
                const std::string& seq) {
  return construct + "\t" + kind + "\t" + slot + "\t" + neo + "\tGENE\tX1Y\t" + seq + "\t0.5\t0.25\tweight only\n";
}

std::string error_for(const ScratchDir& d, const std::string& text) {
  write_file(d / "design.tsv", text);
  try {
    io::read_screen_design((d / "design.tsv").string());
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), (d / "design.tsv").string());
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ScreenDesign, ReadsConstructsInSlotOrderWithTheirLines) {
  ScratchDir d;
  write_file(d / "tmg_design.tsv", kHeader + row("TMG1", "tandem_minigene", "1", "KRAS.G12D", kMg1) +
                                       row("TMG2", "tandem_minigene", "2", "TP53.R175H", kMg3) +
                                       row("TMG1", "tandem_minigene", "2", "KRAS.G12D", kMg2) +
                                       row("TMG2", "tandem_minigene", "1", "BRAF.V600E", kMg2) +
                                       row("PP1", "peptide_pool", "1", "KRAS.G12D", "vvgadgvgk") +
                                       row("PP1", "peptide_pool", "2", "TP53.R175H", "HMTEVVRHC"));
  const auto c = io::read_screen_design((d / "tmg_design.tsv").string());
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].id, "TMG1");
  EXPECT_EQ(c[0].kind, screen::ConstructKind::kTandemMinigene);
  EXPECT_EQ(c[0].neoantigens, (std::vector<std::string>{"KRAS.G12D", "KRAS.G12D"}));
  EXPECT_EQ(c[0].sequences, (std::vector<std::string>{kMg1, kMg2}));
  EXPECT_EQ(c[0].line, 2);
  EXPECT_EQ(c[0].member_lines, (std::vector<std::int64_t>{2, 4}));
  EXPECT_EQ(c[0].file, (d / "tmg_design.tsv").string());
  // Members follow the slots, not the rows.
  EXPECT_EQ(c[1].id, "TMG2");
  EXPECT_EQ(c[1].neoantigens, (std::vector<std::string>{"BRAF.V600E", "TP53.R175H"}));
  EXPECT_EQ(c[1].member_lines, (std::vector<std::int64_t>{5, 3}));
  EXPECT_EQ(c[1].line, 3);
  EXPECT_EQ(c[2].id, "PP1");
  EXPECT_EQ(c[2].kind, screen::ConstructKind::kPeptidePool);
  EXPECT_EQ(c[2].sequences, (std::vector<std::string>{"VVGADGVGK", "HMTEVVRHC"}));  // upper-cased
}

TEST(ScreenDesign, MatrixPoolsShareAPeptideAndOnlyNeedFiveColumns) {
  ScratchDir d;
  const auto pool = [](const std::string& id, const std::string& slot, const std::string& neo, const std::string& seq) {
    return id + "\tpeptide_pool\t" + slot + "\t" + neo + "\t" + seq + "\n";
  };
  const std::string header = "construct\tkind\tslot\tneoantigen_id\tsequence\n";
  write_file(d / "matrix.tsv", header + pool("MR1", "1", "KRAS.G12D", kMg1) + pool("MR1", "2", "TP53.R175H", kMg3) +
                                   pool("MC1", "1", "KRAS.G12D", kMg1) + pool("MC2", "1", "TP53.R175H", kMg3));
  const auto c = io::read_screen_design((d / "matrix.tsv").string());
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].sequences.size(), 2u);
  EXPECT_EQ(c[1].sequences, std::vector<std::string>{kMg1});
  EXPECT_EQ(c[2].sequences, std::vector<std::string>{kMg3});
}

TEST(ScreenDesign, SlotRules) {
  ScratchDir d;
  const std::string gap = error_for(d, kHeader + row("TMG1", "tandem_minigene", "1", "N1", kMg1) +
                                           row("TMG2", "tandem_minigene", "1", "N2", kMg2) +
                                           row("TMG1", "tandem_minigene", "3", "N3", kMg3));
  EXPECT_NE(gap.find("design.tsv, line 2: construct 'TMG1' has no slot 2"), std::string::npos) << gap;
  const std::string late = error_for(d, kHeader + row("PP1", "peptide_pool", "2", "N1", "SIINFEKL"));
  EXPECT_NE(late.find("line 2: construct 'PP1' has no slot 1"), std::string::npos) << late;
  const std::string dup = error_for(d, kHeader + row("TMG1", "tandem_minigene", "1", "N1", kMg1) +
                                           row("TMG1", "tandem_minigene", "2", "N2", kMg2) +
                                           row("TMG1", "tandem_minigene", "1", "N3", kMg3));
  EXPECT_NE(dup.find("design.tsv, line 4, column 'slot'"), std::string::npos) << dup;
  EXPECT_NE(dup.find("already on line 2"), std::string::npos) << dup;
  for (const std::string bad : {"0", "-1", "1.5", "one"}) {
    const std::string e = error_for(d, kHeader + row("TMG1", "tandem_minigene", bad, "N1", kMg1));
    EXPECT_NE(e.find("line 2, column 'slot': slot '" + bad + "' is not a positive integer"), std::string::npos) << e;
  }
}

TEST(ScreenDesign, BadRowsNameLineAndColumn) {
  ScratchDir d;
  struct Case {
    std::string row;
    std::string where;
    std::string says;
  };
  const Case cases[] = {
      {row("TMG1", "minigene", "2", "N1", kMg2), "line 3, column 'kind'", "unknown kind 'minigene'"},
      {row("TMG1", "peptide_pool", "2", "N1", kMg2), "line 3, column 'kind'", "tandem_minigene on line 2"},
      {row("TMG1", "tandem_minigene", "2", "N1", "PEPT1DE"), "line 3, column 'sequence'", "not an amino-acid"},
      {row("TMG1", "tandem_minigene", "2", "N1", ""), "line 3, column 'sequence'", "empty sequence"},
      {row("TMG1", "tandem_minigene", "2", "", kMg2), "line 3, column 'neoantigen_id'", "empty neoantigen_id"},
      {row("", "tandem_minigene", "2", "N1", kMg2), "line 3, column 'construct'", "empty construct"},
      {row("Negative", "peptide_pool", "1", "N1", kMg2), "line 3, column 'construct'", "reserved"},
  };
  for (const Case& c : cases) {
    const std::string e = error_for(d, kHeader + row("TMG1", "tandem_minigene", "1", "N1", kMg1) + c.row);
    EXPECT_NE(e.find("design.tsv, " + c.where), std::string::npos) << c.row << " -> " << e;
    EXPECT_NE(e.find(c.says), std::string::npos) << c.row << " -> " << e;
  }
  const std::string missing = error_for(d, "construct\tkind\tslot\tneoantigen_id\n");
  EXPECT_NE(missing.find("design.tsv, header: missing required column 'sequence'"), std::string::npos) << missing;
  EXPECT_NE(error_for(d, kHeader).find("no constructs"), std::string::npos);
  const std::string csv = error_for(d, "construct,kind,slot,neoantigen_id,sequence\nTMG1,tandem_minigene,1,N1,AAA\n");
  EXPECT_NE(csv.find("looks like a CSV"), std::string::npos) << csv;
}

TEST(ScreenDesign, SeveralFilesKeepTheirOrderAndRejectAnIdDefinedTwice) {
  ScratchDir d;
  write_file(d / "tmg_design.tsv", kHeader + row("TMG1", "tandem_minigene", "1", "N1", kMg1) +
                                       row("PP1", "peptide_pool", "1", "N1", "SIINFEKL"));
  write_file(d / "matrix.tsv",
             kHeader + row("MR1", "peptide_pool", "1", "N1", kMg1) + row("MC1", "peptide_pool", "1", "N1", kMg1));
  const auto c = io::read_screen_designs({(d / "tmg_design.tsv").string(), (d / "matrix.tsv").string()});
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].id, "TMG1");
  EXPECT_EQ(c[2].id, "MR1");
  EXPECT_EQ(c[2].file, (d / "matrix.tsv").string());
  EXPECT_EQ(c[3].line, 3);

  write_file(d / "again.tsv",
             kHeader + row("MR9", "peptide_pool", "1", "N1", kMg1) + row("PP1", "peptide_pool", "1", "N1", "SIINFEKL"));
  try {
    io::read_screen_designs({(d / "tmg_design.tsv").string(), (d / "again.tsv").string()});
    FAIL() << "a construct id in two files must be an error";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_EQ(e.file(), (d / "again.tsv").string());
    EXPECT_NE(m.find("again.tsv, line 3: construct 'PP1' is already defined in " + (d / "tmg_design.tsv").string() +
                     ", line 3"),
              std::string::npos)
        << m;
  }
}
