#include "pipeline/evidence_stage.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "chance/chance_model.hpp"
#include "chance/reach.hpp"
#include "encode/batch.hpp"
#include "pipeline/class_balance.hpp"
#include "rank/hla_evidence.hpp"
#include "scoring/pepsim.hpp"
#include "scoring/tcrmatch.hpp"
#include "scoring/vgene_table.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch::pipeline {
namespace {

using rank::Evidence;
using rank::kNone;
using rank::Neoantigen;

float pepsim(std::string_view a, std::string_view b, const scoring::K1Table& k1) {
  const auto ca = encode::encode_sequence(a);
  const auto cb = encode::encode_sequence(b);
  return scoring::peptide_kernel_score(ca.data(), static_cast<int>(ca.size()), cb.data(),
                                       static_cast<int>(cb.size()), k1.k);
}

/// One accepted (reference epitope, neoantigen) match through the neoantigen's best MT epitope.
struct EpitopeMatch {
  std::uint32_t neoantigen = 0;
  std::string mt_epitope;
  double similarity = 0;
};

/// Each MT epitope of the same length as some reference epitope, under one key per position with
/// that position masked ("KL*EQWSAV"): the candidates one substitution from a reference epitope.
std::unordered_map<std::string, std::vector<std::uint32_t>> masked_index(const std::vector<std::string>& mts,
                                                                          const std::vector<std::string>& ref_epitopes) {
  // A masked key only meets a reference epitope of its own length: index those lengths alone.
  std::vector<bool> ref_length;
  for (const std::string& ref : ref_epitopes) {
    if (ref.size() >= ref_length.size()) ref_length.resize(ref.size() + 1, false);
    ref_length[ref.size()] = true;
  }
  std::unordered_map<std::string, std::vector<std::uint32_t>> masked;
  for (std::uint32_t m = 0; m < mts.size(); ++m) {
    if (mts[m].size() >= ref_length.size() || !ref_length[mts[m].size()]) continue;
    std::string key = mts[m];
    for (char& ch : key) {
      const char keep = ch;
      ch = '*';
      masked[key].push_back(m);
      ch = keep;
    }
  }
  return masked;
}

/// (reference epitope, MT epitope) -> similarity of the candidate pairs: identical (1), or of
/// equal length with one substitution when max_epitope_mismatches >= 1, found through
/// masked_index instead of scoring every pair; the kernel similarity then grades the substitution.
std::map<std::pair<std::uint32_t, std::uint32_t>, double> candidate_pairs(const std::vector<std::string>& mts,
                                                                          const std::vector<std::string>& ref_epitopes,
                                                                          const EvidenceConfig& cfg,
                                                                          const scoring::K1Table& k1) {
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> pairs;
  const auto masked = cfg.params.max_epitope_mismatches >= 1
                          ? masked_index(mts, ref_epitopes)
                          : std::unordered_map<std::string, std::vector<std::uint32_t>>{};
  for (std::uint32_t e = 0; e < ref_epitopes.size(); ++e) {
    const std::string& ref = ref_epitopes[e];
    auto it = std::lower_bound(mts.begin(), mts.end(), ref);
    if (it != mts.end() && *it == ref) pairs[{e, static_cast<std::uint32_t>(it - mts.begin())}] = 1.0;
    if (masked.empty()) continue;
    std::string key = ref;
    for (char& ch : key) {
      const char keep = ch;
      ch = '*';
      if (auto f = masked.find(key); f != masked.end()) {
        for (std::uint32_t m : f->second) {
          if (mts[m] == ref) continue;
          const double sim = pepsim(mts[m], ref, k1);
          if (sim >= cfg.params.min_epitope_similarity) pairs[{e, m}] = sim;
        }
      }
      ch = keep;
    }
  }
  return pairs;
}

/// reference epitope -> matches, accepting a pair only when the MT epitope is more similar to the
/// reference epitope than every WT epitope pVACseq pairs it with (else it is self, not neo).
std::map<std::string, std::vector<EpitopeMatch>> match_epitopes(const std::vector<Neoantigen>& neoantigens,
                                                                 const std::vector<std::string>& ref_epitopes,
                                                                 const EvidenceConfig& cfg, EvidenceCounts& counts) {
  std::map<std::string, std::vector<std::pair<std::uint32_t, std::string>>> by_mt;  // mt -> (n, wt)
  for (std::uint32_t n = 0; n < neoantigens.size(); ++n)
    for (const auto& [mt, wt] : neoantigens[n].epitope_pairs) by_mt[mt].emplace_back(n, wt);
  std::vector<std::string> mts;
  mts.reserve(by_mt.size());
  for (const auto& kv : by_mt) mts.push_back(kv.first);
  counts.candidate_epitopes = static_cast<std::int64_t>(mts.size());
  counts.reference_epitopes = static_cast<std::int64_t>(ref_epitopes.size());

  const scoring::K1Table k1 = scoring::make_k1_table();
  std::map<std::string, std::vector<EpitopeMatch>> out;
  for (const auto& [key, score] : candidate_pairs(mts, ref_epitopes, cfg, k1)) {
    const std::string& ref = ref_epitopes[key.first];
    const std::string& mt = mts[key.second];
    const double s_mt = mt == ref ? 1.0 : score;
    for (const auto& [n, wt] : by_mt[mt]) {
      double s_wt = 0;
      if (!wt.empty()) s_wt = wt == ref ? 1.0 : (wt == mt ? s_mt : pepsim(wt, ref, k1));
      if (s_wt >= s_mt) {
        ++counts.wild_type_matches;
        continue;
      }
      ++counts.epitope_matches;
      auto& list = out[ref];
      // Keep one match per neoantigen: the most similar MT epitope (then the first in order).
      // A copy of the binding: clang before 16 cannot capture a structured binding in a lambda.
      const auto neoantigen = n;
      auto found = std::find_if(list.begin(), list.end(),
                                [&](const EpitopeMatch& m) { return m.neoantigen == neoantigen; });
      if (found == list.end()) {
        list.push_back({n, mt, s_mt});
      } else if (s_mt > found->similarity) {
        *found = {n, mt, s_mt};
      }
    }
  }
  return out;
}

/// A reference TCR vouching for one neoantigen.
struct Route {
  std::uint32_t reference = 0;
  std::uint32_t neoantigen = 0;
  const EpitopeMatch* match = nullptr;
  double strength = 0;  ///< source weight x epitope similarity x HLA factor x presentation
  rank::HlaDecision hla;
  double presentation = 1;
};

/// Better evidence first: higher score, validated, closer, lower reference id order, lower index.
bool better(const Evidence& a, const Evidence& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.validated != b.validated) return a.validated;
  const int da = a.route == rank::Route::kNeighbor ? a.neighbor_distance : a.tcrdist;
  const int db = b.route == rank::Route::kNeighbor ? b.neighbor_distance : b.tcrdist;
  if (da != db) return da < db;
  if (a.via_clonotype != b.via_clonotype) return a.via_clonotype < b.via_clonotype;
  if (a.reference_id != b.reference_id) return a.reference_id < b.reference_id;
  return a.mt_epitope < b.mt_epitope;
}

