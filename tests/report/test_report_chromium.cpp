// Renders the report in headless Chromium (Debian's `chromium`) and checks the screenshot and the
// DOM: the page must lay out and paint without any network or resource, at the 1280 px width lab
// screens use, and a screen's ranking must fit a 390 px phone. Skips when no chromium is on PATH
// (scripts/install-deps installs it).

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include "common/test_support.hpp"
#include "report/html_report.hpp"
#include "report/png_decode.hpp"
#include "report/report_fixture.hpp"
#include "report/screen_fixture.hpp"

namespace tilmatch::test {
namespace {

namespace fs = std::filesystem;

std::optional<fs::path> find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return std::nullopt;
  std::stringstream dirs(path);
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    const fs::path candidate = fs::path(dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

std::optional<fs::path> find_chromium() {
  for (const char* name : {"chromium", "chromium-browser"})
    if (auto p = find_on_path(name)) return p;
  return std::nullopt;
}

/// Runs headless chromium on `html` with `mode_args`; stdout to `stdout_path`, stderr dropped
/// (containers print DBus/GPU warnings there). Returns the exit status.
int run_chromium(const fs::path& chromium, const fs::path& profile, const std::string& mode_args, const fs::path& html,
                 const fs::path& stdout_path) {
  const std::string command = "timeout 60 " + shell_quote(chromium) +
                              " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
                              " --hide-scrollbars --force-device-scale-factor=1 --window-size=1280,2000"
                              " --user-data-dir=" + shell_quote(profile) + " " + mode_args + " " +
                              shell_quote("file://" + html.string()) + " >" + shell_quote(stdout_path) +
                              " 2>/dev/null";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct Rgb {
  int r, g, b;
};

std::size_t pixels_near(const RgbImage& image, Rgb colour, int tolerance) {
  std::size_t n = 0;
  for (std::size_t i = 0; i + 2 < image.rgb.size(); i += 3)
    if (std::abs(image.rgb[i] - colour.r) <= tolerance && std::abs(image.rgb[i + 1] - colour.g) <= tolerance &&
        std::abs(image.rgb[i + 2] - colour.b) <= tolerance)
      ++n;
  return n;
}

class ReportInChromium : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = find_chromium();
    if (!chromium_) GTEST_SKIP() << "no chromium or chromium-browser on PATH (scripts/install-deps installs it)";
    html_ = dir_ / "report.html";
    write_file(html_, report::render_html(fixture_.input()));
    fs::create_directory(dir_ / "profile");
  }

  /// Keeps the page and its screenshot for a person to look at when TILMATCH_REPORT_ARTIFACTS names
  /// a folder.
  void keep(const fs::path& file) const {
    if (const char* keep_dir = std::getenv("TILMATCH_REPORT_ARTIFACTS"); keep_dir != nullptr && *keep_dir) {
      fs::create_directories(keep_dir);
      fs::copy_file(file, fs::path(keep_dir) / file.filename(), fs::copy_options::overwrite_existing);
    }
  }

  ReportFixture fixture_ = make_report_fixture();
  ScratchDir dir_;
  std::optional<fs::path> chromium_;
  fs::path html_;
};

TEST_F(ReportInChromium, ScreenshotIsAPaintedPage) {
  const fs::path png = dir_ / "report.png";
  ASSERT_EQ(run_chromium(*chromium_, dir_ / "profile", "--screenshot=" + shell_quote(png), html_, dir_ / "out.txt"), 0);
  ASSERT_TRUE(fs::exists(png)) << "chromium wrote no screenshot";
  keep(html_);
  keep(png);
  const RgbImage image = decode_png(read_file(png));
  EXPECT_EQ(image.width, 1280u);
  EXPECT_EQ(image.height, 2000u);

  std::set<std::uint32_t> colours;
  for (std::size_t i = 0; i + 2 < image.rgb.size(); i += 3)
    colours.insert((std::uint32_t{image.rgb[i]} << 16) | (std::uint32_t{image.rgb[i + 1]} << 8) | image.rgb[i + 2]);
  EXPECT_GT(colours.size(), 50u) << "the page looks blank";
  // The top culture's score bar (#0072b2, 120 x 12 px) and the darkest heatmap cell (#08306b).
  EXPECT_GE(pixels_near(image, {0x00, 0x72, 0xb2}, 3), 120u * 12u);
  EXPECT_GE(pixels_near(image, {0x08, 0x30, 0x6b}, 3), 20u * 18u);
  // Text: plenty of near-black pixels.
  EXPECT_GT(pixels_near(image, {0x1a, 0x1a, 0x1a}, 40), 2000u);
}

TEST_F(ReportInChromium, DomHasTheRankingRows) {
  const fs::path dom_path = dir_ / "dom.html";
  ASSERT_EQ(run_chromium(*chromium_, dir_ / "profile", "--dump-dom", html_, dom_path), 0);
  const std::string dom = read_file(dom_path);
  ASSERT_FALSE(dom.empty());
  std::size_t rows = 0;
  std::size_t at = 0;
  for (const char* id : {">F03</a>", ">F02</a>", ">F01</a>", ">F04</a>"}) {
    const auto row = dom.find("<tr class=\"rank-row\">", at);
    ASSERT_NE(row, std::string::npos) << "missing ranking row for " << id;
    const auto end = dom.find("</tr>", row);
    EXPECT_NE(dom.substr(row, end - row).find(id), std::string::npos) << id;
    at = end;
    ++rows;
  }
  EXPECT_EQ(dom.find("<tr class=\"rank-row\">", at), std::string::npos);
  EXPECT_EQ(rows, 4u);
  EXPECT_NE(dom.find("<details id=\"culture-1\" open=\"\">"), std::string::npos);
}

// Measures, in the browser, every cell of a ranking table (`table.<css class>`) against the viewport and the box that
// clips it (its scrolling container), and whether its content overflows the cell. Appends the
// verdict as <pre id="probe"> to the top page, for --dump-dom (the report may sit in an iframe).
std::string clipping_probe(const std::string& table) {
  std::string probe = R"js(<script>
(function () {
  var width = document.documentElement.clientWidth;
  var cells = document.querySelectorAll("TABLE tr.rank-row td");
  var clipped = [];
  cells.forEach(function (td) {
    var r = td.getBoundingClientRect();
    var box = td.closest(".scroll");
    var b = box ? box.getBoundingClientRect() : { left: 0, right: width };
    var left = Math.max(0, b.left), right = Math.min(width, b.right);
    if (r.left < left - 0.5 || r.right > right + 0.5 || td.scrollWidth > td.clientWidth + 1)
      clipped.push(td.getAttribute("data-label") + "[" + Math.round(r.left) + "," + Math.round(r.right) + "]");
  });
  var order = [];
  document.querySelectorAll("TABLE tr.rank-row a").forEach(function (a) { order.push(a.textContent); });
  var thead = getComputedStyle(document.querySelector("TABLE thead")).display;
  var top = window.parent.document;
  var probe = top.createElement("pre");
  probe.id = "probe";
  probe.textContent = "width=" + width + " cells=" + cells.length + " clipped=" + clipped.length + " thead=" +
                      thead + " order=" + order.join(",") + " " + clipped.join(" ");
  top.body.appendChild(probe);
})();
</script>
)js";
  for (std::size_t at; (at = probe.find("TABLE")) != std::string::npos;) probe.replace(at, 5, "table." + table);
  return probe;
}

/// The screen fixture's report with the clipping probe.
std::string probed_screen_report() {
  const ScreenReportFixture screen = make_screen_report_fixture();
  std::string html = report::render_html(screen.input());
  html.insert(html.rfind("</body>"), clipping_probe("screen-ranking"));
  return html;
}

/// The verdict the probe left in a dumped DOM; fails the test when the probe did not run.
std::string probe_verdict(const std::string& dom) {
  const auto probe = dom.find("<pre id=\"probe\">");
  EXPECT_NE(probe, std::string::npos) << "the probe did not run";
  return probe == std::string::npos ? std::string() : dom.substr(probe, dom.find("</pre>", probe) - probe);
}

TEST_F(ReportInChromium, ScreenRankingFitsAPhoneWithoutClippingACell) {
  // Headless windows are at least 500 px wide: the phone is a 390 px iframe holding the report
  // (srcdoc, so the probe may write to the top page).
  const fs::path page = dir_ / "report_screen_390.html";
  write_file(page, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">"
                   "<iframe width=\"390\" height=\"2000\" style=\"border:0;display:block\" srcdoc=\"" +
                       report::html_escape(probed_screen_report()) + "\"></iframe></body></html>\n");
  const fs::path dom_path = dir_ / "screen_dom.html";
  ASSERT_EQ(run_chromium(*chromium_, dir_ / "profile", "--dump-dom", page, dom_path), 0);
  const fs::path png = dir_ / "report_screen_390.png";
  ASSERT_EQ(run_chromium(*chromium_, dir_ / "profile", "--screenshot=" + shell_quote(png), page, dir_ / "out.txt"), 0);
  keep(page);
  keep(png);
  const std::string verdict = probe_verdict(read_file(dom_path));
  // 4 cultures x 9 columns, laid out as cards (no header row) 390 px wide, in the screen's order.
  EXPECT_NE(verdict.find("width=390 cells=36 clipped=0 thead=none order=F02,F03,F04,F01 "), std::string::npos)
      << verdict;
}

TEST_F(ReportInChromium, ScreenRankingKeepsItsTableOnALabScreen) {
  const fs::path page = dir_ / "report_screen.html";
  write_file(page, probed_screen_report());
  const fs::path dom_path = dir_ / "screen_dom.html";
  ASSERT_EQ(run_chromium(*chromium_, dir_ / "profile", "--dump-dom", page, dom_path), 0);
  const std::string verdict = probe_verdict(read_file(dom_path));
  EXPECT_NE(verdict.find("width=1280 cells=36 clipped=0 thead=table-header-group order=F02,F03,F04,F01 "),
            std::string::npos)
      << verdict;
}

TEST_F(ReportInChromium, RankingWithTheChanceColumnFitsALabScreen) {
  // Without a screen, the ranking of a run with the chance model: 10 columns, the why cell naming a
  // public reference by its long id. At 1280 px no cell is cut off and nothing scrolls sideways.
  ReportFixture f = make_report_fixture();
  ASSERT_GE(f.result.evidence.size(), 2u);
  f.result.chance_tested = true;
  for (std::size_t i = 0; i < f.result.ranking.size(); ++i) {
    rank::FragmentScore& s = f.result.ranking[i];
    s.best_evidence = i < 2 ? static_cast<std::uint32_t>(i) : rank::kNone;
    s.chance_observed = 13;
    s.chance_expected = 6.9;
    s.chance_q = 0.0013;
    s.chance_frequency = 0.0251;
    s.chance_expected_frequency = 0.000139;
  }
  for (rank::Evidence& e : f.result.evidence) e.reference_id = "vdjdb_human_chunks_2026-04-27:45206";
  std::string html = report::render_html(f.input());
  html.insert(html.rfind("</body>"), clipping_probe("ranking"));
  const fs::path page = dir_ / "report_chance.html";
  write_file(page, html);
  const fs::path dom_path = dir_ / "chance_dom.html";
  ASSERT_EQ(run_chromium(*chromium_, dir_ / "profile", "--dump-dom", page, dom_path), 0);
  keep(page);
  const std::string verdict = probe_verdict(read_file(dom_path));
  EXPECT_NE(verdict.find("width=1280 cells=40 clipped=0 thead=table-header-group order=F03,F02,F01,F04 "),
            std::string::npos)
      << verdict;
}

}  // namespace
}  // namespace tilmatch::test
