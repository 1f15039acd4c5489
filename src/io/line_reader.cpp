#include "io/line_reader.hpp"

#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/kstring.h>

#include <cstdlib>
#include <cstring>

#include "tilmatch/error.hpp"

namespace tilmatch::io {

struct LineReader::Impl {
  BGZF* fp = nullptr;
  kstring_t buf = KS_INITIALIZE;
  ~Impl() {
    if (fp) bgzf_close(fp);
    ks_free(&buf);
  }
};

LineReader::LineReader(std::string path) : impl_(std::make_unique<Impl>()), path_(std::move(path)) {
  // bgzf_open reads BGZF, plain gzip and uncompressed files alike.
  impl_->fp = bgzf_open(path_ == "-" ? "-" : path_.c_str(), "r");
  if (impl_->fp == nullptr) throw IoError("cannot open " + path_);
}

LineReader::LineReader(const MemoryFile& file) : impl_(std::make_unique<Impl>()), path_(file.name) {
  // HTSlib's "mem:" hFILE takes ownership of a malloc'd buffer (and frees it on failure), so
  // BGZF decompresses in-memory bytes through the same code as a file's.
  char* copy = static_cast<char*>(std::malloc(file.bytes.empty() ? 1 : file.bytes.size()));
  if (copy == nullptr) throw IoError("cannot open " + path_ + ": out of memory");
  if (!file.bytes.empty()) std::memcpy(copy, file.bytes.data(), file.bytes.size());
  hFILE* hf = hopen("mem:", "r:", copy, file.bytes.size());
  if (hf == nullptr) throw IoError("cannot open " + path_);
  impl_->fp = bgzf_hopen(hf, "r");
  if (impl_->fp == nullptr) {
    hclose_abruptly(hf);
    throw IoError("cannot open " + path_);
  }
}

LineReader::~LineReader() = default;

bool LineReader::next(std::string& line) {
  int rc = bgzf_getline(impl_->fp, '\n', &impl_->buf);
  if (rc == -1) return false;
  if (rc < -1) {
    throw IoError(path_ + ", after line " + std::to_string(line_no_) +
                  ": read error (truncated or corrupt compressed data?)");
  }
  ++line_no_;
  std::size_t n = impl_->buf.l;
  if (n > 0 && impl_->buf.s[n - 1] == '\r') --n;
  line.assign(impl_->buf.s, n);
  return true;
}

}  // namespace tilmatch::io
