#include "pipeline/class_balance.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "pipeline/predict_stage.hpp"

namespace tilmatch::pipeline {

namespace {

scoring::TcrRecord beta_record(const TcrView& t) { return {{}, std::string(t.cdr3b), {}, std::string(t.vb)}; }

/// The share of a score that class balance keeps, per clonotype in `clonotypes`, for one epitope
/// whose positive reference TCRs are `positives` and negative ones `negatives`.
std::map<std::uint32_t, double> shares(const std::vector<std::uint32_t>& clonotypes,
                                       const std::vector<const Tcr*>& positives,
                                       const std::vector<const Tcr*>& negatives, const ClonotypeTable& table,
                                       const scoring::Backend& backend, const EvidenceConfig& cfg) {
  std::vector<scoring::TcrRecord> refs;
  EpitopeClasses classes;
  for (const Tcr* t : positives) {
    classes.positives.push_back(static_cast<std::uint32_t>(refs.size()));
    refs.push_back(beta_record(*t));
  }
  for (const Tcr* t : negatives) {
    classes.negatives.push_back(static_cast<std::uint32_t>(refs.size()));
    refs.push_back(beta_record(*t));
  }
  std::vector<scoring::TcrRecord> queries;
  for (std::uint32_t c : clonotypes) queries.push_back(beta_record(table.clonotypes[c].tcr));
  PredictOptions options;
  options.chains = scoring::Chains::beta;
  options.engine = cfg.engine;
  const auto set = scoring::encode_tcrdist_set(refs, options.chains, cfg.vgenes);
  // K+ - K- (balanced) and K+ alone, by the same code as `tilmatch predict`.
  const auto balanced = predict_queries(queries, set, {classes}, options, backend, cfg.vgenes);
  options.kernel.balanced = false;
  const auto positive = predict_queries(queries, set, {classes}, options, backend, cfg.vgenes);
  std::map<std::uint32_t, double> out;
  for (std::size_t q = 0; q < clonotypes.size(); ++q) {
    const double k_pos = positive[q].score;
    out[clonotypes[q]] = k_pos > 0 ? std::clamp(balanced[q].score / k_pos, 0.0, 1.0) : 0.0;
  }
  return out;
}

}  // namespace

BalanceCounts balance_against_negatives(std::vector<rank::Evidence>& direct, const ReferenceSet& references,
                                        const ClonotypeTable& table, const scoring::Backend& backend,
                                        const EvidenceConfig& cfg) {
  BalanceCounts counts;
  counts.negatives = static_cast<std::int64_t>(references.negatives.size());
  std::map<std::string, std::vector<const Tcr*>> negatives, positives;  // by epitope
  for (const ReferenceTcr& r : references.negatives) negatives[r.epitope].push_back(&r.tcr);
  counts.epitopes = static_cast<std::int64_t>(negatives.size());
  if (negatives.empty()) return counts;
  for (const ReferenceTcr& r : references.rows)
    if (negatives.count(r.epitope) != 0) positives[r.epitope].push_back(&r.tcr);

  // The clonotypes each balanced epitope needs, distinct and ascending.
  std::map<std::string, std::vector<std::uint32_t>> wanted;
  for (const rank::Evidence& e : direct)
    if (negatives.count(e.reference_epitope) != 0) wanted[e.reference_epitope].push_back(e.clonotype);
  std::map<std::string, std::map<std::uint32_t, double>> share;
  for (auto& [epitope, clonotypes] : wanted) {
    std::sort(clonotypes.begin(), clonotypes.end());
    clonotypes.erase(std::unique(clonotypes.begin(), clonotypes.end()), clonotypes.end());
    share[epitope] = shares(clonotypes, positives[epitope], negatives[epitope], table, backend, cfg);
  }
  for (rank::Evidence& e : direct) {
    const auto it = share.find(e.reference_epitope);
    if (it == share.end()) continue;
    e.class_balance = it->second.at(e.clonotype);
    e.score *= e.class_balance;
    ++counts.balanced_entries;
  }
  const auto zero = [](const rank::Evidence& e) { return !(e.score > 0); };
  counts.dropped_entries = std::count_if(direct.begin(), direct.end(), zero);
  direct.erase(std::remove_if(direct.begin(), direct.end(), zero), direct.end());
  return counts;
}

}  // namespace tilmatch::pipeline
