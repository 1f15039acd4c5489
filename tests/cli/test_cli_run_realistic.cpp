// Acceptance test of `tilmatch run` on the realistic synthetic patient (scripts/make-realistic):
// 24 TIL cultures of OLGA clonotypes, 200 missense mutations, 12 NeoTCR neoantigens, planted
// reactive clonotypes (exact, 1-2 CDR3 substitutions away, or held out of every reference),
// virus-specific bystanders, an exact reference TCR whose VDJdb MHC the patient lacks and chance
// neighbours of public-like reference CDR3s. Measures how well the ranking recovers the planted
// reactivity (issue 10's bars; scripts/eval-realistic measures them over seeds 1-10).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <map>
#include <string>
#include <vector>

#include "common/test_support.hpp"

namespace tt = tilmatch::test;

namespace {

std::string q(const std::filesystem::path& p) { return tt::shell_quote(p); }

int column(const std::vector<std::string>& header, const std::string& name) {
  const auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? -1 : static_cast<int>(it - header.begin());
}

/// 1-based ranks, ties get the average of the ranks they span (Spearman's convention).
std::vector<double> average_ranks(const std::vector<double>& x) {
  std::vector<std::size_t> idx(x.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i;
    while (j + 1 < idx.size() && x[idx[j + 1]] == x[idx[i]]) ++j;
    const double avg = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (std::size_t k = i; k <= j; ++k) r[idx[k]] = avg;
    i = j + 1;
  }
  return r;
}

/// Spearman's rho: Pearson correlation of the average ranks.
double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  const auto ra = average_ranks(a), rb = average_ranks(b);
  const double n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < ra.size(); ++i) ma += ra[i] / n, mb += rb[i] / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < ra.size(); ++i) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) * (ra[i] - ma);
    sbb += (rb[i] - mb) * (rb[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

/// Why make-realistic's patient cannot be made here (shared data, python3, the OLGA sampler), or "".
std::string why_no_patient() {
  for (const char* rel : {"tcr_reference/vdjdb_human_chunks_2026-04-27.tsv.gz", "neoantigen_tcr/neotcr_db_20221220.tsv",
                          "olga_human_trb/model_params.txt"})
    if (!tt::shared_data(rel)) return std::string("shared data not found: ") + rel + " (expected under " +
                                      tt::shared_data_root().string() + ")";
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) return "python3 not found (make-realistic needs it)";
  if (!std::filesystem::exists(tt::olga_sampler(TILMATCH_OLGA_SAMPLER)))
    return "OLGA sampler not found: " + tt::olga_sampler(TILMATCH_OLGA_SAMPLER).string() + " (set TILMATCH_OLGA_SAMPLER)";
  return "";
}

/// The shell command that makes the test patient (24 cultures x `clonotypes`, 200 mutations, `seed`,
/// plus `extra` options) in dir/patient, its log in dir/make-realistic.log.
std::string make_patient_command(const std::filesystem::path& dir, const std::string& extra, int clonotypes = 3000,
                                 int seed = 20261123) {
  return "python3 " + q(tt::source_dir() / "scripts" / "make-realistic") + " --out " + q(dir / "patient") +
         " --clonotypes-per-culture " + std::to_string(clonotypes) + " --cultures 24 --mutations 200 --seed " +
         std::to_string(seed) + extra + " --sampler " + q(tt::olga_sampler(TILMATCH_OLGA_SAMPLER)) +
         " --shared-data " + q(tt::shared_data_root()) + " > " + q(dir / "make-realistic.log") + " 2>&1";
}

/// `tilmatch run` on make-realistic's patient in `patient` (its VCF, cultures, NeoTCR and validated
/// references, HLA) with the shared VDJdb table, CPU backend, 2 threads, into `out`, plus `extra`.
tt::CommandResult run_on_patient(const std::filesystem::path& patient, const std::filesystem::path& vdjdb,
                                 const std::filesystem::path& out, const std::string& extra = "") {
  std::string hla = tt::read_file(patient / "hla.txt");
  hla.erase(hla.find_last_not_of("\n") + 1);
  return tt::run_tilmatch("run --vcf " + q(patient / "patient.vcf") +
                          " --sample PATIENT_TUMOR --normal-sample PATIENT_NORMAL --fragments " +
                          q(patient / "fragments.tsv") + " --reference " + q(vdjdb) + " --reference " +
                          q(patient / "neotcr_reference.tsv") + " --validated " + q(patient / "validated.tsv") +
                          " --hla " + hla + " --backend cpu --threads 2 --out " + q(out) +
                          (extra.empty() ? "" : " " + extra));
}

}  // namespace

