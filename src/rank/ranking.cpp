#include "rank/ranking.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <string>

#include "chance/significance.hpp"

namespace tilmatch::rank {
namespace {

double weighted(const Evidence& e, const std::vector<Neoantigen>& neoantigens) {
  return e.score * neoantigens[e.neoantigen].weight;
}

/// 3 high, 2 medium, 1 low, 0 none (docs/scoring.md).
int confidence_level(const Evidence& e) {
  if (e.route == Route::kNeighbor || e.proximity < kCloseProximity) return 1;
  return e.validated && e.epitope_similarity >= 1.0 ? 3 : 2;
}

const char* confidence_name(int level) {
  static const char* const kNames[] = {"none", "low", "medium", "high"};
  return kNames[level];
}

}  // namespace

std::vector<std::uint32_t> best_evidence_per_clonotype(const std::vector<Neoantigen>& neoantigens,
                                                       const std::vector<Evidence>& evidence,
                                                       std::size_t clonotypes) {
  std::vector<std::uint32_t> best(clonotypes, kNone);
  for (std::uint32_t i = 0; i < evidence.size(); ++i) {
    std::uint32_t& b = best[evidence[i].clonotype];
    if (b == kNone || weighted(evidence[i], neoantigens) > weighted(evidence[b], neoantigens)) b = i;
  }
  return best;
}

std::vector<FragmentScore> rank_fragments(const std::vector<Neoantigen>& neoantigens,
                                          const std::vector<Evidence>& evidence,
                                          const std::vector<std::uint32_t>& clonotype_best,
                                          const ClonotypeTable& table) {
  const std::size_t nf = table.fragments.size();
  // Evidence entries of each clonotype (CSR over the (neoantigen, clonotype)-sorted list).
  std::vector<std::uint32_t> start(table.clonotypes.size() + 1, 0);
  for (const Evidence& e : evidence) ++start[e.clonotype + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::uint32_t> entries(evidence.size());
  {
    std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
    for (std::uint32_t i = 0; i < evidence.size(); ++i) entries[fill[evidence[i].clonotype]++] = i;
  }

  std::vector<FragmentScore> scores(nf);
  std::vector<std::map<std::uint32_t, double>> cells(nf);
  std::vector<int> level(nf, 0);
  std::vector<double> best_contribution(nf, 0.0);
  for (std::uint32_t f = 0; f < nf; ++f) scores[f].fragment = f;
  for (const ClonotypeCount& cc : table.counts) {
    const std::uint32_t b = clonotype_best[cc.clonotype];
    if (b == kNone || cc.frequency <= 0) continue;
    FragmentScore& s = scores[cc.fragment];
    const double contribution = cc.frequency * weighted(evidence[b], neoantigens);
    s.score += contribution;
    s.evidenced_frequency += cc.frequency;
    ++s.evidenced_clonotypes;
    if (s.best_evidence == kNone || contribution > best_contribution[cc.fragment]) {
      s.best_evidence = b;
      best_contribution[cc.fragment] = contribution;
    }
    for (std::uint32_t k = start[cc.clonotype]; k < start[cc.clonotype + 1]; ++k) {
      const Evidence& e = evidence[entries[k]];
      cells[cc.fragment][e.neoantigen] += cc.frequency * weighted(e, neoantigens);
      level[cc.fragment] = std::max(level[cc.fragment], confidence_level(e));
    }
  }
  for (std::uint32_t f = 0; f < nf; ++f) {
    scores[f].by_neoantigen.assign(cells[f].begin(), cells[f].end());
    scores[f].neoantigens = static_cast<int>(cells[f].size());
    scores[f].confidence = confidence_name(level[f]);
  }
  std::sort(scores.begin(), scores.end(), [&](const FragmentScore& a, const FragmentScore& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.evidenced_frequency != b.evidenced_frequency) return a.evidenced_frequency > b.evidenced_frequency;
    if (a.neoantigens != b.neoantigens) return a.neoantigens > b.neoantigens;
    return table.fragments[a.fragment].id < table.fragments[b.fragment].id;
  });
  for (std::size_t i = 0; i < scores.size(); ++i) scores[i].rank = static_cast<int>(i + 1);
  return scores;
}

void test_against_chance(std::vector<FragmentScore>& ranking, const std::vector<Evidence>& evidence,
                         const ClonotypeTable& table, double q_any, double fdr) {
  std::vector<bool> hit(table.clonotypes.size(), false);
  for (const Evidence& e : evidence)
    if (e.chance_hit) hit[e.clonotype] = true;
  std::vector<std::vector<double>> frequencies(table.fragments.size());
  std::vector<std::int64_t> observed(table.fragments.size(), 0);
  std::vector<double> observed_frequency(table.fragments.size(), 0.0);
  for (const ClonotypeCount& cc : table.counts) {
    frequencies[cc.fragment].push_back(cc.frequency);
    if (!hit[cc.clonotype]) continue;
    observed[cc.fragment] += 1;
    observed_frequency[cc.fragment] += cc.frequency;
  }
  const auto tested = chance::culture_significance_weighted(frequencies, observed_frequency, observed, q_any);
  for (FragmentScore& s : ranking) {
    const chance::CultureChance& c = tested[s.fragment];
    s.chance_observed = c.observed;
    s.chance_expected = c.expected;
    s.chance_frequency = c.observed_frequency;
    s.chance_expected_frequency = c.expected_frequency;
    s.chance_p = c.p;
    s.chance_q = c.q;
    if (!(c.q < fdr)) s.confidence = "none";
  }
  // Cultures whose evidence stands out from chance first, each group in score order.
  std::stable_sort(ranking.begin(), ranking.end(), [&](const FragmentScore& a, const FragmentScore& b) {
    return (a.chance_q < fdr) && !(b.chance_q < fdr);
  });
  for (std::size_t i = 0; i < ranking.size(); ++i) ranking[i].rank = static_cast<int>(i + 1);
}

std::vector<DesignSlot> design_screen(const std::vector<Neoantigen>& neoantigens,
                                      const std::vector<Evidence>& evidence,
                                      const std::vector<FragmentScore>& ranking,
                                      const ClonotypeTable& table, const ModelParams& params) {
  // Priority: the neoantigen's contribution to the scores of the top cultures (those with a
  // positive score among the first design_top_cultures).
  std::vector<double> priority(neoantigens.size(), 0.0);
  std::vector<std::vector<std::string>> cultures(neoantigens.size());
  const std::size_t top = std::min<std::size_t>(ranking.size(), static_cast<std::size_t>(
                                                                     std::max(0, params.design_top_cultures)));
  for (std::size_t r = 0; r < top; ++r) {
    if (ranking[r].score <= 0) break;
    for (const auto& [n, v] : ranking[r].by_neoantigen) {
      priority[n] += v;
      cultures[n].push_back(table.fragments[ranking[r].fragment].id);
    }
  }
  std::vector<std::uint32_t> order(neoantigens.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (priority[a] != priority[b]) return priority[a] > priority[b];
    return neoantigens[a].weight > neoantigens[b].weight;
  });
  auto reason = [&](std::uint32_t n) {
    if (cultures[n].empty()) return std::string("weight only");
    std::string s = "evidence in ";
    for (std::size_t i = 0; i < cultures[n].size(); ++i) s += (i ? ", " : "") + cultures[n][i];
    return s;
  };

