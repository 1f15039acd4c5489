// libFuzzer harness: the screen's three inputs (docs/screening.md, "Formats"). The first byte picks
// the reader: readouts, a design (tmg_design.tsv shape) or the reactive-repertoire manifest, whose
// rows may name the small repertoires the harness writes beside it (s.airr.tsv, u.airr.tsv).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <tuple>

#include "fuzz_support.hpp"
#include "io/reactive_manifest.hpp"
#include "io/screen_design.hpp"
#include "io/screen_readouts.hpp"

namespace {

using tilmatch::fuzz::fail;

void check_readouts(const std::string& path) {
  std::set<std::tuple<std::string, std::string, std::string, std::string>> seen;
  for (const tilmatch::screen::Readout& r : tilmatch::io::read_screen_readouts(path)) {
    if (!(r.value >= 0) || std::isinf(r.value)) fail("kept a negative or non-finite value");
    if (r.line < 2) fail("a readout without its line");
    if (r.cells_per_well && !(*r.cells_per_well > 0)) fail("kept cells_per_well <= 0");
    if (!seen.emplace(r.fragment_id, r.construct, r.assay, r.replicate).second) fail("kept a duplicate well");
  }
}

void check_design(const std::string& path) {
  std::set<std::string> ids;
  for (const tilmatch::screen::Construct& c : tilmatch::io::read_screen_design(path)) {
    if (!ids.insert(c.id).second) fail("a construct listed twice");
    if (c.sequences.empty() || c.sequences.size() != c.neoantigens.size() ||
        c.member_lines.size() != c.sequences.size())
      fail("members, neoantigens and lines are not parallel");
    if (c.file != path || c.line < 2) fail("a construct without its place");
    for (const std::string& s : c.sequences)
      for (char ch : s)
        if (ch < 'A' || ch > 'Z') fail("kept a sequence that is not upper-case letters");
  }
}

void check_manifest(const std::string& path) {
  for (const tilmatch::io::ReactiveRepertoireEntry& e : tilmatch::io::read_reactive_manifest(path)) {
    if (e.fragment_id.empty()) fail("kept an empty fragment id");
    if (e.population == tilmatch::io::Population::kSorted && e.construct.empty()) fail("a sort without construct");
    if (e.line < 2) fail("an entry without its line");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tilmatch::fuzz::quiet_logs();
  const char* airr = "sequence_id\tlocus\tproductive\tv_call\tj_call\tjunction_aa\tduplicate_count\n"
                     "s1\tTRB\tT\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t10\n";
  tilmatch::fuzz::write_input("s.airr.tsv", airr);
  tilmatch::fuzz::write_input("u.airr.tsv", airr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t which = data[0] % 3;
  const std::string path = tilmatch::fuzz::write_input(which == 0   ? "readouts.tsv"
                                                       : which == 1 ? "design.tsv"
                                                                    : "reactive.tsv",
                                                       data + 1, size - 1);
  tilmatch::fuzz::expect_only_input_errors([&] {
    if (which == 0) check_readouts(path);
    if (which == 1) check_design(path);
    if (which == 2) check_manifest(path);
  });
  return 0;
}
