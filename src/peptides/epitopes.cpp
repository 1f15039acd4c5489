// MT epitopes and their WT partners: pVACseq OutputParser.match_wildtype_and_mutant_entries
// (DefaultOutputParser), followed by execute()'s drop of MT epitopes equal to their WT partner.
#include <optional>
#include <string>
#include <vector>

#include "peptides/peptides.hpp"

namespace tilmatch::peptides {
namespace {

// Mutation Position as pVACseq's position_to_tuple reads it.
struct MutationPosition {
  bool na = true;
  int first = 0;
  std::optional<int> second;
};

MutationPosition parse_mutation_position(const std::string& text) {
  MutationPosition p;
  if (text == "NA" || text.empty()) return p;
  p.na = false;
  const auto dash = text.find('-');
  p.first = std::stoi(text.substr(0, dash));
  if (dash != std::string::npos) p.second = std::stoi(text.substr(dash + 1));
  return p;
}

std::string format_range(int a, int b) { return std::to_string(a) + "-" + std::to_string(b); }

int min_match_count(int length) { return (length + 1) / 2; }

int total_matches(const std::string& a, const std::string& b) {
  int n = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) n += a[i] == b[i] ? 1 : 0;
  return n;
}

int consecutive_from_left(const std::string& a, const std::string& b) {
  int n = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size() && a[i] == b[i]; ++i) ++n;
  return n;
}

int consecutive_from_right(const std::string& a, const std::string& b) {
  int n = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size() && a[a.size() - 1 - i] == b[b.size() - 1 - i]; ++i) ++n;
  return n;
}

// 1-based first differing residue, 0 when none.
int find_mutation_position(const std::string& wt, const std::string& mt) {
  for (std::size_t i = 0; i < wt.size() && i < mt.size(); ++i) {
    if (wt[i] != mt[i]) return static_cast<int>(i) + 1;
  }
  return 0;
}

int aa_ins_change_len(const std::string& amino_acids) {
  const auto slash = amino_acids.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= amino_acids.size()) return 0;
  const std::string wt = amino_acids.substr(0, slash);
  const std::string mt = amino_acids.substr(slash + 1);
  const int diff = static_cast<int>(mt.size()) - static_cast<int>(wt.size());
  return wt[0] == mt[0] ? diff : diff + 1;
}

struct Row {
  std::string mt;
  std::optional<std::string> wt;   // nullopt = "NA"
  std::string mutation_position = "NA";
  std::optional<int> wt_position;  // 1-based WT epitope position matched
  bool right = false;              // match_direction == "right"
};

std::string ins_mut_position_from_previous(const Row& previous, const std::string& mt, int aal) {
  const auto p = parse_mutation_position(previous.mutation_position);
  if (p.na) return "NA";  // pVACseq would raise here; not reached on real data
  const int len = static_cast<int>(mt.size());
  if (p.second) {
    const int a = p.first;
    const int b = *p.second;
    if (b == len + 1 && aal > b - a + 1) return format_range(a - 1, b);
    if (a > 1) return format_range(a - 1, b - 1);
    if (b > 2) return format_range(1, b - 1);
    return "1";
  }
  if (p.first > 1) {
    if (aal > 1) {
      int end = (p.first - 1) + (aal - 1);
      if (end > len) end = len;
      return format_range(p.first - 1, end);
    }
    return std::to_string(p.first - 1);
  }
  return "1";
}

std::string find_ins_mut_position(const std::string& wt, const std::string& mt, int aal, bool right) {
  if (mt == wt) return "NA";
  const int len = static_cast<int>(mt.size());
  int start = 0;
  int end = 0;
  if (!right) {
    start = find_mutation_position(wt, mt);
    end = start + aal - 1;
  } else {
    // pVACseq counts this one from the right end but uses it as a position from the left.
    end = consecutive_from_right(mt, wt) + 1;
    start = end - aal + 1;
  }
  if (end > len) end = len;
  if (start < 1) start = 1;
  return start == end ? std::to_string(start) : format_range(start, end);
}

class Matcher {
 public:
  Matcher(const VariantTranscript& v, std::vector<std::string> wt_epitopes, int mt_count, int length)
      : v_(v), wt_(std::move(wt_epitopes)), mt_count_(mt_count), length_(length) {}

  const std::string* wt_at(int position) const {
    if (position < 1 || position > static_cast<int>(wt_.size())) return nullptr;
    return &wt_[static_cast<std::size_t>(position - 1)];
  }

  std::optional<std::string> if_enough_matches(const std::string& mt, const std::string& wt) const {
    const int matches = total_matches(mt, wt);
    if (matches > 0 && matches >= min_match_count(length_)) return wt;
    return std::nullopt;
  }

  void missense(Row& r, int position, const Row* previous) const {
    const std::string* wt = wt_at(position);
    if (!wt) return;  // pVACseq has no rule here (MT longer than WT cannot happen for missense)
    r.wt_position = position;
    r.wt = if_enough_matches(r.mt, *wt);
    if (r.mt == *wt) {
      r.mutation_position = "NA";
    } else if (previous) {
      const auto p = parse_mutation_position(previous->mutation_position);
      if (p.na) {
        r.mutation_position = std::to_string(find_mutation_position(*wt, r.mt));
      } else {
        r.mutation_position = std::to_string(p.first > 0 ? p.first - 1 : 0);
      }
    } else {
      r.mutation_position = std::to_string(find_mutation_position(*wt, r.mt));
    }
  }

