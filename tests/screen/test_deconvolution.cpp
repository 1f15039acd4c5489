// Deconvolution on hand-made screens whose answer is known: TMGs with cleared and uncleared
// members, negative peptide pools, matrix pools, peptides cleared by the minigenes holding them, flagged
// controls and combined assays.

#include <gtest/gtest.h>

#include <tuple>

#include "screen/deconvolution.hpp"
#include "screen/screen_builders.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::screen {
namespace {

using test::call_of;
using test::numbered;
using test::outcome;
using test::pool;
using test::read_twice;
using test::simulate;
using test::tmg;
using test::with_status;
using Names = std::vector<std::string>;

constexpr auto kPos = CallStatus::kPositive;
constexpr auto kNeg = CallStatus::kNegative;

TEST(CombineAssays, PositiveInAnyAssayNegativeOnlyWhenEveryCalledAssayIsNegative) {
  const std::vector<ConstructOutcome> outcomes = {
      outcome("F1", "TMG1", "elispot_ifng", kNeg, 2), outcome("F1", "TMG1", "ox40_cd4", kPos, 3),
      outcome("F1", "TMG2", "elispot_ifng", kNeg, 4), outcome("F1", "TMG2", "cd137_cd8", kNeg, 5),
      outcome("F1", "TMG2", "tnf_elispot", CallStatus::kNotCalled, 6),
      outcome("F1", "TMG3", "elispot_ifng", kNeg, 7), outcome("F1", "TMG3", "cd137_cd8", CallStatus::kControlFailed, 8),
      outcome("F1", "TMG4", "elispot_ifng", CallStatus::kNoControl, 9),
      outcome("F1", "TMG5", "tnf_elispot", CallStatus::kNotCalled, 10),
      outcome("F1", "negative", "elispot_ifng", kNeg, 11),
      outcome("F2", "TMG1", "cd137_cd8", kPos, 12), outcome("F2", "TMG1", "elispot_ifng", kPos, 13),
  };
  const std::vector<ConstructCall> calls = combine_assays(outcomes);
  ASSERT_EQ(calls.size(), 6u);  // the `negative` control is not a construct call
  EXPECT_EQ(calls[0].construct, "TMG1");
  EXPECT_EQ(calls[0].result, ConstructResult::kPositive);
  EXPECT_EQ(calls[0].positive_assays, Names{"ox40_cd4"});
  EXPECT_EQ(calls[0].compartments, std::vector<Compartment>{Compartment::kCd4});
  EXPECT_EQ(calls[0].lines, (std::vector<ReadoutPlace>{{0, 2}, {0, 3}}));
  EXPECT_EQ(calls[1].result, ConstructResult::kNegative);  // the uncalled assay does not block it
  EXPECT_EQ(calls[2].result, ConstructResult::kInconclusive);  // a failed control cannot vouch
  EXPECT_EQ(calls[2].inconclusive_assays, Names{"cd137_cd8"});
  EXPECT_EQ(calls[3].result, ConstructResult::kInconclusive);
  EXPECT_EQ(calls[4].result, ConstructResult::kInconclusive);  // nothing with a rule
  EXPECT_EQ(calls[5].fragment_id, "F2");
  EXPECT_EQ(calls[5].compartments, (std::vector<Compartment>{Compartment::kUnknown, Compartment::kCd8}));
}

TEST(Deconvolve, PositiveTmgWithOneUnclearedMemberResolvesIt) {
  const std::vector<Construct> constructs = {
      tmg("TMG1", {{"A", "mA"}, {"B", "mB"}, {"C", "mC"}}),
      tmg("TMG2", {{"B", "mB"}, {"C", "mC"}, {"D", "mD"}}),
  };
  const std::vector<ConstructOutcome> outcomes = {
      outcome("F1", "TMG1", "cd137_cd8", kPos, 2), outcome("F1", "TMG1", "elispot_ifng", kPos, 3),
      outcome("F1", "TMG2", "cd137_cd8", kNeg, 4), outcome("F1", "TMG2", "elispot_ifng", kNeg, 5),
  };
  const Deconvolution d = deconvolve(constructs, outcomes, {"F1"}, {"A", "B", "C", "D"}, "readouts.tsv");
  const NeoantigenCall& a = call_of(d, "F1", "A");
  EXPECT_EQ(a.status, ReactivityStatus::kReactive);
  EXPECT_EQ(a.constructs, Names{"TMG1"});
  EXPECT_EQ(a.sequences, Names{"mA"});
  EXPECT_TRUE(a.note.empty());
  EXPECT_EQ(a.compartments, (std::vector<Compartment>{Compartment::kUnknown, Compartment::kCd8}));
  EXPECT_EQ(a.lines, (std::vector<ReadoutPlace>{{0, 2}, {0, 3}}));
  EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kNotReactive), (Names{"B", "C", "D"}));
  EXPECT_EQ(call_of(d, "F1", "B").constructs, Names{"TMG2"});
  ASSERT_EQ(d.positives.size(), 1u);
  EXPECT_EQ(d.positives[0].resolution, Resolution::kResolved);
  ASSERT_EQ(d.positives[0].candidates.size(), 1u);
  EXPECT_EQ(d.positives[0].candidates[0].sequence, "mA");
}

