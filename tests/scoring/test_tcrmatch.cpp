#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "common/test_support.hpp"
#include "encode/batch.hpp"
#include "scoring/engine.hpp"
#include "scoring/oracle_io.hpp"
#include "scoring/pepsim.hpp"
#include "scoring/tables.hpp"
#include "scoring/tcrmatch.hpp"

namespace ts = tilmatch::scoring;
using tilmatch::encode::encode_sequence;

namespace {

const ts::K1Table& k1() {
  static const ts::K1Table table = ts::make_k1_table();
  return table;
}

float score(const std::string& a, const std::string& b) {
  const auto x = encode_sequence(a);
  const auto y = encode_sequence(b);
  return ts::peptide_kernel_score(x.data(), static_cast<int>(x.size()), y.data(),
                                  static_cast<int>(y.size()), k1().k);
}

// K3 by the definition: every k = 1..30, every pair of k-mers, product of K1 (double).
double k3_triple_loop(const std::string& a, const std::string& b) {
  const auto x = encode_sequence(a);
  const auto y = encode_sequence(b);
  double total = 0;
  for (std::size_t k = 1; k <= 30; ++k)
    for (std::size_t i = 0; i + k <= x.size(); ++i)
      for (std::size_t j = 0; j + k <= y.size(); ++j) {
        double p = 1;
        for (std::size_t t = 0; t < k; ++t) p *= k1().k[x[i + t] * ts::kK1Alphabet + y[j + t]];
        total += p;
      }
  return total;
}

float k3(const std::string& a, const std::string& b) {
  const auto x = encode_sequence(a);
  const auto y = encode_sequence(b);
  return ts::tcrmatch_k3(x.data(), static_cast<int>(x.size()), y.data(), static_cast<int>(y.size()),
                         k1().k);
}

// K3 one diagonal at a time in float, written out plainly: the order of operations tcrmatch_k3
// promises (CPU and GPU alike), which any faster rewrite of it must keep bit for bit.
float k3_one_diagonal_at_a_time(const std::vector<std::uint8_t>& f, const std::vector<std::uint8_t>& g) {
  const int lf = static_cast<int>(f.size()), lg = static_cast<int>(g.size());
  const float* k = k1().k;
  float total = 0.0f;
  for (int off = -(lf - 1); off <= lg - 1; ++off) {
    const int i0 = off < 0 ? -off : 0, j0 = off < 0 ? 0 : off;
    const int n = std::min(lf - i0, lg - j0);
    float e = 0.0f, diag = 0.0f;
    for (int t = 0; t < n; ++t) {
      e = k[f[i0 + t] * ts::kK1Alphabet + g[j0 + t]] * (1.0f + e);
      if (t >= ts::kTcrmatchMaxK) {
        float p = 1.0f;
        for (int u = t - ts::kTcrmatchMaxK; u <= t; ++u) p = p * k[f[i0 + u] * ts::kK1Alphabet + g[j0 + u]];
        e = e + -p;
      }
      diag = diag + e;
    }
    total = total + diag;
  }
  return total;
}

}  // namespace

TEST(TcrmatchKernel, SameBitsAsThePlainFloatLoop) {
  const unsigned seed = 20261130u;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  for (int trial = 0; trial < 3000; ++trial) {
    // Lengths 0-45: odd and even diagonal counts, unequal diagonal lengths, and the 30-residue cap.
    std::vector<std::uint8_t> f(rng() % 46), g(rng() % 46);
    for (auto& c : f) c = static_cast<std::uint8_t>(rng() % ts::kK1Alphabet);
    for (auto& c : g) c = static_cast<std::uint8_t>(rng() % ts::kK1Alphabet);
    const float got = ts::tcrmatch_k3(f.data(), static_cast<int>(f.size()), g.data(), static_cast<int>(g.size()), k1().k);
    const float want = k3_one_diagonal_at_a_time(f, g);
    ASSERT_EQ(std::memcmp(&got, &want, sizeof got), 0) << f.size() << " x " << g.size() << ": " << got << " vs " << want;
  }
}

TEST(TcrmatchTables, QijEqualsSharedTable) {
  TILMATCH_REQUIRE_SHARED(path, "tcr_oracles/blosum62_target_frequencies.tsv");
  const auto rows = tilmatch::test::parse_table(tilmatch::test::read_text_maybe_gz(path), '\t');
  ASSERT_EQ(rows.size(), 21u);
  int checked = 0;
  for (std::size_t r = 1; r < rows.size(); ++r)
    for (std::size_t c = 1; c < rows[r].size(); ++c) {
      const auto a = tilmatch::encode::residue_code(rows[r][0][0]);
      const auto b = tilmatch::encode::residue_code(rows[0][c][0]);
      ASSERT_LT(a, 20);
      ASSERT_LT(b, 20);
      EXPECT_EQ(ts::kBlosum62Qij[a][b], std::stod(rows[r][c])) << rows[r][0] << rows[0][c];
      ++checked;
    }
  EXPECT_EQ(checked, 400);
}

