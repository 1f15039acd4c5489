// tilmatch_chance_profile_check: how well the chance model's surprise-weight probabilities
// (chance::whole_background_probability) built on one background predict the neighbour counts of a
// larger, independent one, for several profile strengths kappa (docs/scoring.md, "p_r(d) for a
// surprise weight"). A test tool, not part of the CLI; scripts/eval-chance-profile runs it on the
// built-in background against a 10^7-row OLGA draw.
//
// Usage: tilmatch_chance_profile_check --reference FILE --background A --truth B [--every K]
//            [--patient-clonotypes N] [--strengths 0,1,...]
// References: every K-th distinct (CDR3β, V) of FILE whose V gene the built-in V-gene table holds,
// scored with V loops as `run` scores them. A or B = "builtin": the built-in background.
// Output (TSV on stdout), per kappa:
//   loglik: the Poisson log-likelihood of B's counts within each d = 0..cap of every reference,
//           sum of k log(lambda) - lambda with lambda = |B| p_r(d) (higher is better);
//   weight_error: on the (reference, d) cells A holds no row in, the mean |w_A - w_B| of the
//           surprise weight 1 / (1 + N p) at N patient clonotypes, w_B from B's own counts;
//   held_dN / predicted_dN: on those cells with d <= N, B's rows and what A's estimate predicts;
//   empty_refs / held_empty / predicted_empty: the references A holds no row within the cap of,
//           B's rows within the cap of them and what A's estimate (the floor (1/2) / (|A| + 1))
//           predicts; robbins_empty: what Robbins' estimate E[lambda | 0] = n1 / (n0 |A|) predicts
//           (n0, n1: references with 0 and 1 rows of A within the cap; Robbins 1956).

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <exception>
#include <iostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "chance/chance_model.hpp"
#include "io/background.hpp"
#include "io/reference_db.hpp"
#include "scoring/backend.hpp"
#include "scoring/vgene_table.hpp"

namespace tc = tilmatch::chance;
namespace ts = tilmatch::scoring;

