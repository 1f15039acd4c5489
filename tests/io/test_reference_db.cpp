#include <gtest/gtest.h>

#include <tuple>

#include "common/test_support.hpp"
#include "io/fragments.hpp"
#include "io/reference_db.hpp"
#include "tilmatch/error.hpp"

using namespace tilmatch;
using namespace tilmatch::io;
using tilmatch::test::ScratchDir;
using tilmatch::test::write_file;

TEST(ReferenceDb, TilmatchFormat) {
  ScratchDir d;
  write_file(d / "ref.tsv",
             "cdr3_beta\tv_beta\tj_beta\tcdr3_alpha\tv_alpha\tj_alpha\tepitope\tmhc\tmhc_class\tsource\n"
             "CASSIRSSYEQYF\tTRBV19*01\tTRBJ2-7*01\tCAGAGSQGNLIF\tTRAV27*01\tTRAJ42*01\tGILGFVFTL\tHLA-A*02:01\tMHCI\tx\n"
             "CASSIRS*YEQYF\tTRBV19*01\t\t\t\t\tGILGFVFTL\tHLA-A*02:01\tMHCI\tx\n"
             "CASSLAPGATNEKLFF\tTRBV7-9\t\t\t\t\t\tHLA-A*02:01\tMHCI\tx\n"
             "CASSLAPGATNEKLFF\tTRBV7-9\t\t\t\t\tNLV-PMV\tHLA-A*02:01\tMHCI\tx\n");
  ReferenceDb db = read_reference((d / "ref.tsv").string());
  EXPECT_EQ(db.format, ReferenceFormat::kTilmatch);
  ASSERT_EQ(db.rows.size(), 1u);
  EXPECT_EQ(db.rows[0].id, "ref:2");
  EXPECT_EQ(db.rows[0].tcr.cdr3a, "CAGAGSQGNLIF");
  EXPECT_EQ(db.rows[0].epitope, "GILGFVFTL");
  EXPECT_EQ(db.skipped["non_amino_acid"], 1);
  EXPECT_EQ(db.skipped["missing_epitope"], 1);
  EXPECT_EQ(db.skipped["invalid_epitope"], 1);
}

TEST(ReferenceDb, VdjdbPairsChainsByComplexId) {
  ScratchDir d;
  write_file(d / "vdjdb.txt",
             "complex.id\tgene\tcdr3\tv.segm\tj.segm\tspecies\tmhc.a\tmhc.b\tmhc.class\tantigen.epitope\t"
             "antigen.gene\tantigen.species\treference.id\n"
             "1\tTRA\tCAGAGSQGNLIF\tTRAV27*01\tTRAJ42*01\tHomoSapiens\tHLA-A*02:01\tB2M\tMHCI\tGILGFVFTL\tM\tInfluenzaA\tPMID:1\n"
             "1\tTRB\tCASSIRSSYEQYF\tTRBV19*01\tTRBJ2-7*01\tHomoSapiens\tHLA-A*02:01\tB2M\tMHCI\tGILGFVFTL\tM\tInfluenzaA\tPMID:1\n"
             "0\tTRB\tCASSLAPGATNEKLFF\tTRBV7-9*01\tTRBJ1-4*01\tHomoSapiens\tHLA-A*02:01\tB2M\tMHCI\tNLVPMVATV\tpp65\tCMV\tPMID:2\n"
             "0\tTRA\tCAVNDYKLSF\tTRAV12-2*01\tTRAJ24*01\tHomoSapiens\tHLA-A*02:01\tB2M\tMHCI\tNLVPMVATV\tpp65\tCMV\tPMID:2\n");
  ReferenceDb db = read_reference((d / "vdjdb.txt").string());
  EXPECT_EQ(db.format, ReferenceFormat::kVdjdb);
  ASSERT_EQ(db.rows.size(), 2u);
  EXPECT_EQ(db.rows[0].id, "vdjdb:1");
  EXPECT_EQ(db.rows[0].tcr.cdr3a, "CAGAGSQGNLIF");
  EXPECT_EQ(db.rows[0].tcr.cdr3b, "CASSIRSSYEQYF");
  EXPECT_EQ(db.rows[1].tcr.cdr3b, "CASSLAPGATNEKLFF");
  EXPECT_TRUE(db.rows[1].tcr.cdr3a.empty());
  EXPECT_EQ(db.skipped["no_beta_chain"], 1);
}