TEST(CliRunRealistic, RankingRecoversPlantedReactivity) {
  TILMATCH_REQUIRE_SHARED(vdjdb, "tcr_reference/vdjdb_human_chunks_2026-04-27.tsv.gz");
  if (const std::string why = why_no_patient(); !why.empty()) GTEST_SKIP() << why;
  tt::ScratchDir dir;
  const auto patient = dir / "patient";
  ASSERT_EQ(std::system(make_patient_command(dir.path(), "").c_str()), 0) << tt::read_file(dir / "make-realistic.log");
  std::cout << tt::read_file(dir / "make-realistic.log");

  const auto out = dir / "out";
  const auto r = run_on_patient(patient, vdjdb, out);
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // Truth: planted reactive and bystander frequency per culture.
  const auto truth = tt::parse_tsv(tt::read_file(patient / "truth.tsv"));
  ASSERT_EQ(truth.size(), 25u);
  const int t_id = column(truth[0], "fragment_id"), t_rf = column(truth[0], "reactive_frequency"),
            t_bf = column(truth[0], "bystander_frequency");
  ASSERT_TRUE(t_id >= 0 && t_rf >= 0 && t_bf >= 0);
  std::map<std::string, std::pair<double, double>> planted;
  for (std::size_t k = 1; k < truth.size(); ++k)
    planted[truth[k][t_id]] = {std::stod(truth[k][t_rf]), std::stod(truth[k][t_bf])};

  // The ranking.
  const auto ranking = tt::parse_tsv(tt::read_file(out / "fragments.tsv"));
  ASSERT_EQ(ranking.size(), 25u) << "one row per culture";
  const int f_rank = column(ranking[0], "rank"), f_id = column(ranking[0], "fragment_id"),
            f_score = column(ranking[0], "score");
  ASSERT_TRUE(f_rank >= 0 && f_id >= 0 && f_score >= 0);
  std::vector<double> score, reactive;
  std::map<std::string, int> rank_of;
  for (std::size_t k = 1; k < ranking.size(); ++k) {
    const auto& row = ranking[k];
    ASSERT_TRUE(planted.count(row[f_id])) << row[f_id];
    rank_of[row[f_id]] = std::stoi(row[f_rank]);
    score.push_back(std::stod(row[f_score]));
    reactive.push_back(planted[row[f_id]].first);
  }
  ASSERT_EQ(rank_of.size(), 24u);

  // k: cultures with planted reactivity; k_strong: those with >= 1% reactive clonotypes, well above
  // the evidence background of cultures without any (measured below).
  int k_reactive = 0, k_strong = 0;
  for (const auto& [id, p] : planted) {
    k_reactive += p.first > 0 ? 1 : 0;
    k_strong += p.first >= 0.01 ? 1 : 0;
  }
  ASSERT_GT(k_reactive, 0);
  int hits = 0;
  std::vector<std::string> bystander_in_top, bystander_in_top_strong;
  for (const auto& [id, p] : planted) {
    const bool top = rank_of[id] <= k_reactive;
    hits += top && p.first > 0;
    if (p.first == 0 && p.second > 0 && top) bystander_in_top.push_back(id);
    if (p.first == 0 && p.second > 0 && rank_of[id] <= k_strong) bystander_in_top_strong.push_back(id);
  }
  const double rho = spearman(score, reactive);
  const double precision = static_cast<double>(hits) / k_reactive;
  std::cout << std::fixed << std::setprecision(3) << "[ realistic ] spearman_rho=" << rho << " precision@" << k_reactive
            << "=" << precision << " (" << hits << "/" << k_reactive << ")"
            << " bystander-only cultures in the top " << k_reactive << ": " << bystander_in_top.size() << ", in the top "
            << k_strong << " (>= 1% reactive): " << bystander_in_top_strong.size() << "\n";
  for (std::size_t k = 1; k < ranking.size(); ++k)
    std::cout << "[ realistic ]   rank " << ranking[k][f_rank] << " " << ranking[k][f_id] << " score "
              << ranking[k][f_score] << " planted " << planted[ranking[k][f_id]].first << " bystander "
              << planted[ranking[k][f_id]].second << "\n";

  // Diagnostic: planted bystander clonotypes that got any evidence (they should get none).
  const auto clonotypes = tt::parse_tsv(tt::read_file(out / "clonotypes.tsv"));
  const auto plants = tt::parse_tsv(tt::read_file(patient / "planted.tsv"));
  const int c_cdr3 = column(clonotypes[0], "cdr3_beta"), c_best = column(clonotypes[0], "best_score"),
            c_neo = column(clonotypes[0], "best_neoantigen");
  const int p_role = column(plants[0], "role"), p_cdr3 = column(plants[0], "cdr3_beta");
  ASSERT_TRUE(c_cdr3 >= 0 && c_best >= 0 && c_neo >= 0 && p_role >= 0 && p_cdr3 >= 0);
  std::map<std::string, std::pair<std::string, std::string>> evidence_of;  // CDR3b -> (score, neoantigen)
  for (std::size_t k = 1; k < clonotypes.size(); ++k)
    if (clonotypes[k][c_best] != "NA" && clonotypes[k][c_best] != "0" && !clonotypes[k][c_best].empty())
      evidence_of[clonotypes[k][c_cdr3]] = {clonotypes[k][c_best], clonotypes[k][c_neo]};
  int bystanders = 0, evidenced_bystanders = 0;
  for (std::size_t k = 1; k < plants.size(); ++k) {
    if (plants[k][p_role] != "bystander") continue;
    ++bystanders;
    const auto it = evidence_of.find(plants[k][p_cdr3]);
    if (it == evidence_of.end()) continue;
    ++evidenced_bystanders;
    std::cout << "[ realistic ] bystander " << plants[k][0] << " " << plants[k][p_cdr3] << " has evidence "
              << it->second.first << " for " << it->second.second << "\n";
  }
  std::cout << "[ realistic ] bystander clonotypes with evidence: " << evidenced_bystanders << " of " << bystanders
            << "\n";

  // Thresholds, from runs of make-realistic at 3,000 clonotypes per culture (24 cultures, 10 reactive)
  // with tilmatch run at its defaults (main aca725f: radius 12 CDR3b-only, epitopes equal-length with
  // at most one substitution, neighbours on) on this seed and seeds 1-7:
  //   rho 0.59-0.87 (this seed 0.595), precision@10 0.7-0.9 (this seed 0.7);
  //   with the crowded-reference discount added later (--reference-neighbors 3): rho 0.59-0.89
  //   (this seed 0.644, mean 0.761 vs 0.737 before), precision@10 0.7-1.0 (this seed 0.7);
  //   planted bystander clonotypes with evidence: 0 of 10-12 on every seed;
  //   a bystander-only culture in the top 10 on 3 of 8 seeds (this one: T09 at rank 10), in the top
  //   k_strong on none.
  // What caps recovery on this data: 1-6 reactive cultures per seed carry only 0.1-1% reactive
  // clonotypes, some held out of every reference or two random CDR3 substitutions (beyond radius 12)
  // away, so they score at the level of the chance background of non-reactive cultures (median
  // 0.0002-0.0004, up to 0.004). Ranks 7-12 are therefore a near-tie between weak reactive cultures
  // and non-reactive ones, a bystander-only culture among them by chance as often as any other.
  // So: precision@k >= 0.6 (one culture fewer than this seed's measured value, the lowest seen) and
  // rho >= 0.45 (0.15 below this seed's, the lowest seen): a ranking that loses the 1-8% cultures
  // falls below both. (At 100,000 clonotypes per culture, seed 1: rho 0.87, precision@10 1.0; 0.887 and
  // 1.0 with the discount.)
  // "Bystanders must not raise a culture" is checked where it is decidable: the bystander clonotypes
  // get no evidence, and no bystander-only culture ranks among the k_strong cultures with >= 1%
  // planted reactivity. (The top-k form is printed, not asserted: at k it fails by chance.)
  constexpr double kMinRho = 0.45;
  constexpr double kMinPrecision = 0.60;
  EXPECT_GE(rho, kMinRho);
  EXPECT_GE(precision, kMinPrecision);
  EXPECT_EQ(evidenced_bystanders, 0) << "virus-specific bystander clonotypes got neoantigen evidence";
  EXPECT_TRUE(bystander_in_top_strong.empty()) << "bystander-only culture in the top " << k_strong << ": "
                                               << bystander_in_top_strong.front();
}

