// The screen's sections of report.html, on the hand-built screen of screen_fixture.hpp, and the
// report without a screen against its golden bytes.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <limits>
#include <regex>
#include <string>
#include <vector>

#include "common/test_support.hpp"
#include "report/html_probe.hpp"
#include "report/html_report.hpp"
#include "report/screen_fixture.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/version.hpp"

namespace tilmatch::test {
namespace {

using report::render_html;

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

/// Renames a fragment in the run and everywhere the screen names it.
void rename_fragment(ScreenReportFixture& f, const std::string& from, const std::string& to) {
  auto fix = [&](std::string& id) {
    if (id == from) id = to;
  };
  for (auto& fragment : f.run.table.fragments) fix(fragment.id);
  rank::ScreenOutcome& s = f.screen;
  for (auto& c : s.calls) fix(c.fragment_id);
  for (auto& id : s.deconvolution.fragments) fix(id);
  for (auto& c : s.deconvolution.calls) fix(c.fragment_id);
  for (auto& p : s.deconvolution.positives) fix(p.fragment_id);
  for (auto& n : s.deconvolution.neoantigen_calls) fix(n.fragment_id);
  for (auto& r : s.reactive) fix(r.clonotype.fragment_id);
  for (auto& c : s.product_candidates) fix(c.fragment_id);
  for (auto& g : s.product_group_sources)
    if (!g.clonotype) fix(g.id);
  for (auto& step : s.next_round.steps) {
    fix(step.subject);
    for (auto& id : step.fragments) fix(id);
  }
}

/// The plate's cells of one culture, in column order.
std::vector<std::string> plate_row(const std::string& html, const std::string& fragment) {
  const std::string plate = section(html, "screen-calls");
  const auto rows = blocks(plate, "<tr><th class=\"row\">" + fragment + "</th>", "</tr>");
  EXPECT_EQ(rows.size(), 1u) << fragment;
  return rows.empty() ? std::vector<std::string>{} : blocks(rows[0], "<td class=\"pc", "</td>");
}

// The report of make_report_fixture() as main wrote it before the screen sections existed
// (commit 73188d7), with the version replaced. A report without a screen must keep these bytes;
// regenerate (TILMATCH_UPDATE_GOLDEN=1) only for an intended change to the first run's report.
TEST(HtmlScreenReport, WithoutAScreenTheReportKeepsItsGoldenBytes) {
  const auto f = make_report_fixture();
  std::string html = render_html(f.input());
  replace_all(html, std::string("tilmatch ") + kVersion, "tilmatch @TILMATCH_VERSION@");
  const auto golden = source_dir() / "tests" / "report" / "golden" / "report_without_screen.html";
  if (const char* update = std::getenv("TILMATCH_UPDATE_GOLDEN"); update != nullptr && *update == '1') {
    write_file(golden, html);
    GTEST_SKIP() << "rewrote " << golden;
  }
  const std::string expected = read_file(golden);
  if (html == expected) return;
  std::size_t at = 0;
  while (at < html.size() && at < expected.size() && html[at] == expected[at]) ++at;
  const std::size_t from = at < 80 ? 0 : at - 80;
  FAIL() << "report differs from " << golden << " at byte " << at << "\nexpected: ..." << expected.substr(from, 160)
         << "\nactual:   ..." << html.substr(from, 160);
}

TEST(HtmlScreenReport, ScreenSectionsFollowTheRankingAndComeBeforeThePublicEvidence) {
  const auto f = make_screen_report_fixture();
  const std::string html = render_html(f.input());
  std::size_t previous = 0;
  for (const char* id : {"ranking", "screen-calls", "screen-deconvolution", "screen-tracked", "screen-product",
                         "heatmap", "cultures", "neoantigens", "design", "run"}) {
    const auto at = html.find(std::string("<section id=\"") + id + "\">");
    ASSERT_NE(at, std::string::npos) << id;
    EXPECT_GT(at, previous) << id;
    previous = at;
    if (std::string(id) != "ranking") {
      EXPECT_NE(html.find(std::string("<a href=\"#") + id + "\">"), std::string::npos) << id;
    }
  }
}

TEST(HtmlScreenReport, RankingRowsFollowTheScreenWithTierConfidenceWhyAndTrackedFrequencies) {
  const auto f = make_screen_report_fixture();
  const std::string ranking = section(render_html(f.input()), "ranking");
  const auto rows = blocks(ranking, "<tr class=\"rank-row\">", "</tr>");
  ASSERT_EQ(rows.size(), 4u);
  // Screen order F02, F03, F04, F01 (the public order is F03, F02, F01, F04); links go to each
  // culture's drill-down, which keeps its public position.
  const std::vector<std::string> culture = {"<a href=\"#culture-2\">F02</a>", "<a href=\"#culture-1\">F03</a>",
                                            "<a href=\"#culture-4\">F04</a>", "<a href=\"#culture-3\">F01</a>"};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_NE(rows[i].find("data-label=\"Rank\">" + std::to_string(i + 1) + "</td>"), std::string::npos) << rows[i];
    EXPECT_NE(rows[i].find(culture[i]), std::string::npos) << rows[i];
    EXPECT_EQ(count(rows[i], "<td"), 9u) << rows[i];
    EXPECT_EQ(count(rows[i], "data-label=\""), 9u) << rows[i];
  }
  const std::string& f02 = rows[0];
  EXPECT_NE(f02.find("<span class=\"sub\">day: 14; site: lung</span>"), std::string::npos);
  EXPECT_NE(f02.find("<span class=\"badge tier-measured\">measured</span>"), std::string::npos);
  EXPECT_NE(f02.find("badge conf-high"), std::string::npos);
  EXPECT_NE(f02.find("data-label=\"Reactivities\">2</td>"), std::string::npos);
  EXPECT_NE(f02.find("data-label=\"Tracked CD4\">4.00%</td>"), std::string::npos);
  EXPECT_NE(f02.find("data-label=\"Tracked CD8\">8.00%</td>"), std::string::npos);
  // The public score stays, with the public rank.
  EXPECT_NE(f02.find("data-label=\"Public score\">0.07760 <span class=\"sub-inline\">#2</span>"), std::string::npos);
  EXPECT_NE(f02.find("unresolved among KRAS.G12D|TP53.R175H (BRAF.V600E: TMG2); a positive control failed"),
            std::string::npos);
  EXPECT_NE(rows[2].find("<span class=\"badge tier-tracked\">tracked</span>"), std::string::npos);
  EXPECT_NE(rows[2].find("data-label=\"Tracked CD4\">50.00%</td>"), std::string::npos);
  EXPECT_NE(rows[2].find("badge conf-medium"), std::string::npos);
  EXPECT_NE(rows[3].find("data-label=\"Tracked CD4\">0.50%</td>"), std::string::npos);
  EXPECT_NE(rows[3].find("data-label=\"Tracked CD8\">5.00%</td>"), std::string::npos);
  EXPECT_NE(rows[3].find("data-label=\"Public score\">0.06195 <span class=\"sub-inline\">#3</span>"),
            std::string::npos);
}

TEST(HtmlScreenReport, PlateHasOneCellPerScreenedCultureAndDesignConstruct) {
  const auto f = make_screen_report_fixture();
  const std::string html = render_html(f.input());
  const std::string plate = section(html, "screen-calls");
  // Design order, controls left out; F04 has no readouts.
  const auto tmg1 = plate.find(">TMG1</th>"), tmg2 = plate.find(">TMG2</th>"), pp1 = plate.find(">PP1</th>"),
             pp2 = plate.find(">PP2</th>");
  ASSERT_NE(tmg1, std::string::npos);
  EXPECT_LT(tmg1, tmg2);
  EXPECT_LT(tmg2, pp1);
  EXPECT_LT(pp1, pp2);
  EXPECT_EQ(count(plate, "<th class=\"pcol\""), 4u);
  EXPECT_EQ(count(plate, "<td class=\"pc "), 3u * 4u);
  EXPECT_EQ(plate.find("<th class=\"row\">F04</th>"), std::string::npos);
  EXPECT_NE(plate.find("Not screened: F04."), std::string::npos);
  EXPECT_NE(plate.find("title=\"TMG1: tandem minigene, 2 members — TP53.R175H, KRAS.G12D\""), std::string::npos);

  const auto f01 = plate_row(html, "F01"), f02 = plate_row(html, "F02"), f03 = plate_row(html, "F03");
  ASSERT_EQ(f03.size(), 4u);
  ASSERT_EQ(f02.size(), 4u);
  ASSERT_EQ(f01.size(), 4u);
  // Positive in both assays: ELISpot's DFR q (0.0031) beats the flow call, which ran no test.
  EXPECT_EQ(f03[0].rfind("<td class=\"pc pc-pos\"", 0), 0u);
  EXPECT_NE(f03[0].find("<span class=\"sym\">+</span> <span class=\"as\">E8</span><br>6.5×<br>"
                        "<span class=\"q\">q 0.0031</span>"),
            std::string::npos)
      << f03[0];
  EXPECT_NE(f03[3].find("<span class=\"as\">E</span><br>4.0×<br><span class=\"q\">q 0.0040</span>"),
            std::string::npos);
  // 31 / 3 spots = 10.3-fold; the flow call's failed positive control shows in the tooltip.
  EXPECT_NE(f02[0].find("<br>10×<br><span class=\"q\">q 0.012</span>"), std::string::npos) << f02[0];
  EXPECT_NE(f02[0].find("cd137_cd8: positive by flow_fold; 1.40 vs 0.250 % of parent in 3 vs 6 wells, fold 5.6×; "
                        "positive control failed"),
            std::string::npos)
      << f02[0];
  // The empirical rule ran no test: fold only, and the tooltip says why.
  EXPECT_TRUE(f02[1].ends_with("<span class=\"as\">E</span><br>8.0×")) << f02[1];
  EXPECT_NE(f02[1].find("positive by fold (DFR could not reach the FDR)"), std::string::npos);
  // A failed positive control outranks the negative ELISpot of the same construct.
  EXPECT_EQ(f02[2].rfind("<td class=\"pc pc-ctlf\"", 0), 0u) << f02[2];
  EXPECT_NE(f02[2].find("<span class=\"sym\">!</span> <span class=\"as\">8</span><br>1.2×"), std::string::npos);
  // No negative wells for cd137_cd8: inconclusive, and no statistic.
  EXPECT_EQ(f01[0].rfind("<td class=\"pc pc-noctl\"", 0), 0u) << f01[0];
  EXPECT_TRUE(f01[0].ends_with("<span class=\"sym\">?</span> <span class=\"as\">8</span>")) << f01[0];
  EXPECT_NE(f01[1].find("<span class=\"sym\">−</span> <span class=\"as\">E</span><br>0.90×<br>"
                        "<span class=\"q\">q 0.95</span>"),
            std::string::npos)
      << f01[1];
  EXPECT_EQ(f01[3], "<td class=\"pc pc-nt\" title=\"F01 × PP2: not tested\"><span class=\"sym\">·</span>");
  // Legend: symbol and word for each status, and the codes of the assays present only.
  for (const char* entry : {"pc-pos\">+</span> positive", "pc-neg\">−</span> negative",
                            "pc-ctlf\">!</span> control failed", "pc-noctl\">?</span> no negative control",
                            "pc-nt\">·</span> not tested"})
    EXPECT_NE(plate.find(entry), std::string::npos) << entry;
  EXPECT_NE(plate.find("<strong>E</strong> IFN-γ ELISpot &middot; <strong>8</strong> 4-1BB (CD137) on CD8."),
            std::string::npos);
  EXPECT_EQ(plate.find("OX40"), std::string::npos);
}

TEST(HtmlScreenReport, PlateAddsConstructsOutsideTheDesignAndCodesOtherAssays) {
  auto f = make_screen_report_fixture();
  screen::Call extra = f.screen.calls.front();
  extra.construct = "MG.KRAS_G12D.1";
  extra.assay = "granzyme_b";
  extra.status = screen::CallStatus::kNotCalled;
  extra.rule = screen::CallRule::kNone;
  f.screen.calls.push_back(extra);
  const std::string html = render_html(f.input());
  const std::string plate = section(html, "screen-calls");
  EXPECT_LT(plate.find(">PP2</th>"), plate.find(">MG.KRAS_G12D.1</th>"));
  const auto f01 = plate_row(html, "F01");
  ASSERT_EQ(f01.size(), 5u);
  EXPECT_NE(f01[4].find("pc-nt"), std::string::npos);
  EXPECT_NE(f01[4].find("<span class=\"as\">a</span>"), std::string::npos);
  EXPECT_NE(plate.find("<strong>a</strong> granzyme_b"), std::string::npos);
  EXPECT_EQ(plate_row(html, "F02")[4], "<td class=\"pc pc-nt\" title=\"F02 × MG.KRAS_G12D.1: not tested\">"
                                       "<span class=\"sym\">·</span>");
}

TEST(HtmlScreenReport, DeconvolutionListsEachCulturesFindingsAndItsNextSteps) {
  const auto f = make_screen_report_fixture();
  const std::string d = section(render_html(f.input()), "screen-deconvolution");
  const auto rows = blocks(d, "<tr><th class=\"row\">", "</tr>");
  ASSERT_EQ(rows.size(), 4u);  // F04 for its next step
  EXPECT_NE(rows[0].find(">F01</th>"), std::string::npos);
  EXPECT_NE(rows[3].find(">F04<span class=\"sub\">not screened</span></th>"), std::string::npos);
  // F01: TMG1 inconclusive, BRAF cleared by TMG2.
  EXPECT_NE(rows[0].find("<td>BRAF.V600E</td>"), std::string::npos) << rows[0];
  // F02: BRAF resolved through TMG2, TMG1 ambiguous between two neoantigens, the next round splits it.
  EXPECT_NE(rows[1].find("<td>BRAF.V600E (TMG2)</td>"), std::string::npos) << rows[1];
  const auto ambiguous = blocks(rows[1], "<div><span class=\"mono\">TMG1</span>: ", "</div>");
  ASSERT_EQ(ambiguous.size(), 1u) << rows[1];
  EXPECT_NE(ambiguous[0].find("KRAS.G12D"), std::string::npos);
  EXPECT_NE(ambiguous[0].find("TP53.R175H"), std::string::npos);
  EXPECT_NE(rows[1].find("<td>step 2: deconvolve TMG1</td>"), std::string::npos);
  // F03: KRAS resolved by the peptide pool, TMG1 still ambiguous, BRAF cleared.
  EXPECT_NE(rows[2].find("<td>KRAS.G12D (PP2)</td>"), std::string::npos) << rows[2];
  EXPECT_NE(rows[2].find("<span class=\"mono\">TMG1</span>"), std::string::npos);
  EXPECT_NE(rows[2].find("<td>BRAF.V600E</td>"), std::string::npos);
  EXPECT_NE(rows[3].find("<td>step 1: screen it</td>"), std::string::npos);
  // The plan in order, with the designed constructs.
  const auto steps = blocks(d, "<li>", "</li>");
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_NE(steps[0].find("<strong>Screen culture</strong> <span class=\"mono\">F04</span>: not screened;"),
            std::string::npos);
  EXPECT_NE(steps[1].find("<strong>Deconvolve</strong> <span class=\"mono\">TMG1</span>: positive in F02, F03"),
            std::string::npos);
  EXPECT_NE(steps[1].find("Constructs: DX1.M1, DX1.M2"), std::string::npos);
  EXPECT_NE(steps[2].find("<strong>Test neoantigen</strong> <span class=\"mono\">PIK3CA.E545K</span>"),
            std::string::npos);
}

TEST(HtmlScreenReport, LongCandidateListsFoldAway) {
  auto f = make_screen_report_fixture();
  screen::PositiveConstruct wide;
  wide.fragment_id = "F01";
  wide.construct = "TMG9";
  wide.resolution = screen::Resolution::kAmbiguous;
  for (int i = 1; i <= 9; ++i) wide.neoantigens.push_back("GENE" + std::to_string(i) + ".X1Y");
  f.screen.deconvolution.positives.push_back(wide);
  const std::string d = section(render_html(f.input()), "screen-deconvolution");
  EXPECT_NE(d.find("<div><span class=\"mono\">TMG9</span>: <details class=\"more\"><summary>9 candidates</summary>"
                   "GENE1.X1Y, GENE2.X1Y, GENE3.X1Y, GENE4.X1Y, GENE5.X1Y, GENE6.X1Y, GENE7.X1Y, GENE8.X1Y, GENE9.X1Y"
                   "</details></div>"),
            std::string::npos);
  // Four items still fit inline.
  wide.neoantigens.resize(4);
  wide.construct = "TMG8";
  f.screen.deconvolution.positives.push_back(wide);
  EXPECT_NE(render_html(f.input()).find("TMG8</span>: GENE1.X1Y, GENE2.X1Y, GENE3.X1Y, GENE4.X1Y</div>"),
            std::string::npos);
}

TEST(HtmlScreenReport, TrackedClonotypesShowTheirFrequencyInEveryCultureCarryingThem) {
  const auto f = make_screen_report_fixture();
  const std::string t = section(render_html(f.input()), "screen-tracked");
  // Every culture carries one of them identically, so four culture columns, manifest order.
  const auto head = t.substr(0, t.find("</thead>"));
  EXPECT_LT(head.find("<th class=\"num\">F01</th>"), head.find("<th class=\"num\">F02</th>"));
  EXPECT_LT(head.find("<th class=\"num\">F03</th>"), head.find("<th class=\"num\">F04</th>"));
  const auto rows = blocks(t.substr(t.find("<tbody>")), "<tr><th class=\"row\">", "</tr>");
  ASSERT_EQ(rows.size(), 4u);
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows) cells.push_back(blocks(row, "<td class=\"tf", "</td>"));
  for (const auto& c : cells) ASSERT_EQ(c.size(), 4u);
  // R1: CD8, KRAS, proven in F03 (marked *), 5% of F01 and 20% of F03; its TCRdist neighbour C3 is not counted.
  EXPECT_NE(rows[0].find("<td class=\"mono\">CASSIRSSYEQYF</td><td class=\"nowrap\">TRBV19</td><td>CD8</td>"
                         "<td class=\"neo\">KRAS.G12D</td><td class=\"nowrap\">F03 · PP2</td>"
                         "<td class=\"num\">3.1e-11</td>"
                         "<td class=\"num\">45.3</td>"),
            std::string::npos)
      << rows[0];
  EXPECT_NE(cells[0][0].find(">5.00%"), std::string::npos);
  EXPECT_EQ(cells[0][1], "<td class=\"tf\">");
  EXPECT_NE(cells[0][2].find("title=\"R1 in F03: 20.00%\">20.00%*"), std::string::npos) << cells[0][2];
  // R2: bound to two candidates, infinite odds ratio (no reference reads).
  EXPECT_NE(rows[1].find("<td class=\"neo\">unresolved among KRAS.G12D, TP53.R175H</td>"), std::string::npos);
  EXPECT_NE(rows[1].find("<td class=\"num\">∞</td>"), std::string::npos);
  EXPECT_NE(cells[1][1].find(">8.00%*"), std::string::npos);
  EXPECT_NE(cells[1][2].find(">3.00%"), std::string::npos);
  // R4: proven in F03 but absent from its bulk repertoire; half of F04, the darkest cell.
  EXPECT_EQ(cells[3][2], "<td class=\"tf\">*");
  EXPECT_NE(cells[3][0].find(">0.50%"), std::string::npos);
  EXPECT_EQ(cells[3][3].rfind("<td class=\"tf dark\" style=\"background:#08306b\"", 0), 0u) << cells[3][3];
  EXPECT_NE(cells[3][3].find(">50.00%"), std::string::npos);
}