TEST(ReferenceDb, IedbKeepsRowsWithNonPeptideEpitopesAsTcrMatchDoes) {
  ScratchDir d;
  write_file(d / "iedb.tsv",
             "trimmed_seq\toriginal_seq\treceptor_group\tepitopes\tsource_organisms\tsource_antigens\n"
             "ASSPGGNEQL\tASSPGGNEQL\t181181\tILDQVPFSV + NLeu(L2),IMDQVPFSV, itdqvpfsv\tHomo sapiens\tPMEL\n"
             "ASSPSGYQETQY\tASSPSGYQETQY\t8499\t5-(2-oxopropylideneamino)-6-D-ribitylaminouracil\t\t\n"
             "ASSLGQAYEQY\tCASSLGQAYEQYF\t7\tGILGFVFTL\tInfluenza A\tM1\n"
             "ASSLGQAYEQY\tCASSLGQAYEQYF\t8\t \tInfluenza A\tM1\n");
  ReferenceDb db = read_reference((d / "iedb.tsv").string());
  EXPECT_EQ(db.format, ReferenceFormat::kIedb);
  ASSERT_EQ(db.rows.size(), 3u);
  EXPECT_EQ(db.rows[0].id, "iedb:181181:2");
  EXPECT_EQ(db.rows[0].epitope, "IMDQVPFSV,ITDQVPFSV");
  EXPECT_EQ(db.rows[0].other_epitopes, "ILDQVPFSV + NLeu(L2)");
  EXPECT_EQ(db.rows[1].tcr.cdr3b, "ASSPSGYQETQY");
  EXPECT_EQ(db.rows[1].epitope, "");
  EXPECT_EQ(db.rows[1].other_epitopes, "5-(2-oxopropylideneamino)-6-D-ribitylaminouracil");
  EXPECT_EQ(db.rows[2].epitope, "GILGFVFTL");
  EXPECT_EQ(db.rows[2].other_epitopes, "");
  EXPECT_EQ(db.skipped["missing_epitope"], 1);
  EXPECT_EQ(db.skipped.count("invalid_epitope"), 0u);
}

TEST(ReferenceDb, UnknownTableIsAnError) {
  ScratchDir d;
  write_file(d / "x.tsv", "a\tb\n1\t2\n");
  EXPECT_THROW(read_reference((d / "x.tsv").string()), InputError);
}

TEST(ReferenceDb, TabInsideAKeyFieldIsAnErrorNamingLineAndColumn) {
  ScratchDir d;
  auto message = [&](const std::string& name, const std::string& text) -> std::string {
    write_file(d / name, text);
    try {
      read_reference((d / name).string());
    } catch (const InputError& e) {
      return e.what();
    }
    return "no InputError";
  };
  std::string msg = message("t.tsv", "id\tcdr3_beta\tv_beta\tepitope\nr1\tCASSLGQAYEQYF\tTRBV5-1\tGILGFVFTL\n"
                                     "\"r\t2\"\tCASSVGGNEQFF\tTRBV9\tGILGFVFTL\n");
  EXPECT_NE(msg.find("t.tsv, line 3, column 'id': the value contains a tab"), std::string::npos) << msg;
  msg = message("v.tsv", "complex.id\tgene\tcdr3\tv.segm\tj.segm\tantigen.epitope\n"
                         "1\tTRB\tCASSLGQAYEQYF\t\"TRBV5-1\tTRAV1\"\tTRBJ2-7\tGILGFVFTL\n");
  EXPECT_NE(msg.find("v.tsv, line 2, column 'v.segm': the value contains a tab"), std::string::npos) << msg;
}

TEST(ReferenceDb, SharedVdjdbTableAndCedar) {
  TILMATCH_REQUIRE_SHARED(vdjdb, "tcr_reference/vdjdb_human_chunks_2026-04-27.tsv.gz");
  ReferenceDb db = read_reference(vdjdb.string());
  EXPECT_EQ(db.format, ReferenceFormat::kTilmatch);
  // README: 44,877 rows with a valid CDR3b out of 53,817; every kept row has a beta chain and epitope.
  EXPECT_EQ(static_cast<long>(db.rows.size()), 44877);
  std::int64_t skipped = 0;
  for (const auto& [k, n] : db.skipped) skipped += n;
  EXPECT_EQ(static_cast<long>(db.rows.size()) + skipped, 53817);
  TILMATCH_REQUIRE_SHARED(cedar, "tcr_oracles/CEDAR_data.tsv.gz");
  ReferenceDb iedb = read_reference(cedar.string());
  EXPECT_EQ(iedb.format, ReferenceFormat::kIedb);
  std::int64_t iedb_skipped = 0;
  for (const auto& [k, n] : iedb.skipped) iedb_skipped += n;
  EXPECT_EQ(static_cast<long>(iedb.rows.size()) + iedb_skipped, 20614);
  // TCRMatch scores every CEDAR row, MR1 ligands and modified peptides included: so does tilmatch.
  EXPECT_EQ(iedb.rows.size(), 20614u);
}

