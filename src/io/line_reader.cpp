#include "io/line_reader.hpp"

#include <htslib/bgzf.h>
#include <htslib/kstring.h>

#include <cstdlib>

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
