#include "names/gene_names.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace tilmatch::names {

std::string GeneNameCache::operator()(std::string_view raw) {
  if (const auto it = names_.find(raw); it != names_.end()) return it->second;
  if (names_.size() >= kMaxNames) return normalize_gene(raw);
  return names_.emplace(std::string(raw), normalize_gene(raw)).first->second;
}

std::string_view gene_without_allele(std::string_view name) noexcept {
  auto star = name.find('*');
  return star == std::string_view::npos ? name : name.substr(0, star);
}

std::string_view locus_of_gene(std::string_view name) noexcept {
  if (name.size() < 3) return {};
  return name.substr(0, 3);
}

bool is_amino_acid_sequence(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s) {
    switch (c) {
      case 'A': case 'C': case 'D': case 'E': case 'F': case 'G': case 'H': case 'I': case 'K': case 'L':
      case 'M': case 'N': case 'P': case 'Q': case 'R': case 'S': case 'T': case 'V': case 'W': case 'Y':
        break;
      default:
        return false;
    }
  }
  return true;
}

std::string add_junction_anchors(std::string_view core) {
  std::string out;
  out.reserve(core.size() + 2);
  out += 'C';
  out += core;
  out += 'F';
  return out;
}

namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// "05" -> "5", "01" -> "1"; leaves non-numeric parts alone.
std::string strip_leading_zeros(std::string_view part) {
  std::size_t i = 0;
  while (i + 1 < part.size() && part[i] == '0' && std::isdigit(static_cast<unsigned char>(part[i + 1]))) ++i;
  return std::string(part.substr(i));
}

}  // namespace

std::string normalize_gene(std::string_view raw) {
  std::string s = trim(raw);
  // Several calls ("A,B" or "A or B"): keep the first, as the exporters list the best first.
  // "/DV" and "/OR" are part of IMGT names (TRAV29/DV5*01; the orphon TRBV24/OR9-2*01), not a
  // second call.
  const auto part_of_name = [&s](std::size_t slash) {
    return s.compare(slash + 1, 2, "DV") == 0 || s.compare(slash + 1, 2, "OR") == 0;
  };
  for (std::string_view sep : {",", ";", " or ", "/", " "}) {
    std::size_t at = s.find(sep);
    while (sep == "/" && at != std::string::npos && part_of_name(at)) at = s.find(sep, at + 1);
    if (at != std::string::npos && at > 0) s = trim(std::string_view(s).substr(0, at));
  }
  if (auto paren = s.find('('); paren != std::string::npos) s = trim(std::string_view(s).substr(0, paren));
  if (s.empty() || s == "None" || s == "NA" || s == "na" || s == "n.a." || s == "." || s == "unresolved" ||
      s == "unknown") {
    return {};
  }
  // Adaptive: TCRBV05-01*01 -> TRBV5-1*01.
  if (s.rfind("TCR", 0) == 0 && s.size() > 5) {
    std::string rest = s.substr(3);  // BV05-01*01
    std::string out = "TR";
    out += rest.substr(0, 2);  // BV
    std::string body = rest.substr(2);
    std::string allele;
    if (auto star = body.find('*'); star != std::string::npos) {
      allele = body.substr(star);
      body.resize(star);
    }
    if (auto dash = body.find('-'); dash != std::string::npos) {
      out += strip_leading_zeros(body.substr(0, dash)) + "-" + strip_leading_zeros(body.substr(dash + 1));
    } else {
      out += strip_leading_zeros(body);
    }
    s = out + allele;
  }
  // Zero-padded numbers in IMGT-style names (TRBV06-5, TRBV5-04, found in public databases) ->
  // TRBV6-5, TRBV5-4; the allele keeps its two digits.
  if (s.rfind("TR", 0) == 0 && s.size() > 4) {
    const std::size_t end = std::min(s.find('*'), s.size());
    std::string out = s.substr(0, 4);
    for (std::size_t i = 4; i < end;) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
        out += s[i++];
        continue;
      }
      std::size_t j = i;
      while (j < end && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      out += strip_leading_zeros(std::string_view(s).substr(i, j - i));
      i = j;
    }
    s = out + s.substr(end);
  }
  // MiXCR writes *00 when no allele was resolved.
  if (s.size() > 3 && s.compare(s.size() - 3, 3, "*00") == 0) s.resize(s.size() - 3);
  return s;
}

}  // namespace tilmatch::names
