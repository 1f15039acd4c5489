#include "screen/calls.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

namespace tilmatch::screen {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Wells {
  std::vector<double> values;
  std::vector<ReadoutPlace> lines;
};

// One fragment x assay: its controls and the constructs tested against them (map: sorted names).
struct Plate {
  Wells negative, positive;
  std::map<std::string, Wells, std::less<>> constructs;
};

void sort_by_line(Wells& w) {
  std::vector<std::size_t> order(w.lines.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return w.lines[x] < w.lines[y]; });
  Wells sorted;
  for (const std::size_t i : order) {
    sorted.values.push_back(w.values[i]);
    sorted.lines.push_back(w.lines[i]);
  }
  w = std::move(sorted);
}

double mean(const std::vector<double>& v) {
  if (v.empty()) return kNaN;
  double s = 0;
  for (const double x : v) s += x;
  return s / static_cast<double>(v.size());
}

double fold_of(double test, double control) {
  if (std::isnan(test) || std::isnan(control)) return kNaN;
  if (control == 0) return test > 0 ? kInf : kNaN;
  return test / control;
}

std::string line_text(const Readout& r) { return "readout line " + std::to_string(r.line); }

void check_preconditions(const std::vector<Readout>& readouts) {
  std::set<std::tuple<std::string_view, std::string_view, std::string_view, std::string_view>> seen;
  for (const auto& r : readouts) {
    if (!std::isfinite(r.value) || r.value < 0)
      throw std::invalid_argument(line_text(r) + ": value must be finite and >= 0");
    if (!seen.emplace(r.fragment_id, r.construct, r.assay, r.replicate).second)
      throw std::invalid_argument(line_text(r) + ": duplicate (fragment, construct, assay, replicate)");
  }
}

PositiveControlStatus check_positive(const Plate& plate, AssayKind kind, const CallParams& p) {
  if (plate.positive.values.empty() || kind == AssayKind::kOther) return PositiveControlStatus::kAbsent;
  const double pos = mean(plate.positive.values);
  const double floor = kind == AssayKind::kElispot ? p.elispot_positive_min_spots : p.flow_positive_min_percent;
  bool ok = pos >= floor;
  if (!plate.negative.values.empty()) ok = ok && pos >= p.positive_min_fold * mean(plate.negative.values);
  return ok ? PositiveControlStatus::kPassed : PositiveControlStatus::kFailed;
}

bool elispot_effect(const Call& c, const CallParams& p) {
  return c.fold >= p.elispot_min_fold && c.mean_test >= p.elispot_min_spots;
}

bool flow_effect(const Call& c, const CallParams& p) {
  return c.fold >= p.flow_min_fold && c.mean_test - c.mean_control >= p.flow_min_delta &&
         c.mean_test >= p.flow_min_percent;
}

}  // namespace

AssayKind assay_kind(std::string_view assay) noexcept {
  if (assay == "elispot_ifng") return AssayKind::kElispot;
  if (assay == "cd137_cd8" || assay == "cd137_cd4" || assay == "ox40_cd4") return AssayKind::kFlow;
  return AssayKind::kOther;
}

Compartment assay_compartment(std::string_view assay) noexcept {
  if (assay == "cd137_cd8") return Compartment::kCd8;
  if (assay == "cd137_cd4" || assay == "ox40_cd4") return Compartment::kCd4;
  return Compartment::kUnknown;
}

std::string_view to_string(CallRule rule) noexcept {
  switch (rule) {
    case CallRule::kDfrEq: return "dfr_eq";
    case CallRule::kDfr2x: return "dfr_2x";
    case CallRule::kFold: return "fold";
    case CallRule::kFlowFold: return "flow_fold";
    case CallRule::kNone: break;
  }
  return "none";
}

std::string_view to_string(PositiveControlStatus status) noexcept {
  switch (status) {
    case PositiveControlStatus::kPassed: return "passed";
    case PositiveControlStatus::kFailed: return "failed";
    case PositiveControlStatus::kAbsent: break;
  }
  return "absent";
}

