#pragma once
/// Reads a V(D)J recombination model in IGoR's layout (tilmatch/generation_model.hpp), the folder
/// OLGA ships per chain: model_params.txt, model_marginals.txt, V_gene_CDR3_anchors.csv and
/// J_gene_CDR3_anchors.csv.

#include <string>

#include "tilmatch/generation_model.hpp"

namespace tilmatch::io {

/// Reads the four files of `folder`. Throws IoError when one cannot be opened (naming it) and
/// InputError naming the file and line of a malformed entry (an index or value that is no number,
/// a probability row longer than its table, a $Dim before its @event).
GenerationModel read_generation_model(const std::string& folder);

}  // namespace tilmatch::io
