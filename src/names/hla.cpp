#include "names/hla.hpp"

#include <algorithm>

#include "tilmatch/error.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::names {
namespace {

constexpr std::size_t kMaxFields = 4;
constexpr std::size_t kMaxFieldDigits = 4;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
bool all_digits(std::string_view s) noexcept { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); }

bool starts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// Expression suffixes (null, low, secreted, cytoplasm, aberrant, questionable) and the G/P group letters.
bool is_suffix_letter(char c) noexcept { return std::string_view("NLSCAQGP").find(c) != std::string_view::npos; }

// Loci whose name ends in a one-digit number glued to the fields when written without a star.
bool is_numbered_class_ii_prefix(std::string_view letters) noexcept {
  return letters == "DRB" || letters == "DQA" || letters == "DQB" || letters == "DPA" || letters == "DPB";
}

/// Locus name check for the star form: letters then optional digits, and not a bare serological group.
std::optional<std::string> normalize_locus(std::string_view gene) {
  std::size_t i = 0;
  while (i < gene.size() && is_upper(gene[i])) ++i;
  if (i == 0 || !std::all_of(gene.begin() + static_cast<std::ptrdiff_t>(i), gene.end(), is_digit)) return std::nullopt;
  if (gene == "DR" || gene == "DQ" || gene == "DP") return std::nullopt;
  if (gene == "CW") return std::string("C");
  return std::string(gene);
}

std::string pad_field(std::string_view digits) {
  std::string f(digits);
  if (f.size() < 2) f.insert(0, 2 - f.size(), '0');
  return f;
}

/// Fields written with colons ("02:01:01:02", an optional suffix letter at the end).
std::optional<std::vector<std::string>> colon_fields(std::string_view s) {
  if (!s.empty() && is_suffix_letter(s.back())) s.remove_suffix(1);
  std::vector<std::string> fields;
  for (std::string_view part : text::split(s, ':')) {
    if (!all_digits(part) || part.size() > kMaxFieldDigits) return std::nullopt;
    fields.push_back(pad_field(part));
  }
  if (fields.empty() || fields.size() > kMaxFields) return std::nullopt;
  return fields;
}

/// Fields written as glued digit pairs ("0201", "02010102"); one or two digits make one field.
std::optional<std::vector<std::string>> compact_fields(std::string_view digits) {
  if (!all_digits(digits)) return std::nullopt;
  if (digits.size() <= 2) return std::vector<std::string>{pad_field(digits)};
  if (digits.size() % 2 != 0 || digits.size() > 2 * kMaxFields) return std::nullopt;
  std::vector<std::string> fields;
  for (std::size_t i = 0; i < digits.size(); i += 2) fields.emplace_back(digits.substr(i, 2));
  return fields;
}

std::optional<HlaAllele> make(std::optional<std::string> gene, std::optional<std::vector<std::string>> fields) {
  if (!gene || !fields) return std::nullopt;
  return HlaAllele{std::move(*gene), std::move(*fields)};
}

/// A name without '*' or '_': locus letters (plus the class II locus digit), then fields.
std::optional<HlaAllele> parse_unstarred(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_upper(s[i])) ++i;
  const std::string_view letters = s.substr(0, i);
  std::string_view rest = s.substr(i);
  if (letters.empty() || rest.empty() || !is_digit(rest.front())) return std::nullopt;
  std::string gene(letters);
  if (is_numbered_class_ii_prefix(letters)) {
    gene += rest.front();
    rest.remove_prefix(1);
    if (rest.empty()) return std::nullopt;
  }
  if (rest.find(':') != std::string_view::npos) return make(normalize_locus(gene), colon_fields(rest));
  if (!all_digits(rest)) return std::nullopt;
  const bool class_i = gene == "A" || gene == "B" || gene == "C" || gene == "CW";
  if (class_i && rest.size() == 3) {
    // "A201": the old four-digit name written without its leading zero.
    return make(normalize_locus(gene), std::vector<std::string>{pad_field(rest.substr(0, 1)), std::string(rest.substr(1))});
  }
  if (rest.size() <= 2) {
    // Serological antigen: the number is taken as the first field.
    if (class_i) return make(normalize_locus(gene), std::vector<std::string>{pad_field(rest)});
    if (gene == "DR") {
      const auto n = text::parse_int(rest);
      if (n && *n >= 1 && *n <= 18) return HlaAllele{"DRB1", {pad_field(rest)}};
    }
    return std::nullopt;
  }
  return make(normalize_locus(gene), compact_fields(rest));
}

