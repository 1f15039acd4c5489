#pragma once
/// Reads background repertoires for the chance model (tilmatch/background.hpp): any repertoire
/// layout (io/repertoire.hpp) or the V-grouped CDR3 list the project ships (docs/formats.md,
/// "Background"; data/background/, scripts/make-background) — the built-in one or the user's
/// --background file.

#include <string>
#include <string_view>
#include <vector>

#include "io/line_reader.hpp"
#include "io/repertoire.hpp"
#include "tilmatch/background.hpp"

namespace tilmatch::io {

/// First line of a V-grouped CDR3 list (docs/formats.md, "Background").
inline constexpr std::string_view kGroupedHeader = "#tilmatch background 1";

/// Reads `path` (plain or gzip): a V-grouped CDR3 list when its first line is kGroupedHeader, else
/// a repertoire of `format` (rows without a CDR3β are counted in `skipped` as "no_beta_chain").
/// InputError as io::read_repertoire, naming the line of a malformed grouped list, and when no row
/// is usable.
Background read_background(const std::string& path, RepertoireFormat format = RepertoireFormat::kAuto);

/// The same over an in-memory file (io::MemoryFile), parsed exactly as a file of its bytes.
Background read_background(const MemoryFile& file, RepertoireFormat format = RepertoireFormat::kAuto);

/// `bg` as a V-grouped CDR3 list: kGroupedHeader, a '# ' line per comment, then per V gene (in
/// byte order) a '>GENE' line and its CDR3s (in byte order), duplicates kept. read_background gives
/// back the same rows, grouped. The layout scripts/make-background writes the shipped one in.
std::string format_grouped_background(const Background& bg, const std::vector<std::string>& comments);

/// The project's shipped background, data/background/olga_trb_1m.txt.gz, as compiled into the
/// binary at build time (src/io/CMakeLists.txt): its gzip bytes, unchanged. Static storage.
MemoryFile builtin_background_file();

/// The name the built-in background goes by in errors, logs and run.json.
inline constexpr const char* kBuiltinBackgroundName = "built-in data/background/olga_trb_1m.txt.gz";

}  // namespace tilmatch::io
