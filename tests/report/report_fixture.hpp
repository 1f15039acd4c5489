#pragma once
/// A small, realistic run for the report tests: four TIL cultures, six clonotypes, four candidate
/// neoantigens (three with evidence, one through a neighbour route), a design and notes.

#include "rank/model.hpp"
#include "report/html_report.hpp"
#include "tilmatch/clonotypes.hpp"

namespace tilmatch::test {

struct ReportFixture {
  rank::RunResult result;
  ClonotypeTable table;
  /// A ReportInput pointing into this fixture (keep the fixture alive while using it).
  report::ReportInput input() const;
};

/// Ranking order F03, F01, F02, F04 (manifest order F01..F04); F04 has no evidence.
ReportFixture make_report_fixture();

}  // namespace tilmatch::test
