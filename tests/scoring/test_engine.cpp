#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>

#include "scoring/engine.hpp"
#include "scoring/vgene_table.hpp"
#include "tilmatch/error.hpp"

namespace ts = tilmatch::scoring;

namespace {

std::string random_cdr3(std::mt19937& rng, int min_len, int max_len, bool with_unknown) {
  static const char kLetters[] = "ACDEFGHIKLMNPQRSTVWY";
  std::uniform_int_distribution<int> len(min_len, max_len);
  std::string s(static_cast<std::size_t>(len(rng)), 'A');
  // Few distinct letters so that near neighbours (hits) are common.
  for (char& c : s) c = kLetters[rng() % 5];
  if (with_unknown && !s.empty() && rng() % 10 == 0) s[rng() % s.size()] = 'X';
  return s;
}

std::vector<std::string> random_cdr3s(unsigned seed, std::size_t n) {
  std::mt19937 rng(seed);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(random_cdr3(rng, 0, 18, true));
  return out;
}

std::vector<ts::TcrRecord> beta_records(const std::vector<std::string>& cdr3s) {
  std::vector<ts::TcrRecord> out;
  for (const auto& s : cdr3s) out.push_back({"", s, "", ""});
  return out;
}

}  // namespace

TEST(Engine, EmptyInputs) {
  const auto empty = ts::encode_tcrdist_set({}, ts::Chains::beta, nullptr);
  const auto one = ts::encode_tcrdist_set(beta_records({"CASSF"}), ts::Chains::beta, nullptr);
  EXPECT_TRUE(ts::tcrdist_search(empty, one, 100).empty());
  EXPECT_TRUE(ts::tcrdist_search(one, empty, 100).empty());
  const auto hits = ts::tcrdist_search(one, one, 0);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0], (ts::TcrdistHit{0, 0, 0}));
}

TEST(Engine, TcrdistIdenticalAcrossThreadsAndTiles) {
  const unsigned seed = 1234567u;
  std::printf("seed %u\n", seed);
  const auto q = ts::encode_tcrdist_set(beta_records(random_cdr3s(seed, 150)), ts::Chains::beta, nullptr);
  const auto r = ts::encode_tcrdist_set(beta_records(random_cdr3s(seed + 1, 300)), ts::Chains::beta, nullptr);
  ts::EngineOptions base;
  base.threads = 1;
  base.tile_queries = 1000;
  base.tile_references = 1000;
  const auto want = ts::tcrdist_search(q, r, 36, base);
  ASSERT_GT(want.size(), 100u);
  // Brute force over all pairs, in the documented order.
  std::size_t expected = 0;
  for (std::size_t i = 0; i < q.size(); ++i)
    for (std::size_t j = 0; j < r.size(); ++j) expected += ts::tcrdist_pair(q, i, r, j) <= 36;
  EXPECT_EQ(want.size(), expected);
  for (std::size_t i = 1; i < want.size(); ++i) EXPECT_TRUE(ts::hit_before(want[i - 1], want[i]));
  for (unsigned threads : {1u, 2u, 3u, 8u})
    for (std::size_t tile : {1u, 7u, 64u}) {
      ts::EngineOptions o;
      o.threads = threads;
      o.tile_queries = tile;
      o.tile_references = tile * 3;
      EXPECT_EQ(ts::tcrdist_search(q, r, 36, o), want) << threads << " threads, tile " << tile;
    }
}

TEST(Engine, TcrdistTopK) {
  const unsigned seed = 777u;
  std::printf("seed %u\n", seed);
  const auto q = ts::encode_tcrdist_set(beta_records(random_cdr3s(seed, 60)), ts::Chains::beta, nullptr);
  const auto r = ts::encode_tcrdist_set(beta_records(random_cdr3s(seed + 1, 200)), ts::Chains::beta, nullptr);
  ts::EngineOptions all;
  all.threads = 1;
  const auto full = ts::tcrdist_search(q, r, 1000, all);
  ASSERT_EQ(full.size(), 60u * 200u);
  std::vector<ts::TcrdistHit> want;
  for (std::size_t i = 0; i < full.size(); ++i)
    if (i == 0 || full[i].query != full[i - 1].query || want.size() < 3 ||
        want[want.size() - 3].query != full[i].query)
      want.push_back(full[i]);
  for (unsigned threads : {1u, 2u, 5u})
    for (std::size_t tile : {1u, 16u}) {
      ts::EngineOptions o;
      o.threads = threads;
      o.top_k = 3;
      o.tile_queries = tile;
      o.tile_references = tile * 5;
      EXPECT_EQ(ts::tcrdist_search(q, r, 1000, o), want) << threads << " threads, tile " << tile;
    }
}

