// libFuzzer harness: the fragment manifest, and the cultures it lists read and merged as
// `tilmatch run` does. The manifest sits in a folder that holds a few small repertoires
// (a.airr.tsv, b.csv, c.txt, sub/d.tsv) for its rows to name.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "io/fragments.hpp"

namespace {

using tilmatch::fuzz::fail;
namespace fs = std::filesystem;

void write_repertoires() {
  tilmatch::fuzz::write_input("a.airr.tsv",
                              "sequence_id\tlocus\tproductive\tv_call\tj_call\tjunction_aa\tduplicate_count\n"
                              "s1\tTRB\tT\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t10\n"
                              "s2\tTRB\tT\tTRBV7-9*01\tTRBJ1-1*01\tCASSPDRGEAFF\t3\n");
  tilmatch::fuzz::write_input("b.csv",
                              "barcode,is_cell,high_confidence,chain,v_gene,j_gene,productive,cdr3,umis\n"
                              "AAAC-1,true,true,TRB,TRBV5-1,TRBJ2-7,true,CASSLGQAYEQYF,9\n"
                              "AAAC-1,true,true,TRA,TRAV12-2,TRAJ24,true,CAVNDYKLSF,4\n");
  tilmatch::fuzz::write_input("c.txt", "CASSLGQAYEQYF\nCASSVGGNEQFF\n");
  fs::create_directories(tilmatch::fuzz::scratch_dir() / "sub");
  tilmatch::fuzz::write_input("sub/d.tsv", "cloneId\tcloneCount\tallVHitsWithScore\tallJHitsWithScore\taaSeqCDR3\n"
                                           "0\t120\tTRBV5-1*00(1800)\tTRBJ2-7*00(300)\tCASSLGQAYEQYF\n");
}

/// True when `path` lies inside the scratch folder: only then is it read, so that what the
/// harness does never depends on other files of the machine it runs on.
bool inside_scratch(const std::string& path) {
  const std::string base = tilmatch::fuzz::scratch_dir().string() + "/";
  return path.compare(0, base.size(), base) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tilmatch::fuzz::quiet_logs();
  write_repertoires();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = tilmatch::fuzz::write_input("manifest.tsv", data, size);
  tilmatch::fuzz::expect_only_input_errors([&] {
    const std::vector<tilmatch::io::FragmentEntry> entries = tilmatch::io::read_manifest(path);
    for (const tilmatch::io::FragmentEntry& e : entries) {
      if (e.id.empty()) fail("a fragment without an id");
      if (!inside_scratch(e.path)) return;
    }
    const tilmatch::ClonotypeTable table = tilmatch::io::load_fragments(path, 1);
    if (table.fragments.size() != entries.size()) fail("fragments lost between the manifest and the table");
    for (const tilmatch::ClonotypeCount& c : table.counts) {
      if (c.clonotype >= table.clonotypes.size() || c.fragment >= table.fragments.size()) {
        fail("a count points past the clonotypes or fragments");
      }
      if (!(c.frequency >= 0 && c.frequency <= 1)) fail("a frequency outside [0, 1]");
    }
  });
  return 0;
}