// ---- fragments: manifest + dedupe ----

namespace {

void write_airr(const std::filesystem::path& p, const std::string& rows) {
  write_file(p, "locus\tv_call\tj_call\tjunction_aa\tduplicate_count\n" + rows);
}

}  // namespace

TEST(Fragments, DedupeAcrossCulturesWithSparseCounts) {
  ScratchDir d;
  write_airr(d / "f1.tsv",
             "TRB\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t30\n"
             "TRB\tTRBV5-1*02\tTRBJ2-7*01\tCASSLGQAYEQYF\t10\n"
             "TRB\tTRBV9*01\tTRBJ2-1*01\tCASSVGGNEQFF\t60\n");
  write_airr(d / "f2.tsv", "TRB\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t5\nTRB\tTRBV7-9*01\tTRBJ1-1*01\tCASSPDRGEAFF\t15\n");
  write_file(d / "manifest.tsv", "fragment_id\tpath\tsite\nF1\tf1.tsv\tliver\nF2\tf2.tsv\tlung\n");
  ClonotypeTable t = load_fragments((d / "manifest.tsv").string());
  ASSERT_EQ(t.fragments.size(), 2u);
  EXPECT_EQ(t.fragments[0].metadata.at("site"), "liver");
  EXPECT_DOUBLE_EQ(t.fragments[0].total_count, 100);
  ASSERT_EQ(t.clonotypes.size(), 3u);
  // Sorted by CDR3b: CASSLGQ..., CASSPDR..., CASSVGG...
  EXPECT_EQ(t.clonotypes[0].tcr.cdr3b, "CASSLGQAYEQYF");
  EXPECT_EQ(t.clonotypes[0].tcr.vb, "TRBV5-1");  // alleles *01 and *02 merged at gene level
  ASSERT_EQ(t.counts.size(), 4u);
  EXPECT_EQ(t.counts[0].clonotype, 0u);
  EXPECT_EQ(t.counts[0].fragment, 0u);
  EXPECT_DOUBLE_EQ(t.counts[0].count, 40);
  EXPECT_DOUBLE_EQ(t.counts[0].frequency, 0.4);
  EXPECT_EQ(t.counts[1].fragment, 1u);
  EXPECT_DOUBLE_EQ(t.counts[1].frequency, 0.25);
}

TEST(Fragments, SameTableForAnyNumberOfReaderThreads) {
  const auto manifest = (tilmatch::test::source_dir() / "data/example/fragments.tsv").string();
  const ClonotypeTable a = load_fragments(manifest, 1);
  const ClonotypeTable b = load_fragments(manifest, 3);
  ASSERT_EQ(a.clonotypes.size(), b.clonotypes.size());
  ASSERT_EQ(a.counts.size(), b.counts.size());
  for (std::size_t i = 0; i < a.clonotypes.size(); ++i) {
    const TcrView x = a.clonotypes[i].tcr;
    const TcrView y = b.clonotypes[i].tcr;
    ASSERT_EQ(std::tie(x.cdr3b, x.vb, x.jb, x.cdr3a, x.va, x.ja), std::tie(y.cdr3b, y.vb, y.jb, y.cdr3a, y.va, y.ja));
    if (i > 0) {  // sorted by (cdr3b, vb, cdr3a, va), each once
      const TcrView p = a.clonotypes[i - 1].tcr;
      EXPECT_LT(std::tie(p.cdr3b, p.vb, p.cdr3a, p.va), std::tie(x.cdr3b, x.vb, x.cdr3a, x.va));
    }
  }
  for (std::size_t i = 0; i < a.counts.size(); ++i) {
    EXPECT_EQ(a.counts[i].clonotype, b.counts[i].clonotype);
    EXPECT_EQ(a.counts[i].fragment, b.counts[i].fragment);
    EXPECT_EQ(a.counts[i].count, b.counts[i].count);
    if (i > 0) {
      EXPECT_LT(std::tie(a.counts[i - 1].clonotype, a.counts[i - 1].fragment),
                std::tie(a.counts[i].clonotype, a.counts[i].fragment));
    }
  }
  for (std::size_t f = 0; f < a.fragments.size(); ++f) {
    EXPECT_EQ(a.fragments[f].clonotypes, b.fragments[f].clonotypes);
    EXPECT_EQ(a.fragments[f].total_count, b.fragments[f].total_count);
  }
}

