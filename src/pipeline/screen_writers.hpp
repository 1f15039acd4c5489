#pragma once
/// Row formats of the screen's outputs of `tilmatch run` (docs/screening.md): calls, fragment x
/// neoantigen reactivity, reactive clonotypes and where they are tracked, the product and the next
/// round. Each writer streams into an AtomicFile.

#include <string>
#include <vector>

#include "pipeline/screen_stage.hpp"
#include "rank/model.hpp"
#include "tilmatch/atomic_file.hpp"
#include "tilmatch/clonotypes.hpp"

namespace tilmatch::pipeline {

void write_screen_calls(AtomicFile& out, const rank::ScreenOutcome& s);
void write_reactivity(AtomicFile& out, const rank::ScreenOutcome& s);
void write_reactive_clonotypes(AtomicFile& out, const rank::ScreenOutcome& s, const ClonotypeTable& table,
                               const std::vector<rank::Neoantigen>& neoantigens);
void write_tracked(AtomicFile& out, const rank::ScreenOutcome& s, const ClonotypeTable& table);
void write_product(AtomicFile& out, const rank::ScreenOutcome& s, const std::vector<rank::Neoantigen>& neoantigens);
void write_next_round(AtomicFile& out, const rank::ScreenOutcome& s);
}  // namespace tilmatch::pipeline
