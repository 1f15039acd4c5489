#pragma once
/// Reader of the reactive-repertoire manifest: the TCR-seq repertoires of cells sorted from a
/// fragment x construct co-culture (4-1BB+/OX40+), of the same fragment's unsorted cells, or of a
/// no-target co-culture. Columns `fragment_id, construct, population, path`, optional `format`
/// (docs/screening.md, "Formats").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/repertoire.hpp"

namespace tilmatch::io {

/// Which cells a reactive-manifest repertoire was sequenced from.
enum class Population : std::uint8_t {
  kSorted,    ///< activation-marker-positive cells sorted after co-culture with the construct
  kUnsorted,  ///< the same culture's cells, unsorted (the baseline)
  kNoTarget,  ///< cells co-cultured without target (or with an irrelevant one), a baseline too
};

std::string_view to_string(Population p) noexcept;
/// "sorted", "unsorted", "no_target" (any case); nullopt otherwise.
std::optional<Population> parse_population(std::string_view name) noexcept;

/// One row of the reactive-repertoire manifest.
struct ReactiveRepertoireEntry {
  std::string fragment_id;
  /// The construct the cells were co-cultured with, as the readouts name it. Empty only for a
  /// baseline (unsorted, no_target) that serves every construct of the fragment.
  std::string construct;
  Population population = Population::kSorted;
  std::string path;  ///< resolved: absolute, or relative to the manifest's folder and inside it
  RepertoireFormat format = RepertoireFormat::kAuto;
  std::int64_t line = 0;  ///< 1-based line in the manifest
};

/// Reads and checks the manifest, in file order: required columns, non-empty fragment ids,
/// known populations, a construct for every sorted row, existing files (same path rules as the
/// fragment manifest), known formats, no repeated (fragment, construct, population) (the error
/// names both lines), and a baseline for every sorted row (an unsorted or no_target row of the
/// same fragment with the same construct or none). Throws InputError naming the manifest, the
/// line and the column.
std::vector<ReactiveRepertoireEntry> read_reactive_manifest(const std::string& path);

}  // namespace tilmatch::io
