// Pruning in the CPU engine (scoring/prune.hpp) is exact: every pruned search, with the AVX2
// TCRMatch kernel and without, returns the same hits as the unpruned scalar one
// (EngineOptions::prune = false scores every pair), on random inputs with a fixed, printed seed and
// on the oracles in ../shared/data.

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/test_support.hpp"
#include "encode/batch.hpp"
#include "scoring/engine.hpp"
#include "scoring/oracle_io.hpp"
#include "scoring/prune.hpp"
#include "scoring/tcrmatch.hpp"
#include "scoring/vgene_table.hpp"

namespace ts = tilmatch::scoring;
namespace tt = tilmatch::test;

namespace {

const ts::K1Table& k1() {
  static const ts::K1Table table = ts::make_k1_table();
  return table;
}

// Few distinct letters and lengths around a centre, so that hits and near misses are common.
std::string random_cdr3(std::mt19937& rng, int min_len, int max_len, int letters) {
  static const char kLetters[] = "ASGCDEFHIKLMNPQRTVWY";
  std::uniform_int_distribution<int> len(min_len, max_len);
  std::string s(static_cast<std::size_t>(len(rng)), 'A');
  for (char& c : s) c = kLetters[rng() % static_cast<unsigned>(letters)];
  if (!s.empty() && rng() % 20 == 0) s[rng() % s.size()] = 'X';
  return s;
}

// A V-gene table of `genes` alpha and `genes` beta genes with random 4;3;2-residue loops (gaps
// included), in tcrdist3's format.
std::filesystem::path write_vgene_table(const tt::ScratchDir& dir, std::mt19937& rng, int genes) {
  static const char kLoop[] = "ACDEFGHIKLMNPQRSTVWY.";
  std::string text = "id\torganism\tchain\tregion\tcdrs\n";
  auto loop = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += kLoop[rng() % 21];
    return s;
  };
  for (const char chain : {'A', 'B'})
    for (int g = 1; g <= genes; ++g)
      text += std::string("TR") + chain + "V" + std::to_string(g) + "*01\thuman\t" + chain + "\tV\t" + loop(4) + ";" +
              loop(3) + ";" + loop(2) + ";CAS\n";
  const auto path = dir / "v.tsv";
  tt::write_file(path, text);
  return path;
}

std::vector<ts::TcrRecord> random_tcrs(std::mt19937& rng, std::size_t n, int genes) {
  std::vector<ts::TcrRecord> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back({random_cdr3(rng, 6, 16, 4), random_cdr3(rng, 6, 16, 4),
                   "TRAV" + std::to_string(1 + rng() % static_cast<unsigned>(genes)),
                   "TRBV" + std::to_string(1 + rng() % static_cast<unsigned>(genes))});
  return out;
}

template <class Search>
void expect_same_hits_pruned_and_not(const Search& search, const std::string& what, double* scored_share) {
  std::atomic<std::uint64_t> scored{0}, all{0};
  ts::EngineOptions brute;
  brute.prune = false;
  brute.threads = 1;
  brute.scored_pairs = &all;
  const auto want = search(brute);
  for (unsigned threads : {1u, 3u})
    for (std::size_t tile : {0u, 5u, 64u})
      for (const bool simd : {true, false}) {
        if (!simd && tile == 5) continue;
        ts::EngineOptions o;
        o.threads = threads;
        o.tile_queries = tile;
        o.tile_references = tile * 3;
        o.simd = simd;
        if (threads == 1 && tile == 0 && simd) o.scored_pairs = &scored;
        EXPECT_EQ(search(o), want) << what << ", " << threads << " threads, tile " << tile << (simd ? "" : ", scalar");
      }
  ASSERT_GT(all.load(), 0u) << what;
  *scored_share = static_cast<double>(scored.load()) / static_cast<double>(all.load());
  std::printf("%s: %zu hits, %.1f%% of pairs scored\n", what.c_str(), want.size(), 100 * *scored_share);
}

}  // namespace

