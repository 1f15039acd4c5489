#pragma once
/// A background repertoire as the chance model uses it (docs/scoring.md, "Chance model"):
/// unrelated TCRβ clonotypes, per usable row its CDR3β and TRBV only. Filled by io::read_background
/// (src/io/background.hpp); plain data, so that the chance model and the ranking need no file reader.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tilmatch {

/// Rows stored compactly (a million take ~20 MB, not the ~200 MB of as many TCR records). Rows are
/// draws: a clonotype listed twice counts twice, as a generation model draws public CDR3s more
/// often; a row's count (clone size) is ignored, since expansion is no evidence of generation.
struct Background {
  std::string file;                      ///< named in errors, logs and run.json
  std::vector<std::string> genes;        ///< distinct V genes (normalised), first-seen order
  std::vector<std::uint32_t> gene_of;    ///< row -> index into genes
  std::vector<std::uint64_t> cdr3_end;   ///< row -> end of its CDR3β in cdr3 (start: the row before's end)
  std::string cdr3;                      ///< every row's CDR3β, concatenated
  std::map<std::string, std::int64_t> skipped;  ///< reason -> rows not used

  std::size_t size() const noexcept { return gene_of.size(); }
  std::string_view cdr3_of(std::size_t i) const noexcept {
    const std::uint64_t begin = i == 0 ? 0 : cdr3_end[i - 1];
    return std::string_view(cdr3).substr(begin, cdr3_end[i] - begin);
  }
  const std::string& v_of(std::size_t i) const noexcept { return genes[gene_of[i]]; }

  /// Appends a row (V gene as given; the readers normalise it first). Few distinct genes over many
  /// rows: a linear search from the last one found is enough.
  void add(std::string_view cdr3b, std::string_view vb) {
    std::uint32_t g = gene_of.empty() ? 0 : gene_of.back();
    if (g >= genes.size() || genes[g] != vb) {
      g = 0;
      while (g < genes.size() && genes[g] != vb) ++g;
      if (g == genes.size()) genes.emplace_back(vb);
    }
    gene_of.push_back(g);
    cdr3.append(cdr3b);
    cdr3_end.push_back(cdr3.size());
  }
};

}  // namespace tilmatch
