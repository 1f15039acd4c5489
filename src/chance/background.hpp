#pragma once
/// Background rows (tilmatch/background.hpp) as the TCR records the scoring engine encodes.

#include <cstddef>
#include <vector>

#include "scoring/engine.hpp"
#include "tilmatch/background.hpp"

namespace tilmatch::chance {

/// Row i of `bg` as a beta-chain TcrRecord (CDR3β and TRBV).
scoring::TcrRecord background_record(const Background& bg, std::size_t i);

/// Every row as records (tests and benchmarks: ~200 bytes a row).
std::vector<scoring::TcrRecord> background_records(const Background& bg);

}  // namespace tilmatch::chance
