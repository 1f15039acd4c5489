#include "chance/chance_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "scoring/search_runs.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::chance {

namespace {

// Background neighbours per reference the first run is sized for. A reference may have up to the
// whole background within the cap, but a public-like CDR3 has ~10^3 among 10^6 OLGA draws and a
// typical one ~10^2 (bench-chance: 182 on average for VDJdb); sizing for the whole background made
// the first runs a few references long (10 runs instead of 3 for 5,000 x 10^6, 15% more CPU). A
// run that holds more is retried smaller (SearchRuns).
constexpr std::size_t kFirstRunNeighbours = 4096;

std::size_t stride_of(int max_distance) { return static_cast<std::size_t>(max_distance) + 1; }

void check_params(const ChanceParams& p) {
  if (p.max_radius < 0 || p.min_radius < 0 || p.min_radius > p.max_radius)
    throw std::invalid_argument("chance model: need 0 <= min_radius <= max_radius");
  if (!(p.repertoire_size > 0) || !(p.target_neighbours > 0))
    throw std::invalid_argument("chance model: repertoire size and target neighbours must be > 0");
  if (!(p.pseudo_count >= 0)) throw std::invalid_argument("chance model: pseudo-count must be >= 0");
  if (!(p.profile_strength >= 0)) throw std::invalid_argument("chance model: profile strength must be >= 0");
  if (!(p.floor_strength >= 0) || std::isinf(p.floor_strength))
    throw std::invalid_argument("chance model: floor strength must be finite and >= 0");
}

}  // namespace

double smoothed_fraction(std::uint64_t c, std::uint64_t m, double pseudo_count) {
  if (m == 0) throw std::invalid_argument("chance model: empty background");
  if (!(pseudo_count >= 0)) throw std::invalid_argument("chance model: pseudo-count must be >= 0");
  return (static_cast<double>(c) + pseudo_count) / (static_cast<double>(m) + 2.0 * pseudo_count);
}

double chance_probability(const ChanceModel& model, std::size_t r, int d, const ChanceParams& params, Half h) {
  return smoothed_fraction(model.count_within(r, d, h), model.half_size[static_cast<int>(h)], params.pseudo_count);
}

std::vector<double> pooled_profile(const ChanceModel& model, const ChanceParams& params) {
  const std::size_t stride = stride_of(model.max_distance);
  std::vector<double> sum(stride, 0.0);
  for (const auto& half : model.within)
    for (std::size_t i = 0; i < half.size(); ++i) sum[i % stride] += half[i];
  std::vector<double> profile(stride);
  for (std::size_t d = 0; d < stride; ++d)
    profile[d] = (sum[d] + params.pseudo_count) / (sum[stride - 1] + params.pseudo_count);
  return profile;
}

double empty_reference_count(ChanceModel& model, const ChanceParams& params) {
  const std::size_t stride = stride_of(model.max_distance);
  model.empty_references = model.single_references = 0;
  for (std::size_t r = 0; r < model.references(); ++r) {
    const std::uint64_t c = std::uint64_t{model.within[0][r * stride + stride - 1]} + model.within[1][r * stride + stride - 1];
    model.empty_references += c == 0 ? 1 : 0;
    model.single_references += c == 1 ? 1 : 0;
  }
  const double k = params.floor_strength;
  const double n0 = static_cast<double>(model.empty_references);
  model.empty_count = n0 + k > 0 ? (static_cast<double>(model.single_references) + k * params.pseudo_count) / (n0 + k)
                                 : params.pseudo_count;
  return model.empty_count;
}

double floor_probability(const ChanceModel& model, const ChanceParams& params) {
  const std::uint64_t m = model.background_size();
  const double p = smoothed_fraction(0, m, params.pseudo_count);  // checks M and a
  if (params.profile_strength == 0) return p;
  return model.empty_count / (static_cast<double>(m) + 2 * params.pseudo_count);
}