  void frameshift(Row& r, int position, const Row* previous) const {
    const std::string* wt = wt_at(position);
    if (!wt) {
      r.wt.reset();
      r.wt_position.reset();
      const auto p = previous ? parse_mutation_position(previous->mutation_position) : MutationPosition{};
      if (p.na) {
        r.mutation_position = "NA";
      } else if (p.first == 1) {
        r.mutation_position = format_range(1, length_);
      } else {
        r.mutation_position = format_range(p.first - 1, length_);
      }
      return;
    }
    if (r.mt == *wt) {
      r.wt = *wt;
      r.mutation_position = "NA";
      r.wt_position.reset();
      return;
    }
    r.wt = if_enough_matches(r.mt, *wt);
    const int m = find_mutation_position(*wt, r.mt);
    r.mutation_position = m == length_ ? std::to_string(m) : format_range(m, length_);
    r.wt_position = position;
  }

  void inframe_indel(Row& r, int position, const Row* previous) const {
    const int aal = aa_ins_change_len(v_.amino_acid_change);
    if (previous && previous->right) {
      const int best = previous->wt_position.value_or(0) + 1;
      r.wt_position = best;
      r.right = true;
      r.mutation_position = ins_mut_position_from_previous(*previous, r.mt, aal);
      const std::string* wt = wt_at(best);
      r.wt = wt ? if_enough_matches(r.mt, *wt) : std::nullopt;
      return;
    }
    const std::string* baseline = wt_at(position);
    if (!baseline) {
      r.wt.reset();
      r.right = previous ? previous->right : false;
      if (!previous || previous->mutation_position == "NA" || previous->mutation_position == "1") {
        r.mutation_position = "NA";
      } else {
        r.mutation_position = ins_mut_position_from_previous(*previous, r.mt, aal);
      }
      return;
    }
    const int best_count = consecutive_from_left(r.mt, *baseline);
    const int wt_count = static_cast<int>(wt_.size());
    const int alternate = v_.variant_type == VariantType::kInframeIns ? position - (mt_count_ - wt_count)
                                                                      : position + (wt_count - mt_count_);
    int best = position;
    bool right = false;
    if (alternate > 0) {
      const std::string* alt = wt_at(alternate);
      if (alt && consecutive_from_right(r.mt, *alt) > best_count) {
        right = true;
        best = alternate;
      }
    }
    r.wt = if_enough_matches(r.mt, *wt_at(best));
    if (v_.variant_type == VariantType::kInframeIns) {
      const std::string found = find_ins_mut_position(*baseline, r.mt, aal, right);
      if (found == "NA") {
        r.mutation_position = "NA";
      } else if (!previous || previous->mutation_position == "NA") {
        r.mutation_position = found;
      } else {
        r.mutation_position = ins_mut_position_from_previous(*previous, r.mt, aal);
      }
    } else {
      const int m = find_mutation_position(*baseline, r.mt);
      r.mutation_position = format_range(m - 1, m);
    }
    r.right = right;
    r.wt_position = best;
  }

 private:
  const VariantTranscript& v_;
  std::vector<std::string> wt_;
  int mt_count_;
  int length_;
};

std::string mismatch_positions(const std::string& mt, const std::string& wt) {
  std::string out;
  for (std::size_t i = 0; i < mt.size() && i < wt.size(); ++i) {
    if (mt[i] == wt[i]) continue;
    if (!out.empty()) out += ", ";
    out += std::to_string(i + 1);
  }
  return out.empty() ? "NA" : out;
}

std::vector<std::string> all_kmers(const std::string& s, int length) {
  std::vector<std::string> out;
  const auto k = static_cast<std::size_t>(length);
  for (std::size_t i = 0; i + k <= s.size(); ++i) out.push_back(s.substr(i, k));
  return out;
}

}  // namespace

std::vector<EpitopePair> make_epitopes(const VariantTranscript& v, const WindowPair& windows, int length) {
  std::vector<EpitopePair> out;
  if (length <= 0) return out;
  const auto mt_kmers = all_kmers(windows.mt, length);
  auto wt_kmers = all_kmers(windows.wt, length);
  if (mt_kmers.empty() || wt_kmers.empty()) return out;
  const Matcher matcher(v, std::move(wt_kmers), static_cast<int>(mt_kmers.size()), length);

  std::vector<Row> rows(mt_kmers.size());
  for (std::size_t i = 0; i < mt_kmers.size(); ++i) {
    Row& r = rows[i];
    r.mt = mt_kmers[i];
    const Row* previous = i > 0 ? &rows[i - 1] : nullptr;
    const int position = static_cast<int>(i) + 1;
    switch (v.variant_type) {
      case VariantType::kMissense: matcher.missense(r, position, previous); break;
      case VariantType::kFrameshift: matcher.frameshift(r, position, previous); break;
      case VariantType::kInframeIns:
      case VariantType::kInframeDel: matcher.inframe_indel(r, position, previous); break;
    }
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Row& r = rows[i];
    if (r.wt && *r.wt == r.mt) continue;  // the MT epitope does not carry the mutation
    // The reported Mutation Position (pVACseq 6.x, checked against test_run's all_epitopes) lists
    // the residues that differ from the paired WT epitope; the chained positions above only drive
    // the pairing. Without a WT partner it is "NA", except for missense, which keeps the chain.
    if (r.wt) {
      r.mutation_position = mismatch_positions(r.mt, *r.wt);
    } else if (v.variant_type != VariantType::kMissense) {
      r.mutation_position = "NA";
    }
    EpitopePair e;
    e.mt = std::move(r.mt);
    e.wt = r.wt.value_or(std::string());
    e.length = length;
    e.position = static_cast<int>(i) + 1;
    e.mutation_position = std::move(r.mutation_position);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace tilmatch::peptides