TEST(HtmlScreenReport, ProductShowsTheChosenSetAndWhatEachAlternativeAddsAndLoses) {
  const auto f = make_screen_report_fixture();
  const std::string p = section(render_html(f.input()), "screen-product");
  EXPECT_NE(p.find("Exact search"), std::string::npos);
  const auto rows = blocks(p, "<tr", "</tr>");
  ASSERT_GE(rows.size(), 4u);  // header, chosen, alternatives, left-out cultures
  // Three pairs expect 2.5 neoantigens: {F02, F04} (BRAF; R2's and R4's groups, two draws among KRAS and
  // TP53: 2 (1 - 1/4)), {F01, F02} and {F02, F03} (BRAF, KRAS; R2's group adds TP53 half the time). The
  // two with two resolved neoantigens come first; the mean CD4 decides between them: (0.5% + 4%) / 2 =
  // 2.25% against (4% + 0%) / 2 = 2%; CD8 (5% + 8%) / 2 = 6.5%.
  const std::string& chosen = rows[1];
  EXPECT_EQ(chosen.rfind("<tr class=\"chosen\"><td class=\"nowrap\">chosen (exact)</td><td>F01, F02</td>"
                         "<td class=\"num\">2.50</td>",
                         0),
            0u)
      << chosen;
  EXPECT_NE(chosen.find("<td>KRAS.G12D, BRAF.V600E, unresolved (KRAS.G12D | TP53.R175H) via R2</td>"), std::string::npos)
      << chosen;
  EXPECT_NE(chosen.find("<td class=\"num\">2.25%</td><td class=\"num\">6.50%</td>"), std::string::npos);
  EXPECT_NE(rows[2].find("alternative 1</td><td>F02, F03</td><td class=\"num\">2.50</td>"), std::string::npos)
      << rows[2];
  const std::string& alternative = rows[3];
  EXPECT_NE(alternative.find("alternative 2</td><td>F02, F04</td><td class=\"num\">2.50</td>"), std::string::npos)
      << alternative;
  // Adds F04, removes F01, gains R4's group, loses KRAS resolved; expected 0, CD4 27% - 2.25%, CD8 4% - 6.5%.
  EXPECT_NE(alternative.find("<td>F04</td><td>F01</td><td>unresolved (KRAS.G12D | TP53.R175H) via R4</td>"
                             "<td>KRAS.G12D</td><td class=\"num\">0.00</td><td class=\"num\">+24.75%</td>"
                             "<td class=\"num\">-2.50%</td>"),
            std::string::npos)
      << alternative;
  EXPECT_NE(p.find("with F03 for F01</td>"), std::string::npos);
  EXPECT_NE(p.find("with F04 for F01</td>"), std::string::npos);
}

