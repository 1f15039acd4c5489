// The screen's readouts TSV: values, keywords, optional columns, and an error naming file, line and
// column for every bad input.

#include <gtest/gtest.h>

#include <htslib/bgzf.h>

#include <string>

#include "common/test_support.hpp"
#include "io/screen_readouts.hpp"
#include "tilmatch/error.hpp"

using namespace tilmatch;
using tilmatch::test::ScratchDir;
using tilmatch::test::write_file;

namespace {

const std::string kHeader = "fragment_id\tconstruct\tassay\treplicate\tvalue\n";

/// The InputError read_screen_readouts throws for `text` (written as `name`); "" when none.
std::string error_for(const ScratchDir& d, const std::string& text, const std::string& name = "readouts.tsv") {
  write_file(d / name, text);
  try {
    io::read_screen_readouts((d / name).string());
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), (d / name).string());
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ScreenReadouts, ReadsRowsKeywordsAndOptionalColumns) {
  ScratchDir d;
  write_file(d / "r.tsv",
             "# plate reader export\n"
             "fragment_id\tconstruct\tassay\treplicate\tvalue\tcells_per_well\tplate\twell\n"
             "F1\tNEGATIVE\tELISpot_IFNg\t1\t12\t20000\tP1\tA1\n"
             "F1\tNegative\telispot_ifng\t2\t0\t20000\tP1\tA2\n"
             "F1\tTMG1\tCD137_CD8\t1\t3.25\t\tP2\tB7\n"
             " F2 \tMG.1.KRAS.ENST1.missense.G12D.1\tgranzyme_b\tr1\t1e3\t1.5e4\t\t\n"
             "F2\tpositive\tox40_cd4\t1\t100\t20000\tP3\tH12\n");
  const auto r = io::read_screen_readouts((d / "r.tsv").string());
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].construct, "negative");
  EXPECT_EQ(r[0].assay, "elispot_ifng");
  EXPECT_EQ(r[0].replicate, "1");
  EXPECT_DOUBLE_EQ(r[0].value, 12);
  ASSERT_TRUE(r[0].cells_per_well.has_value());
  EXPECT_DOUBLE_EQ(*r[0].cells_per_well, 20000);
  EXPECT_EQ(r[0].plate, "P1");
  EXPECT_EQ(r[0].well, "A1");
  EXPECT_EQ(r[0].line, 3);
  EXPECT_EQ(r[1].construct, "negative");
  EXPECT_EQ(r[2].construct, "TMG1");  // construct ids are kept as written
  EXPECT_EQ(r[2].assay, "cd137_cd8");
  EXPECT_DOUBLE_EQ(r[2].value, 3.25);
  EXPECT_FALSE(r[2].cells_per_well.has_value());
  EXPECT_EQ(r[3].fragment_id, "F2");
  EXPECT_EQ(r[3].construct, "MG.1.KRAS.ENST1.missense.G12D.1");
  EXPECT_EQ(r[3].assay, "granzyme_b");  // other assays are carried through
  EXPECT_EQ(r[3].replicate, "r1");
  EXPECT_DOUBLE_EQ(r[3].value, 1000);
  EXPECT_DOUBLE_EQ(*r[3].cells_per_well, 15000);
  EXPECT_EQ(r[3].plate, "");
  EXPECT_EQ(r[4].construct, "positive");
  EXPECT_DOUBLE_EQ(r[4].value, 100);
  EXPECT_EQ(r[4].line, 7);
}

TEST(ScreenReadouts, OptionalColumnsMayBeAbsentAndCsvIsReadByName) {
  ScratchDir d;
  write_file(d / "r.csv", "fragment_id,construct,assay,replicate,value\nF1,PP2,elispot_ifng,1,7\n");
  const auto r = io::read_screen_readouts((d / "r.csv").string());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].construct, "PP2");
  EXPECT_DOUBLE_EQ(r[0].value, 7);
  EXPECT_FALSE(r[0].cells_per_well.has_value());
  EXPECT_EQ(r[0].well, "");
}

TEST(ScreenReadouts, MissingColumnIsNamed) {
  ScratchDir d;
  for (const std::string col : {"fragment_id", "construct", "assay", "replicate", "value"}) {
    std::string header = kHeader;
    header.replace(header.find(col), col.size(), "other");
    const std::string e = error_for(d, header + "F1\tTMG1\telispot_ifng\t1\t5\n");
    EXPECT_NE(e.find("missing required column '" + col + "'"), std::string::npos) << e;
    EXPECT_NE(e.find("readouts.tsv, header"), std::string::npos) << e;
  }
}

