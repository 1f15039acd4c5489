// libFuzzer harness: presentation predictions (tilmatch TSV/CSV, pVACseq, MHCflurry, NetMHCpan
// text and -xls), then the lookups the evidence stage makes on the table.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_support.hpp"
#include "io/presentation.hpp"
#include "names/gene_names.hpp"

namespace {

using tilmatch::fuzz::fail;

bool bad_score(const std::optional<double>& v) { return v && (!(*v >= 0) || std::isinf(*v)); }

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tilmatch::fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = tilmatch::fuzz::write_input("pred.tsv", data, size);
  tilmatch::fuzz::expect_only_input_errors([&] {
    const tilmatch::io::PresentationTable t = tilmatch::io::read_presentation(path);
    if (t.format.empty()) fail("read_presentation named no format");
    if (!std::is_sorted(t.rows.begin(), t.rows.end(), [](const auto& a, const auto& b) { return a.peptide < b.peptide; })) {
      fail("rows are not sorted by peptide");
    }
    for (const tilmatch::io::PresentationEntry& e : t.rows) {
      if (!tilmatch::names::is_amino_acid_sequence(e.peptide)) fail("kept a peptide that is not amino acids");
      if (e.allele.fields.empty()) fail("kept an allele without fields");
      if (bad_score(e.ic50_nm) || bad_score(e.percentile_rank)) fail("kept a negative or non-finite score");
      if (!e.ic50_nm && !e.percentile_rank) fail("kept a row without any score");
      const auto [first, last] = t.rows_of(e.peptide);
      if (first == last) fail("rows_of misses a peptide of the table");
      const std::vector<tilmatch::names::HlaAllele> patient{e.allele};
      if (e.percentile_rank && !t.best_rank(e.peptide, patient)) fail("best_rank misses the row's own allele");
      if (e.ic50_nm && !t.best_ic50(e.peptide, patient)) fail("best_ic50 misses the row's own allele");
      (void)t.best_rank(e.peptide, {});
    }
  });
  return 0;
}