TEST(HtmlScreenReport, ProductListsTheChosenReactivitiesInFullAndFoldsLongOnes) {
  auto f = make_screen_report_fixture();
  // Two more resolved neoantigens in the chosen set and the first alternative: PIK3CA and TP53.
  for (std::uint32_t n : {2u, 1u}) {
    f.screen.product.chosen.resolved.push_back(n);
    f.screen.product.alternatives[0].set.resolved.push_back(n);
  }
  const auto rows = blocks(section(render_html(f.input()), "screen-product"), "<tr", "</tr>");
  ASSERT_GE(rows.size(), 3u);
  EXPECT_NE(rows[1].find("<td>KRAS.G12D, BRAF.V600E, PIK3CA.E545K, TP53.R175H, unresolved (KRAS.G12D | TP53.R175H) "
                         "via R2</td>"),
            std::string::npos)
      << rows[1];
  // {F02, F03}: KRAS, BRAF, PIK3CA, TP53 and R2's group: five, folded.
  EXPECT_NE(rows[2].find("<td><details class=\"more\"><summary>5 reactivities</summary>KRAS.G12D,"), std::string::npos)
      << rows[2];
}

TEST(HtmlScreenReport, EscapesScreenText) {
  auto f = make_screen_report_fixture();
  rename_fragment(f, "F02", "F02<b>&\"x\"");
  f.screen.ranking[0].reason = "<i>reactive</i> & proven";
  f.screen.next_round.steps[1].reason = "split <TMG1> & retest";
  f.screen.reactive[0].tcr.cdr3b = "CASS<svg>";
  const std::string html = render_html(f.input());
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_EQ(html.find("<svg>"), std::string::npos);
  EXPECT_EQ(html.find("<TMG1>"), std::string::npos);
  EXPECT_EQ(count(html, "<script"), 1u);
  const std::string escaped = "F02&lt;b&gt;&amp;&quot;x&quot;";
  for (const char* id : {"ranking", "screen-calls", "screen-deconvolution", "screen-tracked", "screen-product"})
    EXPECT_NE(section(html, id).find(escaped), std::string::npos) << id;
  EXPECT_NE(html.find("&lt;i&gt;reactive&lt;/i&gt; &amp; proven"), std::string::npos);
  EXPECT_NE(html.find("split &lt;TMG1&gt; &amp; retest"), std::string::npos);
  EXPECT_NE(html.find("title=\"" + escaped + " × TMG1: positive"), std::string::npos);  // inside an attribute
}

