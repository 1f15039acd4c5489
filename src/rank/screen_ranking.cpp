#include "rank/screen_ranking.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "names/gene_names.hpp"
#include "rank/params.hpp"
#include "rank/screen_summary.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::rank {
namespace {

bool contains(const std::vector<std::uint32_t>& sorted, std::uint32_t v) {
  return std::binary_search(sorted.begin(), sorted.end(), v);
}

/// A reactive clonotype's evidence in a culture is contradicted when the culture was tested for every
/// neoantigen it stands for and reacted to none of them.
bool contradicted(const ReactiveClonotype& r, const MeasuredReactivity& m) {
  if (r.neoantigens.empty()) return false;
  for (std::uint32_t n : r.neoantigens)
    if (!contains(m.cleared, n) || contains(m.reactive, n)) return false;
  return true;
}

void insert_sorted(std::vector<std::uint32_t>& v, std::uint32_t x) {
  auto it = std::lower_bound(v.begin(), v.end(), x);
  if (it == v.end() || *it != x) v.insert(it, x);
}

enum Tier { kMeasured = 0, kTracked = 1, kPublic = 2, kUnconfirmed = 3, kNoTier = 4 };
const char* tier_name(int t) {
  static const char* const kNames[] = {"measured", "tracked", "public", "unconfirmed", "none"};
  return kNames[t];
}

std::string percent(double fraction) { return text::format_fixed(100.0 * fraction, 2) + "%"; }

std::string neoantigen_list(const std::vector<std::uint32_t>& ids, const std::vector<Neoantigen>& neoantigens,
                            const char* sep) {
  std::string s;
  for (std::size_t i = 0; i < ids.size(); ++i) s += (i ? sep : "") + neoantigens[ids[i]].id;
  return s;
}

/// At most three ids, then how many more: reasons stay readable when a construct holds 16 minigenes.
std::string short_list(const std::vector<std::uint32_t>& ids, const std::vector<Neoantigen>& neoantigens) {
  if (ids.size() <= 3) return neoantigen_list(ids, neoantigens, "|");
  const std::vector<std::uint32_t> head(ids.begin(), ids.begin() + 3);
  return neoantigen_list(head, neoantigens, "|") + "|... (" + std::to_string(ids.size()) + " candidates)";
}

/// Resolved reactive neoantigens plus unresolved groups that share none of them (nor an earlier group).
int count_reactive(const MeasuredReactivity& m) {
  std::set<std::uint32_t> seen(m.reactive.begin(), m.reactive.end());
  int n = static_cast<int>(m.reactive.size());
  for (const auto& group : m.ambiguous) {
    if (std::none_of(group.begin(), group.end(), [&](std::uint32_t x) { return seen.count(x) > 0; })) ++n;
    seen.insert(group.begin(), group.end());
  }
  return n;
}

}  // namespace

bool same_beta_clonotype(const TcrView& a, const TcrView& b) {
  if (a.cdr3b != b.cdr3b) return false;
  return a.vb.empty() || b.vb.empty() || names::gene_without_allele(a.vb) == names::gene_without_allele(b.vb);
}

