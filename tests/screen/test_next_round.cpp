// The next round: unscreened fragments with tracked clonotypes, deconvolution designs that decode
// a planted single reactive member uniquely, and neoantigens tested nowhere.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "screen/deconvolution.hpp"
#include "screen/next_round.hpp"
#include "screen/screen_builders.hpp"

namespace tilmatch::screen {
namespace {

using test::numbered;
using test::outcome;
using test::pool;
using test::read_twice;
using test::simulate;
using test::tmg;
using test::with_status;
using Names = std::vector<std::string>;

/// One TMG of m minigenes of m neoantigens N1..Nm, positive in F1 and never cleared there.
std::vector<Construct> one_tmg(std::size_t m) {
  std::vector<test::Slot> slots;
  for (std::size_t i = 1; i <= m; ++i) slots.emplace_back(numbered("N", static_cast<long>(i)), numbered("MG", static_cast<long>(i)));
  return {tmg("TMG1", slots)};
}

NextRound plan_for_ambiguous_tmg(std::size_t m, const NextRoundParams& params = {}) {
  const auto constructs = one_tmg(m);
  const Deconvolution d = deconvolve(constructs, simulate(constructs, "F1", {"MG1"}), {}, {}, "r.tsv");
  return plan_next_round(d, constructs, {}, params);
}

TEST(NextRound, DesignsDecodeAPlantedSingleReactiveMemberUniquely) {
  for (std::size_t m = 2; m <= 30; ++m) {
    SCOPED_TRACE("candidates " + std::to_string(m));
    const NextRound plan = plan_for_ambiguous_tmg(m);
    ASSERT_EQ(plan.steps.size(), 1u);
    EXPECT_EQ(plan.steps[0].kind, NextStepKind::kDeconvolve);
    EXPECT_EQ(plan.steps[0].subject, "TMG1");
    EXPECT_EQ(plan.steps[0].fragments, Names{"F1"});
    // Every candidate is in the design; a matrix puts it in exactly one row and one column.
    std::map<std::string, int> rows, columns, alone;
    for (const Construct& c : plan.constructs)
      for (const std::string& s : c.sequences) {
        const char kind = c.id[c.id.find('.') + 1];
        ++(kind == 'R' ? rows : kind == 'C' ? columns : alone)[s];
      }
    for (std::size_t i = 1; i <= m; ++i) {
      const std::string s = numbered("MG", static_cast<long>(i));
      if (m <= static_cast<std::size_t>(kDefaultMaxIndividual)) {
        EXPECT_EQ(alone[s], 1) << s;
      } else {
        EXPECT_EQ(rows[s], 1) << s;
        EXPECT_EQ(columns[s], 1) << s;
      }
    }
    // Plant each member as the only reactive one and read the designed wells back.
    for (std::size_t planted = 1; planted <= m; ++planted) {
      const std::string s = numbered("MG", static_cast<long>(planted));
      const Deconvolution d = deconvolve(plan.constructs, simulate(plan.constructs, "F1", {s}), {}, {}, "r.tsv");
      EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kReactive), Names{numbered("N", static_cast<long>(planted))}) << s;
      EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kNotReactive).size(), m - 1) << s;
    }
  }
}

TEST(NextRound, FewCandidatesAreTestedAloneAndManyInAMatrix) {
  const NextRound few = plan_for_ambiguous_tmg(5);
  EXPECT_EQ(few.steps[0].constructs, (Names{"DX1.M1", "DX1.M2", "DX1.M3", "DX1.M4", "DX1.M5"}));
  const NextRound many = plan_for_ambiguous_tmg(9);
  EXPECT_EQ(many.steps[0].constructs, (Names{"DX1.R1", "DX1.R2", "DX1.R3", "DX1.C1", "DX1.C2", "DX1.C3"}));
  EXPECT_NE(many.steps[0].reason.find("3 x 3 matrix"), std::string::npos) << many.steps[0].reason;
  NextRoundParams params;
  params.max_individual = 9;
  EXPECT_EQ(plan_for_ambiguous_tmg(9, params).constructs.size(), 9u);
}

