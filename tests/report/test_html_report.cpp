#include <gtest/gtest.h>

#include <limits>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "report/html_report.hpp"
#include "report/report_fixture.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/version.hpp"

namespace tilmatch::report {
namespace {

using test::make_report_fixture;

std::size_t count(const std::string& hay, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) ++n;
  return n;
}

/// The text of <section id="id"> ... </section>; fails the test when absent.
std::string section(const std::string& html, const std::string& id) {
  const auto begin = html.find("<section id=\"" + id + "\">");
  EXPECT_NE(begin, std::string::npos) << "no section " << id;
  if (begin == std::string::npos) return {};
  const auto end = html.find("</section>", begin);
  return html.substr(begin, end - begin);
}

/// The text of every <tag ...> ... </tag> block starting with `open` inside `html`.
std::vector<std::string> blocks(const std::string& html, const std::string& open, const std::string& close) {
  std::vector<std::string> out;
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const auto end = html.find(close, at);
    out.push_back(html.substr(at, end - at));
  }
  return out;
}

TEST(HtmlReport, IsOneDocumentWithVersionBackendAndTitle) {
  const auto f = make_report_fixture();
  const std::string html = render_html(f.input());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_NE(html.find("<title>tilmatch run — EXAMPLE_TUMOR</title>"), std::string::npos);
  EXPECT_NE(html.find("<h1>tilmatch run — EXAMPLE_TUMOR</h1>"), std::string::npos);
  EXPECT_NE(html.find(std::string("tilmatch ") + kVersion), std::string::npos);
  EXPECT_NE(html.find("backend: cpu"), std::string::npos);
  EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
}

TEST(HtmlReport, SectionsComeInOrder) {
  const auto f = make_report_fixture();
  const std::string html = render_html(f.input());
  std::size_t previous = 0;
  for (const char* id : {"ranking", "heatmap", "cultures", "neoantigens", "design", "run"}) {
    const auto at = html.find(std::string("<section id=\"") + id + "\">");
    ASSERT_NE(at, std::string::npos) << id;
    EXPECT_GT(at, previous) << id;
    previous = at;
  }
}

TEST(HtmlReport, EscapesUserText) {
  auto f = make_report_fixture();
  f.table.fragments[2].id = "F03<script>alert('x')</script>";
  f.table.fragments[2].metadata["site"] = "liver & \"left\" lobe";
  f.result.notes = {"<b>bold</b> note"};
  f.result.neoantigens[0].id = "KRAS.G12D<i>";
  auto in = f.input();
  in.title = "run <1> & 'two'";
  in.parameters.emplace_back("--label", "\"quoted\" <value>");
  const std::string html = render_html(in);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<b>bold"), std::string::npos);
  EXPECT_EQ(html.find("G12D<i>"), std::string::npos);
  EXPECT_NE(html.find("F03&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("site: liver &amp; &quot;left&quot; lobe"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;bold&lt;/b&gt; note"), std::string::npos);
  EXPECT_NE(html.find("<h1>run &lt;1&gt; &amp; &#39;two&#39;</h1>"), std::string::npos);
  EXPECT_NE(html.find("&quot;quoted&quot; &lt;value&gt;"), std::string::npos);
  // Also inside attributes (heatmap tooltips).
  EXPECT_NE(html.find("title=\"F03&lt;script&gt;"), std::string::npos);
  // The only <script> element is the report's own.
  EXPECT_EQ(count(html, "<script"), 1u);
}

