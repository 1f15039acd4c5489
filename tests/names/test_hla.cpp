// HLA allele names in every spelling tilmatch meets, and the allele-matching rule (names/hla.hpp).

#include <gtest/gtest.h>

#include <set>

#include "common/test_support.hpp"
#include "io/table_reader.hpp"
#include "names/hla.hpp"

using namespace tilmatch::names;
using tilmatch::io::TableReader;

namespace {

/// Canonical text of a parsed allele, or "-" when it does not parse.
std::string canon(std::string_view s) {
  auto a = parse_hla(s);
  return a ? a->text() : "-";
}

std::vector<HlaAllele> alleles(std::string_view list) { return parse_hla_list(list); }

}  // namespace

TEST(Hla, ParsesEachSpelling) {
  EXPECT_EQ(canon("HLA-A*02:01"), "HLA-A*02:01");
  EXPECT_EQ(canon("A*02:01"), "HLA-A*02:01");
  EXPECT_EQ(canon("HLA-A02:01"), "HLA-A*02:01");          // NDD, NetMHCpan
  EXPECT_EQ(canon("A0201"), "HLA-A*02:01");               // compact
  EXPECT_EQ(canon("HLA-A0201"), "HLA-A*02:01");
  EXPECT_EQ(canon("A*0201"), "HLA-A*02:01");
  EXPECT_EQ(canon("HLA-A*02:01:01:02L"), "HLA-A*02:01:01:02");  // suffix dropped, fields kept
  EXPECT_EQ(canon("A*24:02:01:02N"), "HLA-A*24:02:01:02");
  EXPECT_EQ(canon("HLA-A*02:01:01G"), "HLA-A*02:01:01");
  EXPECT_EQ(canon("A*02"), "HLA-A*02");                   // 1-field
  EXPECT_EQ(canon("A2"), "HLA-A*02");                     // serological
  EXPECT_EQ(canon("HLA-A2"), "HLA-A*02");
  EXPECT_EQ(canon("B27"), "HLA-B*27");
  EXPECT_EQ(canon("Cw7"), "HLA-C*07");
  EXPECT_EQ(canon("Cw*0702"), "HLA-C*07:02");
  EXPECT_EQ(canon("A201"), "HLA-A*02:01");                // old 4-digit name without its leading zero
  EXPECT_EQ(canon("DR4"), "HLA-DRB1*04");
  EXPECT_EQ(canon("DRB1*04:01"), "HLA-DRB1*04:01");
  EXPECT_EQ(canon("HLA-DRB1*04:01"), "HLA-DRB1*04:01");
  EXPECT_EQ(canon("DRB1_0401"), "HLA-DRB1*04:01");        // NetMHCIIpan
  EXPECT_EQ(canon("DRB10401"), "HLA-DRB1*04:01");
  EXPECT_EQ(canon("HLA-DQB1*03:02"), "HLA-DQB1*03:02");
  EXPECT_EQ(canon("HLA-DRB1*11"), "HLA-DRB1*11");
  EXPECT_EQ(canon("HLA-DRA*01:01:01"), "HLA-DRA*01:01:01");
  EXPECT_EQ(canon("HLA-E*01:03"), "HLA-E*01:03");
  EXPECT_EQ(canon("HLA-A*02:101"), "HLA-A*02:101");       // three-digit second field
  EXPECT_EQ(canon("A*2:1"), "HLA-A*02:01");               // padded
  // Whitespace and case.
  EXPECT_EQ(canon("  hla-a*02:01\t"), "HLA-A*02:01");
  EXPECT_EQ(canon("b*07:02"), "HLA-B*07:02");
}

TEST(Hla, RejectsOtherSpeciesAndJunk) {
  for (const char* bad : {"H-2Kb", "H2-Db", "H-2-Kb", "SLA-1*04:01", "B2M", "n.a.", "NA", "", "   ", "HLA", "HLA-",
                          "A*", "A*02:01x", "A*02:01:01:01:01", "A*02:12345", "A02011", "A*02101", "DQ2", "DP4",
                          "DR51", "DR*04", "HLA-A*02::01", "E2", "*02:01"}) {
    EXPECT_FALSE(parse_hla(bad).has_value()) << "'" << bad << "' parsed as " << canon(bad);
  }
}

TEST(Hla, FieldsAndGeneAreExposed) {
  auto a = parse_hla("HLA-DQA1*05:01:01:02");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->gene, "DQA1");
  EXPECT_EQ(a->fields, (std::vector<std::string>{"05", "01", "01", "02"}));
  EXPECT_EQ(*parse_hla("A*02:01"), *parse_hla("HLA-A02:01"));
}

