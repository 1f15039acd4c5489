#pragma once
/// Which rows of a background can lie within a distance of some reference TCR, from their V gene
/// and CDR3 length alone: the chance model then encodes and scores only those. A million-row
/// background against a few reference TCRs keeps the rows of a few (V gene, length) classes.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "chance/background.hpp"
#include "scoring/engine.hpp"
#include "scoring/tcrdist.hpp"

namespace tilmatch::chance {

/// TCRdist (one chain, β) is at least the V-loop distance of the two genes plus cdr3_weight x
/// gap_penalty per residue of CDR3 length difference (scoring/prune.hpp, tcrdist_group_bound): a
/// row whose bound exceeds max_distance for every reference cannot be within it of any, so leaving
/// it out changes no count. Without a V-gene table (CDR3 only) the bound is the length term alone;
/// a gene the table lacks adds no V-loop term, as in the distance itself.
class Reach {
 public:
  Reach(const Background& background, const std::vector<scoring::TcrRecord>& references,
        const scoring::VGeneTable* vgenes, int max_distance, const scoring::TcrdistParams& params = {});
  /// True when row `row` of the background may be within max_distance of some reference.
  bool operator()(std::size_t row) const noexcept;

 private:
  const Background& background_;
  /// CDR3 lengths 0..lengths_-1 are tabled, longer ones out of reach; with no gap cost (every
  /// length alike) lengths_ is 1 and every length reads entry 0.
  std::size_t lengths_ = 1;
  bool any_length_ = false;
  std::vector<std::uint8_t> reach_;    ///< background gene g, CDR3 length l -> reach_[g * lengths_ + l]
};

}  // namespace tilmatch::chance