TEST(NextRound, DesignRowsHaveTheShapeOfTmgDesign) {
  const NextRound plan = plan_for_ambiguous_tmg(7);  // 3 x 3: rows of 3, 3, 1
  ASSERT_EQ(plan.constructs.size(), 6u);
  std::size_t rows = 0;
  for (const Construct& c : plan.constructs) rows += c.sequences.size();
  ASSERT_EQ(plan.design.size(), rows);
  EXPECT_EQ(rows, 14u);  // each of 7 members in one row and one column
  std::map<std::string, int> last_slot;
  for (const DesignRow& r : plan.design) {
    EXPECT_EQ(r.kind, "tandem_minigene");
    EXPECT_EQ(r.slot, ++last_slot[r.construct]) << r.construct;
    EXPECT_EQ(r.sequence, "MG" + r.neoantigen_id.substr(1));
    EXPECT_NE(r.reason.find("deconvolves TMG1"), std::string::npos);
  }
  EXPECT_EQ(plan.constructs[2].sequences, Names{"MG7"});
  EXPECT_EQ(plan.constructs[3].sequences, (Names{"MG1", "MG4", "MG7"}));
}

TEST(NextRound, NumbersDesignsAfterEarlierRoundsAndOnlyKeepsUnclearedMembers) {
  std::vector<Construct> constructs = {
      tmg("TMG1", {{"A", "mA"}, {"B", "mB"}, {"C", "mC"}}), tmg("TMG2", {{"C", "mC"}}),
      pool("PP1", {{"A", "pA"}, {"B", "pB"}, {"D", "pD"}}), tmg("DX3.M1", {{"E", "mE"}})};
  const std::vector<ConstructOutcome> outcomes = {
      outcome("F1", "TMG1", "elispot_ifng", CallStatus::kPositive),
      outcome("F1", "TMG2", "elispot_ifng", CallStatus::kNegative),
      outcome("F2", "TMG1", "ox40_cd4", CallStatus::kPositive),
      outcome("F2", "PP1", "cd137_cd8", CallStatus::kPositive)};
  const Deconvolution d = deconvolve(constructs, outcomes, {}, {}, "r.tsv");
  const NextRound plan = plan_next_round(d, constructs, {}, {});
  std::vector<const NextStep*> deconvolve_steps;
  for (const NextStep& s : plan.steps)
    if (s.kind == NextStepKind::kDeconvolve) deconvolve_steps.push_back(&s);
  ASSERT_EQ(deconvolve_steps.size(), 2u);
  EXPECT_EQ(deconvolve_steps[0]->subject, "TMG1");
  EXPECT_EQ(deconvolve_steps[0]->fragments, (Names{"F1", "F2"}));
  // mC is cleared in F1 but not in F2, so it stays a candidate of TMG1.
  EXPECT_EQ(deconvolve_steps[0]->constructs, (Names{"DX4.M1", "DX4.M2", "DX4.M3"}));
  EXPECT_EQ(deconvolve_steps[1]->subject, "PP1");
  EXPECT_EQ(deconvolve_steps[1]->constructs, (Names{"DX5.P1", "DX5.P2", "DX5.P3"}));
  for (const Construct& c : plan.constructs) {
    EXPECT_EQ(c.id.rfind("DX", 0), 0u) << c.id;
    EXPECT_EQ(c.kind, c.id.rfind("DX5", 0) == 0 ? ConstructKind::kPeptidePool : ConstructKind::kTandemMinigene);
  }
}