TEST(HtmlScreenReport, PublicSectionsAreTheSameWithAndWithoutTheScreen) {
  const auto f = make_screen_report_fixture();
  const std::string with = render_html(f.input());
  const std::string without = render_html(f.run.input());
  for (const char* id : {"heatmap", "cultures", "neoantigens", "design", "run"})
    EXPECT_EQ(section(with, id), section(without, id)) << id;
  EXPECT_EQ(with, render_html(make_screen_report_fixture().input()));  // same input, same bytes
}

TEST(HtmlScreenReport, EmptyScreenShowsEmptyStatesAndNoNonFiniteNumbers) {
  auto f = make_screen_report_fixture();
  rank::ScreenOutcome& s = f.screen;
  const auto ranking = s.ranking;
  s = rank::ScreenOutcome{};
  s.ranking = ranking;
  for (auto& r : s.ranking) r.tier = "none";
  const std::string html = render_html(f.input());
  EXPECT_NE(section(html, "screen-calls").find("No calls"), std::string::npos);
  EXPECT_NE(section(html, "screen-deconvolution").find("Nothing to propose"), std::string::npos);
  EXPECT_NE(section(html, "screen-tracked").find("No reactive clonotypes"), std::string::npos);
  EXPECT_NE(section(html, "screen-product").find("no product to choose"), std::string::npos);
  EXPECT_EQ(count(section(html, "ranking"), "data-label=\"Tracked CD4\">0.00%</td>"), 4u);
  const std::regex non_finite(R"(\b(nan|inf|infinity)\b)", std::regex::icase);
  EXPECT_FALSE(std::regex_search(html, non_finite));
}

TEST(HtmlScreenReport, RejectsScreenIndicesOutOfRange) {
  auto f = make_screen_report_fixture();
  f.screen.ranking[0].fragment = 9;
  EXPECT_THROW(render_html(f.input()), Error);
  f = make_screen_report_fixture();
  f.screen.tracked_hits[0].reactive = 7;
  EXPECT_THROW(render_html(f.input()), Error);
  f = make_screen_report_fixture();
  f.screen.product_groups[1].push_back(42);
  EXPECT_THROW(render_html(f.input()), Error);
  f = make_screen_report_fixture();
  f.screen.product_candidates[0].groups.push_back(5);
  EXPECT_THROW(render_html(f.input()), Error);
  f = make_screen_report_fixture();
  f.screen.product.chosen.fragments.push_back(11);
  EXPECT_THROW(render_html(f.input()), Error);
  f = make_screen_report_fixture();
  f.screen.reactive[1].clonotype.neoantigens.push_back(4);
  EXPECT_THROW(render_html(f.input()), Error);
}

}  // namespace
}  // namespace tilmatch::test
