#include "pipeline/predict_stage.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "tilmatch/error.hpp"

namespace tilmatch::pipeline {
namespace {

/// Every pair is a hit at this radius (TCRdist stays far below it).
constexpr int kAllPairs = std::numeric_limits<int>::max() / 2;
/// Bytes a kept distance costs while a block is scored (the hit and its copy in the table).
constexpr std::size_t kBytesPerDistance = sizeof(scoring::TcrdistHit) + sizeof(int);

/// Scores one query against one epitope from its distances to every reference (`row`, indexed by
/// reference position, or by position within the epitope group when `local`).
Prediction score_one(std::uint32_t query, std::uint32_t epitope, const EpitopeClasses& classes,
                     const std::vector<int>& row, const std::vector<std::uint32_t>* local_index,
                     std::uint32_t self, const predict::KernelParams& kernel, std::vector<int>& pos,
                     std::vector<int>& neg) {
  pos.clear();
  neg.clear();
  Prediction p{query, epitope, 0.0, kNoReference, 0};
  auto at = [&](std::uint32_t r) { return row[local_index ? (*local_index)[r] : r]; };
  for (std::uint32_t r : classes.positives) {
    if (r == self) continue;
    const int d = at(r);
    pos.push_back(d);
    if (p.nearest_positive == kNoReference || d < p.nearest_positive_distance) {
      p.nearest_positive = r;
      p.nearest_positive_distance = d;
    }
  }
  for (std::uint32_t r : classes.negatives)
    if (r != self) neg.push_back(at(r));
  p.score = predict::epitope_score(pos, neg, kernel);
  return p;
}

/// Distances of queries x references, row-major, scored on `backend` in one search.
std::vector<int> distance_table(const scoring::TcrdistSet& q, const scoring::TcrdistSet& r,
                                const PredictOptions& options, const scoring::Backend& backend) {
  scoring::EngineOptions engine = options.engine;
  const auto hits = scoring::search_with_tile_fallback(engine, q.size(), r.size(), [&](const scoring::EngineOptions& o) {
    return backend.tcrdist_search(q, r, kAllPairs, o);
  });
  std::vector<int> table(q.size() * r.size(), 0);
  for (const auto& h : hits) table[std::size_t{h.query} * r.size() + h.reference] = h.distance;
  return table;
}

std::size_t block_size(const PredictOptions& options, std::size_t references) {
  const std::size_t budget = scoring::effective_memory_budget(options.engine.memory_budget_bytes) / 2;
  return std::max<std::size_t>(1, budget / (kBytesPerDistance * std::max<std::size_t>(1, references)));
}

}  // namespace

std::vector<EpitopeClasses> group_by_epitope(const std::vector<io::LabelledTcr>& references) {
  std::map<std::string, EpitopeClasses> by;
  for (std::size_t i = 0; i < references.size(); ++i) {
    EpitopeClasses& c = by[references[i].epitope];
    c.epitope = references[i].epitope;
    (references[i].positive ? c.positives : c.negatives).push_back(static_cast<std::uint32_t>(i));
  }
  std::vector<EpitopeClasses> out;
  for (auto& [epitope, c] : by) {
    if (c.positives.empty())
      throw InputError(references[c.negatives.front()].file, "",
                       "epitope " + epitope + " has no positive reference TCR (label 1), only negatives");
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Prediction> predict_queries(const std::vector<scoring::TcrRecord>& queries,
                                        const scoring::TcrdistSet& references,
                                        const std::vector<EpitopeClasses>& epitopes, const PredictOptions& options,
                                        const scoring::Backend& backend, const scoring::VGeneTable* vgenes) {
  std::vector<Prediction> out;
  out.reserve(queries.size() * epitopes.size());
  const std::size_t block = block_size(options, references.size());
  std::vector<int> pos, neg, row(references.size());
  for (std::size_t from = 0; from < queries.size(); from += block) {
    const std::size_t to = std::min(queries.size(), from + block);
    const std::vector<scoring::TcrRecord> part(queries.begin() + static_cast<std::ptrdiff_t>(from),
                                               queries.begin() + static_cast<std::ptrdiff_t>(to));
    const auto qs = scoring::encode_tcrdist_set(part, options.chains, vgenes);
    const auto table = distance_table(qs, references, options, backend);
    for (std::size_t q = 0; q < part.size(); ++q) {
      std::copy_n(table.begin() + static_cast<std::ptrdiff_t>(q * references.size()), references.size(), row.begin());
      for (std::size_t e = 0; e < epitopes.size(); ++e)
        out.push_back(score_one(static_cast<std::uint32_t>(from + q), static_cast<std::uint32_t>(e), epitopes[e], row,
                                nullptr, kNoReference, options.kernel, pos, neg));
    }
  }
  return out;
}

std::vector<Prediction> predict_leave_one_out(const std::vector<scoring::TcrRecord>& records,
                                              const std::vector<EpitopeClasses>& epitopes,
                                              const PredictOptions& options, const scoring::Backend& backend,
                                              const scoring::VGeneTable* vgenes) {
  std::vector<Prediction> out;
  std::vector<std::uint32_t> local(records.size(), 0);
  std::vector<int> pos, neg;
  for (std::size_t e = 0; e < epitopes.size(); ++e) {
    const EpitopeClasses& c = epitopes[e];
    // The epitope's own references, scored against each other only.
    std::vector<std::uint32_t> members(c.positives);
    members.insert(members.end(), c.negatives.begin(), c.negatives.end());
    std::sort(members.begin(), members.end());
    std::vector<scoring::TcrRecord> group;
    for (std::size_t i = 0; i < members.size(); ++i) {
      local[members[i]] = static_cast<std::uint32_t>(i);
      group.push_back(records[members[i]]);
    }
    const auto set = scoring::encode_tcrdist_set(group, options.chains, vgenes);
    const std::size_t block = block_size(options, members.size());
    std::vector<int> row(members.size());
    for (std::size_t from = 0; from < members.size(); from += block) {
      const std::size_t to = std::min(members.size(), from + block);
      const std::vector<scoring::TcrRecord> part(group.begin() + static_cast<std::ptrdiff_t>(from),
                                                 group.begin() + static_cast<std::ptrdiff_t>(to));
      const auto qs = scoring::encode_tcrdist_set(part, options.chains, vgenes);
      const auto table = distance_table(qs, set, options, backend);
      for (std::size_t q = 0; q < part.size(); ++q) {
        std::copy_n(table.begin() + static_cast<std::ptrdiff_t>(q * members.size()), members.size(), row.begin());
        const std::uint32_t self = members[from + q];
        out.push_back(score_one(self, static_cast<std::uint32_t>(e), c, row, &local, self, options.kernel, pos, neg));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Prediction& a, const Prediction& b) {
    return a.query != b.query ? a.query < b.query : a.epitope < b.epitope;
  });
  return out;
}

}  // namespace tilmatch::pipeline
