#include "io/fragments.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "io/gene_names.hpp"
#include "io/table_reader.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::io {
namespace fs = std::filesystem;

std::vector<FragmentEntry> read_manifest(const std::string& path) {
  TableReader t(path, '\t', '#');
  const auto id_col = t.require("fragment_id");
  const auto path_col = t.require("path");
  const auto format_col = t.find("format");
  const fs::path base = fs::path(path).parent_path();
  std::vector<FragmentEntry> out;
  std::set<std::string> seen;
  while (t.next()) {
    FragmentEntry e;
    e.id = std::string(t.field(id_col));
    if (e.id.empty()) throw InputError(path, t.where(id_col), "empty fragment_id");
    if (!seen.insert(e.id).second) {
      throw InputError(path, t.where(id_col), "duplicate fragment_id '" + e.id + "'");
    }
    std::string p(t.field(path_col));
    if (p.empty()) throw InputError(path, t.where(path_col), "empty path for fragment '" + e.id + "'");
    // A relative path must stay inside the manifest's folder: a "../" that climbs out of it is
    // almost always a manifest copied away from its data. Absolute paths are taken as given.
    if (!fs::path(p).is_absolute()) {
      const fs::path rel = fs::path(p).lexically_normal();
      if (rel.empty() || *rel.begin() == "..") {
        throw InputError(path, t.where(path_col),
                         "path of fragment '" + e.id + "' (" + p +
                             ") leads outside the manifest's folder; give an absolute path to use it");
      }
    }
    fs::path resolved = fs::path(p).is_absolute() ? fs::path(p) : base / p;
    if (!fs::is_regular_file(resolved)) {
      throw InputError(path, t.where(path_col),
                       "repertoire file of fragment '" + e.id + "' not found: " + resolved.string());
    }
    e.path = resolved.lexically_normal().string();
    if (format_col && !t.field(format_col).empty()) {
      try {
        e.format = parse_repertoire_format(t.field(format_col));
      } catch (const UsageError& err) {
        throw InputError(path, t.where(format_col), err.what());
      }
    }
    for (std::size_t c = 0; c < t.header().size(); ++c) {
      if (c != id_col && c != path_col && (!format_col || c != *format_col)) {
        e.metadata[t.header()[c]] = t.fields()[c];
      }
    }
    out.push_back(std::move(e));
  }
  if (out.empty()) throw InputError(path, "", "the manifest lists no fragments");
  return out;
}

ClonotypeTable merge_repertoires(const std::vector<FragmentEntry>& entries, const std::vector<Repertoire>& reps) {
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  struct Acc {
    std::string jb, ja;
    std::map<std::uint32_t, double> by_fragment;
  };
  std::map<Key, Acc> merged;
  ClonotypeTable table;
  for (std::size_t f = 0; f < entries.size(); ++f) {
    FragmentSummary s;
    s.id = entries[f].id;
    s.path = entries[f].path;
    s.format = reps[f].format;
    s.metadata = entries[f].metadata;
    s.skipped = reps[f].skipped;
    std::set<Key> distinct;
    for (const RepertoireRow& row : reps[f].rows) {
      Key key{row.tcr.cdr3b, std::string(gene_without_allele(row.tcr.vb)), row.tcr.cdr3a,
              std::string(gene_without_allele(row.tcr.va))};
      Acc& acc = merged[key];
      auto smallest = [](std::string& cur, const std::string& cand) {
        if (!cand.empty() && (cur.empty() || cand < cur)) cur = cand;
      };
      smallest(acc.jb, row.tcr.jb);
      smallest(acc.ja, row.tcr.ja);
      acc.by_fragment[static_cast<std::uint32_t>(f)] += row.count;
      s.rows += 1;
      s.total_count += row.count;
      distinct.insert(key);
    }
    s.clonotypes = static_cast<std::int64_t>(distinct.size());
    table.fragments.push_back(std::move(s));
  }
  table.clonotypes.reserve(merged.size());
  for (auto& [key, acc] : merged) {
    const auto idx = static_cast<std::uint32_t>(table.clonotypes.size());
    Clonotype c;
    c.tcr = Tcr{std::get<0>(key), std::get<1>(key), acc.jb, std::get<2>(key), std::get<3>(key), acc.ja};
    table.clonotypes.push_back(std::move(c));
    for (const auto& [frag, count] : acc.by_fragment) {
      const double total = table.fragments[frag].total_count;
      table.counts.push_back({idx, frag, count, total > 0 ? count / total : 0.0});
    }
  }
  return table;
}

ClonotypeTable load_fragments(const std::string& manifest_path) {
  std::vector<FragmentEntry> entries = read_manifest(manifest_path);
  std::vector<Repertoire> reps;
  reps.reserve(entries.size());
  for (const FragmentEntry& e : entries) {
    reps.push_back(read_repertoire(e.path, e.format));
    if (reps.back().rows.empty()) {
      std::string why;
      for (const auto& [reason, n] : reps.back().skipped) why += " " + reason + "=" + std::to_string(n);
      throw InputError(e.path, "", "repertoire of fragment '" + e.id + "' has no usable clonotype" +
                                       (why.empty() ? std::string(" (empty file)") : " (skipped:" + why + ")"));
    }
  }
  return merge_repertoires(entries, reps);
}

}  // namespace tilmatch::io
