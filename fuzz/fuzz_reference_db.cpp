// libFuzzer harness: reference TCR databases (tilmatch TSV, VDJdb, IEDB/TCRMatch), auto-detected
// and forced to each format.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_support.hpp"
#include "io/reference_db.hpp"
#include "names/gene_names.hpp"
#include "tilmatch/text.hpp"

namespace {

using tilmatch::fuzz::fail;
using tilmatch::io::ReferenceFormat;

void read_and_check(const std::string& path, ReferenceFormat format) {
  tilmatch::fuzz::expect_only_input_errors([&] {
    const tilmatch::io::ReferenceDb db = tilmatch::io::read_reference(path, format);
    if (db.format == ReferenceFormat::kAuto) fail("read_reference returned the format 'auto'");
    if (db.format != ReferenceFormat::kTilmatch && !db.negatives.empty())
      fail("negatives (label 0) outside a tilmatch table");
    std::vector<const tilmatch::ReferenceTcr*> kept;
    for (const tilmatch::ReferenceTcr& r : db.rows) kept.push_back(&r);
    for (const tilmatch::ReferenceTcr& r : db.negatives) kept.push_back(&r);
    for (const tilmatch::ReferenceTcr* row : kept) {
      const tilmatch::ReferenceTcr& r = *row;
      if (!tilmatch::names::is_amino_acid_sequence(r.tcr.cdr3b)) fail("kept a beta CDR3 that is not amino acids");
      // IEDB rows whose epitopes are all non-peptides (MR1 ligands, modified peptides) are kept with
      // them as text in other_epitopes, as TCRMatch keeps them; every other row has a peptide.
      if (r.epitope.empty() && (db.format != ReferenceFormat::kIedb || r.other_epitopes.empty()))
        fail("kept a row without an epitope");
      if (!r.epitope.empty())
        for (std::string_view one : tilmatch::text::split(r.epitope, ','))
          if (!tilmatch::names::is_amino_acid_sequence(one)) fail("kept an epitope that is not a peptide");
      if (r.id.empty()) fail("kept a row without an id");
    }
  });
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tilmatch::fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = tilmatch::fuzz::write_input("ref.tsv", data, size);
  for (ReferenceFormat f :
       {ReferenceFormat::kAuto, ReferenceFormat::kTilmatch, ReferenceFormat::kVdjdb, ReferenceFormat::kIedb}) {
    read_and_check(path, f);
  }
  return 0;
}
