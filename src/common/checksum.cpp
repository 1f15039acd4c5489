#include "tilmatch/checksum.hpp"

#include <htslib/hts.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include "tilmatch/error.hpp"

namespace tilmatch {

std::string md5_file(const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw IoError("cannot open " + path.string() + " to checksum it");
  std::unique_ptr<hts_md5_context, void (*)(hts_md5_context*)> ctx(hts_md5_init(), &hts_md5_destroy);
  if (!ctx) throw IoError("cannot initialise MD5");
  std::vector<char> buf(1 << 16);
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) {
    hts_md5_update(ctx.get(), buf.data(), static_cast<unsigned long>(n));
  }
  if (std::ferror(f.get())) throw IoError("cannot read " + path.string() + " to checksum it");
  unsigned char digest[16];
  hts_md5_final(digest, ctx.get());
  char hex[33];
  hts_md5_hex(hex, digest);
  return std::string(hex);
}

std::string md5_bytes(std::string_view bytes) {
  std::unique_ptr<hts_md5_context, void (*)(hts_md5_context*)> ctx(hts_md5_init(), &hts_md5_destroy);
  if (!ctx) throw IoError("cannot initialise MD5");
  // hts_md5_update takes an unsigned long length: feed large inputs in pieces.
  constexpr std::size_t kPiece = std::size_t{1} << 30;
  for (std::size_t at = 0; at < bytes.size(); at += kPiece) {
    const std::size_t n = std::min(kPiece, bytes.size() - at);
    hts_md5_update(ctx.get(), bytes.data() + at, static_cast<unsigned long>(n));
  }
  unsigned char digest[16];
  hts_md5_final(digest, ctx.get());
  char hex[33];
  hts_md5_hex(hex, digest);
  return std::string(hex);
}

}  // namespace tilmatch
