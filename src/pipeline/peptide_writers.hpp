#pragma once
/// Row formats of the peptides outputs (docs/formats.md). Each function returns complete lines.

#include <cstdint>
#include <string>
#include <string_view>

#include "peptides/peptides.hpp"
#include "tilmatch/json_writer.hpp"
#include "tilmatch/variant.hpp"

namespace tilmatch::pipeline {

/// The one missing-value mark of every table tilmatch writes (R's and pandas' default), never an empty cell.
inline constexpr std::string_view kNa = "NA";

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

/// run.json's layout version (docs/run.schema.json): raised when a field changes meaning or type.
inline constexpr std::int64_t kRunJsonSchemaVersion = 1;

/// When and where a run happened. With the command line, threads and stage timings these are the only
/// run.json fields (and report.html's run block) that differ between two runs of the same inputs.
struct RunStamp {
  std::string timestamp;  ///< UTC, ISO-8601 to the second: "2026-12-01T18:55:02Z"
  std::string host;       ///< this machine's host name ("unknown" when it has none)
};
/// Now and here.
RunStamp run_stamp();

/// Opens a run.json object with the fields every stage writes first: schema_version, tool, version
/// (with the build's commit), stage, command line, timestamp, host and `threads` (the worker threads used).
void begin_run_json(JsonWriter& j, std::string_view stage, const std::string& command_line, const RunStamp& stamp,
                    unsigned threads);

}  // namespace tilmatch::pipeline
