// Repertoire readers on small fixtures written in each exporter's real layout.

#include <gtest/gtest.h>

#include <string>

#include "common/test_support.hpp"
#include "io/repertoire.hpp"
#include "tilmatch/error.hpp"

using namespace tilmatch;
using namespace tilmatch::io;
using tilmatch::test::ScratchDir;
using tilmatch::test::write_file;

TEST(Repertoire, AirrBulkCountsAndSkips) {
  ScratchDir d;
  write_file(d / "r.tsv",
             "sequence_id\tlocus\tproductive\tv_call\tj_call\tjunction_aa\tduplicate_count\n"
             "s1\tTRB\tT\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t10\n"
             "s2\tTRB\tF\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t3\n"
             "s3\tTRB\tT\tTRBV7-9*01\tTRBJ1-1*01\tCASS*LGF\t4\n"
             "s4\tTRA\tT\tTRAV12-2*01\tTRAJ24*01\tCAVNDYKLSF\t2\n"
             "s5\tTRB\tT\tTRBV7-9*01\tTRBJ1-1*01\t\t5\n"
             "s6\tIGH\tT\tIGHV4-31*03\tIGHJ4*02\tCASGVAGTFDYW\t7\n"
             "s7\tTRB\tTRUE\tTRBV6-5*01,TRBV6-6*01\tTRBJ2-1*01\tCASSYSGGNEQFF\t1.5\n");
  Repertoire r = read_repertoire((d / "r.tsv").string());
  EXPECT_EQ(r.format, RepertoireFormat::kAirr);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].tcr.cdr3b, "CASSLGQAYEQYF");
  EXPECT_EQ(r.rows[0].tcr.vb, "TRBV5-1*01");
  EXPECT_DOUBLE_EQ(r.rows[0].count, 10);
  EXPECT_EQ(r.rows[1].tcr.vb, "TRBV6-5*01");
  EXPECT_DOUBLE_EQ(r.rows[1].count, 1.5);
  EXPECT_EQ(r.skipped["non_productive"], 1);
  EXPECT_EQ(r.skipped["stop_codon"], 1);
  EXPECT_EQ(r.skipped["no_beta_chain"], 1);
  EXPECT_EQ(r.skipped["missing_cdr3"], 1);
  EXPECT_EQ(r.skipped["unsupported_locus"], 1);
}

TEST(Repertoire, AirrCdr3AaGetsAnchorsAndCellsPair) {
  ScratchDir d;
  write_file(d / "sc.tsv",
             "cell_id\tlocus\tproductive\tv_call\tj_call\tcdr3_aa\tumi_count\n"
             "c1\tTRB\tT\tTRBV5-1*01\tTRBJ2-7*01\tASSLGQAYEQY\t7\n"
             "c1\tTRA\tT\tTRAV12-2*01\tTRAJ24*01\tAVNDYKLS\t3\n"
             "c1\tTRB\tT\tTRBV9*01\tTRBJ2-1*01\tASSVGGNEQF\t2\n"
             "c2\tTRA\tT\tTRAV1-2*01\tTRAJ33*01\tAVRDSNYQLI\t5\n");
  Repertoire r = read_repertoire((d / "sc.tsv").string());
  ASSERT_EQ(r.rows.size(), 1u);  // c2 has no beta chain
  EXPECT_EQ(r.rows[0].tcr.cdr3b, "CASSLGQAYEQYF");  // the better-supported beta (7 UMIs)
  EXPECT_EQ(r.rows[0].tcr.cdr3a, "CAVNDYKLSF");
  EXPECT_EQ(r.rows[0].tcr.va, "TRAV12-2*01");
  EXPECT_EQ(r.anchors_added, 4);
  EXPECT_EQ(r.skipped["no_beta_chain"], 1);
}