TEST(HtmlReport, RankingListsEveryCultureInRankOrder) {
  const auto f = make_report_fixture();
  const std::string ranking = section(render_html(f.input()), "ranking");
  const auto rows = blocks(ranking, "<tr class=\"rank-row\">", "</tr>");
  ASSERT_EQ(rows.size(), 4u);
  const std::vector<std::string> expected = {"F03", "F02", "F01", "F04"};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_NE(rows[i].find("<td class=\"num\">" + std::to_string(i + 1) + "</td>"), std::string::npos) << rows[i];
    EXPECT_NE(rows[i].find(">" + expected[i] + "</a>"), std::string::npos) << rows[i];
  }
  EXPECT_NE(rows[0].find("site: liver"), std::string::npos);
  EXPECT_NE(rows[0].find("0.2334"), std::string::npos);
  EXPECT_NE(rows[0].find("29.00%"), std::string::npos);
  EXPECT_NE(rows[0].find("badge conf-high"), std::string::npos);
  EXPECT_NE(rows[1].find("badge conf-low"), std::string::npos);
  EXPECT_NE(rows[2].find("badge conf-medium"), std::string::npos);
  EXPECT_NE(rows[3].find("badge conf-none"), std::string::npos);
}

// With the chance model, each ranking row says why a culture is or is not `none`: its q, its hit
// clonotypes and what chance gives; without it the column is absent.
TEST(HtmlReport, RankingShowsEachCulturesTestAgainstChance) {
  auto f = make_report_fixture();
  const auto plain = section(render_html(f.input()), "ranking");
  EXPECT_EQ(plain.find("Against chance"), std::string::npos);
  EXPECT_EQ(plain.find("however weak"), std::string::npos);
  f.result.chance_tested = true;
  for (rank::FragmentScore& s : f.result.ranking) {
    s.chance_observed = 6 - s.rank;
    s.chance_expected = 3.4;
    s.chance_q = 0.0008 * s.rank;
  }
  // A small culture expects far less than one hit: shown to two significant digits, not as 0.0.
  f.result.ranking[1].chance_observed = 1;
  f.result.ranking[1].chance_expected = 0.00213;
  f.result.ranking.back().chance_q = std::numeric_limits<double>::quiet_NaN();  // untested
  // With the tested shares (as run writes them), the share of the culture next to chance's.
  f.result.ranking[2].chance_frequency = 0.0793;
  f.result.ranking[2].chance_expected_frequency = 0.000412;
  const auto ranking = section(render_html(f.input()), "ranking");
  EXPECT_NE(ranking.find("<th>Confidence</th><th>Against chance</th><th>Why</th>"), std::string::npos);
  // Evidenced frequency counts chance-level evidence too: the hint points to the tested share.
  EXPECT_NE(ranking.find("with any evidence, however weak (the share within a reference's chance radius is in "
                         "Against chance)"),
            std::string::npos);
  const auto rows = blocks(ranking, "<tr class=\"rank-row\">", "</tr>");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_NE(rows[0].find("<td class=\"chance\">q 0.00080: 5 hits, 3.4 by chance</td>"), std::string::npos) << rows[0];
  EXPECT_NE(rows[1].find("<td class=\"chance\">q 0.0016: 1 hit, 0.0021 by chance</td>"), std::string::npos) << rows[1];
  EXPECT_NE(rows[2].find("<td class=\"chance\">q 0.0024: 3 hits, 3.4 by chance; 7.9% of the culture, 0.041% by "
                         "chance</td>"),
            std::string::npos)
      << rows[2];
  EXPECT_NE(rows[3].find("<td class=\"chance\">—</td>"), std::string::npos) << rows[3];
  // Every row keeps one cell per header.
  const auto columns = count(ranking, "</th>");
  for (const std::string& row : rows) EXPECT_EQ(blocks(row, "<td", "</td>").size(), columns) << row;
}

TEST(HtmlReport, ScoreBarsScaleToTheTopScoreAndZeroIsEmpty) {
  const auto f = make_report_fixture();
  const auto rows = blocks(section(render_html(f.input()), "ranking"), "<tr class=\"rank-row\">", "</tr>");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_NE(rows[0].find("<rect width=\"120.0\" height=\"12\" fill=\"#0072b2\"/>"), std::string::npos) << rows[0];
  // 0.0776 / 0.2334 * 120 = 39.9
  EXPECT_NE(rows[1].find("<rect width=\"39.9\" height=\"12\" fill=\"#0072b2\"/>"), std::string::npos) << rows[1];
  EXPECT_EQ(rows[3].find("#0072b2"), std::string::npos) << rows[3];
}

