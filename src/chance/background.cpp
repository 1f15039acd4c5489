#include "chance/background.hpp"

#include "tilmatch/error.hpp"

namespace tilmatch::chance {

namespace {

/// Both readers: the rows of a streamed repertoire as the chance model uses them.
template <typename Source>
Background collect(const Source& source, const std::string& name, io::RepertoireFormat format) {
  Background bg;
  bg.file = name;
  const io::RepertoireSummary summary = io::stream_repertoire(source, format, [&](io::RepertoireRow&& row) {
    if (row.tcr.cdr3b.empty()) {
      bg.skipped["no_beta_chain"] += 1;
      return;
    }
    scoring::TcrRecord r;
    r.cdr3_b = std::move(row.tcr.cdr3b);
    r.v_b = std::move(row.tcr.vb);
    bg.rows.push_back(std::move(r));
  });
  for (const auto& [reason, n] : summary.skipped) bg.skipped[reason] += n;
  if (bg.rows.empty()) throw InputError(name, "", "background repertoire has no usable TCRβ row");
  return bg;
}

}  // namespace

Background read_background(const std::string& path, io::RepertoireFormat format) {
  return collect(path, path, format);
}

Background read_background(const io::MemoryFile& file, io::RepertoireFormat format) {
  return collect(file, file.name, format);
}

}  // namespace tilmatch::chance