TEST(Repertoire, StreamGivesBulkRowsAsReadAndCellsAtTheEnd) {
  ScratchDir d;
  write_file(d / "mixed.tsv",
             "sequence_id\tcell_id\tlocus\tproductive\tv_call\tjunction_aa\tduplicate_count\n"
             "s1\t\tTRB\tT\tTRBV5-1*01\tCASSLGQAYEQYF\t4\n"
             "s2\tc1\tTRB\tT\tTRBV9*01\tCASSVGGNEQFF\t2\n"
             "s3\t\tTRB\tF\tTRBV9*01\tCASSVGGNEQFF\t2\n"
             "s4\t\tTRB\tT\tTRBV7-9*01\tCASSPGQGYEQYF\t1\n"
             "s5\tc1\tTRA\tT\tTRAV1-2*01\tCAVRDSNYQLIW\t3\n");
  std::vector<std::string> seen;
  std::size_t at_s4 = 0;
  const RepertoireSummary s = stream_repertoire((d / "mixed.tsv").string(), RepertoireFormat::kAuto,
                                                [&](RepertoireRow&& row) {
                                                  seen.push_back(row.tcr.cdr3b);
                                                  if (row.tcr.cdr3b == "CASSPGQGYEQYF") at_s4 = seen.size();
                                                });
  EXPECT_EQ(s.format, RepertoireFormat::kAirr);
  EXPECT_EQ(s.rows, 3);
  EXPECT_EQ(s.skipped.at("non_productive"), 1);
  ASSERT_EQ(seen, (std::vector<std::string>{"CASSLGQAYEQYF", "CASSPGQGYEQYF", "CASSVGGNEQFF"}));
  EXPECT_EQ(at_s4, 2u);  // bulk rows in file order, the paired cell after them
  // read_repertoire is the same stream collected.
  const Repertoire r = read_repertoire((d / "mixed.tsv").string());
  ASSERT_EQ(r.rows.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(r.rows[i].tcr.cdr3b, seen[i]);
  EXPECT_EQ(r.rows[2].tcr.cdr3a, "CAVRDSNYQLIW");
  EXPECT_EQ(r.skipped, s.skipped);
}

TEST(Repertoire, TenxContigsPairPerBarcode) {
  ScratchDir d;
  write_file(d / "filtered_contig_annotations.csv",
             "barcode,is_cell,contig_id,high_confidence,length,chain,v_gene,d_gene,j_gene,c_gene,full_length,"
             "productive,cdr3,cdr3_nt,reads,umis,raw_clonotype_id,raw_consensus_id\n"
             "AAAC-1,true,AAAC-1_contig_1,true,500,TRB,TRBV5-1,None,TRBJ2-7,TRBC2,true,true,CASSLGQAYEQYF,TGT,900,9,clonotype1,c1\n"
             "AAAC-1,true,AAAC-1_contig_2,true,480,TRA,TRAV12-2,None,TRAJ24,TRAC,true,true,CAVNDYKLSF,TGT,400,4,clonotype1,c1\n"
             "AAAG-1,true,AAAG-1_contig_1,true,500,TRB,TRBV5-1,None,TRBJ2-7,TRBC2,true,true,CASSLGQAYEQYF,TGT,700,6,clonotype1,c1\n"
             "AAAG-1,true,AAAG-1_contig_2,true,480,TRA,TRAV12-2,None,TRAJ24,TRAC,true,true,CAVNDYKLSF,TGT,300,3,clonotype1,c1\n"
             "AACC-1,false,AACC-1_contig_1,true,500,TRB,TRBV9,None,TRBJ2-1,TRBC2,true,true,CASSVGGNEQFF,TGT,50,2,None,None\n"
             "AAGG-1,true,AAGG-1_contig_1,true,500,TRB,TRBV9,None,TRBJ2-1,TRBC2,true,False,None,TGT,50,2,None,None\n"
             "ACGT-1,true,ACGT-1_contig_1,true,500,TRA,TRAV1-2,None,TRAJ33,TRAC,true,true,CAVRDSNYQLIW,TGT,50,2,None,None\n");
  Repertoire r = read_repertoire((d / "filtered_contig_annotations.csv").string());
  EXPECT_EQ(r.format, RepertoireFormat::kTenx);
  ASSERT_EQ(r.rows.size(), 2u);  // two cells of one clonotype, one row each
  for (const auto& row : r.rows) {
    EXPECT_EQ(row.tcr.cdr3b, "CASSLGQAYEQYF");
    EXPECT_EQ(row.tcr.cdr3a, "CAVNDYKLSF");
    EXPECT_DOUBLE_EQ(row.count, 1.0);
  }
  EXPECT_EQ(r.skipped["not_a_cell"], 1);
  EXPECT_EQ(r.skipped["non_productive"], 1);
  EXPECT_EQ(r.skipped["no_beta_chain"], 1);
}

TEST(Repertoire, MixcrAdaptiveTcrdistAndLists) {
  ScratchDir d;
  write_file(d / "clones.tsv",
             "cloneId\tcloneCount\tcloneFraction\ttargetSequences\tallVHitsWithScore\tallDHitsWithScore\t"
             "allJHitsWithScore\tallCHitsWithScore\tnSeqCDR3\taaSeqCDR3\n"
             "0\t1200\t0.5\tTGT\tTRBV5-1*00(1800)\tTRBD1*00(30)\tTRBJ2-7*00(300)\tTRBC2*00(100)\tTGT\tCASSLGQAYEQYF\n"
             "1\t30\t0.01\tTGT\tTRBV9*00(1500)\t\tTRBJ2-1*00(250)\t\tTGT\tCASSV_GNEQFF\n"
             "2\t20\t0.01\tTGT\tTRAV12-2*00(1500)\t\tTRAJ24*00(250)\t\tTGT\tCAVNDYKLSF\n");
  Repertoire m = read_repertoire((d / "clones.tsv").string());
  EXPECT_EQ(m.format, RepertoireFormat::kMixcr);
  ASSERT_EQ(m.rows.size(), 1u);
  EXPECT_EQ(m.rows[0].tcr.vb, "TRBV5-1");
  EXPECT_EQ(m.rows[0].tcr.jb, "TRBJ2-7");
  EXPECT_DOUBLE_EQ(m.rows[0].count, 1200);
  EXPECT_EQ(m.skipped["out_of_frame"], 1);

  write_file(d / "adaptive.tsv",
             "nucleotide\tamino_acid\tframe_type\ttemplates\tv_resolved\tj_resolved\n"
             "TGT\tCASSLGQAYEQYF\tIn\t55\tTCRBV05-01*01\tTCRBJ02-07*01\n"
             "TGT\t\tOut\t3\tTCRBV09-01\tTCRBJ02-01\n"
             "TGT\tCASS*GNEQFF\tStop\t2\tTCRBV09-01\tTCRBJ02-01\n");
  Repertoire a = read_repertoire((d / "adaptive.tsv").string());
  EXPECT_EQ(a.format, RepertoireFormat::kAdaptive);
  ASSERT_EQ(a.rows.size(), 1u);
  EXPECT_EQ(a.rows[0].tcr.vb, "TRBV5-1*01");
  EXPECT_EQ(a.rows[0].tcr.jb, "TRBJ2-7*01");
  EXPECT_EQ(a.skipped["out_of_frame"], 1);
  EXPECT_EQ(a.skipped["stop_codon"], 1);

  write_file(d / "tcrs.csv",
             "subject,cdr3_b_aa,v_b_gene,j_b_gene,cdr3_a_aa,v_a_gene,j_a_gene,count\n"
             "p1,CASSLGQAYEQYF,TRBV5-1*01,TRBJ2-7*01,CAVNDYKLSF,TRAV12-2*01,TRAJ24*01,3\n"
             "p1,,TRBV5-1*01,TRBJ2-7*01,CAVNDYKLSF,TRAV12-2*01,TRAJ24*01,1\n");
  Repertoire t = read_repertoire((d / "tcrs.csv").string());
  EXPECT_EQ(t.format, RepertoireFormat::kTcrdist);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].tcr.cdr3a, "CAVNDYKLSF");
  EXPECT_EQ(t.skipped["no_beta_chain"], 1);

  write_file(d / "cdr3s.txt", "CASSLGQAYEQYF\nASSVGGNEQF\n\nCASSXQF\n");
  Repertoire l = read_repertoire((d / "cdr3s.txt").string());
  EXPECT_EQ(l.format, RepertoireFormat::kCdr3List);
  ASSERT_EQ(l.rows.size(), 2u);
  EXPECT_EQ(l.rows[1].tcr.cdr3b, "ASSVGGNEQF");
  EXPECT_EQ(l.skipped["non_amino_acid"], 1);
}

