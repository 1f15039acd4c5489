// io/labelled_tcrs: the inputs of `tilmatch predict` in each layout, their ids, and their errors.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/test_support.hpp"
#include "io/labelled_tcrs.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::io {
namespace {

namespace tt = tilmatch::test;

TEST(LabelledTcrs, ImmrepQueriesTakeTheirDataRowAsIdAndDropABadAlphaChain) {
  tt::ScratchDir dir;
  tt::write_file(dir / "q.txt",
                 "TRAV\tTRAJ\tTRA_CDR3\tTRBV\tTRBJ\tTRB_CDR3\n"
                 "TRAV38-2/DV8*01\tTRAJ48*01\tCADFGNEKLTF\tTRBV20-1*01\tTRBJ2-5*01\tCSAREWAWEETQYF\n"
                 "TRAV25*01\tTRAJ26*01\tCAG*PLYGQNFVF\tTRBV27*01\tTRBJ1-5*01\tcasssgtggfnqpqhf\n"
                 "TRAV25*01\tTRAJ26*01\tCAGWPLYGQNFVF\tTRBV27*01\tTRBJ1-5*01\t\n"
                 "TRAV25*01\tTRAJ26*01\tCAGWPLYGQNFVF\tTRBV27*01\tTRBJ1-5*01\tCASSLF\n");
  ASSERT_TRUE(is_immrep_table((dir / "q.txt").string()));
  const IdentifiedTcrs q = read_query_tcrs((dir / "q.txt").string(), "auto");
  ASSERT_EQ(q.tcrs.size(), 3u);
  EXPECT_EQ(q.ids, (std::vector<std::string>{"1", "2", "4"}));
  EXPECT_EQ(q.lines, (std::vector<std::int64_t>{2, 3, 5}));
  EXPECT_EQ(q.tcrs[0].va, "TRAV38-2/DV8*01");
  EXPECT_EQ(q.tcrs[0].cdr3a, "CADFGNEKLTF");
  EXPECT_EQ(q.tcrs[1].cdr3b, "CASSSGTGGFNQPQHF");
  EXPECT_EQ(q.tcrs[1].cdr3a, "");  // a stop codon in alpha: beta kept alone
  EXPECT_EQ(q.skipped.at("alpha_chain_dropped"), 1);
  EXPECT_EQ(q.skipped.at("missing_cdr3"), 1);
}

TEST(LabelledTcrs, RepertoireQueriesKeepTheirOwnIds) {
  tt::ScratchDir dir;
  tt::write_file(dir / "q.tsv", "sequence_id\tjunction_aa\tv_call\n"
                                "s7\tCASSLGQAYEQYF\tTRBV5-1*01\n");
  tt::write_file(dir / "plain.tsv", "junction_aa\tv_call\n"
                                    "CASSLGQAYEQYF\tTRBV5-1*01\n"
                                    "CASSPVTGGIYGYTF\tTRBV12-4*01\n");
  EXPECT_EQ(read_query_tcrs((dir / "q.tsv").string(), "auto").ids, std::vector<std::string>{"s7"});
  EXPECT_EQ(read_query_tcrs((dir / "plain.tsv").string(), "airr").ids, (std::vector<std::string>{"1", "2"}));
}

TEST(LabelledTcrs, TcrdistCsvTableWithEpitopeAndLabelColumns) {
  tt::ScratchDir dir;
  tt::write_file(dir / "train.csv", "clone_id,cdr3_b_aa,v_b_gene,cdr3_a_aa,v_a_gene,epitope,label\n"
                                    "c1,CASSLGQAYEQYF,TRBV5-1*01,CAVNRDDKIIF,TRAV12-2*01,nlvpmvatv,1\n"
                                    "c2,CASSPVTGGIYGYTF,TRBV12-4*01,,,NLVPMVATV,-1\n"
                                    ",CASSIRSSYEQYF,TRBV19*01,,,GILGFVFTL,0\n");
  LabelledTcrs refs;
  read_labelled_references((dir / "train.csv").string(), refs);
  ASSERT_EQ(refs.rows.size(), 3u);
  EXPECT_EQ(refs.rows[0].id, "c1");
  EXPECT_EQ(refs.rows[0].epitope, "NLVPMVATV");
  EXPECT_TRUE(refs.rows[0].positive);
  EXPECT_EQ(refs.rows[0].tcr.va, "TRAV12-2*01");
  EXPECT_FALSE(refs.rows[1].positive);
  EXPECT_EQ(refs.rows[2].id, "train:3");  // no id of its own: file stem and data row
  EXPECT_EQ(refs.rows[2].line, 4);
  EXPECT_EQ(refs.rows[2].epitope, "GILGFVFTL");
}

TEST(LabelledTcrs, ImmrepFolderReadsEpitopeFilesInNameOrderAndIgnoresOthers) {
  tt::ScratchDir dir;
  const std::string header = "Label\tTRBV\tTRB_CDR3\n";
  tt::write_file(dir / "NLVPMVATV.txt", header + "1\tTRBV5-1*01\tCASSLGQAYEQYF\n");
  tt::write_file(dir / "GILGFVFTL.tsv", header + "1\tTRBV19*01\tCASSIRSSYEQYF\n-1\tTRBV28*01\tCASSLDRGEQFF\n");
  tt::write_file(dir / "UPSTREAM_README.txt", "text\n");
  tt::write_file(dir / "notes.md", "text\n");
  LabelledTcrs refs;
  read_labelled_references(dir.path().string(), refs);
  ASSERT_EQ(refs.rows.size(), 3u);
  EXPECT_EQ(refs.rows[0].id, "GILGFVFTL:1");
  EXPECT_EQ(refs.rows[1].id, "GILGFVFTL:2");
  EXPECT_FALSE(refs.rows[1].positive);
  EXPECT_EQ(refs.rows[2].id, "NLVPMVATV:1");
  EXPECT_EQ(refs.rows[2].epitope, "NLVPMVATV");
}

TEST(LabelledTcrs, ErrorsNameFileLineAndColumn) {
  tt::ScratchDir dir;
  auto error_of = [&](const std::string& name, const std::string& text) -> std::string {
    tt::write_file(dir / name, text);
    LabelledTcrs refs;
    try {
      read_labelled_references((dir / name).string(), refs);
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), (dir / name).string());
      return e.what();
    }
    ADD_FAILURE() << name << ": no error";
    return {};
  };
  const std::string label = error_of("l.tsv", "junction_aa\tv_call\tepitope\tlabel\nCASSLF\tTRBV5-1\tNLVPMVATV\t2\n");
  EXPECT_NE(label.find("line 2, column 'label'"), std::string::npos) << label;
  const std::string cells = error_of("c.tsv", "cell_id\tjunction_aa\tv_call\tepitope\tlabel\n"
                                              "b1\tCASSLF\tTRBV5-1\tNLVPMVATV\t1\n");
  EXPECT_NE(cells.find("per cell"), std::string::npos) << cells;
  const std::string stem = error_of("train.txt", "Label\tTRB_CDR3\n1\tCASSLF\n");
  EXPECT_NE(stem.find("named after its epitope"), std::string::npos) << stem;
  std::filesystem::create_directories(dir / "empty");
  LabelledTcrs refs;
  EXPECT_THROW(read_labelled_references((dir / "empty").string(), refs), InputError);
}

}  // namespace
}  // namespace tilmatch::io