/// Keeps the best entry per (neoantigen, clonotype), sorted by (neoantigen, clonotype).
void keep_best(std::vector<Evidence>& ev) {
  std::sort(ev.begin(), ev.end(), [](const Evidence& a, const Evidence& b) {
    if (a.neoantigen != b.neoantigen) return a.neoantigen < b.neoantigen;
    if (a.clonotype != b.clonotype) return a.clonotype < b.clonotype;
    return better(a, b);
  });
  // The kept entry carries what the per-culture test needs of the routes it stands for: whether any
  // was a chance hit of this clonotype's own (the best-scoring route may be a neighbour route, or
  // lie outside its reference's radius while another reference's route lies inside its own).
  std::size_t kept = 0;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (i > 0 && ev[i].neoantigen == ev[kept - 1].neoantigen && ev[i].clonotype == ev[kept - 1].clonotype) {
      Evidence& k = ev[kept - 1];
      k.chance_hit = k.chance_hit || ev[i].chance_hit;
      continue;
    }
    if (kept != i) ev[kept] = std::move(ev[i]);
    ++kept;
  }
  ev.resize(kept);
}

/// Pairs (query index, reference index, TCRdist or -1, TCRMatch or -1) within the transfer threshold.
struct Pair {
  std::uint32_t query, reference;
  int distance;
  double tcrmatch;
};

