// Minigenes: tilmatch's own rule (docs/peptides.md), built on the same Amino_acids parsing as the
// windows.
#include <algorithm>
#include <string>
#include <vector>

#include "peptides/aa_change.hpp"
#include "peptides/peptides.hpp"

namespace tilmatch::peptides {
namespace {

bool standard_residues_only(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::string_view("ACDEFGHIKLMNPQRSTVWY").find(c) != std::string_view::npos;
  });
}

// The mutant protein and the half-open range of its changed residues.
struct Mutant {
  std::string protein;
  long begin = 0;
  long end = 0;
};

std::optional<Mutant> inframe_mutant(const VariantTranscript& v) {
  const auto change = detail::parse_amino_acid_change(v.amino_acid_change);
  const auto first = detail::first_protein_position(v.protein_position);
  if (!change || !first) return std::nullopt;
  const std::string& wt_protein = v.wildtype_protein;
  std::string wt = change->wt == "-" ? std::string() : change->wt;
  std::string mt = change->mt == "-" ? std::string() : change->mt;
  const long position = change->wt == "-" ? *first : *first - 1;
  const long n = static_cast<long>(wt_protein.size());
  if (position < 0 || position > n || (position == n && !wt.empty())) return std::nullopt;
  if (wt_protein.compare(static_cast<std::size_t>(position), wt.size(), wt) != 0) return std::nullopt;

  Mutant m;
  m.protein = wt_protein.substr(0, static_cast<std::size_t>(position)) + mt;
  if (!change->stop_codon_added) m.protein += wt_protein.substr(static_cast<std::size_t>(position) + wt.size());
  // Residues Amino_acids repeats unchanged on both sides (e.g. "YP/YS") are not mutated.
  std::size_t prefix = 0;
  while (prefix < wt.size() && prefix < mt.size() && wt[prefix] == mt[prefix]) ++prefix;
  std::size_t suffix = 0;
  if (!change->stop_codon_added) {
    while (suffix < wt.size() - prefix && suffix < mt.size() - prefix &&
           wt[wt.size() - 1 - suffix] == mt[mt.size() - 1 - suffix]) {
      ++suffix;
    }
  }
  m.begin = position + static_cast<long>(prefix);
  m.end = position + static_cast<long>(mt.size() - suffix);
  // A change that leaves the protein as it was (or only truncates it) has nothing to present.
  if (m.begin == m.end && (wt.size() == mt.size() || change->stop_codon_added)) return std::nullopt;
  return m;
}

Minigene cut(const std::string& protein, long begin, long end, long mut_begin, long mut_end, int tile) {
  Minigene g;
  g.sequence = protein.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin));
  g.tile = tile;
  g.mutation_begin = static_cast<int>(std::clamp(mut_begin, begin, end) - begin);
  g.mutation_end = static_cast<int>(std::clamp(mut_end, begin, end) - begin);
  return g;
}

}  // namespace

std::vector<Minigene> make_minigenes(const VariantTranscript& v, const MinigeneOptions& options) {
  std::vector<Minigene> out;
  const long length = options.length;
  if (length < 1 || length % 2 == 0) return out;
  const long flank = (length - 1) / 2;

  if (v.variant_type == VariantType::kFrameshift) {
    std::string fs = v.frameshift_protein;
    fs = fs.substr(0, fs.find('*'));
    const std::string& wt = v.wildtype_protein;
    long novel = 0;
    while (novel < static_cast<long>(std::min(wt.size(), fs.size())) && wt[novel] == fs[novel]) ++novel;
    const long end = static_cast<long>(fs.size());
    if (novel >= end) return out;
    const long first_start = std::max(0L, novel - flank);
    std::vector<long> starts;
    if (end - first_start <= length) {
      starts.push_back(std::max(0L, end - length));
    } else {
      const long step = length - flank;
      long start = first_start;
      for (; start + length < end; start += step) starts.push_back(start);
      starts.push_back(end - length);
    }
    int tile = 1;
    for (const long start : starts) {
      const long stop = std::min(end, start + length);
      Minigene g = cut(fs, start, stop, novel, end, tile++);
      if (!standard_residues_only(g.sequence)) return {};
      out.push_back(std::move(g));
    }
    return out;
  }

  const auto m = inframe_mutant(v);
  if (!m) return out;
  const long n = static_cast<long>(m->protein.size());
  const long target = (m->end - m->begin) + 2 * flank;
  long begin = m->begin - flank;
  if (begin + target > n) begin = n - target;
  begin = std::max(0L, begin);
  const long end = std::min(n, begin + target);
  Minigene g = cut(m->protein, begin, end, m->begin, m->end, 1);
  if (!standard_residues_only(g.sequence)) return out;
  out.push_back(std::move(g));
  return out;
}

}  // namespace tilmatch::peptides