TEST(Repertoire, NotARepertoireIsAClearError) {
  ScratchDir d;
  write_file(d / "x.tsv", "name\tvalue\nfoo\t1\n");
  try {
    read_repertoire((d / "x.tsv").string());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("x.tsv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("line 1"), std::string::npos) << e.what();
  }
  write_file(d / "empty.tsv", "");
  EXPECT_THROW(read_repertoire((d / "empty.tsv").string()), InputError);
}

TEST(Repertoire, RaggedRowNamesLine) {
  ScratchDir d;
  write_file(d / "r.tsv", "locus\tv_call\tjunction_aa\nTRB\tTRBV5-1*01\tCASSLGQAYEQYF\nTRB\tTRBV5-1*01\n");
  try {
    read_repertoire((d / "r.tsv").string());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_repertoire((d / "r.tsv").string(), RepertoireFormat::kTenx), InputError);
}

TEST(Repertoire, RealAirrFixtureIsBcrSoNothingIsKept) {
  TILMATCH_REQUIRE_SHARED(path, "neoantigen_tcr/airr_format_fixtures/good_rearrangement.tsv");
  Repertoire r = read_repertoire(path.string());
  EXPECT_EQ(r.format, RepertoireFormat::kAirr);
  EXPECT_TRUE(r.rows.empty());  // immunoglobulin heavy chains: not TCRs
  // 9 IGH rows: 4 non-productive (checked first), 5 productive but not a TCR locus.
  EXPECT_EQ(r.skipped["non_productive"], 4);
  EXPECT_EQ(r.skipped["unsupported_locus"], 5);
}

// ---- counts and key fields that would corrupt frequencies or clonotype keys (issue 12) ----

namespace {

/// The InputError message of reading `path`; "" (and a test failure) when nothing is thrown.
std::string read_error(const std::string& path) {
  try {
    read_repertoire(path);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for " << path;
  return {};
}

const char kAirrHeader[] = "sequence_id\tlocus\tproductive\tv_call\tj_call\tjunction_aa\tduplicate_count\n";

}  // namespace

TEST(Repertoire, CountsWhoseSumOverflowsAreRefusedAtTheirLine) {
  ScratchDir d;
  // Each count is finite; their sum is not (DBL_MAX is about 1.8e308).
  write_file(d / "big.tsv", std::string(kAirrHeader) +
                                "s1\tTRB\tT\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t1e308\n"
                                "s2\tTRB\tT\tTRBV7-9*01\tTRBJ1-1*01\tCASSPGQGNYGYTF\t1e308\n");
  const std::string msg = read_error((d / "big.tsv").string());
  EXPECT_NE(msg.find((d / "big.tsv").string() + ", line 3, column 'duplicate_count'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("sum past the largest representable number"), std::string::npos) << msg;
}

TEST(Repertoire, NonFiniteAndNegativeCountsAreRefusedAtTheirLine) {
  ScratchDir d;
  for (const char* count : {"inf", "-inf", "nan", "1e309", "-2"}) {
    write_file(d / "r.tsv", std::string(kAirrHeader) + "s1\tTRB\tT\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t" +
                                count + "\n");
    const std::string msg = read_error((d / "r.tsv").string());
    EXPECT_NE(msg.find("r.tsv, line 2, column 'duplicate_count': count '" + std::string(count) +
                       "' is not a finite non-negative number"),
              std::string::npos)
        << msg;
  }
}

TEST(Repertoire, TabInsideAQuotedTenxFieldIsRefusedNamingTheColumn) {
  ScratchDir d;
  const std::string header =
      "barcode,is_cell,contig_id,high_confidence,length,chain,v_gene,d_gene,j_gene,c_gene,full_length,"
      "productive,cdr3,cdr3_nt,reads,umis,raw_clonotype_id,raw_consensus_id\n";
  const std::string good =
      "AAAC-1,true,AAAC-1_contig_1,true,500,TRB,TRBV5-1,None,TRBJ2-7,TRBC2,true,true,CASSLGQAYEQYF,TGT,900,9,c1,c1\n";
  // A quoted tab in v_gene once became a CDR3 alpha ("CAVRDSNYQLIW") when clonotype keys were
  // joined with tabs and split again.
  write_file(d / "v.csv", header + good +
                              "AAAG-1,true,AAAG-1_contig_1,true,500,TRB,\"TRBV9\tCAVRDSNYQLIW\",None,TRBJ2-1,TRBC2,"
                              "true,true,CASSVGGNEQFF,TGT,700,6,c2,c2\n");
  std::string msg = read_error((d / "v.csv").string());
  EXPECT_NE(msg.find("v.csv, line 3, column 'v_gene': the value contains a tab"), std::string::npos) << msg;
  write_file(d / "b.csv", header + good +
                              "\"AAAG\t1\",true,AAAG-1_contig_1,true,500,TRB,TRBV9,None,TRBJ2-1,TRBC2,"
                              "true,true,CASSVGGNEQFF,TGT,700,6,c2,c2\n");
  msg = read_error((d / "b.csv").string());
  EXPECT_NE(msg.find("b.csv, line 3, column 'barcode'"), std::string::npos) << msg;
  write_file(d / "c.csv", header + good +
                              "AAAG-1,true,AAAG-1_contig_1,true,500,TRB,TRBV9,None,TRBJ2-1,TRBC2,"
                              "true,true,\"CASSV\rGGNEQFF\",TGT,700,6,c2,c2\n");
  msg = read_error((d / "c.csv").string());
  EXPECT_NE(msg.find("c.csv, line 3, column 'cdr3': the value contains a carriage return"), std::string::npos)
      << msg;
}

TEST(Repertoire, TabInsideKeyFieldsOfTsvFormatsIsRefused) {
  ScratchDir d;
  write_file(d / "airr.tsv", std::string(kAirrHeader) +
                                 "\"s\t1\"\tTRB\tT\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t3\n");
  std::string msg = read_error((d / "airr.tsv").string());
  EXPECT_NE(msg.find("airr.tsv, line 2, column 'sequence_id'"), std::string::npos) << msg;
  write_file(d / "t.csv", "cdr3_b_aa,v_b_gene,j_b_gene,cdr3_a_aa,v_a_gene,j_a_gene\n"
                          "CASSLGQAYEQYF,TRBV5-1,TRBJ2-7,CAVNDYKLSF,\"TRAV12-2\tx\",TRAJ24\n");
  msg = read_error((d / "t.csv").string());
  EXPECT_NE(msg.find("t.csv, line 2, column 'v_a_gene'"), std::string::npos) << msg;
}