TEST(Deconvolve, PositiveTmgWithTwoUnclearedMembersIsAmbiguousBetweenThem) {
  const std::vector<Construct> constructs = {
      tmg("TMG1", {{"A", "mA"}, {"B", "mB"}, {"C", "mC"}}),
      tmg("TMG2", {{"C", "mC"}, {"D", "mD"}}),
  };
  const std::vector<ConstructOutcome> outcomes = {
      outcome("F1", "TMG1", "elispot_ifng", kPos), outcome("F1", "TMG2", "elispot_ifng", kNeg)};
  const Deconvolution d = deconvolve(constructs, outcomes, {"F1"}, {"A", "B", "C", "D"}, "readouts.tsv");
  EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kAmbiguous), (Names{"A", "B"}));
  EXPECT_EQ(call_of(d, "F1", "A").candidates, (Names{"A", "B"}));
  EXPECT_EQ(call_of(d, "F1", "B").constructs, Names{"TMG1"});
  EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kNotReactive), (Names{"C", "D"}));
  ASSERT_EQ(d.positives.size(), 1u);
  EXPECT_EQ(d.positives[0].resolution, Resolution::kAmbiguous);
  EXPECT_EQ(d.positives[0].neoantigens, (Names{"A", "B"}));
}

TEST(Deconvolve, NegativePoolClearsOnlyItsPeptidesNotTheNeoantigen) {
  const std::vector<Construct> constructs = {
      tmg("TMG1", {{"A", "mA"}, {"B", "mB"}}),
      pool("PP1", {{"A", "pA1"}, {"B", "pB1"}}),
      pool("PP2", {{"A", "pA1"}, {"C", "pC1"}}),
  };
  const std::vector<ConstructOutcome> outcomes = read_twice(
      {outcome("F1", "PP1", "elispot_ifng", kNeg), outcome("F1", "PP2", "elispot_ifng", kPos)});
  const Deconvolution d = deconvolve(constructs, outcomes, {"F1"}, {"A", "B", "C"}, "readouts.tsv");
  // pA1 is cleared by PP1, so PP2's response can only come from C's peptide.
  EXPECT_EQ(call_of(d, "F1", "C").status, ReactivityStatus::kReactive);
  // Read in one assay, that elimination rests on one reading.
  const Deconvolution once = deconvolve(constructs, {outcomes[0], outcomes[1]}, {"F1"}, {"A", "B", "C"}, "r.tsv");
  EXPECT_EQ(call_of(once, "F1", "C").status, ReactivityStatus::kAmbiguous);
  EXPECT_EQ(call_of(once, "F1", "C").candidates, Names{"C"});
  EXPECT_EQ(call_of(once, "F1", "C").note, "one reading: PP2 (elispot_ifng) by elimination");
  EXPECT_EQ(call_of(d, "F1", "C").sequences, Names{"pC1"});
  const NeoantigenCall& a = call_of(d, "F1", "A");
  EXPECT_EQ(a.status, ReactivityStatus::kNotTested);  // its minigene (other epitopes) untested
  EXPECT_EQ(a.peptides_cleared, 1);
  EXPECT_EQ(a.minigenes, 1);
  EXPECT_EQ(a.minigenes_cleared, 0);
  EXPECT_EQ(a.constructs, (Names{"PP1", "PP2"}));
  EXPECT_EQ(call_of(d, "F1", "B").status, ReactivityStatus::kNotTested);
}