// Issue 10's acceptance bars with the chance model at its default (the built-in OLGA background) at
// 20,000 clonotypes per culture, with every hard case of make-realistic on (1-2 conservative
// substitutions, --mhc-conflict, --crowded-public 4), over its ten seeds 1-10: mean rho >= 0.9
// (cultures called `none` tied at the bottom), precision@k = 1 on >= 9 seeds, no culture with
// nothing planted above one with >= 1% planted on any seed, >= 95% of the cultures with nothing
// planted called `none`. scripts/eval-realistic (docs/scoring.md, "Chance model") measures the same:
// rho 0.972 over seeds 1-20, precision@k = 1 on 9/10 and 10/10, no seed "above", 258 of 260 `none`;
// without the chance model 0.821, 3 of 10, 4 seeds "above", 0 of 130 on seeds 1-10. Not every ten
// seeds pass: on seeds 21-30 (measured after the model was chosen) rho 0.961, precision@k = 1 on 8,
// and seed 27 has an expanded chance neighbour above one-substitution plants of 2-3.5%.
namespace {

struct SeedFigures {
  double rho = 0;
  int k = 0, top_k = 0, above = 0, nothing = 0, nothing_none = 0;
};

SeedFigures figures_of(const std::filesystem::path& truth, const std::filesystem::path& fragments, int seed) {
  std::map<std::string, double> reactive;
  for (const auto& row : tt::tsv_rows(truth)) reactive[row.at("fragment_id")] = std::stod(row.at("reactive_frequency"));
  EXPECT_EQ(reactive.size(), 24u);
  const auto ranking = tt::tsv_rows(fragments);
  EXPECT_EQ(ranking.size(), 24u);
  // Position (higher = ranked higher); the trailing cultures called `none` share one: the ranking
  // says nothing about their order (as make-realistic's truth ties every culture with nothing planted).
  std::size_t tail = ranking.size();
  while (tail > 0 && ranking[tail - 1].at("confidence") == "none") --tail;
  SeedFigures s;
  std::vector<double> position, planted;
  for (std::size_t i = 0; i < ranking.size(); ++i) {
    EXPECT_EQ(std::stoi(ranking[i].at("rank")), static_cast<int>(i + 1));
    const double f = reactive.at(ranking[i].at("fragment_id"));
    position.push_back(-static_cast<double>(std::min(i, tail)));
    planted.push_back(f);
    s.k += f > 0 ? 1 : 0;
    if (f == 0) {
      ++s.nothing;
      s.nothing_none += ranking[i].at("confidence") == "none" ? 1 : 0;
    }
    std::cout << "[ realistic 20k, seed " << seed << " ] rank " << i + 1 << " " << ranking[i].at("fragment_id")
              << " " << ranking[i].at("confidence") << " q " << ranking[i].at("chance_q") << " planted " << f << "\n";
  }
  for (int i = 0; i < s.k; ++i) s.top_k += planted[static_cast<std::size_t>(i)] > 0 ? 1 : 0;
  std::size_t last_strong = 0;
  for (std::size_t i = 0; i < planted.size(); ++i)
    if (planted[i] >= 0.01) last_strong = i;
  for (std::size_t i = 0; i < last_strong; ++i) s.above += planted[i] == 0 ? 1 : 0;
  s.rho = spearman(position, planted);
  std::cout << "[ realistic 20k, seed " << seed << " ] rho " << s.rho << " precision@" << s.k << " " << s.top_k << "/"
            << s.k << " nothing-planted above a >= 1% culture: " << s.above << "; nothing planted called none: "
            << s.nothing_none << " of " << s.nothing << "\n";
  return s;
}

}  // namespace