/// TCRs encoded once for the transfer metric.
class EncodedTcrs {
 public:
  /// TCRs 0..n-1, TCR i being tcr_of(i) (a TcrView).
  template <typename TcrOf>
  EncodedTcrs(std::size_t n, const TcrOf& tcr_of, bool tcrmatch, const scoring::K1Table& k1,
              const scoring::VGeneTable* vgenes) {
    if (tcrmatch) {
      std::vector<std::string> seqs;
      seqs.reserve(n);
      for (std::size_t i = 0; i < n; ++i) seqs.emplace_back(scoring::tcrmatch_trim(TcrView(tcr_of(i)).cdr3b));
      match_ = scoring::encode_tcrmatch_set(seqs, k1);
    } else {
      // Beta chain only: no alpha chain and only the TRBV gene. Read in place, not copied: a
      // patient's clonotypes are millions of strings.
      dist_ = scoring::encode_tcrdist_set(
          n,
          [&tcr_of](std::size_t i) {
            const TcrView t = tcr_of(i);
            return scoring::TcrRecordView{{}, t.cdr3b, {}, t.vb};
          },
          scoring::Chains::beta, vgenes);
    }
    size_ = n;
  }
  std::size_t size() const noexcept { return size_; }

  /// Pairs within `radius` (TCRdist) or at or above the TCRMatch threshold. Out of device memory,
  /// the search runs again in smaller device tiles, which stay in `engine` for later searches.
  std::vector<Pair> search(const EncodedTcrs& refs, int radius, const scoring::Backend& backend,
                           const EvidenceConfig& cfg, scoring::EngineOptions& engine,
                           const scoring::K1Table& k1) const {
    std::vector<Pair> out;
    if (size_ == 0 || refs.size_ == 0) return out;
    if (match_) {
      const auto hits = scoring::search_with_tile_fallback(
          engine, size_, refs.size_, [&](const scoring::EngineOptions& o) {
            return backend.tcrmatch_search(*match_, *refs.match_, cfg.params.min_tcrmatch, k1, o);
          });
      for (const auto& h : hits) out.push_back({h.query, h.reference, -1, static_cast<double>(h.score)});
    } else {
      const auto hits = scoring::search_with_tile_fallback(
          engine, size_, refs.size_,
          [&](const scoring::EngineOptions& o) { return backend.tcrdist_search(*dist_, *refs.dist_, radius, o); });
      for (const auto& h : hits) out.push_back({h.query, h.reference, h.distance, -1.0});
    }
    return out;
  }

 private:
  std::optional<scoring::TcrdistSet> dist_;
  std::optional<scoring::TcrmatchSet> match_;
  std::size_t size_ = 0;
};

/// The HLA factor of each route from its reference row, the other rows of the same TCR and
/// epitope, the presentation of the MT epitope, and the rows of other TCRs with the same epitope
/// (rank::decide_hla).
class HlaOfRows {
 public:
  HlaOfRows(const std::vector<ReferenceTcr>& rows, const EvidenceConfig& cfg) : rows_(rows) {
    if (!cfg.hla) return;
    const auto groups = rank::same_tcr_groups(rows);
    members_.resize(rows.size());
    for (std::uint32_t i = 0; i < rows.size(); ++i)
      if (groups[i] != i) members_[groups[i]].push_back(i);
    group_ = groups;
    verdict_.assign(rows.size(), kNotYet);
    for (std::uint32_t i = 0; i < rows.size(); ++i) epitope_rows_[rows[i].epitope].push_back(i);
  }