namespace {

using Plates = std::map<std::pair<std::string, std::string>, Plate>;  // (fragment, assay), sorted

/// A plate's ELISpot constructs to be tested by DFR: their indices in the calls.
struct DfrGroup {
  const Plate* plate;
  std::vector<std::size_t> calls;
};

/// The readouts by plate, each plate's wells in line order: the output does not depend on the
/// order of `readouts`, and Westfall-Young aligns constructs' wells in the order the file lists
/// them (its replicate columns).
Plates plates_of(const std::vector<Readout>& readouts) {
  Plates plates;
  for (const auto& r : readouts) {
    Plate& plate = plates[{r.fragment_id, r.assay}];
    Wells& w = r.construct == kNegativeConstruct   ? plate.negative
               : r.construct == kPositiveConstruct ? plate.positive
                                                   : plate.constructs[r.construct];
    w.values.push_back(r.value);
    w.lines.push_back(r.place());
  }
  for (auto& [key, plate] : plates) {
    sort_by_line(plate.negative);
    sort_by_line(plate.positive);
    for (auto& [construct, wells] : plate.constructs) sort_by_line(wells);
  }
  return plates;
}

/// One construct's call before any test: its means, fold and wells, and the rule that will call
/// it (none when the assay is not called or the plate has no negative control).
Call construct_call(const std::pair<std::string, std::string>& key, const Plate& plate, const std::string& construct,
                    const Wells& wells, PositiveControlStatus positive, const CallParams& params) {
  const AssayKind kind = assay_kind(key.second);
  Call c;
  c.fragment_id = key.first;
  c.construct = construct;
  c.assay = key.second;
  c.assay_kind = kind;
  c.compartment = assay_compartment(key.second);
  c.positive_control = positive;
  c.n_test = wells.values.size();
  c.n_control = plate.negative.values.size();
  c.mean_test = mean(wells.values);
  c.mean_control = mean(plate.negative.values);
  c.fold = fold_of(c.mean_test, c.mean_control);
  c.statistic = c.mean_test - c.mean_control;
  c.p = c.q = c.min_p = kNaN;
  c.test_lines = wells.lines;
  c.control_lines = plate.negative.lines;
  c.positive_lines = plate.positive.lines;
  if (kind == AssayKind::kOther) {
    c.status = CallStatus::kNotCalled;
  } else if (plate.negative.values.empty()) {
    c.status = CallStatus::kNoControl;
  } else if (kind == AssayKind::kFlow) {
    c.rule = CallRule::kFlowFold;
  } else if (params.elispot_rule == ElispotRule::kFold) {
    c.rule = CallRule::kFold;
  } else {
    c.rule = params.elispot_rule == ElispotRule::kDfrEq ? CallRule::kDfrEq : CallRule::kDfr2x;
    c.min_p = dfr_min_p(c.n_test, c.n_control, params.dfr);
  }
  return c;
}

/// Westfall-Young within a plate: one family per number of test wells.
void test_westfall_young(const DfrGroup& group, const std::vector<std::size_t>& run, DfrNull null,
                         const CallParams& params, std::vector<Call>& calls) {
  std::map<std::size_t, std::vector<std::size_t>> families;  // by number of test wells
  for (const std::size_t i : run) families[calls[i].n_test].push_back(i);
  for (const auto& [n, members] : families) {
    std::vector<std::vector<double>> tests;
    for (const std::size_t i : members) tests.push_back(group.plate->constructs.at(calls[i].construct).values);
    const Call& first = calls[members.front()];
    const auto stream = stream_id(first.fragment_id + '\t' + first.assay + '\t' + std::to_string(n));
    const auto results = dfr_family(tests, group.plate->negative.values, null, params.dfr, stream);
    for (std::size_t j = 0; j < members.size(); ++j) {
      Call& c = calls[members[j]];
      c.statistic = results[j].statistic;
      c.p = results[j].p;
      c.q = results[j].p_adjusted;
    }
  }
}

/// The DFR tests of every plate's ELISpot constructs (a construct whose smallest attainable p
/// cannot pass falls back to the fold rule when allowed), then BH over the screen when asked.
void test_dfr(const std::vector<DfrGroup>& groups, std::size_t candidates, const CallParams& params,
              std::vector<Call>& calls) {
  // A lone reactive construct passes BH only with p <= fdr / M (M = the screen's ELISpot tests).
  const double reachable = params.multiplicity == Multiplicity::kBenjaminiHochberg
                               ? params.fdr / static_cast<double>(std::max<std::size_t>(1, candidates))
                               : params.fdr;
  const DfrNull null = params.elispot_rule == ElispotRule::kDfrEq ? DfrNull::kEqual : DfrNull::kTwofold;
  for (const DfrGroup& group : groups) {
    std::vector<std::size_t> run;
    for (const std::size_t i : group.calls) {
      Call& c = calls[i];
      if (params.elispot_fold_fallback && !(c.min_p <= reachable)) {
        c.rule = CallRule::kFold;
        c.fallback = true;
      } else {
        run.push_back(i);
      }
    }
    if (params.multiplicity == Multiplicity::kWestfallYoung) {
      test_westfall_young(group, run, null, params, calls);
      continue;
    }
    for (const std::size_t i : run) {
      Call& c = calls[i];
      const auto stream = stream_id(c.fragment_id + '\t' + c.assay + '\t' + c.construct);
      const DfrResult r =
          dfr_test(group.plate->constructs.at(c.construct).values, group.plate->negative.values, null, params.dfr, stream);
      c.statistic = r.statistic;
      c.p = r.p;
    }
  }
  if (params.multiplicity == Multiplicity::kBenjaminiHochberg) {
    std::vector<double> p(calls.size());
    for (std::size_t i = 0; i < calls.size(); ++i) p[i] = calls[i].p;
    const std::vector<double> q = benjamini_hochberg(p);
    for (std::size_t i = 0; i < calls.size(); ++i) calls[i].q = q[i];
  }
}

/// The status of a call whose rule has run.
CallStatus decide(const Call& c, const CallParams& params) {
  bool positive = false;
  switch (c.rule) {
    case CallRule::kDfrEq:
    case CallRule::kDfr2x: positive = c.q <= params.fdr && elispot_effect(c, params); break;
    case CallRule::kFold: positive = elispot_effect(c, params); break;
    case CallRule::kFlowFold: positive = flow_effect(c, params); break;
    case CallRule::kNone: break;
  }
  if (positive) return CallStatus::kPositive;
  if (c.positive_control == PositiveControlStatus::kFailed) return CallStatus::kControlFailed;
  return CallStatus::kNegative;
}

}  // namespace

