#pragma once
/// Writes gzip through an AtomicFile (tilmatch/atomic_file.hpp), so a compressed output appears
/// whole or not at all like every other.

#include <string_view>

#include "tilmatch/atomic_file.hpp"

namespace tilmatch::io {

/// Appends `data` to `out` as BGZF blocks (HTSlib's blocked gzip: a series of gzip members, which
/// gzip, zcat, Python's gzip and every tilmatch reader read as one stream) and the BGZF end-of-file
/// block. `level` is zlib's, 0-9. Throws IoError as AtomicFile::write, and std::runtime_error when
/// HTSlib cannot compress a block.
void write_bgzf(AtomicFile& out, std::string_view data, int level = 6);

}  // namespace tilmatch::io
