#include "chance/reach.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace tilmatch::chance {

Reach::Reach(const Background& background, const std::vector<scoring::TcrRecord>& references,
             const scoring::VGeneTable* vgenes, int max_distance, const scoring::TcrdistParams& params)
    : background_(background) {
  const long per_residue = static_cast<long>(params.cdr3_weight) * params.gap_penalty;
  any_length_ = per_residue == 0;
  std::size_t longest = 0;
  for (const auto& r : references) longest = std::max(longest, r.cdr3_b.size());
  if (!any_length_ && max_distance >= 0)
    lengths_ = longest + static_cast<std::size_t>(max_distance / per_residue) + 1;
  reach_.assign(background.genes.size() * lengths_, 0);
  if (references.empty() || max_distance < 0) return;

  // V-loop distances of every background gene to every reference gene, as the search computes them.
  scoring::VLoopTables loops;
  scoring::TcrdistSet genes_set, refs_set;
  if (vgenes != nullptr) {
    std::vector<scoring::TcrRecord> one_per_gene;
    one_per_gene.reserve(background.genes.size());
    for (const auto& g : background.genes) one_per_gene.push_back({{}, "C", {}, g});
    genes_set = scoring::encode_tcrdist_set(one_per_gene, scoring::Chains::beta, vgenes);
    refs_set = scoring::encode_tcrdist_set(references, scoring::Chains::beta, vgenes);
    loops = scoring::make_vloop_tables(genes_set, refs_set);
  }
  // The references' distinct (gene number, CDR3 length) classes.
  std::set<std::pair<std::uint32_t, std::size_t>> classes;
  for (std::size_t i = 0; i < references.size(); ++i)
    classes.emplace(vgenes != nullptr ? refs_set.gene_of[1][i] : 0u, references[i].cdr3_b.size());

  for (std::size_t g = 0; g < background.genes.size(); ++g) {
    std::uint8_t* row = &reach_[g * lengths_];
    for (const auto& [ref_gene, ref_length] : classes) {
      const long v = vgenes != nullptr ? loops.d[1][static_cast<std::size_t>(genes_set.gene_of[1][g]) * loops.stride[1] + ref_gene] : 0;
      if (v > max_distance) continue;
      if (any_length_) {
        row[0] = 1;
        break;
      }
      for (std::size_t l = 0; l < lengths_; ++l) {
        const long diff = static_cast<long>(l > ref_length ? l - ref_length : ref_length - l);
        if (v + per_residue * diff <= max_distance) row[l] = 1;
      }
    }
  }
}

bool Reach::operator()(std::size_t row) const noexcept {
  const std::size_t length = any_length_ ? 0 : background_.cdr3_of(row).size();
  if (length >= lengths_) return false;
  return reach_[static_cast<std::size_t>(background_.gene_of[row]) * lengths_ + length] != 0;
}

}  // namespace tilmatch::chance
