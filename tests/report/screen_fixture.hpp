#pragma once
/// A screen of the report fixture's four cultures (report_fixture.hpp), built by hand: calls of two
/// assays on two TMGs and two peptide pools, reactive clonotypes proven by sorted TCR-seq and where
/// they are tracked, a tiered ranking that differs from the public one, the product and a next round.
///
///   F01  screened: TMG1 inconclusive (no negative wells for cd137_cd8), BRAF cleared by TMG2;
///        tracked: R1 (CD8, KRAS) at 5% and R4 (CD4) at 0.5%
///   F02  screened: TMG2 resolves BRAF, TMG1 ambiguous (TP53 | KRAS), cd137_cd8 positive control failed;
///        tracked: R2 (CD8) 8%, R3 (CD4) 4%
///   F03  screened: PP2 resolves KRAS, TMG1 ambiguous; tracked: R1 20%, R2 3% (C3 is a neighbour of R1)
///   F04  not screened; carries R4 (CD4) at 50%
/// Screen ranking F02, F03, F04, F01 (public ranking: F03, F02, F01, F04). Deconvolution and product
/// come from screen::deconvolve, rank::product_candidates and screen::choose_product (k = 2) over these
/// inputs.

#include "rank/screen_result.hpp"
#include "report/report_fixture.hpp"

namespace tilmatch::test {

struct ScreenReportFixture {
  ReportFixture run;
  rank::ScreenOutcome screen;
  /// The run's ReportInput with `screen` set (keep the fixture alive while using it).
  report::ReportInput input() const;
};

ScreenReportFixture make_screen_report_fixture();

}  // namespace tilmatch::test
