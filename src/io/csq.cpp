#include "io/csq.hpp"

#include <cstddef>

namespace tilmatch::io::detail {
namespace {

int find_field(const std::vector<std::string>& fields, std::string_view name) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i] == name) return static_cast<int>(i);
  }
  return -1;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<CsqLayout> parse_csq_description(std::string_view description) {
  constexpr std::string_view kMarker = "Format: ";
  auto at = description.find(kMarker);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view list = description.substr(at + kMarker.size());
  // HTSlib keeps the surrounding quotes of Description values.
  while (!list.empty() && (list.back() == '"' || list.back() == ' ')) list.remove_suffix(1);
  CsqLayout layout;
  std::size_t begin = 0;
  while (true) {
    auto bar = list.find('|', begin);
    layout.fields.emplace_back(list.substr(begin, bar == std::string_view::npos ? bar : bar - begin));
    if (bar == std::string_view::npos) break;
    begin = bar + 1;
  }
  const auto& f = layout.fields;
  layout.allele = find_field(f, "Allele");
  layout.consequence = find_field(f, "Consequence");
  layout.feature = find_field(f, "Feature");
  layout.symbol = find_field(f, "SYMBOL");
  layout.gene = find_field(f, "Gene");
  layout.protein_position = find_field(f, "Protein_position");
  layout.amino_acids = find_field(f, "Amino_acids");
  layout.biotype = find_field(f, "BIOTYPE");
  layout.tsl = find_field(f, "TSL");
  layout.wildtype_protein = find_field(f, "WildtypeProtein");
  layout.frameshift_sequence = find_field(f, "FrameshiftSequence");
  layout.codons = find_field(f, "Codons");
  layout.hgvsc = find_field(f, "HGVSc");
  layout.hgvsp = find_field(f, "HGVSp");
  layout.canonical = find_field(f, "CANONICAL");
  layout.mane_select = find_field(f, "MANE_SELECT");
  layout.flags = find_field(f, "FLAGS");
  return layout;
}

std::vector<std::string> missing_required_fields(const CsqLayout& layout) {
  std::vector<std::string> missing;
  const std::pair<const char*, int> required[] = {
      {"Allele", layout.allele},
      {"Consequence", layout.consequence},
      {"Feature", layout.feature},
      {"SYMBOL", layout.symbol},
      {"Gene", layout.gene},
      {"Protein_position", layout.protein_position},
      {"Amino_acids", layout.amino_acids},
      {"BIOTYPE", layout.biotype},
      {"TSL", layout.tsl},
      {"WildtypeProtein", layout.wildtype_protein},
      {"FrameshiftSequence", layout.frameshift_sequence},
  };
  for (const auto& [name, index] : required) {
    if (index < 0) missing.emplace_back(name);
  }
  return missing;
}

bool split_csq_entry(std::string_view entry, const CsqLayout& layout,
                     std::vector<std::string_view>& out) {
  out.clear();
  std::size_t begin = 0;
  while (true) {
    auto bar = entry.find('|', begin);
    if (bar == std::string_view::npos) {
      out.push_back(entry.substr(begin));
      break;
    }
    out.push_back(entry.substr(begin, bar - begin));
    begin = bar + 1;
  }
  return out.size() == layout.fields.size();
}

void split_csq_list(std::string_view value, const CsqLayout& layout,
                    std::vector<std::string_view>& entries, std::vector<std::string_view>& alleles) {
  entries.clear();
  alleles.clear();
  while (!value.empty() && value.back() == '\0') value.remove_suffix(1);
  std::size_t begin = 0;
  while (true) {
    auto comma = value.find(',', begin);
    std::string_view entry =
        value.substr(begin, comma == std::string_view::npos ? comma : comma - begin);
    // The Allele is the layout.allele-th '|'-separated field; found without splitting the rest.
    std::size_t start = 0;
    bool ok = true;
    for (int k = 0; k < layout.allele && ok; ++k) {
      auto bar = entry.find('|', start);
      if (bar == std::string_view::npos) {
        ok = false;
      } else {
        start = bar + 1;
      }
    }
    entries.push_back(entry);
    if (ok) {
      auto bar = entry.find('|', start);
      alleles.push_back(entry.substr(start, bar == std::string_view::npos ? bar : bar - start));
    } else {
      alleles.push_back(kNoAllele);
    }
    if (comma == std::string_view::npos) break;
    begin = comma + 1;
  }
}

