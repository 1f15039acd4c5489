#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace tilmatch {

/// Hex MD5 of a file's bytes (as stored on disk, compressed or not). Throws IoError.
std::string md5_file(const std::filesystem::path& path);

/// Hex MD5 of bytes in memory (e.g. a file compiled into the binary), as md5_file of a file of them.
std::string md5_bytes(std::string_view bytes);

}  // namespace tilmatch