TEST(Hla, ListSplitting) {
  auto v = alleles("HLA-DQA1*05:01,HLA-DQB1*02:01");  // VDJdb class II
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].text(), "HLA-DQA1*05:01");
  EXPECT_EQ(v[1].text(), "HLA-DQB1*02:01");
  v = alleles("HLA-DQA1*03:01, HLA-DQB1*03:02");  // NeoTCR, with a space
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1].text(), "HLA-DQB1*03:02");
  v = alleles("A*02:01; B*07:02/C*07:02 \t DRB1*04:01");
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[2].text(), "HLA-C*07:02");
  v = alleles("n.a., B2M, H-2Kb, A*02:01");  // unparseable tokens skipped
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].text(), "HLA-A*02:01");
  v = alleles("DQA1*01:02-DQB1*06:02");  // pVACseq class II pair
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].gene, "DQA1");
  EXPECT_EQ(v[1].text(), "HLA-DQB1*06:02");
  v = alleles("HLA-DQA10501-DQB10201");  // NetMHCIIpan pair
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].text(), "HLA-DQA1*05:01");
  EXPECT_EQ(v[1].text(), "HLA-DQB1*02:01");
  EXPECT_TRUE(alleles("").empty());
  EXPECT_TRUE(alleles(" ,;/ ").empty());
}

TEST(Hla, SameAtCommonResolution) {
  auto a = [](const char* s) { return *parse_hla(s); };
  EXPECT_TRUE(same_at_common_resolution(a("A*02"), a("A*02:01")));
  EXPECT_TRUE(same_at_common_resolution(a("A*02:01"), a("A*02:01:01:02L")));
  EXPECT_FALSE(same_at_common_resolution(a("A*02:01"), a("A*02:06")));
  EXPECT_FALSE(same_at_common_resolution(a("A*02:01"), a("B*02:01")));
  EXPECT_FALSE(same_at_common_resolution(a("DRB1*04"), a("DRB4*04")));
}

TEST(Hla, MatchUsesTheResolutionBothHave) {
  const auto patient = alleles("HLA-A*02:01,HLA-A*24:02,HLA-B*07:02,HLA-B*44:03,HLA-C*07:02,HLA-C*16:01");
  EXPECT_EQ(match_hla("HLA-A*02:01", patient), HlaMatch::kMatch);
  EXPECT_EQ(match_hla("HLA-A*02", patient), HlaMatch::kMatch);  // VDJdb 1-field
  EXPECT_EQ(match_hla("HLA-A*02:01:48", patient), HlaMatch::kMatch);
  EXPECT_EQ(match_hla("HLA-A*02:06", patient), HlaMatch::kMismatch);
  EXPECT_EQ(match_hla("HLA-A*11:01", patient), HlaMatch::kMismatch);
  EXPECT_EQ(match_hla("HLA-A*25:01, HLA-C*16:01", patient), HlaMatch::kMatch);  // any allele
  EXPECT_EQ(match_hla("HLA-DRB1*04:01", patient), HlaMatch::kMismatch);
  // Patient typed at 1 field.
  EXPECT_EQ(match_hla("HLA-B*07:02", alleles("B7")), HlaMatch::kMatch);
  EXPECT_EQ(match_hla("HLA-B*08:01", alleles("B7")), HlaMatch::kMismatch);
}

TEST(Hla, MatchUnknownWhenNothingToCompare) {
  const auto patient = alleles("A*02:01");
  EXPECT_EQ(match_hla("", patient), HlaMatch::kUnknown);
  EXPECT_EQ(match_hla("n.a.", patient), HlaMatch::kUnknown);
  EXPECT_EQ(match_hla("H-2Kb", patient), HlaMatch::kUnknown);
  EXPECT_EQ(match_hla("B2M", patient), HlaMatch::kUnknown);
  EXPECT_EQ(match_hla("HLA-A*02:01", std::vector<HlaAllele>{}), HlaMatch::kUnknown);
}