std::vector<TrackedReactivity> track_reactive(const ClonotypeTable& table,
                                              const std::vector<ReactiveClonotype>& reactive,
                                              const std::vector<TrackedHit>& hits,
                                              const std::vector<MeasuredReactivity>& measured, int radius) {
  // Closest reactive clonotype of each patient clonotype: (not identical, distance, reactive index).
  struct Closest {
    bool found = false, identical = false;
    int distance = 0;
    std::uint32_t reactive = kNone;
    auto key() const { return std::make_tuple(!identical, distance, reactive); }
  };
  std::vector<Closest> best(table.clonotypes.size());
  for (const TrackedHit& h : hits) {
    const Closest c{true, h.identical, h.distance, h.reactive};
    Closest& b = best[h.clonotype];
    if (!b.found || c.key() < b.key()) b = c;
  }
  std::vector<TrackedReactivity> out(table.fragments.size());
  for (const ClonotypeCount& cc : table.counts) {
    const Closest& c = best[cc.clonotype];
    const int d = c.distance;
    const std::uint32_t r = c.reactive;
    if (!c.found || cc.frequency <= 0) continue;
    TrackedReactivity& t = out[cc.fragment];
    const ReactiveClonotype& rc = reactive[r];
    insert_sorted(t.reactive, r);
    if (cc.fragment < measured.size() && contradicted(rc, measured[cc.fragment])) {
      t.contradicted_frequency += cc.frequency;
      continue;
    }
    if (c.identical) {
      t.frequency += cc.frequency;
      if (rc.compartment == screen::Compartment::kCd4) t.cd4_frequency += cc.frequency;
      if (rc.compartment == screen::Compartment::kCd8) t.cd8_frequency += cc.frequency;
      if (rc.neoantigens.size() == 1) {
        insert_sorted(t.neoantigens, rc.neoantigens.front());
      } else if (rc.neoantigens.size() > 1) {
        auto it = std::lower_bound(t.unresolved.begin(), t.unresolved.end(), rc.neoantigens);
        if (it == t.unresolved.end() || *it != rc.neoantigens) t.unresolved.insert(it, rc.neoantigens);
        insert_sorted(t.unresolved_reactive, r);
      }
    } else {
      t.neighbor_frequency += cc.frequency;
    }
    t.score += cc.frequency * distance_factor(d, radius);
  }
  return out;
}

