#include "report/screen_fixture.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "rank/screen_summary.hpp"
#include "screen/calls.hpp"
#include "screen/deconvolution.hpp"
#include "screen/product.hpp"

namespace tilmatch::test {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

screen::Construct construct(std::string id, screen::ConstructKind kind,
                            std::vector<std::pair<std::string, std::string>> members) {
  screen::Construct c;
  c.id = std::move(id);
  c.kind = kind;
  for (auto& [neoantigen, sequence] : members) {
    c.neoantigens.push_back(std::move(neoantigen));
    c.sequences.push_back(std::move(sequence));
  }
  return c;
}

/// A call with the wells' means; fold follows from them. `q` NaN when no test ran.
screen::Call call(std::string fragment, std::string construct, std::string assay, screen::CallStatus status,
                  screen::CallRule rule, double mean_test, double mean_control, double p = kNaN, double q = kNaN) {
  screen::Call c;
  c.fragment_id = std::move(fragment);
  c.construct = std::move(construct);
  c.assay = std::move(assay);
  c.assay_kind = screen::assay_kind(c.assay);
  c.compartment = screen::assay_compartment(c.assay);
  c.status = status;
  c.rule = rule;
  c.positive_control = screen::PositiveControlStatus::kPassed;
  c.n_test = 3;
  c.n_control = std::isnan(mean_control) ? 0 : 6;
  c.mean_test = mean_test;
  c.mean_control = mean_control;
  c.fold = mean_test / mean_control;
  c.statistic = mean_test - mean_control;
  c.p = p;
  c.q = q;
  c.min_p = std::isnan(p) ? kNaN : 1.0 / 84;
  return c;
}

rank::ReactiveTcr reactive(std::string id, std::uint32_t clonotype, const TcrView& tcr, std::string fragment,
                           std::string construct, std::vector<std::uint32_t> neoantigens, screen::Compartment c,
                           double odds_ratio, double q) {
  rank::ReactiveTcr r;
  r.clonotype = {clonotype, std::move(id), std::move(fragment), std::move(construct), std::move(neoantigens), c};
  r.tcr = tcr.to_tcr();
  r.reference_population = "unsorted";
  r.odds_ratio = odds_ratio;
  r.q = q;
  r.p = q / 10;
  return r;
}

rank::ScreenRank ranked(std::uint32_t fragment, int rank, std::string tier, int reactive, std::string confidence,
                        std::string reason) {
  return {fragment, rank, std::move(tier), reactive, std::move(confidence), std::move(reason)};
}

}  // namespace

report::ReportInput ScreenReportFixture::input() const {
  report::ReportInput in = run.input();
  in.screen = &screen;
  return in;
}

