#pragma once
/// The report's inline stylesheet and script (report.html loads nothing from outside itself).
/// System fonts, one table style, readable at 1280 px and printable. Colours: Okabe-Ito blue bars
/// (#0072b2), ColorBrewer "Blues" heatmap (html_format.hpp), badges always carry their word too.

#include <string_view>

namespace tilmatch::report::detail {

inline constexpr std::string_view kReportCss = R"css(
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif;
  color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 1240px; padding: 16px 20px 40px;
  font-size: 14px; line-height: 1.4; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #c8c8c8; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.meta { color: #4a4a4a; margin: 2px 0; }
.hint { color: #4a4a4a; font-size: 12.5px; margin: 4px 0 8px; }
.empty { color: #4a4a4a; font-style: italic; }
nav { margin: 10px 0 0; font-size: 13px; }
nav a { margin-right: 14px; }
a { color: #005a8c; }
.notice { border: 1px solid #d08c00; border-left-width: 5px; background: #fff7e6; padding: 8px 12px; margin: 12px 0; }
.notice ul { margin: 4px 0 0; padding-left: 20px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #e0e0e0; text-align: left; vertical-align: middle; }
thead th { background: #f2f4f6; font-weight: 600; border-bottom: 1px solid #b8b8b8; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
.nowrap { white-space: nowrap; }
.chance { min-width: 16em; }
thead th.num { white-space: normal; }
.why { min-width: 14em; }
.why-sub { display: block; font-size: 12px; color: #4a4a4a; }
.ref { overflow-wrap: anywhere; }
.scroll { overflow-x: auto; max-width: 100%; }
.score { white-space: nowrap; }
.score svg { vertical-align: middle; margin-right: 6px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 9px; font-size: 12px; font-weight: 600; line-height: 18px; }
.conf-high { background: #1b7837; color: #fff; }
.conf-medium { background: #e69f00; color: #1a1a1a; }
.conf-low { background: #f0e442; color: #1a1a1a; }
.conf-none, .conf-other { background: #e0e0e0; color: #333; }
.validated { background: #1b7837; color: #fff; }
.public { background: #e0e0e0; color: #333; }
.source { font-size: 11.5px; color: #4a4a4a; white-space: nowrap; }
table.heatmap td.hm-cell { min-width: 40px; height: 22px; padding: 0 4px; border: 1px solid #fff;
  font-size: 11px; text-align: center; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.heatmap td.hm-dark { color: #fff; }
code.command { overflow-wrap: anywhere; }
table.heatmap td.hm-zero { background: #fff; outline: 1px solid #ececec; outline-offset: -1px; }
table.heatmap th.col { vertical-align: bottom; padding: 4px 0; border-bottom: 1px solid #b8b8b8; }
table.heatmap th.col span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
  font-weight: 500; font-size: 12px; }
table.heatmap th.row { font-weight: 500; white-space: nowrap; background: none; }
.legend { display: flex; align-items: center; gap: 8px; font-size: 12px; color: #4a4a4a; margin-top: 8px; }
.legend .ramp { display: inline-block; width: 180px; height: 12px; border: 1px solid #ccc; }
details { border: 1px solid #d8d8d8; border-radius: 4px; margin: 6px 0; padding: 4px 10px; }
details[open] { padding-bottom: 10px; }
summary { cursor: pointer; padding: 2px 0; }
summary .meta { font-weight: normal; }
table.drill { font-size: 12px; }
table.drill th, table.drill td { padding: 3px 5px; }
table.drill th.num { white-space: normal; }
table.drill td.route { min-width: 110px; }
table.design tr.group th { background: #e9eef3; font-weight: 600; border-top: 1px solid #b8b8b8; }
footer { margin-top: 32px; color: #666; font-size: 12px; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  .scroll { overflow: visible; }
  details { break-inside: avoid-page; }
}
@media print { details::details-content { content-visibility: visible; display: block; } }
)css";

// Appended to kReportCss only when the run had a screen, so a report without one keeps its bytes.
// Plate cells carry a symbol and assay codes besides their Okabe-Ito colour; on narrow screens the
// ranking's rows become cards (each cell headed by its data-label) so no cell is cut off.
inline constexpr std::string_view kScreenCss = R"css(
.sub { display: block; font-size: 11.5px; color: #4a4a4a; font-weight: normal; }
.sub-inline { font-size: 11px; color: #4a4a4a; }
td.small { font-size: 12px; color: #4a4a4a; }
table.screen-ranking td.why { min-width: 220px; max-width: 440px; font-size: 12.5px; overflow-wrap: anywhere; }
.tier-measured { background: #0072b2; color: #fff; }
.tier-tracked { background: #56b4e9; color: #1a1a1a; }
.tier-unconfirmed { background: #cfe8f6; color: #1a1a1a; }
.tier-public { background: #e0e0e0; color: #333; }
.tier-none { background: #fff; color: #555; box-shadow: inset 0 0 0 1px #bbb; }
table.plate th.row, table.tracked th.row, table.deconv th.row { position: sticky; left: 0; z-index: 1;
  background: #fff; white-space: nowrap; font-weight: 600; }
table.plate th.pcol { white-space: nowrap; font-size: 12px; text-align: center; }
table.plate td.pc { min-width: 54px; text-align: center; font-size: 11px; line-height: 1.25; padding: 3px 4px;
  border: 2px solid #fff; font-variant-numeric: tabular-nums; white-space: nowrap; }
.pc .sym { font-weight: 700; font-size: 13px; }
.pc .as { font-weight: 600; letter-spacing: 1px; }
.pc-pos { background: #0072b2; color: #fff; }
.pc-neg { background: #eceff2; color: #333; }
.pc-neg .as { font-weight: normal; color: #5a5a5a; }
.pc-ctlf { background: #e69f00; color: #1a1a1a; }
.pc-noctl { background: #f0e442; color: #1a1a1a; }
.pc-nt { background: #fff; color: #888; box-shadow: inset 0 0 0 1px #d0d0d0; }
.plate-legend { flex-wrap: wrap; gap: 14px; }
.plate-legend .pc { display: inline-block; min-width: 22px; text-align: center; font-weight: 700; padding: 1px 4px; }
table.deconv td { vertical-align: top; min-width: 120px; }
table.tracked td.tf { text-align: right; min-width: 56px; font-size: 12px; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
table.tracked td.tf.dark { color: #fff; }
table.tracked td.neo { min-width: 170px; }
table.product td { vertical-align: top; }
table.product tr.chosen td { font-weight: 600; background: #eef5fb; }
details.more { display: inline; border: 0; padding: 0; margin: 0; }
details.more[open] { padding: 0; }
details.more summary { display: inline; color: #005a8c; }
ol.steps { padding-left: 22px; }
ol.steps li { margin: 4px 0; }
@media (max-width: 640px) {
  table.screen-ranking, table.screen-ranking tbody, table.screen-ranking tr, table.screen-ranking td {
    display: block; width: auto; }
  table.screen-ranking thead { display: none; }
  table.screen-ranking tr { border: 1px solid #d8d8d8; border-radius: 4px; margin: 8px 0; padding: 4px 8px; }
  table.screen-ranking td { border: 0; padding: 2px 0; text-align: left; white-space: normal; min-width: 0;
    max-width: none; overflow-wrap: anywhere; }
  table.screen-ranking td::before { content: attr(data-label) ": "; font-weight: 600; color: #4a4a4a; }
  table.screen-ranking .sub { display: inline; margin-left: 6px; }
}
@media print { table.plate th.row, table.tracked th.row, table.deconv th.row { position: static; } }
)css";

// Opens every drill-down before printing; the page reads the same without it.
inline constexpr std::string_view kReportScript = R"js(
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
});
)js";

}  // namespace tilmatch::report::detail