  rank::HlaDecision decide(std::uint32_t r, const std::string& mt_epitope, const EvidenceConfig& cfg,
                           EvidenceCounts& counts) const {
    if (!cfg.hla) return {};
    rank::HlaEvidence e;
    e.own = verdict(r, cfg);
    if (e.own != HlaVerdict::kMatch) {
      const std::uint32_t root = group_[r];
      e.other_annotation_matches = root != r && verdict(root, cfg) == HlaVerdict::kMatch;
      for (std::uint32_t m : members_[root]) {
        if (e.other_annotation_matches) break;
        e.other_annotation_matches = m != r && verdict(m, cfg) == HlaVerdict::kMatch;
      }
      e.presented = cfg.presented && cfg.presented(mt_epitope);
      e.epitope_annotation_matches = epitope_matches(r, cfg);
    }
    const rank::HlaDecision d = rank::decide_hla(e, cfg.params);
    if (e.own == HlaVerdict::kMismatch) {
      counts.hla_other_annotation += d.outcome == rank::HlaOutcome::kOtherAnnotation ? 1 : 0;
      counts.hla_presented += d.outcome == rank::HlaOutcome::kPresented ? 1 : 0;
      counts.hla_epitope_annotation += d.outcome == rank::HlaOutcome::kEpitopeAnnotation ? 1 : 0;
      counts.hla_mismatches += d.outcome == rank::HlaOutcome::kMismatch ? 1 : 0;
      counts.hla_dropped += d.outcome == rank::HlaOutcome::kMismatch && d.factor <= 0 ? 1 : 0;
    }
    return d;
  }

 private:
  static constexpr std::int8_t kNotYet = -1;
  HlaVerdict verdict(std::uint32_t r, const EvidenceConfig& cfg) const {
    if (verdict_[r] == kNotYet) verdict_[r] = static_cast<std::int8_t>(cfg.hla(rows_[r].mhc));
    return static_cast<HlaVerdict>(verdict_[r]);
  }

  /// Whether a row of another TCR (another same_tcr_groups group) with r's epitope names a
  /// patient allele. Per epitope, the first two groups with such a row are found once.
  bool epitope_matches(std::uint32_t r, const EvidenceConfig& cfg) const {
    const std::string& epitope = rows_[r].epitope;
    auto [it, fresh] = matching_groups_.try_emplace(epitope, kNoGroup, kNoGroup);
    auto& [first, second] = it->second;
    if (fresh) {
      for (std::uint32_t m : epitope_rows_.at(epitope)) {
        if (verdict(m, cfg) != HlaVerdict::kMatch || group_[m] == first) continue;
        (first == kNoGroup ? first : second) = group_[m];
        if (second != kNoGroup) break;
      }
    }
    return (first != kNoGroup && first != group_[r]) || (second != kNoGroup && second != group_[r]);
  }

  const std::vector<ReferenceTcr>& rows_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> epitope_rows_;  ///< epitope -> its rows
  static constexpr std::uint32_t kNoGroup = std::numeric_limits<std::uint32_t>::max();
  /// epitope -> the first two groups with a row that matches the patient (kNoGroup: none)
  mutable std::unordered_map<std::string, std::pair<std::uint32_t, std::uint32_t>> matching_groups_;
  std::vector<std::uint32_t> group_;                 ///< row -> its group's root (smallest row)
  std::vector<std::vector<std::uint32_t>> members_;  ///< root -> the group's other rows
  mutable std::vector<std::int8_t> verdict_;         ///< cfg.hla per row, computed once
};