  std::vector<DesignSlot> out;
  // Tandem minigenes: every 25-mer in priority order, split into constructs of balanced size
  // close to tmg_size and within [tmg_min, tmg_max] whenever the total allows.
  std::vector<std::pair<std::uint32_t, const std::string*>> slots;
  for (std::uint32_t n : order)
    for (const std::string& m : neoantigens[n].minigenes) slots.emplace_back(n, &m);
  const std::size_t m = slots.size();
  if (m > 0) {
    const auto ceil_div = [](std::size_t a, std::size_t b) { return (a + b - 1) / b; };
    std::size_t constructs = ceil_div(m, static_cast<std::size_t>(params.tmg_size));
    constructs = std::max(constructs, ceil_div(m, static_cast<std::size_t>(params.tmg_max)));
    constructs = std::min(constructs, std::max<std::size_t>(1, m / static_cast<std::size_t>(params.tmg_min)));
    std::size_t next = 0;
    for (std::size_t c = 0; c < constructs; ++c) {
      const std::size_t size = m / constructs + (c < m % constructs ? 1 : 0);
      for (std::size_t k = 0; k < size; ++k, ++next) {
        const auto& [n, seq] = slots[next];
        out.push_back({"TMG" + std::to_string(c + 1), "tandem_minigene", static_cast<int>(k + 1), n, *seq,
                       priority[n], reason(n)});
      }
    }
  }
  // Peptide pools: MT epitopes that reference TCRs vouched for, in priority order, each once.
  std::vector<std::map<std::string, double>> epitopes(neoantigens.size());
  for (const Evidence& e : evidence) {
    if (e.route != Route::kReference) continue;
    double& best = epitopes[e.neoantigen][e.mt_epitope];
    best = std::max(best, e.score);
  }
  std::size_t placed = 0;
  for (std::uint32_t n : order) {
    std::vector<std::pair<std::string, double>> list(epitopes[n].begin(), epitopes[n].end());
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [pep, score] : list) {
      const std::size_t pool = placed / static_cast<std::size_t>(params.pool_size);
      const std::size_t slot = placed % static_cast<std::size_t>(params.pool_size);
      out.push_back({"PP" + std::to_string(pool + 1), "peptide_pool", static_cast<int>(slot + 1), n, pep,
                     priority[n], reason(n)});
      ++placed;
    }
  }
  return out;
}

}  // namespace tilmatch::rank
