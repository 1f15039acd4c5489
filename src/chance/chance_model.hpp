#pragma once
/// The chance model of reference TCRs (docs/scoring.md, "Chance model"): for each reference TCR r
/// and distance d <= a cap, how many clonotypes of a background repertoire of unrelated TCRs lie
/// within TCRdist d of r. From it, the probability p_r(d) that an unrelated clonotype is that close,
/// a per-reference radius and a surprise weight for a hit. Counting runs on a scoring backend
/// (CPU or CUDA, same counts); everything else is pure host code over plain structs.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "scoring/backend.hpp"
#include "scoring/engine.hpp"

namespace tilmatch::chance {

/// Parameters of the chance model. Defaults are documented in docs/scoring.md.
struct ChanceParams {
  /// Largest radius a reference may get (TCRdist units): 24 = two conservative CDR3β
  /// substitutions (each costs 3 x 4 at most) or three with BLOSUM62 >= 1.
  int max_radius = 24;
  /// Smallest radius: exact matches (d = 0) always transfer, however public the CDR3; their
  /// surprise weight says how little they then count.
  int min_radius = 0;
  /// Clonotypes N of the repertoire a radius is chosen for (distinct clonotypes of a culture).
  double repertoire_size = 100000;
  /// Largest expected number of background neighbours N * p_r(d) within the chosen radius.
  /// 1 at N = 10^5 bounds p_r(d) by 10^-5, the background frequency tcrdist3's meta-clonotypes
  /// aim at (Mayer-Blackwell et al., eLife 2021;10:e68605: the largest radius whose neighbourhood
  /// spans at most ~1 in 10^5 TCRs of an antigen-naive background).
  double target_neighbours = 1.0;
  /// Pseudo-count a added to each count: p = (c + a) / (M + 2a), the posterior mean of a binomial
  /// proportion under the Jeffreys prior Beta(1/2, 1/2) when a = 1/2 (Brown, Cai & DasGupta,
  /// Stat Sci 2001;16:101). A reference with no background neighbour gets p = 1/(2M + 2), not 0,
  /// so no hit is infinitely surprising on a finite background.
  double pseudo_count = 0.5;
  /// Weight kappa, in background neighbours, of the references' pooled distance profile in each
  /// reference's own (whole_background_probability): p_r(d) = p_r(D) (c_r(d) + kappa phi(d)) /
  /// (c_r(D) + kappa). 0 turns the profile off: p_r(d) = (c_r(d) + a) / (M + 2a) at every d.
  /// From a 10^6-row OLGA background, kappa = 20-100 predicted a 10^7-row one's counts within 0.3%
  /// of one another in log-likelihood and far better than 0 (scripts/eval-chance-profile).
  double profile_strength = 50;
  /// Weight k, in references, of a in the floor pseudo-count of a reference with no background
  /// row within the cap (whole_background_probability, with the profile): a0 = (n1 + k a) /
  /// (n0 + k), n0 and n1 the references with no row and with one. Without k, a0 = n1 / n0 is
  /// Robbins' empirical-Bayes estimate of E[M lambda | no row] (Robbins 1956; Efron 2011, JASA
  /// 106:1602): on VDJdb's β TCRs and the 10^6-row built-in background, the rows a 10^7-row
  /// background holds near its empty references came within 9% (n1 / n0 alone: 8%), where a
  /// (Jeffreys) gave +67% (scripts/eval-chance-profile); k keeps a run with few active references
  /// near a.
  double floor_strength = 10;
};

/// The two halves of the background: rows alternate between them (row i is in half i % 2).
/// A radius chosen on the same counts it is then judged by would understate its neighbourhood
/// (the largest radius whose count happens to be low is chosen: the winner's curse), so the
/// model is "honest" in the sense of Athey & Imbens (PNAS 2016;113:7353): radii are chosen on the
/// selection half and every probability is estimated on the other.
enum class Half : int { kSelection = 0, kEstimation = 1 };

/// Background neighbour counts of each reference TCR, per half.
struct ChanceModel {
  int max_distance = 0;                 ///< counts cover d = 0..max_distance
  /// Rows of the background in each half (duplicates kept: they are its generation probability).
  std::size_t half_size[2] = {0, 0};
  /// within[h][r * (max_distance + 1) + d]: rows of half h within TCRdist d of reference r.
  std::vector<std::uint32_t> within[2];
  /// Radius of each reference (chance_radius under the parameters the model was built with).
  std::vector<std::int32_t> radius;
  /// Estimation-half rows (background row numbers) within each reference's radius, CSR: those of
  /// reference r are neighbour_rows[neighbour_offsets[r] .. neighbour_offsets[r + 1]), ascending.
  std::vector<std::uint64_t> neighbour_offsets;
  std::vector<std::uint32_t> neighbour_rows;
  /// profile[d], d = 0..max_distance: the share of the references' background neighbours within
  /// the cap that lie within d, pooled over references and both halves (pooled_profile).
  std::vector<double> profile;
  /// References with no row of the whole background within the cap (n0) and with one (n1), and the
  /// pseudo-count a0 = (n1 + k a) / (n0 + k) of the first (empty_reference_count).
  std::size_t empty_references = 0, single_references = 0;
  double empty_count = 0.5;