TEST(Hla, ClassIIPairNeedsTheBetaChainWhenThePatientIsTypedForIt) {
  const std::string ref = "HLA-DQA1*05:01,HLA-DQB1*02:01";
  // Alpha agrees, beta typed and different: mismatch.
  EXPECT_EQ(match_hla(ref, alleles("DQA1*05:01,DQB1*03:01")), HlaMatch::kMismatch);
  // Beta agrees (alpha differs or untyped): match.
  EXPECT_EQ(match_hla(ref, alleles("DQA1*01:02,DQB1*02:01")), HlaMatch::kMatch);
  EXPECT_EQ(match_hla(ref, alleles("DQB1*02")), HlaMatch::kMatch);
  // Beta locus not typed: any agreeing allele counts.
  EXPECT_EQ(match_hla(ref, alleles("DQA1*05:01,A*02:01")), HlaMatch::kMatch);
  EXPECT_EQ(match_hla(ref, alleles("DQA1*03:01,A*02:01")), HlaMatch::kMismatch);
  // DP the same way.
  EXPECT_EQ(match_hla("DPA1*02:02,DPB1*05:01", alleles("DPA1*02:02,DPB1*04:01")), HlaMatch::kMismatch);
  EXPECT_EQ(match_hla("DPA1*02:02,DPB1*05:01", alleles("DPA1*02:02")), HlaMatch::kMatch);
  // DRA + DRB1 (VDJdb mhc_a/mhc_b): DRA is shared by nearly everyone, DRB1 decides.
  EXPECT_EQ(match_hla("HLA-DRA*01,HLA-DRB1*01", alleles("DRA*01:01,DRB1*04:01")), HlaMatch::kMismatch);
  EXPECT_EQ(match_hla("HLA-DRA*01,HLA-DRB1*01", alleles("DRB1*01:01")), HlaMatch::kMatch);
  // A lone beta chain follows the plain rule.
  EXPECT_EQ(match_hla("HLA-DQB1*03:02", alleles("DQB1*03:02")), HlaMatch::kMatch);
}

namespace {

/// parse_hla over every non-empty value of `column`; returns (non-empty values, parsed).
std::pair<int, int> parse_rate(const std::filesystem::path& path, std::string_view column, bool as_list) {
  TableReader t(path.string(), '\t');
  const auto col = t.require(column);
  int values = 0, parsed = 0;
  while (t.next()) {
    const std::string_view v = t.field(col);
    if (v.empty()) continue;
    ++values;
    if (as_list ? !parse_hla_list(v).empty() : parse_hla(v).has_value()) ++parsed;
  }
  return {values, parsed};
}

}  // namespace

TEST(Hla, SharedNddValuesParse) {
  TILMATCH_REQUIRE_SHARED(ndd, "neoantigen_tcr/ndd_v0.2.tsv");
  const auto [values, parsed] = parse_rate(ndd, "HLA", false);
  // README: 257 rows, all HLA-I written HLA-A02:01; measured: every one parses.
  EXPECT_EQ(values, 257);
  EXPECT_EQ(parsed, 257);
}

TEST(Hla, SharedNeoTcrValuesParse) {
  TILMATCH_REQUIRE_SHARED(neotcr, "neoantigen_tcr/neotcr_db_20221220.tsv");
  const auto [values, single] = parse_rate(neotcr, "HLA Allele", false);
  const auto [values2, listed] = parse_rate(neotcr, "HLA Allele", true);
  EXPECT_EQ(values, values2);
  // Measured: 988 non-empty values; 300 are "n.a."; 673 are single alleles (HLA-DRB*07:01 included,
  // as locus "DRB") and 15 more are lists such as "HLA-DQA1*03:01, HLA-DQB1*03:02".
  EXPECT_EQ(values, 988);
  EXPECT_GE(single, 673);
  EXPECT_GE(listed, 688);
  EXPECT_EQ(values - listed, 300);  // exactly the n.a. rows fail
}

TEST(Hla, SharedVdjdbMhcValuesParse) {
  TILMATCH_REQUIRE_SHARED(vdjdb, "tcr_reference/vdjdb_human_chunks_2026-04-27.tsv.gz");
  TableReader t(vdjdb.string(), '\t');
  const auto a = t.require("mhc_a"), b = t.require("mhc_b");
  std::set<std::string> unparsed;
  int rows = 0;
  while (t.next()) {
    ++rows;
    if (!parse_hla(t.field(a))) unparsed.insert(std::string(t.field(a)));
    if (t.field(b) != "B2M" && !parse_hla(t.field(b))) unparsed.insert(std::string(t.field(b)));
  }
  EXPECT_EQ(rows, 53817);
  // Measured: every mhc_a and every class II mhc_b (HLA-DRB1*15:01:01:04, DPB1*05:01, ...) parses.
  EXPECT_TRUE(unparsed.empty()) << *unparsed.begin();
}