TEST(CliRunRealistic, ChanceModelMeetsTheRankingBarsAt20000Clonotypes) {
  TILMATCH_REQUIRE_SHARED(vdjdb, "tcr_reference/vdjdb_human_chunks_2026-04-27.tsv.gz");
  if (const std::string why = why_no_patient(); !why.empty()) GTEST_SKIP() << why;
  double rho_sum = 0;
  int seeds = 0, perfect = 0, nothing = 0, nothing_none = 0;
  for (int seed = 1; seed <= 10; ++seed) {
    SCOPED_TRACE("make-realistic --seed " + std::to_string(seed));
    tt::ScratchDir dir;
    const auto patient = dir / "patient";
    ASSERT_EQ(std::system(make_patient_command(dir.path(), " --mhc-conflict --crowded-public 4", 20000, seed).c_str()), 0)
        << tt::read_file(dir / "make-realistic.log");
    const auto out = dir / "out";
    const auto r = run_on_patient(patient, vdjdb, out);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const SeedFigures s = figures_of(patient / "truth.tsv", out / "fragments.tsv", seed);
    EXPECT_EQ(s.above, 0) << "a culture with nothing planted ranks above one with >= 1% planted";
    ++seeds;
    rho_sum += s.rho;
    perfect += s.top_k == s.k ? 1 : 0;
    nothing += s.nothing;
    nothing_none += s.nothing_none;
  }
  ASSERT_EQ(seeds, 10);
  std::cout << "[ realistic 20k, seeds 1-10 ] mean rho " << rho_sum / seeds << ", precision@k = 1 on " << perfect
            << ", nothing planted called none " << nothing_none << " of " << nothing << "\n";
  EXPECT_GE(rho_sum / seeds, 0.9);
  EXPECT_GE(perfect, 9);
  EXPECT_GE(nothing_none, 0.95 * nothing);
}

