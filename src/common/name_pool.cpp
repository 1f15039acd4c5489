#include "tilmatch/name_pool.hpp"

#include <limits>
#include <stdexcept>

namespace tilmatch {

NamePool::NamePool() { intern(std::string_view()); }

NamePool::NamePool(const NamePool& other) : names_(other.names_) {
  views_.assign(names_.begin(), names_.end());
  index_.reserve(views_.size());
  for (std::uint32_t i = 0; i < views_.size(); ++i) index_.emplace(views_[i], i);
}

NamePool& NamePool::operator=(const NamePool& other) {
  if (this != &other) *this = NamePool(other);
  return *this;
}

std::uint32_t NamePool::intern(std::string_view name) {
  if (const auto it = index_.find(name); it != index_.end()) return it->second;
  if (views_.size() == std::numeric_limits<std::uint32_t>::max()) throw std::length_error("too many names");
  const auto i = static_cast<std::uint32_t>(views_.size());
  const std::string_view stored = names_.emplace_back(name);
  views_.push_back(stored);
  index_.emplace(stored, i);
  return i;
}

}  // namespace tilmatch