ScreenReportFixture make_screen_report_fixture() {
  using screen::CallRule;
  using screen::CallStatus;
  using screen::Compartment;
  ScreenReportFixture f;
  f.run = make_report_fixture();
  rank::ScreenOutcome& s = f.screen;
  const auto& clonotypes = f.run.table.clonotypes;

  // Neoantigens of the run: 0 KRAS.G12D, 1 TP53.R175H, 2 PIK3CA.E545K, 3 BRAF.V600E.
  s.design = {construct("TMG1", screen::ConstructKind::kTandemMinigene,
                        {{"TP53.R175H", "TEVVRRCPHHERCSDSDGLAPPQHL"}, {"KRAS.G12D", "MTEYKLVVVGADGVGKSALTIQLIQ"}}),
              construct("TMG2", screen::ConstructKind::kTandemMinigene, {{"BRAF.V600E", "DLTVKIGDFGLATEKSRWSGSHQFE"}}),
              construct("PP1", screen::ConstructKind::kPeptidePool, {{"PIK3CA.E545K", "STRDPLSEITK"}}),
              construct("PP2", screen::ConstructKind::kPeptidePool, {{"KRAS.G12D", "VVGADGVGK"}})};

  s.calls = {
      call("F01", "PP1", "elispot_ifng", CallStatus::kNegative, CallRule::kDfr2x, 4.0, 5.0, 0.93, 1.0),
      call("F01", "TMG1", "cd137_cd8", CallStatus::kNoControl, CallRule::kNone, 0.4, kNaN),
      call("F01", "TMG1", "elispot_ifng", CallStatus::kNegative, CallRule::kDfr2x, 6.0, 5.0, 0.41, 0.62),
      call("F01", "TMG2", "elispot_ifng", CallStatus::kNegative, CallRule::kDfr2x, 4.5, 5.0, 0.88, 0.95),
      call("F02", "PP1", "cd137_cd8", CallStatus::kControlFailed, CallRule::kFlowFold, 0.3, 0.25),
      call("F02", "PP1", "elispot_ifng", CallStatus::kNegative, CallRule::kDfr2x, 3.0, 3.0, 0.9, 1.0),
      call("F02", "PP2", "elispot_ifng", CallStatus::kNegative, CallRule::kDfr2x, 4.0, 3.0, 0.6, 0.88),
      call("F02", "TMG1", "cd137_cd8", CallStatus::kPositive, CallRule::kFlowFold, 1.4, 0.25),
      call("F02", "TMG1", "elispot_ifng", CallStatus::kPositive, CallRule::kDfr2x, 31.0, 3.0, 0.0011, 0.012),
      call("F02", "TMG2", "elispot_ifng", CallStatus::kPositive, CallRule::kFold, 24.0, 3.0),
      call("F03", "PP1", "elispot_ifng", CallStatus::kNegative, CallRule::kDfr2x, 2.0, 2.5, 0.97, 1.0),
      call("F03", "PP2", "elispot_ifng", CallStatus::kPositive, CallRule::kDfr2x, 48.0, 12.0, 0.0004, 0.004),
      call("F03", "TMG1", "cd137_cd8", CallStatus::kPositive, CallRule::kFlowFold, 2.0, 0.5),
      call("F03", "TMG1", "elispot_ifng", CallStatus::kPositive, CallRule::kDfr2x, 78.0, 12.0, 0.0002, 0.0031),
      call("F03", "TMG2", "elispot_ifng", CallStatus::kNegative, CallRule::kDfr2x, 11.0, 12.0, 0.7, 0.95)};
  s.calls[9].fallback = true;
  for (screen::Call& c : s.calls)
    if (c.fragment_id == "F02" && c.assay == "cd137_cd8") c.positive_control = screen::PositiveControlStatus::kFailed;

  std::vector<screen::ConstructOutcome> outcomes;
  std::int64_t line = 1;
  for (const screen::Call& c : s.calls)
    outcomes.push_back({c.fragment_id, c.construct, c.assay, c.compartment, c.status, {{0, ++line}}});
  s.deconvolution = screen::deconvolve(s.design, outcomes, {"F01", "F02", "F03", "F04"},
                                       {"KRAS.G12D", "TP53.R175H", "PIK3CA.E545K", "BRAF.V600E"}, "readouts.tsv");

  s.measured.resize(4);
  s.measured[0] = {true, false, {}, {}, {3}, {3}, "", {}};
  s.measured[1] = {true, true, {3}, {{0, 1}}, {}, {3}, "BRAF.V600E: TMG2", {}};
  s.measured[2] = {true, false, {0}, {{0, 1}}, {3}, {0, 3}, "KRAS.G12D: PP2", {}};

  s.reactive = {reactive("R1", 0, clonotypes[0].tcr, "F03", "PP2", {0}, Compartment::kCd8, 45.3, 3.1e-11),
                reactive("R2", 1, clonotypes[1].tcr, "F02", "TMG1", {0, 1}, Compartment::kCd8,
                         std::numeric_limits<double>::infinity(), 0.0042),
                reactive("R3", 3, clonotypes[3].tcr, "F02", "TMG1", {0, 1}, Compartment::kCd4, 12.5, 0.031),
                reactive("R4", 5, clonotypes[5].tcr, "F03", "TMG1", {0, 1}, Compartment::kCd4, 7.0, 0.045)};
  // (clonotype, reactive, distance); C3 lies 9 from R1's clonotype C1.
  s.tracked_hits = {{0, 0, 0}, {2, 0, 9}, {1, 1, 0}, {3, 2, 0}, {5, 3, 0}};

  // Per culture, as rank::track_reactive sums the fixture's counts.
  s.tracked.resize(4);
  s.tracked[0] = {0.055, 0.005, 0.05, 0.01, 0.055 + 0.01 * 0.625, 0, {0}, {{0, 1}}, {0, 3}, {3}};
  s.tracked[1] = {0.12, 0.04, 0.08, 0, 0.12, 0, {}, {{0, 1}}, {1, 2}, {1, 2}};
  s.tracked[2] = {0.23, 0, 0.23, 0.06, 0.23 + 0.06 * 0.625, 0, {0}, {{0, 1}}, {0, 1}, {1}};
  s.tracked[3] = {0.5, 0.5, 0, 0, 0.5, 0, {}, {{0, 1}}, {3}, {3}};

  s.ranking = {
      ranked(1, 1, "measured", 2, "high",
             "screen: reactive to BRAF.V600E; unresolved among KRAS.G12D|TP53.R175H (BRAF.V600E: TMG2); a positive "
             "control failed"),
      ranked(2, 2, "measured", 1, "high", "screen: reactive to KRAS.G12D (KRAS.G12D: PP2)"),
      ranked(3, 3, "tracked", 0, "medium",
             "carries clonotypes proven reactive elsewhere: R4 (F03, TMG1: KRAS.G12D|TP53.R175H); 50.00% identical, "
             "0.00% neighbours"),
      ranked(0, 4, "tracked", 0, "medium",
             "carries clonotypes proven reactive elsewhere: R1 (F03, PP2: KRAS.G12D), R4 (F03, TMG1: "
             "KRAS.G12D|TP53.R175H); 5.50% identical, 1.00% neighbours; screened without a reactive call")};

  // Product candidates as the run derives them: F01 resolved KRAS.G12D (R4's group is explained by it),
  // F02 BRAF.V600E and R2's group (KRAS.G12D | TP53.R175H; R3 and TMG1 in F02 are the same group), F03
  // KRAS.G12D, F04 R4's group.
  std::vector<rank::ReactiveClonotype> reactive;
  for (const rank::ReactiveTcr& r : s.reactive) reactive.push_back(r.clonotype);
  s.product_candidates =
      rank::product_candidates(f.run.table, s.measured, s.tracked, reactive, s.product_groups, s.product_group_sources,
                               s.product_group_weights, screen::kDefaultUnconfirmedWeight);
  s.product = screen::choose_product(s.product_candidates, s.product_groups, {2, 3}, s.product_group_weights);

  screen::NextStep screen_f04;
  screen_f04.kind = screen::NextStepKind::kScreenFragment;
  screen_f04.subject = "F04";
  screen_f04.reason = "not screened; clonotypes found reactive in the screen make up 50.00% of it";
  screen::NextStep deconvolve_tmg1;
  deconvolve_tmg1.kind = screen::NextStepKind::kDeconvolve;
  deconvolve_tmg1.subject = "TMG1";
  deconvolve_tmg1.fragments = {"F02", "F03"};
  deconvolve_tmg1.constructs = {"DX1.M1", "DX1.M2"};
  deconvolve_tmg1.reason = "positive in F02, F03 with 2 minigenes of 2 neoantigens: test each alone";
  screen::NextStep test_pik3ca;
  test_pik3ca.kind = screen::NextStepKind::kTestNeoantigen;
  test_pik3ca.subject = "PIK3CA.E545K";
  test_pik3ca.reason = "only peptides tested (at most 1 of 1 cleared)";
  s.next_round.steps = {screen_f04, deconvolve_tmg1, test_pik3ca};
  return f;
}

}  // namespace tilmatch::test
