#include "screen/next_round.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

#include "tilmatch/text.hpp"

namespace tilmatch::screen {
namespace {

constexpr std::string_view kDesignPrefix = "DX";

std::string percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g%%", 100.0 * fraction);
  return buf;
}

/// n of an id `DX<n>` or `DX<n>.<anything>`, else 0.
long design_number(const std::string& id) {
  if (id.rfind(kDesignPrefix, 0) != 0) return 0;
  std::string_view rest = std::string_view(id).substr(kDesignPrefix.size());
  rest = rest.substr(0, rest.find('.'));
  const auto n = text::parse_int(rest);
  return n && *n > 0 && rest.find_first_not_of("0123456789") == std::string_view::npos ? static_cast<long>(*n) : 0;
}

bool holds_minigenes(ConstructKind kind) {
  return kind == ConstructKind::kTandemMinigene || kind == ConstructKind::kMinigene;
}

/// The smallest r with r * r >= m.
std::size_t ceil_sqrt(std::size_t m) {
  std::size_t r = static_cast<std::size_t>(std::sqrt(static_cast<double>(m)));
  while (r * r < m) ++r;
  while (r > 1 && (r - 1) * (r - 1) >= m) --r;
  return r;
}

/// The slots of an ambiguous construct still in question in some fragment, construct order.
struct Candidate {
  std::string neoantigen;
  std::string sequence;
};

void add_construct(NextRound& out, std::string id, ConstructKind kind, const std::vector<Candidate>& members,
                   const std::string& reason) {
  Construct c;
  c.id = std::move(id);
  c.kind = kind;
  const char* kind_name = kind == ConstructKind::kTandemMinigene ? "tandem_minigene" : "peptide_pool";
  for (std::size_t i = 0; i < members.size(); ++i) {
    c.neoantigens.push_back(members[i].neoantigen);
    c.sequences.push_back(members[i].sequence);
    out.design.push_back({c.id, kind_name, static_cast<int>(i + 1), members[i].neoantigen, members[i].sequence, reason});
  }
  out.constructs.push_back(std::move(c));
}

void plan_fragments(const std::vector<TrackedFragment>& tracked, const NextRoundParams& params, NextRound& out) {
  std::vector<const TrackedFragment*> pick;
  for (const TrackedFragment& t : tracked) {
    if (!std::isfinite(t.reactive_frequency))
      throw std::invalid_argument("plan_next_round: fragment '" + t.fragment_id + "' has a non-finite frequency");
    if (!t.screened && t.reactive_frequency > params.min_tracked_frequency) pick.push_back(&t);
  }
  std::sort(pick.begin(), pick.end(), [](const TrackedFragment* a, const TrackedFragment* b) {
    if (a->reactive_frequency != b->reactive_frequency) return a->reactive_frequency > b->reactive_frequency;
    return a->fragment_id < b->fragment_id;
  });
  for (const TrackedFragment* t : pick) {
    NextStep step;
    step.kind = NextStepKind::kScreenFragment;
    step.subject = t->fragment_id;
    step.reason = "not screened; clonotypes found reactive in the screen make up " + percent(t->reactive_frequency) +
                  " of it";
    out.steps.push_back(std::move(step));
  }
}

void plan_deconvolution(const Deconvolution& d, const std::vector<Construct>& constructs,
                        const NextRoundParams& params, NextRound& out) {
  long next = 0;
  std::map<std::string, std::size_t> index;
  for (std::size_t c = 0; c < constructs.size(); ++c) {
    next = std::max(next, design_number(constructs[c].id));
    index.emplace(constructs[c].id, c);
  }
  // Ambiguous fragments and candidate sequences per construct.
  std::vector<std::vector<std::string>> fragments(constructs.size());
  std::vector<std::vector<std::string>> explained(constructs.size());  // fragments where it is explained
  std::vector<std::set<std::string>> open(constructs.size());
  std::vector<std::vector<std::string>> one_reading(constructs.size());  // fragments resting on one reading
  std::set<std::pair<std::string, std::string>> resolved;  // (fragment, neoantigen) reactive
  for (const NeoantigenCall& nc : d.neoantigen_calls)
    if (nc.status == ReactivityStatus::kReactive) resolved.emplace(nc.fragment_id, nc.neoantigen);
  for (const PositiveConstruct& p : d.positives) {
    if (p.resolution != Resolution::kAmbiguous) continue;
    const auto it = index.find(p.construct);
    if (it == index.end())
      throw std::invalid_argument("plan_next_round: construct '" + p.construct + "' is not among the constructs");
    fragments[it->second].push_back(p.fragment_id);
    if (p.one_reading) one_reading[it->second].push_back(p.fragment_id + " (" + p.positive_assays.front() + ")");
    if (std::any_of(p.neoantigens.begin(), p.neoantigens.end(),
                    [&](const std::string& n) { return resolved.count({p.fragment_id, n}) > 0; }))
      explained[it->second].push_back(p.fragment_id);
    for (const Member& m : p.candidates) open[it->second].insert(m.sequence);
  }
  // A member designed alone for one construct is not designed alone again for another that shares
  // it (one well answers both): (kind, neoantigen, sequence) -> its construct id.
  std::map<std::tuple<ConstructKind, std::string, std::string>, std::string> alone;
  // Constructs left unexplained somewhere first; those only explained after, for further reactivities.
  std::vector<std::size_t> order;
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t c = 0; c < constructs.size(); ++c)
      if (!fragments[c].empty() && (fragments[c].size() > explained[c].size()) == (pass == 0)) order.push_back(c);
  for (std::size_t c : order) {
    const Construct& con = constructs[c];
    std::vector<Candidate> candidates;
    std::set<std::string> seen;
    std::vector<std::string> neoantigens;
    for (std::size_t s = 0; s < con.sequences.size(); ++s) {
      if (!open[c].count(con.sequences[s]) || !seen.insert(con.sequences[s]).second) continue;
      candidates.push_back({con.neoantigens[s], con.sequences[s]});
      if (std::find(neoantigens.begin(), neoantigens.end(), con.neoantigens[s]) == neoantigens.end())
        neoantigens.push_back(con.neoantigens[s]);
    }
    const bool minigenes = holds_minigenes(con.kind);
    const std::string what = minigenes ? "minigenes" : "peptides";
    const std::string in = text::join(fragments[c], ", ");
    NextStep step;
    step.kind = NextStepKind::kDeconvolve;
    step.subject = con.id;
    step.fragments = fragments[c];
    const std::string what_n = candidates.size() == 1 ? what.substr(0, what.size() - 1) : what;
    step.reason = "positive in " + in + " with " + std::to_string(candidates.size()) + " " + what_n + " of " +
                  text::join(neoantigens, ", ") + " not cleared";
    if (!one_reading[c].empty())
      step.reason += " (in " + text::join(one_reading[c], ", ") +
                     " a resolution by elimination on one reading: the member alone confirms or clears it)";
    if (!explained[c].empty())
      step.reason += " (in " + text::join(explained[c], ", ") +
                     " already explained by a resolved neoantigen: there it looks for further reactivities)";
    const std::size_t m = candidates.size();
    if (m < 2 && one_reading[c].empty()) {
      step.reason += "; they share one sequence, which no test can split";
      out.steps.push_back(std::move(step));
      continue;
    }
    const ConstructKind kind = minigenes ? ConstructKind::kTandemMinigene : ConstructKind::kPeptidePool;
    if (m <= static_cast<std::size_t>(params.max_individual)) {
      step.reason += m == 1 ? ": test it alone" : ": test each alone";
      std::vector<std::string> shared;
      const bool any_new = std::any_of(candidates.begin(), candidates.end(), [&](const Candidate& x) {
        return !alone.count({kind, x.neoantigen, x.sequence});
      });
      const std::string dx = any_new ? std::string(kDesignPrefix) + std::to_string(++next) : std::string();
      const std::string why = dx + " deconvolves " + con.id + " (ambiguous in " + in + ")";
      int made = 0;
      for (std::size_t i = 0; i < m; ++i) {
        const auto [at, added] = alone.try_emplace({kind, candidates[i].neoantigen, candidates[i].sequence},
                                                   dx + (minigenes ? ".M" : ".P") + std::to_string(made + 1));
        if (added) {
          ++made;
          add_construct(out, at->second, kind, {candidates[i]},
                        why + ": " + what.substr(0, what.size() - 1) + " " + std::to_string(i + 1) + " of " +
                            std::to_string(m) + " alone");
        } else {
          shared.push_back(at->second);
        }
        step.constructs.push_back(at->second);
      }
      if (!shared.empty()) step.reason += " (" + text::join(shared, ", ") + " already designed above)";
    } else {
      const std::string dx = std::string(kDesignPrefix) + std::to_string(++next);
      const std::string why = dx + " deconvolves " + con.id + " (ambiguous in " + in + ")";
      // Candidate i sits in row i / cols, column i % cols: one cell each.
      const std::size_t rows = ceil_sqrt(m), cols = (m + rows - 1) / rows;
      const std::string shape = std::to_string(rows) + " x " + std::to_string(cols);
      step.reason += ": " + shape + " matrix of pools; a single reactive member is the one in the positive row and column";
      for (std::size_t r = 0; r < rows; ++r) {
        std::vector<Candidate> row;
        for (std::size_t i = r * cols; i < std::min(m, (r + 1) * cols); ++i) row.push_back(candidates[i]);
        const std::string id = dx + ".R" + std::to_string(r + 1);
        add_construct(out, id, kind, row, why + ": row " + std::to_string(r + 1) + " of a " + shape + " matrix");
        step.constructs.push_back(id);
      }
      for (std::size_t col = 0; col < cols; ++col) {
        std::vector<Candidate> column;
        for (std::size_t i = col; i < m; i += cols) column.push_back(candidates[i]);
        const std::string id = dx + ".C" + std::to_string(col + 1);
        add_construct(out, id, kind, column, why + ": column " + std::to_string(col + 1) + " of a " + shape + " matrix");
        step.constructs.push_back(id);
      }
    }
    out.steps.push_back(std::move(step));
  }
}

