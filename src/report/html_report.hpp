#pragma once
/// The self-contained HTML report of `tilmatch run` (report.html) for lab scientists: ranked TIL
/// cultures, a culture x neoantigen heatmap, per-culture evidence, candidate neoantigens, the
/// screening design, and the run's parameters, inputs and timings; with a screen's results, the
/// ranking in the screen's tiers and the screen's own sections (html_screen.hpp).

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rank/hla_evidence.hpp"
#include "rank/model.hpp"
#include "rank/screen_result.hpp"
#include "report/html_format.hpp"
#include "tilmatch/clonotypes.hpp"

namespace tilmatch::report {

/// What the report shows. The pointers are borrowed and must outlive render_html.
struct ReportInput {
  const rank::RunResult* result = nullptr;         ///< required
  const ClonotypeTable* clonotypes = nullptr;  ///< required: fragment ids, clonotypes, frequencies
  std::string title;    ///< e.g. "tilmatch run — EXAMPLE_TUMOR"
  std::string backend;  ///< "cpu" or "cuda:0 (NVIDIA H100 ...)"
  std::vector<std::pair<std::string, std::string>> parameters;  ///< name -> value, shown as given
  std::vector<std::pair<std::string, std::string>> inputs;      ///< role/path -> md5, shown as given
  std::vector<std::pair<std::string, double>> timings_s;        ///< stage -> seconds
  /// When and how the run was started (UTC ISO-8601; the command as typed); shown under the title.
  /// Empty: not shown. With the timings they sit between kRunSpecificBegin/End markers.
  std::string timestamp;
  std::string command_line;
  std::size_t top_clonotypes_per_fragment = 25;  ///< drill-down rows per culture
  /// The screen's results when the run had a screen (--screen, --reactive-repertoires); null: the
  /// report of a first run, unchanged.
  const rank::ScreenOutcome* screen = nullptr;
  /// Reference TCRs annotated with conflicting MHCs, and the reference epitopes (sorted) that matched
  /// a candidate; the conflicts of those epitopes get a short table. Null: no table.
  const std::vector<rank::ReferenceMhcConflict>* mhc_conflicts = nullptr;
  const std::vector<std::string>* matched_epitopes = nullptr;
  /// The chance model's background in one line (name, rows, md5), named where the ranking says
  /// cultures were tested against chance; empty: not named.
  std::string background;
};

/// HTML comments around the parts of a report that differ between two runs of the same inputs (date,
/// command line, timings), so that a comparison of outputs can leave exactly those out.
inline constexpr std::string_view kRunSpecificBegin = "<!--run-specific-->";
inline constexpr std::string_view kRunSpecificEnd = "<!--/run-specific-->";

/// One self-contained HTML document: inline CSS and SVG and a few lines of optional inline JS (opens
/// the drill-downs for printing); no network, no external resources. Deterministic: the same input
/// gives the same bytes (date, command and timings only where `timestamp`, `command_line` and
/// `timings_s` give them, between the run-specific markers).
/// Throws tilmatch::Error when a pointer is null or an index in the result or screen is out of range.
std::string render_html(const ReportInput& input);

}  // namespace tilmatch::report