TEST(HtmlReport, HeatmapHasOneCellPerCultureAndEvidencedNeoantigen) {
  const auto f = make_report_fixture();
  const std::string heatmap = section(render_html(f.input()), "heatmap");
  // Evidence covers KRAS.G12D, TP53.R175H and BRAF.V600E, not PIK3CA.E545K; columns sorted by id.
  EXPECT_EQ(count(heatmap, "class=\"hm-cell"), 4u * 3u);
  EXPECT_EQ(heatmap.find("PIK3CA"), std::string::npos);
  const auto braf = heatmap.find("<span>BRAF.V600E</span>");
  const auto kras = heatmap.find("<span>KRAS.G12D</span>");
  const auto tp53 = heatmap.find("<span>TP53.R175H</span>");
  ASSERT_NE(braf, std::string::npos);
  EXPECT_LT(braf, kras);
  EXPECT_LT(kras, tp53);
  // Rows in rank order, each with three cells.
  const auto rows = blocks(heatmap, "<tr><th class=\"row\">", "</tr>");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_NE(rows[0].find("#1 F03"), std::string::npos);
  EXPECT_NE(rows[3].find("#4 F04"), std::string::npos);
  for (const auto& row : rows) EXPECT_EQ(count(row, "class=\"hm-cell"), 3u) << row;
  // The largest cell (F03 x KRAS) gets the darkest colour; values are in tooltips.
  EXPECT_NE(rows[0].find("style=\"background:#08306b\" title=\"F03 × KRAS.G12D: 0.2160\""), std::string::npos);
  EXPECT_NE(rows[0].find("title=\"F03 × BRAF.V600E: 0\""), std::string::npos);
  EXPECT_EQ(count(rows[3], "hm-zero"), 3u);
}

TEST(HtmlReport, DrillDownShowsReferenceAndNeighbourRoute) {
  const auto f = make_report_fixture();
  const std::string cultures = section(render_html(f.input()), "cultures");
  const auto details = blocks(cultures, "<details", "</details>");
  ASSERT_EQ(details.size(), 4u);
  // Rank 1 (F03) is open, the others closed.
  EXPECT_EQ(details[0].rfind("<details id=\"culture-1\" open>", 0), 0u) << details[0].substr(0, 80);
  for (std::size_t i = 1; i < details.size(); ++i) EXPECT_EQ(details[i].find(" open>"), std::string::npos);
  const std::string& f03 = details[0];
  EXPECT_NE(f03.find("F03"), std::string::npos);
  // C3 is in F03 and reaches KRAS through C1, which carries the reference vdjdb:31337.
  EXPECT_NE(f03.find("neighbour of C1 (TCRdist 18)"), std::string::npos);
  EXPECT_NE(f03.find("vdjdb:31337"), std::string::npos);
  EXPECT_NE(f03.find("title=\"C1: CASSIRSSYEQYF TRBV19\""), std::string::npos);
  // Rows sorted by frequency x score: C1/KRAS 0.20*0.9, C3/KRAS 0.06*0.6, C2/TP53 0.03*0.8.
  const auto c1 = f03.find("<td class=\"nowrap\">C1</td>");
  const auto c3 = f03.find("<td class=\"nowrap\">C3</td>");
  const auto c2 = f03.find("<td class=\"nowrap\">C2</td>");
  ASSERT_NE(c1, std::string::npos);
  EXPECT_LT(c1, c3);
  EXPECT_LT(c3, c2);
  // C1 carries two pieces of evidence (KRAS and BRAF): both rows appear.
  EXPECT_EQ(count(f03, "<td class=\"nowrap\">C1</td>"), 2u);
  EXPECT_NE(f03.find("mcpas:43"), std::string::npos);
  // Validated reference with its TCRMatch score.
  EXPECT_NE(f03.find("LAB:TP53-7"), std::string::npos);
  EXPECT_NE(f03.find("badge validated"), std::string::npos);
  EXPECT_NE(f03.find("TCRMatch 0.973"), std::string::npos);
  EXPECT_NE(f03.find("20.00%"), std::string::npos);
  EXPECT_NE(f03.find("CASSLAPGATNEKLFF"), std::string::npos);
  // F04 has no evidenced clonotype.
  EXPECT_NE(details[3].find("No clonotype in this culture has evidence."), std::string::npos);
  // The summary line counts in words: plural for 0 and 2, singular for 1.
  EXPECT_NE(details[1].find("2 evidenced clonotypes &middot; 2 evidence rows"), std::string::npos) << details[1];
  EXPECT_NE(details[3].find("0 evidenced clonotypes &middot; 0 evidence rows"), std::string::npos) << details[3];
  auto one = make_report_fixture();
  one.result.ranking[1].evidenced_clonotypes = 1;
  const auto one_details = blocks(section(render_html(one.input()), "cultures"), "<details", "</details>");
  ASSERT_EQ(one_details.size(), 4u);
  EXPECT_NE(one_details[1].find("1 evidenced clonotype &middot;"), std::string::npos) << one_details[1];
}

