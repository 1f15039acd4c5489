#include "io/background.hpp"

#include <algorithm>
#include <cstdint>

#include "names/gene_names.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::io {

namespace {

void require_rows(const Background& bg, const std::string& name) {
  if (bg.size() == 0) throw InputError(name, "", "background repertoire has no usable TCRβ row");
}

/// A repertoire of any layout, streamed.
template <typename Source>
Background read_repertoire_rows(const Source& source, const std::string& name, RepertoireFormat format) {
  Background bg;
  bg.file = name;
  const RepertoireSummary summary = stream_repertoire(source, format, [&](RepertoireRow&& row) {
    if (row.tcr.cdr3b.empty()) {
      bg.skipped["no_beta_chain"] += 1;
      return;
    }
    bg.add(row.tcr.cdr3b, row.tcr.vb);
  });
  for (const auto& [reason, n] : summary.skipped) bg.skipped[reason] += n;
  require_rows(bg, name);
  return bg;
}

bool is_grouped_header(std::string_view line) {
  return line.substr(0, kGroupedHeader.size()) == kGroupedHeader &&
         (line.size() == kGroupedHeader.size() || line[kGroupedHeader.size()] == '\t' ||
          line[kGroupedHeader.size()] == ' ');
}

/// A V-grouped CDR3 list whose header line `in` has just returned: `>GENE` lines open a group,
/// every other line is one CDR3β of it; '#' lines are comments, empty lines are ignored.
Background read_grouped(LineReader& in, const std::string& name) {
  Background bg;
  bg.file = name;
  const auto where = [&in] { return "line " + std::to_string(in.line_number()); };
  std::string line, gene;
  bool in_group = false;
  while (in.next(line)) {
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '>') {
      gene = names::normalize_gene(std::string_view(line).substr(1));
      if (gene.empty()) throw InputError(name, where(), "a '>' line names no V gene");
      in_group = true;
      continue;
    }
    if (!in_group) throw InputError(name, where(), "a CDR3 before the first '>V gene' line");
    if (!names::is_amino_acid_sequence(line))
      throw InputError(name, where(), "'" + line + "' is not a CDR3 (upper-case amino acids only)");
    bg.add(line, gene);
  }
  require_rows(bg, name);
  return bg;
}

/// The first line of `source`, or "" when it has none.
template <typename Source>
std::string first_line(const Source& source) {
  LineReader in(source);
  std::string line;
  return in.next(line) ? line : std::string();
}

template <typename Source>
Background read_any(const Source& source, const std::string& name, RepertoireFormat format) {
  if (is_grouped_header(first_line(source))) {
    LineReader in(source);
    std::string header;
    in.next(header);
    return read_grouped(in, name);
  }
  return read_repertoire_rows(source, name, format);
}

}  // namespace

std::string format_grouped_background(const Background& bg, const std::vector<std::string>& comments) {
  std::vector<std::uint32_t> order(bg.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&bg](std::uint32_t a, std::uint32_t b) {
    const std::string& va = bg.v_of(a);
    const std::string& vb = bg.v_of(b);
    if (va != vb) return va < vb;
    return bg.cdr3_of(a) < bg.cdr3_of(b);
  });
  std::string out(kGroupedHeader);
  out += '\n';
  for (const std::string& c : comments) out += "# " + c + '\n';
  out.reserve(out.size() + bg.cdr3.size() + bg.size() + bg.genes.size() * 16);
  const std::string* gene = nullptr;
  for (const std::uint32_t i : order) {
    if (gene == nullptr || *gene != bg.v_of(i)) {
      gene = &bg.v_of(i);
      out += '>';
      out += *gene;
      out += '\n';
    }
    out += bg.cdr3_of(i);
    out += '\n';
  }
  return out;
}

Background read_background(const std::string& path, RepertoireFormat format) {
  // Standard input cannot be read twice: it is read as a repertoire.
  if (path == "-") return read_repertoire_rows(path, path, format);
  return read_any(path, path, format);
}

Background read_background(const MemoryFile& file, RepertoireFormat format) {
  return read_any(file, file.name, format);
}

}  // namespace tilmatch::io
