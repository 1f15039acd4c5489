#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "common/test_support.hpp"
#include "encode/batch.hpp"
#include "scoring/engine.hpp"
#include "scoring/oracle_io.hpp"
#include "scoring/tcrdist.hpp"
#include "scoring/vgene_table.hpp"
#include "tilmatch/error.hpp"

namespace ts = tilmatch::scoring;
using tilmatch::encode::encode_sequence;

namespace {

int cdr3(const std::string& a, const std::string& b, ts::TcrdistParams p = {}) {
  const auto x = encode_sequence(a);
  const auto y = encode_sequence(b);
  return ts::tcrdist_cdr3(x.data(), static_cast<int>(x.size()), y.data(), static_cast<int>(y.size()),
                          ts::kTcrdistTable.d, p);
}

std::uint8_t code(char c) { return tilmatch::encode::residue_code(c); }

}  // namespace

TEST(Blosum62, SymmetricWithKnownEntries) {
  for (std::uint8_t a = 0; a < 20; ++a)
    for (std::uint8_t b = 0; b < 20; ++b) EXPECT_EQ(ts::blosum62(a, b), ts::blosum62(b, a));
  EXPECT_EQ(ts::blosum62(code('W'), code('W')), 11);
  EXPECT_EQ(ts::blosum62(code('C'), code('C')), 9);
  EXPECT_EQ(ts::blosum62(code('I'), code('V')), 3);
  EXPECT_EQ(ts::blosum62(code('W'), code('N')), -4);
}

TEST(TcrdistResidue, DistanceRule) {
  const auto* d = ts::kTcrdistTable.d;
  EXPECT_EQ(ts::tcrdist_residue(d, code('A'), code('A')), 0);
  EXPECT_EQ(ts::tcrdist_residue(d, code('W'), code('W')), 0);
  EXPECT_EQ(ts::tcrdist_residue(d, code('I'), code('V')), 1);  // 4 - 3
  EXPECT_EQ(ts::tcrdist_residue(d, code('S'), code('T')), 3);  // 4 - 1
  EXPECT_EQ(ts::tcrdist_residue(d, code('W'), code('N')), 4);  // capped at 4
  EXPECT_EQ(ts::tcrdist_residue(d, code('A'), code('S')), 3);
  EXPECT_EQ(ts::tcrdist_residue(d, code('X'), code('A')), 4);
  EXPECT_EQ(ts::tcrdist_residue(d, code('X'), code('X')), 0);
  EXPECT_EQ(ts::tcrdist_residue(d, ts::kGapCode, code('W')), 0);
  EXPECT_EQ(ts::tcrdist_residue(d, code('W'), ts::kGapCode), 0);
}

TEST(TcrdistCdr3, ReadmeUnitExample) {
  EXPECT_EQ(cdr3("CASRTGTVYEQYF", "CASSTLDRVYNSPLHF", {1, 4, 3, 2}), 40);
  EXPECT_EQ(cdr3("CASSTLDRVYNSPLHF", "CASRTGTVYEQYF", {1, 4, 3, 2}), 40);
}

TEST(TcrdistCdr3, EqualLengthsSumTrimmedPositions) {
  // Only positions 3 .. L-3 count: differences inside the trims are free.
  EXPECT_EQ(cdr3("CASSLGQF", "WWWSLGWW"), 0);
  // Position 3 S vs T (3) and 4 L vs I (4 - 2 = 2): 3 * 5.
  EXPECT_EQ(cdr3("CASSLGQF", "CASTIGQF"), 15);
  // Unknown residue against a residue costs 4; against itself 0.
  EXPECT_EQ(cdr3("CASSXGF", "CASSAGF"), 12);
  EXPECT_EQ(cdr3("CASSXGF", "CASSXGF"), 0);
}

TEST(TcrdistCdr3, EmptyAndOneResidue) {
  EXPECT_EQ(cdr3("", ""), 0);
  EXPECT_EQ(cdr3("C", "C"), 0);
  EXPECT_EQ(cdr3("", "C"), 12);      // 3 * (0 + 4 * 1)
  EXPECT_EQ(cdr3("C", "CASF"), 36);  // every position is trimmed: 3 * 4 * 3
  EXPECT_EQ(cdr3("", "CASSLGQF"), 3 * 4 * 8);
}

