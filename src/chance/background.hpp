#pragma once
/// Background repertoires for the chance model: unrelated TCRβ clonotypes, read from any
/// repertoire layout (io/repertoire.hpp) — the project's shipped OLGA sample
/// (data/background/, scripts/make-background) or the user's --background file.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "io/repertoire.hpp"
#include "scoring/engine.hpp"

namespace tilmatch::chance {

/// A background as the chance model uses it.
struct Background {
  std::string file;
  /// One record per usable row, in file order (CDR3β and TRBV only). Rows are draws: a
  /// clonotype listed twice counts twice, as a generation model draws public CDR3s more often;
  /// a row's count (clone size) is ignored, since expansion is no evidence of generation.
  std::vector<scoring::TcrRecord> rows;
  std::map<std::string, std::int64_t> skipped;  ///< reason -> rows not used (io::Repertoire)
};

/// Reads `path` (plain or gzip) as a repertoire of `format`. InputError as io::read_repertoire,
/// and when no row is usable.
Background read_background(const std::string& path, io::RepertoireFormat format = io::RepertoireFormat::kAuto);

/// The same over an in-memory file (io::MemoryFile), parsed exactly as a file of its bytes.
Background read_background(const io::MemoryFile& file, io::RepertoireFormat format = io::RepertoireFormat::kAuto);

/// The project's shipped background, data/background/olga_trb_100k.tsv.gz, as compiled into the
/// binary at build time (src/chance/CMakeLists.txt): its gzip bytes, unchanged. Static storage.
io::MemoryFile builtin_background_file();

/// The name the built-in background goes by in errors, logs and run.json.
inline constexpr const char* kBuiltinBackgroundName = "built-in data/background/olga_trb_100k.tsv.gz";

}  // namespace tilmatch::chance
