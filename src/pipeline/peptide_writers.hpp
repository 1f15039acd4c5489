#pragma once
/// Row formats of the peptides outputs (docs/formats.md). Each function returns complete lines.

#include <string>
#include <string_view>

#include "peptides/peptides.hpp"
#include "tilmatch/json_writer.hpp"
#include "tilmatch/variant.hpp"

namespace tilmatch::pipeline {

/// candidates.tsv
std::string candidates_header();
/// `windows` may be null when no window pair was made; `window_status` is "ok" or the skip reason.
std::string candidate_row(const VariantTranscript& v, const peptides::WindowPair* windows,
                          std::string_view window_status);

/// FASTA record with the sequence wrapped at 60 columns (pVACseq's layout).
std::string fasta_record(std::string_view header, std::string_view sequence);

/// epitopes.tsv
std::string epitopes_header();
std::string epitope_row(const VariantTranscript& v, std::string_view mhc_class, const peptides::EpitopePair& e);

/// minigenes.tsv and the FASTA header of a minigene ("MG.<key>.<tile>").
std::string minigenes_header();
std::string minigene_row(const VariantTranscript& v, const peptides::Minigene& m);
std::string minigene_name(const VariantTranscript& v, const peptides::Minigene& m);

/// Opens a run.json object with the fields every stage writes first: tool, version, stage and the
/// command line.
void begin_run_json(JsonWriter& j, std::string_view stage, const std::string& command_line);

}  // namespace tilmatch::pipeline
