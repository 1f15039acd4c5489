#pragma once
/// Interned names (the gene names of a repertoire or clonotype table): each distinct name is
/// stored once and numbered in order of first appearance, 0 being the empty name. A repertoire of
/// 10^6 clonotypes names a few hundred V and J genes; four 4-byte numbers a clonotype replace four
/// std::strings.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tilmatch {

class NamePool {
 public:
  NamePool();
  /// A copy has storage of its own: its views do not depend on `other`.
  NamePool(const NamePool& other);
  NamePool& operator=(const NamePool& other);
  /// Moving keeps every view valid (a deque's elements keep their addresses).
  NamePool(NamePool&&) noexcept = default;
  NamePool& operator=(NamePool&&) noexcept = default;
  ~NamePool() = default;

  /// The number of `name`, adding it when new.
  std::uint32_t intern(std::string_view name);
  /// Name number i (i < size()). The view stays valid as names are added, for the pool's lifetime.
  std::string_view operator[](std::uint32_t i) const noexcept { return views_[i]; }
  /// Names held, the empty one included.
  std::size_t size() const noexcept { return views_.size(); }

 private:
  std::deque<std::string> names_;  ///< a deque: its strings never move
  std::vector<std::string_view> views_;  ///< views of names_, for indexing without the deque's arithmetic
  std::unordered_map<std::string_view, std::uint32_t> index_;  ///< keys view names_
};

}  // namespace tilmatch
