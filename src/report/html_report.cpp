#include "report/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string_view>

#include "report/html_mhc_conflicts.hpp"
#include "report/html_run_info.hpp"
#include "report/html_screen.hpp"
#include "report/html_style.hpp"
#include "report/html_table.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/text.hpp"
#include "tilmatch/version.hpp"

namespace tilmatch::report {
namespace {

using detail::cell;
using detail::confidence_badge;
using detail::culture_anchor;
using detail::empty_state;
using detail::format_decimals;
using detail::format_percent;
using detail::format_significant;
using detail::fragment_metadata;
using detail::header_cells;
using detail::kMissing;
using detail::text;

constexpr int kBarWidthPx = 120;
constexpr int kBarHeightPx = 12;
constexpr std::string_view kBarColour = "#0072b2";  // Okabe-Ito blue: safe for colour-blind readers
constexpr std::string_view kBarTrack = "#e6ebf0";
// Cells darker than this along the heat scale print their value in white: from here on white contrasts
// better than the body's near-black (both about 4.2:1, WCAG 2 relative luminance; html_screen.cpp).
constexpr double kDarkHeatCell = 0.68;
// Positive heatmap cells start a little above the scale's near-white end so that any evidence is
// visible; zero cells stay white.
constexpr double kHeatFloor = 0.12;

std::string optional_decimals(const std::optional<double>& v, int decimals) {
  return v ? format_decimals(*v, decimals) : std::string(kMissing);
}

double finite_or(double v, double fallback) { return std::isfinite(v) ? v : fallback; }

/// The result and table with the cross-references render_html needs, checked once.
class View {
 public:
  View(const rank::RunResult& r, const ClonotypeTable& t) : r_(r), t_(t) {
    check();
    // Sparse: evidence touches thousands of a patient's millions of clonotypes.
    std::vector<bool> has_evidence(t_.clonotypes.size(), false);
    for (std::uint32_t i = 0; i < r_.evidence.size(); ++i) {
      evidence_by_clonotype_[r_.evidence[i].clonotype].push_back(i);
      has_evidence[r_.evidence[i].clonotype] = true;
    }
    evidenced_by_fragment_.resize(t_.fragments.size());
    for (const ClonotypeCount& c : t_.counts)
      if (has_evidence[c.clonotype]) evidenced_by_fragment_[c.fragment].push_back({c.clonotype, c.frequency});
    evidenced_.assign(r_.neoantigens.size(), false);
    for (const rank::Evidence& e : r_.evidence) evidenced_[e.neoantigen] = true;
  }

  const rank::RunResult& result() const { return r_; }
  const ClonotypeTable& table() const { return t_; }
  const std::string& fragment_id(std::uint32_t f) const { return t_.fragments[f].id; }
  const std::string& neoantigen_id(std::uint32_t n) const { return r_.neoantigens[n].id; }
  bool evidenced(std::uint32_t n) const { return evidenced_[n]; }
  /// The evidence entries of `clonotype` (none when it has no evidence), in evidence order.
  const std::vector<std::uint32_t>& evidence_of(std::uint32_t clonotype) const {
    static const std::vector<std::uint32_t> kNoEvidence;
    const auto it = evidence_by_clonotype_.find(clonotype);
    return it == evidence_by_clonotype_.end() ? kNoEvidence : it->second;
  }
  /// (clonotype, frequency) of every clonotype with evidence counted in fragment `f`, by clonotype.
  const std::vector<std::pair<std::uint32_t, double>>& evidenced_in(std::uint32_t f) const {
    return evidenced_by_fragment_[f];
  }
  std::string metadata(std::uint32_t f) const { return fragment_metadata(t_.fragments[f]); }