TEST(Deconvolve, NegativeTmgClearsTheNeoantigenOnlyWhenEveryTileIsCleared) {
  // A frameshift with two 25-mer tiles in two TMGs.
  const std::vector<Construct> constructs = {
      tmg("TMG1", {{"A", "mA1"}, {"B", "mB"}}),
      tmg("TMG2", {{"A", "mA2"}, {"C", "mC"}}),
  };
  const Deconvolution half = deconvolve(
      constructs,
      {outcome("F1", "TMG1", "elispot_ifng", kNeg),
       outcome("F1", "TMG2", "elispot_ifng", CallStatus::kControlFailed)},
      {"F1"}, {}, "readouts.tsv");
  EXPECT_EQ(call_of(half, "F1", "A").status, ReactivityStatus::kNotTested);
  EXPECT_EQ(call_of(half, "F1", "A").minigenes, 2);
  EXPECT_EQ(call_of(half, "F1", "A").minigenes_cleared, 1);
  EXPECT_EQ(call_of(half, "F1", "B").status, ReactivityStatus::kNotReactive);
  EXPECT_EQ(call_of(half, "F1", "C").status, ReactivityStatus::kNotTested);
  const Deconvolution full = deconvolve(constructs,
                                        {outcome("F1", "TMG1", "elispot_ifng", kNeg),
                                         outcome("F1", "TMG2", "elispot_ifng", kNeg)},
                                        {"F1"}, {}, "readouts.tsv");
  EXPECT_EQ(call_of(full, "F1", "A").status, ReactivityStatus::kNotReactive);
  EXPECT_EQ(call_of(full, "F1", "A").constructs, (Names{"TMG1", "TMG2"}));
}

TEST(Deconvolve, NegativeMinigeneClearsThePeptidesItContains) {
  // A's 25-mer holds A's peptide; C's peptide sits in no minigene.
  const std::vector<Construct> constructs = {
      tmg("TMG1", {{"A", "SSSSSSSKRASMUTPEPSSSSSSSS"}, {"B", "TTTTTTTTTTTTTTTTTTTTTTTTT"}}),
      pool("PP1", {{"A", "KRASMUTPEP"}, {"C", "CCCCCCCCC"}}),
  };
  const std::vector<ConstructOutcome> outcomes = read_twice({outcome("F1", "TMG1", "elispot_ifng", kNeg, 2),
                                                             outcome("F1", "PP1", "elispot_ifng", kPos, 3)});
  const Deconvolution d = deconvolve(constructs, outcomes, {"F1"}, {"A", "B", "C"}, "r.tsv");
  // The culture ignored APCs processing A's whole 25-mer: PP1's response is C's.
  EXPECT_EQ(call_of(d, "F1", "C").status, ReactivityStatus::kReactive);
  EXPECT_EQ(call_of(d, "F1", "C").sequences, Names{"CCCCCCCCC"});
  EXPECT_EQ(call_of(d, "F1", "A").status, ReactivityStatus::kNotReactive);
  EXPECT_EQ(call_of(d, "F1", "A").peptides_cleared, 1);
  EXPECT_EQ(call_of(d, "F1", "C").peptides_cleared, 0);
  // Off, the pool stays ambiguous between A and C.
  DeconvolutionParams off;
  off.clear_contained_peptides = false;
  const Deconvolution o = deconvolve(constructs, outcomes, {"F1"}, {"A", "B", "C"}, "r.tsv", off);
  EXPECT_EQ(with_status(o, "F1", ReactivityStatus::kAmbiguous), (Names{"A", "C"}));
  EXPECT_EQ(call_of(o, "F1", "A").peptides_cleared, 0);
}