// Two ambiguous constructs that share members: a member designed alone for the first is not
// designed alone again for the second (one well answers both); the second step names it.
TEST(NextRound, AMemberSharedByTwoAmbiguousConstructsIsDesignedAloneOnce) {
  const std::vector<Construct> constructs = {tmg("TMG1", {{"A", "mA"}, {"B", "mB"}}),
                                             tmg("TMG2", {{"A", "mA"}, {"B", "mB"}, {"C", "mC"}})};
  const Deconvolution d = deconvolve(constructs, simulate(constructs, "F1", {"mA"}), {}, {}, "r.tsv");
  const NextRound plan = plan_next_round(d, constructs, {}, {});
  std::vector<const NextStep*> steps;
  for (const NextStep& s : plan.steps)
    if (s.kind == NextStepKind::kDeconvolve) steps.push_back(&s);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0]->subject, "TMG1");
  EXPECT_EQ(steps[0]->constructs, (Names{"DX1.M1", "DX1.M2"}));
  EXPECT_EQ(steps[1]->subject, "TMG2");
  EXPECT_EQ(steps[1]->constructs, (Names{"DX1.M1", "DX1.M2", "DX2.M1"}));
  EXPECT_NE(steps[1]->reason.find("DX1.M1, DX1.M2 already designed above"), std::string::npos) << steps[1]->reason;
  ASSERT_EQ(plan.constructs.size(), 3u);  // mA, mB, mC alone, once each
  std::multiset<std::string> alone;
  for (const Construct& c : plan.constructs) alone.insert(c.sequences.at(0));
  EXPECT_EQ(alone, (std::multiset<std::string>{"mA", "mB", "mC"}));
  // Every member the second construct needs is already designed: no new DX number is spent.
  const std::vector<Construct> same = {tmg("TMG1", {{"A", "mA"}, {"B", "mB"}}), tmg("TMG2", {{"A", "mA"}, {"B", "mB"}})};
  const NextRound twice =
      plan_next_round(deconvolve(same, simulate(same, "F1", {"mA"}), {}, {}, "r.tsv"), same, {}, {});
  ASSERT_EQ(twice.constructs.size(), 2u);
  for (const NextStep& s : twice.steps) {
    if (s.kind == NextStepKind::kDeconvolve) {
      EXPECT_EQ(s.constructs, (Names{"DX1.M1", "DX1.M2"})) << s.subject;
    }
  }
  // Then a matrix for another construct still numbers on from DX1.
  NextRoundParams one;
  one.max_individual = 1;
  const NextRound matrix = plan_next_round(d, constructs, {}, one);
  EXPECT_EQ(matrix.constructs.front().id, "DX1.R1");
}

TEST(NextRound, ConstructsOnlyExplainedByAResolvedNeoantigenComeAfterTheUnexplainedOnes) {
  // F1: TMG1 (A, B) positive and PP1 (peptide of A alone) positive: A is resolved, TMG1 is explained
  // there. F2: TMG1 positive alone: unexplained, so TMG1 is deconvolved, in both cultures.
  const std::vector<Construct> constructs = {tmg("TMG1", {{"A", "mA"}, {"B", "mB"}}), pool("PP1", {{"A", "pA"}})};
  const std::vector<ConstructOutcome> outcomes = {outcome("F1", "TMG1", "elispot_ifng", CallStatus::kPositive),
                                                  outcome("F1", "PP1", "elispot_ifng", CallStatus::kPositive),
                                                  outcome("F2", "TMG1", "elispot_ifng", CallStatus::kPositive)};
  const Deconvolution d = deconvolve(constructs, outcomes, {}, {}, "r.tsv");
  const NextRound plan = plan_next_round(d, constructs, {}, {});
  std::vector<const NextStep*> steps;
  for (const NextStep& s : plan.steps)
    if (s.kind == NextStepKind::kDeconvolve) steps.push_back(&s);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0]->fragments, (Names{"F1", "F2"}));
  EXPECT_NE(steps[0]->reason.find("in F1 already explained"), std::string::npos) << steps[0]->reason;
  // With TMG2 (C, D) unexplained in F3, it comes before TMG1 (only explained, in F1).
  const std::vector<Construct> more = {tmg("TMG1", {{"A", "mA"}, {"B", "mB"}}), pool("PP1", {{"A", "pA"}}),
                                       tmg("TMG2", {{"C", "mC"}, {"D", "mD"}})};
  const std::vector<ConstructOutcome> f1f3 = {outcomes[0], outcomes[1],
                                              outcome("F3", "TMG2", "elispot_ifng", CallStatus::kPositive)};
  const NextRound plan2 = plan_next_round(deconvolve(more, f1f3, {}, {}, "r.tsv"), more, {}, {});
  std::vector<std::string> subjects;
  for (const NextStep& s : plan2.steps)
    if (s.kind == NextStepKind::kDeconvolve) subjects.push_back(s.subject);
  EXPECT_EQ(subjects, (Names{"TMG2", "TMG1"}));
}

