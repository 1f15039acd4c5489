#include "chance/background.hpp"

#include "tilmatch/error.hpp"

namespace tilmatch::chance {

Background read_background(const std::string& path, io::RepertoireFormat format) {
  Background bg;
  bg.file = path;
  const io::RepertoireSummary summary = io::stream_repertoire(path, format, [&](io::RepertoireRow&& row) {
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
  if (bg.rows.empty()) throw InputError(path, "", "background repertoire has no usable TCRβ row");
  return bg;
}

}  // namespace tilmatch::chance
