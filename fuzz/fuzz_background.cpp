// libFuzzer harness: background repertoires of the chance model (io::read_background): the
// V-grouped CDR3 list (docs/formats.md, "Input: background repertoire") and any repertoire layout,
// from a file and from memory, which must read alike.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "io/background.hpp"
#include "names/gene_names.hpp"

namespace {

using tilmatch::fuzz::fail;

/// What the reader promises about the rows it keeps.
void check(const tilmatch::Background& bg) {
  if (bg.size() == 0) fail("returned a background with no row");
  if (bg.cdr3_end.size() != bg.size()) fail("row count and CDR3 offsets disagree");
  if (bg.cdr3_end.back() != bg.cdr3.size()) fail("the last CDR3 does not end at the end of the text");
  for (std::size_t i = 0; i < bg.size(); ++i) {
    if (bg.gene_of[i] >= bg.genes.size()) fail("a row's gene index is out of range");
    if (i > 0 && bg.cdr3_end[i] < bg.cdr3_end[i - 1]) fail("CDR3 offsets go backwards");
    if (!tilmatch::names::is_amino_acid_sequence(bg.cdr3_of(i))) fail("kept a CDR3 that is not amino acids");
  }
}

bool same_rows(const tilmatch::Background& a, const tilmatch::Background& b) {
  return a.genes == b.genes && a.gene_of == b.gene_of && a.cdr3_end == b.cdr3_end && a.cdr3 == b.cdr3 &&
         a.skipped == b.skipped;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tilmatch::fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = tilmatch::fuzz::write_input("background.txt", data, size);
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  tilmatch::Background from_file, from_memory;
  bool file_ok = false, memory_ok = false;
  tilmatch::fuzz::expect_only_input_errors([&] {
    from_file = tilmatch::io::read_background(path);
    check(from_file);
    file_ok = true;
  });
  tilmatch::fuzz::expect_only_input_errors([&] {
    from_memory = tilmatch::io::read_background(tilmatch::io::MemoryFile{path, bytes});
    check(from_memory);
    memory_ok = true;
  });
  if (file_ok != memory_ok) fail("the file and the same bytes in memory read differently (one failed)");
  if (file_ok && !same_rows(from_file, from_memory)) fail("the file and the same bytes in memory gave other rows");
  return 0;
}
