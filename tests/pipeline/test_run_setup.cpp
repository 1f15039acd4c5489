// The setup pieces of `tilmatch run` (pipeline/run_setup.hpp), each alone: input checksums, the
// patient's HLA and presentation, the V loops, the chance model's background and the evidence
// stage's configuration built from them.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/test_support.hpp"
#include "io/background.hpp"
#include "names/hla.hpp"
#include "pipeline/run_setup.hpp"
#include "scoring/vgene_table.hpp"
#include "tilmatch/checksum.hpp"

namespace tp = tilmatch::pipeline;
namespace tt = tilmatch::test;
using tilmatch::ReferenceTcr;

namespace {

tilmatch::ClonotypeTable clonotypes_with_v(const std::vector<std::string>& v_genes) {
  tilmatch::ClonotypeTable t;
  for (const std::string& v : v_genes) t.clonotypes.push_back(tilmatch::Tcr{"CASSLGQAYEQYF", v, "", "", "", ""});
  return t;
}

tp::ReferenceSet references_with_v(const std::vector<std::string>& v_genes) {
  tp::ReferenceSet refs;
  for (const std::string& v : v_genes) {
    ReferenceTcr r;
    r.tcr.cdr3b = "CASSIRSSYEQYF";
    r.tcr.vb = v;
    refs.rows.push_back(r);
    refs.validated.push_back(false);
  }
  return refs;
}

}  // namespace

TEST(RunSetup, InputFilesComeBackInTheOrderTrackedWithTheirMd5) {
  tt::ScratchDir dir;
  tt::write_file(dir / "abc.txt", "abc");
  tt::write_file(dir / "empty.txt", "");
  tp::RunInputs inputs;
  inputs.track("vcf", (dir / "abc.txt").string());
  inputs.track("fragments", (dir / "empty.txt").string());
  const auto files = inputs.finish();
  ASSERT_EQ(files.size(), 2u);
  // RFC 1321's test suite: MD5("abc") and MD5("").
  EXPECT_EQ(files[0].role, "vcf");
  EXPECT_EQ(files[0].path, (dir / "abc.txt").string());
  EXPECT_EQ(files[0].md5, "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(files[1].role, "fragments");
  EXPECT_EQ(files[1].md5, "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(RunSetup, WithoutHlaANoteSaysReferenceMhcsGoUnchecked) {
  tp::RunConfig c;
  tp::RunInputs inputs;
  std::vector<std::string> notes;
  const tp::PatientHla hla = tp::load_patient_hla(c, inputs, notes);
  EXPECT_FALSE(hla.checked);
  EXPECT_FALSE(hla.presentation);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].rfind("No --hla given", 0), 0u) << notes[0];
  EXPECT_TRUE(inputs.finish().empty());
  const tp::EvidenceConfig e = tp::evidence_config(c, hla, tp::VGeneUse{}, tp::BackgroundUse{});
  EXPECT_FALSE(e.hla);
  EXPECT_FALSE(e.presentation);
  EXPECT_FALSE(e.presented);
  EXPECT_EQ(e.background, nullptr);
  EXPECT_EQ(e.vgenes, nullptr);
}

TEST(RunSetup, HlaAndPresentationReachTheEvidenceStage) {
  tt::ScratchDir dir;
  // LFGTMPDPV a weak binder of A*02:01 (percentile 1.5), IVITCRRIH a strong one (0.1), HMLYQAYCA
  // strong for B*08:01 only, which the patient lacks.
  tt::write_file(dir / "pred.tsv",
                 "peptide\tallele\tic50\tpercentile\n"
                 "LFGTMPDPV\tHLA-A*02:01\t800\t1.5\n"
                 "IVITCRRIH\tHLA-A*02:01\t20\t0.1\n"
                 "HMLYQAYCA\tHLA-B*08:01\t20\t0.1\n");
  tt::write_file(dir / "hla.txt", "A*02:01\nB*07:02\n");
  tp::RunConfig c;
  c.hla = (dir / "hla.txt").string();
  c.presentation = (dir / "pred.tsv").string();
  c.params.presentation_missing = 0.5;
  tp::RunInputs inputs;
  std::vector<std::string> notes;
  const tp::PatientHla hla = tp::load_patient_hla(c, inputs, notes);
  EXPECT_TRUE(notes.empty());
  EXPECT_TRUE(hla.checked);
  EXPECT_EQ(hla.alleles.size(), 2u);
  const auto files = inputs.finish();
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].role, "hla");
  EXPECT_EQ(files[1].role, "presentation");

  const tp::EvidenceConfig e = tp::evidence_config(c, hla, tp::VGeneUse{}, tp::BackgroundUse{});
  ASSERT_TRUE(e.hla && e.presentation && e.presented);
  // NetMHCpan 4.1's cut-offs (rank/params.hpp): weak 0.7, strong 1, none for the patient: missing.
  EXPECT_DOUBLE_EQ(e.presentation("LFGTMPDPV"), 0.7);
  EXPECT_DOUBLE_EQ(e.presentation("IVITCRRIH"), 1.0);
  EXPECT_DOUBLE_EQ(e.presentation("HMLYQAYCA"), 0.5);
  EXPECT_TRUE(e.presented("LFGTMPDPV"));
  EXPECT_FALSE(e.presented("HMLYQAYCA"));
  using tilmatch::names::HlaMatch;
  EXPECT_EQ(e.hla("HLA-A*02:01"), HlaMatch::kMatch);
  EXPECT_EQ(e.hla("HLA-B*08:01"), HlaMatch::kMismatch);
  EXPECT_EQ(e.hla(""), HlaMatch::kUnknown);
}

