// Gene names as exporters and databases write them, normalised to IMGT (names/gene_names.hpp).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "names/gene_names.hpp"

using namespace tilmatch::names;

TEST(GeneNames, Normalisation) {
  EXPECT_EQ(normalize_gene("TRBV5-1*01"), "TRBV5-1*01");
  EXPECT_EQ(normalize_gene("TCRBV05-01*01"), "TRBV5-1*01");
  EXPECT_EQ(normalize_gene("TCRBV12-03/12-04"), "TRBV12-3");
  EXPECT_EQ(normalize_gene("TCRBV05"), "TRBV5");
  EXPECT_EQ(normalize_gene("TRAV23/DV6*01"), "TRAV23/DV6*01");  // IMGT name, not two calls
  EXPECT_EQ(normalize_gene("TRAV29/DV5*01,TRAV29/DV5*02"), "TRAV29/DV5*01");
  EXPECT_EQ(normalize_gene("TRAV29/DV5/TRAV30"), "TRAV29/DV5");
  // IMGT orphons keep the part after '/' (it was once cut off as a second call).
  EXPECT_EQ(normalize_gene("TRBV24/OR9-2*01"), "TRBV24/OR9-2*01");
  EXPECT_EQ(normalize_gene("TRBV20/OR9-2*03,TRBV20-1*01"), "TRBV20/OR9-2*03");
  EXPECT_EQ(normalize_gene("TRBV24/OR9-2/TRBV24-1"), "TRBV24/OR9-2");
  // Spellings found in public reference databases (VDJdb, McPAS): ';' between calls, zero padding.
  EXPECT_EQ(normalize_gene("TRBV12-3;TRBV12-4"), "TRBV12-3");
  EXPECT_EQ(normalize_gene("TRBV06-5"), "TRBV6-5");
  EXPECT_EQ(normalize_gene("TRBV5-04*01"), "TRBV5-4*01");
  EXPECT_EQ(normalize_gene("TRBV20/OR09-02*03"), "TRBV20/OR9-2*03");
  EXPECT_EQ(normalize_gene("TRAV29/DV05*01"), "TRAV29/DV5*01");
  EXPECT_EQ(normalize_gene("TRBV10-1*02"), "TRBV10-1*02");  // 10 keeps its zero
  EXPECT_EQ(normalize_gene("TRBV5-1*00(1234.5),TRBV5-5*00(800)"), "TRBV5-1");
  EXPECT_EQ(normalize_gene("TRBV20-1*01,TRBV20-1*02"), "TRBV20-1*01");
  EXPECT_EQ(normalize_gene(" None "), "");
  EXPECT_EQ(normalize_gene("unresolved"), "");
  EXPECT_EQ(gene_without_allele("TRAV12-2*02"), "TRAV12-2");
  EXPECT_TRUE(is_amino_acid_sequence("CASSLGQAYEQYF"));
  EXPECT_FALSE(is_amino_acid_sequence("CASS*GQ"));
  EXPECT_FALSE(is_amino_acid_sequence(""));
}

// The readers' memo of normalize_gene gives its results, on a name's first sight and every later
// one, and past its capacity (a file of ever-new spellings) still gives them, remembering no more.
TEST(GeneNames, CacheGivesNormalizeGenesResultsFirstLaterAndPastCapacity) {
  GeneNameCache cache;
  const std::vector<std::string> names = {"TCRBV05-01*01", "TRBV5-1*01", "TRAV29/DV5*01,TRAV29/DV5*02", " None ",
                                          "TRBV5-1*00(1234.5),TRBV5-5*00(800)", "", "TRBV06-5"};
  for (int pass = 0; pass < 3; ++pass)
    for (const std::string& n : names) EXPECT_EQ(cache(n), normalize_gene(n)) << n << " (pass " << pass << ")";
  for (std::size_t i = 0; i < GeneNameCache::kMaxNames + 10; ++i) {
    const std::string n = "TCRBV0" + std::to_string(i % 9 + 1) + "-0" + std::to_string(i) + "*01";
    ASSERT_EQ(cache(n), normalize_gene(n)) << n;
  }
  const std::string a = cache("TCRBV07-09*01x"), b = cache("TCRBV03-01");  // past capacity: not remembered
  EXPECT_EQ(a, normalize_gene("TCRBV07-09*01x"));
  EXPECT_EQ(b, "TRBV3-1");
  EXPECT_EQ(cache("TCRBV05-01*01"), "TRBV5-1*01");  // remembered before the cap, still right
}