// The issue's RNF19B case: an exact public reference TCR whose VDJdb MHC (HLA-A*24:02) the patient
// lacks, while NeoTCR names the patient's A*02:01, planted at 2-8% in a culture with nothing else
// planted (make-realistic --mhc-conflict). Dropping the route (--hla-mismatch-factor 0, the old
// behaviour) leaves that culture among the ones with nothing planted; the default penalty keeps its
// evidence, marked `mismatch`, and ranks it above every culture with nothing planted.
TEST(CliRunRealistic, ExactReferenceTcrWithAConflictingMhcIsNotPushedDown) {
  TILMATCH_REQUIRE_SHARED(vdjdb, "tcr_reference/vdjdb_human_chunks_2026-04-27.tsv.gz");
  if (const std::string why = why_no_patient(); !why.empty()) GTEST_SKIP() << why;
  tt::ScratchDir dir;
  const auto patient = dir / "patient";
  ASSERT_EQ(std::system(make_patient_command(dir.path(), " --mhc-conflict").c_str()), 0)
      << tt::read_file(dir / "make-realistic.log");
  auto run = [&](const std::string& out, const std::string& extra) {
    return run_on_patient(patient, vdjdb, dir / out, extra);
  };
  const auto penalised = run("out", "");
  ASSERT_EQ(penalised.exit_code, 0) << penalised.err;
  const auto dropped = run("out_drop", "--hla-mismatch-factor 0");
  ASSERT_EQ(dropped.exit_code, 0) << dropped.err;

  // The planted conflict and the cultures with nothing planted.
  const auto plants = tt::parse_tsv(tt::read_file(patient / "planted.tsv"));
  const int p_kind = column(plants[0], "kind"), p_cdr3 = column(plants[0], "cdr3_beta"),
            p_epitope = column(plants[0], "epitope");
  ASSERT_TRUE(p_kind >= 0 && p_cdr3 >= 0 && p_epitope >= 0);
  std::string culture, cdr3, epitope;
  for (std::size_t k = 1; k < plants.size(); ++k) {
    if (plants[k][p_kind] != "mhc_conflict") continue;
    culture = plants[k][0];
    cdr3 = plants[k][p_cdr3];
    epitope = plants[k][p_epitope];
  }
  ASSERT_FALSE(culture.empty()) << "make-realistic --mhc-conflict planted nothing";
  const auto truth = tt::parse_tsv(tt::read_file(patient / "truth.tsv"));
  const int t_id = column(truth[0], "fragment_id"), t_rf = column(truth[0], "reactive_frequency");
  std::vector<std::string> nothing_planted;
  for (std::size_t k = 1; k < truth.size(); ++k)
    if (std::stod(truth[k][t_rf]) == 0) nothing_planted.push_back(truth[k][t_id]);
  ASSERT_FALSE(nothing_planted.empty());

  auto ranks = [&](const std::string& out) {
    const auto ranking = tt::parse_tsv(tt::read_file(dir / out / "fragments.tsv"));
    const int f_rank = column(ranking[0], "rank"), f_id = column(ranking[0], "fragment_id");
    std::map<std::string, int> r;
    for (std::size_t k = 1; k < ranking.size(); ++k) r[ranking[k][f_id]] = std::stoi(ranking[k][f_rank]);
    return r;
  };
  const auto with_penalty = ranks("out"), with_drop = ranks("out_drop");
  int best_unplanted = 1 << 30;
  for (const std::string& id : nothing_planted) best_unplanted = std::min(best_unplanted, with_penalty.at(id));
  std::cout << "[ realistic ] MHC conflict " << cdr3 << " in " << culture << ": rank " << with_drop.at(culture)
            << " when dropped, " << with_penalty.at(culture) << " when penalised; best culture with nothing planted: "
            << best_unplanted << "\n";
  EXPECT_LT(with_penalty.at(culture), best_unplanted);
  EXPECT_LT(with_penalty.at(culture), with_drop.at(culture));

  // Its evidence says why it was scaled, and run.json counts the penalised routes.
  const auto clonotypes = tt::parse_tsv(tt::read_file(dir / "out" / "clonotypes.tsv"));
  const int c_cdr3 = column(clonotypes[0], "cdr3_beta"), c_id = column(clonotypes[0], "clonotype_id");
  ASSERT_TRUE(c_cdr3 >= 0 && c_id >= 0);
  std::string id;
  for (std::size_t k = 1; k < clonotypes.size(); ++k)
    if (clonotypes[k][c_cdr3] == cdr3) id = clonotypes[k][c_id];
  ASSERT_FALSE(id.empty());
  const auto affinity = tt::parse_tsv(tt::read_file(dir / "out" / "affinity.tsv"));
  const int a_id = column(affinity[0], "clonotype_id"), a_hla = column(affinity[0], "hla"),
            a_route = column(affinity[0], "route"), a_epitope = column(affinity[0], "reference_epitope");
  int direct = 0;
  for (std::size_t k = 1; k < affinity.size(); ++k) {
    if (affinity[k][a_id] != id || affinity[k][a_route] != "reference" || affinity[k][a_epitope] != epitope) continue;
    ++direct;
    EXPECT_EQ(affinity[k][a_hla], "mismatch");
  }
  EXPECT_GT(direct, 0);
}