/// The chance model of the active reference TCRs against the background (rows whose V gene the
/// V-gene table lacks are left out when V loops are scored; the rest are numbered in file order),
/// with its summary in `counts`. Only rows within reach of some reference (chance::Reach) are
/// encoded and scored: the counts are those of every row.
chance::ChanceModel chance_model_of(const std::vector<TcrView>& active_tcrs, const Background& background,
                                    const scoring::Backend& backend, const EvidenceConfig& cfg,
                                    scoring::EngineOptions& engine, EvidenceCounts& counts) {
  std::vector<scoring::TcrRecord> refs;
  refs.reserve(active_tcrs.size());
  for (const TcrView& t : active_tcrs) refs.push_back({{}, std::string(t.cdr3b), {}, std::string(t.vb)});
  std::vector<std::uint8_t> gene_known(background.genes.size(), 1);
  if (cfg.vgenes != nullptr)
    for (std::size_t g = 0; g < gene_known.size(); ++g) gene_known[g] = cfg.vgenes->contains(background.genes[g]) ? 1 : 0;
  const chance::Reach reach(background, refs, cfg.vgenes, cfg.chance.max_radius);
  // The rows in reach are encoded where the background holds them (up to 10^6 of them: as
  // records, ~130 bytes each, they were the run's peak).
  std::vector<std::uint32_t> rows;  // background row of each one in reach
  std::vector<std::uint32_t> number;
  std::uint32_t scored = 0;
  for (std::size_t i = 0; i < background.size(); ++i) {
    if (!gene_known[background.gene_of[i]]) {
      ++counts.background_without_v;
      continue;
    }
    if (reach(i)) {
      rows.push_back(static_cast<std::uint32_t>(i));
      number.push_back(scored);
    }
    ++scored;
  }
  counts.background_rows = scored;
  counts.background_in_reach = static_cast<std::int64_t>(rows.size());
  if (scored < 2)
    throw InputError(cfg.background_file, "", "fewer than 2 background rows have a V gene in the V-gene table");
  const auto set = scoring::encode_tcrdist_set(
      rows.size(),
      [&](std::size_t k) {
        return scoring::TcrRecordView{{}, background.cdr3_of(rows[k]), {}, background.v_of(rows[k])};
      },
      scoring::Chains::beta, cfg.vgenes);
  chance::ChanceModel model =
      chance::build_chance_model(refs, set, number, scored, cfg.vgenes, backend, cfg.chance, engine);
  const auto [lo, hi] = std::minmax_element(model.radius.begin(), model.radius.end());
  counts.chance_profile = model.profile;
  // The pseudo-count the weights go by: a0 with the profile, a without (chance::floor_probability).
  counts.chance_floor = {static_cast<std::int64_t>(model.empty_references),
                         static_cast<std::int64_t>(model.single_references),
                         cfg.chance.profile_strength == 0 ? cfg.chance.pseudo_count : model.empty_count};
  counts.min_chance_radius = *lo;
  counts.max_chance_radius = *hi;
  std::vector<std::uint32_t> all(refs.size());
  for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
  if (model.half_size[1] > 0) counts.chance_any = chance::union_probability(model, all, cfg.chance);
  return model;
}

/// Steps 1-2 of collect_evidence: reference epitopes matched to candidate MT epitopes, and every
/// (reference TCR, neoantigen) route with its strength.
struct RouteTable {
  RouteTable() = default;
  RouteTable(RouteTable&&) = default;  // a moved map keeps its nodes, so the routes' pointers hold
  RouteTable(const RouteTable&) = delete;  // a copy's routes would point into the original
  RouteTable& operator=(const RouteTable&) = delete;

  /// reference epitope -> its matches; the routes point into its vectors.
  std::map<std::string, std::vector<EpitopeMatch>> matches;
  std::vector<Route> routes;          ///< sorted by (reference, neoantigen)
  std::vector<std::uint32_t> active;  ///< distinct reference rows with routes, ascending
};

