#pragma once
/// The screen's results in report.html (docs/screening.md, "Report"): the ranking in the screen's
/// evidence tiers, a plate-style map of the calls, the deconvolution with the next round, the
/// reactive clonotypes tracked across cultures, and the product with its alternatives.
/// render_html calls these only when ReportInput::screen is set.

#include <string>

#include "rank/model.hpp"
#include "rank/screen_result.hpp"
#include "tilmatch/clonotypes.hpp"

namespace tilmatch::report::detail {

/// What the screen sections read. Borrowed: every referent must outlive the calls below.
struct ScreenView {
  const rank::ScreenOutcome& screen;
  const rank::RunResult& result;     ///< neoantigens (indices of the screen) and the public ranking
  const ClonotypeTable& table;   ///< fragments and clonotypes (indices of the screen)
};

/// Throws tilmatch::Error naming the field when an index in the screen is out of range for the
/// result or the table.
void check_screen(const ScreenView& v);

/// The navigation links of the screen sections, in page order.
std::string screen_nav();

/// The "Ranked cultures" section in the screen's order: tier, confidence, reasons, tracked CD4/CD8
/// frequencies and the public score. On narrow screens each row becomes a card.
void render_screen_ranking(std::string& out, const ScreenView& v);

/// The calls plate (html_screen_plate.cpp): culture x construct cells coloured and marked by status.
void render_calls_plate(std::string& out, const ScreenView& v);

/// The calls plate, the deconvolution with the next round, the tracked reactive clonotypes and the
/// product, in that order.
void render_screen_sections(std::string& out, const ScreenView& v);

}  // namespace tilmatch::report::detail