TEST(Deconvolve, APositiveOrInconclusiveMinigeneClearsNoPeptide) {
  const std::vector<Construct> constructs = {
      tmg("TMG1", {{"A", "SSSSSSSKRASMUTPEPSSSSSSSS"}}),
      pool("PP1", {{"A", "KRASMUTPEP"}, {"C", "CCCCCCCCC"}}),
  };
  for (const CallStatus tmg_status : {kPos, CallStatus::kControlFailed}) {
    const Deconvolution d = deconvolve(
        constructs, {outcome("F1", "TMG1", "elispot_ifng", tmg_status), outcome("F1", "PP1", "elispot_ifng", kPos)},
        {"F1"}, {"A", "C"}, "r.tsv");
    EXPECT_EQ(call_of(d, "F1", "A").peptides_cleared, 0);
    EXPECT_NE(call_of(d, "F1", "C").status, ReactivityStatus::kReactive);
  }
}

/// Nine neoantigens N1..N9, one peptide each, in a 3 x 3 matrix: rows R1..R3, columns C1..C3;
/// peptide of N(3r + c + 1) sits in row r + 1 and column c + 1.
std::vector<Construct> matrix_3x3() {
  std::vector<Construct> constructs;
  for (int r = 0; r < 3; ++r) {
    std::vector<test::Slot> row;
    for (int c = 0; c < 3; ++c) row.emplace_back(numbered("N", 3 * r + c + 1), numbered("p", 3 * r + c + 1));
    constructs.push_back(pool(numbered("R", r + 1), row));
  }
  for (int c = 0; c < 3; ++c) {
    std::vector<test::Slot> column;
    for (int r = 0; r < 3; ++r) column.emplace_back(numbered("N", 3 * r + c + 1), numbered("p", 3 * r + c + 1));
    constructs.push_back(pool(numbered("C", c + 1), column));
  }
  return constructs;
}

TEST(Deconvolve, MatrixWithOneReactivePeptideResolvesIt) {
  const auto constructs = matrix_3x3();
  const Deconvolution d = deconvolve(constructs, simulate(constructs, "F1", {"p6"}), {"F1"}, {}, "r.tsv");
  EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kReactive), Names{"N6"});
  EXPECT_EQ(call_of(d, "F1", "N6").constructs, (Names{"R2", "C3"}));
  EXPECT_TRUE(with_status(d, "F1", ReactivityStatus::kAmbiguous).empty());
  // Peptides alone never clear a neoantigen.
  EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kNotTested).size(), 8u);
  EXPECT_EQ(call_of(d, "F1", "N1").peptides_cleared, 1);
}

TEST(Deconvolve, MatrixWithTwoReactivePeptidesInDifferentRowsIsAmbiguousAmongTheIntersections) {
  const auto constructs = matrix_3x3();
  // p1 at (row 1, column 1) and p5 at (row 2, column 2): rows 1-2 and columns 1-2 are positive,
  // so p1, p2, p4, p5 all sit at positive intersections.
  const Deconvolution d = deconvolve(constructs, simulate(constructs, "F1", {"p1", "p5"}), {"F1"}, {}, "r.tsv");
  EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kAmbiguous), (Names{"N1", "N2", "N4", "N5"}));
  EXPECT_EQ(call_of(d, "F1", "N2").candidates, (Names{"N1", "N2", "N4", "N5"}));
  EXPECT_TRUE(with_status(d, "F1", ReactivityStatus::kReactive).empty());
  for (const PositiveConstruct& p : d.positives) {
    EXPECT_EQ(p.resolution, Resolution::kAmbiguous) << p.construct;
    EXPECT_EQ(p.candidates.size(), 2u) << p.construct;
  }
  EXPECT_EQ(d.positives.size(), 4u);
}

TEST(Deconvolve, MatrixWithTwoReactivePeptidesInOneRowResolvesBoth) {
  const auto constructs = matrix_3x3();
  const auto outcomes = read_twice(simulate(constructs, "F1", {"p1", "p2"}));
  const Deconvolution d = deconvolve(constructs, outcomes, {"F1"}, {}, "r.tsv");
  EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kReactive), (Names{"N1", "N2"}));
  EXPECT_EQ(call_of(d, "F1", "N1").constructs, Names{"C1"});
  EXPECT_TRUE(with_status(d, "F1", ReactivityStatus::kAmbiguous).empty());
  // Read in ELISpot alone, each column's resolution rests on one reading (R1 is ambiguous between them).
  const Deconvolution once = deconvolve(constructs, simulate(constructs, "F1", {"p1", "p2"}), {"F1"}, {}, "r.tsv");
  EXPECT_TRUE(with_status(once, "F1", ReactivityStatus::kReactive).empty());
  EXPECT_EQ(with_status(once, "F1", ReactivityStatus::kAmbiguous), (Names{"N1", "N2"}));
  EXPECT_EQ(call_of(once, "F1", "N1").note, "one reading: C1 (elispot_ifng) by elimination");
}