double whole_background_probability(const ChanceModel& model, std::size_t r, int d, const ChanceParams& params) {
  const auto both = [&](int k) {
    return static_cast<double>(model.count_within(r, k, Half::kSelection)) + model.count_within(r, k, Half::kEstimation);
  };
  if (params.profile_strength == 0)
    return smoothed_fraction(static_cast<std::uint64_t>(both(d)), model.background_size(), params.pseudo_count);
  if (model.profile.size() != stride_of(model.max_distance))
    throw std::invalid_argument("chance model: no distance profile");
  if (d < 0) d = 0;  // exact hits are the closest
  if (d > model.max_distance) d = model.max_distance;
  const double cap = both(model.max_distance);
  const double kappa = params.profile_strength;
  const double at_cap = cap == 0 ? floor_probability(model, params)
                                 : smoothed_fraction(static_cast<std::uint64_t>(cap), model.background_size(), params.pseudo_count);
  return at_cap * (both(d) + kappa * model.profile[static_cast<std::size_t>(d)]) / (cap + kappa);
}

double surprise_ceiling(const ChanceModel& model, double n, const ChanceParams& params) {
  return surprise_weight(floor_probability(model, params), n);
}

int chance_radius(const ChanceModel& model, std::size_t r, const ChanceParams& params) {
  const int cap = std::min(params.max_radius, model.max_distance);
  if (model.half_size[0] == 0) return cap;  // an empty background rules nothing out
  for (int d = cap; d > params.min_radius; --d)
    if (params.repertoire_size * chance_probability(model, r, d, params, Half::kSelection) <= params.target_neighbours)
      return d;
  return params.min_radius;
}

double surprise_weight(double p, double n) { return 1.0 / (1.0 + n * p); }

double union_probability(const ChanceModel& model, std::span<const std::uint32_t> references,
                         const ChanceParams& params) {
  std::vector<std::uint32_t> rows;
  for (std::uint32_t r : references)
    rows.insert(rows.end(), model.neighbour_rows.begin() + static_cast<std::ptrdiff_t>(model.neighbour_offsets[r]),
                model.neighbour_rows.begin() + static_cast<std::ptrdiff_t>(model.neighbour_offsets[r + 1]));
  std::sort(rows.begin(), rows.end());
  const auto distinct = static_cast<std::uint64_t>(std::unique(rows.begin(), rows.end()) - rows.begin());
  return smoothed_fraction(distinct, model.half_size[1], params.pseudo_count);
}

