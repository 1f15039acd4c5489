#pragma once
/// The report's last section: the run's parameters, input checksums and stage timings (the timings
/// between the run-specific markers, html_report.hpp).

#include <string>

#include "report/html_report.hpp"

namespace tilmatch::report::detail {

/// Appends the section (id "run"); a list with nothing in it says "None recorded."
void render_run(std::string& out, const ReportInput& in);

}  // namespace tilmatch::report::detail