std::vector<Call> call_screen(const std::vector<Readout>& readouts, const CallParams& params) {
  if (!(params.fdr > 0 && params.fdr <= 1)) throw std::invalid_argument("call_screen: fdr must lie in (0, 1]");
  check_preconditions(readouts);
  const Plates plates = plates_of(readouts);

  std::vector<Call> calls;
  std::vector<DfrGroup> dfr_groups;
  std::size_t elispot_candidates = 0;
  for (const auto& [key, plate] : plates) {
    const PositiveControlStatus positive = check_positive(plate, assay_kind(key.second), params);
    DfrGroup group{&plate, {}};
    for (const auto& [construct, wells] : plate.constructs) {
      Call c = construct_call(key, plate, construct, wells, positive, params);
      if (c.rule == CallRule::kDfrEq || c.rule == CallRule::kDfr2x) group.calls.push_back(calls.size());
      calls.push_back(std::move(c));
    }
    elispot_candidates += group.calls.size();
    if (!group.calls.empty()) dfr_groups.push_back(std::move(group));
  }
  test_dfr(dfr_groups, elispot_candidates, params, calls);

  for (Call& c : calls)
    if (c.rule != CallRule::kNone) c.status = decide(c, params);  // kNotCalled or kNoControl stay
  std::sort(calls.begin(), calls.end(), [](const Call& x, const Call& y) {
    return std::tie(x.fragment_id, x.construct, x.assay) < std::tie(y.fragment_id, y.construct, y.assay);
  });
  return calls;
}

}  // namespace tilmatch::screen