std::string_view nth_csq_field(std::string_view entry, int index) {
  if (index < 0) return {};
  std::size_t start = 0;
  for (int k = 0; k < index; ++k) {
    auto bar = entry.find('|', start);
    if (bar == std::string_view::npos) return {};
    start = bar + 1;
  }
  auto bar = entry.find('|', start);
  return entry.substr(start, bar == std::string_view::npos ? bar : bar - start);
}

std::string decode_percent_hex(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_digit(s[i + 1]);
      int lo = hex_digit(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

/// vcfpy's allele type test for an insertion: one REF base that the longer ALT starts with.
bool is_clean_insertion(std::string_view ref, std::string_view alt) {
  return ref.size() == 1 && alt.size() > 1 && ref[0] == alt[0];
}

bool is_symbolic(std::string_view alt) {
  return alt.empty() || alt.front() == '<' || alt == "*" || alt.find('[') != std::string_view::npos ||
         alt.find(']') != std::string_view::npos || alt == ".";
}

bool is_acgtn(std::string_view allele) {
  for (char c : allele) {
    switch (c) {
      case 'A': case 'C': case 'G': case 'T': case 'N':
      case 'a': case 'c': case 'g': case 't': case 'n':
        break;
      default:
        return false;
    }
  }
  return true;
}

namespace {
char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

/// ASCII case-insensitive equality; `lower` is already lower case.
bool iequals(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (ascii_lower(s[i]) != lower[i]) return false;
  }
  return true;
}

/// ASCII case-insensitive search; `lower` is already lower case.
bool icontains(std::string_view s, std::string_view lower) {
  if (lower.size() > s.size()) return false;
  for (std::size_t i = 0; i + lower.size() <= s.size(); ++i) {
    if (iequals(s.substr(i, lower.size()), lower)) return true;
  }
  return false;
}

/// pVACseq's resolve_consequence.
std::optional<VariantType> resolve_consequence(std::string_view consequence, std::size_t ref_len,
                                               std::size_t alt_len) {
  char sep = 0;
  if (consequence.find('&') != std::string_view::npos) {
    sep = '&';
  } else if (consequence.find('.') != std::string_view::npos) {
    sep = '.';
  }
  bool start_lost = false, stop_retained = false, frameshift = false, missense = false;
  bool inframe_ins = false, inframe_del = false, protein_altering = false;
  auto note = [&](std::string_view term) {
    if (iequals(term, "start_lost")) start_lost = true;
    else if (iequals(term, "stop_retained_variant")) stop_retained = true;
    else if (iequals(term, "frameshift_variant")) frameshift = true;
    else if (iequals(term, "missense_variant")) missense = true;
    else if (iequals(term, "inframe_insertion")) inframe_ins = true;
    else if (iequals(term, "inframe_deletion")) inframe_del = true;
    else if (iequals(term, "protein_altering_variant")) protein_altering = true;
  };
  if (sep == 0) {
    note(consequence);
  } else {
    std::size_t begin = 0;
    while (true) {
      auto at = consequence.find(sep, begin);
      note(consequence.substr(begin, at == std::string_view::npos ? at : at - begin));
      if (at == std::string_view::npos) break;
      begin = at + 1;
    }
  }
  if (start_lost || stop_retained) return std::nullopt;
  if (frameshift) return VariantType::kFrameshift;
  if (missense) return VariantType::kMissense;
  if (inframe_ins) return VariantType::kInframeIns;
  if (inframe_del) return VariantType::kInframeDel;
  if (protein_altering) {
    if (ref_len > alt_len && (ref_len - alt_len) % 3 == 0) return VariantType::kInframeDel;
    if (alt_len > ref_len && (alt_len - ref_len) % 3 == 0) return VariantType::kInframeIns;
  }
  return std::nullopt;
}

std::string_view csq_allele_for(std::string_view ref, std::string_view alt) {
  if (alt.size() == ref.size()) return alt;
  if (alt.substr(0, 1) != ref.substr(0, 1)) return alt;
  if (alt.size() == 1) return "-";
  return alt.substr(1);
}

std::string_view protein_position_of(std::string_view protein_position) {
  auto slash = protein_position.find('/');
  if (slash == std::string_view::npos) return protein_position;
  std::string_view before = protein_position.substr(0, slash);
  if (before != "-") return before;
  std::string_view after = protein_position.substr(slash + 1);
  return after.substr(0, after.find('/'));
}

}  // namespace tilmatch::io::detail