TEST(TcrdistCdr3, GapSearchEdges) {
  // Shorter length 8: range [5,3] widens to [4,4]; N-part position 3, C-part offsets 2..3.
  // q = CASW LGQF, s = CASW A LGQF: gap after 4 residues aligns everything: 3 * (0 + 4).
  EXPECT_EQ(cdr3("CASWLGQF", "CASWALGQF"), 12);
  // Shorter length 10: only g = 5. N-part positions 3,4 and C-part offsets 2..4 from the end.
  // q = CASSW YEQYF (10), s = CASSW G YEQYF (11): aligned without mismatches.
  EXPECT_EQ(cdr3("CASSWYEQYF", "CASSWGYEQYF"), 12);
  // Same lengths but the insertion sits left of the only allowed gap position: W is compared
  // with S (4 - (-3) capped to 4) at position 4 and the C-part shifts... computed position by
  // position: N-part i=3: S/W=4, i=4: W/S=4; C-part offsets 2..4 align Y,Q,E: 0 -> 3*(8+4).
  EXPECT_EQ(cdr3("CASSWYEQYF", "CASWSGYEQYF"), 36);
  // Shorter length 13: g ranges over [5,8]; the best position wins.
  EXPECT_EQ(cdr3("CASSLAPGATNEKLFF", "CASSLAPGATNEKLFF"), 0);
  EXPECT_EQ(cdr3("CASSLAPGTNEKLFF", "CASSLAPGATNEKLFF"), 12);
}

TEST(TcrdistOracle, DashHumanPaired415x415) {
  TILMATCH_REQUIRE_SHARED(csv, "tcr_oracles/tcrdistgpu_dash_human.csv");
  TILMATCH_REQUIRE_SHARED(matrix, "tcr_oracles/tcrdistgpu_dash_human_tcrdist3_paired_415x415.csv.gz");
  TILMATCH_REQUIRE_SHARED(db, "tcr_oracles/tcrdist3_alphabeta_gammadelta_db.tsv");
  const auto rows = tilmatch::test::parse_table(tilmatch::test::read_text_maybe_gz(csv), ',');
  ASSERT_GT(rows.size(), 1u);
  const auto& h = rows[0];
  const int va = tilmatch::test::column(h, "v_a_gene"), ca = tilmatch::test::column(h, "cdr3_a_aa");
  const int vb = tilmatch::test::column(h, "v_b_gene"), cb = tilmatch::test::column(h, "cdr3_b_aa");
  ASSERT_TRUE(va >= 0 && ca >= 0 && vb >= 0 && cb >= 0);
  std::vector<ts::TcrRecord> tcrs;
  for (std::size_t i = 1; i < rows.size(); ++i)
    tcrs.push_back({rows[i][ca], rows[i][cb], rows[i][va], rows[i][vb]});
  ASSERT_EQ(tcrs.size(), 415u);
  const auto vgenes = ts::VGeneTable::load(db);
  const auto set = ts::encode_tcrdist_set(tcrs, ts::Chains::alpha_beta, &vgenes);

  const auto expected = tilmatch::test::parse_table(tilmatch::test::read_text_maybe_gz(matrix), ',');
  ASSERT_EQ(expected.size(), 416u);  // header + 415 rows

  ts::EngineOptions opts;
  opts.threads = 2;
  const auto hits = ts::tcrdist_search(set, set, 1 << 30, opts);
  ASSERT_EQ(hits.size(), 415u * 415u);
  std::size_t mismatches = 0;
  for (const auto& hit : hits) {
    const int want = std::stoi(expected[hit.query + 1][hit.reference]);
    if (hit.distance != want && ++mismatches <= 10)
      ADD_FAILURE() << "pair " << hit.query << "," << hit.reference << ": got " << hit.distance
                    << " want " << want;
  }
  EXPECT_EQ(mismatches, 0u) << "of " << hits.size();
}

TEST(TcrdistOracle, VLoopDistancesMatchTcrdistRsLookup) {
  TILMATCH_REQUIRE_SHARED(db, "tcr_oracles/tcrdist3_alphabeta_gammadelta_db.tsv");
  TILMATCH_REQUIRE_SHARED(lookup, "tcr_oracles/tcrdist_rs_human_v_lookup.csv.gz");
  const auto vgenes = ts::VGeneTable::load(db);
  const auto rows = tilmatch::test::parse_table(tilmatch::test::read_text_maybe_gz(lookup), ',');
  std::size_t checked = 0, unknown = 0, bad = 0;
  for (const auto& r : rows) {
    ASSERT_EQ(r.size(), 3u);
    // Names the table has (allele-less ones are *01 in both): an allele the table lacks would be
    // scored with the gene's *01, which tcrdist_rs does not do.
    const auto in_table = [&](const std::string& g) {
      const auto m = vgenes.lookup(g);
      return m == ts::VGeneMatch::kExact || m == ts::VGeneMatch::kNoAllele;
    };
    if (!in_table(r[0]) || !in_table(r[1])) {
      ++unknown;
      continue;
    }
    const auto a = vgenes.loops(r[0]);
    const auto b = vgenes.loops(r[1]);
    ASSERT_EQ(a.size(), b.size());
    const int got = ts::tcrdist_vloops(a.data(), b.data(), static_cast<int>(a.size()), ts::kTcrdistTable.d);
    if (got != std::stoi(r[2]) && ++bad <= 10)
      ADD_FAILURE() << r[0] << " " << r[1] << ": got " << got << " want " << r[2];
    ++checked;
  }
  std::printf("checked %zu V-gene pairs, %zu with genes absent from the table\n", checked, unknown);
  EXPECT_EQ(bad, 0u);
  EXPECT_GT(checked, rows.size() * 9 / 10);
}

