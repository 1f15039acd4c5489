// Acceptance check of the chance model (issue 10): built on one OLGA background sample, its
// expected neighbour counts must match direct counting on a second, independent sample within
// 10% relative, at the radii it chooses. References: every 8th distinct CDR3β of VDJdb (human).
// Skips when ../shared/data is absent.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "chance/background.hpp"
#include "chance/chance_model.hpp"
#include "io/background.hpp"
#include "common/test_support.hpp"
#include "io/reference_db.hpp"
#include "scoring/backend.hpp"

namespace tc = tilmatch::chance;
namespace ts = tilmatch::scoring;
namespace tt = tilmatch::test;

namespace {

constexpr int kBackgroundRows = 200000;
constexpr double kRelTolerance = 0.10;  // the acceptance bound

tilmatch::Background sample_background(const std::filesystem::path& model, int seed, const tt::ScratchDir& dir) {
  std::string name = "olga_";
  name += std::to_string(seed);
  name += ".tsv";
  const auto out = dir / name;
  const std::string cmd = tt::shell_quote(tt::olga_sampler(TILMATCH_OLGA_SAMPLER)) + " --model " +
                          tt::shell_quote(model) + " -n " + std::to_string(kBackgroundRows) + " --seed " +
                          std::to_string(seed) + " --out " + tt::shell_quote(out);
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
  return tilmatch::io::read_background(out.string());
}

struct Check {
  // Sum over references of M_B c_r / M_E: the estimation half's count at the radius, unsmoothed
  // (the pseudo-count adds a / M_E per reference by design, a prior for unseen neighbourhoods).
  double predicted = 0;
  double predicted_smoothed = 0;  // the same with p_r smoothed (printed, not checked)
  double observed = 0;            // sum over references of sample-B rows within radius_r
  double predicted_union = 0, observed_union = 0;
};

Check check(const std::vector<ts::TcrRecord>& refs, const tilmatch::Background& a, const tilmatch::Background& b,
            const tc::ChanceParams& params, const ts::Backend& backend) {
  const auto set_a = ts::encode_tcrdist_set(tc::background_records(a), ts::Chains::beta, nullptr);
  const auto set_b = ts::encode_tcrdist_set(tc::background_records(b), ts::Chains::beta, nullptr);
  const tc::ChanceModel model = tc::build_chance_model(refs, set_a, nullptr, backend, params);
  // Direct counting on B: every pair within the cap, then the radius chosen on A.
  const auto ref_set = ts::encode_tcrdist_set(refs, ts::Chains::beta, nullptr);
  ts::EngineOptions options;
  options.memory_budget_bytes = std::size_t{1} << 30;
  const auto hits = backend.tcrdist_search(ref_set, set_b, params.max_radius, options);
  Check c;
  std::set<std::uint32_t> union_rows;
  for (const auto& h : hits)
    if (h.distance <= model.radius[h.query]) {
      c.observed += 1;
      union_rows.insert(h.reference);
    }
  const double mb = static_cast<double>(b.size());
  std::vector<std::uint32_t> all;
  for (std::size_t r = 0; r < refs.size(); ++r) {
    c.predicted += mb * model.count_within(r, model.radius[r]) / static_cast<double>(model.half_size[1]);
    c.predicted_smoothed += mb * tc::chance_probability(model, r, model.radius[r], params);
    all.push_back(static_cast<std::uint32_t>(r));
  }
  c.predicted_union = mb * tc::union_probability(model, all, params);
  c.observed_union = static_cast<double>(union_rows.size());
  return c;
}

// Two independent OLGA samples and the references, made once for the tests below.
struct Samples {
  tilmatch::Background a, b;
  std::vector<ts::TcrRecord> refs;
};

const Samples& samples(const std::filesystem::path& olga, const std::filesystem::path& vdjdb) {
  static const Samples s = [&] {
    tt::ScratchDir dir;
    Samples out{sample_background(olga, 101, dir), sample_background(olga, 202, dir), {}};
    std::set<std::string> distinct;
    for (const auto& row : tilmatch::io::read_reference(vdjdb.string()).rows)
      if (!row.tcr.cdr3b.empty()) distinct.insert(row.tcr.cdr3b);
    std::size_t i = 0;
    for (const auto& cdr3 : distinct)
      if (i++ % 8 == 0) out.refs.push_back(ts::TcrRecord{"", cdr3, "", ""});
    return out;
  }();
  return s;
}

TEST(ChanceAcceptance, ModelMatchesDirectCountingOnAnIndependentSample) {
  TILMATCH_REQUIRE_SHARED(olga, "olga_human_trb");
  TILMATCH_REQUIRE_SHARED(vdjdb, "tcr_reference/vdjdb_human_chunks_2026-04-27.tsv.gz");
  const auto& [a, b, refs] = samples(olga, vdjdb);
  ASSERT_EQ(a.size(), static_cast<std::size_t>(kBackgroundRows));
  ASSERT_EQ(b.size(), static_cast<std::size_t>(kBackgroundRows));
  ASSERT_GT(refs.size(), 1000u);

  const auto backend = ts::make_backend(ts::BackendKind::kCpu, 0);
  // The default rate (N = 10^5, 1 expected neighbour: p <= 10^-5) and a looser one (N = 2 x 10^4).
  for (const double n : {100000.0, 20000.0}) {
    tc::ChanceParams params;
    params.repertoire_size = n;
    const Check c = check(refs, a, b, params, *backend);
    std::printf("N = %.0f, %zu references, backgrounds of %d: expected %.1f neighbours in B (smoothed %.1f), "
                "counted %.0f (%+.1f%%); any-reference rows expected %.1f, counted %.0f (%+.1f%%)\n",
                n, refs.size(), kBackgroundRows, c.predicted, c.predicted_smoothed, c.observed,
                100 * (c.predicted / c.observed - 1), c.predicted_union, c.observed_union,
                100 * (c.predicted_union / c.observed_union - 1));
    ASSERT_GT(c.observed, 200) << "too few neighbours to test a 10% bound";
    EXPECT_NEAR(c.predicted / c.observed, 1.0, kRelTolerance) << "N = " << n;
    EXPECT_NEAR(c.predicted_union / c.observed_union, 1.0, kRelTolerance) << "N = " << n;
  }
}

// A hit's surprise weight is judged at its own distance d, where a reference's own count is often
// 0: sample A's counts must predict sample B's there. Over the (reference, d < cap) cells where A
// holds no row within d, the profile estimate (whole_background_probability) must predict B's rows
// within 25% (2 sigma of the sum's Poisson noise allowed on top), and fit B's counts better than
// the per-distance Jeffreys estimate (profile strength 0) over all cells, by Poisson log-likelihood.
TEST(ChanceAcceptance, ProfileEstimatePredictsRatesASampleCannotResolve) {
  TILMATCH_REQUIRE_SHARED(olga, "olga_human_trb");
  TILMATCH_REQUIRE_SHARED(vdjdb, "tcr_reference/vdjdb_human_chunks_2026-04-27.tsv.gz");
  const auto& [a, b, refs] = samples(olga, vdjdb);
  const auto backend = ts::make_backend(ts::BackendKind::kCpu, 0);
  const tc::ChanceParams params;  // the defaults run uses
  tc::ChanceParams jeffreys = params;
  jeffreys.profile_strength = 0;
  const auto set_a = ts::encode_tcrdist_set(tc::background_records(a), ts::Chains::beta, nullptr);
  const auto set_b = ts::encode_tcrdist_set(tc::background_records(b), ts::Chains::beta, nullptr);
  const tc::ChanceModel model = tc::build_chance_model(refs, set_a, nullptr, *backend, params);
  const int cap = model.max_distance;
  const auto stride = static_cast<std::size_t>(cap + 1);
  // B's rows within d of each reference (cumulative), counted directly.
  std::vector<double> in_b(refs.size() * stride, 0.0);
  ts::EngineOptions options;
  options.memory_budget_bytes = std::size_t{1} << 30;
  for (const auto& h : backend->tcrdist_search(ts::encode_tcrdist_set(refs, ts::Chains::beta, nullptr), set_b, cap,
                                               options))
    for (int d = h.distance; d <= cap; ++d) in_b[h.query * stride + static_cast<std::size_t>(d)] += 1;
  const double mb = static_cast<double>(b.size());
  double observed = 0, predicted = 0, predicted_jeffreys = 0, ll = 0, ll_jeffreys = 0;
  std::size_t cells = 0;
  const auto poisson_ll = [](double k, double lambda) { return k * std::log(lambda) - lambda; };
  for (std::size_t r = 0; r < refs.size(); ++r)
    for (int d = 0; d < cap; ++d) {
      const double k = in_b[r * stride + static_cast<std::size_t>(d)];
      const double p = tc::whole_background_probability(model, r, d, params);
      const double pj = tc::whole_background_probability(model, r, d, jeffreys);
      ll += poisson_ll(k, mb * p);
      ll_jeffreys += poisson_ll(k, mb * pj);
      if (model.count_within(r, d, tc::Half::kSelection) + model.count_within(r, d, tc::Half::kEstimation) > 0)
        continue;
      ++cells;
      observed += k;
      predicted += mb * p;
      predicted_jeffreys += mb * pj;
    }
  std::printf("%zu (reference, d < %d) cells with no row of A within d: B holds %.0f rows there; profile "
              "estimate %.1f (%+.1f%%), per-distance Jeffreys %.1f (%+.1f%%). Poisson log-likelihood of B's "
              "counts: profile %.0f, Jeffreys %.0f\n",
              cells, cap, observed, predicted, 100 * (predicted / observed - 1), predicted_jeffreys,
              100 * (predicted_jeffreys / observed - 1), ll, ll_jeffreys);
  ASSERT_GT(observed, 400) << "too few rows to test a 25% bound";
  EXPECT_NEAR(predicted / observed, 1.0, 0.25 + 2 / std::sqrt(observed));
  EXPECT_GT(ll, ll_jeffreys);
}

}  // namespace
