#include "rank/neoantigens.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "tilmatch/text.hpp"

namespace tilmatch::rank {
namespace {

std::optional<double> expression_of(const VariantTranscript& v) {
  if (auto t = text::parse_double(v.transcript_expression)) return t;
  return text::parse_double(v.gene_expression);
}

}  // namespace

std::string protein_change(const VariantTranscript& v) {
  const std::string& aa = v.amino_acid_change;
  const auto slash = aa.find('/');
  std::string wt = slash == std::string::npos ? aa : aa.substr(0, slash);
  std::string mt = slash == std::string::npos ? "" : aa.substr(slash + 1);
  if (wt == "-") wt.clear();
  if (v.variant_type == VariantType::kFrameshift) return wt + v.protein_position + "fs";
  if (mt == "-" || mt.empty()) return wt + v.protein_position + "del";
  if (wt.empty()) return v.protein_position + "ins" + mt;
  return wt + v.protein_position + mt;
}

std::vector<Neoantigen> group_neoantigens(const std::vector<CandidatePeptides>& candidates,
                                          const ModelParams& params) {
  using Key = std::tuple<std::string, std::int64_t, std::string, std::string>;
  std::map<Key, std::size_t> index;
  std::vector<Neoantigen> out;
  std::vector<std::set<std::pair<std::string, std::string>>> pairs;
  std::vector<std::set<std::string>> minigenes_seen;
  for (const CandidatePeptides& c : candidates) {
    const VariantTranscript& v = c.variant;
    const Key key{v.chromosome_name, v.pos, v.reference, v.variant};
    auto [it, fresh] = index.emplace(key, out.size());
    if (fresh) {
      Neoantigen n;
      n.gene = v.gene_name;
      n.change = protein_change(v);
      n.variant = v.chromosome_name + ":" + std::to_string(v.pos) + " " + v.reference + ">" + v.variant;
      n.variant_type = std::string(to_string(v.variant_type));
      n.tdna_vaf = v.tdna_vaf.value;
      n.trna_vaf = v.trna_vaf.value;
      n.trna_depth = v.trna_depth.value;
      out.push_back(std::move(n));
      pairs.emplace_back();
      minigenes_seen.emplace_back();
    }
    const std::size_t i = it->second;
    Neoantigen& n = out[i];
    n.candidate_keys.push_back(v.index);
    if (auto e = expression_of(v); e && (!n.expression || *e > *n.expression)) n.expression = e;
    for (const auto& p : c.epitopes) pairs[i].insert(p);
    for (const std::string& m : c.minigenes) {
      if (minigenes_seen[i].insert(m).second) n.minigenes.push_back(m);
    }
  }
  std::map<std::string, int> used;
  for (std::size_t i = 0; i < out.size(); ++i) {
    Neoantigen& n = out[i];
    n.epitope_pairs.assign(pairs[i].begin(), pairs[i].end());
    std::set<std::string> mts;
    for (const auto& p : n.epitope_pairs) mts.insert(p.first);
    n.mt_epitopes.assign(mts.begin(), mts.end());
    std::string id = (n.gene.empty() ? std::string("variant") : n.gene) + "." + n.change;
    const int seen = ++used[id];
    if (seen > 1) {
      id += '.';
      id += std::to_string(seen);
    }
    n.id = std::move(id);
    n.clonality = clonality_factor(n.tdna_vaf, params);
    n.expressed = expression_factor(n.expression, n.trna_vaf, n.trna_depth, params);
    n.weight = n.clonality * n.expressed;
  }
  return out;
}

}  // namespace tilmatch::rank
