#pragma once
/// Sizes as users write them for --memory: "6G", "6GB", "6 GB", "6GiB", "512M", "1.5G", "1T", "1000000".

#include <cstdint>
#include <optional>
#include <string_view>

namespace tilmatch::cli {

/// Bytes in `text`: a non-negative decimal number, optional spaces, and an optional unit K, M, G or
/// T (any case) followed by nothing, "B" or "iB"; no unit (or "B" alone) means bytes. Units are
/// binary whether written "G", "GB" or "GiB" (1G = 1024^3 bytes), as Slurm's --mem and Nextflow's
/// MemoryUnit read them, so a size copied from a job script means the same here. Fractions of a
/// byte are dropped. std::nullopt when the text is anything else or the size exceeds 2^63 bytes.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

/// The --memory default of every subcommand that scores pairs (run, search, neighbors, predict).
/// 2 GiB fits the smallest common job slot beside the inputs (a 2-core laptop or CI runner with
/// 7-8 GB; a Slurm job at 2 GB per core). The engine never allocates the budget up front: it caps
/// the tile buffers (a quarter) and the hits kept (half), so a larger budget costs nothing when hits
/// are few and spares `search` re-scoring runs in quarters when they are many.
inline constexpr const char* kDefaultMemory = "2G";

/// The help line of --memory.
inline constexpr const char* kMemoryHelp =
    "Working-memory budget of the scoring engine: 512M, 6G, 6GB, '6 GB' or 6GiB (binary units: 1G = 1024^3 bytes)";

}  // namespace tilmatch::cli