 private:
  void check() const {
    const auto n_neo = r_.neoantigens.size();
    const auto n_clono = t_.clonotypes.size();
    const auto n_frag = t_.fragments.size();
    auto fail = [](const std::string& what, std::size_t index, std::size_t size) {
      throw Error("report: " + what + " index " + std::to_string(index) + " is out of range (" +
                  std::to_string(size) + ")");
    };
    for (const rank::Evidence& e : r_.evidence) {
      if (e.neoantigen >= n_neo) fail("evidence neoantigen", e.neoantigen, n_neo);
      if (e.clonotype >= n_clono) fail("evidence clonotype", e.clonotype, n_clono);
      if (e.via_clonotype != rank::kNone && e.via_clonotype >= n_clono)
        fail("evidence via_clonotype", e.via_clonotype, n_clono);
    }
    for (const rank::FragmentScore& s : r_.ranking) {
      if (s.fragment >= n_frag) fail("ranking fragment", s.fragment, n_frag);
      for (const auto& [n, v] : s.by_neoantigen)
        if (n >= n_neo) fail("ranking by_neoantigen", n, n_neo);
    }
    for (const ClonotypeCount& c : t_.counts) {
      if (c.clonotype >= n_clono) fail("count clonotype", c.clonotype, n_clono);
      if (c.fragment >= n_frag) fail("count fragment", c.fragment, n_frag);
    }
    for (const rank::DesignSlot& d : r_.design)
      if (d.neoantigen >= n_neo) fail("design neoantigen", d.neoantigen, n_neo);
  }

