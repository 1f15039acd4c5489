// The V(D)J model reader (io/generation_model) and the OLGA sampler (chance/olga_sampler) on a tiny
// hand-made model whose draws can be worked out: two V genes (CAS.. and CAW..), one D (GGG), one J
// (..EQYF), no deletions or insertions, so every draw is CASSGEQYF or CAWSGEQYF. OLGA's own human
// TRB model is checked against OLGA's figures in tests/tools/test_olga_sampler.cpp.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "chance/olga_sampler.hpp"
#include "common/test_support.hpp"
#include "io/generation_model.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::test {
namespace {

namespace fs = std::filesystem;

const char* kParams =
    "@Event_list\n"
    "#GeneChoice;V_gene;Undefined_side;7;v_choice\n"
    "%TRBVX*01;AAATGTGCCAGCAGC;0\n"
    "%TRBVY*01;AAATGTGCCTGGAGC;1\n"
    "#GeneChoice;D_gene;Undefined_side;6;d_gene\n"
    "% TRBDX*01;GGG;0\n"
    "#GeneChoice;J_gene;Undefined_side;7;j_choice\n"
    "%TRBJX*01;GAGCAGTACTTCGGG;0\n"
    "#Deletion;V_gene;Three_prime;5;v_3_del\n%0;0\n"
    "#Deletion;D_gene;Three_prime;5;d_3_del\n%0;0\n"
    "#Deletion;D_gene;Five_prime;5;d_5_del\n%0;0\n"
    "#Deletion;J_gene;Five_prime;5;j_5_del\n%0;0\n"
    "#Insertion;VD_genes;Undefined_side;4;vd_ins\n%0;0\n"
    "#Insertion;DJ_gene;Undefined_side;2;dj_ins\n%0;0\n"
    "#DinucMarkov;VD_genes;Undefined_side;3;vd_dinucl\n%A;0\n%C;1\n%G;2\n%T;3\n"
    "#DinucMarkov;DJ_gene;Undefined_side;1;dj_dinucl\n%A;0\n%C;1\n%G;2\n%T;3\n"
    "@Edges\n";

std::string marginals(const std::string& v_choice) {
  const std::string uniform16 = "%0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,"
                                "0.0625,0.0625,0.0625,0.0625,0.0625\n";
  return "@v_choice\n$Dim[2]\n#\n" + v_choice +
         "@j_choice\n$Dim[1]\n#\n%1\n"
         "@d_gene\n$Dim[1,1]\n#[j_choice,0]\n%1\n"
         "@v_3_del\n$Dim[2,1]\n#[v_choice,0]\n%1\n#[v_choice,1]\n%1\n"
         "@d_5_del\n$Dim[1,1]\n#[d_gene,0]\n%1\n"
         "@d_3_del\n$Dim[1,1,1]\n#[d_gene,0],[d_5_del,0]\n%1\n"
         "@j_5_del\n$Dim[1,1]\n#[j_choice,0]\n%1\n"
         "@vd_ins\n$Dim[1]\n#\n%1\n"
         "@dj_ins\n$Dim[1]\n#\n%1\n"
         "@vd_dinucl\n$Dim[16]\n#\n" + uniform16 + "@dj_dinucl\n$Dim[16]\n#\n" + uniform16;
}

fs::path tiny_model(const ScratchDir& dir, const std::string& v_choice = "%0.25,0.75\n") {
  const fs::path m = dir / "model";
  fs::create_directories(m);
  write_file(m / "model_params.txt", kParams);
  write_file(m / "model_marginals.txt", marginals(v_choice));
  write_file(m / "V_gene_CDR3_anchors.csv", "gene,anchor_index,function\nTRBVX*01,3,F\nTRBVY*01,3,(F)\n");
  write_file(m / "J_gene_CDR3_anchors.csv", "gene,anchor_index,function\nTRBJX*01,9,F\n");
  return m;
}

TEST(GenerationModel, ReadsEventsTablesAndAnchors) {
  ScratchDir dir;
  const GenerationModel m = io::read_generation_model(tiny_model(dir).string());
  ASSERT_EQ(m.events.at("v_choice").genes.size(), 2u);
  EXPECT_EQ(m.events.at("v_choice").genes[1].name, "TRBVY*01");
  EXPECT_EQ(m.events.at("d_gene").genes[0].name, "TRBDX*01");  // "% TRBDX*01": trimmed, as OLGA's files write D
  EXPECT_EQ(m.events.at("v_3_del").values, std::vector<int>{0});
  EXPECT_EQ(m.marginals.at("v_choice").p, (std::vector<double>{0.25, 0.75}));
  EXPECT_EQ(m.marginals.at("d_3_del").dims, (std::vector<std::size_t>{1, 1, 1}));
  EXPECT_EQ(m.v_anchors.at("TRBVY*01").function, "F");  // "(F)" is functional once its parentheses go
  EXPECT_EQ(m.j_anchors.at("TRBJX*01").position, 9);
}

TEST(OlgaSampler, DrawsWhatTheModelAllowsInItsProportions) {
  ScratchDir dir;
  const chance::OlgaSampler sampler(io::read_generation_model(tiny_model(dir).string()));
  const Background bg = chance::sample_background(sampler, 20000, 1);
  ASSERT_EQ(bg.size(), 20000u);
  std::map<std::string, int> seen;
  for (std::size_t i = 0; i < bg.size(); ++i) ++seen[std::string(bg.v_of(i)) + " " + std::string(bg.cdr3_of(i))];
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_NEAR(seen["TRBVX*01 CASSGEQYF"] / 20000.0, 0.25, 0.015);  // binomial sd 0.003
  EXPECT_NEAR(seen["TRBVY*01 CAWSGEQYF"] / 20000.0, 0.75, 0.015);
  // Same seed, same rows; another seed, another order.
  const Background again = chance::sample_background(sampler, 20000, 1);
  EXPECT_EQ(again.cdr3, bg.cdr3);
  EXPECT_NE(chance::sample_background(sampler, 20000, 2).cdr3, bg.cdr3);
}

TEST(OlgaSampler, AGeneThatIsNotFunctionalIsNeverDrawn) {
  ScratchDir dir;
  const fs::path m = tiny_model(dir);
  write_file(m / "V_gene_CDR3_anchors.csv", "gene,anchor_index,function\nTRBVX*01,3,F\nTRBVY*01,3,[F]\n");
  const chance::OlgaSampler sampler(io::read_generation_model(m.string()));
  const Background bg = chance::sample_background(sampler, 500, 3);
  ASSERT_EQ(bg.genes.size(), 1u);
  EXPECT_EQ(bg.genes[0], "TRBVX*01");
}

TEST(GenerationModel, MalformedFilesNameTheFileAndLine) {
  ScratchDir dir;
  const fs::path m = tiny_model(dir, "%0.25,oops\n");
  try {
    io::read_generation_model(m.string());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(e.file().find("model_marginals.txt"), std::string::npos) << e.what();
    EXPECT_EQ(e.where(), "line 4");
    EXPECT_NE(std::string(e.what()).find("'oops' is not a number"), std::string::npos) << e.what();
  }
  // A table that does not fit its events (three V probabilities for two genes) is refused once read.
  const fs::path wide = tiny_model(dir, "%0.25,0.5,0.25\n");
  EXPECT_THROW(io::read_generation_model(wide.string()), InputError);  // longer than its $Dim
  write_file(m / "model_marginals.txt", marginals("%0.25,0.75\n").replace(0, 20, "@v_choice\n$Dim[3]\n#\n"));
  const GenerationModel three = io::read_generation_model(m.string());
  EXPECT_THROW(chance::OlgaSampler{three}, InputError);
  fs::remove(m / "J_gene_CDR3_anchors.csv");
  EXPECT_THROW(io::read_generation_model(m.string()), IoError);
}

// Models that would hang or exhaust memory are refused: one whose draws are never productive (its
// only J is a pseudogene), an insertion of 5,000 nucleotides, a probability that is not finite.
TEST(OlgaSampler, ModelsThatCannotBeDrawnFromAreErrors) {
  ScratchDir dir;
  const fs::path m = tiny_model(dir);
  write_file(m / "J_gene_CDR3_anchors.csv", "gene,anchor_index,function\nTRBJX*01,9,P\n");
  const chance::OlgaSampler barren(io::read_generation_model(m.string()));
  try {
    chance::sample_background(barren, 10, 1);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), m.string());
    EXPECT_NE(std::string(e.what()).find("no productive rearrangement"), std::string::npos) << e.what();
  }
  write_file(m / "J_gene_CDR3_anchors.csv", "gene,anchor_index,function\nTRBJX*01,9,F\n");
  std::string params = kParams;
  params.replace(params.find("DJ_gene;Undefined_side;2;dj_ins\n%0;0"), 36, "DJ_gene;Undefined_side;2;dj_ins\n%5000;0");
  write_file(m / "model_params.txt", params);
  EXPECT_THROW(chance::OlgaSampler{io::read_generation_model(m.string())}, InputError);
  write_file(m / "model_params.txt", kParams);
  write_file(m / "model_marginals.txt", marginals("%0.25,inf\n"));
  EXPECT_THROW(io::read_generation_model(m.string()), InputError);
  write_file(m / "model_marginals.txt", marginals("%-0.25,1\n"));
  EXPECT_THROW(io::read_generation_model(m.string()), InputError);
}

}  // namespace
}  // namespace tilmatch::test
