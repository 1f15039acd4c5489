#include "screen/constructs.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "tilmatch/error.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::screen {
namespace {

std::string place(const Construct& c, std::size_t member) {
  const std::int64_t line = member < c.member_lines.size() ? c.member_lines[member] : c.line;
  return line > 0 ? "line " + std::to_string(line) : "construct " + c.id;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

void add_member(Construct& c, const std::string& neoantigen, const std::string& sequence) {
  c.neoantigens.push_back(neoantigen);
  c.sequences.push_back(sequence);
}

}  // namespace

bool is_control(std::string_view construct) noexcept {
  const auto eq = [&](std::string_view word) {
    return construct.size() == word.size() &&
           std::equal(construct.begin(), construct.end(), word.begin(),
                      [](char a, char b) { return (a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a) == b; });
  };
  return eq("negative") || eq("positive");
}

ConstructCatalog::ConstructCatalog(std::vector<Construct> design,
                                   const std::vector<NeoantigenCatalogEntry>& neoantigens)
    : design_(std::move(design)) {
  std::map<std::string, const NeoantigenCatalogEntry*, std::less<>> by_id;
  for (const NeoantigenCatalogEntry& n : neoantigens) by_id.emplace(n.id, &n);

  for (std::size_t i = 0; i < design_.size(); ++i) {
    const Construct& c = design_[i];
    if (!design_index_.emplace(c.id, i).second)
      throw InputError(c.file, place(c, 0), "construct '" + c.id + "' is defined twice");
    for (std::size_t m = 0; m < c.neoantigens.size(); ++m) {
      const auto it = by_id.find(c.neoantigens[m]);
      if (it == by_id.end())
        throw InputError(c.file, place(c, m),
                         "construct " + c.id + " names neoantigen '" + c.neoantigens[m] +
                             "', which this run does not have: the design was made for other candidates "
                             "(another VCF, other filters or epitope lengths)");
      const NeoantigenCatalogEntry& n = *it->second;
      const std::string& seq = c.sequences[m];
      const bool minigene = contains(n.minigenes, seq);
      const bool epitope = contains(n.mt_epitopes, seq);
      if (c.kind == ConstructKind::kTandemMinigene ? !minigene : !(minigene || epitope))
        throw InputError(c.file, place(c, m),
                         "construct " + c.id + " holds " + seq + " for " + n.id + ", which is not " +
                             (c.kind == ConstructKind::kTandemMinigene ? "one of its minigenes"
                                                                       : "one of its MT epitopes or minigenes") +
                             " in this run: readouts from a design whose construct holds other minigenes");
    }
  }

  // Single-member constructs: minigenes by name, minigenes and MT epitopes by sequence.
  for (const NeoantigenCatalogEntry& n : neoantigens) {
    for (std::size_t m = 0; m < n.minigenes.size(); ++m) {
      if (m < n.minigene_names.size()) {
        Construct& c = singles_[n.minigene_names[m]];
        c.id = n.minigene_names[m];
        c.kind = ConstructKind::kMinigene;
        add_member(c, n.id, n.minigenes[m]);
      }
    }
    std::set<std::string> sequences(n.mt_epitopes.begin(), n.mt_epitopes.end());
    sequences.insert(n.minigenes.begin(), n.minigenes.end());
    for (const std::string& seq : sequences) {
      Construct& c = singles_[seq];
      c.id = seq;
      c.kind = contains(n.minigenes, seq) ? ConstructKind::kMinigene : ConstructKind::kPeptide;
      add_member(c, n.id, seq);
    }
  }
}

const Construct* ConstructCatalog::resolve(std::string_view name) const {
  if (const auto it = design_index_.find(name); it != design_index_.end()) return &design_[it->second];
  if (const auto it = singles_.find(name); it != singles_.end()) return &it->second;
  // Peptides are matched in upper case.
  std::string upper(name);
  for (char& ch : upper)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  if (upper != name)
    if (const auto it = singles_.find(upper); it != singles_.end()) return &it->second;
  return nullptr;
}

}  // namespace tilmatch::screen