TEST(TcrdistPrune, GroupBoundNeverExceedsTheDistance) {
  const unsigned seed = 20261202u;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  tt::ScratchDir dir;
  const auto table = ts::VGeneTable::load(write_vgene_table(dir, rng, 6));
  const auto q = ts::encode_tcrdist_set(random_tcrs(rng, 60, 6), ts::Chains::alpha_beta, &table);
  const auto r = ts::encode_tcrdist_set(random_tcrs(rng, 200, 6), ts::Chains::alpha_beta, &table);
  const ts::TcrdistGroups groups = ts::group_tcrdist_references(r);
  ASSERT_EQ(groups.primary, 1);
  ASSERT_EQ(groups.reference.size(), r.size());
  const ts::VLoopTables tables = ts::make_vloop_tables(q, r);
  ts::TcrSetView qv = ts::view_of(q);
  const std::int32_t* const d[2] = {tables.d[0].data(), tables.d[1].data()};
  ts::attach_vloop_tables(qv, d, tables.stride);
  std::size_t checked = 0, tight = 0;
  for (std::size_t qi = 0; qi < q.size(); ++qi) {
    const auto ql = q.cdr3[1].lengths[q.position[1][qi]];
    for (const auto& g : groups.groups) {
      ASSERT_LT(g.begin, g.end);
      const long bound = ts::tcrdist_group_bound(qv, qi, ql, g, {});
      for (std::uint32_t pos = g.begin; pos < g.end; ++pos) {
        const std::uint32_t ri = groups.reference[pos];
        ASSERT_EQ(r.cdr3[1].lengths[r.position[1][ri]], g.length);
        ASSERT_EQ(r.gene_of[0][ri], g.gene[0]);
        ASSERT_EQ(r.gene_of[1][ri], g.gene[1]);
        const int dist = ts::tcrdist_pair(q, qi, r, ri);
        ASSERT_LE(bound, dist) << qi << " x " << ri;
        tight += bound == dist;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, q.size() * r.size());
  EXPECT_GT(tight, 0u);  // equal CDR3s and unequal V genes: the bound is the distance
}

TEST(TcrdistPrune, SameHitsAsUnprunedOnRandomInputs) {
  const unsigned seed = 20261203u;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  tt::ScratchDir dir;
  const auto table = ts::VGeneTable::load(write_vgene_table(dir, rng, 8));
  const auto q = random_tcrs(rng, 90, 8), r = random_tcrs(rng, 400, 8);
  for (const auto chains : {ts::Chains::beta, ts::Chains::alpha, ts::Chains::alpha_beta})
    for (const bool vloops : {false, true}) {
      const auto qs = ts::encode_tcrdist_set(q, chains, vloops ? &table : nullptr);
      const auto rs = ts::encode_tcrdist_set(r, chains, vloops ? &table : nullptr);
      for (const int radius : {0, 12, 24, 48, 96}) {
        double share = 1;
        expect_same_hits_pruned_and_not(
            [&](const ts::EngineOptions& o) { return ts::tcrdist_search(qs, rs, radius, o); },
            "chains " + std::to_string(static_cast<int>(chains)) + (vloops ? " with V loops" : "") + ", radius " +
                std::to_string(radius),
            &share);
        if (vloops && radius == 24) {
          EXPECT_LT(share, 0.5);  // the V-loop bound prunes
        }
      }
    }
  // Other weights: the bound follows them (gap cost 0 turns the length bound off).
  const auto qs = ts::encode_tcrdist_set(q, ts::Chains::alpha_beta, &table);
  const auto rs = ts::encode_tcrdist_set(r, ts::Chains::alpha_beta, &table);
  for (const ts::TcrdistParams p : {ts::TcrdistParams{1, 4, 3, 2}, ts::TcrdistParams{3, 0, 0, 0}}) {
    double share = 1;
    expect_same_hits_pruned_and_not(
        [&](const ts::EngineOptions& o) { return ts::tcrdist_search(qs, rs, 40, o, p); },
        "weight " + std::to_string(p.cdr3_weight) + " gap " + std::to_string(p.gap_penalty), &share);
  }
}

TEST(TcrdistPrune, SameHitsAsUnprunedOnTcrdist3Oracle) {
  TILMATCH_REQUIRE_SHARED(csv, "tcr_oracles/tcrdistgpu_dash_human.csv");
  TILMATCH_REQUIRE_SHARED(matrix, "tcr_oracles/tcrdistgpu_dash_human_tcrdist3_paired_415x415.csv.gz");
  TILMATCH_REQUIRE_SHARED(db, "tcr_oracles/tcrdist3_alphabeta_gammadelta_db.tsv");
  const auto rows = tt::parse_table(tt::read_text_maybe_gz(csv), ',');
  const int va = tt::column(rows[0], "v_a_gene"), a = tt::column(rows[0], "cdr3_a_aa"),
            vb = tt::column(rows[0], "v_b_gene"), b = tt::column(rows[0], "cdr3_b_aa");
  ASSERT_TRUE(va >= 0 && a >= 0 && vb >= 0 && b >= 0);
  std::vector<ts::TcrRecord> tcrs;
  for (std::size_t i = 1; i < rows.size(); ++i) tcrs.push_back({rows[i][a], rows[i][b], rows[i][va], rows[i][vb]});
  ASSERT_EQ(tcrs.size(), 415u);
  const auto table = ts::VGeneTable::load(db);
  const auto set = ts::encode_tcrdist_set(tcrs, ts::Chains::alpha_beta, &table);
  const auto want = tt::parse_table(tt::read_text_maybe_gz(matrix), ',');
  ASSERT_EQ(want.size(), 416u);
  for (const int radius : {60, 120, 200}) {
    double share = 1;
    expect_same_hits_pruned_and_not([&](const ts::EngineOptions& o) { return ts::tcrdist_search(set, set, radius, o); },
                                    "Dash 415 paired, radius " + std::to_string(radius), &share);
    // And the pruned hits are tcrdist3's own pairs within the radius.
    const auto hits = ts::tcrdist_search(set, set, radius);
    std::size_t expected = 0;
    for (std::size_t i = 0; i < 415; ++i)
      for (std::size_t j = 0; j < 415; ++j) expected += std::stoi(want[i + 1][j]) <= radius;
    EXPECT_EQ(hits.size(), expected) << radius;
    for (const auto& h : hits) ASSERT_EQ(h.distance, std::stoi(want[h.query + 1][h.reference])) << radius;
    if (radius <= 120) {
      EXPECT_LT(share, 0.5) << radius;
    }
  }
}

TEST(TcrmatchPrune, K1TableIsPositiveDefinite) {
  // The profile bound rests on K1 being an inner product: Cholesky succeeds only for a positive
  // definite matrix (numpy: smallest eigenvalue of the float table 0.0464).
  double m[20][20];
  for (int i = 0; i < 20; ++i)
    for (int j = 0; j < 20; ++j) {
      m[i][j] = k1().k[i * ts::kK1Alphabet + j];
      ASSERT_EQ(k1().k[i * ts::kK1Alphabet + j], k1().k[j * ts::kK1Alphabet + i]);
    }
  for (int j = 0; j < 20; ++j) {
    double diag = m[j][j];
    for (int k = 0; k < j; ++k) diag -= m[j][k] * m[j][k];
    ASSERT_GT(diag, 0.01) << "column " << j;
    m[j][j] = std::sqrt(diag);
    for (int i = j + 1; i < 20; ++i) {
      double v = m[i][j];
      for (int k = 0; k < j; ++k) v -= m[i][k] * m[j][k];
      m[i][j] = v / m[j][j];
    }
  }
  for (int a = 0; a < ts::kK1Alphabet; ++a) EXPECT_EQ(k1().k[a * ts::kK1Alphabet + 20], 0.0f);
}

TEST(TcrmatchPrune, ScoresStayWithinTheStatedErrorOfDoublePrecision) {
  // tcrmatch_score_error() bounds |float score - exact score|; the same recurrence in double (error
  // ~1e-14) stands in for the exact score.
  const unsigned seed = 20261204u;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  auto k3_double = [](const std::vector<std::uint8_t>& f, const std::vector<std::uint8_t>& g) {
    double total = 0;
    const int lf = static_cast<int>(f.size()), lg = static_cast<int>(g.size());
    for (int i = 0; i < lf; ++i)
      for (int j = 0; j < lg; ++j) {
        double p = 1;
        for (int k = 1; k <= ts::kTcrmatchMaxK && i + k <= lf && j + k <= lg; ++k) {
          p *= k1().k[f[i + k - 1] * ts::kK1Alphabet + g[j + k - 1]];
          total += p;
        }
      }
    return total;
  };
  double worst = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    const auto f = tilmatch::encode::encode_sequence(random_cdr3(rng, 1, 30, trial % 2 ? 3 : 20));
    const auto g = tilmatch::encode::encode_sequence(random_cdr3(rng, 1, 30, trial % 2 ? 3 : 20));
    const int lf = static_cast<int>(f.size()), lg = static_cast<int>(g.size());
    const float got = ts::tcrmatch_pair_score(f.data(), lf, ts::tcrmatch_k3(f.data(), lf, f.data(), lf, k1().k),
                                              g.data(), lg, ts::tcrmatch_k3(g.data(), lg, g.data(), lg, k1().k),
                                              k1().k);
    const double ff = k3_double(f, f), gg = k3_double(g, g);
    const double exact = ff > 0 && gg > 0 ? k3_double(f, g) / std::sqrt(ff * gg) : 0.0;
    worst = std::max(worst, std::fabs(got - exact));
  }
  std::printf("largest |float - double| score difference %.3g, stated bound %.3g\n", worst,
              ts::tcrmatch_score_error());
  EXPECT_LE(worst, ts::tcrmatch_score_error());
  EXPECT_GT(worst, 0.0);
}

TEST(TcrmatchPrune, ProfileBoundIsAboveEveryScore) {
  const unsigned seed = 20261205u;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  double closest = 1;
  for (int trial = 0; trial < 5000; ++trial) {
    const auto f = tilmatch::encode::encode_sequence(random_cdr3(rng, 0, 30, trial % 3 ? 4 : 20));
    const auto g = tilmatch::encode::encode_sequence(random_cdr3(rng, 0, 30, trial % 3 ? 4 : 20));
    const int lf = static_cast<int>(f.size()), lg = static_cast<int>(g.size());
    const float s = ts::tcrmatch_pair_score(f.data(), lf, ts::tcrmatch_k3(f.data(), lf, f.data(), lf, k1().k),
                                            g.data(), lg, ts::tcrmatch_k3(g.data(), lg, g.data(), lg, k1().k), k1().k);
    const auto a = ts::tcrmatch_profile(f.data(), lf, k1()), b = ts::tcrmatch_profile(g.data(), lg, k1());
    double bound = 0, norm = 0;
    for (std::size_t k = 0; k < a.size(); ++k) {
      bound += a[k] * b[k];
      norm += a[k] * a[k];
    }
    if (lf > 0 && f != std::vector<std::uint8_t>(f.size(), tilmatch::encode::kUnknown)) {
      EXPECT_NEAR(norm, 1.0, 1e-12);
    }
    ASSERT_LE(s, bound + ts::tcrmatch_score_error()) << trial;
    closest = std::min(closest, bound - s);
    if (f == g && lf > 0 && norm > 0) {
      EXPECT_NEAR(bound, 1.0, 1e-12);
    }
  }
  std::printf("smallest bound - score %.3g\n", closest);
}

TEST(TcrmatchPrune, SameHitsAsUnprunedOnRandomInputs) {
  const unsigned seed = 20261206u;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  std::vector<std::string> q, r;
  // Lengths 0-34: empty and all-unknown sequences, and sequences past kTcrmatchMaxK (never pruned).
  for (int i = 0; i < 80; ++i) q.push_back(random_cdr3(rng, 0, 34, 3));
  for (int i = 0; i < 300; ++i) r.push_back(random_cdr3(rng, 0, 34, 3));
  q.push_back("XXXX");
  r.push_back("");
  const auto qs = ts::encode_tcrmatch_set(q, k1()), rs = ts::encode_tcrmatch_set(r, k1());
  for (const float t : {0.999f, 0.97f, 0.9f, 0.5f, 0.0f, -1.0f}) {
    double share = 1;
    const float min_score = ts::tcrmatch_min_score(t);
    expect_same_hits_pruned_and_not(
        [&](const ts::EngineOptions& o) { return ts::tcrmatch_search(qs, rs, min_score, k1(), o); },
        "threshold " + std::to_string(t), &share);
    if (t == 0.97f) {
      EXPECT_LT(share, 0.8);
    }
  }
}

TEST(TcrmatchPrune, SameHitsAsUnprunedOnTcrmatchOracle) {
  TILMATCH_REQUIRE_SHARED(queries_file, "tcr_oracles/tcrmatch_expected/cedar200.txt");
  TILMATCH_REQUIRE_SHARED(cedar_file, "tcr_oracles/CEDAR_data.tsv.gz");
  const auto cedar = tt::parse_table(tt::read_text_maybe_gz(cedar_file), '\t');
  const int c_seq = tt::column(cedar[0], "trimmed_seq");
  ASSERT_GE(c_seq, 0);
  std::vector<std::string> refs, queries;
  for (std::size_t i = 1; i < cedar.size(); ++i) refs.push_back(cedar[i][static_cast<std::size_t>(c_seq)]);
  for (const auto& row : tt::parse_table(tt::read_text_maybe_gz(queries_file), '\t'))
    queries.emplace_back(ts::tcrmatch_trim(row[0]));
  // Every 4th CEDAR row keeps the unpruned search short; the oracle's own queries are kept whole.
  std::vector<std::string> some;
  for (std::size_t i = 0; i < refs.size(); i += 4) some.push_back(refs[i]);
  const auto qs = ts::encode_tcrmatch_set(queries, k1()), rs = ts::encode_tcrmatch_set(some, k1());
  for (const float t : {0.97f, 0.84f}) {
    double share = 1;
    expect_same_hits_pruned_and_not(
        [&](const ts::EngineOptions& o) { return ts::tcrmatch_search(qs, rs, ts::tcrmatch_min_score(t), k1(), o); },
        "cedar200 x CEDAR/4, threshold " + std::to_string(t), &share);
    EXPECT_LT(share, 1.0);
  }
}