TEST(Fragments, ManifestErrorsNameTheLine) {
  ScratchDir d;
  write_airr(d / "f1.tsv", "TRB\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t30\n");
  auto expect_error = [&](const std::string& manifest, const std::string& must) {
    write_file(d / "m.tsv", manifest);
    try {
      load_fragments((d / "m.tsv").string());
      ADD_FAILURE() << "expected an error for: " << manifest;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(must), std::string::npos) << e.what();
    }
  };
  expect_error("fragment_id\tpath\nF1\tf1.tsv\nF1\tf1.tsv\n", "duplicate fragment_id 'F1'");
  expect_error("fragment_id\tpath\nF1\tmissing.tsv\n", "line 2, column 'path'");
  expect_error("fragment\tpath\nF1\tf1.tsv\n", "fragment_id");
  expect_error("fragment_id\tpath\n", "no fragments");
  write_file(d / "empty.tsv", "locus\tv_call\tj_call\tjunction_aa\tduplicate_count\n");
  expect_error("fragment_id\tpath\nF1\tf1.tsv\nF2\tempty.tsv\n", "'F2' has no usable clonotype");
}

TEST(Fragments, BundledExampleHasThePlantedClonotypes) {
  const auto root = tilmatch::test::source_dir() / "data/example";
  ClonotypeTable t = load_fragments((root / "fragments.tsv").string());
  ASSERT_EQ(t.fragments.size(), 8u);
  ReferenceDb refs = read_reference((root / "reference.tsv").string());
  EXPECT_EQ(refs.rows.size(), 4u * 3u + 240u);
  EXPECT_TRUE(refs.skipped.empty());
  EXPECT_EQ(read_reference((root / "validated.tsv").string()).rows.size(), 4u);
  auto truth = tilmatch::test::parse_tsv(tilmatch::test::read_file(root / "truth.tsv"));
  ASSERT_EQ(truth.size(), 6u);
  for (std::size_t i = 1; i < truth.size(); ++i) {
    const std::string& fragment = truth[i][0];
    const std::string& cdr3 = truth[i][4];
    const double freq = std::stod(truth[i][6]);
    bool found = false;
    for (const ClonotypeCount& c : t.counts) {
      if (t.fragments[c.fragment].id == fragment && t.clonotypes[c.clonotype].tcr.cdr3b == cdr3) {
        found = true;
        EXPECT_DOUBLE_EQ(c.frequency, freq) << fragment << " " << cdr3;
      }
    }
    EXPECT_TRUE(found) << fragment << " lacks planted " << cdr3;
  }
}

TEST(ReferenceDb, LabelZeroRowsAreNegativesAndABadLabelNamesLineAndColumn) {
  ScratchDir d;
  write_file(d / "labelled.tsv",
             "cdr3_beta\tv_beta\tepitope\tlabel\n"
             "CASSIRSSYEQYF\tTRBV19*01\tGILGFVFTL\t1\n"
             "CASSLAPGATNEKLFF\tTRBV7-9\tGILGFVFTL\t0\n"
             "CASSPDRGEAFF\tTRBV7-9\tGILGFVFTL\t-1\n"
             "CASS*PDRGEAFF\tTRBV7-9\tGILGFVFTL\t0\n");
  const ReferenceDb db = read_reference((d / "labelled.tsv").string());
  ASSERT_EQ(db.rows.size(), 1u);
  EXPECT_EQ(db.rows[0].tcr.cdr3b, "CASSIRSSYEQYF");
  ASSERT_EQ(db.negatives.size(), 2u);  // 0 and -1 (IMMREP22 writes -1); the stop codon is skipped
  EXPECT_EQ(db.negatives[0].tcr.cdr3b, "CASSLAPGATNEKLFF");
  EXPECT_EQ(db.negatives[1].epitope, "GILGFVFTL");
  EXPECT_EQ(db.skipped.at("non_amino_acid"), 1);

  write_file(d / "bad.tsv", "cdr3_beta\tepitope\tlabel\nCASSIRSSYEQYF\tGILGFVFTL\t1\nCASSPDRGEAFF\tGILGFVFTL\tyes\n");
  try {
    read_reference((d / "bad.tsv").string());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("bad.tsv"), std::string::npos) << what;
    EXPECT_NE(what.find("line 3"), std::string::npos) << what;
    EXPECT_NE(what.find("label"), std::string::npos) << what;
  }
}