TEST(Deconvolve, AResolutionByEliminationOnOneReadingIsAmbiguous) {
  // p1 (row 1, column 1) is reactive: R1 and C1 read positive in ELISpot and 4-1BB CD8. R2 is a false
  // positive in 4-1BB CD8 only: its p5 and p6 sit in negative columns, so elimination leaves p4, in C1.
  const auto constructs = matrix_3x3();
  std::vector<ConstructOutcome> outcomes = read_twice(simulate(constructs, "F1", {"p1"}));
  for (ConstructOutcome& o : outcomes)
    if (o.construct == "R2" && o.assay == "cd137_cd8") o.status = kPos;
  const Deconvolution d = deconvolve(constructs, outcomes, {"F1"}, {}, "r.tsv");
  EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kReactive), Names{"N1"});
  const NeoantigenCall& n4 = call_of(d, "F1", "N4");
  EXPECT_EQ(n4.status, ReactivityStatus::kAmbiguous);
  EXPECT_EQ(n4.candidates, (Names{"N1", "N4"}));  // tied to N1 through C1
  EXPECT_EQ(n4.constructs, (Names{"R2", "C1"}));
  EXPECT_EQ(n4.note, "one reading: R2 (cd137_cd8) by elimination");
  EXPECT_TRUE(call_of(d, "F1", "N1").note.empty());
  ASSERT_EQ(d.positives.size(), 3u);
  const PositiveConstruct& r2 = d.positives[1];
  EXPECT_EQ(r2.construct, "R2");
  EXPECT_EQ(r2.resolution, Resolution::kAmbiguous);
  EXPECT_TRUE(r2.one_reading);
  EXPECT_EQ(r2.neoantigens, Names{"N4"});
  ASSERT_EQ(r2.candidates.size(), 1u);
  EXPECT_EQ(r2.candidates[0].sequence, "p4");
  EXPECT_FALSE(d.positives[0].one_reading);

  // A second reading of R2 itself agrees: N4 is reactive.
  std::vector<ConstructOutcome> twice = outcomes;
  for (ConstructOutcome& o : twice)
    if (o.construct == "R2") o.status = kPos;
  EXPECT_EQ(with_status(deconvolve(constructs, twice, {"F1"}, {}, "r.tsv"), "F1", ReactivityStatus::kReactive),
            (Names{"N1", "N4"}));
  // So does a reading of another construct resolving to N4: p4 tested alone, positive.
  auto with_p4 = constructs;
  with_p4.push_back(test::construct("p4", ConstructKind::kPeptide, {{"N4", "p4"}}));
  std::vector<ConstructOutcome> alone = outcomes;
  alone.push_back(outcome("F1", "p4", "cd137_cd8", kPos));
  const Deconvolution confirmed = deconvolve(with_p4, alone, {"F1"}, {}, "r.tsv");
  EXPECT_EQ(with_status(confirmed, "F1", ReactivityStatus::kReactive), (Names{"N1", "N4"}));
  EXPECT_EQ(call_of(confirmed, "F1", "N4").constructs, (Names{"R2", "p4"}));
  // p4 alone negative clears it: R2 is unexplained and C1 resolves to N1.
  alone.back().status = kNeg;
  const Deconvolution cleared = deconvolve(with_p4, alone, {"F1"}, {}, "r.tsv");
  EXPECT_EQ(with_status(cleared, "F1", ReactivityStatus::kReactive), Names{"N1"});
  EXPECT_TRUE(with_status(cleared, "F1", ReactivityStatus::kAmbiguous).empty());
  EXPECT_EQ(cleared.positives[1].resolution, Resolution::kUnexplained);
}

