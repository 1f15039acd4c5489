#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <sys/wait.h>
#include <tuple>

#include "cli/command.hpp"
#include "common/test_support.hpp"
#include "tilmatch/log.hpp"
#include "scoring/oracle_io.hpp"
#include "encode/batch.hpp"
#include "scoring/tcrmatch.hpp"

namespace tt = tilmatch::test;
using tilmatch::cli::kExitDevice;
using tilmatch::cli::kExitInput;
using tt::run_tilmatch;

namespace {

std::string q(const std::filesystem::path& p) { return tt::shell_quote(p); }

tt::CommandResult run_with_stdin(const std::string& args, const std::filesystem::path& stdin_file) {
  return run_tilmatch(args, stdin_file);
}

std::string join_fields(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "\t" : "") + fields[i];
  return out;
}

const char kHeader[] = "query_id\treference_id\tquery_cdr3b\treference_cdr3b\tscore";

}  // namespace

TEST(CliSearch, TcrdistPairedAllPairsReproducesTcrdist3Oracle) {
  TILMATCH_REQUIRE_SHARED(csv, "tcr_oracles/tcrdistgpu_dash_human.csv");
  TILMATCH_REQUIRE_SHARED(matrix, "tcr_oracles/tcrdistgpu_dash_human_tcrdist3_paired_415x415.csv.gz");
  TILMATCH_REQUIRE_SHARED(db, "tcr_oracles/tcrdist3_alphabeta_gammadelta_db.tsv");
  tt::ScratchDir dir;
  const auto out = dir / "hits.tsv";
  const auto r = run_tilmatch("search --metric tcrdist --chains alpha_beta --v-gene-table " + q(db) + " --query " +
                              q(csv) + " --reference " + q(csv) + " --all-pairs --backend cpu --threads 2 --out " +
                              q(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  const auto hits = tt::parse_tsv(tt::read_file(out));
  const auto want = tt::parse_table(tt::read_text_maybe_gz(matrix), ',');
  ASSERT_EQ(want.size(), 416u);
  ASSERT_EQ(hits.size(), 1u + 415u * 415u);
  EXPECT_EQ(join_fields(hits[0]), kHeader);
  // The csv has clone_id, which search uses as the id: map it back to the row.
  const auto csv_rows = tt::parse_table(tt::read_file(csv), ',');
  const int c_id = tt::column(csv_rows[0], "clone_id");
  ASSERT_GE(c_id, 0);
  std::map<std::string, int> row_of;
  for (std::size_t k = 1; k < csv_rows.size(); ++k) row_of[csv_rows[k][static_cast<std::size_t>(c_id)]] = static_cast<int>(k) - 1;
  ASSERT_EQ(row_of.size(), 415u);
  std::size_t mismatches = 0;
  std::vector<int> seen(415 * 415, 0);
  for (std::size_t k = 1; k < hits.size(); ++k) {
    ASSERT_TRUE(row_of.count(hits[k][0]) && row_of.count(hits[k][1])) << hits[k][0] << " " << hits[k][1];
    const int i = row_of[hits[k][0]], j = row_of[hits[k][1]];
    ASSERT_TRUE(i >= 0 && i < 415 && j >= 0 && j < 415) << hits[k][0] << " " << hits[k][1];
    ++seen[static_cast<std::size_t>(i) * 415 + static_cast<std::size_t>(j)];
    if (std::stoi(hits[k][4]) != std::stoi(want[static_cast<std::size_t>(i) + 1][static_cast<std::size_t>(j)]) &&
        ++mismatches <= 10)
      ADD_FAILURE() << "pair " << i << "," << j << ": got " << hits[k][4] << " want " << want[i + 1][j];
  }
  EXPECT_EQ(mismatches, 0u);
  for (int s : seen) ASSERT_EQ(s, 1);
}

namespace {

void check_tcrmatch_expected(const std::string& name) {
  TILMATCH_REQUIRE_SHARED(queries, "tcr_oracles/tcrmatch_expected/" + name + ".txt");
  TILMATCH_REQUIRE_SHARED(expected, "tcr_oracles/tcrmatch_expected/" + name + ".expected.tsv");
  TILMATCH_REQUIRE_SHARED(cedar, "tcr_oracles/CEDAR_data.tsv.gz");
  tt::ScratchDir dir;
  const auto out = dir / "hits.tsv";
  const auto r = run_tilmatch("search --metric tcrmatch --query " + q(queries) + " --reference " + q(cedar) +
                              " --out " + q(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto hits = tt::parse_tsv(tt::read_file(out));
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(join_fields(hits[0]),
            std::string(kHeader) + "\tepitope\tmhc\tantigen_gene\tantigen_species\tsource");
  // TCRMatch's row: trimmed query, trimmed match, score, receptor group, epitope, antigen, organism.
  // tilmatch's reference ids are iedb:<group>:<line>; its antigen_gene and antigen_species are
  // CEDAR's source_antigens and source_organisms.
  using Row = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>;
  std::multimap<Row, std::string> got;
  for (std::size_t k = 1; k < hits.size(); ++k) {
    const std::string& id = hits[k][1];
    const auto a = id.find(':'), b = id.rfind(':');
    ASSERT_TRUE(a != std::string::npos && b > a) << id;
    got.emplace(Row{std::string(tilmatch::scoring::tcrmatch_trim(hits[k][2])),
                    std::string(tilmatch::scoring::tcrmatch_trim(hits[k][3])), id.substr(a + 1, b - a - 1), hits[k][5],
                    hits[k][7], hits[k][8]},
                hits[k][4]);
  }
  const auto want_rows = tt::parse_table(tt::read_text_maybe_gz(expected), '\t');
  std::multimap<Row, std::string> want;
  for (std::size_t k = 1; k < want_rows.size(); ++k) {
    const auto& w = want_rows[k];
    // TCRMatch leaves an unknown antigen or organism empty; tilmatch writes NA (docs/formats.md).
    auto na = [&w](std::size_t i) { return i < w.size() && !w[i].empty() ? w[i] : std::string("NA"); };
    want.emplace(Row{w[0], w[1], w[3], na(4), na(5), na(6)}, w[2]);
  }
  ASSERT_GT(want.size(), 0u);
  // The same hits, row for row; each score printed with 6 decimals as TCRMatch prints it, the last
  // digit differing by at most one where the two float sums round apart (docs/search.md).
  EXPECT_EQ(got.size(), want.size());
  std::size_t last_digit = 0;
  for (const auto& [row, score] : want) {
    const auto it = got.find(row);
    if (it == got.end()) {
      ADD_FAILURE() << "missing " << std::get<0>(row) << " " << std::get<1>(row) << " group " << std::get<2>(row);
      continue;
    }
    if (it->second != score) {
      ++last_digit;
      EXPECT_NEAR(std::stod(it->second), std::stod(score), 1.01e-6) << std::get<0>(row) << " " << std::get<1>(row);
    }
  }
  for (const auto& [row, score] : got)
    if (want.find(row) == want.end())
      ADD_FAILURE() << "extra " << std::get<0>(row) << " " << std::get<1>(row) << " group " << std::get<2>(row);
  std::printf("%s: %zu hits, %zu scores differ in the 6th decimal\n", name.c_str(), want.size(), last_digit);
  EXPECT_LE(last_digit, want.size() / 10);
}

}  // namespace

TEST(CliSearch, TcrmatchReadmeExampleAgainstCedar) { check_tcrmatch_expected("readme_example"); }
TEST(CliSearch, TcrmatchCedar200AgainstCedar) { check_tcrmatch_expected("cedar200"); }

TEST(CliSearch, SameBytesWithOneAndTwoThreadsAndOnStdout) {
  TILMATCH_REQUIRE_SHARED(queries, "tcr_oracles/tcrmatch_expected/cedar200.txt");
  TILMATCH_REQUIRE_SHARED(cedar, "tcr_oracles/CEDAR_data.tsv.gz");
  TILMATCH_REQUIRE_SHARED(csv, "tcr_oracles/tcrdistgpu_dash_human.csv");
  tt::ScratchDir dir;
  for (const std::string& metric : {"tcrmatch --min-score 0.9 --reference " + q(cedar) + " --query " + q(queries),
                                   "tcrdist --max-distance 60 --reference " + q(csv) + " --query " + q(csv)}) {
    const auto one = run_tilmatch("search --metric " + metric + " --threads 1 --out " + q(dir / "1.tsv"));
    const auto two = run_tilmatch("search --metric " + metric + " --threads 2 --out " + q(dir / "2.tsv"));
    const auto std_out = run_tilmatch("search --metric " + metric + " --threads 2 --out -");
    ASSERT_EQ(one.exit_code, 0) << one.err;
    ASSERT_EQ(two.exit_code, 0) << two.err;
    ASSERT_EQ(std_out.exit_code, 0) << std_out.err;
    const std::string a = tt::read_file(dir / "1.tsv");
    EXPECT_GT(tt::parse_tsv(a).size(), 100u) << metric;
    EXPECT_EQ(a, tt::read_file(dir / "2.tsv")) << metric;
    EXPECT_EQ(a, std_out.out) << metric;
  }
}

TEST(CliSearch, QueryFromStdinTopKAndThresholds) {
  tt::ScratchDir dir;
  tt::write_file(dir / "q.txt", "CASSLGQGAYEQYF\nCASSLGQGYEQYF\n");
  tt::write_file(dir / "ref.txt", "CASSLGQGAYEQYF\nCASSLGQGAYEQF\nCASRTGTVYEQYF\nCASSLGQGYEQYF\n");
  const auto r = run_with_stdin("search --metric tcrdist --query - --reference " + q(dir / "ref.txt") +
                                    " --max-distance 12 --out -",
                                dir / "q.txt");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = tt::parse_tsv(r.out);
  ASSERT_GE(rows.size(), 3u);
  EXPECT_EQ(join_fields(rows[0]), kHeader);  // a repertoire reference has no annotation columns
  EXPECT_EQ(join_fields(rows[1]), "1\t1\tCASSLGQGAYEQYF\tCASSLGQGAYEQYF\t0");
  for (std::size_t k = 1; k < rows.size(); ++k) EXPECT_LE(std::stoi(rows[k][4]), 12);

  const auto top = run_tilmatch("search --metric tcrdist --query " + q(dir / "q.txt") + " --reference " +
                                q(dir / "ref.txt") + " --max-distance 100 --top-k 1 --out -");
  ASSERT_EQ(top.exit_code, 0) << top.err;
  const auto top_rows = tt::parse_tsv(top.out);
  ASSERT_EQ(top_rows.size(), 3u);
  EXPECT_EQ(top_rows[1][1], "1");
  EXPECT_EQ(top_rows[2][1], "4");
  EXPECT_EQ(top_rows[2][4], "0");
}

TEST(CliSearch, QueryIdIsTheRowsOwnIdWhenTheFormatHasOne) {
  tt::ScratchDir dir;
  tt::write_file(dir / "q.tsv",
                 "sequence_id\tjunction_aa\tv_call\tj_call\tproductive\n"
                 "seqA\tCASSLGQGAYEQYF\tTRBV5-1*01\tTRBJ2-7*01\tT\n"
                 "\tCASSLGQGYEQYF\tTRBV5-1*01\tTRBJ2-7*01\tT\n");
  tt::write_file(dir / "ref.txt", "CASSLGQGAYEQYF\n");
  const auto r = run_tilmatch("search --metric tcrdist --query " + q(dir / "q.tsv") + " --reference " +
                              q(dir / "ref.txt") + " --max-distance 100 --out -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = tt::parse_tsv(r.out);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][0], "seqA");
  EXPECT_EQ(rows[2][0], "3");  // no sequence_id on that row: its line in the file
  EXPECT_EQ(rows[1][1], "1");
}

TEST(CliSearch, QueryIdIsTheLineWhenRowsBeforeItAreSkipped) {
  tt::ScratchDir dir;
  // Lines 2 and 4 are no CDR3 and are skipped; the ids after them stay the lines, as TCRMatch's users
  // and `grep -n` count them (not the number of rows kept).
  tt::write_file(dir / "q.txt", "CASSLGQGAYEQYF\nCASS_LGQ\nCASSIRSSYEQYF\n12345\nCASRTGTVYEQYF\n");
  const auto r = run_tilmatch("search --metric tcrdist --query " + q(dir / "q.txt") + " --reference " +
                              q(dir / "q.txt") + " --max-distance 0 --out -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = tt::parse_tsv(r.out);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(join_fields(rows[1]), "1\t1\tCASSLGQGAYEQYF\tCASSLGQGAYEQYF\t0");
  EXPECT_EQ(join_fields(rows[2]), "3\t3\tCASSIRSSYEQYF\tCASSIRSSYEQYF\t0");
  EXPECT_EQ(join_fields(rows[3]), "5\t5\tCASRTGTVYEQYF\tCASRTGTVYEQYF\t0");
}

namespace {

// The float32 score tilmatch (and TCRMatch) computes for two full CDR3s.
float tcrmatch_score(const std::string& a, const std::string& b) {
  namespace ts = tilmatch::scoring;
  static const ts::K1Table k1 = ts::make_k1_table();
  const auto x = tilmatch::encode::encode_sequence(ts::tcrmatch_trim(a));
  const auto y = tilmatch::encode::encode_sequence(ts::tcrmatch_trim(b));
  const int lx = static_cast<int>(x.size()), ly = static_cast<int>(y.size());
  return ts::tcrmatch_pair_score(x.data(), lx, ts::tcrmatch_k3(x.data(), lx, x.data(), lx, k1.k), y.data(), ly,
                                 ts::tcrmatch_k3(y.data(), ly, y.data(), ly, k1.k), k1.k);
}

std::string shortest_float_text(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));  // 9 digits round-trip any float
  return buf;
}

}  // namespace

TEST(CliSearch, TcrmatchKeepsScoresStrictlyAboveTheThresholdReadAsFloat) {
  tt::ScratchDir dir;
  tt::write_file(dir / "q.txt", "CASSSRSSYEQYF\n");
  tt::write_file(dir / "ref.txt", "CASSNRSSYEQYF\n");
  const float s = tcrmatch_score("CASSSRSSYEQYF", "CASSNRSSYEQYF");
  ASSERT_NEAR(s, 0.9733f, 5e-5f);  // the README's example pair
  auto hits_at = [&](const std::string& threshold) {
    const auto r = run_tilmatch("search --metric tcrmatch --query " + q(dir / "q.txt") + " --reference " +
                                q(dir / "ref.txt") + " --min-score " + threshold + " --out -");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return tt::parse_tsv(r.out).size() - 1;
  };
  // TCRMatch 1.3: threshold = std::stof(-s); a hit is score > threshold. A score equal to the
  // threshold is no hit; one float below it, it is.
  EXPECT_EQ(hits_at(shortest_float_text(s)), 0u);
  EXPECT_EQ(hits_at(shortest_float_text(std::nextafter(s, 0.0f))), 1u);
  EXPECT_EQ(hits_at("0.97"), 1u);
  EXPECT_EQ(hits_at("0.98"), 0u);
}

TEST(CliSearch, TcrmatchThresholdMustBeANumberFromZeroToOne) {
  tt::ScratchDir dir;
  tt::write_file(dir / "q.txt", "CASSSRSSYEQYF\n");
  for (const std::string bad : {"0.9x", "1.5", "-0.1", "nan", "' 0.9'", "''"}) {
    const auto r = run_tilmatch("search --metric tcrmatch --query " + q(dir / "q.txt") + " --reference " +
                                q(dir / "q.txt") + " --min-score " + bad + " --out -");
    EXPECT_EQ(r.exit_code, kExitInput) << bad;
    EXPECT_NE(r.err.find("--min-score"), std::string::npos) << bad << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << bad;
  }
}

TEST(CliSearch, IedbRowsWithNonPeptideEpitopesAreSearched) {
  TILMATCH_REQUIRE_SHARED(cedar, "tcr_oracles/CEDAR_data.tsv.gz");
  tt::ScratchDir dir;
  // CEDAR group 8499 lists an MR1 ligand only; 181181 a modified peptide beside three peptides.
  tt::write_file(dir / "q.txt", "CASSPSGYQETQYF\nCASSPGGNEQLF\n");
  const auto r = run_tilmatch("search --metric tcrmatch --query " + q(dir / "q.txt") + " --reference " + q(cedar) +
                              " --min-score 0.999 --out -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::string> epitope_of_group;
  for (const auto& row : tt::parse_tsv(r.out)) {
    if (row[1].rfind("iedb:", 0) != 0) continue;
    epitope_of_group[row[1].substr(5, row[1].rfind(':') - 5)] = row[5];
  }
  EXPECT_EQ(epitope_of_group["8499"], "5-(2-oxopropylideneamino)-6-D-ribitylaminouracil");
  EXPECT_EQ(epitope_of_group["181181"], "IMDQVPFSV,ITDQVPFSV,ILDQVPFSV,ILDQVPFSV + NLeu(L2)");
}

TEST(CliSearch, BadInputsExitTwoNamingTheFile) {
  tt::ScratchDir dir;
  tt::write_file(dir / "q.txt", "CASSLGQGAYEQYF\n");
  const std::string qq = " --query " + q(dir / "q.txt");
  auto r = run_tilmatch("search --metric tcrdist" + qq + " --reference " + q(dir / "missing.tsv") + " --out -");
  EXPECT_EQ(r.exit_code, kExitInput) << r.err;
  EXPECT_NE(r.err.find("missing.tsv"), std::string::npos) << r.err;
  r = run_tilmatch("search --metric tcrdist" + qq + " --reference " + q(dir / "q.txt") + " --chains gamma --out -");
  EXPECT_EQ(r.exit_code, kExitInput);
  EXPECT_NE(r.err.find("--chains"), std::string::npos) << r.err;
  r = run_tilmatch("search --metric tcrmatch" + qq + " --reference " + q(dir / "q.txt") + " --max-distance 3 --out -");
  EXPECT_EQ(r.exit_code, kExitInput);
  r = run_tilmatch("search --metric tcrdist" + qq + " --reference " + q(dir / "q.txt") + " --memory lots --out -");
  EXPECT_EQ(r.exit_code, kExitInput);
  EXPECT_NE(r.err.find("--memory"), std::string::npos) << r.err;
  // A query that is no repertoire: file and line.
  tt::write_file(dir / "junk.txt", "CASS1F\n");
  r = run_tilmatch("search --metric tcrdist --query " + q(dir / "junk.txt") + " --reference " + q(dir / "q.txt") +
                   " --out -");
  EXPECT_EQ(r.exit_code, kExitInput);
  EXPECT_NE(r.err.find("junk.txt, line 1"), std::string::npos) << r.err;
  r = run_tilmatch("search --metric hamming" + qq + " --reference " + q(dir / "q.txt") + " --out -");
  EXPECT_EQ(r.exit_code, kExitInput);
}

TEST(CliSearch, VGenesByDefaultWithFallbacksCountedAndNoVGenesOption) {
  tt::ScratchDir dir;
  // TRBV7-9*01 vs TRBV7-8*01 differ in CDR1 (SEH...NR vs SGH...VS), CDR2 (FQN/FQN) and CDR2.5.
  tt::write_file(dir / "ref.tsv", "cdr3_b_aa\tv_b_gene\nCASSLGQGAYEQYF\tTRBV7-9*01\n");
  tt::write_file(dir / "q.tsv",
                 "cdr3_b_aa\tv_b_gene\n"
                 "CASSLGQGAYEQYF\tTRBV7-9\n"          // no allele: *01
                 "CASSLGQGAYEQYF\tTRBV7-9*99\n"       // allele the table lacks: *01
                 "CASSLGQGAYEQYF\tTRBV_NOPE\n"        // unknown: CDR3 alone
                 "CASSLGQGAYEQYF\t\n"                 // none given: CDR3 alone
                 "CASSLGQGAYEQYF\tTRBV7-8*01\n");
  auto r = run_tilmatch("search --metric tcrdist --query " + q(dir / "q.tsv") + " --reference " + q(dir / "ref.tsv") +
                        " --max-distance 200 --backend cpu --out -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = tt::parse_tsv(r.out);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[1][4], "0");
  EXPECT_EQ(rows[2][4], "0");
  EXPECT_EQ(rows[3][4], "0");
  EXPECT_EQ(rows[4][4], "0");
  const int v_distance = std::stoi(rows[5][4]);
  EXPECT_GT(v_distance, 0);  // same CDR3, other V gene: the loops count
  EXPECT_NE(r.err.find("1 exact"), std::string::npos) << r.err;  // the reference
  EXPECT_NE(r.err.find("1 exact, 1 without allele (*01), 1 allele not in the table (*01), 1 unknown (TRBV_NOPE), "
                       "1 without V gene"),
            std::string::npos)
      << r.err;
  // --no-v-genes: CDR3 only, every distance 0, and no V-gene note.
  r = run_tilmatch("search --metric tcrdist --query " + q(dir / "q.tsv") + " --reference " + q(dir / "ref.tsv") +
                   " --max-distance 200 --backend cpu --no-v-genes --out -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rows = tt::parse_tsv(r.out);
  ASSERT_EQ(rows.size(), 6u);
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i][4], "0");
  EXPECT_EQ(r.err.find("TRBV_NOPE"), std::string::npos) << r.err;
  // A reference without V genes: CDR3 only.
  tt::write_file(dir / "plain.txt", "CASSLGQGAYEQYF\n");
  r = run_tilmatch("search --metric tcrdist --query " + q(dir / "q.tsv") + " --reference " + q(dir / "plain.txt") +
                   " --max-distance 200 --backend cpu --out -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rows = tt::parse_tsv(r.out);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[5][4], "0");
  // --no-v-genes and --v-gene-table contradict each other.
  r = run_tilmatch("search --metric tcrdist --query " + q(dir / "q.tsv") + " --reference " + q(dir / "ref.tsv") +
                   " --no-v-genes --v-gene-table " + q(dir / "ref.tsv") + " --out -");
  EXPECT_EQ(r.exit_code, kExitInput);
  // neighbors: V loops by default too.
  r = run_tilmatch("neighbors --input " + q(dir / "q.tsv") + " --max-distance 0 --backend cpu --out -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rows = tt::parse_tsv(r.out);
  // Rows 1-4 are all within 0 of each other (same V loops or V unknown); row 5 only of rows 3 and 4.
  EXPECT_EQ(rows.size(), 1u + 6u + 2u);
  r = run_tilmatch("neighbors --input " + q(dir / "q.tsv") + " --max-distance 0 --backend cpu --no-v-genes --out -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(tt::parse_tsv(r.out).size(), 1u + 10u);
}

TEST(CliSearch, AllPairsRefusedAboveTenMillion) {
  tt::ScratchDir dir;
  std::string many;
  for (int i = 0; i < 3200; ++i) many += "CASSLGQGAYEQYF\n";
  tt::write_file(dir / "q.txt", many);
  const auto r = run_tilmatch("search --metric tcrdist --query " + q(dir / "q.txt") + " --reference " +
                              q(dir / "q.txt") + " --all-pairs --out " + q(dir / "hits.tsv"));
  EXPECT_EQ(r.exit_code, kExitInput);
  EXPECT_NE(r.err.find("10^7"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "hits.tsv"));
}

TEST(CliSearch, CudaBackendWithoutDeviceExitsThree) {
  tt::ScratchDir dir;
  tt::write_file(dir / "q.txt", "CASSLGQGAYEQYF\n");
  const auto probe = run_tilmatch("search --metric tcrdist --query " + q(dir / "q.txt") + " --reference " +
                                  q(dir / "q.txt") + " --backend auto -v --out -");
  ASSERT_EQ(probe.exit_code, 0) << probe.err;
  if (probe.err.find("cuda:") != std::string::npos) GTEST_SKIP() << "a CUDA device is present";
  const auto r = run_tilmatch("search --metric tcrdist --query " + q(dir / "q.txt") + " --reference " +
                              q(dir / "q.txt") + " --backend cuda --out " + q(dir / "hits.tsv"));
  EXPECT_EQ(r.exit_code, kExitDevice);
  EXPECT_NE(r.err.find("tilmatch search: backend 'cuda'"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "hits.tsv"));
}

TEST(CliNeighbors, PairsOnceWithinThreshold) {
  tt::ScratchDir dir;
  tt::write_file(dir / "rep.txt", "CASSLGQGAYEQYF\nCASSLGQGAYEQF\nCASRTGTVYEQYF\nCASSLGQGAYEQYF\n");
  const auto r = run_tilmatch("neighbors --input " + q(dir / "rep.txt") + " --max-distance 24 --out -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = tt::parse_tsv(r.out);
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(join_fields(rows[0]), "i\tj\tcdr3b_i\tcdr3b_j\tdistance\tid_i\tid_j");
  EXPECT_EQ(join_fields(rows[1]), "1\t4\tCASSLGQGAYEQYF\tCASSLGQGAYEQYF\t0\t1\t4");
  for (std::size_t k = 1; k < rows.size(); ++k) {
    EXPECT_LT(std::stoi(rows[k][0]), std::stoi(rows[k][1]));
    EXPECT_LE(std::stoi(rows[k][4]), 24);
  }
  // Same pairs as search of the repertoire against itself, upper triangle, self-pairs dropped.
  const auto s = run_tilmatch("search --metric tcrdist --query " + q(dir / "rep.txt") + " --reference " +
                              q(dir / "rep.txt") + " --max-distance 24 --out -");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  std::size_t upper = 0;
  for (const auto& row : tt::parse_tsv(s.out))
    if (row[0] != "query_id" && std::stoi(row[0]) < std::stoi(row[1])) ++upper;
  EXPECT_EQ(upper, rows.size() - 1);
}

TEST(CliNeighbors, PairedOracleRows) {
  TILMATCH_REQUIRE_SHARED(csv, "tcr_oracles/tcrdistgpu_dash_human.csv");
  TILMATCH_REQUIRE_SHARED(matrix, "tcr_oracles/tcrdistgpu_dash_human_tcrdist3_paired_415x415.csv.gz");
  TILMATCH_REQUIRE_SHARED(db, "tcr_oracles/tcrdist3_alphabeta_gammadelta_db.tsv");
  const auto r = run_tilmatch("neighbors --input " + q(csv) + " --chains alpha_beta --v-gene-table " + q(db) +
                              " --max-distance 120 --out -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto want = tt::parse_table(tt::read_text_maybe_gz(matrix), ',');
  std::size_t expected = 0;
  for (std::size_t i = 0; i < 415; ++i)
    for (std::size_t j = i + 1; j < 415; ++j) expected += std::stoi(want[i + 1][j]) <= 120;
  const auto rows = tt::parse_tsv(r.out);
  ASSERT_EQ(rows.size(), expected + 1);
  ASSERT_GT(expected, 100u);
  for (std::size_t k = 1; k < rows.size(); ++k)
    EXPECT_EQ(rows[k][4], want[std::stoul(rows[k][0])][std::stoul(rows[k][1]) - 1]);
}

TEST(CliSearch, MemoryBudgetBlocksQueriesWithoutChangingOutput) {
  // The bundled example: one culture against the example reference DB, with a radius wide enough to
  // give many hits per query. 1M forces blocks of ~27 queries (252 references); the bytes must not change.
  const auto example = tt::source_dir() / "data/example";
  tt::ScratchDir dir;
  const std::string common = "search --query " + q(example / "fragments/F03.airr.tsv") + " --reference " +
                             q(example / "reference.tsv") + " --metric tcrdist --max-distance 60 --threads 1 ";
  auto big = run_tilmatch(common + "--out " + q(dir / "big.tsv"));
  ASSERT_EQ(big.exit_code, 0) << big.err;
  auto small = run_tilmatch(common + "--memory 1M --out " + q(dir / "small.tsv"));
  ASSERT_EQ(small.exit_code, 0) << small.err;
  const std::string want = tt::read_file(dir / "big.tsv");
  EXPECT_GT(tt::parse_tsv(want).size(), 1000u);
  EXPECT_EQ(tt::read_file(dir / "small.tsv"), want);
  auto tm_big = run_tilmatch("search --query " + q(example / "fragments/F07.airr.tsv") + " --reference " +
                             q(example / "reference.tsv") + " --metric tcrmatch --min-score 0.8 --out " + q(dir / "tb.tsv"));
  auto tm_small = run_tilmatch("search --query " + q(example / "fragments/F07.airr.tsv") + " --reference " +
                               q(example / "reference.tsv") + " --metric tcrmatch --min-score 0.8 --memory 1M --out " +
                               q(dir / "ts.tsv"));
  ASSERT_EQ(tm_big.exit_code, 0) << tm_big.err;
  ASSERT_EQ(tm_small.exit_code, 0) << tm_small.err;
  EXPECT_EQ(tt::read_file(dir / "ts.tsv"), tt::read_file(dir / "tb.tsv"));
}

TEST(CliSearch, QueryStreamedInBlocksAndAnErrorLateInTheFileLeavesNothing) {
  // F03 (1,500 rows) is read and scored in blocks of ~27 queries under --memory 1M. A bad count in
  // its last row is met only after earlier blocks' hits were written: the output file must not
  // appear, and on stdout (where a query file is checked whole first) nothing must be written.
  const auto example = tt::source_dir() / "data/example";
  tt::ScratchDir dir;
  std::string culture = tt::read_file(example / "fragments/F03.airr.tsv");
  const std::size_t rows = tt::parse_tsv(culture).size() - 1;
  ASSERT_GT(rows, 1000u);
  tt::write_file(dir / "late.tsv", culture + "F03.bad\tTRB\tT\tTRBV7-9*01\tTRBJ1-2*01\tCASSETHYGYTF\t-4\n");
  const std::string line = std::to_string(rows + 2);  // header + rows + the bad one
  const std::string common = "search --reference " + q(example / "reference.tsv") +
                             " --metric tcrdist --max-distance 60 --memory 1M --query " + q(dir / "late.tsv");
  auto r = run_tilmatch(common + " --out " + q(dir / "hits.tsv"));
  EXPECT_EQ(r.exit_code, kExitInput) << r.err;
  EXPECT_NE(r.err.find("late.tsv, line " + line), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("-4"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "hits.tsv"));
  r = run_tilmatch(common + " --out -");
  EXPECT_EQ(r.exit_code, kExitInput) << r.err;
  EXPECT_NE(r.err.find("late.tsv, line " + line), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out.substr(0, 200);
  // The progress/summary line counts every query of the good file.
  tt::write_file(dir / "good.tsv", culture);
  r = run_tilmatch("search --reference " + q(example / "reference.tsv") + " --metric tcrdist --max-distance 60 "
                   "--memory 1M -v --query " + q(dir / "good.tsv") + " --out " + q(dir / "hits.tsv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("] done: " + tilmatch::log::format_count(static_cast<long long>(rows)) + " queries, "),
            std::string::npos)
      << r.err;
}

TEST(CliSearch, RunsGrowWhileHitsAreFewAndSplitWhenTheyPassTheBudget) {
  // 2,000 queries with no reference near them (40 residues: lengths too far apart), then 200 that hit
  // all 300 references at distance 0 (60,000 hits; the CPU engine keeps at most 43,690 of 12 bytes in
  // half of 1M). Runs double over the first 2,000, so a run holding the last 200 passes the budget and
  // must be scored again in smaller runs; the bytes equal one unblocked search's.
  tt::ScratchDir dir;
  std::string queries, refs;
  for (int i = 0; i < 2000; ++i) queries += "CAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAF\n";
  for (int i = 0; i < 200; ++i) queries += "CASSLGQGAYEQYF\n";
  for (int i = 0; i < 300; ++i) refs += "CASSLGQGAYEQYF\n";
  tt::write_file(dir / "q.txt", queries);
  tt::write_file(dir / "r.txt", refs);
  const std::string common = "search --metric tcrdist --max-distance 60 --threads 2 --query " + q(dir / "q.txt") +
                             " --reference " + q(dir / "r.txt");
  const auto small = run_tilmatch(common + " --memory 1M -vv --out " + q(dir / "small.tsv"));
  ASSERT_EQ(small.exit_code, 0) << small.err;
  EXPECT_NE(small.err.find("pass the budget; scoring them"), std::string::npos) << small.err;
  const auto big = run_tilmatch(common + " --memory 1G --out " + q(dir / "big.tsv"));
  ASSERT_EQ(big.exit_code, 0) << big.err;
  const std::string want = tt::read_file(dir / "big.tsv");
  EXPECT_EQ(tt::parse_tsv(want).size(), 1u + 200 * 300);
  EXPECT_EQ(tt::read_file(dir / "small.tsv"), want);
  // One query whose hits alone pass the budget is an error naming the budget, and leaves no file.
  std::string many;
  for (int i = 0; i < 50000; ++i) many += "CASSLGQGAYEQYF\n";
  tt::write_file(dir / "many.txt", many);
  const auto over = run_tilmatch("search --metric tcrdist --max-distance 0 --memory 1M --query " + q(dir / "r.txt") +
                                 " --reference " + q(dir / "many.txt") + " --out " + q(dir / "over.tsv"));
  EXPECT_EQ(over.exit_code, kExitInput);
  EXPECT_NE(over.err.find("query 1 (1, CDR3b CASSLGQGAYEQYF) alone has more hits than --memory 1M holds"),
            std::string::npos)
      << over.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "over.tsv"));
}

TEST(CliSearch, AllPairsFromStdinReadsTheQueryOnce) {
  tt::ScratchDir dir;
  tt::write_file(dir / "q.txt", "CASSLGQGAYEQYF\nCASSLGQGYEQYF\nCASRTGTVYEQYF\n");
  tt::write_file(dir / "ref.txt", "CASSLGQGAYEQYF\nCASSLGQGAYEQF\n");
  const std::string tail = " --reference " + q(dir / "ref.txt") + " --all-pairs --out -";
  const auto piped = run_with_stdin("search --metric tcrdist --query -" + tail, dir / "q.txt");
  const auto file = run_tilmatch("search --metric tcrdist --query " + q(dir / "q.txt") + tail);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  ASSERT_EQ(file.exit_code, 0) << file.err;
  EXPECT_EQ(tt::parse_tsv(piped.out).size(), 1u + 3 * 2);
  EXPECT_EQ(piped.out, file.out);
}

TEST(CliNeighbors, MemoryBudgetBlocksRowsWithoutChangingOutput) {
  const auto culture = tt::source_dir() / "data/example/fragments/F01.airr.tsv";
  tt::ScratchDir dir;
  const std::string common = "neighbors --input " + q(culture) + " --metric tcrdist --max-distance 36 ";
  auto big = run_tilmatch(common + "--out " + q(dir / "big.tsv"));
  ASSERT_EQ(big.exit_code, 0) << big.err;
  // 1M with 1,501 rows gives blocks of 4 rows.
  auto small = run_tilmatch(common + "--memory 1M --out " + q(dir / "small.tsv"));
  ASSERT_EQ(small.exit_code, 0) << small.err;
  const std::string want = tt::read_file(dir / "big.tsv");
  auto rows = tt::parse_tsv(want);
  EXPECT_GT(rows.size(), 100u);
  for (std::size_t r = 1; r < rows.size(); ++r) EXPECT_LT(std::stoul(rows[r][0]), std::stoul(rows[r][1]));
  EXPECT_EQ(tt::read_file(dir / "small.tsv"), want);
}

TEST(CliSearch, EmptyQueryOrReferenceExitsTwoUnlessAllowed) {
  tt::ScratchDir dir;
  tt::write_file(dir / "q.txt", "CASSLGQGAYEQYF\n");
  tt::write_file(dir / "none.tsv", "sequence_id\tlocus\tv_call\tjunction_aa\n");  // AIRR header, no rows
  tt::write_file(dir / "bad_ref.tsv", "cdr3_beta\tepitope\nCASS*F\tGILGFVFTL\n");  // its only row is skipped
  tt::write_file(dir / "empty.txt", "");
  const std::string ref = " --reference " + q(dir / "q.txt");
  // An empty query, to a file and to stdout: exit 2, the file named, nothing written.
  auto r = run_tilmatch("search --metric tcrdist --query " + q(dir / "none.tsv") + ref + " --out " + q(dir / "h.tsv"));
  EXPECT_EQ(r.exit_code, kExitInput) << r.err;
  EXPECT_NE(r.err.find("tilmatch search: " + (dir / "none.tsv").string() + ": no usable query TCR (no data rows); "
                       "pass --allow-empty"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "h.tsv"));
  r = run_with_stdin("search --metric tcrmatch --query -" + ref + " --out -", dir / "empty.txt");
  EXPECT_EQ(r.exit_code, kExitInput) << r.err;
  EXPECT_NE(r.err.find("standard input: no usable query TCR"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  // An empty reference, with its skipped rows listed.
  r = run_tilmatch("search --metric tcrdist --query " + q(dir / "q.txt") + " --reference " + q(dir / "bad_ref.tsv") +
                   " --out -");
  EXPECT_EQ(r.exit_code, kExitInput) << r.err;
  EXPECT_NE(r.err.find((dir / "bad_ref.tsv").string() + ": no usable reference TCR (rows skipped: non_amino_acid 1)"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  // --allow-empty writes the header alone.
  r = run_tilmatch("search --metric tcrdist --allow-empty --query " + q(dir / "none.tsv") + ref + " --out -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kHeader) + "\n");
  r = run_tilmatch("search --metric tcrdist --allow-empty --query " + q(dir / "q.txt") + " --reference " +
                   q(dir / "bad_ref.tsv") + " --out -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kHeader) + "\tepitope\tmhc\tantigen_gene\tantigen_species\tsource\n");
}

TEST(CliNeighbors, EmptyInputExitsTwoUnlessAllowed) {
  tt::ScratchDir dir;
  tt::write_file(dir / "none.tsv", "sequence_id\tlocus\tv_call\tjunction_aa\n");
  auto r = run_tilmatch("neighbors --input " + q(dir / "none.tsv") + " --max-distance 24 --out " + q(dir / "p.tsv"));
  EXPECT_EQ(r.exit_code, kExitInput) << r.err;
  EXPECT_NE(r.err.find("tilmatch neighbors: " + (dir / "none.tsv").string() + ": no usable TCR (no data rows)"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "p.tsv"));
  r = run_tilmatch("neighbors --allow-empty --input " + q(dir / "none.tsv") + " --max-distance 24 --out -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "i\tj\tcdr3b_i\tcdr3b_j\tdistance\tid_i\tid_j\n");
}

// i and j number the usable rows; a skipped row (here an AIRR row whose chain is unknown) shifts
// them, so id_i and id_j name the rows by the file's own ids, else by line, and the skip is said.
TEST(CliNeighbors, IdsNameThePairedRowsPastASkippedOne) {
  tt::ScratchDir dir;
  tt::write_file(dir / "rep.tsv",
                 "sequence_id\tjunction_aa\tv_call\n"
                 "x\tCASSLGQAYEQYF\tn.a.\n"
                 "y\tCASSLGQAYEQYF\tTRBV7-9\n"
                 "z\tCASSLGQAYEQFF\tTRBV7-9\n");
  auto r = run_tilmatch("neighbors --input " + q(dir / "rep.tsv") + " --max-distance 24 --out -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "i\tj\tcdr3b_i\tcdr3b_j\tdistance\tid_i\tid_j\n1\t2\tCASSLGQAYEQYF\tCASSLGQAYEQFF\t0\ty\tz\n");
  EXPECT_NE(r.err.find((dir / "rep.tsv").string() + ": 1 row skipped (unsupported_locus 1)"), std::string::npos)
      << r.err;
  // Without an id column, a row's id is its line in the file.
  tt::write_file(dir / "rep.txt", "CASSLGQAYEQYF\nnot a CDR3\nCASSLGQAYEQFF\n");
  r = run_tilmatch("neighbors --input " + q(dir / "rep.txt") + " --max-distance 24 --out -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = tt::parse_tsv(r.out);
  ASSERT_EQ(rows.size(), 2u) << r.out;
  EXPECT_EQ(join_fields(rows[1]), "1\t2\tCASSLGQAYEQYF\tCASSLGQAYEQFF\t0\t1\t3");
}