TEST(HtmlReport, DrillDownKeepsTheTopRowsPerCulture) {
  const auto f = make_report_fixture();
  auto in = f.input();
  in.top_clonotypes_per_fragment = 2;
  const auto details = blocks(section(render_html(in), "cultures"), "<details", "</details>");
  ASSERT_EQ(details.size(), 4u);
  EXPECT_NE(details[0].find("Showing the top 2 of 4 evidence rows"), std::string::npos);
  EXPECT_EQ(count(details[0], "<tr><td class=\"nowrap\">C"), 2u);
  EXPECT_EQ(details[0].find("LAB:TP53-7"), std::string::npos);  // third row, cut
  EXPECT_EQ(details[1].find("Showing the top"), std::string::npos);  // F02 has 2 rows
}

TEST(HtmlReport, NotesAppearInTheHeader) {
  const auto f = make_report_fixture();
  const std::string html = render_html(f.input());
  const auto notice = html.find("<div class=\"notice\" role=\"note\">");
  ASSERT_NE(notice, std::string::npos);
  EXPECT_LT(notice, html.find("<section id=\"ranking\">"));
  EXPECT_NE(html.find("<li>1 candidate was dropped: no MT epitope passed the presentation filter</li>"),
            std::string::npos);
}

TEST(HtmlReport, NoNoticeWithoutNotes) {
  auto f = make_report_fixture();
  f.result.notes.clear();
  EXPECT_EQ(render_html(f.input()).find("class=\"notice\""), std::string::npos);
}

TEST(HtmlReport, CandidateNeoantigensSortedByWeightThenId) {
  const auto f = make_report_fixture();
  const std::string neo = section(render_html(f.input()), "neoantigens");
  const auto rows = blocks(neo, "<tr><td class=\"nowrap\">", "</tr>");
  ASSERT_EQ(rows.size(), 4u);
  // Weights: TP53 1.0, BRAF 0.9, KRAS 0.9, PIK3CA 0.5.
  const std::vector<std::string> expected = {"TP53.R175H", "BRAF.V600E", "KRAS.G12D", "PIK3CA.E545K"};
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_NE(rows[i].find(expected[i]), std::string::npos) << rows[i];
  EXPECT_NE(rows[0].find("chr17:7675088 C&gt;T"), std::string::npos);
  EXPECT_NE(rows[0].find("<td class=\"num\">0.410</td><td class=\"num\">0.380</td><td class=\"num\">52.50</td>"),
            std::string::npos)
      << rows[0];
  EXPECT_NE(rows[0].find("<td>yes</td>"), std::string::npos);
  EXPECT_NE(rows[3].find("<td>no</td>"), std::string::npos);
  EXPECT_NE(rows[3].find("<td class=\"num\">—</td>"), std::string::npos);  // no expression
}