TEST(Engine, TcrmatchIdenticalAcrossThreadsAndTiles) {
  const unsigned seed = 424242u;
  std::printf("seed %u\n", seed);
  const auto k1 = ts::make_k1_table();
  const auto q = ts::encode_tcrmatch_set(random_cdr3s(seed, 80), k1);
  const auto r = ts::encode_tcrmatch_set(random_cdr3s(seed + 1, 250), k1);
  ts::EngineOptions base;
  base.threads = 1;
  const auto want = ts::tcrmatch_search(q, r, 0.8f, k1, base);
  ASSERT_GT(want.size(), 20u);
  for (std::size_t i = 1; i < want.size(); ++i) EXPECT_TRUE(ts::hit_before(want[i - 1], want[i]));
  for (unsigned threads : {2u, 3u})
    for (std::size_t tile : {1u, 5u, 33u}) {
      ts::EngineOptions o;
      o.threads = threads;
      o.tile_queries = tile;
      o.tile_references = tile * 2;
      EXPECT_EQ(ts::tcrmatch_search(q, r, 0.8f, k1, o), want) << threads << " threads, tile " << tile;
      o.top_k = 2;
      const auto top = ts::tcrmatch_search(q, r, 0.8f, k1, o);
      for (std::size_t i = 2; i < top.size(); ++i) EXPECT_NE(top[i].query, top[i - 2].query);
    }
}

TEST(Engine, HitsBeyondBudgetThrow) {
  const auto q = ts::encode_tcrdist_set(beta_records(random_cdr3s(5u, 300)), ts::Chains::beta, nullptr);
  ts::EngineOptions o;
  o.threads = 2;
  o.memory_budget_bytes = 1 << 16;  // 32 KiB of kept hits at most; 90,000 hits do not fit
  EXPECT_THROW((void)ts::tcrdist_search(q, q, 1 << 20, o), tilmatch::Error);
}

TEST(Engine, NegativeTcrdistParametersAreRefusedAndNegativeRadiusFindsNothing) {
  // The length pruning assumes every term is non-negative, so such parameters are an error rather
  // than a silently different answer.
  const auto q = ts::encode_tcrdist_set(beta_records({"CASSLGQAYEQYF", "CASSLGQYEQYF"}), ts::Chains::beta, nullptr);
  for (auto bad : {ts::TcrdistParams{-3, 4, 3, 2}, ts::TcrdistParams{3, -4, 3, 2}, ts::TcrdistParams{3, 4, -1, 2},
                   ts::TcrdistParams{3, 4, 3, -1}})
    EXPECT_THROW((void)ts::tcrdist_search(q, q, 100, {}, bad), tilmatch::Error);
  EXPECT_TRUE(ts::tcrdist_search(q, q, -1).empty());
  EXPECT_EQ(ts::tcrdist_search(q, q, 0).size(), 2u);
}

// The run encodes its clonotypes in place (views of the clonotype table's strings) rather than as
// copied records: the two must give the same set, field for field, with V loops (known, unknown
// and missing genes) and both chains.
TEST(Engine, EncodingInPlaceGivesTheSetOfCopiedRecords) {
  const auto& vgenes = ts::VGeneTable::builtin();
  const std::vector<std::string> cdr3s = random_cdr3s(11, 300);
  const char* genes[] = {"TRBV5-1", "TRBV7-9*01", "", "TRBV999", "TRBV20-1"};
  const char* alpha_genes[] = {"TRAV12-2", "", "TRAV21*02"};
  struct Held {  // strings kept elsewhere, as a clonotype table keeps them
    std::string cdr3b, vb, cdr3a, va;
  };
  std::vector<Held> held;
  std::vector<ts::TcrRecord> records;
  for (std::size_t i = 0; i < cdr3s.size(); ++i) {
    held.push_back({cdr3s[i], genes[i % 5], cdr3s[(i * 7) % cdr3s.size()], alpha_genes[i % 3]});
    records.push_back({held.back().cdr3a, held.back().cdr3b, held.back().va, held.back().vb});
  }
  for (const ts::Chains chains : {ts::Chains::beta, ts::Chains::alpha_beta}) {
    const ts::TcrdistSet copied = ts::encode_tcrdist_set(records, chains, &vgenes);
    const ts::TcrdistSet in_place = ts::encode_tcrdist_set(
        held.size(), [&held](std::size_t i) { return ts::TcrRecordView{held[i].cdr3a, held[i].cdr3b, held[i].va, held[i].vb}; },
        chains, &vgenes);
    ASSERT_EQ(in_place.size(), copied.size());
    EXPECT_TRUE(in_place.vloops);
    for (int c = 0; c < 2; ++c) {
      EXPECT_EQ(in_place.cdr3[c].codes, copied.cdr3[c].codes) << c;
      EXPECT_EQ(in_place.cdr3[c].offsets, copied.cdr3[c].offsets) << c;
      EXPECT_EQ(in_place.cdr3[c].lengths, copied.cdr3[c].lengths) << c;
      EXPECT_EQ(in_place.cdr3[c].input_index, copied.cdr3[c].input_index) << c;
      EXPECT_EQ(in_place.cdr3[c].bucket_begin, copied.cdr3[c].bucket_begin) << c;
      EXPECT_EQ(in_place.position[c], copied.position[c]) << c;
      EXPECT_EQ(in_place.gene_loops[c], copied.gene_loops[c]) << c;
      EXPECT_EQ(in_place.gene_of[c], copied.gene_of[c]) << c;
      EXPECT_EQ(in_place.gene_known[c], copied.gene_known[c]) << c;
      EXPECT_EQ(in_place.loop_length[c], copied.loop_length[c]) << c;
    }
    EXPECT_FALSE(in_place.cdr3[1].codes.empty());
    // Unknown and missing genes are kept as unresolved genes, known ones resolved.
    EXPECT_EQ(in_place.genes(1), 5u);
    EXPECT_EQ(std::count(in_place.gene_known[1].begin(), in_place.gene_known[1].end(), 0), 2);
  }
}
