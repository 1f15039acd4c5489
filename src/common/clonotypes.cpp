#include "tilmatch/clonotypes.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace tilmatch {

namespace {
constexpr std::size_t kFirstBlockBytes = std::size_t{1} << 12;
constexpr std::size_t kLargestBlockBytes = std::size_t{1} << 20;
}  // namespace

ClonotypeList::ClonotypeList(const ClonotypeList& other)
    : rows_(other.rows_), names_(other.names_) {
  blocks_.reserve(other.blocks_.size());
  for (const Block& b : other.blocks_) {
    Block& copy = blocks_.emplace_back();
    copy.capacity = copy.used = b.used;  // full: appends go to a new block
    copy.bytes = std::make_unique<char[]>(std::max<std::size_t>(b.used, 1));
    std::memcpy(copy.bytes.get(), b.bytes.get(), b.used);
  }
}

ClonotypeList& ClonotypeList::operator=(const ClonotypeList& other) {
  if (this != &other) *this = ClonotypeList(other);
  return *this;
}

const Clonotype ClonotypeList::operator[](std::size_t i) const {
  const Row& r = rows_[i];
  const char* b = blocks_[r.block].bytes.get() + r.at;  // a row's push_back made its block
  const NamePool& n = names_;
  return Clonotype{TcrView({b, r.cdr3b_size}, n[r.vb], n[r.jb], {b + r.cdr3b_size, r.cdr3a_size}, n[r.va], n[r.ja])};
}

void ClonotypeList::push_back(const TcrView& tcr) {
  constexpr std::size_t kMax = std::numeric_limits<std::uint32_t>::max();
  if (tcr.cdr3b.size() + tcr.cdr3a.size() > kMax) throw std::length_error("a clonotype's CDR3s pass 4 GB");
  const std::size_t n = tcr.cdr3b.size() + tcr.cdr3a.size();
  if (blocks_.empty() || blocks_.back().capacity - blocks_.back().used < n) {
    if (blocks_.size() == std::numeric_limits<std::uint32_t>::max()) throw std::length_error("too many CDR3 blocks");
    const std::size_t last = blocks_.empty() ? kFirstBlockBytes / 2 : blocks_.back().capacity;
    Block& b = blocks_.emplace_back();
    b.capacity = std::max(n, std::clamp(2 * last, kFirstBlockBytes, kLargestBlockBytes));
    b.bytes = std::make_unique<char[]>(b.capacity);
  }
  Block& b = blocks_.back();
  Row r;
  r.block = static_cast<std::uint32_t>(blocks_.size() - 1);
  r.at = static_cast<std::uint32_t>(b.used);
  r.cdr3b_size = static_cast<std::uint32_t>(tcr.cdr3b.size());
  r.cdr3a_size = static_cast<std::uint32_t>(tcr.cdr3a.size());
  if (!tcr.cdr3b.empty()) std::memcpy(b.bytes.get() + b.used, tcr.cdr3b.data(), tcr.cdr3b.size());
  if (!tcr.cdr3a.empty()) std::memcpy(b.bytes.get() + b.used + tcr.cdr3b.size(), tcr.cdr3a.data(), tcr.cdr3a.size());
  b.used += n;
  r.vb = names_.intern(tcr.vb);
  r.jb = names_.intern(tcr.jb);
  r.va = names_.intern(tcr.va);
  r.ja = names_.intern(tcr.ja);
  rows_.push_back(r);
}

}  // namespace tilmatch