TEST(TcrmatchKernel, DiagonalRecurrenceEqualsTripleLoop) {
  for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{
           {"A", "A"}, {"ASSSRSSYEQY", "ASSNRSSYEQY"}, {"ASSSRSSYEQY", "ASSRSSYEQY"},
           {"W", "CASSLGQF"}, {"ASXSY", "ASSSY"}}) {
    const double want = k3_triple_loop(a, b);
    EXPECT_NEAR(k3(a, b), want, 1e-6 * want) << a << " " << b;
  }
  // Diagonals longer than 30 exercise the run-length cap.
  const std::string long_a = "ASSLGQGAYEQYFGPGTRLTVTEDLKNVFPPEVAVFEPSEA";
  const std::string long_b = "ASSLGQGAYEQYFGPGTRLTVLEDLKNVFPPEVAVFEPSEAEISH";
  const double want = k3_triple_loop(long_a, long_b);
  EXPECT_NEAR(k3(long_a, long_b), want, 1e-5 * want);
}

TEST(TcrmatchKernel, HandCases) {
  EXPECT_FLOAT_EQ(score("ASSSRSSYEQY", "ASSSRSSYEQY"), 1.0f);
  EXPECT_NEAR(score("ASSSRSSYEQY", "ASSNRSSYEQY"), 0.9733f, 5e-5f);
  EXPECT_NEAR(score("ASSSRSSYEQY", "ASSRSSYEQY"), 0.9758f, 5e-5f);
  EXPECT_EQ(k3("", "ASSY"), 0.0f);
  EXPECT_EQ(score("", "ASSY"), 0.0f);  // empty self-score: defined as 0
  EXPECT_EQ(score("X", "A"), 0.0f);    // unknown residues contribute nothing
  EXPECT_GT(score("A", "A"), 0.99f);
  EXPECT_EQ(ts::tcrmatch_trim("CASSLF"), "ASSL");
  EXPECT_EQ(ts::tcrmatch_trim("CASSLW"), "ASSL");
  EXPECT_EQ(ts::tcrmatch_trim("ASSLF"), "ASSLF");
  EXPECT_EQ(ts::tcrmatch_trim("CASSL"), "CASSL");
  EXPECT_EQ(ts::tcrmatch_trim("C"), "C");
}

TEST(TcrmatchThreshold, MinScoreKeepsExactlyTheScoresAboveTheThreshold) {
  // TCRMatch 1.3 keeps a pair when score > threshold, both float. As an inclusive min_score,
  // tcrmatch_min_score(t) must keep the same scores: none equal to t, every one above it.
  const unsigned seed = 20261201u;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  for (int trial = 0; trial < 100000; ++trial) {
    const float t = trial == 0 ? ts::kTcrmatchDefaultThreshold : unit(rng);
    for (const float x : {t, std::nextafter(t, 0.0f), std::nextafter(t, 2.0f), unit(rng)})
      ASSERT_EQ(x >= ts::tcrmatch_min_score(t), x > t) << x << " vs " << t;
  }
  // Through the engine, on a real pair: a threshold equal to its score drops it, one float less keeps it.
  const std::vector<std::string> q = {"ASSSRSSYEQY"}, r = {"ASSNRSSYEQY"};
  const auto qs = ts::encode_tcrmatch_set(q, k1()), rs = ts::encode_tcrmatch_set(r, k1());
  const float s = score(q[0], r[0]);
  EXPECT_TRUE(ts::tcrmatch_search(qs, rs, ts::tcrmatch_min_score(s), k1()).empty());
  const auto kept = ts::tcrmatch_search(qs, rs, ts::tcrmatch_min_score(std::nextafter(s, 0.0f)), k1());
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].score, s);
}

TEST(Pepsim, Hamming) {
  const auto a = encode_sequence("SIINFEKL");
  const auto b = encode_sequence("SIINFEKV");
  EXPECT_EQ(ts::peptide_hamming(a.data(), b.data(), 8), 1);
  EXPECT_EQ(ts::peptide_hamming(a.data(), a.data(), 8), 0);
  EXPECT_EQ(ts::peptide_hamming(a.data(), b.data(), 0), 0);
  EXPECT_FLOAT_EQ(score("SIINFEKL", "SIINFEKL"), 1.0f);
  EXPECT_LT(score("SIINFEKL", "SIINFEKV"), 1.0f);
}

