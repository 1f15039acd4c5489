#pragma once

#include <filesystem>
#include <string>

namespace tilmatch {

/// Hex MD5 of a file's bytes (as stored on disk, compressed or not). Throws IoError.
std::string md5_file(const std::filesystem::path& path);

}  // namespace tilmatch
