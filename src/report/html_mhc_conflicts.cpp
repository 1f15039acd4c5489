#include "report/html_mhc_conflicts.hpp"

#include <algorithm>

#include "report/html_table.hpp"

namespace tilmatch::report::detail {

void render_mhc_conflicts(std::string& out, const std::vector<rank::ReferenceMhcConflict>& conflicts,
                          const std::vector<std::string>& matched_epitopes) {
  std::vector<const rank::ReferenceMhcConflict*> shown;
  for (const rank::ReferenceMhcConflict& c : conflicts)
    if (std::binary_search(matched_epitopes.begin(), matched_epitopes.end(), c.epitope)) shown.push_back(&c);
  if (shown.empty()) return;
  open_section(out, "mhc-conflicts", "Reference MHC conflicts");
  hint(out,
       "These reference TCRs are annotated with different MHCs for the same epitope, and the epitope matches a "
       "candidate. Where one annotation names a patient allele it is used (HLA <span class=\"mono\">"
       "match_other_annotation</span>); otherwise a presentation prediction for a patient allele settles it "
       "(<span class=\"mono\">presented</span>), or another reference TCR of the same epitope restricted by a "
       "patient allele (<span class=\"mono\">match_epitope_annotation</span>), or the route carries the "
       "mismatch factor.");
  out += "<div class=\"scroll\"><table class=\"mhc-conflicts\">";
  header_cells(out, {"Epitope", "CDR3β", "TRBV", "MHCs", "Sources"});
  out += "<tbody>\n";
  for (const rank::ReferenceMhcConflict* c : shown) {
    out += "<tr>";
    cell(out, c->epitope, "mono");
    cell(out, c->cdr3b, "mono");
    cell(out, c->vb, "nowrap");
    out += "<td class=\"mono\">" + escaped_list(c->mhcs) + "</td>";
    out += "<td>" + escaped_list(c->sources) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n";
  const std::size_t others = conflicts.size() - shown.size();
  if (others > 0) {
    hint(out, std::to_string(others) + (others == 1 ? " further conflict" : " further conflicts") +
                  " among reference TCRs of epitopes no candidate matches: run.json, "
                  "<span class=\"mono\">reference_mhc_conflicts</span>.");
  }
  out += "</section>\n";
}

}  // namespace tilmatch::report::detail