// Class II heterodimer chains: "DQA1" pairs with "DQB1", "DRA" with "DRB1".."DRB5", etc.
bool is_alpha_chain(std::string_view gene) noexcept {
  return starts_with(gene, "DQA") || starts_with(gene, "DPA") || starts_with(gene, "DRA");
}
bool is_beta_chain(std::string_view gene) noexcept {
  return starts_with(gene, "DQB") || starts_with(gene, "DPB") || starts_with(gene, "DRB");
}
bool same_heterodimer(std::string_view alpha, std::string_view beta) noexcept {
  return alpha.substr(0, 2) == beta.substr(0, 2);
}

bool agrees_with_any(const HlaAllele& a, const std::vector<HlaAllele>& patient) noexcept {
  return std::any_of(patient.begin(), patient.end(),
                     [&](const HlaAllele& p) { return same_at_common_resolution(a, p); });
}

}  // namespace

std::string HlaAllele::text() const { return "HLA-" + gene + "*" + text::join(fields, ":"); }

std::optional<HlaAllele> parse_hla(std::string_view raw) {
  const std::string upper = text::to_upper(text::trim(raw));
  std::string_view s = upper;
  if (starts_with(s, "HLA-")) s.remove_prefix(4);
  if (s.empty()) return std::nullopt;
  const std::size_t star = s.find_first_of("*_");
  if (star == std::string_view::npos) return parse_unstarred(s);
  const std::string_view gene = s.substr(0, star), rest = s.substr(star + 1);
  if (rest.find(':') != std::string_view::npos) return make(normalize_locus(gene), colon_fields(rest));
  std::string_view digits = rest;
  if (!digits.empty() && is_suffix_letter(digits.back())) digits.remove_suffix(1);
  return make(normalize_locus(gene), compact_fields(digits));
}

bool parse_hla_token(std::string_view token, std::vector<HlaAllele>& out) {
  if (auto a = parse_hla(token)) {
    out.push_back(std::move(*a));
    return true;
  }
  std::string upper = text::to_upper(text::trim(token));
  std::string_view rest = upper;
  if (starts_with(rest, "HLA-")) rest.remove_prefix(4);
  const std::size_t dash = rest.find('-');
  if (dash == std::string_view::npos) return false;
  auto first = parse_hla(rest.substr(0, dash));
  auto second = parse_hla(rest.substr(dash + 1));
  if (!first || !second) return false;
  out.push_back(std::move(*first));
  out.push_back(std::move(*second));
  return true;
}

std::vector<HlaAllele> parse_hla_list(std::string_view list) {
  std::vector<HlaAllele> out;
  for (std::string_view token : text::tokens(list, ",;/")) parse_hla_token(token, out);
  return out;
}

bool same_at_common_resolution(const HlaAllele& a, const HlaAllele& b) noexcept {
  if (a.gene != b.gene) return false;
  const std::size_t n = std::min(a.fields.size(), b.fields.size());
  return std::equal(a.fields.begin(), a.fields.begin() + static_cast<std::ptrdiff_t>(n), b.fields.begin());
}

HlaMatch match_hla(const std::vector<HlaAllele>& reference, const std::vector<HlaAllele>& patient) {
  if (reference.empty() || patient.empty()) return HlaMatch::kUnknown;
  // Alleles whose verdict is settled by their heterodimer's beta chain are left out of the "any" rule.
  std::vector<bool> settled(reference.size(), false);
  bool match = false;
  for (std::size_t b = 0; b < reference.size(); ++b) {
    const std::string& beta = reference[b].gene;
    if (!is_beta_chain(beta)) continue;
    const bool patient_typed = std::any_of(patient.begin(), patient.end(),
                                           [&](const HlaAllele& p) { return p.gene == beta; });
    if (!patient_typed) continue;
    bool paired = false;
    for (std::size_t a = 0; a < reference.size(); ++a) {
      if (is_alpha_chain(reference[a].gene) && same_heterodimer(reference[a].gene, beta)) {
        settled[a] = true;
        paired = true;
      }
    }
    if (!paired) continue;
    settled[b] = true;
    match = match || agrees_with_any(reference[b], patient);
  }
  for (std::size_t i = 0; i < reference.size() && !match; ++i) {
    if (!settled[i]) match = agrees_with_any(reference[i], patient);
  }
  return match ? HlaMatch::kMatch : HlaMatch::kMismatch;
}

HlaMatch match_hla(std::string_view reference_mhc, const std::vector<HlaAllele>& patient) {
  return match_hla(parse_hla_list(reference_mhc), patient);
}

}  // namespace tilmatch::names
