#pragma once
/// Reader of the screen's readouts TSV: one row per well or measurement, columns `fragment_id,
/// construct, assay, replicate, value` and optional `cells_per_well, plate, well`
/// (docs/screening.md, "Formats").

#include <string>
#include <vector>

#include "screen/model.hpp"

namespace tilmatch::io {

/// Reads every readout in file order. Assay names and the control keywords `negative`/`positive`
/// are lower-cased; other fields are kept as written (surrounding blanks removed). Values must be
/// finite and >= 0 (flow assays `cd137_cd8`, `cd137_cd4`, `ox40_cd4` also <= 100, percent of the
/// parent gate); `cells_per_well` > 0 when given. A repeated (fragment, construct, assay,
/// replicate) is an error naming both lines. A file named .csv(.gz) is read comma-separated.
/// Throws InputError naming the file, the line and the column.
std::vector<screen::Readout> read_screen_readouts(const std::string& path);

}  // namespace tilmatch::io