RouteTable reference_routes(const std::vector<Neoantigen>& neoantigens, const ReferenceSet& references,
                            const EvidenceConfig& cfg, EvidenceCounts& counts) {
  const rank::ModelParams& p = cfg.params;
  RouteTable t;
  std::map<std::string, std::vector<std::uint32_t>> refs_by_epitope;
  for (std::uint32_t i = 0; i < references.rows.size(); ++i) refs_by_epitope[references.rows[i].epitope].push_back(i);
  std::vector<std::string> ref_epitopes;
  for (const auto& kv : refs_by_epitope) ref_epitopes.push_back(kv.first);
  t.matches = match_epitopes(neoantigens, ref_epitopes, cfg, counts);
  for (const auto& kv : t.matches) counts.matched_epitopes.push_back(kv.first);

  const HlaOfRows hla_of(references.rows, cfg);
  for (const auto& [epitope, list] : t.matches) {
    for (std::uint32_t r : refs_by_epitope.at(epitope)) {
      for (const EpitopeMatch& m : list) {
        const rank::HlaDecision hla = hla_of.decide(r, m.mt_epitope, cfg, counts);
        if (hla.factor <= 0) continue;
        const double pres = cfg.presentation ? cfg.presentation(m.mt_epitope) : 1.0;
        const double source = references.validated[r] ? p.validated_weight : p.public_weight;
        t.routes.push_back({r, m.neoantigen, &m, source * m.similarity * hla.factor * pres, hla, pres});
      }
    }
  }
  std::sort(t.routes.begin(), t.routes.end(), [](const Route& a, const Route& b) {
    return std::tie(a.reference, a.neoantigen) < std::tie(b.reference, b.neoantigen);
  });
  for (const Route& r : t.routes)
    if (t.active.empty() || t.active.back() != r.reference) t.active.push_back(r.reference);
  counts.active_references = static_cast<std::int64_t>(t.active.size());
  return t;
}

/// What the transfer and neighbour searches share: the backend, the metric and its tables, and the
/// engine options, whose device tiles shrink when the device runs short.
struct Searcher {
  const scoring::Backend& backend;
  const EvidenceConfig& cfg;
  bool by_tcrmatch = false;
  scoring::K1Table k1 = scoring::make_k1_table();
  scoring::EngineOptions engine;

  EncodedTcrs encode(const std::vector<TcrView>& tcrs) const {
    return encode(tcrs.size(), [&tcrs](std::size_t i) { return tcrs[i]; });
  }
  template <typename TcrOf>
  EncodedTcrs encode(std::size_t n, const TcrOf& tcr_of) const {
    return EncodedTcrs(n, tcr_of, by_tcrmatch, k1, cfg.vgenes);
  }
  std::vector<Pair> search(const EncodedTcrs& queries, const EncodedTcrs& refs, int radius) {
    return queries.search(refs, radius, backend, cfg, engine, k1);
  }
};

/// The direct evidence entry of `route` for `clonotype`, hit by the route's reference at `h`, with
/// the hit's proximity and specificity (density or surprise) factors.
Evidence direct_entry(const Route& route, const ReferenceSet& references, std::uint32_t clonotype, const Pair& h,
                      double proximity, double density, int crowd, bool chance_hit) {
  const ReferenceTcr& ref = references.rows[route.reference];
  Evidence e;
  e.neoantigen = route.neoantigen;
  e.clonotype = clonotype;
  e.score = route.strength * proximity * density;
  e.route = rank::Route::kReference;
  e.reference_id = ref.id;
  e.validated = references.validated[route.reference];
  e.reference_source = ref.source;
  e.reference_cdr3b = ref.tcr.cdr3b;
  e.reference_epitope = ref.epitope;
  e.reference_mhc = ref.mhc;
  e.mt_epitope = route.match->mt_epitope;
  e.epitope_similarity = route.match->similarity;
  e.hla = rank::to_string(route.hla.outcome);
  e.hla_factor = route.hla.factor;
  e.presentation = route.presentation;
  e.proximity = proximity;
  e.reference_neighbors = crowd;
  e.density = density;
  e.tcrdist = h.distance;
  e.tcrmatch = h.tcrmatch;
  e.chance_hit = chance_hit;
  return e;
}

