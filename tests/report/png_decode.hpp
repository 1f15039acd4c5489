#pragma once
/// A minimal PNG reader for the report screenshot test: 8-bit RGB or RGBA, not interlaced,
/// filter types 0-4. Throws std::runtime_error on anything else or on a damaged file.

#include <cstdint>
#include <string>
#include <vector>

namespace tilmatch::test {

struct RgbImage {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::vector<std::uint8_t> rgb;  ///< width * height * 3 bytes, row major; alpha dropped
};

RgbImage decode_png(const std::string& bytes);

}  // namespace tilmatch::test
