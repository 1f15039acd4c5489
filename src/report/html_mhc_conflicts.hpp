#pragma once
/// The report's short table of reference TCRs annotated with conflicting MHCs for one epitope
/// (rank::find_mhc_conflicts), limited to epitopes that matched a candidate of this patient.

#include <string>
#include <vector>

#include "rank/hla_evidence.hpp"

namespace tilmatch::report::detail {

/// Appends the section when some conflict's epitope is in `matched_epitopes` (sorted); appends
/// nothing otherwise, so a run without such conflicts shows no empty section. The others are
/// counted in a sentence that points to run.json.
void render_mhc_conflicts(std::string& out, const std::vector<rank::ReferenceMhcConflict>& conflicts,
                          const std::vector<std::string>& matched_epitopes);

}  // namespace tilmatch::report::detail