TEST(TcrdistTcr, SingleChainWithVLoops) {
  TILMATCH_REQUIRE_SHARED(db, "tcr_oracles/tcrdist3_alphabeta_gammadelta_db.tsv");
  const auto vgenes = ts::VGeneTable::load(db);
  const std::vector<ts::TcrRecord> tcrs = {{"", "CASSLGQF", "", "TRBV1*01"},
                                           {"", "CASTIGQF", "", "TRBV10-1*01"}};
  const auto beta = ts::encode_tcrdist_set(tcrs, ts::Chains::beta, &vgenes);
  // CDR3 15 (see EqualLengthsSumTrimmedPositions) + V loops TRBV1*01 vs TRBV10-1*01.
  const auto a = vgenes.loops("TRBV1*01");
  const auto b = vgenes.loops("TRBV10-1*01");
  const int v = ts::tcrdist_vloops(a.data(), b.data(), static_cast<int>(a.size()), ts::kTcrdistTable.d);
  EXPECT_EQ(v, 53);
  EXPECT_EQ(ts::tcrdist_pair(beta, 0, beta, 1), 15 + 53);
  EXPECT_EQ(ts::tcrdist_pair(beta, 1, beta, 0), 15 + 53);
  EXPECT_EQ(ts::tcrdist_pair(beta, 0, beta, 0), 0);
  const auto alpha = ts::encode_tcrdist_set(tcrs, ts::Chains::alpha, nullptr);
  EXPECT_EQ(ts::tcrdist_pair(alpha, 0, alpha, 1), 0);  // both alpha CDR3s empty
  // An unknown or missing V gene is scored on its CDR3 alone, against known and unknown genes.
  const std::vector<ts::TcrRecord> unknown = {{"", "CASSLGQF", "", "TRBV999"}, {"", "CASTIGQF", "", ""}};
  const auto u = ts::encode_tcrdist_set(unknown, ts::Chains::beta, &vgenes);
  EXPECT_EQ(ts::tcrdist_pair(u, 0, beta, 1), 15);
  EXPECT_EQ(ts::tcrdist_pair(beta, 0, u, 1), 15);
  EXPECT_EQ(ts::tcrdist_pair(u, 0, u, 1), 15);
  // A missing allele is scored as the gene's *01.
  const std::vector<ts::TcrRecord> fallback = {{"", "CASTIGQF", "", "TRBV10-1*77"}};
  const auto f = ts::encode_tcrdist_set(fallback, ts::Chains::beta, &vgenes);
  EXPECT_EQ(ts::tcrdist_pair(beta, 0, f, 0), 15 + 53);
}

TEST(TcrdistTcr, UnknownVGenesOnlyStillMatchTheOtherSetsLoops) {
  // A set whose V genes are all unknown takes the table's loop length, so searching it against a
  // set of known genes is allowed (no loop-length mismatch) and costs nothing for the V part.
  const auto& vgenes = ts::VGeneTable::builtin();
  const std::vector<ts::TcrRecord> known = {{"", "CASSLGQF", "", "TRBV5-1*01"}, {"", "CASSLGQF", "", "TRBV7-9*01"}};
  const std::vector<ts::TcrRecord> unknown = {{"", "CASSLGQF", "", "TRBV_NOPE"}};
  const auto k = ts::encode_tcrdist_set(known, ts::Chains::beta, &vgenes);
  const auto u = ts::encode_tcrdist_set(unknown, ts::Chains::beta, &vgenes);
  const auto hits = ts::tcrdist_search(u, k, 0);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].distance, 0);
  EXPECT_EQ(hits[1].distance, 0);
  EXPECT_GT(ts::tcrdist_pair(k, 0, k, 1), 0);  // the known genes do differ
}
