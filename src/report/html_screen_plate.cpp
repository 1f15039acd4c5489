// The calls plate of the screen sections (html_screen.hpp): one cell per culture x construct.

#include "report/html_screen.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "report/html_format.hpp"
#include "report/html_table.hpp"

namespace tilmatch::report::detail {
namespace {

using screen::Call;
using screen::CallStatus;

struct AssayCode {
  std::string_view assay, code, label;
};
constexpr std::array<AssayCode, 4> kAssayCodes{{{"elispot_ifng", "E", "IFN-γ ELISpot"},
                                                 {"cd137_cd8", "8", "4-1BB (CD137) on CD8"},
                                                 {"cd137_cd4", "4", "4-1BB (CD137) on CD4"},
                                                 {"ox40_cd4", "X", "OX40 on CD4"}}};

/// A plate cell's status: every assay of a culture x construct combined as deconvolution rule 1
/// does (screen/deconvolution.hpp). Declared in precedence order.
enum class Shown : std::uint8_t { kPositive, kControlFailed, kNoControl, kNegative, kNotTested };
struct ShownStyle {
  std::string_view cls, symbol, word;
};
constexpr std::array<ShownStyle, 5> kShownStyles{{{"pc-pos", "+", "positive"},
                                                   {"pc-ctlf", "!", "control failed"},
                                                   {"pc-noctl", "?", "no negative control"},
                                                   {"pc-neg", "−", "negative"},
                                                   {"pc-nt", "·", "not tested"}}};
const ShownStyle& style_of(Shown s) { return kShownStyles[static_cast<std::size_t>(s)]; }

Shown shown_of(CallStatus s) {
  switch (s) {
    case CallStatus::kPositive: return Shown::kPositive;
    case CallStatus::kControlFailed: return Shown::kControlFailed;
    case CallStatus::kNoControl: return Shown::kNoControl;
    case CallStatus::kNegative: return Shown::kNegative;
    case CallStatus::kNotCalled: break;
  }
  return Shown::kNotTested;
}

std::string_view status_word(CallStatus s) {
  static constexpr std::array<std::string_view, 5> kWords{"positive", "negative", "no negative control",
                                                          "positive control failed", "not called (no rule)"};
  return kWords[static_cast<std::size_t>(s)];
}


std::string_view construct_kind(screen::ConstructKind k) {
  switch (k) {
    case screen::ConstructKind::kTandemMinigene: return "tandem minigene";
    case screen::ConstructKind::kPeptidePool: return "peptide pool";
    case screen::ConstructKind::kMinigene: return "minigene";
    case screen::ConstructKind::kPeptide: return "peptide";
    case screen::ConstructKind::kNegative: return "negative control";
    case screen::ConstructKind::kPositive: break;
  }
  return "positive control";
}

/// One-character codes of the assays present: the known ones first, then others as a, b, c...
std::map<std::string, std::pair<std::size_t, std::string>> assay_codes(const std::vector<Call>& calls) {
  std::map<std::string, std::pair<std::size_t, std::string>> out;  // assay -> (order, code)
  std::set<std::string> others;
  for (const Call& c : calls) {
    const auto* known = std::find_if(kAssayCodes.begin(), kAssayCodes.end(),
                                     [&](const AssayCode& a) { return a.assay == c.assay; });
    if (known != kAssayCodes.end()) {
      out.try_emplace(c.assay, static_cast<std::size_t>(known - kAssayCodes.begin()), std::string(known->code));
    } else {
      others.insert(c.assay);
    }
  }
  std::size_t k = 0;
  for (const std::string& a : others) {
    // a..z, then z1, z2, ... (appended: GCC 12 warns falsely on "z" + std::to_string(n)).
    std::string code(1, k < 26 ? static_cast<char>('a' + k) : 'z');
    if (k >= 26) code += std::to_string(k - 25);
    out.try_emplace(a, kAssayCodes.size() + k++, std::move(code));
  }
  return out;
}

/// True when `a` is a better representative than `b` of a cell showing `s`: a positive by its
/// smallest q, else by its largest fold.
bool represents_better(const Call& a, const Call& b, Shown s) {
  if (s == Shown::kPositive) {
    const bool qa = std::isfinite(a.q), qb = std::isfinite(b.q);
    if (qa != qb) return qa;
    if (qa && a.q != b.q) return a.q < b.q;
  }
  const double fa = std::isnan(a.fold) ? -1 : a.fold, fb = std::isnan(b.fold) ? -1 : b.fold;
  return fa > fb;
}

std::string call_detail(const Call& c) {
  std::string out = c.assay + ": " + std::string(status_word(c.status));
  if (c.rule != screen::CallRule::kNone) out += " by " + std::string(screen::to_string(c.rule));
  if (c.fallback) out += " (DFR could not reach the FDR)";
  const std::string_view unit = c.assay_kind == screen::AssayKind::kElispot ? " spots/well" : " % of parent";
  out += "; " + format_significant(c.mean_test, 3) + " vs " + format_significant(c.mean_control, 3);
  out += std::string(unit) + " in " + std::to_string(c.n_test) + " vs " + std::to_string(c.n_control) + " wells";
  if (!std::isnan(c.fold)) out += ", fold " + format_fold(c.fold);
  if (std::isfinite(c.q)) out += ", p " + format_probability(c.p) + ", q " + format_probability(c.q);
  if (c.positive_control == screen::PositiveControlStatus::kFailed) out += "; positive control failed";
  return out;
}

void render_plate_cell(std::string& out, const std::string& fragment, const std::string& construct,
                       const std::vector<const Call*>& calls,
                       const std::map<std::string, std::pair<std::size_t, std::string>>& codes) {
  Shown shown = Shown::kNotTested;
  for (const Call* c : calls) shown = std::min(shown, shown_of(c->status));
  const Call* best = nullptr;
  std::vector<std::pair<std::size_t, std::string>> letters;
  for (const Call* c : calls) {
    if (shown_of(c->status) != shown) continue;
    if (best == nullptr || represents_better(*c, *best, shown)) best = c;
    letters.push_back(codes.at(c->assay));
  }
  std::sort(letters.begin(), letters.end());
  std::string tooltip = fragment + " × " + construct + ": " + std::string(style_of(shown).word);
  for (const Call* c : calls) {
    tooltip += '\n';
    tooltip += call_detail(*c);
  }
  const ShownStyle& st = style_of(shown);
  out += "<td class=\"pc ";
  out += st.cls;
  out += "\" title=\"" + html_escape(tooltip) + "\"><span class=\"sym\">";
  out += st.symbol;
  out += "</span>";
  if (!letters.empty()) {
    out += " <span class=\"as\">";
    for (const auto& l : letters) out += html_escape(l.second);
    out += "</span>";
  }
  if (best != nullptr && shown != Shown::kNoControl && shown != Shown::kNotTested) {
    if (const std::string fold = format_fold(best->fold); !fold.empty()) out += "<br>" + fold;
    if (std::isfinite(best->q)) out += "<br><span class=\"q\">q " + format_probability(best->q) + "</span>";
  }
  out += "</td>";
}

}  // namespace

void render_calls_plate(std::string& out, const ScreenView& v) {
  const auto& calls = v.screen.calls;
  open_section(out, "screen-calls", "Screen calls: cultures × constructs");
  if (calls.empty()) {
    empty_state(out, "No calls: the run had no readouts (--screen).");
    out += "</section>\n";
    return;
  }
  // Columns: the design's constructs in design order, then any other construct the readouts name.
  std::vector<std::string> columns;
  std::map<std::string, std::string> column_title;
  for (const screen::Construct& c : v.screen.design) {
    if (!column_title.try_emplace(c.id).second) continue;
    columns.push_back(c.id);
    std::vector<std::string> members;
    for (const std::string& n : c.neoantigens)
      if (std::find(members.begin(), members.end(), n) == members.end()) members.push_back(n);
    std::string title = c.id + ": " + std::string(construct_kind(c.kind)) + ", " +
                        std::to_string(c.sequences.size()) + (c.sequences.size() == 1 ? " member" : " members");
    for (std::size_t i = 0; i < members.size(); ++i) title += (i ? ", " : " — ") + members[i];
    column_title[c.id] = title;
  }
  std::map<std::pair<std::string, std::string>, std::vector<const Call*>> by_cell;
  std::set<std::string> called;
  for (const Call& c : calls) {
    if (column_title.try_emplace(c.construct, c.construct).second) columns.push_back(c.construct);
    by_cell[{c.fragment_id, c.construct}].push_back(&c);
    called.insert(c.fragment_id);
  }
  const auto codes = assay_codes(calls);
  std::vector<std::string> unscreened;
  for (const FragmentSummary& f : v.table.fragments)
    if (!called.count(f.id)) unscreened.push_back(f.id);

  hint(out, "One cell per culture &times; construct (design order; controls left out), every assay combined as "
            "the deconvolution combines them: positive when any assay is positive; otherwise flagged when a "
            "positive control failed or negative wells were missing; negative only when every assay with a rule "
            "is negative. The cell prints its symbol, the codes of the assays behind it, the fold over the "
            "culture&#39;s negative wells and, when a DFR test ran, its q-value (best assay: lowest q, else "
            "highest fold). Hover for every assay; screen_calls.tsv has them all. Cultures in manifest order.");
  out += "<div class=\"scroll\"><table class=\"plate\"><thead><tr><th class=\"row\">Culture</th>";
  for (const std::string& c : columns) {
    out += "<th class=\"pcol\" title=\"" + html_escape(column_title[c]) + "\">";
    text(out, c);
    out += "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  static const std::vector<const Call*> kNoCalls;
  for (const FragmentSummary& f : v.table.fragments) {
    if (!called.count(f.id)) continue;
    out += "<tr><th class=\"row\">";
    text(out, f.id);
    out += "</th>";
    for (const std::string& c : columns) {
      const auto it = by_cell.find({f.id, c});
      render_plate_cell(out, f.id, c, it == by_cell.end() ? kNoCalls : it->second, codes);
    }
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n<div class=\"legend plate-legend\">";
  for (Shown s : {Shown::kPositive, Shown::kNegative, Shown::kControlFailed, Shown::kNoControl, Shown::kNotTested})
    out += "<span><span class=\"pc " + std::string(style_of(s).cls) + "\">" + std::string(style_of(s).symbol) +
           "</span> " + std::string(style_of(s).word) + "</span>";
  out += "</div>\n<p class=\"hint\">Assays: ";
  std::vector<std::pair<std::size_t, std::string>> present;
  for (const auto& entry : codes) {
    const std::string& assay = entry.first;
    const auto& code = entry.second;
    const auto* known = std::find_if(kAssayCodes.begin(), kAssayCodes.end(),
                                     [&](const AssayCode& a) { return a.assay == assay; });
    present.emplace_back(code.first, "<strong>" + html_escape(code.second) + "</strong> " +
                                         html_escape(known != kAssayCodes.end() ? known->label : assay));
  }
  std::sort(present.begin(), present.end());
  for (std::size_t i = 0; i < present.size(); ++i) out += (i ? " &middot; " : "") + present[i].second;
  out += ".";
  for (std::size_t i = 0; i < unscreened.size(); ++i) {
    out += i == 0 ? " Not screened: " : ", ";
    text(out, unscreened[i]);
  }
  if (!unscreened.empty()) out += ".";
  out += "</p>\n</section>\n";
}

}  // namespace tilmatch::report::detail
