#include "report/png_decode.hpp"

#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace tilmatch::test {
namespace {

std::uint32_t be32(const std::string& s, std::size_t at) {
  if (at + 4 > s.size()) throw std::runtime_error("png: truncated");
  auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

std::uint8_t paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a);
  const int pb = std::abs(p - b);
  const int pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return static_cast<std::uint8_t>(a);
  if (pb <= pc) return static_cast<std::uint8_t>(b);
  return static_cast<std::uint8_t>(c);
}

}  // namespace

RgbImage decode_png(const std::string& bytes) {
  static const char kSignature[] = "\x89PNG\r\n\x1a\n";
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kSignature, 8) != 0) throw std::runtime_error("png: bad signature");
  RgbImage image;
  int colour_type = -1;
  std::string idat;
  bool ended = false;
  for (std::size_t at = 8; at < bytes.size() && !ended;) {
    const std::uint32_t length = be32(bytes, at);
    if (at + 12 + length > bytes.size()) throw std::runtime_error("png: truncated chunk");
    const std::string type = bytes.substr(at + 4, 4);
    const std::size_t data = at + 8;
    if (type == "IHDR") {
      if (length != 13) throw std::runtime_error("png: bad IHDR");
      image.width = be32(bytes, data);
      image.height = be32(bytes, data + 4);
      const int depth = static_cast<unsigned char>(bytes[data + 8]);
      colour_type = static_cast<unsigned char>(bytes[data + 9]);
      const int interlace = static_cast<unsigned char>(bytes[data + 12]);
      if (depth != 8 || (colour_type != 2 && colour_type != 6) || interlace != 0)
        throw std::runtime_error("png: only 8-bit RGB/RGBA, non-interlaced images are supported");
    } else if (type == "IDAT") {
      idat.append(bytes, data, length);
    } else if (type == "IEND") {
      ended = true;
    }
    at += 12 + length;
  }
  if (colour_type < 0 || idat.empty() || !ended) throw std::runtime_error("png: missing IHDR, IDAT or IEND");

  const std::size_t channels = colour_type == 6 ? 4 : 3;
  const std::size_t stride = image.width * channels;
  std::vector<std::uint8_t> raw((stride + 1) * image.height);
  uLongf raw_size = static_cast<uLongf>(raw.size());
  if (uncompress(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(idat.data()), static_cast<uLong>(idat.size())) !=
          Z_OK ||
      raw_size != raw.size())
    throw std::runtime_error("png: bad image data");

  std::vector<std::uint8_t> pixels(stride * image.height);
  for (std::size_t y = 0; y < image.height; ++y) {
    const std::uint8_t filter = raw[y * (stride + 1)];
    const std::uint8_t* in = &raw[y * (stride + 1) + 1];
    std::uint8_t* row = &pixels[y * stride];
    const std::uint8_t* up = y > 0 ? &pixels[(y - 1) * stride] : nullptr;
    for (std::size_t x = 0; x < stride; ++x) {
      const int a = x >= channels ? row[x - channels] : 0;
      const int b = up ? up[x] : 0;
      const int c = (up && x >= channels) ? up[x - channels] : 0;
      int predicted = 0;
      switch (filter) {
        case 0: predicted = 0; break;
        case 1: predicted = a; break;
        case 2: predicted = b; break;
        case 3: predicted = (a + b) / 2; break;
        case 4: predicted = paeth(a, b, c); break;
        default: throw std::runtime_error("png: bad filter type " + std::to_string(filter));
      }
      row[x] = static_cast<std::uint8_t>((in[x] + predicted) & 0xFF);
    }
  }
  image.rgb.resize(static_cast<std::size_t>(image.width) * image.height * 3);
  for (std::size_t i = 0, n = static_cast<std::size_t>(image.width) * image.height; i < n; ++i)
    std::memcpy(&image.rgb[i * 3], &pixels[i * channels], 3);
  return image;
}

}  // namespace tilmatch::test