TEST(HtmlReport, DesignGroupedByConstruct) {
  const auto f = make_report_fixture();
  const std::string design = section(render_html(f.input()), "design");
  const auto groups = blocks(design, "<tbody>", "</tbody>");
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_NE(groups[0].find("TMG1 &middot; tandem minigene &middot; 2 slots"), std::string::npos);
  EXPECT_NE(groups[1].find("TMG2 &middot; tandem minigene &middot; 1 slot<"), std::string::npos);
  EXPECT_NE(groups[2].find("PP1 &middot; peptide pool"), std::string::npos);
  EXPECT_LT(groups[0].find("TEVVRRCPHHERCSDSDGLAPPQHL"), groups[0].find("MTEYKLVVVGADGVGKSALTIQLIQ"));
  EXPECT_NE(groups[2].find("weight only"), std::string::npos);
}

TEST(HtmlReport, ParametersInputsAndTimingsOnlyInTheRunSection) {
  const auto f = make_report_fixture();
  const std::string html = render_html(f.input());
  const std::string run = section(html, "run");
  EXPECT_NE(run.find("--max-tcrdist"), std::string::npos);
  EXPECT_NE(run.find("0f343b0931126a20f133d67c2b018a3b"), std::string::npos);
  EXPECT_NE(run.find("vcf: example/tumor.vcf.gz"), std::string::npos);
  EXPECT_NE(run.find("<td class=\"num\">1.500</td>"), std::string::npos);
  EXPECT_NE(run.find("<td class=\"mono\">total</td><td class=\"num\">1.875</td>"), std::string::npos);
  EXPECT_EQ(count(html, "1.500"), 1u);
}

TEST(HtmlReport, EmptyResultRendersEmptyStatesWithoutNonFiniteNumbers) {
  rank::RunResult result;
  ClonotypeTable table;
  ReportInput in;
  in.result = &result;
  in.clonotypes = &table;
  result.notes = {"no usable candidates"};
  std::string html = render_html(in);
  EXPECT_NE(html.find("No cultures were ranked."), std::string::npos);
  EXPECT_NE(html.find("No evidence: no clonotype in any culture"), std::string::npos);
  EXPECT_NE(html.find("No candidate neoantigens."), std::string::npos);
  EXPECT_NE(html.find("No screening design"), std::string::npos);
  EXPECT_NE(html.find("<li>no usable candidates</li>"), std::string::npos);
  EXPECT_NE(html.find("<h1>tilmatch report</h1>"), std::string::npos);

  // Cultures ranked with zero scores and no evidence at all, plus non-finite inputs.
  auto f = make_report_fixture();
  f.result.evidence.clear();
  f.result.design.clear();
  for (auto& s : f.result.ranking) {
    s.score = 0;
    s.evidenced_frequency = 0;
    s.by_neoantigen.clear();
  }
  f.result.ranking[1].score = std::numeric_limits<double>::quiet_NaN();
  f.result.neoantigens[0].weight = std::numeric_limits<double>::infinity();
  f.result.neoantigens[1].tdna_vaf = std::numeric_limits<double>::quiet_NaN();
  auto fin = f.input();
  fin.timings_s.emplace_back("broken", std::numeric_limits<double>::quiet_NaN());
  html = render_html(fin);
  EXPECT_NE(html.find("No evidence: no clonotype in any culture"), std::string::npos);
  EXPECT_EQ(html.find("class=\"hm-cell"), std::string::npos);
  EXPECT_EQ(html.find("#0072b2\"/>"), std::string::npos);  // no score bar has a fill
  EXPECT_EQ(count(html, "No clonotype in this culture has evidence."), 4u);
  const std::regex non_finite(R"(\b(nan|inf|infinity)\b)", std::regex::icase);
  EXPECT_FALSE(std::regex_search(html, non_finite));
  EXPECT_NE(html.find("n/a"), std::string::npos);
}

