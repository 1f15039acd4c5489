#include "screen/deconvolution.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "tilmatch/error.hpp"

namespace tilmatch::screen {
namespace {

bool is_control_name(std::string_view construct) { return construct == "negative" || construct == "positive"; }

bool is_control(ConstructKind kind) {
  return kind == ConstructKind::kNegative || kind == ConstructKind::kPositive;
}

MemberKind member_kind(ConstructKind kind) {
  return kind == ConstructKind::kTandemMinigene || kind == ConstructKind::kMinigene ? MemberKind::kMinigene
                                                                                   : MemberKind::kPeptide;
}

template <class T>
void push_unique(std::vector<T>& v, const T& x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

template <class T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

template <class T>
void append(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

/// Ids in first-appearance order with their index.
class IdIndex {
 public:
  std::uint32_t add(const std::string& id) {
    const auto [it, inserted] = index_.try_emplace(id, static_cast<std::uint32_t>(ids_.size()));
    if (inserted) ids_.push_back(id);
    return it->second;
  }
  const std::uint32_t* find(const std::string& id) const {
    const auto it = index_.find(id);
    return it == index_.end() ? nullptr : &it->second;
  }
  const std::vector<std::string>& ids() const noexcept { return ids_; }

 private:
  std::unordered_map<std::string, std::uint32_t> index_;
  std::vector<std::string> ids_;
};

/// Every member of every construct, interned by (kind, sequence).
struct Members {
  std::vector<MemberKind> kind;
  std::vector<std::string> sequence;
  std::vector<std::vector<std::uint32_t>> neoantigens;  ///< neoantigen indices, ascending
  std::vector<std::vector<std::uint32_t>> of_construct;  ///< distinct members per construct, slot order
  std::vector<std::vector<std::uint32_t>> construct_neoantigens;  ///< per construct, ascending
  std::vector<std::vector<std::uint32_t>> minigenes_of;  ///< per neoantigen
  std::vector<std::vector<std::uint32_t>> peptides_of;   ///< per neoantigen
  std::vector<std::vector<std::uint32_t>> contained;     ///< per minigene: peptides within its sequence
};

/// Fills Members::contained: per minigene member, the peptide members whose sequence it contains.
void find_contained_peptides(Members& m) {
  m.contained.assign(m.kind.size(), {});
  for (std::uint32_t g = 0; g < m.kind.size(); ++g) {
    if (m.kind[g] != MemberKind::kMinigene) continue;
    for (std::uint32_t p = 0; p < m.kind.size(); ++p)
      if (m.kind[p] == MemberKind::kPeptide && m.sequence[g].find(m.sequence[p]) != std::string::npos)
        m.contained[g].push_back(p);
  }
}

Members intern_members(const std::vector<Construct>& constructs, IdIndex& neoantigens) {
  Members m;
  std::map<std::pair<MemberKind, std::string>, std::uint32_t> index;
  m.of_construct.resize(constructs.size());
  m.construct_neoantigens.resize(constructs.size());
  for (std::size_t c = 0; c < constructs.size(); ++c) {
    const Construct& con = constructs[c];
    if (is_control(con.kind)) continue;
    const MemberKind kind = member_kind(con.kind);
    for (std::size_t s = 0; s < con.neoantigens.size(); ++s) {
      if (con.sequences[s].empty())
        throw std::invalid_argument("deconvolve: construct '" + con.id + "' has a member without a sequence");
      const auto [it, inserted] =
          index.try_emplace({kind, con.sequences[s]}, static_cast<std::uint32_t>(m.kind.size()));
      if (inserted) {
        m.kind.push_back(kind);
        m.sequence.push_back(con.sequences[s]);
        m.neoantigens.emplace_back();
      }
      const std::uint32_t member = it->second;
      const std::uint32_t n = neoantigens.add(con.neoantigens[s]);
      push_unique(m.neoantigens[member], n);
      push_unique(m.of_construct[c], member);
    }
  }
  const std::size_t nn = neoantigens.ids().size();
  m.minigenes_of.resize(nn);
  m.peptides_of.resize(nn);
  for (std::uint32_t member = 0; member < m.kind.size(); ++member) {
    sort_unique(m.neoantigens[member]);
    for (std::uint32_t n : m.neoantigens[member])
      (m.kind[member] == MemberKind::kMinigene ? m.minigenes_of : m.peptides_of)[n].push_back(member);
  }
  for (std::size_t c = 0; c < constructs.size(); ++c) {
    for (std::uint32_t member : m.of_construct[c]) append(m.construct_neoantigens[c], m.neoantigens[member]);
    sort_unique(m.construct_neoantigens[c]);
  }
  return m;
}

/// Disjoint sets over neoantigen indices (path halving, union by lower index so roots are stable).
class Components {
 public:
  explicit Components(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
  std::uint32_t root(std::uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void join(std::uint32_t a, std::uint32_t b) {
    a = root(a);
    b = root(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::uint32_t> parent_;
};

/// The per-neoantigen evidence gathered in one fragment.
struct Gathered {
  std::vector<std::size_t> resolving;   ///< indices into the fragment's positive constructs
  std::vector<std::size_t> ambiguous;
};

}  // namespace

std::string_view reactivity_name(ReactivityStatus status) noexcept {
  switch (status) {
    case ReactivityStatus::kReactive: return "reactive";
    case ReactivityStatus::kNotReactive: return "not_reactive";
    case ReactivityStatus::kAmbiguous: return "ambiguous";
    case ReactivityStatus::kNotTested: return "not_tested";
  }
  return "not_tested";
}

std::string_view construct_result_name(ConstructResult result) noexcept {
  switch (result) {
    case ConstructResult::kPositive: return "positive";
    case ConstructResult::kNegative: return "negative";
    case ConstructResult::kInconclusive: return "inconclusive";
  }
  return "inconclusive";
}

std::string_view resolution_name(Resolution resolution) noexcept {
  switch (resolution) {
    case Resolution::kResolved: return "resolved";
    case Resolution::kAmbiguous: return "ambiguous";
    case Resolution::kUnexplained: return "unexplained";
  }
  return "unexplained";
}

std::vector<ConstructCall> combine_assays(const std::vector<ConstructOutcome>& outcomes) {
  std::vector<ConstructCall> calls;
  std::vector<char> positive, negative, inconclusive;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (const ConstructOutcome& o : outcomes) {
    if (is_control_name(o.construct)) continue;
    const auto [it, inserted] = index.try_emplace({o.fragment_id, o.construct}, calls.size());
    if (inserted) {
      calls.push_back({o.fragment_id, o.construct, ConstructResult::kInconclusive, {}, {}, {}, {}, {}});
      positive.push_back(0);
      negative.push_back(0);
      inconclusive.push_back(0);
    }
    const std::size_t i = it->second;
    ConstructCall& call = calls[i];
    append(call.lines, o.lines);
    switch (o.status) {
      case CallStatus::kPositive:
        positive[i] = 1;
        push_unique(call.positive_assays, o.assay);
        push_unique(call.compartments, o.compartment);
        break;
      case CallStatus::kNegative:
        negative[i] = 1;
        push_unique(call.negative_assays, o.assay);
        break;
      case CallStatus::kNoControl:
      case CallStatus::kControlFailed:
        inconclusive[i] = 1;
        push_unique(call.inconclusive_assays, o.assay);
        break;
      case CallStatus::kNotCalled:
        break;
    }
  }
  for (std::size_t i = 0; i < calls.size(); ++i) {
    ConstructCall& call = calls[i];
    if (positive[i]) {
      call.result = ConstructResult::kPositive;
    } else if (negative[i] && !inconclusive[i]) {
      call.result = ConstructResult::kNegative;
    }
    sort_unique(call.compartments);
    sort_unique(call.lines);
  }
  return calls;
}

Deconvolution deconvolve(const std::vector<Construct>& constructs,
                         const std::vector<ConstructOutcome>& outcomes,
                         const std::vector<std::string>& fragments,
                         const std::vector<std::string>& neoantigens, std::string_view readouts_file,
                         const DeconvolutionParams& params) {
  IdIndex construct_index;
  for (const Construct& c : constructs) {
    if (construct_index.find(c.id))
      throw std::invalid_argument("deconvolve: construct '" + c.id + "' is defined twice");
    if (c.sequences.size() != c.neoantigens.size())
      throw std::invalid_argument("deconvolve: construct '" + c.id + "' has " +
                                  std::to_string(c.neoantigens.size()) + " neoantigens but " +
                                  std::to_string(c.sequences.size()) + " sequences");
    construct_index.add(c.id);
  }
  for (const ConstructOutcome& o : outcomes) {
    if (is_control_name(o.construct) || construct_index.find(o.construct)) continue;
    const std::string where = o.lines.empty() ? std::string() : "line " + std::to_string(o.lines.front().line);
    throw InputError(std::string(readouts_file), where,
                     "construct '" + o.construct +
                         "' is neither a construct of the design, a minigene name, a peptide, "
                         "'negative' nor 'positive'");
  }

  IdIndex neo;
  for (const std::string& n : neoantigens) neo.add(n);
  Members members = intern_members(constructs, neo);
  if (params.clear_contained_peptides) find_contained_peptides(members);
  const std::size_t nn = neo.ids().size();

  IdIndex frag;
  for (const std::string& f : fragments) frag.add(f);
  std::vector<ConstructCall> calls;
  for (ConstructCall& call : combine_assays(outcomes)) {
    if (is_control(constructs[*construct_index.find(call.construct)].kind)) continue;
    frag.add(call.fragment_id);
    calls.push_back(std::move(call));
  }
  const auto call_key = [&](const ConstructCall& c) {
    return std::pair(*frag.find(c.fragment_id), *construct_index.find(c.construct));
  };
  std::stable_sort(calls.begin(), calls.end(),
                   [&](const ConstructCall& a, const ConstructCall& b) { return call_key(a) < call_key(b); });

  Deconvolution out;
  out.fragments = frag.ids();
  out.neoantigens = neo.ids();
  const auto neoantigen_ids = [&](const std::vector<std::uint32_t>& indices) {
    std::vector<std::string> ids;
    ids.reserve(indices.size());
    for (std::uint32_t n : indices) ids.push_back(neo.ids()[n]);
    return ids;
  };

  std::size_t next_call = 0;
  for (std::uint32_t f = 0; f < out.fragments.size(); ++f) {
    const std::size_t first_call = next_call;
    while (next_call < calls.size() && call_key(calls[next_call]).first == f) ++next_call;
    const auto construct_of = [&](std::size_t call) { return *construct_index.find(calls[call].construct); };

    std::vector<char> cleared(members.kind.size(), 0);
    for (std::size_t i = first_call; i < next_call; ++i)
      if (calls[i].result == ConstructResult::kNegative)
        for (std::uint32_t m : members.of_construct[construct_of(i)]) cleared[m] = 1;
    if (params.clear_contained_peptides)
      for (std::uint32_t m = 0; m < members.kind.size(); ++m)
        if (cleared[m] && members.kind[m] == MemberKind::kMinigene)
          for (std::uint32_t p : members.contained[m]) cleared[p] = 1;

    // Rule 3's check by assay: a member read negative in an assay by some construct of this fragment.
    std::map<std::string, std::vector<char>, std::less<>> negative_in;
    for (std::size_t i = first_call; i < next_call; ++i)
      for (const std::string& assay : calls[i].negative_assays) {
        std::vector<char>& seen = negative_in.try_emplace(assay, members.kind.size(), 0).first->second;
        for (std::uint32_t m : members.of_construct[construct_of(i)]) seen[m] = 1;
      }
    const auto agrees = [&](const ConstructCall& call, const std::vector<std::uint32_t>& candidates) {
      return std::any_of(call.positive_assays.begin(), call.positive_assays.end(), [&](const std::string& assay) {
        const auto it = negative_in.find(assay);
        return it == negative_in.end() ||
               std::any_of(candidates.begin(), candidates.end(), [&](std::uint32_t m) { return !it->second[m]; });
      });
    };

    // Positive constructs: candidates left after clearing (rule 3).
    const std::size_t first_positive = out.positives.size();
    std::vector<std::size_t> positive_call;
    std::vector<std::vector<std::uint32_t>> lefts;
    std::vector<int> readings(nn, 0);  // positive assays of the constructs resolving to each neoantigen
    for (std::size_t i = first_call; i < next_call; ++i) {
      if (calls[i].result != ConstructResult::kPositive) continue;
      PositiveConstruct p;
      p.fragment_id = out.fragments[f];
      p.construct = calls[i].construct;
      p.compartments = calls[i].compartments;
      p.positive_assays = calls[i].positive_assays;
      p.lines = calls[i].lines;
      std::vector<std::uint32_t> left, left_members;
      for (std::uint32_t m : members.of_construct[construct_of(i)]) {
        if (cleared[m]) continue;
        p.candidates.push_back({members.kind[m], members.sequence[m], neoantigen_ids(members.neoantigens[m])});
        append(left, members.neoantigens[m]);
        left_members.push_back(m);
      }
      sort_unique(left);
      p.neoantigens = neoantigen_ids(left);
      if (left.size() == 1 && !agrees(calls[i], left_members)) {
        p.resolution = Resolution::kUnexplained;
      } else if (left.size() == 1) {
        p.resolution = Resolution::kResolved;
        readings[left[0]] += static_cast<int>(p.positive_assays.size());
      } else if (left.size() >= 2) {
        p.resolution = Resolution::kAmbiguous;
      }
      positive_call.push_back(i);
      lefts.push_back(std::move(left));
      out.positives.push_back(std::move(p));
    }
    std::vector<Gathered> gathered(nn);
    std::vector<std::string> notes(nn);
    Components components(nn);
    for (std::size_t k = 0; k < lefts.size(); ++k) {
      PositiveConstruct& p = out.positives[first_positive + k];
      const std::vector<std::uint32_t>& left = lefts[k];
      const bool by_elimination = members.construct_neoantigens[construct_of(positive_call[k])].size() >= 2;
      if (p.resolution == Resolution::kResolved && by_elimination && readings[left[0]] < 2) {
        p.resolution = Resolution::kAmbiguous;
        p.one_reading = true;
        std::string& note = notes[left[0]];
        note += note.empty() ? "one reading: " : ", ";
        note += p.construct;
        note += " (" + p.positive_assays.front() + ") by elimination";
      }
      if (p.resolution == Resolution::kResolved) {
        gathered[left[0]].resolving.push_back(k);
      } else if (p.resolution == Resolution::kAmbiguous) {
        for (std::uint32_t n : left) {
          gathered[n].ambiguous.push_back(k);
          components.join(left[0], n);
        }
      }
    }

    // Per neoantigen (rule 4).
    for (std::uint32_t n = 0; n < nn; ++n) {
      NeoantigenCall nc;
      nc.fragment_id = out.fragments[f];
      nc.neoantigen = neo.ids()[n];
      nc.minigenes = static_cast<int>(members.minigenes_of[n].size());
      for (std::uint32_t m : members.minigenes_of[n]) nc.minigenes_cleared += cleared[m];
      for (std::uint32_t m : members.peptides_of[n]) nc.peptides_cleared += cleared[m];
      const Gathered& g = gathered[n];
      std::vector<std::size_t> behind;  // call indices
      if (!g.resolving.empty()) {
        nc.status = ReactivityStatus::kReactive;
        for (std::size_t k : g.resolving) {
          const PositiveConstruct& p = out.positives[first_positive + k];
          for (const Member& member : p.candidates) push_unique(nc.sequences, member.sequence);
          append(nc.compartments, p.compartments);
          behind.push_back(positive_call[k]);
        }
      } else if (!g.ambiguous.empty()) {
        nc.status = ReactivityStatus::kAmbiguous;
        const std::uint32_t root = components.root(n);
        for (std::uint32_t other = 0; other < nn; ++other)
          if (!gathered[other].ambiguous.empty() && components.root(other) == root)
            nc.candidates.push_back(neo.ids()[other]);
        for (std::size_t k : g.ambiguous) {
          append(nc.compartments, out.positives[first_positive + k].compartments);
          behind.push_back(positive_call[k]);
        }
        nc.note = std::move(notes[n]);
      } else {
        const bool all_cleared = nc.minigenes > 0 && nc.minigenes_cleared == nc.minigenes;
        nc.status = all_cleared ? ReactivityStatus::kNotReactive : ReactivityStatus::kNotTested;
        for (std::size_t i = first_call; i < next_call; ++i) {
          const std::size_t c = construct_of(i);
          const bool holds = std::binary_search(members.construct_neoantigens[c].begin(),
                                                members.construct_neoantigens[c].end(), n);
          if (!holds) continue;
          if (all_cleared) {
            const bool clears_minigene =
                calls[i].result == ConstructResult::kNegative &&
                std::any_of(members.of_construct[c].begin(), members.of_construct[c].end(), [&](std::uint32_t m) {
                  return members.kind[m] == MemberKind::kMinigene &&
                         std::binary_search(members.neoantigens[m].begin(), members.neoantigens[m].end(), n);
                });
            if (!clears_minigene) continue;
          }
          behind.push_back(i);
        }
      }
      for (std::size_t i : behind) {
        nc.constructs.push_back(calls[i].construct);
        append(nc.lines, calls[i].lines);
      }
      sort_unique(nc.compartments);
      sort_unique(nc.lines);
      out.neoantigen_calls.push_back(std::move(nc));
    }
  }
  out.calls = std::move(calls);
  return out;
}

}  // namespace tilmatch::screen
