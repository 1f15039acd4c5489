#include "io/csq.hpp"

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

}  // namespace tilmatch::io::detail