TEST(TcrmatchOracle, CompairrScoresAndHamming) {
  TILMATCH_REQUIRE_SHARED(path, "tcr_oracles/tcrmatch_compairr_distances_tcrmatch_scores.tsv");
  const auto rows = tilmatch::test::parse_table(tilmatch::test::read_text_maybe_gz(path), '\t');
  ASSERT_EQ(rows.size(), 5001u);
  std::size_t bad = 0, hamming_checked = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    // 37 pairs still carry C...F: TCRMatch applied its plain-input rule to the query (first
    // column) only, while the database side (second column) was scored as given.
    const float got = score(std::string(ts::tcrmatch_trim(r[0])), r[1]);
    const float want = std::stof(r[3]);
    // The oracle is rounded to 4 decimals (5e-5) from TCRMatch's own float32 sum, whose order
    // differs from ours by a few ulps: allow 5e-5 + 1e-6.
    if (std::fabs(got - want) > 5.1e-5f && ++bad <= 10)
      ADD_FAILURE() << r[0] << " " << r[1] << " got " << got << " want " << want;
    if (r[0].size() == r[1].size()) {
      const auto a = encode_sequence(r[0]);
      const auto b = encode_sequence(r[1]);
      EXPECT_EQ(ts::peptide_hamming(a.data(), b.data(), static_cast<int>(a.size())), std::stoi(r[2]))
          << r[0] << " " << r[1];
      ++hamming_checked;
    }
  }
  EXPECT_EQ(bad, 0u);
  EXPECT_GT(hamming_checked, 0u);
}

namespace {

// Runs `queries_file` against CEDAR and compares with TCRMatch 1.3's expected output.
void check_expected(const std::filesystem::path& queries_file, const std::filesystem::path& expected_file,
                    const std::filesystem::path& cedar_file) {
  const auto cedar = tilmatch::test::parse_table(tilmatch::test::read_text_maybe_gz(cedar_file), '\t');
  const int c_seq = tilmatch::test::column(cedar[0], "trimmed_seq");
  const int c_group = tilmatch::test::column(cedar[0], "receptor_group");
  ASSERT_GE(c_seq, 0);
  ASSERT_GE(c_group, 0);
  std::vector<std::string> refs;
  for (std::size_t i = 1; i < cedar.size(); ++i) refs.push_back(cedar[i][c_seq]);
  std::vector<std::string> queries;
  for (const auto& r : tilmatch::test::parse_table(tilmatch::test::read_text_maybe_gz(queries_file), '\t'))
    queries.emplace_back(ts::tcrmatch_trim(r[0]));

  const auto qs = ts::encode_tcrmatch_set(queries, k1());
  const auto rs = ts::encode_tcrmatch_set(refs, k1());
  ts::EngineOptions opts;
  opts.threads = 2;
  const auto hits = ts::tcrmatch_search(qs, rs, ts::tcrmatch_min_score(ts::kTcrmatchDefaultThreshold), k1(), opts);

  using Key = std::tuple<std::string, std::string, std::string>;
  std::multimap<Key, float> got;
  for (const auto& h : hits)
    got.emplace(Key{queries[h.query], refs[h.reference], cedar[h.reference + 1][c_group]}, h.score);
  const auto expected = tilmatch::test::parse_table(tilmatch::test::read_text_maybe_gz(expected_file), '\t');
  std::multimap<Key, float> want;
  for (std::size_t i = 1; i < expected.size(); ++i)
    want.emplace(Key{expected[i][0], expected[i][1], expected[i][3]}, std::stof(expected[i][2]));
  EXPECT_EQ(got.size(), want.size());
  for (const auto& [key, s] : want) {
    auto it = got.find(key);
    if (it == got.end()) {
      ADD_FAILURE() << "missing hit " << std::get<0>(key) << " " << std::get<1>(key) << " " << s;
      continue;
    }
    EXPECT_NEAR(it->second, s, 1e-5f) << std::get<0>(key) << " " << std::get<1>(key);
  }
  for (const auto& [key, s] : got)
    if (want.find(key) == want.end())
      ADD_FAILURE() << "extra hit " << std::get<0>(key) << " " << std::get<1>(key) << " " << s;
}

}  // namespace

TEST(TcrmatchOracle, ReadmeExampleAgainstCedar) {
  TILMATCH_REQUIRE_SHARED(q, "tcr_oracles/tcrmatch_expected/readme_example.txt");
  TILMATCH_REQUIRE_SHARED(e, "tcr_oracles/tcrmatch_expected/readme_example.expected.tsv");
  TILMATCH_REQUIRE_SHARED(db, "tcr_oracles/CEDAR_data.tsv.gz");
  check_expected(q, e, db);
}

TEST(TcrmatchOracle, Cedar200AgainstCedar) {
  TILMATCH_REQUIRE_SHARED(q, "tcr_oracles/tcrmatch_expected/cedar200.txt");
  TILMATCH_REQUIRE_SHARED(e, "tcr_oracles/tcrmatch_expected/cedar200.expected.tsv");
  TILMATCH_REQUIRE_SHARED(db, "tcr_oracles/CEDAR_data.tsv.gz");
  check_expected(q, e, db);
}