void plan_untested(const Deconvolution& d, const std::vector<Construct>& constructs, NextRound& out) {
  std::map<std::pair<std::string, std::string>, ConstructResult> result;
  for (const ConstructCall& c : d.calls) result.emplace(std::pair(c.fragment_id, c.construct), c.result);
  std::map<std::string, std::vector<std::string>> holders;  // neoantigen -> constructs listing it
  for (const Construct& c : constructs)
    for (const std::string& n : c.neoantigens) {
      std::vector<std::string>& h = holders[n];
      if (h.empty() || h.back() != c.id) h.push_back(c.id);
    }
  // Neoantigen calls are fragment-major: gather each neoantigen's calls across fragments.
  std::map<std::string, std::vector<const NeoantigenCall*>> calls;
  for (const NeoantigenCall& nc : d.neoantigen_calls) calls[nc.neoantigen].push_back(&nc);
  for (const std::string& n : d.neoantigens) {
    bool untested = true, any_conclusive = false;
    int most_cleared = 0, minigenes = 0, peptides_cleared = 0;
    std::vector<std::string> tested_with, tested_in;
    for (const NeoantigenCall* nc : calls[n]) {
      if (nc->status != ReactivityStatus::kNotTested) untested = false;
      minigenes = nc->minigenes;
      most_cleared = std::max(most_cleared, nc->minigenes_cleared);
      peptides_cleared = std::max(peptides_cleared, nc->peptides_cleared);
      for (const std::string& c : nc->constructs) {
        if (result.at({nc->fragment_id, c}) != ConstructResult::kInconclusive) any_conclusive = true;
        if (std::find(tested_with.begin(), tested_with.end(), c) == tested_with.end()) tested_with.push_back(c);
      }
      if (!nc->constructs.empty()) tested_in.push_back(nc->fragment_id);
    }
    if (!untested) continue;
    NextStep step;
    step.kind = NextStepKind::kTestNeoantigen;
    step.subject = n;
    const auto h = holders.find(n);
    if (h == holders.end()) {
      step.reason = "in no construct of the screen";
    } else if (tested_with.empty()) {
      step.reason = "in " + text::join(h->second, ", ") + ", which no fragment was tested with";
    } else if (!any_conclusive) {
      step.reason = "tested with " + text::join(tested_with, ", ") + " in " + text::join(tested_in, ", ") +
                    " without a conclusive call";
    } else if (minigenes == 0) {
      step.reason = "only peptides tested (at most " + std::to_string(peptides_cleared) +
                    " cleared in one fragment); no construct holds its minigenes";
    } else {
      step.reason = "partly tested: at most " + std::to_string(most_cleared) + " of " + std::to_string(minigenes) +
                    " minigenes cleared in one fragment";
    }
    out.steps.push_back(std::move(step));
  }
}

}  // namespace