TEST(HtmlReport, SameInputGivesTheSameBytes) {
  const auto f = make_report_fixture();
  const std::string first = render_html(f.input());
  const auto copy = make_report_fixture();
  EXPECT_EQ(first, render_html(copy.input()));
  EXPECT_EQ(first, render_html(f.input()));
}

TEST(HtmlReport, IsSelfContained) {
  const auto f = make_report_fixture();
  const std::string html = render_html(f.input());
  for (const char* forbidden : {"http://", "https://", "src=", "url(", "@import", "<link", "<img", "<iframe"})
    EXPECT_EQ(html.find(forbidden), std::string::npos) << forbidden;
  // Every link stays inside the page.
  for (auto at = html.find("href=\""); at != std::string::npos; at = html.find("href=\"", at + 1))
    EXPECT_EQ(html[at + 6], '#') << html.substr(at, 40);
}

TEST(HtmlReport, RejectsMissingInputsAndBadIndices) {
  auto f = make_report_fixture();
  ReportInput in;
  EXPECT_THROW(render_html(in), Error);
  in.result = &f.result;
  EXPECT_THROW(render_html(in), Error);
  f.result.ranking[0].fragment = 99;
  EXPECT_THROW(render_html(f.input()), Error);
  f = make_report_fixture();
  f.result.evidence[0].via_clonotype = 42;
  EXPECT_THROW(render_html(f.input()), Error);
}

TEST(HtmlReport, EachRankingRowSaysWhyWithItsBestEvidence) {
  auto f = make_report_fixture();
  // The fixture's cultures name no best evidence: give the top two one each, the others none.
  ASSERT_GE(f.result.evidence.size(), 2u);
  for (auto& s : f.result.ranking) s.best_evidence = rank::kNone;
  f.result.ranking[0].best_evidence = 0;
  f.result.ranking[1].best_evidence = 1;
  const std::string ranking = section(render_html(f.input()), "ranking");
  EXPECT_NE(ranking.find("<div class=\"scroll\"><table class=\"ranking\">"), std::string::npos)
      << "the table scrolls sideways at phone width";
  const auto rows = blocks(ranking, "<tr class=\"rank-row\">", "</tr>");
  ASSERT_EQ(rows.size(), f.result.ranking.size());
  std::size_t with_evidence = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const rank::FragmentScore& s = f.result.ranking[i];
    if (s.best_evidence == rank::kNone) {
      EXPECT_EQ(count(rows[i], "<td>&mdash;</td>"), 1u) << rows[i];
      continue;
    }
    ++with_evidence;
    // One cell: the neoantigen, then "clonotype <-> reference, TCRdist d" on a line of its own.
    const rank::Evidence& e = f.result.evidence[s.best_evidence];
    EXPECT_NE(rows[i].find("<td class=\"why\"><span class=\"nowrap\">" + f.result.neoantigens[e.neoantigen].id +
                           "</span><span class=\"why-sub\">" + rank::clonotype_id(e.clonotype) +
                           " &harr; <span class=\"mono ref\">" + e.reference_id + "</span>, TCRdist " +
                           std::to_string(e.tcrdist) + "</span></td>"),
              std::string::npos)
        << rows[i];
  }
  EXPECT_EQ(with_evidence, 2u);
}

