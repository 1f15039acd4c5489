#pragma once
/// A patient's TIL cultures as the ranking and the report see them: the clonotypes deduplicated
/// across cultures, with sparse per-culture counts and frequencies. Filled by io::load_fragments
/// (src/io/fragments.hpp); plain data, so that rank/ and report/ need no file reader.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tilmatch/name_pool.hpp"
#include "tilmatch/tcr.hpp"

namespace tilmatch {

/// One culture (fragment) of the manifest and what its repertoire gave.
struct FragmentSummary {
  std::string id;
  std::string path;
  std::string format;  ///< the repertoire layout read: "airr", "10x", "mixcr", "adaptive", "tcrdist", "cdr3-list"
  std::map<std::string, std::string> metadata;  ///< the manifest's other columns
  std::int64_t rows = 0;        ///< usable rows read
  double total_count = 0;       ///< sum of counts over usable rows
  std::int64_t clonotypes = 0;  ///< distinct clonotypes in this fragment
  std::map<std::string, std::int64_t> skipped;  ///< rows left out, by reason
};

/// A clonotype: CDR3b + TRBV gene [+ CDR3a + TRAV gene]; V names are gene level (allele removed).
/// `tcr.jb`/`tcr.ja` is the smallest J name seen for it (J is not part of the key). What
/// ClonotypeList gives: views of the list's storage.
struct Clonotype {
  TcrView tcr;
};

/// A patient's distinct clonotypes, held compactly: their CDR3s in blocks of text and their gene
/// names once each, 32 bytes a clonotype plus its CDR3s, where a Tcr of six std::strings took
/// ~215 (1.86 M clonotypes: docs/BENCHMARKS.md, "tilmatch run"). Element i reads as a Clonotype
/// whose views stay valid, appends included, while the list lives (a copy has storage of its
/// own). Read-only but for push_back.
class ClonotypeList {
 public:
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Clonotype;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Clonotype;

    Iterator() = default;
    Iterator(const ClonotypeList* list, std::size_t i) : list_(list), i_(i) {}
    Clonotype operator*() const { return (*list_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++i_;
      return old;
    }
    bool operator==(const Iterator& o) const { return i_ == o.i_; }

   private:
    const ClonotypeList* list_ = nullptr;
    std::size_t i_ = 0;
  };

  ClonotypeList() = default;
  /// Copies of `tcrs`, in their order.
  ClonotypeList(std::initializer_list<Tcr> tcrs) {
    for (const Tcr& t : tcrs) push_back(t);
  }
  ClonotypeList(const ClonotypeList& other);
  ClonotypeList& operator=(const ClonotypeList& other);
  ClonotypeList(ClonotypeList&&) noexcept = default;
  ClonotypeList& operator=(ClonotypeList&&) noexcept = default;
  ~ClonotypeList() = default;

  std::size_t size() const noexcept { return rows_.size(); }
  bool empty() const noexcept { return rows_.empty(); }
  /// Clonotype i, by value (a const value: writing through it is a compile error, not a no-op).
  const Clonotype operator[](std::size_t i) const;
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, rows_.size()}; }

  /// Appends a copy of `tcr` (its bytes; the names interned).
  void push_back(const TcrView& tcr);
  void push_back(const Tcr& tcr) { push_back(TcrView(tcr)); }
  void push_back(const Clonotype& c) { push_back(c.tcr); }
  void reserve(std::size_t clonotypes) { rows_.reserve(clonotypes); }

 private:
  struct Row {
    std::uint32_t block = 0, at = 0;  ///< where the CDR3b is in blocks_; the CDR3a follows it
    std::uint32_t cdr3b_size = 0, cdr3a_size = 0;
    std::uint32_t vb = 0, jb = 0, va = 0, ja = 0;  ///< indices into names_ (0: none)
  };
  /// CDR3 text. A block never reallocates and a row's CDR3s never straddle two; blocks double
  /// from 4 KiB to 1 MiB, so that a small table stays small.
  struct Block {
    std::unique_ptr<char[]> bytes;
    std::size_t capacity = 0, used = 0;
  };

  std::vector<Row> rows_;
  std::vector<Block> blocks_;
  NamePool names_;  ///< views of its names stay valid as names are added
};

/// Sparse count of one clonotype in one fragment; frequency = count / fragment total.
struct ClonotypeCount {
  std::uint32_t clonotype = 0;
  std::uint32_t fragment = 0;
  double count = 0;
  double frequency = 0;
};

struct ClonotypeTable {
  ClonotypeList clonotypes;               ///< sorted by (cdr3b, vb, cdr3a, va)
  std::vector<FragmentSummary> fragments; ///< manifest order
  std::vector<ClonotypeCount> counts;     ///< sorted by (clonotype, fragment)
};

}  // namespace tilmatch
