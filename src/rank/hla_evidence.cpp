#include "rank/hla_evidence.hpp"

#include <algorithm>
#include <numeric>
#include <string_view>
#include <tuple>

#include "names/gene_names.hpp"

namespace tilmatch::rank {
namespace {

/// Union-find over row indices; the root of a set is its smallest index.
class Groups {
 public:
  explicit Groups(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), std::uint32_t{0}); }
  std::uint32_t find(std::uint32_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void join(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::uint32_t> parent_;
};

bool same_tcr(const ReferenceTcr& a, const ReferenceTcr& b) {
  if (!a.tcr.vb.empty() && !b.tcr.vb.empty())
    return names::gene_without_allele(a.tcr.vb) == names::gene_without_allele(b.tcr.vb);
  return !a.tcr.cdr3a.empty() && a.tcr.cdr3a == b.tcr.cdr3a;
}

}  // namespace

const char* to_string(HlaOutcome outcome) noexcept {
  switch (outcome) {
    case HlaOutcome::kNotChecked: return "not_checked";
    case HlaOutcome::kMatch: return "match";
    case HlaOutcome::kOtherAnnotation: return "match_other_annotation";
    case HlaOutcome::kPresented: return "presented";
    case HlaOutcome::kEpitopeAnnotation: return "match_epitope_annotation";
    case HlaOutcome::kUnknown: return "unknown";
    case HlaOutcome::kMismatch: return "mismatch";
  }
  return "not_checked";
}

HlaDecision decide_hla(const HlaEvidence& e, const ModelParams& p) noexcept {
  if (e.own == names::HlaMatch::kMatch) return {HlaOutcome::kMatch, 1.0};
  if (e.other_annotation_matches) return {HlaOutcome::kOtherAnnotation, 1.0};
  if (e.presented) return {HlaOutcome::kPresented, 1.0};
  if (e.epitope_annotation_matches) return {HlaOutcome::kEpitopeAnnotation, p.hla_unknown_factor};
  if (e.own == names::HlaMatch::kUnknown) return {HlaOutcome::kUnknown, p.hla_unknown_factor};
  return {HlaOutcome::kMismatch, p.hla_mismatch_factor};
}

std::vector<std::uint32_t> same_tcr_groups(const std::vector<ReferenceTcr>& rows) {
  std::vector<std::uint32_t> order(rows.size());
  std::iota(order.begin(), order.end(), std::uint32_t{0});
  auto key = [&](std::uint32_t i) { return std::tie(rows[i].epitope, rows[i].tcr.cdr3b); };
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return key(a) < key(b); });
  Groups groups(rows.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i + 1;
    while (j < order.size() && key(order[j]) == key(order[i])) ++j;
    // Rows of one epitope and CDR3b are few (a TCR reported by several studies), so pairs are cheap.
    for (std::size_t a = i; a < j; ++a)
      for (std::size_t b = a + 1; b < j; ++b)
        if (same_tcr(rows[order[a]], rows[order[b]])) groups.join(order[a], order[b]);
    i = j;
  }
  std::vector<std::uint32_t> out(rows.size());
  for (std::uint32_t i = 0; i < rows.size(); ++i) out[i] = groups.find(i);
  return out;
}

std::vector<ReferenceMhcConflict> find_mhc_conflicts(const std::vector<ReferenceTcr>& rows,
                                                     const std::vector<std::uint32_t>& groups) {
  // Only groups of two or more rows can conflict: most rows are alone, and their MHCs go unparsed.
  std::vector<std::uint32_t> size(rows.size(), 0);
  for (std::uint32_t g : groups) ++size[g];
  // Members of each group with a usable MHC, by group root (ascending, since rows are visited in order).
  std::vector<std::uint32_t> roots;
  std::vector<std::vector<std::uint32_t>> members(rows.size());
  std::vector<std::vector<names::HlaAllele>> alleles(rows.size());
  for (std::uint32_t i = 0; i < rows.size(); ++i) {
    if (rows[i].mhc.empty() || size[groups[i]] < 2) continue;
    alleles[i] = names::parse_hla_list(rows[i].mhc);
    if (alleles[i].empty()) continue;
    if (members[groups[i]].empty()) roots.push_back(groups[i]);
    members[groups[i]].push_back(i);
  }
  std::vector<ReferenceMhcConflict> out;
  for (std::uint32_t root : roots) {
    const auto& m = members[root];
    bool conflict = false;
    for (std::size_t a = 0; a < m.size() && !conflict; ++a)
      for (std::size_t b = a + 1; b < m.size() && !conflict; ++b)
        conflict = names::match_hla(alleles[m[a]], alleles[m[b]]) == names::HlaMatch::kMismatch;
    if (!conflict) continue;
    ReferenceMhcConflict c;
    const ReferenceTcr& first = rows[root];
    c.epitope = first.epitope;
    c.cdr3b = first.tcr.cdr3b;
    c.vb = first.tcr.vb;
    for (std::uint32_t i = root; i < rows.size(); ++i) {
      if (groups[i] != root) continue;
      c.rows.push_back(i);
      if (c.cdr3a.empty()) c.cdr3a = rows[i].tcr.cdr3a;
      if (c.vb.empty()) c.vb = rows[i].tcr.vb;
      c.sources.push_back(rows[i].source);
    }
    for (std::uint32_t i : m) c.mhcs.push_back(rows[i].mhc);
    for (auto* v : {&c.mhcs, &c.sources}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const ReferenceMhcConflict& a, const ReferenceMhcConflict& b) {
    return std::tie(a.epitope, a.cdr3b, a.vb, a.rows.front()) < std::tie(b.epitope, b.cdr3b, b.vb, b.rows.front());
  });
  return out;
}

}  // namespace tilmatch::rank