TEST(NextRound, AResolutionOnOneReadingIsTestedAloneAndTheNextRoundSettlesIt) {
  // A 2 x 2 matrix: pB (row 1, column 2) is reactive, read in ELISpot and 4-1BB CD8; R2 is a false positive
  // in 4-1BB CD8 only, so elimination names pD (row 2, column 2) on that one reading.
  const std::vector<Construct> constructs = {
      pool("R1", {{"A", "pA"}, {"B", "pB"}}), pool("R2", {{"C", "pC"}, {"D", "pD"}}),
      pool("C1", {{"A", "pA"}, {"C", "pC"}}), pool("C2", {{"B", "pB"}, {"D", "pD"}})};
  std::vector<ConstructOutcome> outcomes = read_twice(simulate(constructs, "F1", {"pB"}));
  for (ConstructOutcome& o : outcomes)
    if (o.construct == "R2" && o.assay == "cd137_cd8") o.status = CallStatus::kPositive;
  const Deconvolution d = deconvolve(constructs, outcomes, {}, {}, "r.tsv");
  ASSERT_EQ(test::call_of(d, "F1", "D").status, ReactivityStatus::kAmbiguous);
  const NextRound plan = plan_next_round(d, constructs, {}, {});
  std::map<std::string, const NextStep*> step;
  for (const NextStep& s : plan.steps)
    if (s.kind == NextStepKind::kDeconvolve) step[s.subject] = &s;
  ASSERT_EQ(step.size(), 2u);  // R2 (one reading) and C2 (pB or pD)
  ASSERT_TRUE(step.count("R2"));
  EXPECT_EQ(step["R2"]->constructs, Names{"DX1.P1"});
  EXPECT_NE(step["R2"]->reason.find("F1 (cd137_cd8) a resolution by elimination on one reading"), std::string::npos)
      << step["R2"]->reason;
  EXPECT_NE(step["R2"]->reason.find("test it alone"), std::string::npos) << step["R2"]->reason;
  ASSERT_EQ(plan.constructs.size(), 2u);  // pD alone once, though both R2 and C2 need it
  EXPECT_EQ(plan.constructs[0].sequences, Names{"pD"});
  EXPECT_EQ(plan.constructs[0].neoantigens, Names{"D"});
  EXPECT_EQ(step["C2"]->constructs, (Names{"DX2.P1", "DX1.P1"}));

  // The next round reads the designed wells as the culture would (pB reactive, pD not): D leaves the calls.
  std::vector<Construct> both = constructs;
  both.insert(both.end(), plan.constructs.begin(), plan.constructs.end());
  std::vector<ConstructOutcome> rounds = outcomes;
  const auto next = read_twice(simulate(plan.constructs, "F1", {"pB"}));
  rounds.insert(rounds.end(), next.begin(), next.end());
  const Deconvolution settled = deconvolve(both, rounds, {}, {}, "r.tsv");
  EXPECT_EQ(with_status(settled, "F1", ReactivityStatus::kReactive), Names{"B"});
  EXPECT_TRUE(with_status(settled, "F1", ReactivityStatus::kAmbiguous).empty());
  for (const NextStep& s : plan_next_round(settled, both, {}, {}).steps)
    EXPECT_NE(s.kind, NextStepKind::kDeconvolve) << s.subject << ": " << s.reason;
}

TEST(NextRound, FragmentsWhosePositiveControlFailedAreScreenedAgainAfterTheUnscreened) {
  const std::vector<TrackedFragment> tracked = {{"F02", 0.10, false}};
  const NextRound plan = plan_next_round(Deconvolution{}, {}, tracked, {}, {{"F05", {"elispot_ifng", "cd137_cd8"}}});
  ASSERT_EQ(plan.steps.size(), 2u);
  EXPECT_EQ(plan.steps[0].subject, "F02");
  EXPECT_EQ(plan.steps[1].kind, NextStepKind::kRepeatFragment);
  EXPECT_EQ(plan.steps[1].subject, "F05");
  EXPECT_NE(plan.steps[1].reason.find("elispot_ifng, cd137_cd8"), std::string::npos) << plan.steps[1].reason;
  EXPECT_EQ(next_step_name(NextStepKind::kRepeatFragment), "repeat_fragment");
}

