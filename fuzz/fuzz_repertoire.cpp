// libFuzzer harness: repertoire tables in every format (AIRR, 10x, MiXCR, Adaptive, tcrdist3,
// CDR3 list), auto-detected under a .tsv and a .csv name and forced to each format.

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "io/repertoire.hpp"
#include "names/gene_names.hpp"

namespace {

using tilmatch::fuzz::fail;
using tilmatch::io::RepertoireFormat;

/// Reads `path` as `format` and checks what the reader promises about the rows it keeps.
void read_and_check(const std::string& path, RepertoireFormat format) {
  tilmatch::fuzz::expect_only_input_errors([&] {
    const tilmatch::io::Repertoire rep = tilmatch::io::read_repertoire(path, format);
    if (rep.format == RepertoireFormat::kAuto) fail("read_repertoire returned the format 'auto'");
    for (const tilmatch::io::RepertoireRow& row : rep.rows) {
      if (!tilmatch::names::is_amino_acid_sequence(row.tcr.cdr3b)) fail("kept a beta CDR3 that is not amino acids");
      if (!row.tcr.cdr3a.empty() && !tilmatch::names::is_amino_acid_sequence(row.tcr.cdr3a)) {
        fail("kept an alpha CDR3 that is not amino acids");
      }
      if (!(row.count >= 0) || std::isinf(row.count)) fail("kept a negative, NaN or infinite count");
    }
  });
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tilmatch::fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The name matters: .csv picks the delimiter of tcrdist3 tables and of auto-detection.
  for (const char* name : {"rep.tsv", "rep.csv"}) {
    const std::string path = tilmatch::fuzz::write_input(name, data, size);
    read_and_check(path, RepertoireFormat::kAuto);
    read_and_check(path, RepertoireFormat::kTcrdist);
  }
  const std::string path = tilmatch::fuzz::scratch_dir() / "rep.tsv";  // written above
  for (RepertoireFormat f : {RepertoireFormat::kAirr, RepertoireFormat::kTenx, RepertoireFormat::kMixcr,
                             RepertoireFormat::kAdaptive, RepertoireFormat::kCdr3List}) {
    read_and_check(path, f);
  }
  return 0;
}
