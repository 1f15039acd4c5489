#pragma once
// Small hand-made screens for the deconvolution and next-round tests.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "screen/deconvolution.hpp"
#include "screen/model.hpp"

namespace tilmatch::screen::test {

/// `prefix` followed by `n`, e.g. numbered("N", 3) == "N3". (Built by appending: GCC 12 warns
/// falsely on "x" + std::to_string(n).)
inline std::string numbered(std::string_view prefix, long n) {
  std::string s(prefix);
  s += std::to_string(n);
  return s;
}

/// (neoantigen id, sequence) of one slot.
using Slot = std::pair<std::string, std::string>;

inline Construct construct(std::string id, ConstructKind kind, const std::vector<Slot>& slots) {
  Construct c;
  c.id = std::move(id);
  c.kind = kind;
  for (const auto& [n, s] : slots) {
    c.neoantigens.push_back(n);
    c.sequences.push_back(s);
  }
  return c;
}

inline Construct tmg(std::string id, const std::vector<Slot>& slots) {
  return construct(std::move(id), ConstructKind::kTandemMinigene, slots);
}

inline Construct pool(std::string id, const std::vector<Slot>& slots) {
  return construct(std::move(id), ConstructKind::kPeptidePool, slots);
}

inline ConstructOutcome outcome(std::string fragment, std::string construct, std::string assay, CallStatus status,
                                std::int64_t line = 0) {
  ConstructOutcome o;
  o.fragment_id = std::move(fragment);
  o.construct = std::move(construct);
  o.assay = std::move(assay);
  if (o.assay == "cd137_cd8") o.compartment = Compartment::kCd8;
  if (o.assay == "cd137_cd4" || o.assay == "ox40_cd4") o.compartment = Compartment::kCd4;
  o.status = status;
  if (line > 0) o.lines = {ReadoutPlace{0, line}};
  return o;
}

/// ELISpot outcomes of `fragment` for every construct, as a culture reacting to exactly the
/// sequences in `reactive` would give them: positive when the construct holds one, else negative.
inline std::vector<ConstructOutcome> simulate(const std::vector<Construct>& constructs, const std::string& fragment,
                                              const std::vector<std::string>& reactive) {
  std::vector<ConstructOutcome> out;
  for (const Construct& c : constructs) {
    const bool hit = std::any_of(c.sequences.begin(), c.sequences.end(), [&](const std::string& s) {
      return std::find(reactive.begin(), reactive.end(), s) != reactive.end();
    });
    out.push_back(outcome(fragment, c.id, "elispot_ifng", hit ? CallStatus::kPositive : CallStatus::kNegative));
  }
  return out;
}

/// `outcomes` with each outcome copied as a 4-1BB CD8 outcome of the same status: every construct read in
/// two assays (simulate's ELISpot alone is one reading, which cannot resolve by elimination).
inline std::vector<ConstructOutcome> read_twice(std::vector<ConstructOutcome> outcomes) {
  const std::size_t n = outcomes.size();
  for (std::size_t i = 0; i < n; ++i)
    outcomes.push_back(outcome(outcomes[i].fragment_id, outcomes[i].construct, "cd137_cd8", outcomes[i].status));
  return outcomes;
}

/// The call of `neoantigen` in `fragment`; fails the test when absent.
inline const NeoantigenCall& call_of(const Deconvolution& d, const std::string& fragment,
                                     const std::string& neoantigen) {
  for (const NeoantigenCall& c : d.neoantigen_calls)
    if (c.fragment_id == fragment && c.neoantigen == neoantigen) return c;
  ADD_FAILURE() << "no call for " << fragment << " x " << neoantigen;
  static const NeoantigenCall kNone;
  return kNone;
}

/// The neoantigens of `fragment` with status `status`, report order.
inline std::vector<std::string> with_status(const Deconvolution& d, const std::string& fragment,
                                            ReactivityStatus status) {
  std::vector<std::string> out;
  for (const NeoantigenCall& c : d.neoantigen_calls)
    if (c.fragment_id == fragment && c.status == status) out.push_back(c.neoantigen);
  return out;
}

}  // namespace tilmatch::screen::test