TEST(NextRound, UnscreenedFragmentsWithTrackedClonotypesComeFirstLargestFirst) {
  const std::vector<TrackedFragment> tracked = {
      {"F07", 0.02, false}, {"F03", 0.30, true}, {"F11", 0.0, false}, {"F02", 0.10, false}, {"F01", 0.02, false}};
  const NextRound plan = plan_next_round(Deconvolution{}, {}, tracked, {});
  ASSERT_EQ(plan.steps.size(), 3u);
  EXPECT_EQ(plan.steps[0].subject, "F02");
  EXPECT_EQ(plan.steps[1].subject, "F01");  // ties by id
  EXPECT_EQ(plan.steps[2].subject, "F07");
  EXPECT_EQ(plan.steps[0].kind, NextStepKind::kScreenFragment);
  EXPECT_NE(plan.steps[0].reason.find("10%"), std::string::npos) << plan.steps[0].reason;
  NextRoundParams params;
  params.min_tracked_frequency = 0.05;
  EXPECT_EQ(plan_next_round(Deconvolution{}, {}, tracked, params).steps.size(), 1u);
}

TEST(NextRound, ListsNeoantigensTestedConclusivelyNowhereWithTheReason) {
  const std::vector<Construct> constructs = {
      tmg("TMG1", {{"A", "mA"}, {"B", "mB"}}), tmg("TMG2", {{"C", "mC"}}), tmg("TMG3", {{"D", "mD"}}),
      pool("PP1", {{"E", "pE"}}), tmg("TMG4", {{"F", "mF1"}}), tmg("TMG5", {{"F", "mF2"}})};
  const std::vector<ConstructOutcome> outcomes = {
      outcome("F1", "TMG1", "elispot_ifng", CallStatus::kNegative),
      outcome("F1", "TMG2", "elispot_ifng", CallStatus::kControlFailed),
      outcome("F2", "TMG2", "elispot_ifng", CallStatus::kNoControl),
      outcome("F1", "PP1", "cd137_cd8", CallStatus::kNegative),
      outcome("F1", "TMG4", "elispot_ifng", CallStatus::kNegative)};
  const Deconvolution d = deconvolve(constructs, outcomes, {}, {"A", "B", "C", "D", "E", "F", "G"}, "r.tsv");
  const NextRound plan = plan_next_round(d, constructs, {}, {});
  std::map<std::string, std::string> reason;
  Names subjects;
  for (const NextStep& s : plan.steps) {
    EXPECT_EQ(s.kind, NextStepKind::kTestNeoantigen);
    subjects.push_back(s.subject);
    reason[s.subject] = s.reason;
  }
  EXPECT_EQ(subjects, (Names{"C", "D", "E", "F", "G"}));  // A and B were cleared in F1
  EXPECT_NE(reason["C"].find("without a conclusive call"), std::string::npos) << reason["C"];
  EXPECT_NE(reason["D"].find("no fragment was tested with"), std::string::npos) << reason["D"];
  EXPECT_NE(reason["E"].find("only peptides"), std::string::npos) << reason["E"];
  EXPECT_NE(reason["F"].find("1 of 2 minigenes"), std::string::npos) << reason["F"];
  EXPECT_NE(reason["G"].find("in no construct"), std::string::npos) << reason["G"];
}

TEST(NextRound, SameInputSameOrder) {
  const NextRound a = plan_for_ambiguous_tmg(12);
  const NextRound b = plan_for_ambiguous_tmg(12);
  ASSERT_EQ(a.design.size(), b.design.size());
  for (std::size_t i = 0; i < a.design.size(); ++i) {
    EXPECT_EQ(a.design[i].construct, b.design[i].construct);
    EXPECT_EQ(a.design[i].sequence, b.design[i].sequence);
  }
  EXPECT_THROW(plan_next_round(Deconvolution{}, {}, {}, {0, 0}), std::invalid_argument);
}

}  // namespace
}  // namespace tilmatch::screen