TEST(Deconvolve, AConstructOfOneNeoantigenResolvesOnOneReading) {
  // Nothing is eliminated: every member of PP1 (two epitopes) and TMG1 (two frameshift tiles) is A's or B's.
  const std::vector<Construct> constructs = {pool("PP1", {{"A", "pepA1"}, {"A", "pepA2"}}),
                                             tmg("TMG1", {{"B", "mB1"}, {"B", "mB2"}})};
  const Deconvolution d = deconvolve(
      constructs, {outcome("F1", "PP1", "cd137_cd8", kPos), outcome("F1", "TMG1", "ox40_cd4", kPos)}, {}, {}, "r.tsv");
  EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kReactive), (Names{"A", "B"}));
  for (const PositiveConstruct& p : d.positives) EXPECT_FALSE(p.one_reading) << p.construct;
}

TEST(Deconvolve, AResolutionMustAgreeWithTheOtherReadingsAssayByAssay) {
  // p1 (row 1, column 1) stimulates CD8 cells: R1 reads positive in ELISpot and 4-1BB CD8, C1 in ELISpot only.
  // p6 (row 2, column 3) stimulates a few CD4 cells: R2 reads positive in OX40 CD4, but C3 missed it. By
  // elimination R2's one candidate is p4 (row 2, column 1), yet C1, which holds p4, read OX40 negative.
  const auto constructs = matrix_3x3();
  const auto reads = [](const std::string& construct, CallStatus elispot, CallStatus cd8, CallStatus cd4) {
    return std::vector<ConstructOutcome>{outcome("F1", construct, "elispot_ifng", elispot),
                                         outcome("F1", construct, "cd137_cd8", cd8),
                                         outcome("F1", construct, "ox40_cd4", cd4)};
  };
  std::vector<ConstructOutcome> outcomes;
  for (const auto& [construct, elispot, cd8, cd4] :
       std::vector<std::tuple<std::string, CallStatus, CallStatus, CallStatus>>{
           {"R1", kPos, kPos, kNeg}, {"R2", kNeg, kNeg, kPos}, {"R3", kNeg, kNeg, kNeg},
           {"C1", kPos, kNeg, kNeg}, {"C2", kNeg, kNeg, kNeg}, {"C3", kNeg, kNeg, kNeg}}) {
    const auto o = reads(construct, elispot, cd8, cd4);
    outcomes.insert(outcomes.end(), o.begin(), o.end());
  }
  const Deconvolution d = deconvolve(constructs, outcomes, {"F1"}, {}, "r.tsv");
  EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kReactive), Names{"N1"});  // R1's ELISpot agrees with C1's
  EXPECT_EQ(call_of(d, "F1", "N1").constructs, (Names{"R1"}));
  EXPECT_EQ(call_of(d, "F1", "N4").status, ReactivityStatus::kAmbiguous);  // C1's other candidate
  ASSERT_EQ(d.positives.size(), 3u);
  EXPECT_EQ(d.positives[1].construct, "R2");
  EXPECT_EQ(d.positives[1].resolution, Resolution::kUnexplained);
  EXPECT_EQ(d.positives[1].positive_assays, Names{"ox40_cd4"});
  // Read the same way in every assay (the culture's response to p4 seen by ELISpot and 4-1BB CD8, which C1
  // read negative: in ELISpot the two agree), R2 resolves p4.
  for (ConstructOutcome& o : outcomes)
    if (o.construct == "R2") o.status = o.assay == "ox40_cd4" ? kNeg : kPos;
  const Deconvolution agreeing = deconvolve(constructs, outcomes, {"F1"}, {}, "r.tsv");
  EXPECT_EQ(with_status(agreeing, "F1", ReactivityStatus::kReactive), (Names{"N1", "N4"}));
}