std::string_view next_step_name(NextStepKind kind) noexcept {
  switch (kind) {
    case NextStepKind::kScreenFragment: return "screen_fragment";
    case NextStepKind::kDeconvolve: return "deconvolve";
    case NextStepKind::kTestNeoantigen: return "test_neoantigen";
    case NextStepKind::kRepeatFragment: return "repeat_fragment";
  }
  return "screen_fragment";
}

NextRound plan_next_round(const Deconvolution& deconvolution, const std::vector<Construct>& constructs,
                          const std::vector<TrackedFragment>& tracked, const NextRoundParams& params,
                          const std::vector<FailedControl>& failed_controls) {
  if (params.max_individual < 1) throw std::invalid_argument("plan_next_round: max_individual must be >= 1");
  NextRound out;
  plan_fragments(tracked, params, out);
  for (const FailedControl& f : failed_controls) {
    NextStep step;
    step.kind = NextStepKind::kRepeatFragment;
    step.subject = f.fragment_id;
    step.reason = "positive control failed for " + text::join(f.assays, ", ") +
                  ": its negative calls there are control_failed, not negative; screen it again";
    out.steps.push_back(std::move(step));
  }
  plan_deconvolution(deconvolution, constructs, params, out);
  plan_untested(deconvolution, constructs, out);
  return out;
}

}  // namespace tilmatch::screen
