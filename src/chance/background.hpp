#pragma once
/// Background repertoires for the chance model: unrelated TCRβ clonotypes, read from any
/// repertoire layout (io/repertoire.hpp) or from the V-grouped CDR3 list the project ships
/// (docs/formats.md, "Background"; data/background/, scripts/make-background) — the built-in one
/// or the user's --background file.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "io/line_reader.hpp"
#include "io/repertoire.hpp"
#include "scoring/engine.hpp"

namespace tilmatch::chance {

/// A background as the chance model uses it: per usable row, its CDR3β and TRBV only, stored
/// compactly (a million rows take ~20 MB, not the ~200 MB of as many TcrRecords). Rows are draws:
/// a clonotype listed twice counts twice, as a generation model draws public CDR3s more often; a
/// row's count (clone size) is ignored, since expansion is no evidence of generation.
struct Background {
  std::string file;
  std::vector<std::string> genes;        ///< distinct V genes (normalised), first-seen order
  std::vector<std::uint32_t> gene_of;    ///< row -> index into genes
  std::vector<std::uint64_t> cdr3_end;   ///< row -> end of its CDR3β in cdr3 (start: the row before's end)
  std::string cdr3;                      ///< every row's CDR3β, concatenated
  std::map<std::string, std::int64_t> skipped;  ///< reason -> rows not used (io::Repertoire)

  std::size_t size() const noexcept { return gene_of.size(); }
  std::string_view cdr3_of(std::size_t i) const noexcept {
    const std::uint64_t begin = i == 0 ? 0 : cdr3_end[i - 1];
    return std::string_view(cdr3).substr(begin, cdr3_end[i] - begin);
  }
  const std::string& v_of(std::size_t i) const noexcept { return genes[gene_of[i]]; }
  /// Row i as a beta-chain TcrRecord (CDR3β and TRBV).
  scoring::TcrRecord record(std::size_t i) const;
  /// Every row as records (tests and benchmarks: ~200 bytes a row).
  std::vector<scoring::TcrRecord> records() const;
  /// Appends a row (V gene as given; the readers normalise it first).
  void add(std::string_view cdr3b, std::string_view vb);
};

/// First line of a V-grouped CDR3 list (docs/formats.md, "Background").
inline constexpr std::string_view kGroupedHeader = "#tilmatch background 1";

/// Reads `path` (plain or gzip): a V-grouped CDR3 list when its first line is kGroupedHeader, else
/// a repertoire of `format`. InputError as io::read_repertoire, naming the line of a malformed
/// grouped list, and when no row is usable.
Background read_background(const std::string& path, io::RepertoireFormat format = io::RepertoireFormat::kAuto);

/// The same over an in-memory file (io::MemoryFile), parsed exactly as a file of its bytes.
Background read_background(const io::MemoryFile& file, io::RepertoireFormat format = io::RepertoireFormat::kAuto);

/// The project's shipped background, data/background/olga_trb_1m.txt.gz, as compiled into the
/// binary at build time (src/chance/CMakeLists.txt): its gzip bytes, unchanged. Static storage.
io::MemoryFile builtin_background_file();

/// The name the built-in background goes by in errors, logs and run.json.
inline constexpr const char* kBuiltinBackgroundName = "built-in data/background/olga_trb_1m.txt.gz";

}  // namespace tilmatch::chance