std::vector<ScreenRank> rank_with_screen(const ClonotypeTable& table,
                                         const std::vector<FragmentScore>& public_ranking,
                                         const std::vector<MeasuredReactivity>& measured,
                                         const std::vector<TrackedReactivity>& tracked,
                                         const std::vector<ReactiveClonotype>& reactive,
                                         const std::vector<Neoantigen>& neoantigens) {
  const std::size_t nf = table.fragments.size();
  std::vector<const FragmentScore*> pub(nf, nullptr);
  for (const FragmentScore& s : public_ranking) pub[s.fragment] = &s;
  const MeasuredReactivity kNotScreened;
  const TrackedReactivity kNotTracked;
  std::set<std::string, std::less<>> proven_in;  // cultures whose sorts proved a reactive clonotype
  for (const ReactiveClonotype& r : reactive) proven_in.insert(r.fragment_id);

  struct Row {
    ScreenRank rank;
    int tier = kNoTier;
    double tracked_total = 0, tracked_score = 0, public_score = 0;
  };
  std::vector<Row> rows(nf);
  for (std::uint32_t f = 0; f < nf; ++f) {
    const MeasuredReactivity& m = f < measured.size() ? measured[f] : kNotScreened;
    const TrackedReactivity& t = f < tracked.size() ? tracked[f] : kNotTracked;
    Row& row = rows[f];
    row.rank.fragment = f;
    row.rank.reactive_neoantigens = count_reactive(m);
    row.tracked_total = t.frequency + t.neighbor_frequency;
    row.tracked_score = t.score;
    row.public_score = pub[f] ? pub[f]->score : 0.0;
    std::string& why = row.rank.reason;
    const bool single =
        row.rank.reactive_neoantigens > 0 && single_readings_only(m, proven_in.count(table.fragments[f].id) > 0);
    // Public evidence makes a tier when it stands out: with the chance model, q below --chance-fdr.
    const bool public_evidence = row.public_score > 0 && pub[f]->confidence != "none";
    // What the screen said of a culture ranked on other evidence.
    const auto note_screen = [&] {
      if (single) {
        why += "; screen: single readings only (" + std::to_string(m.ambiguous.size()) + " construct" +
               (m.ambiguous.size() > 1 ? "s" : "") + " positive in one assay each)";
      } else if (m.screened) {
        why += "; screened without a reactive call";
      }
    };
    if (row.rank.reactive_neoantigens > 0 && !single) {
      row.tier = kMeasured;
      why = "screen: reactive";
      if (!m.reactive.empty()) why += " to " + neoantigen_list(m.reactive, neoantigens, ", ");
      for (const auto& group : m.ambiguous) {
        if (std::any_of(group.begin(), group.end(), [&](std::uint32_t n) { return contains(m.reactive, n); }))
          continue;  // explained by a resolved reactivity
        why += "; unresolved among " + short_list(group, neoantigens);
      }
      if (!m.why.empty()) why += " (" + m.why + ")";
    } else if (t.frequency > 0) {
      row.tier = kTracked;
      why = "carries clonotypes proven reactive elsewhere:";
      for (std::size_t i = 0; i < t.reactive.size() && i < 3; ++i) {
        const ReactiveClonotype& rc = reactive[t.reactive[i]];
        why += std::string(i ? "," : "") + " " + rc.id + " (" + rc.fragment_id + ", " + rc.construct;
        if (!rc.neoantigens.empty()) why += ": " + short_list(rc.neoantigens, neoantigens);
        why += ")";
      }
      if (t.reactive.size() > 3) why += " and " + std::to_string(t.reactive.size() - 3) + " more";
      why += "; " + percent(t.frequency) + " identical, " + percent(t.neighbor_frequency) + " neighbours";
      note_screen();
    } else if (public_evidence) {
      row.tier = kPublic;
      why = "public-reference evidence only (" + pub[f]->confidence + ")";
      note_screen();
    } else if (single) {
      row.tier = kUnconfirmed;
      why = "screen: single readings only, each construct positive in one assay:";
      for (std::size_t g = 0; g < m.ambiguous.size(); ++g)
        why += std::string(g ? ";" : "") + " unresolved among " + short_list(m.ambiguous[g], neoantigens);
      why += " (no second reading, no proven clonotype: confirm)";
    } else if (row.public_score > 0) {
      why = "public-reference evidence not above chance";
      note_screen();
    } else {
      why = m.screened ? "screened: no reactivity" : "no evidence";
    }
    if (row.tier > kTracked && t.neighbor_frequency > 0)
      why += "; " + percent(t.neighbor_frequency) + " TCRdist neighbours of proven reactive clonotypes";
    if (t.contradicted_frequency > 0)
      why += "; " + percent(t.contradicted_frequency) + " of tracked clonotypes contradicted by its own screen";
    if (m.control_failed) why += "; a positive control failed";
    row.rank.tier = tier_name(row.tier);
    row.rank.confidence = row.tier == kMeasured      ? "high"
                          : row.tier == kTracked     ? "medium"
                          : row.tier == kUnconfirmed ? "low"
                          : row.tier == kPublic      ? pub[f]->confidence
                                                     : "none";
  }
  std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    if (a.tier != b.tier) return a.tier < b.tier;
    if (a.tier == kMeasured) {
      if (a.rank.reactive_neoantigens != b.rank.reactive_neoantigens)
        return a.rank.reactive_neoantigens > b.rank.reactive_neoantigens;
      if (a.tracked_total != b.tracked_total) return a.tracked_total > b.tracked_total;
    }
    if (a.tier <= kTracked && a.tracked_score != b.tracked_score) return a.tracked_score > b.tracked_score;
    if (a.public_score != b.public_score) return a.public_score > b.public_score;
    return table.fragments[a.rank.fragment].id < table.fragments[b.rank.fragment].id;
  });
  std::vector<ScreenRank> out;
  out.reserve(nf);
  for (Row& r : rows) {
    r.rank.rank = static_cast<int>(out.size() + 1);
    out.push_back(std::move(r.rank));
  }
  return out;
}

std::vector<DesignSlot> design_slots(const std::vector<screen::Construct>& constructs,
                                     const std::vector<Neoantigen>& neoantigens, const std::string& reason) {
  std::map<std::string, std::uint32_t> index;
  for (std::uint32_t n = 0; n < neoantigens.size(); ++n) index[neoantigens[n].id] = n;
  std::vector<DesignSlot> out;
  for (const screen::Construct& c : constructs) {
    const bool pool = c.kind == screen::ConstructKind::kPeptidePool || c.kind == screen::ConstructKind::kPeptide;
    for (std::size_t m = 0; m < c.sequences.size(); ++m)
      out.push_back({c.id, pool ? "peptide_pool" : "tandem_minigene", static_cast<int>(m + 1),
                     index.at(c.neoantigens[m]), c.sequences[m], std::numeric_limits<double>::quiet_NaN(),
                     reason.empty() ? "read back from " + c.file : reason});
  }
  return out;
}

}  // namespace tilmatch::rank
