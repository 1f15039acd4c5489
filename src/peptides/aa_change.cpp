#include "peptides/aa_change.hpp"

#include <charconv>

namespace tilmatch::peptides::detail {

std::string py_slice(std::string_view s, long begin, long end) {
  const long n = static_cast<long>(s.size());
  if (begin < 0) begin = 0;
  if (end > n) end = n;
  if (begin >= end) return {};
  return std::string(s.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin)));
}

std::optional<long> first_protein_position(std::string_view protein_position) {
  const auto dash = protein_position.find('-');
  const std::string_view first = protein_position.substr(0, dash);
  long value = 0;
  const auto [ptr, ec] = std::from_chars(first.data(), first.data() + first.size(), value);
  if (ec != std::errc() || ptr != first.data() + first.size() || first.empty()) return std::nullopt;
  return value;
}

namespace {

// pVACseq cuts at the first '*' when there is one, otherwise at the first 'X'.
std::string cut_at_stop(std::string_view residues, bool& cut) {
  for (const char stop : {'*', 'X'}) {
    const auto at = residues.find(stop);
    if (at != std::string_view::npos) {
      cut = true;
      return std::string(residues.substr(0, at));
    }
  }
  cut = false;
  return std::string(residues);
}

}  // namespace

std::optional<AminoAcidChange> parse_amino_acid_change(std::string_view amino_acids) {
  const auto slash = amino_acids.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  AminoAcidChange change;
  bool unused = false;
  change.wt = cut_at_stop(amino_acids.substr(0, slash), unused);
  change.mt = cut_at_stop(amino_acids.substr(slash + 1), change.stop_codon_added);
  return change;
}

}  // namespace tilmatch::peptides::detail
