// The HLA factor of a reference route (mismatch penalised, other annotations of the TCR or of its
// epitope and presentation settling it) and the detection of one TCR + epitope annotated with conflicting MHCs.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rank/hla_evidence.hpp"

namespace tilmatch::rank {
namespace {

using names::HlaMatch;

ModelParams params(double mismatch = 0.25, double unknown = 0.5) {
  ModelParams p;
  p.hla_mismatch_factor = mismatch;
  p.hla_unknown_factor = unknown;
  return p;
}

TEST(DecideHla, OwnMatchIsFactorOne) {
  const HlaDecision d = decide_hla({HlaMatch::kMatch, false, false}, params());
  EXPECT_EQ(d.outcome, HlaOutcome::kMatch);
  EXPECT_EQ(d.factor, 1.0);
  EXPECT_STREQ(to_string(d.outcome), "match");
}

TEST(DecideHla, MismatchIsPenalisedByTheParameterNotDropped) {
  const HlaDecision d = decide_hla({HlaMatch::kMismatch, false, false}, params(0.3));
  EXPECT_EQ(d.outcome, HlaOutcome::kMismatch);
  EXPECT_EQ(d.factor, 0.3);
  EXPECT_STREQ(to_string(d.outcome), "mismatch");
  EXPECT_EQ(decide_hla({HlaMatch::kMismatch, false, false}, params(0.0)).factor, 0.0) << "0 restores the drop";
}

TEST(DecideHla, UnknownTakesTheUnknownFactor) {
  const HlaDecision d = decide_hla({HlaMatch::kUnknown, false, false}, params(0.25, 0.4));
  EXPECT_EQ(d.outcome, HlaOutcome::kUnknown);
  EXPECT_EQ(d.factor, 0.4);
}

TEST(DecideHla, AnotherAnnotationThatMatchesWins) {
  for (HlaMatch own : {HlaMatch::kMismatch, HlaMatch::kUnknown}) {
    const HlaDecision d = decide_hla({own, true, false}, params());
    EXPECT_EQ(d.outcome, HlaOutcome::kOtherAnnotation);
    EXPECT_EQ(d.factor, 1.0);
    EXPECT_STREQ(to_string(d.outcome), "match_other_annotation");
  }
  // The row's own match is reported as such even when others match too.
  EXPECT_EQ(decide_hla({HlaMatch::kMatch, true, true}, params()).outcome, HlaOutcome::kMatch);
}

TEST(DecideHla, PresentationSettlesAMismatchOrAMissingMhc) {
  for (HlaMatch own : {HlaMatch::kMismatch, HlaMatch::kUnknown}) {
    const HlaDecision d = decide_hla({own, false, true}, params());
    EXPECT_EQ(d.outcome, HlaOutcome::kPresented);
    EXPECT_EQ(d.factor, 1.0);
    EXPECT_STREQ(to_string(d.outcome), "presented");
  }
  // Another annotation is named before the prediction: it is the stronger statement.
  EXPECT_EQ(decide_hla({HlaMatch::kMismatch, true, true}, params()).outcome, HlaOutcome::kOtherAnnotation);
}

TEST(DecideHla, AnotherTcrOfTheEpitopeRestrictedByAPatientAlleleSettlesAMismatchOrAMissingMhc) {
  for (HlaMatch own : {HlaMatch::kMismatch, HlaMatch::kUnknown}) {
    const HlaDecision d = decide_hla({own, false, false, true}, params(0.25, 0.4));
    EXPECT_EQ(d.outcome, HlaOutcome::kEpitopeAnnotation);
    EXPECT_EQ(d.factor, 0.4) << "the epitope is presented, whether this TCR sees it there is unknown";
    EXPECT_STREQ(to_string(d.outcome), "match_epitope_annotation");
  }
  // Statements about this TCR, and the patient's own presentation, are named first.
  EXPECT_EQ(decide_hla({HlaMatch::kMatch, false, false, true}, params()).outcome, HlaOutcome::kMatch);
  EXPECT_EQ(decide_hla({HlaMatch::kMismatch, true, false, true}, params()).outcome, HlaOutcome::kOtherAnnotation);
  EXPECT_EQ(decide_hla({HlaMatch::kMismatch, false, true, true}, params()).outcome, HlaOutcome::kPresented);
}

TEST(IsPresented, WeakBinderCutOffs) {
  EXPECT_TRUE(is_presented(2.0, std::nullopt));
  EXPECT_FALSE(is_presented(2.01, std::nullopt));
  EXPECT_FALSE(is_presented(3.0, 20.0)) << "the rank decides when given";
  EXPECT_TRUE(is_presented(std::nullopt, 500.0));
  EXPECT_FALSE(is_presented(std::nullopt, 501.0));
  EXPECT_FALSE(is_presented(std::nullopt, std::nullopt));
}

ReferenceTcr row(std::string cdr3b, std::string vb, std::string epitope, std::string mhc, std::string source,
                 std::string cdr3a = "") {
  ReferenceTcr r;
  r.id = source + ":" + cdr3b;
  r.tcr.cdr3b = std::move(cdr3b);
  r.tcr.vb = std::move(vb);
  r.tcr.cdr3a = std::move(cdr3a);
  r.epitope = std::move(epitope);
  r.mhc = std::move(mhc);
  r.source = std::move(source);
  return r;
}

TEST(SameTcrGroups, EpitopeCdr3bAndTrbvGeneOrCdr3Alpha) {
  const std::vector<ReferenceTcr> rows = {
      row("CASSTSTGQGWHYGYTF", "TRBV28", "MLIGIPVYV", "HLA-A*24:02", "VDJdb", "CAMSPLLETGANNLFF"),  // 0
      row("CASSLGQAYEQYF", "TRBV7-9*01", "NLVPMVATV", "HLA-A*02:01", "VDJdb"),                     // 1
      row("CASSTSTGQGWHYGYTF", "TRBV28*01", "MLIGIPVYV", "HLA-A*02:01", "NeoTCR"),  // 2: allele ignored
      row("CASSTSTGQGWHYGYTF", "TRBV28", "GILGFVFTL", "HLA-A*02:01", "VDJdb"),                    // 3: other epitope
      row("CASSTSTGQGWHYGYTF", "TRBV6-5", "MLIGIPVYV", "HLA-A*02:01", "other"),                   // 4: other V
      row("CASSTSTGQGWHYGYTF", "", "MLIGIPVYV", "HLA-A*02:01", "NDD", "CAMSPLLETGANNLFF"),        // 5: no V, same alpha
      row("CASSTSTGQGWHYGYTF", "", "MLIGIPVYV", "HLA-A*02:01", "NDD", "CAVXF"),                   // 6: no V, other alpha
  };
  const std::vector<std::uint32_t> g = same_tcr_groups(rows);
  EXPECT_EQ(g, (std::vector<std::uint32_t>{0, 1, 0, 3, 4, 0, 6}));
  EXPECT_TRUE(same_tcr_groups({}).empty());
}

TEST(FindMhcConflicts, ListsIncompatibleAnnotationsWithTheirSources) {
  const std::vector<ReferenceTcr> rows = {
      row("CASSLGQAYEQYF", "TRBV7-9", "NLVPMVATV", "HLA-A*02", "VDJdb"),                // 0
      row("CASSTSTGQGWHYGYTF", "TRBV28", "MLIGIPVYV", "HLA-A*24:02", "VDJdb"),          // 1
      row("CASSLGQAYEQYF", "TRBV7-9", "NLVPMVATV", "HLA-A*02:01", "IEDB"),              // 2: compatible with 0
      row("CASSTSTGQGWHYGYTF", "TRBV28*01", "MLIGIPVYV", "HLA-A*02:01", "NeoTCR"),      // 3: conflicts with 1
      row("CASSTSTGQGWHYGYTF", "TRBV28", "MLIGIPVYV", "", "validated"),                 // 4: no MHC, same TCR
      row("CASSTSTGQGWHYGYTF", "TRBV28", "MLIGIPVYV", "HLA-A*02:01", "NeoTCR"),         // 5: a repeat
      row("CASRDGF", "TRBV5-1", "KVDPIGHVY", "HLA-A*30:02", "NeoTCR"),                  // 6: alone
  };
  const auto conflicts = find_mhc_conflicts(rows, same_tcr_groups(rows));
  ASSERT_EQ(conflicts.size(), 1u);
  const ReferenceMhcConflict& c = conflicts[0];
  EXPECT_EQ(c.epitope, "MLIGIPVYV");
  EXPECT_EQ(c.cdr3b, "CASSTSTGQGWHYGYTF");
  EXPECT_EQ(c.vb, "TRBV28");
  EXPECT_EQ(c.mhcs, (std::vector<std::string>{"HLA-A*02:01", "HLA-A*24:02"}));
  EXPECT_EQ(c.sources, (std::vector<std::string>{"NeoTCR", "VDJdb", "validated"}));
  EXPECT_EQ(c.rows, (std::vector<std::uint32_t>{1, 3, 4, 5}));
}

TEST(FindMhcConflicts, ClassIiPairsCompareByTheirBetaChain) {
  const std::vector<ReferenceTcr> rows = {
      row("CASSPGQF", "TRBV20-1", "PKYVKQNTLKLAT", "HLA-DRA*01:01,HLA-DRB1*04:01", "a"),
      row("CASSPGQF", "TRBV20-1", "PKYVKQNTLKLAT", "HLA-DRB1*04:01", "b"),
      row("CASSQGF", "TRBV20-1", "PKYVKQNTLKLAT", "HLA-DRA*01:01,HLA-DRB1*04:01", "a"),
      row("CASSQGF", "TRBV20-1", "PKYVKQNTLKLAT", "HLA-DRA*01:01,HLA-DRB1*01:01", "b"),
  };
  const auto conflicts = find_mhc_conflicts(rows, same_tcr_groups(rows));
  // DRA is shared by every DR molecule: the DRB1 chains decide, and only the second TCR's differ.
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].cdr3b, "CASSQGF");
}

TEST(FindMhcConflicts, OrderedByEpitopeThenCdr3) {
  const std::vector<ReferenceTcr> rows = {
      row("CASSZF", "TRBV2", "YYY", "HLA-B*07:02", "a"), row("CASSZF", "TRBV2", "YYY", "HLA-B*08:01", "b"),
      row("CASSBF", "TRBV2", "XXX", "HLA-A*01:01", "a"), row("CASSBF", "TRBV2", "XXX", "HLA-A*03:01", "b"),
      row("CASSAF", "TRBV2", "XXX", "HLA-A*01:01", "a"), row("CASSAF", "TRBV2", "XXX", "HLA-A*03:01", "b"),
  };
  const auto conflicts = find_mhc_conflicts(rows, same_tcr_groups(rows));
  ASSERT_EQ(conflicts.size(), 3u);
  EXPECT_EQ(conflicts[0].cdr3b, "CASSAF");
  EXPECT_EQ(conflicts[1].cdr3b, "CASSBF");
  EXPECT_EQ(conflicts[2].epitope, "YYY");
}

}  // namespace
}  // namespace tilmatch::rank