/// Step 3: clonotypes within the radius (or above the TCRMatch score) of an active reference, one
/// entry per route of that reference. With a background, every pair within the chance model's
/// largest radius transfers, weighted by how surprising it is among the patient's clonotypes: a
/// fixed radius and a smooth weight keep a two-substitution hit on a rare reference that a
/// per-reference radius would cut. The radii still decide which hits the per-culture test counts
/// (Evidence::chance_hit).
std::vector<Evidence> transfer_evidence(const RouteTable& t, const ReferenceSet& references, const ClonotypeTable& table,
                                        const EncodedTcrs& clonotypes, Searcher& s, EvidenceCounts& counts) {
  const rank::ModelParams& p = s.cfg.params;
  std::vector<TcrView> active_tcrs;
  for (std::uint32_t r : t.active) active_tcrs.push_back(references.rows[r].tcr);
  std::optional<chance::ChanceModel> model;
  int radius = p.radius;
  double surprise_n = 0;
  if (s.cfg.background != nullptr && !s.by_tcrmatch && !t.active.empty()) {
    model = chance_model_of(active_tcrs, *s.cfg.background, s.backend, s.cfg, s.engine, counts);
    radius = s.cfg.chance.max_radius;
    // Every active reference is searched against every clonotype of the patient: a hit chance
    // would put somewhere among them is no surprise in whichever culture it lands.
    surprise_n = static_cast<double>(table.clonotypes.size());
    counts.surprise_clonotypes = surprise_n;
    counts.surprise_ceiling = chance::surprise_ceiling(*model, surprise_n, s.cfg.chance);
  }
  const auto transfer = s.search(clonotypes, s.encode(active_tcrs), radius);
  counts.transfer_hits = static_cast<std::int64_t>(transfer.size());

  // Distinct clonotypes within each active reference's radius (transfer pairs are unique).
  std::vector<int> neighbors_of(t.active.size(), 0);
  for (const Pair& h : transfer) ++neighbors_of[h.reference];

  std::vector<Evidence> direct;
  for (const Pair& h : transfer) {
    const std::uint32_t r = t.active[h.reference];
    const double proximity = s.by_tcrmatch ? rank::tcrmatch_factor(h.tcrmatch, p.min_tcrmatch)
                                           : rank::distance_factor(h.distance, radius);
    const int crowd = neighbors_of[h.reference];
    // With the chance model, surprise replaces the patient's own crowd as the specificity factor.
    const double density =
        model ? chance::surprise_weight(
                    chance::whole_background_probability(*model, h.reference, h.distance, s.cfg.chance), surprise_n)
              : rank::density_factor(crowd, p.reference_neighbors);
    const bool chance_hit = !model || h.distance <= model->radius[h.reference];
    auto first = std::lower_bound(t.routes.begin(), t.routes.end(), r,
                                  [](const Route& a, std::uint32_t v) { return a.reference < v; });
    for (auto it = first; it != t.routes.end() && it->reference == r; ++it)
      direct.push_back(direct_entry(*it, references, h.query, h, proximity, density, crowd, chance_hit));
  }
  return direct;
}