TEST(ScreenReadouts, BadValuesNameLineAndColumn) {
  ScratchDir d;
  const std::string ok = "F1\tTMG1\telispot_ifng\t1\t5\n";
  struct Case {
    std::string row;
    std::string where;
    std::string says;
  };
  const Case cases[] = {
      {"F1\tTMG1\telispot_ifng\t2\tabc\n", "line 3, column 'value'", "'abc' is not a finite number"},
      {"F1\tTMG1\telispot_ifng\t2\t-1\n", "line 3, column 'value'", "negative value -1"},
      {"F1\tTMG1\telispot_ifng\t2\tnan\n", "line 3, column 'value'", "not a finite number"},
      {"F1\tTMG1\telispot_ifng\t2\tinf\n", "line 3, column 'value'", "not a finite number"},
      {"F1\tTMG1\telispot_ifng\t2\t\n", "line 3, column 'value'", "empty value"},
      {"F1\tTMG1\tcd137_cd8\t2\t100.5\n", "line 3, column 'value'", "above 100"},
      {"\tTMG1\telispot_ifng\t2\t5\n", "line 3, column 'fragment_id'", "empty fragment_id"},
      {"F1\t \telispot_ifng\t2\t5\n", "line 3, column 'construct'", "empty construct"},
      {"F1\tTMG1\t\t2\t5\n", "line 3, column 'assay'", "empty assay"},
      {"F1\tTMG1\telispot_ifng\t\t5\n", "line 3, column 'replicate'", "empty replicate"},
      {"F1\tTMG1\telispot_ifng\t2\n", "line 3", "expected 5 fields"},
  };
  for (const Case& c : cases) {
    const std::string e = error_for(d, kHeader + ok + c.row);
    EXPECT_NE(e.find("readouts.tsv, " + c.where), std::string::npos) << c.row << " -> " << e;
    EXPECT_NE(e.find(c.says), std::string::npos) << c.row << " -> " << e;
  }
  // Flow percentages may reach 100 but not exceed it; other assays have no upper bound.
  EXPECT_EQ(error_for(d, kHeader + "F1\tTMG1\tcd137_cd4\t1\t100\nF1\tTMG1\telispot_ifng\t1\t650\n"), "");
  const std::string cells = error_for(d,
                                      "fragment_id\tconstruct\tassay\treplicate\tvalue\tcells_per_well\n"
                                      "F1\tTMG1\telispot_ifng\t1\t5\t0\n");
  EXPECT_NE(cells.find("line 2, column 'cells_per_well'"), std::string::npos) << cells;
}

TEST(ScreenReadouts, DuplicateNamesBothLines) {
  ScratchDir d;
  // Keywords and assay names are compared after normalisation, so these two rows are one well.
  const std::string e = error_for(d, kHeader +
                                         "F1\tnegative\telispot_ifng\t1\t5\n"
                                         "F1\tTMG1\telispot_ifng\t1\t5\n"
                                         "F1\tNegative\tELISPOT_IFNG\t1\t6\n");
  EXPECT_NE(e.find("readouts.tsv, line 4"), std::string::npos) << e;
  EXPECT_NE(e.find("already on line 2"), std::string::npos) << e;
  EXPECT_NE(e.find("construct 'negative'"), std::string::npos) << e;
  // A different replicate, assay or fragment is another well.
  EXPECT_EQ(error_for(d, kHeader + "F1\tTMG1\telispot_ifng\t1\t5\n"
                                   "F1\tTMG1\telispot_ifng\t2\t5\n"
                                   "F1\tTMG1\tcd137_cd8\t1\t5\n"
                                   "F2\tTMG1\telispot_ifng\t1\t5\n"),
            "");
}

TEST(ScreenReadouts, CsvUnderATsvNameGetsAHint) {
  ScratchDir d;
  const std::string e = error_for(d, "fragment_id,construct,assay,replicate,value\nF1,TMG1,elispot_ifng,1,5\n");
  EXPECT_NE(e.find("readouts.tsv, header"), std::string::npos) << e;
  EXPECT_NE(e.find("looks like a CSV"), std::string::npos) << e;
  const std::string tabs = error_for(d, kHeader + "F1\tTMG1\telispot_ifng\t1\t5\n", "readouts.csv");
  EXPECT_NE(tabs.find("readouts.csv, header: a .csv name but tab-separated"), std::string::npos) << tabs;
}

TEST(ScreenReadouts, GzippedFile) {
  ScratchDir d;
  const std::string text = kHeader + "F1\tTMG1\telispot_ifng\t1\t5\nF1\tTMG1\telispot_ifng\t2\t7\n";
  const std::string path = (d / "readouts.tsv.gz").string();
  BGZF* fp = bgzf_open(path.c_str(), "w");
  ASSERT_NE(fp, nullptr);
  ASSERT_EQ(bgzf_write(fp, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ASSERT_EQ(bgzf_close(fp), 0);
  const auto r = io::read_screen_readouts(path);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_DOUBLE_EQ(r[1].value, 7);
  EXPECT_EQ(r[1].line, 3);
}

TEST(ScreenReadouts, EmptyFileAndHeaderOnly) {
  ScratchDir d;
  EXPECT_NE(error_for(d, "").find("empty file"), std::string::npos);
  EXPECT_NE(error_for(d, kHeader).find("no readouts"), std::string::npos);
}
