#include "io/gzip_writer.hpp"

#include <htslib/bgzf.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace tilmatch::io {

void write_bgzf(AtomicFile& out, std::string_view data, int level) {
  std::vector<char> block(BGZF_MAX_BLOCK_SIZE);
  for (std::size_t at = 0; at < data.size(); at += BGZF_BLOCK_SIZE) {
    const std::size_t n = std::min<std::size_t>(BGZF_BLOCK_SIZE, data.size() - at);
    std::size_t len = block.size();
    if (bgzf_compress(block.data(), &len, data.data() + at, n, level) != 0)
      throw std::runtime_error("cannot compress a block of " + out.path().string());
    out.write(std::string_view(block.data(), len));
  }
  // The empty block HTSlib ends every BGZF file with (SAM/BAM specification, section 4.1.2).
  static constexpr char kEof[] = "\037\213\010\4\0\0\0\0\0\377\6\0\102\103\2\0\033\0\3\0\0\0\0\0\0\0\0\0";
  out.write(std::string_view(kEof, sizeof kEof - 1));
}

}  // namespace tilmatch::io
