#pragma once
/// A patient's TIL cultures as the ranking and the report see them: the clonotypes deduplicated
/// across cultures, with sparse per-culture counts and frequencies. Filled by io::load_fragments
/// (src/io/fragments.hpp); plain data, so that rank/ and report/ need no file reader.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

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
/// `tcr.jb`/`tcr.ja` is the smallest J name seen for it (J is not part of the key).
struct Clonotype {
  Tcr tcr;
};

/// Sparse count of one clonotype in one fragment; frequency = count / fragment total.
struct ClonotypeCount {
  std::uint32_t clonotype = 0;
  std::uint32_t fragment = 0;
  double count = 0;
  double frequency = 0;
};

struct ClonotypeTable {
  std::vector<Clonotype> clonotypes;      ///< sorted by (cdr3b, vb, cdr3a, va)
  std::vector<FragmentSummary> fragments; ///< manifest order
  std::vector<ClonotypeCount> counts;     ///< sorted by (clonotype, fragment)
};

}  // namespace tilmatch