TEST(Deconvolve, AMatrixPoolCannotResolveANeoantigenWhoseMinigeneReadNegative) {
  // N1's 25-mer holds p1 and read negative; a (false) positive row R1 and column C1 would resolve N1.
  auto constructs = matrix_3x3();
  constructs.push_back(tmg("TMG1", {{"N1", "xxxxxxxxxxxp1xxxxxxxxxxxx"}}));
  std::vector<ConstructOutcome> outcomes = simulate(constructs, "F1", {"p1"});
  for (ConstructOutcome& o : outcomes)
    if (o.construct == "TMG1") o.status = kNeg;
  const Deconvolution d = deconvolve(constructs, outcomes, {"F1"}, {}, "r.tsv");
  EXPECT_TRUE(with_status(d, "F1", ReactivityStatus::kReactive).empty());
  EXPECT_EQ(call_of(d, "F1", "N1").status, ReactivityStatus::kNotReactive);
  for (const PositiveConstruct& p : d.positives) EXPECT_EQ(p.resolution, Resolution::kUnexplained) << p.construct;
  DeconvolutionParams off;
  off.clear_contained_peptides = false;
  EXPECT_EQ(with_status(deconvolve(constructs, outcomes, {"F1"}, {}, "r.tsv", off), "F1", ReactivityStatus::kReactive),
            Names{"N1"});
}

TEST(Deconvolve, FlaggedControlsLeaveNeoantigensNotTested) {
  const std::vector<Construct> constructs = {tmg("TMG1", {{"A", "mA"}, {"B", "mB"}})};
  const Deconvolution d = deconvolve(constructs,
                                     {outcome("F1", "TMG1", "elispot_ifng", CallStatus::kNoControl, 4),
                                      outcome("F1", "TMG1", "cd137_cd8", CallStatus::kControlFailed, 5),
                                      outcome("F2", "TMG1", "elispot_ifng", kNeg, 6),
                                      outcome("F2", "TMG1", "cd137_cd8", CallStatus::kControlFailed, 7)},
                                     {"F1", "F2"}, {"A", "B"}, "r.tsv");
  for (const char* f : {"F1", "F2"}) {
    EXPECT_EQ(with_status(d, f, ReactivityStatus::kNotTested), (Names{"A", "B"})) << f;
    EXPECT_EQ(call_of(d, f, "A").minigenes_cleared, 0) << f;
  }
  EXPECT_EQ(call_of(d, "F2", "A").constructs, Names{"TMG1"});
  EXPECT_EQ(call_of(d, "F2", "A").lines, (std::vector<ReadoutPlace>{{0, 6}, {0, 7}}));
}

TEST(Deconvolve, ClearsWithinOneFragmentOnly) {
  const std::vector<Construct> constructs = {tmg("TMG1", {{"A", "mA"}, {"B", "mB"}}), tmg("TMG2", {{"B", "mB"}})};
  const Deconvolution d = deconvolve(
      constructs, {outcome("F1", "TMG2", "elispot_ifng", kNeg), outcome("F2", "TMG1", "elispot_ifng", kPos)},
      {"F1", "F2"}, {"A", "B"}, "r.tsv");
  EXPECT_EQ(call_of(d, "F1", "B").status, ReactivityStatus::kNotReactive);
  EXPECT_EQ(call_of(d, "F1", "A").status, ReactivityStatus::kNotTested);
  EXPECT_EQ(with_status(d, "F2", ReactivityStatus::kAmbiguous), (Names{"A", "B"}));
}

TEST(Deconvolve, PositiveWithEveryMemberClearedIsUnexplained) {
  std::vector<Construct> constructs = {tmg("TMG1", {{"A", "mA"}, {"B", "mB"}})};
  constructs.push_back(test::construct("MG.a.1", ConstructKind::kMinigene, {{"A", "mA"}}));
  constructs.push_back(test::construct("MG.b.1", ConstructKind::kMinigene, {{"B", "mB"}}));
  const Deconvolution d = deconvolve(constructs,
                                     {outcome("F1", "TMG1", "elispot_ifng", kPos),
                                      outcome("F1", "MG.a.1", "elispot_ifng", kNeg),
                                      outcome("F1", "MG.b.1", "elispot_ifng", kNeg)},
                                     {}, {}, "r.tsv");
  ASSERT_EQ(d.positives.size(), 1u);
  EXPECT_EQ(d.positives[0].resolution, Resolution::kUnexplained);
  EXPECT_TRUE(d.positives[0].candidates.empty());
  EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kNotReactive), (Names{"A", "B"}));
}