TEST(RunSetup, VLoopsOnlyWhenTcrdistAndBothSidesCarryVGenes) {
  const auto with_v = clonotypes_with_v({"TRBV20-1*01"});
  const auto without_v = clonotypes_with_v({""});
  const auto refs = references_with_v({"TRBV20-1*01"});
  tp::RunConfig c;
  tp::RunInputs inputs;
  std::vector<std::string> notes;
  auto loops = [&](const tp::RunConfig& config, const tilmatch::ClonotypeTable& t, const tp::ReferenceSet& r) {
    const tp::VGeneUse vg = tp::resolve_vgenes(config, t, r, inputs, notes);
    EXPECT_EQ(vg.table, nullptr);
    return vg.loops;
  };
  tp::RunConfig tcrmatch = c;
  tcrmatch.metric = tp::EvidenceConfig::Metric::kTcrmatch;
  EXPECT_EQ(loops(tcrmatch, with_v, refs), "not used (TCRMatch transfer)");
  tp::RunConfig cdr3_only = c;
  cdr3_only.v_genes = false;
  EXPECT_EQ(loops(cdr3_only, with_v, refs), "CDR3 only (--no-v-genes)");
  EXPECT_EQ(loops(c, without_v, refs), "CDR3 only (the clonotypes carry no V genes)");
  EXPECT_EQ(loops(c, with_v, references_with_v({""})), "CDR3 only (the reference TCRs carry no V genes)");
  EXPECT_TRUE(notes.empty());

  const tp::VGeneUse vg = tp::resolve_vgenes(c, with_v, refs, inputs, notes);
  EXPECT_EQ(vg.table, &tilmatch::scoring::VGeneTable::builtin());
  EXPECT_EQ(vg.loops, "CDR1/CDR2/CDR2.5/CDR3 (" + vg.table->file() + ")");
  EXPECT_EQ(vg.clonotypes.exact, 1);
  EXPECT_EQ(vg.references.exact, 1);
  EXPECT_TRUE(notes.empty());
  EXPECT_EQ(tp::evidence_config(c, tp::PatientHla{}, vg, tp::BackgroundUse{}).vgenes, vg.table);
  // A V gene the table cannot resolve changes distances: a note says so.
  const tp::VGeneUse unknown = tp::resolve_vgenes(c, clonotypes_with_v({"TRBV99-9*01"}), refs, inputs, notes);
  EXPECT_EQ(unknown.clonotypes.unknown, 1);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("TRBV99-9"), std::string::npos) << notes[0];
  EXPECT_TRUE(inputs.finish().empty());  // the built-in table is no input file
}

TEST(RunSetup, AGivenVGeneTableIsLoadedTrackedAndUsed) {
  tp::RunConfig c;
  c.v_gene_table = (tt::source_dir() / "data" / "vgenes" / "human_tr_vgenes.tsv").string();
  tp::RunInputs inputs;
  std::vector<std::string> notes;
  const tp::VGeneUse vg =
      tp::resolve_vgenes(c, clonotypes_with_v({"TRBV20-1*01"}), references_with_v({"TRBV20-1*01"}), inputs, notes);
  ASSERT_NE(vg.loaded, nullptr);
  EXPECT_EQ(vg.table, vg.loaded.get());
  EXPECT_EQ(vg.table->file(), c.v_gene_table);
  const auto files = inputs.finish();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].role, "v_gene_table");
}

TEST(RunSetup, TheChanceModelsBackgroundIsBuiltInAFileOrNone) {
  tp::RunConfig c;  // defaults: TCRdist transfer, chance model on, no --background
  tp::RunInputs inputs;
  const tp::BackgroundUse builtin = tp::load_background(c, inputs);
  ASSERT_TRUE(builtin.rows);
  EXPECT_TRUE(builtin.builtin);
  EXPECT_EQ(builtin.rows->size(), 1000000u);
  EXPECT_EQ(builtin.md5, tilmatch::md5_bytes(tilmatch::io::builtin_background_file().bytes));
  const tp::EvidenceConfig e = tp::evidence_config(c, tp::PatientHla{}, tp::VGeneUse{}, builtin);
  EXPECT_EQ(e.background, &*builtin.rows);
  EXPECT_EQ(e.background_file, builtin.rows->file);

  tp::RunConfig off = c;
  off.chance_model = false;
  EXPECT_FALSE(tp::load_background(off, inputs).rows);
  EXPECT_EQ(tp::describe_background(tp::BackgroundUse{}), "none (the chance model is off)");
  tp::RunConfig tcrmatch = c;
  tcrmatch.metric = tp::EvidenceConfig::Metric::kTcrmatch;
  EXPECT_FALSE(tp::load_background(tcrmatch, inputs).rows);
  EXPECT_TRUE(inputs.finish().empty());

  tp::RunConfig file = c;
  file.background = (tt::source_dir() / "data" / "example" / "fragments" / "F01.airr.tsv").string();
  tp::RunInputs tracked;
  const tp::BackgroundUse given = tp::load_background(file, tracked);
  ASSERT_TRUE(given.rows);
  EXPECT_FALSE(given.builtin);
  EXPECT_EQ(given.md5, tilmatch::md5_file(file.background));
  const auto files = tracked.finish();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].role, "background");
  EXPECT_EQ(files[0].path, file.background);
}
