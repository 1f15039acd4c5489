// The report's table of reference MHC conflicts: only epitopes that matched a candidate, the others
// counted, nothing at all when none matched, and every value escaped.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "report/html_mhc_conflicts.hpp"

namespace tilmatch::report::detail {
namespace {

rank::ReferenceMhcConflict conflict(std::string epitope, std::string cdr3b, std::vector<std::string> mhcs,
                                    std::vector<std::string> sources) {
  rank::ReferenceMhcConflict c;
  c.epitope = std::move(epitope);
  c.cdr3b = std::move(cdr3b);
  c.vb = "TRBV28";
  c.mhcs = std::move(mhcs);
  c.sources = std::move(sources);
  c.rows = {0, 1};
  return c;
}

const std::vector<rank::ReferenceMhcConflict> kConflicts = {
    conflict("GILGFVFTL", "CASSIRSSYEQYF", {"HLA-A*02:01", "HLA-B*08:01"}, {"VDJdb"}),
    conflict("MLIGIPVYV", "CASSTSTGQGWHYGYTF", {"HLA-A*02:01", "HLA-A*24:02"}, {"NeoTCR", "VDJdb <2026>"}),
};

TEST(HtmlMhcConflicts, ShowsCandidateEpitopesAndCountsTheRest) {
  std::string out;
  render_mhc_conflicts(out, kConflicts, {"KLMEQWSAV", "MLIGIPVYV"});
  EXPECT_NE(out.find("<section id=\"mhc-conflicts\">"), std::string::npos) << out;
  EXPECT_NE(out.find("CASSTSTGQGWHYGYTF"), std::string::npos);
  EXPECT_NE(out.find("HLA-A*02:01, HLA-A*24:02"), std::string::npos) << out;
  EXPECT_NE(out.find("NeoTCR, VDJdb &lt;2026&gt;"), std::string::npos) << out;
  EXPECT_EQ(out.find("CASSIRSSYEQYF"), std::string::npos) << "GILGFVFTL matched no candidate";
  EXPECT_NE(out.find("1 further conflict "), std::string::npos) << out;
  EXPECT_EQ(out.rfind("</section>\n"), out.size() - 11);
}

TEST(HtmlMhcConflicts, NothingWhenNoConflictConcernsACandidate) {
  std::string out = "before";
  render_mhc_conflicts(out, kConflicts, {"KLMEQWSAV"});
  EXPECT_EQ(out, "before");
  render_mhc_conflicts(out, {}, {"MLIGIPVYV"});
  EXPECT_EQ(out, "before");
}

}  // namespace
}  // namespace tilmatch::report::detail
