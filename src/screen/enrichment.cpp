#include "screen/enrichment.hpp"

#include <algorithm>
#include <stdexcept>

namespace tilmatch::screen {
namespace {

// Sorted by key, checked for negative counts and repeated keys; returns the total.
std::int64_t sorted_population(std::vector<ClonotypeCount>& v, const char* which) {
  std::sort(v.begin(), v.end(), [](const ClonotypeCount& x, const ClonotypeCount& y) { return x.key < y.key; });
  std::int64_t total = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i].count < 0) throw std::invalid_argument(std::string("negative count in the ") + which + " population");
    if (i > 0 && v[i].key == v[i - 1].key)
      throw std::invalid_argument(std::string("clonotype key ") + std::to_string(v[i].key) + " listed twice in the " +
                                  which + " population");
    total += v[i].count;
  }
  return total;
}

}  // namespace

EnrichmentResult enrich_comparison(const EnrichmentComparison& comparison, const EnrichmentParams& params) {
  EnrichmentResult out;
  out.fragment_id = comparison.fragment_id;
  out.construct = comparison.construct;
  out.reference_kind = comparison.reference_kind;
  std::vector<ClonotypeCount> sorted = comparison.sorted;
  std::vector<ClonotypeCount> reference = comparison.reference;
  out.sorted_total = sorted_population(sorted, "sorted");
  out.reference_total = sorted_population(reference, "reference");

  std::size_t r = 0;
  for (const ClonotypeCount& s : sorted) {
    if (s.count < params.min_sorted_count || s.count == 0) continue;
    while (r < reference.size() && reference[r].key < s.key) ++r;
    const std::int64_t ref = r < reference.size() && reference[r].key == s.key ? reference[r].count : 0;
    const Table2x2 t{s.count, ref, out.sorted_total - s.count, out.reference_total - ref};
    ClonotypeEnrichment e;
    e.key = s.key;
    e.sorted_count = s.count;
    e.reference_count = ref;
    e.sorted_frequency = static_cast<double>(s.count) / static_cast<double>(out.sorted_total);
    e.reference_frequency =
        out.reference_total > 0 ? static_cast<double>(ref) / static_cast<double>(out.reference_total) : 0.0;
    e.odds_ratio = conditional_odds_ratio(t);
    e.p = fisher_exact(t, params.alternative);
    out.clonotypes.push_back(e);
  }
  std::vector<double> p(out.clonotypes.size());
  for (std::size_t i = 0; i < p.size(); ++i) p[i] = out.clonotypes[i].p;
  const std::vector<double> q = benjamini_hochberg(p);
  for (std::size_t i = 0; i < p.size(); ++i) {
    ClonotypeEnrichment& e = out.clonotypes[i];
    e.q = q[i];
    e.reactive = e.q < params.fdr && e.odds_ratio > params.min_odds_ratio;
    out.reactive += e.reactive ? 1 : 0;
  }
  return out;
}

std::vector<EnrichmentResult> find_reactive_clonotypes(const std::vector<EnrichmentComparison>& comparisons,
                                                       const EnrichmentParams& params) {
  std::vector<EnrichmentResult> out;
  out.reserve(comparisons.size());
  for (const auto& c : comparisons) out.push_back(enrich_comparison(c, params));
  return out;
}

}  // namespace tilmatch::screen
