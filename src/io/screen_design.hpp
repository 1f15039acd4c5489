#pragma once
/// Reader of screen designs: the `tmg_design.tsv` a first `tilmatch run` wrote, and extra design
/// files of the same shape (e.g. matrix pools for deconvolution). Columns `construct, kind, slot,
/// neoantigen_id, sequence` are used; others (`gene, change, priority, weight, reason`) are ignored
/// (docs/screening.md, "Formats").

#include <string>
#include <vector>

#include "screen/model.hpp"

namespace tilmatch::io {

/// Reads one design file: one Construct per distinct `construct`, in order of first appearance,
/// members in slot order, with the file and lines of the construct and of each member. `kind` is
/// `tandem_minigene` or `peptide_pool`, the same on every row of a construct; slots are 1..n
/// without gaps or repeats; sequences are amino acids (upper-cased). A peptide may sit in
/// several pools. The ids `negative` and `positive` are reserved for controls. Throws InputError
/// naming the file, the line and the column.
std::vector<screen::Construct> read_screen_design(const std::string& path);

/// Reads several design files in the given order; a construct id defined in two files is an
/// InputError naming both places.
std::vector<screen::Construct> read_screen_designs(const std::vector<std::string>& paths);

}  // namespace tilmatch::io