TEST(Deconvolve, AmbiguityGroupsIncludeResolvedNeighbours) {
  // TMG2 resolves A; TMG1 still leaves A and B: B may be reactive too, and A explains TMG1.
  const std::vector<Construct> constructs = {tmg("TMG1", {{"A", "mA"}, {"B", "mB"}}),
                                             tmg("TMG2", {{"A", "mA"}, {"C", "mC"}}), tmg("TMG3", {{"C", "mC"}})};
  const Deconvolution d = deconvolve(constructs, read_twice(simulate(constructs, "F1", {"mA"})), {}, {}, "r.tsv");
  EXPECT_EQ(call_of(d, "F1", "A").status, ReactivityStatus::kReactive);
  EXPECT_EQ(call_of(d, "F1", "A").constructs, Names{"TMG2"});
  EXPECT_EQ(call_of(d, "F1", "B").status, ReactivityStatus::kAmbiguous);
  EXPECT_EQ(call_of(d, "F1", "B").candidates, (Names{"A", "B"}));
  EXPECT_EQ(call_of(d, "F1", "C").status, ReactivityStatus::kNotReactive);
}

TEST(Deconvolve, ASequenceSharedByTwoNeoantigensCannotBeSplit) {
  const std::vector<Construct> constructs = {pool("PP1", {{"A", "SHAREDPEP"}}), pool("PP2", {{"B", "SHAREDPEP"}})};
  const Deconvolution d = deconvolve(constructs, {outcome("F1", "PP1", "cd137_cd8", kPos)}, {}, {}, "r.tsv");
  EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kAmbiguous), (Names{"A", "B"}));
}

TEST(Deconvolve, ReportOrderListsGivenIdsFirstThenNewOnesAsTheyAppear) {
  const std::vector<Construct> constructs = {tmg("TMG1", {{"Z", "mZ"}, {"A", "mA"}})};
  const Deconvolution d = deconvolve(
      constructs, {outcome("F9", "TMG1", "elispot_ifng", kNeg), outcome("F0", "TMG1", "elispot_ifng", kNeg)},
      {"F5"}, {"Q"}, "r.tsv");
  EXPECT_EQ(d.fragments, (Names{"F5", "F9", "F0"}));
  EXPECT_EQ(d.neoantigens, (Names{"Q", "Z", "A"}));
  EXPECT_EQ(d.neoantigen_calls.size(), 9u);
  EXPECT_EQ(call_of(d, "F5", "Z").status, ReactivityStatus::kNotTested);  // F5 has no readouts
  EXPECT_EQ(call_of(d, "F0", "Q").status, ReactivityStatus::kNotTested);  // Q is in no construct
  EXPECT_EQ(call_of(d, "F0", "Z").status, ReactivityStatus::kNotReactive);
}

TEST(Deconvolve, UnknownConstructNamesTheFileAndLine) {
  const std::vector<Construct> constructs = {tmg("TMG1", {{"A", "mA"}})};
  try {
    deconvolve(constructs,
               {outcome("F1", "positive", "elispot_ifng", kPos, 2), outcome("F1", "TMG7", "elispot_ifng", kNeg, 3)},
               {}, {}, "readouts.tsv");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "readouts.tsv");
    EXPECT_EQ(e.where(), "line 3");
    EXPECT_NE(std::string(e.what()).find("TMG7"), std::string::npos);
  }
}

TEST(Deconvolve, RejectsMalformedConstructs) {
  Construct bad = tmg("TMG1", {{"A", "mA"}});
  bad.sequences.clear();
  EXPECT_THROW(deconvolve({bad}, {}, {}, {}, "r.tsv"), std::invalid_argument);
  EXPECT_THROW(deconvolve({tmg("TMG1", {{"A", "mA"}}), tmg("TMG1", {{"B", "mB"}})}, {}, {}, {}, "r.tsv"),
               std::invalid_argument);
}

TEST(Deconvolve, NoOutcomesGiveEveryNeoantigenNotTested) {
  const Deconvolution d = deconvolve({tmg("TMG1", {{"A", "mA"}})}, {}, {"F1"}, {}, "r.tsv");
  EXPECT_TRUE(d.calls.empty());
  EXPECT_EQ(with_status(d, "F1", ReactivityStatus::kNotTested), Names{"A"});
  EXPECT_EQ(reactivity_name(ReactivityStatus::kNotReactive), "not_reactive");
}

}  // namespace
}  // namespace tilmatch::screen