namespace {

/// build_chance_model over encoded rows whose numbers in the whole background of
/// `background_rows` rows are row_number[i] (checked by the caller), or i when row_number is null.
ChanceModel build_model(const std::vector<scoring::TcrRecord>& references, const scoring::TcrdistSet& background,
                        const std::uint32_t* row_number, std::size_t background_rows,
                        const scoring::VGeneTable* vgenes, const scoring::Backend& backend, const ChanceParams& params,
                        scoring::EngineOptions options, const scoring::TcrdistParams& tcrdist,
                        ChanceBuildStats* stats) {
  check_params(params);
  if (background_rows >= std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("chance model: a background of 2^32 - 1 rows or more");
  if (background.vloops != (vgenes != nullptr))
    throw std::invalid_argument("chance model: V loops in the background but not the references, or back");
  // Encoded row -> its row number in the whole background (its half is number % 2).
  const auto number = [row_number](std::uint32_t i) { return row_number == nullptr ? i : row_number[i]; };
  ChanceModel model;
  model.max_distance = params.max_radius;
  model.half_size[0] = (background_rows + 1) / 2;
  model.half_size[1] = background_rows / 2;
  const std::size_t stride = stride_of(model.max_distance);
  for (auto& w : model.within) w.assign(references.size() * stride, 0);
  model.radius.assign(references.size(), 0);
  model.neighbour_offsets.assign(references.size() + 1, 0);
  if (stats != nullptr) stats->pairs += static_cast<std::uint64_t>(references.size()) * background.size();
  if (references.empty() || background.size() == 0) {
    for (std::size_t r = 0; r < references.size(); ++r) model.radius[r] = chance_radius(model, r, params);
    model.profile = pooled_profile(model, params);
    empty_reference_count(model, params);
    return model;
  }

  // References are searched in runs against the whole background, sized and split as every search
  // is (scoring::SearchRuns): each reference meets every row, so the counts do not depend on the runs.
  std::vector<std::vector<std::uint32_t>> rows_of;  // of the current run, by reference
  scoring::SearchRuns runs(scoring::effective_memory_budget(options.memory_budget_bytes),
                           std::min<std::size_t>(background.size(), kFirstRunNeighbours),
                           "chance model: background neighbours of references");
  const auto score_run = [&](std::size_t first, std::size_t last) -> std::size_t {
    const std::size_t n = last - first;
    const std::vector<scoring::TcrRecord> part(references.begin() + static_cast<std::ptrdiff_t>(first),
                                               references.begin() + static_cast<std::ptrdiff_t>(last));
    const scoring::TcrdistSet queries = scoring::encode_tcrdist_set(part, background.chains, vgenes);
    const std::vector<scoring::TcrdistHit> hits =
        scoring::search_with_tile_fallback(options, n, background.size(), [&](const scoring::EngineOptions& o) {
          return backend.tcrdist_search(queries, background, model.max_distance, o, tcrdist);
        });
    if (stats != nullptr) {
      stats->hits += hits.size();
      stats->blocks += 1;
    }
    // Hits come sorted by (query, distance, background row): one pass fills the histograms.
    for (const auto& h : hits)
      model.within[number(h.reference) % 2][(first + h.query) * stride + static_cast<std::size_t>(h.distance)] += 1;
    rows_of.assign(n, {});
    for (std::size_t q = 0; q < n; ++q) {
      for (auto& half : model.within) {
        std::uint32_t* w = &half[(first + q) * stride];
        for (std::size_t d = 1; d < stride; ++d) w[d] += w[d - 1];
      }
      model.radius[first + q] = chance_radius(model, first + q, params);
    }
    for (const auto& h : hits)
      if (number(h.reference) % 2 == 1 && h.distance <= model.radius[first + h.query])
        rows_of[h.query].push_back(number(h.reference));
    for (std::size_t q = 0; q < n; ++q) {
      auto& rows = rows_of[q];
      std::sort(rows.begin(), rows.end());
      model.neighbour_rows.insert(model.neighbour_rows.end(), rows.begin(), rows.end());
      model.neighbour_offsets[first + q + 1] = model.neighbour_rows.size();
    }
    return hits.size();
  };
  try {
    runs.score(references.size(), score_run);
  } catch (const scoring::QueryOverBudget& e) {
    throw UsageError("chance model: reference TCR " + std::to_string(e.query() + 1) + " (CDR3b " +
                     references[e.query()].cdr3_b + ") alone has more background neighbours within " +
                     std::to_string(model.max_distance) + " than a memory budget of " +
                     std::to_string(scoring::effective_memory_budget(options.memory_budget_bytes)) +
                     " bytes holds; raise the memory budget (--memory) or lower --chance-max-radius");
  }
  model.profile = pooled_profile(model, params);
  empty_reference_count(model, params);
  return model;
}

}  // namespace

ChanceModel build_chance_model(const std::vector<scoring::TcrRecord>& references,
                               const scoring::TcrdistSet& background, const scoring::VGeneTable* vgenes,
                               const scoring::Backend& backend, const ChanceParams& params,
                               scoring::EngineOptions options, const scoring::TcrdistParams& tcrdist,
                               ChanceBuildStats* stats) {
  return build_model(references, background, nullptr, background.size(), vgenes, backend, params, options, tcrdist,
                     stats);
}

ChanceModel build_chance_model(const std::vector<scoring::TcrRecord>& references, const scoring::TcrdistSet& rows,
                               std::span<const std::uint32_t> row_number, std::size_t background_rows,
                               const scoring::VGeneTable* vgenes, const scoring::Backend& backend,
                               const ChanceParams& params, scoring::EngineOptions options,
                               const scoring::TcrdistParams& tcrdist, ChanceBuildStats* stats) {
  if (row_number.size() != rows.size())
    throw std::invalid_argument("chance model: row numbers do not fit the encoded rows");
  for (std::size_t i = 0; i < row_number.size(); ++i)
    if (row_number[i] >= background_rows || (i > 0 && row_number[i] <= row_number[i - 1]))
      throw std::invalid_argument("chance model: row numbers must ascend below the background's size");
  return build_model(references, rows, row_number.data(), background_rows, vgenes, backend, params, options, tcrdist,
                     stats);
}

}  // namespace tilmatch::chance
