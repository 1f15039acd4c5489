// The construct catalogue: designs checked against the run, readout names resolved.

#include <gtest/gtest.h>

#include "screen/constructs.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::screen {
namespace {

std::vector<NeoantigenCatalogEntry> run_neoantigens() {
  return {{"TP53.R175H", {"AAAAAAAAAAAAHAAAAAAAAAAAA"}, {"MG.1.TP53.T1.missense.175R/H.1"}, {"AAAAHAAAA", "AAAHAAAAA"}},
          {"KRAS.G12D", {"CCCCCCCCCCCCDCCCCCCCCCCCC"}, {"MG.2.KRAS.T2.missense.12G/D.1"}, {"CCCCDCCCC", "AAAHAAAAA"}}};
}

Construct tmg(std::string id, std::vector<std::string> neos, std::vector<std::string> seqs) {
  Construct c;
  c.id = std::move(id);
  c.kind = ConstructKind::kTandemMinigene;
  c.neoantigens = std::move(neos);
  c.sequences = std::move(seqs);
  c.file = "design.tsv";
  c.line = 2;
  for (std::size_t i = 0; i < c.sequences.size(); ++i) c.member_lines.push_back(static_cast<std::int64_t>(2 + i));
  return c;
}

TEST(ConstructCatalog, ResolvesDesignIdsMinigeneNamesAndPeptides) {
  const ConstructCatalog cat({tmg("TMG1", {"TP53.R175H", "KRAS.G12D"},
                                 {"AAAAAAAAAAAAHAAAAAAAAAAAA", "CCCCCCCCCCCCDCCCCCCCCCCCC"})},
                             run_neoantigens());
  const Construct* t = cat.resolve("TMG1");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->neoantigens.size(), 2u);
  const Construct* m = cat.resolve("MG.2.KRAS.T2.missense.12G/D.1");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->kind, ConstructKind::kMinigene);
  EXPECT_EQ(m->neoantigens, (std::vector<std::string>{"KRAS.G12D"}));
  // A peptide shared by two neoantigens binds to both; lower case is accepted.
  const Construct* p = cat.resolve("aaahaaaaa");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->kind, ConstructKind::kPeptide);
  EXPECT_EQ(p->neoantigens, (std::vector<std::string>{"TP53.R175H", "KRAS.G12D"}));
  EXPECT_EQ(cat.resolve("TMG2"), nullptr);
  EXPECT_EQ(cat.resolve("WWWWWWWWW"), nullptr);
  EXPECT_TRUE(is_control("Negative"));
  EXPECT_FALSE(is_control("neg"));
}

TEST(ConstructCatalog, ADesignHoldingOtherMinigenesIsRefusedNamingFileAndLine) {
  try {
    ConstructCatalog cat({tmg("TMG1", {"TP53.R175H", "KRAS.G12D"},
                              {"AAAAAAAAAAAAHAAAAAAAAAAAA", "CCCCCCCCCCCCECCCCCCCCCCCC"})},
                         run_neoantigens());
    FAIL() << "accepted a design with a foreign minigene";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "design.tsv");
    EXPECT_EQ(e.where(), "line 3");
    EXPECT_NE(std::string(e.what()).find("other minigenes"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ConstructCatalog({tmg("TMG1", {"BRAF.V600E"}, {"AAAAAAAAAAAAHAAAAAAAAAAAA"})}, run_neoantigens()),
               InputError);
  // An MT epitope is a valid pool member but not a tandem-minigene member.
  Construct pool = tmg("PP1", {"TP53.R175H"}, {"AAAAHAAAA"});
  pool.kind = ConstructKind::kPeptidePool;
  EXPECT_NO_THROW(ConstructCatalog({pool}, run_neoantigens()));
  EXPECT_THROW(ConstructCatalog({tmg("TMG1", {"TP53.R175H"}, {"AAAAHAAAA"})}, run_neoantigens()), InputError);
}

}  // namespace
}  // namespace tilmatch::screen