TEST(HtmlReport, DrillRowsMarkTheRoutesWithinTheirChanceRadius) {
  auto f = make_report_fixture();
  ASSERT_GE(f.result.evidence.size(), 2u);
  for (rank::Evidence& e : f.result.evidence) e.chance_hit = false;
  f.result.evidence[0].chance_hit = true;
  // Without the chance model nothing is marked, whatever the flags say.
  EXPECT_EQ(section(render_html(f.input()), "cultures").find("chance radius"), std::string::npos);
  f.result.chance_tested = true;
  const std::string cultures = section(render_html(f.input()), "cultures");
  EXPECT_NE(cultures.find("<em>In chance radius</em>: the route lies within its reference TCR's chance radius"),
            std::string::npos);
  const auto rows = blocks(cultures, "<tr><td class=\"nowrap\">", "</tr>");
  const std::string hit_cell = "<td class=\"nowrap\">" + rank::clonotype_id(f.result.evidence[0].clonotype) + "</td>";
  std::size_t marked = 0;
  for (const std::string& row : rows) {
    if (row.find("in chance radius") == std::string::npos) continue;
    ++marked;
    EXPECT_NE(("<tr>" + row).find(hit_cell), std::string::npos) << row;
    EXPECT_NE(row.find("<br><span class=\"source\">in chance radius</span></td>"), std::string::npos) << row;
  }
  EXPECT_GE(marked, 1u);
  EXPECT_LT(marked, rows.size()) << "every row marked";
}

TEST(HtmlReport, HeatmapCellsPrintTheirValues) {
  const auto f = make_report_fixture();
  const auto rows = blocks(section(render_html(f.input()), "heatmap"), "<tr><th class=\"row\">", "</tr>");
  ASSERT_EQ(rows.size(), 4u);
  // F03 x KRAS.G12D is 0.2160 (its tooltip, above), printed with 3 significant digits on a dark cell.
  EXPECT_NE(rows[0].find("hm-dark\" style=\"background:#08306b\" title=\"F03 × KRAS.G12D: 0.2160\">0.216</td>"),
            std::string::npos)
      << rows[0];
  // A zero cell stays empty.
  EXPECT_NE(rows[0].find("title=\"F03 × BRAF.V600E: 0\"></td>"), std::string::npos) << rows[0];
}

TEST(HtmlReport, DateCommandAndTimingsSitBetweenTheRunSpecificMarkers) {
  const auto f = make_report_fixture();
  ReportInput in = f.input();
  in.timestamp = "2026-12-01T18:55:02Z";
  in.command_line = "tilmatch run --vcf a.vcf --out <x>";
  const std::string html = render_html(in);
  const auto begin = html.find(kRunSpecificBegin);
  ASSERT_NE(begin, std::string::npos);
  const auto end = html.find(kRunSpecificEnd, begin);
  ASSERT_NE(end, std::string::npos);
  const std::string stamp = html.substr(begin, end - begin);
  EXPECT_NE(stamp.find("<time datetime=\"2026-12-01T18:55:02Z\">2026-12-01T18:55:02Z</time>"), std::string::npos)
      << stamp;
  EXPECT_NE(stamp.find("<code class=\"command\">tilmatch run --vcf a.vcf --out &lt;x&gt;</code>"), std::string::npos)
      << stamp;
  const auto timings_begin = html.find(kRunSpecificBegin, end);
  ASSERT_NE(timings_begin, std::string::npos);
  const std::string timings = html.substr(timings_begin, html.find(kRunSpecificEnd, timings_begin) - timings_begin);
  EXPECT_NE(timings.find("<h3>Timings (seconds)</h3>"), std::string::npos);
  EXPECT_NE(timings.find("1.875"), std::string::npos) << "total of 0.25 + 1.5 + 0.125";
  // Without them, neither the stamp nor the markers around it.
  ReportInput bare = f.input();
  bare.timings_s.clear();
  EXPECT_EQ(render_html(bare).find(kRunSpecificBegin), std::string::npos);
}

}  // namespace
}  // namespace tilmatch::report