/// Step 4, neighbourhood support: clonotypes within neighbor_radius of a directly evidenced
/// clonotype inherit neighbor_share of its evidence, scaled by their distance (one hop only).
/// Returns `direct` with them, the best entry kept per (neoantigen, clonotype).
std::vector<Evidence> with_neighbors(const std::vector<Evidence>& direct, const ClonotypeTable& table,
                                     const EncodedTcrs& clonotypes, Searcher& s, EvidenceCounts& counts) {
  const rank::ModelParams& p = s.cfg.params;
  std::vector<std::uint32_t> evidenced;  // clonotype indices with direct evidence, ascending
  for (const Evidence& e : direct) evidenced.push_back(e.clonotype);
  std::sort(evidenced.begin(), evidenced.end());
  evidenced.erase(std::unique(evidenced.begin(), evidenced.end()), evidenced.end());
  std::vector<TcrView> evidenced_tcrs;
  for (std::uint32_t c : evidenced) evidenced_tcrs.push_back(table.clonotypes[c].tcr);
  // TCRdist neighbourhoods (the neighbors graph); with --transfer-metric tcrmatch, TCRMatch ones.
  const auto near = s.search(clonotypes, s.encode(evidenced_tcrs), p.neighbor_radius);

  // Direct entries of each evidenced clonotype, grouped by its position in `evidenced`.
  std::vector<std::vector<std::uint32_t>> direct_of(evidenced.size());
  for (std::uint32_t i = 0; i < direct.size(); ++i) {
    const auto at = std::lower_bound(evidenced.begin(), evidenced.end(), direct[i].clonotype) - evidenced.begin();
    direct_of[static_cast<std::size_t>(at)].push_back(i);
  }
  std::vector<Evidence> all = direct;
  for (const Pair& h : near) {
    const std::uint32_t c = h.query;
    const std::uint32_t via = evidenced[h.reference];
    if (c == via) continue;
    const double proximity = s.by_tcrmatch ? rank::tcrmatch_factor(h.tcrmatch, p.min_tcrmatch)
                                           : rank::distance_factor(h.distance, p.neighbor_radius);
    for (std::uint32_t i : direct_of[h.reference]) {
      Evidence e = direct[i];
      e.clonotype = c;
      e.score = p.neighbor_share * direct[i].score * proximity;
      e.route = rank::Route::kNeighbor;
      e.via_clonotype = via;
      e.neighbor_distance = s.by_tcrmatch ? -1 : h.distance;
      e.chance_hit = false;  // the hit was via_clonotype's, not this clonotype's
      all.push_back(std::move(e));
    }
  }
  keep_best(all);
  std::int64_t neighbor = 0;
  for (const Evidence& e : all) neighbor += e.route == rank::Route::kNeighbor ? 1 : 0;
  counts.neighbor_evidence = neighbor;
  return all;
}

}  // namespace

std::vector<Evidence> collect_evidence(const std::vector<Neoantigen>& neoantigens, const ReferenceSet& references,
                                       const ClonotypeTable& table, const scoring::Backend& backend,
                                       const EvidenceConfig& cfg, EvidenceCounts& counts) {
  const RouteTable routes = reference_routes(neoantigens, references, cfg, counts);
  Searcher searcher{.backend = backend,
                    .cfg = cfg,
                    .by_tcrmatch = cfg.metric == EvidenceConfig::Metric::kTcrmatch,
                    .engine = cfg.engine};
  // Clonotypes are encoded once, for the transfer and the neighbour searches (query i = clonotype i).
  const EncodedTcrs clonotypes = searcher.encode(routes.active.empty() ? 0 : table.clonotypes.size(),
                                                 [&table](std::size_t i) { return table.clonotypes[i].tcr; });

  std::vector<Evidence> direct = transfer_evidence(routes, references, table, clonotypes, searcher, counts);
  const BalanceCounts balance = balance_against_negatives(direct, references, table, backend, cfg);
  counts.reference_negatives = balance.negatives;
  counts.negative_epitopes = balance.epitopes;
  counts.class_balanced = balance.balanced_entries;
  counts.class_balance_dropped = balance.dropped_entries;
  keep_best(direct);
  counts.direct_evidence = static_cast<std::int64_t>(direct.size());
  if (!cfg.params.neighbors || direct.empty()) return direct;
  return with_neighbors(direct, table, clonotypes, searcher, counts);
}

}  // namespace tilmatch::pipeline