  std::size_t references() const noexcept { return radius.size(); }
  std::size_t background_size() const noexcept { return half_size[0] + half_size[1]; }
  /// Rows of half h within distance d (clamped to max_distance; 0 when d < 0) of reference r.
  std::uint32_t count_within(std::size_t r, int d, Half h = Half::kEstimation) const noexcept {
    if (d < 0) return 0;
    if (d > max_distance) d = max_distance;
    return within[static_cast<int>(h)][r * static_cast<std::size_t>(max_distance + 1) + static_cast<std::size_t>(d)];
  }
};

/// p = (c + a) / (M + 2a): the smoothed fraction of a background of M rows of which c are within
/// the distance (ChanceParams::pseudo_count). Throws std::invalid_argument when M = 0 or a < 0.
double smoothed_fraction(std::uint64_t c, std::uint64_t m, double pseudo_count);

/// p_r(d) of reference r under `params` on half h (d clamped to the model's max_distance); the
/// estimation half unless said otherwise. Throws std::invalid_argument when the half is empty.
double chance_probability(const ChanceModel& model, std::size_t r, int d, const ChanceParams& params,
                          Half h = Half::kEstimation);

/// phi(d) = (sum_r c_r(d) + a) / (sum_r c_r(D) + a), d = 0..D = max_distance, counts of both
/// halves, a = params.pseudo_count: how a neighbourhood within the cap D divides by distance, pooled
/// over the model's references. Non-decreasing, phi(D) = 1; all 1 when no reference has a neighbour.
std::vector<double> pooled_profile(const ChanceModel& model, const ChanceParams& params);

/// a0 = (n1 + k a) / (n0 + k): the pseudo-count of a reference with no background row within the
/// cap (ChanceParams::floor_strength k, pseudo_count a), from the model's own n0 and n1
/// (ChanceModel::empty_references, single_references), which this sets. a when no reference is
/// empty and k = 0.
double empty_reference_count(ChanceModel& model, const ChanceParams& params);

/// The smallest p_r(d) of the whole background: that of a reference with no row within the cap,
/// a0 / (M + 2a) with the profile (kappa > 0), a / (M + 2a) without. Throws std::invalid_argument
/// when the background is empty.
double floor_probability(const ChanceModel& model, const ChanceParams& params);

/// p_r(d) of reference r on the whole background (both halves; d clamped as above): the probability
/// a hit's surprise weight is judged by. The halves exist because a radius is chosen on counts (the
/// largest radius whose count happened to be low wins); a hit's own distance is not, so nothing
/// needs holding out, and twice the rows resolve half the probability.
/// Within the cap D, p_r(d) = p_r(D) (c_r(d) + kappa phi(d)) / (c_r(D) + kappa) with p_r(D) =
/// (c_r(D) + a) / (M + 2a) (a0 / (M + 2a) when c_r(D) = 0, floor_probability), phi =
/// model.profile, kappa = params.profile_strength: the share of r's neighbourhood within d, shrunk
/// toward the references' pooled share (a beta-binomial posterior mean). A reference with few
/// background neighbours resolves d by the others' profile instead of flooring p at a / (M + 2a)
/// at every d: on the 10^6-row built-in background, a rare reference's
/// exact hit is ~600 times as unlikely by chance as its hit at the cap, not equally likely.
/// kappa = 0: (c_r(d) + a) / (M + 2a). Throws std::invalid_argument when the background is empty
/// or kappa > 0 and the model has no profile.
double whole_background_probability(const ChanceModel& model, std::size_t r, int d, const ChanceParams& params);

/// The largest surprise weight the model's background can give a hit at the cap among n
/// clonotypes: that of a hit no row lies near, 1 / (1 + n p), p = floor_probability. Close to 1
/// while the background is large next to the patient; near 1/2 once n reaches 1 / p. Closer hits
/// weigh more (whole_background_probability). Throws std::invalid_argument when the background
/// is empty.
double surprise_ceiling(const ChanceModel& model, double n, const ChanceParams& params);

/// The radius of reference r, as tcrdist3's meta-clonotypes choose one: the largest d in
/// [min_radius, max_radius] with repertoire_size * p_r(d) <= target_neighbours, p_r from the
/// selection half; min_radius when none qualifies; the cap when the background is empty.
int chance_radius(const ChanceModel& model, std::size_t r, const ChanceParams& params);

/// Weight of a hit whose chance probability is p among n searched clonotypes: 1 / (1 + n p), the
/// probability that the hit is the reactive clonotype rather than a chance one when the search
/// expects one reactive neighbour and n p unrelated ones (odds 1 : n p). 1 for a hit chance cannot
/// explain, falling to 0 in crowded public neighbourhoods; a factor in [0, 1] like the other
/// evidence factors (rank/params.hpp). Equal to exp(-n p), the Poisson probability that no
/// unrelated clonotype lies that close, to first order; unlike it, it changes at most (1 + n p') /
/// (1 + n p)-fold between two background counts, where exp(-n p) changes e^(n (p' - p))-fold: at
/// n = 2.4 x 10^6 and a 10^6-row background, one draw more near a reference divides exp's weight by
/// ~120 (e^4.8), the odds' by ~2.4.
double surprise_weight(double p, double n);

/// Fraction of the estimation half within the radius of at least one of `references` (indices
/// into the model), smoothed as smoothed_fraction: the probability that an unrelated clonotype is a
/// chance hit of that set. Overlapping neighbourhoods count once.
double union_probability(const ChanceModel& model, std::span<const std::uint32_t> references,
                         const ChanceParams& params);

/// What building the model cost, for run.json and the benchmark.
struct ChanceBuildStats {
  std::uint64_t pairs = 0;   ///< references x background rows scored
  std::uint64_t hits = 0;    ///< pairs within max_radius
  std::uint64_t blocks = 0;  ///< backend searches run
};

/// Counts, for each of `references`, the `background` rows within TCRdist d for d = 0..
/// params.max_radius, then its radius and neighbour rows under `params`. Both sets must be
/// encoded alike (same chains; V loops in both or neither). References are searched in runs
/// against the whole background on `backend`, sized and split as every search is
/// (scoring::SearchRuns: a run whose hits pass the memory budget is retried smaller), so memory
/// stays bounded and the counts do not depend on the run sizes, backend or thread count. Throws
/// std::invalid_argument on a background of more than 2^32 - 1 rows or inconsistent sets, and
/// UsageError (naming the reference) when one reference's neighbours alone pass the budget.
ChanceModel build_chance_model(const std::vector<scoring::TcrRecord>& references,
                               const scoring::TcrdistSet& background, const scoring::VGeneTable* vgenes,
                               const scoring::Backend& backend, const ChanceParams& params,
                               scoring::EngineOptions options = {}, const scoring::TcrdistParams& tcrdist = {},
                               ChanceBuildStats* stats = nullptr);

/// The same over some rows of a larger background, the others being out of reach of every
/// reference (chance::Reach): `rows` holds them encoded, row_number[i] is row i's number in the
/// whole background of `background_rows` rows (ascending, each < background_rows). Halves, counts
/// and neighbour rows are then those of the whole background: the same model, bit for bit, as
/// scoring every row. Throws std::invalid_argument when row_number does not fit `rows`.
ChanceModel build_chance_model(const std::vector<scoring::TcrRecord>& references, const scoring::TcrdistSet& rows,
                               std::span<const std::uint32_t> row_number, std::size_t background_rows,
                               const scoring::VGeneTable* vgenes, const scoring::Backend& backend,
                               const ChanceParams& params, scoring::EngineOptions options = {},
                               const scoring::TcrdistParams& tcrdist = {}, ChanceBuildStats* stats = nullptr);

}  // namespace tilmatch::chance