namespace {

tilmatch::Background load(const std::string& path) {
  return path == "builtin" ? tilmatch::io::read_background(tilmatch::io::builtin_background_file())
                           : tilmatch::io::read_background(path);
}

/// The model of `refs` on the rows of `path` whose V gene the table holds (as `run` builds it).
tc::ChanceModel model_on(const std::string& path, const std::vector<ts::TcrRecord>& refs, const ts::VGeneTable& vg,
                         const ts::Backend& backend) {
  const tilmatch::Background bg = load(path);
  std::vector<std::uint32_t> rows;
  for (std::size_t i = 0; i < bg.size(); ++i)
    if (vg.contains(bg.genes[bg.gene_of[i]])) rows.push_back(static_cast<std::uint32_t>(i));
  const auto set = ts::encode_tcrdist_set(
      rows.size(), [&](std::size_t k) { return ts::TcrRecordView{{}, bg.cdr3_of(rows[k]), {}, bg.v_of(rows[k])}; },
      ts::Chains::beta, &vg);
  std::cerr << path << ": " << rows.size() << " of " << bg.size() << " rows with a known V gene\n";
  ts::EngineOptions options;
  options.memory_budget_bytes = std::size_t{2} << 30;
  return tc::build_chance_model(refs, set, &vg, backend, tc::ChanceParams{}, options);
}

double both_halves(const tc::ChanceModel& m, std::size_t r, int d) {
  return static_cast<double>(m.count_within(r, d, tc::Half::kSelection)) + m.count_within(r, d, tc::Half::kEstimation);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Checks the chance model's surprise-weight probabilities against a larger background"};
  std::string reference, a_path, b_path;
  std::size_t every = 10;
  double patient = 930000;
  std::vector<double> strengths = {0, 1, 3, 10, 20, 50, 100};
  app.add_option("--reference", reference, "reference TCR table (any layout tilmatch reads)")->required();
  app.add_option("--background", a_path, "the background the model is built on ('builtin')")->required();
  app.add_option("--truth", b_path, "a larger, independent background whose counts are predicted")->required();
  app.add_option("--every", every, "take every K-th distinct (CDR3b, V) of the reference")->capture_default_str();
  app.add_option("--patient-clonotypes", patient, "N of the surprise weight 1 / (1 + N p)")->capture_default_str();
  app.add_option("--strengths", strengths, "profile strengths kappa to compare")->delimiter(',');
  CLI11_PARSE(app, argc, argv);
  try {
    if (every == 0) throw std::invalid_argument("--every must be positive");
    const ts::VGeneTable& vg = ts::VGeneTable::builtin();
    std::set<std::pair<std::string, std::string>> seen;
    std::vector<ts::TcrRecord> refs;
    for (const auto& row : tilmatch::io::read_reference(reference).rows) {
      const auto& t = row.tcr;
      if (t.cdr3b.empty() || t.vb.empty() || !vg.contains(t.vb) || !seen.insert({t.cdr3b, t.vb}).second) continue;
      if (seen.size() % every == 0) refs.push_back({{}, t.cdr3b, {}, t.vb});
    }
    const auto backend = ts::make_backend(ts::BackendKind::kCpu, 0);
    const tc::ChanceModel a = model_on(a_path, refs, vg, *backend);
    const tc::ChanceModel b = model_on(b_path, refs, vg, *backend);
    const double mb = static_cast<double>(b.background_size());
    const int cap = a.max_distance;
    std::printf("# %zu references; %zu rows in A, %zu in B; N = %.0f\n", refs.size(), a.background_size(),
                b.background_size(), patient);
    const int upto[] = {6, 12, 18, 21};
    std::printf("kappa\tloglik\tweight_error\tzero_cells");
    for (int u : upto) std::printf("\theld_d%d\tpredicted_d%d", u, u);
    std::printf("\tempty_refs\theld_empty\tpredicted_empty\trobbins_empty\n");
    std::size_t singletons = 0;
    for (std::size_t r = 0; r < refs.size(); ++r) singletons += both_halves(a, r, cap) == 1 ? 1 : 0;
    const double robbins = static_cast<double>(singletons) * mb / static_cast<double>(a.background_size());
    for (const double kappa : strengths) {
      tc::ChanceParams params;
      params.profile_strength = kappa;
      double loglik = 0, weight_error = 0;
      std::size_t zero = 0;
      double held[4] = {}, predicted[4] = {};
      std::size_t empty_refs = 0;
      double held_empty = 0, predicted_empty = 0;
      for (std::size_t r = 0; r < refs.size(); ++r) {
        if (both_halves(a, r, cap) == 0) {
          ++empty_refs;
          held_empty += both_halves(b, r, cap);
          predicted_empty += mb * tc::whole_background_probability(a, r, cap, params);
        }
        for (int d = 0; d <= cap; ++d) {
          const double p = tc::whole_background_probability(a, r, d, params);
          const double k = both_halves(b, r, d);
          loglik += k * std::log(mb * p) - mb * p;
          if (both_halves(a, r, d) > 0) continue;
          ++zero;
          weight_error += std::fabs(tc::surprise_weight(p, patient) - tc::surprise_weight(k / mb, patient));
          for (int i = 0; i < 4; ++i)
            if (d <= upto[i]) {
              held[i] += k;
              predicted[i] += mb * p;
            }
        }
      }
      std::printf("%g\t%.0f\t%.4f\t%zu", kappa, loglik, zero ? weight_error / static_cast<double>(zero) : 0.0, zero);
      for (int i = 0; i < 4; ++i) std::printf("\t%.0f\t%.0f", held[i], predicted[i]);
      std::printf("\t%zu\t%.0f\t%.0f\t%.0f\n", empty_refs, held_empty, predicted_empty, robbins);
    }
  } catch (const std::exception& e) {
    std::cerr << "tilmatch_chance_profile_check: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
