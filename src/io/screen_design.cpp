#include "io/screen_design.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <string_view>

#include "io/table_checks.hpp"
#include "io/table_reader.hpp"
#include "names/gene_names.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::io {
namespace {

screen::ConstructKind parse_kind(const TableReader& t, std::size_t column) {
  const std::string k = to_lower(required_field(t, column));
  if (k == "tandem_minigene") return screen::ConstructKind::kTandemMinigene;
  if (k == "peptide_pool") return screen::ConstructKind::kPeptidePool;
  throw InputError(
      t.path(), t.where(column),
      "unknown kind '" + std::string(trim_blanks(t.field(column))) + "' (expected tandem_minigene or peptide_pool)");
}

struct Member {
  std::int64_t slot = 0;
  std::string neoantigen;
  std::string sequence;
  std::int64_t line = 0;
};

/// Members in slot order; slots must be exactly 1..n.
void finish(const std::string& path, const std::vector<Member>& rows, screen::Construct& c) {
  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rows[a].slot < rows[b].slot; });
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Member& m = rows[order[k]];
    if (m.slot != static_cast<std::int64_t>(k + 1)) {
      // Slots are unique and sorted, so the first mismatch is the first missing slot.
      throw InputError(path, "line " + std::to_string(c.line),
                       "construct '" + c.id + "' has no slot " + std::to_string(k + 1) + " (its slots run to " +
                           std::to_string(rows[order.back()].slot) + "; slots must be 1.." +
                           std::to_string(rows.size()) + " without gaps)");
    }
    c.neoantigens.push_back(m.neoantigen);
    c.sequences.push_back(m.sequence);
    c.member_lines.push_back(m.line);
  }
}

}  // namespace

std::vector<screen::Construct> read_screen_design(const std::string& path) {
  TableReader t(path, 0, '#');
  reject_wrong_separator(t);
  const auto construct_col = t.require("construct");
  const auto kind_col = t.require("kind");
  const auto slot_col = t.require("slot");
  const auto neoantigen_col = t.require("neoantigen_id");
  const auto sequence_col = t.require("sequence");

  std::vector<screen::Construct> out;
  std::vector<std::vector<Member>> members;
  std::map<std::string, std::size_t> index;  // construct id -> position in `out`
  while (t.next()) {
    const std::string id = required_field(t, construct_col);
    if (const std::string l = to_lower(id); l == "negative" || l == "positive") {
      throw InputError(path, t.where(construct_col), "construct id '" + id + "' is reserved for the " + l + " control");
    }
    const screen::ConstructKind kind = parse_kind(t, kind_col);
    Member m;
    m.line = t.line_number();
    const std::string slot_text = required_field(t, slot_col);
    const auto slot = text::parse_int(slot_text);
    if (!slot || *slot < 1) {
      throw InputError(path, t.where(slot_col), "slot '" + slot_text + "' is not a positive integer");
    }
    m.slot = *slot;
    m.neoantigen = required_field(t, neoantigen_col);
    m.sequence = text::to_upper(required_field(t, sequence_col));
    if (!names::is_amino_acid_sequence(m.sequence)) {
      throw InputError(path, t.where(sequence_col),
                       "'" + m.sequence + "' is not an amino-acid sequence (20 standard residues)");
    }

    auto [it, inserted] = index.emplace(id, out.size());
    if (inserted) {
      screen::Construct c;
      c.id = id;
      c.kind = kind;
      c.file = path;
      c.line = m.line;
      out.push_back(std::move(c));
      members.emplace_back();
    }
    screen::Construct& c = out[it->second];
    if (c.kind != kind) {
      throw InputError(path, t.where(kind_col),
                       "construct '" + id + "' is a " + std::string(trim_blanks(t.field(kind_col))) + " here but a " +
                           (c.kind == screen::ConstructKind::kTandemMinigene ? "tandem_minigene" : "peptide_pool") +
                           " on line " + std::to_string(c.line));
    }
    for (const Member& other : members[it->second]) {
      if (other.slot == m.slot) {
        throw InputError(
            path, t.where(slot_col),
            "construct '" + id + "' slot " + std::to_string(m.slot) + " already on line " + std::to_string(other.line));
      }
    }
    members[it->second].push_back(std::move(m));
  }
  if (out.empty()) throw InputError(path, "", "no constructs: the file has a header but no data rows");
  for (std::size_t i = 0; i < out.size(); ++i) finish(path, members[i], out[i]);
  return out;
}

std::vector<screen::Construct> read_screen_designs(const std::vector<std::string>& paths) {
  std::vector<screen::Construct> out;
  std::map<std::string, std::size_t> index;
  for (const std::string& path : paths) {
    for (screen::Construct& c : read_screen_design(path)) {
      const auto [it, inserted] = index.emplace(c.id, out.size());
      if (!inserted) {
        const screen::Construct& first = out[it->second];
        throw InputError(path, "line " + std::to_string(c.line),
                         "construct '" + c.id + "' is already defined in " + first.file + ", line " +
                             std::to_string(first.line) + "; give each design file's constructs their own ids");
      }
      out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace tilmatch::io
