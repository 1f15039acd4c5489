// libFuzzer harness: V-gene loop tables in tcrdist3's alphabeta_gammadelta_db.tsv layout. Every
// line's first field is also looked up, with and without its allele.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "scoring/vgene_table.hpp"

namespace {

using tilmatch::fuzz::fail;

void look_up(const tilmatch::scoring::VGeneTable& table, std::string_view gene) {
  if (!table.contains(gene)) {
    tilmatch::fuzz::expect_only_input_errors([&] {
      (void)table.loops(gene);
      fail("loops() found a gene contains() does not");
    });
    return;
  }
  (void)table.loops(gene);
  const char chain = table.chain(gene);
  if (std::string_view("ABGD").find(chain) == std::string_view::npos) fail("a chain letter other than A, B, G, D");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tilmatch::fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = tilmatch::fuzz::write_input("db.tsv", data, size);
  for (std::string_view organism : {"human", "mouse"}) {
    tilmatch::fuzz::expect_only_input_errors([&] {
      const auto table = tilmatch::scoring::VGeneTable::load(path, organism);
      const std::string_view text(reinterpret_cast<const char*>(data), size);
      std::size_t begin = 0;
      while (begin < text.size()) {
        const std::size_t end = std::min(text.find('\n', begin), text.size());
        const std::string_view line = text.substr(begin, end - begin);
        const std::string_view id = line.substr(0, line.find('\t'));
        look_up(table, id);
        look_up(table, id.substr(0, id.find('*')));
        begin = end + 1;
      }
    });
  }
  return 0;
}