  const rank::RunResult& r_;
  const ClonotypeTable& t_;
  std::map<std::uint32_t, std::vector<std::uint32_t>> evidence_by_clonotype_;
  std::vector<std::vector<std::pair<std::uint32_t, double>>> evidenced_by_fragment_;
  std::vector<bool> evidenced_;
};

// --- 1. Header --------------------------------------------------------------------------------

void render_header(std::string& out, const ReportInput& in, const View& v) {
  const rank::RunResult& r = v.result();
  std::size_t evidenced = 0;
  for (std::uint32_t n = 0; n < r.neoantigens.size(); ++n) evidenced += v.evidenced(n) ? 1 : 0;

  out += "<header>\n<h1>";
  text(out, in.title.empty() ? std::string("tilmatch report") : in.title);
  out += "</h1>\n<p class=\"meta\">tilmatch ";
  text(out, kVersion);
  out += " &middot; backend: ";
  text(out, in.backend.empty() ? std::string("unknown") : in.backend);
  out += "</p>\n<p class=\"meta\">";
  const auto grouped = [](std::size_t n) { return text::format_grouped(static_cast<long long>(n)); };
  out += grouped(v.table().fragments.size()) + " cultures &middot; ";
  out += grouped(v.table().clonotypes.size()) + " clonotypes &middot; ";
  out += grouped(r.neoantigens.size()) + " candidate neoantigens (" + grouped(evidenced) + " with evidence) &middot; ";
  out += grouped(r.evidence.size()) + " evidence entries</p>\n";
  if (!in.timestamp.empty() || !in.command_line.empty()) {
    out += kRunSpecificBegin;
    out += "<p class=\"meta\">Run";
    if (!in.timestamp.empty()) {
      out += " on <time datetime=\"";
      text(out, in.timestamp);
      out += "\">";
      text(out, in.timestamp);
      out += "</time>";
    }
    if (!in.command_line.empty()) {
      out += ": <code class=\"command\">";
      text(out, in.command_line);
      out += "</code>";
    }
    out += "</p>";
    out += kRunSpecificEnd;
    out += "\n";
  }
  if (!r.notes.empty()) {
    out += "<div class=\"notice\" role=\"note\"><strong>Notes</strong><ul>";
    for (const std::string& note : r.notes) {
      out += "<li>";
      text(out, note);
      out += "</li>";
    }
    out += "</ul></div>\n";
  }
  out += "<nav><a href=\"#ranking\">Ranked cultures</a>";
  if (in.screen != nullptr) out += detail::screen_nav();
  out += "<a href=\"#heatmap\">Heatmap</a>"
         "<a href=\"#cultures\">Evidence per culture</a><a href=\"#neoantigens\">Candidate neoantigens</a>"
         "<a href=\"#design\">Screening design</a><a href=\"#run\">Parameters and inputs</a></nav>\n"
         "</header>\n";
}

// --- 2. Ranking -------------------------------------------------------------------------------

std::string score_bar(double score, double max_score) {
  std::string out = "<svg class=\"bar\" width=\"" + std::to_string(kBarWidthPx) + "\" height=\"" +
                    std::to_string(kBarHeightPx) + "\" viewBox=\"0 0 " + std::to_string(kBarWidthPx) + " " +
                    std::to_string(kBarHeightPx) + "\" aria-hidden=\"true\">";
  out += "<rect width=\"" + std::to_string(kBarWidthPx) + "\" height=\"" + std::to_string(kBarHeightPx) +
         "\" fill=\"" + std::string(kBarTrack) + "\"/>";
  if (std::isfinite(score) && score > 0 && max_score > 0) {
    // At least one pixel, so any positive score shows.
    const double width = std::max(1.0, std::min(1.0, score / max_score) * kBarWidthPx);
    out += "<rect width=\"" + format_decimals(width, 1) + "\" height=\"" + std::to_string(kBarHeightPx) +
           "\" fill=\"" + std::string(kBarColour) + "\"/>";
  }
  return out + "</svg>";
}

/// The "why" cell of a ranking row: the culture's best evidence, its neoantigen on the first line and
/// below it the clonotype, the reference TCR and their distance; "&mdash;" when it has none.
void render_why(std::string& out, const View& v, const rank::FragmentScore& s) {
  if (s.best_evidence == rank::kNone) {
    out += "<td>&mdash;</td>";
    return;
  }
  const rank::Evidence& e = v.result().evidence[s.best_evidence];
  out += "<td class=\"why\"><span class=\"nowrap\">";
  text(out, v.neoantigen_id(e.neoantigen));
  out += "</span><span class=\"why-sub\">";
  text(out, rank::clonotype_id(e.clonotype));
  out += " &harr; <span class=\"mono ref\">";  // ids like "vdjdb_human_chunks_2026-04-27:45156" wrap
  text(out, e.reference_id);
  out += "</span>";
  if (e.tcrdist >= 0) out += ", TCRdist " + std::to_string(e.tcrdist);
  if (e.tcrdist < 0 && e.tcrmatch >= 0) out += ", TCRMatch " + format_significant(e.tcrmatch, 3);
  out += "</span></td>";
}

/// "1 hit", "2 hits": `n` and the noun, plural but for one.
std::string counted(long long n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

/// A share to two significant digits: "7.9%", "0.041%".
std::string percent_significant(double fraction) { return format_significant(100.0 * fraction, 2) + "%"; }

/// "q 0.0008: 6 hits, 5.8 by chance; 7.9% of the culture, 0.041% by chance" (fragments.tsv
/// chance_q, chance_observed, chance_expected, chance_frequency, chance_expected_frequency): the
/// count and the share the test weighs, each next to what chance gives; "—" when not tested.
std::string against_chance(const rank::FragmentScore& s) {
  if (!std::isfinite(s.chance_q) || s.chance_observed < 0) return "—";
  // Two significant digits: a culture of 10^4 clonotypes expects a few thousandths of a hit, not 0.0.
  std::string out = "q " + format_significant(s.chance_q, 2) + ": " + counted(s.chance_observed, "hit") + ", " +
                    format_significant(finite_or(s.chance_expected, 0), 2) + " by chance";
  if (std::isfinite(s.chance_frequency) && std::isfinite(s.chance_expected_frequency))
    out += "; " + percent_significant(s.chance_frequency) + " of the culture, " +
           percent_significant(s.chance_expected_frequency) + " by chance";
  return out;
}

void render_ranking(std::string& out, const View& v, const std::string& background) {
  const auto& ranking = v.result().ranking;
  out += "<section id=\"ranking\">\n<h2>Ranked cultures</h2>\n";
  if (ranking.empty()) {
    empty_state(out, "No cultures were ranked.");
    out += "</section>\n";
    return;
  }
  double max_score = 0;
  for (const rank::FragmentScore& s : ranking) max_score = std::max(max_score, finite_or(s.score, 0));
  out += "<p class=\"hint\">Score: the sum over a culture's clonotypes of frequency &times; best weighted "
         "evidence; bars are scaled to the top score. Evidenced frequency: the share of the culture made of "
         "clonotypes with any evidence";
  out += v.result().chance_tested ? ", however weak (the share within a reference's chance radius is in Against "
                                    "chance).</p>\n"
                                  : ".</p>\n";
  out += "<p class=\"hint\">Why: the culture's best evidence &mdash; the neoantigen, then the culture's "
         "clonotype &harr; the reference TCR it matched and their distance (TCRdist, or the TCRMatch score).</p>\n";
  const bool chance = v.result().chance_tested;
  if (chance) {
    out += "<p class=\"hint\">Against chance: cultures whose evidence stands out from what chance gives a "
           "culture of their size (Benjamini-Hochberg q &lt; ";
    out += text::format_double(v.result().chance_fdr);
    out += ", fragments.tsv chance_q; --chance-fdr) rank first; the others are called none. The column gives q, "
           "the culture's clonotypes within a reference TCR's chance radius and how many a culture of its size "
           "holds by chance, then the share of the culture they make up (what the test weighs: an expanded "
           "clonotype counts for more) and the share chance gives. Background: ";
    text(out, background.empty() ? std::string("--background") : background);
    out += " (--background FILE names another; --no-background turns the chance model off).</p>\n";
  }
  out += "<div class=\"scroll\"><table class=\"ranking\">";
  std::vector<std::string> headers = {"#Rank", "Culture", "Metadata", "Score", "#Evidenced frequency",
                                      "#Neoantigens covered", "#Evidenced clonotypes", "Confidence"};
  if (chance) headers.push_back("Against chance");
  headers.push_back("Why");
  header_cells(out, headers);
  out += "<tbody>\n";
  for (std::size_t i = 0; i < ranking.size(); ++i) {
    const rank::FragmentScore& s = ranking[i];
    out += "<tr class=\"rank-row\"><td class=\"num\">" + std::to_string(s.rank) + "</td><td><a href=\"#" +
           culture_anchor(i) + "\">";
    text(out, v.fragment_id(s.fragment));
    out += "</a></td>";
    cell(out, v.metadata(s.fragment));
    out += "<td class=\"score\">" + score_bar(s.score, max_score) + "<span>" + format_significant(s.score, 4) +
           "</span></td>";
    cell(out, format_percent(s.evidenced_frequency), "num");
    cell(out, std::to_string(s.neoantigens), "num");
    cell(out, std::to_string(s.evidenced_clonotypes), "num");
    out += "<td>" + confidence_badge(s.confidence) + "</td>";
    if (chance) cell(out, against_chance(s), "chance");  // wraps, at least 16em wide
    render_why(out, v, s);
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n</section>\n";
}

// --- 3. Heatmap -------------------------------------------------------------------------------

void render_heatmap(std::string& out, const View& v) {
  const rank::RunResult& r = v.result();
  out += "<section id=\"heatmap\">\n<h2>Cultures &times; neoantigens</h2>\n";
  std::vector<std::uint32_t> columns;
  for (std::uint32_t n = 0; n < r.neoantigens.size(); ++n)
    if (v.evidenced(n)) columns.push_back(n);
  std::sort(columns.begin(), columns.end(), [&](std::uint32_t a, std::uint32_t b) {
    return std::pair(v.neoantigen_id(a), a) < std::pair(v.neoantigen_id(b), b);
  });
  if (columns.empty()) {
    empty_state(out, "No evidence: no clonotype in any culture is tied to a candidate neoantigen, so there is "
                     "nothing to map.");
    out += "</section>\n";
    return;
  }
  if (r.ranking.empty()) {
    empty_state(out, "No cultures were ranked.");
    out += "</section>\n";
    return;
  }
  // Cell values: rows in rank order, columns as above.
  std::vector<std::uint32_t> column_of(r.neoantigens.size(), rank::kNone);
  for (std::uint32_t c = 0; c < columns.size(); ++c) column_of[columns[c]] = c;
  std::vector<std::vector<double>> cells(r.ranking.size(), std::vector<double>(columns.size(), 0.0));
  double max_cell = 0;
  for (std::size_t i = 0; i < r.ranking.size(); ++i) {
    for (const auto& [n, value] : r.ranking[i].by_neoantigen) {
      if (column_of[n] == rank::kNone) continue;
      cells[i][column_of[n]] += finite_or(value, 0);
    }
    for (double c : cells[i]) max_cell = std::max(max_cell, c);
  }
  out += "<p class=\"hint\">Each cell is the culture's score contribution through one neoantigen (printed, "
         "3 significant digits), darker for larger (scaled to the largest cell); white cells have none.</p>\n";
  out += "<div class=\"scroll\"><table class=\"heatmap\"><thead><tr><th>Culture</th>";
  for (std::uint32_t n : columns) {
    out += "<th class=\"col\" title=\"";
    text(out, r.neoantigens[n].gene + " " + r.neoantigens[n].change);
    out += "\"><span>";
    text(out, v.neoantigen_id(n));
    out += "</span></th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < r.ranking.size(); ++i) {
    const std::string& culture = v.fragment_id(r.ranking[i].fragment);
    out += "<tr><th class=\"row\">#" + std::to_string(r.ranking[i].rank) + " ";
    text(out, culture);
    out += "</th>";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const double value = cells[i][c];
      const std::string tooltip = culture + " × " + v.neoantigen_id(columns[c]) + ": " + format_significant(value, 4);
      if (value > 0 && max_cell > 0) {
        const double t = kHeatFloor + (1 - kHeatFloor) * (value / max_cell);
        out += std::string("<td class=\"hm-cell") + (t > kDarkHeatCell ? " hm-dark" : "") +
               "\" style=\"background:" + detail::heat_colour(t) + "\" title=\"";
      } else {
        out += "<td class=\"hm-cell hm-zero\" title=\"";
      }
      text(out, tooltip);
      out += "\">";
      if (value > 0) out += format_significant(value, 3);
      out += "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n";
  out += "<div class=\"legend\"><span>0</span><span class=\"ramp\" style=\"background:" +
         detail::heat_gradient_css() + "\"></span><span>" + format_significant(max_cell, 4) + "</span></div>\n";
  out += "</section>\n";
}

// --- 4. Drill-down ----------------------------------------------------------------------------

struct DrillRow {
  std::uint32_t evidence;
  double frequency;
  double key;  // frequency * evidence score
};

std::string route_text(const rank::Evidence& e) {
  if (e.route == rank::Route::kReference) return "reference";
  std::string out = "neighbour";
  if (e.via_clonotype != rank::kNone) out += " of " + rank::clonotype_id(e.via_clonotype);
  if (e.neighbor_distance >= 0) out += " (TCRdist " + std::to_string(e.neighbor_distance) + ")";
  return out;
}

std::string distance_text(const rank::Evidence& e) {
  if (e.tcrdist >= 0) return "TCRdist " + std::to_string(e.tcrdist);
  if (e.tcrmatch >= 0) return "TCRMatch " + format_decimals(e.tcrmatch, 3);
  return std::string(kMissing);
}

void render_drill_rows(std::string& out, const View& v, const std::vector<DrillRow>& rows, std::size_t shown) {
  const rank::RunResult& r = v.result();
  out += "<div class=\"scroll\"><table class=\"drill\">";
  header_cells(out, {"Clonotype", "CDR3β", "TRBV", "#Frequency", "Neoantigen", "MT epitope", "#Evidence score",
                     "Route", "Reference TCR", "Reference epitope", "#Epitope similarity", "TCR similarity", "HLA"});
  out += "<tbody>\n";
  for (std::size_t k = 0; k < shown; ++k) {
    const rank::Evidence& e = r.evidence[rows[k].evidence];
    const TcrView tcr = v.table().clonotypes[e.clonotype].tcr;
    out += "<tr>";
    cell(out, rank::clonotype_id(e.clonotype), "nowrap");
    cell(out, tcr.cdr3b, "mono");
    cell(out, tcr.vb, "nowrap");
    cell(out, format_percent(rows[k].frequency), "num");
    cell(out, v.neoantigen_id(e.neoantigen), "nowrap");
    cell(out, e.mt_epitope, "mono");
    cell(out, format_significant(e.score, 3), "num");
    if (e.route == rank::Route::kNeighbor && e.via_clonotype != rank::kNone) {
      const TcrView via = v.table().clonotypes[e.via_clonotype].tcr;
      out += "<td class=\"route\" title=\"";
      text(out, rank::clonotype_id(e.via_clonotype) + ": " + std::string(via.cdr3b) + " " + std::string(via.vb));
      out += "\">";
      text(out, route_text(e));
      out += "</td>";
    } else {
      cell(out, route_text(e), "route");
    }
    // The reference's id, then whether it is lab-validated or public, and where it comes from.
    out += "<td><span class=\"mono\">";
    text(out, e.reference_id.empty() ? kMissing : e.reference_id);
    out += "</span><br><span class=\"source\">";
    out += e.validated ? "<span class=\"badge validated\">validated</span>" : "<span class=\"badge public\">public</span>";
    if (!e.reference_source.empty()) {
      out += " ";
      text(out, e.reference_source);
    }
    out += "</span></td>";
    cell(out, e.reference_epitope, "mono");
    cell(out, format_decimals(e.epitope_similarity, 3), "num");
    // A route within its reference's chance radius: one of the hits the culture's test counts.
    if (r.chance_tested && e.chance_hit) {
      out += "<td class=\"nowrap\">";
      text(out, distance_text(e));
      out += "<br><span class=\"source\">in chance radius</span></td>";
    } else {
      cell(out, distance_text(e), "nowrap");
    }
    // The factor beside the verdict when it scales the route ("mismatch ×0.25").
    cell(out, e.hla_factor == 1.0 ? e.hla : e.hla + " ×" + format_significant(e.hla_factor, 2));
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n";
}

void render_drilldown(std::string& out, const View& v, std::size_t top_n) {
  const rank::RunResult& r = v.result();
  out += "<section id=\"cultures\">\n<h2>Evidence per culture</h2>\n";
  if (r.ranking.empty()) {
    empty_state(out, "No cultures were ranked.");
    out += "</section>\n";
    return;
  }
  out += "<p class=\"hint\">Each culture's clonotypes with evidence, ordered by frequency &times; evidence score "
         "(one row per neoantigen a clonotype is tied to). A neighbour route borrows the evidence of a similar "
         "clonotype (hover for its CDR3β).";
  if (r.chance_tested)
    out += " <em>In chance radius</em>: the route lies within its reference TCR's chance radius, so the clonotype "
           "is one of the hits the culture's test against chance counts (affinity.tsv chance_hit).";
  out += "</p>\n";
  for (std::size_t i = 0; i < r.ranking.size(); ++i) {
    const rank::FragmentScore& s = r.ranking[i];
    std::vector<DrillRow> rows;
    for (const auto& [clonotype, frequency] : v.evidenced_in(s.fragment))
      for (std::uint32_t e : v.evidence_of(clonotype))
        rows.push_back({e, frequency, finite_or(frequency * r.evidence[e].score, 0)});
    std::sort(rows.begin(), rows.end(), [&](const DrillRow& a, const DrillRow& b) {
      if (a.key != b.key) return a.key > b.key;
      const rank::Evidence& ea = r.evidence[a.evidence];
      const rank::Evidence& eb = r.evidence[b.evidence];
      return std::pair(ea.clonotype, ea.neoantigen) < std::pair(eb.clonotype, eb.neoantigen);
    });

    out += "<details id=\"" + culture_anchor(i) + "\"";
    if (s.rank == 1) out += " open";
    out += "><summary><strong>#" + std::to_string(s.rank) + " ";
    text(out, v.fragment_id(s.fragment));
    out += "</strong> <span class=\"meta\">";
    const std::string metadata = v.metadata(s.fragment);
    if (!metadata.empty()) {
      text(out, metadata);
      out += " &middot; ";
    }
    out += "score " + format_significant(s.score, 4) + " &middot; " +
           counted(s.evidenced_clonotypes, "evidenced clonotype") + " &middot; " +
           counted(static_cast<long long>(rows.size()), "evidence row") + "</span> " +
           confidence_badge(s.confidence) + "</summary>\n";
    if (rows.empty()) {
      empty_state(out, "No clonotype in this culture has evidence.");
    } else {
      const std::size_t shown = std::min(rows.size(), top_n);
      if (shown < rows.size()) {
        out += "<p class=\"hint\">Showing the top " + std::to_string(shown) + " of " + std::to_string(rows.size()) +
               " evidence rows; affinity.tsv lists them all.</p>\n";
      }
      if (shown > 0) render_drill_rows(out, v, rows, shown);
    }
    out += "</details>\n";
  }
  out += "</section>\n";
}

// --- 5. Candidate neoantigens -----------------------------------------------------------------

void render_neoantigens(std::string& out, const View& v) {
  const auto& neo = v.result().neoantigens;
  out += "<section id=\"neoantigens\">\n<h2>Candidate neoantigens</h2>\n";
  if (neo.empty()) {
    empty_state(out, "No candidate neoantigens.");
    out += "</section>\n";
    return;
  }
  std::vector<std::uint32_t> order(neo.size());
  for (std::uint32_t n = 0; n < order.size(); ++n) order[n] = n;
  const double lowest = -std::numeric_limits<double>::infinity();
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const double wa = finite_or(neo[a].weight, lowest);
    const double wb = finite_or(neo[b].weight, lowest);
    if (wa != wb) return wa > wb;
    return std::pair(neo[a].id, a) < std::pair(neo[b].id, b);
  });
  out += "<p class=\"hint\">Sorted by weight (clonality &times; expression factor). VAFs are fractions; "
         "expression is in TPM.</p>\n";
  out += "<div class=\"scroll\"><table class=\"neoantigens\">";
  header_cells(out, {"Neoantigen", "Gene", "Change", "Variant", "Type", "#Tumour DNA VAF", "#RNA VAF",
                     "#Expression (TPM)", "#Weight", "#MT epitopes", "Evidence"});
  out += "<tbody>\n";
  for (std::uint32_t n : order) {
    const rank::Neoantigen& a = neo[n];
    out += "<tr>";
    cell(out, a.id, "nowrap");
    cell(out, a.gene);
    cell(out, a.change, "mono");
    cell(out, a.variant, "nowrap");
    cell(out, a.variant_type);
    cell(out, optional_decimals(a.tdna_vaf, 3), "num");
    cell(out, optional_decimals(a.trna_vaf, 3), "num");
    cell(out, optional_decimals(a.expression, 2), "num");
    cell(out, format_decimals(a.weight, 3), "num");
    cell(out, std::to_string(a.mt_epitopes.size()), "num");
    cell(out, v.evidenced(n) ? "yes" : "no");
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n</section>\n";
}

// --- 6. Screening design ----------------------------------------------------------------------

std::string kind_text(const std::string& kind) {
  if (kind == "tandem_minigene") return "tandem minigene";
  if (kind == "peptide_pool") return "peptide pool";
  return kind;
}

void render_design(std::string& out, const View& v) {
  const auto& design = v.result().design;
  out += "<section id=\"design\">\n<h2>Screening design</h2>\n";
  if (design.empty()) {
    empty_state(out, "No screening design (no candidate neoantigens to place).");
    out += "</section>\n";
    return;
  }
  // Constructs in order of first appearance; slots in slot order within each.
  std::vector<std::string> constructs;
  std::map<std::string, std::vector<std::size_t>> slots;
  for (std::size_t i = 0; i < design.size(); ++i) {
    auto [it, inserted] = slots.try_emplace(design[i].construct);
    if (inserted) constructs.push_back(design[i].construct);
    it->second.push_back(i);
  }
  out += "<p class=\"hint\">Tandem minigenes (TMG) carry 25-mers around each mutation; peptide pools (PP) carry "
         "the MT epitopes.</p>\n";
  out += "<div class=\"scroll\"><table class=\"design\">";
  header_cells(out, {"#Slot", "Neoantigen", "Sequence", "#Priority", "Reason"});
  for (const std::string& construct : constructs) {
    std::vector<std::size_t>& idx = slots[construct];
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return design[a].slot < design[b].slot; });
    out += "<tbody><tr class=\"group\"><th colspan=\"5\">";
    text(out, construct);
    out += " &middot; ";
    text(out, kind_text(design[idx.front()].kind));
    out += " &middot; " + std::to_string(idx.size()) + (idx.size() == 1 ? " slot" : " slots") + "</th></tr>\n";
    for (std::size_t i : idx) {
      const rank::DesignSlot& d = design[i];
      out += "<tr>";
      cell(out, std::to_string(d.slot), "num");
      cell(out, v.neoantigen_id(d.neoantigen), "nowrap");
      cell(out, d.sequence, "mono");
      cell(out, format_significant(d.priority, 4), "num");
      cell(out, d.reason);
      out += "</tr>\n";
    }
    out += "</tbody>\n";
  }
  out += "</table></div>\n</section>\n";
}

}  // namespace

std::string render_html(const ReportInput& input) {
  if (input.result == nullptr) throw Error("report: no RunResult to render");
  if (input.clonotypes == nullptr) throw Error("report: no clonotype table to render");
  const View v(*input.result, *input.clonotypes);
  std::optional<detail::ScreenView> screen;
  if (input.screen != nullptr) {
    screen.emplace(detail::ScreenView{*input.screen, *input.result, *input.clonotypes});
    detail::check_screen(*screen);
  }

  std::string out;
  out.reserve(64 * 1024);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"generator\" content=\"tilmatch ";
  text(out, kVersion);
  out += "\">\n<title>";
  text(out, input.title.empty() ? std::string("tilmatch report") : input.title);
  out += "</title>\n<style>";
  out += detail::kReportCss;
  if (screen) out += detail::kScreenCss;
  out += "</style>\n</head>\n<body>\n";
  render_header(out, input, v);
  out += "<main>\n";
  if (screen) {
    detail::render_screen_ranking(out, *screen);
    detail::render_screen_sections(out, *screen);
  } else {
    render_ranking(out, v, input.background);
  }
  render_heatmap(out, v);
  render_drilldown(out, v, input.top_clonotypes_per_fragment);
  render_neoantigens(out, v);
  if (input.mhc_conflicts != nullptr && input.matched_epitopes != nullptr)
    detail::render_mhc_conflicts(out, *input.mhc_conflicts, *input.matched_epitopes);
  render_design(out, v);
  detail::render_run(out, input);
  out += "</main>\n<footer>Written by tilmatch ";
  text(out, kVersion);
  out += ". This page is self-contained: it loads nothing from the network.</footer>\n<script>";
  out += detail::kReportScript;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace tilmatch::report
