#include "io/fragments.hpp"

#include <algorithm>
#include <cmath>
#include <compare>
#include <cstdint>
#include <deque>
#include <future>
#include <queue>
#include <set>
#include <thread>

#include "io/table_checks.hpp"
#include "io/table_reader.hpp"
#include "names/gene_names.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::io {

std::vector<FragmentEntry> read_manifest(const std::string& path) {
  TableReader t(path, '\t', '#');
  const auto id_col = t.require("fragment_id");
  const auto path_col = t.require("path");
  const auto format_col = t.find("format");
  // Every column but path and format reaches fragments.tsv and the report under its own name.
  std::set<std::string> names;
  for (std::size_t c = 0; c < t.header().size(); ++c) {
    const std::string& name = t.header()[c];
    if (name.find_first_of("\t\r\n") != std::string::npos) {
      throw InputError(path, "header", "column " + std::to_string(c + 1) +
                                           " has a tab, carriage return or line feed in its name");
    }
    if (!names.insert(name).second) {
      throw InputError(path, "header", "column '" + name + "' appears twice");
    }
  }
  std::vector<FragmentEntry> out;
  std::set<std::string> seen;
  while (t.next()) {
    FragmentEntry e;
    e.id = std::string(t.key_field(id_col));
    if (e.id.empty()) throw InputError(path, t.where(id_col), "empty fragment_id");
    if (!seen.insert(e.id).second) {
      throw InputError(path, t.where(id_col), "duplicate fragment_id '" + e.id + "'");
    }
    e.path = resolve_listed_file(path, t.where(path_col), t.field(path_col),
                                 "repertoire file of fragment '" + e.id + "'");
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

namespace {

/// What makes two rows one clonotype. A struct rather than the fields joined into one string, so
/// that no value, whatever it holds, can shift into the next field.
struct ClonotypeKey {
  std::string cdr3b, vb, cdr3a, va;  // V genes without allele
  bool operator==(const ClonotypeKey&) const = default;
  /// Field by field: the (cdr3b, vb, cdr3a, va) order of ClonotypeTable::clonotypes.
  auto operator<=>(const ClonotypeKey&) const = default;
};

/// The first 8 bytes of s, big-endian, zero-padded: comparing two of these as integers orders s
/// as std::string does (bytes unsigned; a proper prefix first), bar ties past the 8th byte.
std::uint64_t sort_prefix(const std::string& s) {
  std::uint64_t p = 0;
  for (std::size_t i = 0; i < 8; ++i) p = p << 8 | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0u);
  return p;
}

/// Key order (ClonotypeKey's <=>), deciding most pairs on the integer prefix of their CDR3b.
std::strong_ordering compare_keys(std::uint64_t pa, const ClonotypeKey& a, std::uint64_t pb, const ClonotypeKey& b) {
  if (pa != pb) return pa <=> pb;
  return a <=> b;
}

/// One fragment's usable rows aggregated by clonotype: its distinct keys in key order, each with
/// its summed count and smallest J names, and the fragment's summary. Built where the repertoire is
/// read (in parallel across fragments); the merge then walks the sorted lists together.
struct AggregatedFragment {
  struct Entry {
    ClonotypeKey key;
    std::string jb, ja;
    double count = 0;
    std::uint64_t prefix = 0;  ///< sort_prefix(key.cdr3b)
  };
  FragmentSummary summary;
  std::vector<Entry> entries;  ///< sorted by key, one per key
};

void keep_smallest(std::string& cur, std::string& cand) {
  if (!cand.empty() && (cur.empty() || cand < cur)) cur = std::move(cand);
}

/// Checks the counts of `rep` (in file order: the first bad row is the one named), and aggregates
/// its rows by clonotype. Counts of one clonotype are summed in file order (a stable sort keeps it),
/// so the sums are the same bytes however the rows were split among threads.
AggregatedFragment aggregate_fragment(const FragmentEntry& entry, Repertoire&& rep) {
  AggregatedFragment out;
  FragmentSummary& s = out.summary;
  s.id = entry.id;
  s.path = entry.path;
  s.format = std::string(to_string(rep.format));
  s.metadata = entry.metadata;
  s.skipped = std::move(rep.skipped);
  std::vector<AggregatedFragment::Entry> rows;
  rows.reserve(rep.rows.size());
  for (RepertoireRow& row : rep.rows) {
    // The readers refuse these with the line; repertoires built in code get the row number.
    auto where = [&s] { return "usable row " + std::to_string(s.rows + 1); };
    if (!std::isfinite(row.count) || row.count < 0) {
      throw InputError(entry.path, where(),
                       "count " + text::format_double(row.count) + " of fragment '" + entry.id +
                           "' is not a finite non-negative number");
    }
    s.total_count += row.count;
    if (!std::isfinite(s.total_count)) {
      throw InputError(entry.path, where(),
                       "the counts of fragment '" + entry.id +
                           "' sum past the largest representable number (about 1.8e308)");
    }
    s.rows += 1;
    AggregatedFragment::Entry& e = rows.emplace_back();
    e.key.cdr3b = std::move(row.tcr.cdr3b);
    e.key.vb = names::gene_without_allele(row.tcr.vb);
    e.key.cdr3a = std::move(row.tcr.cdr3a);
    e.key.va = names::gene_without_allele(row.tcr.va);
    e.jb = std::move(row.tcr.jb);
    e.ja = std::move(row.tcr.ja);
    e.count = row.count;
    e.prefix = sort_prefix(e.key.cdr3b);
  }
  rep.rows.clear();
  rep.rows.shrink_to_fit();
  // Row numbers are sorted, not the rows (each holds six strings).
  std::vector<std::uint32_t> order(rows.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&rows](std::uint32_t a, std::uint32_t b) {
    return compare_keys(rows[a].prefix, rows[a].key, rows[b].prefix, rows[b].key) < 0;
  });
  for (std::uint32_t i : order) {
    AggregatedFragment::Entry& r = rows[i];
    if (out.entries.empty() || !(out.entries.back().key == r.key)) {
      AggregatedFragment::Entry& e = out.entries.emplace_back();
      e.key = std::move(r.key);
      e.count = 0.0;
      e.prefix = r.prefix;
    }
    AggregatedFragment::Entry& e = out.entries.back();
    keep_smallest(e.jb, r.jb);
    keep_smallest(e.ja, r.ja);
    e.count += r.count;
  }
  s.clonotypes = static_cast<std::int64_t>(out.entries.size());
  return out;
}

/// Merges aggregated fragments (fragment index = order of add()) into the clonotype table: a
/// k-way merge of their key-sorted lists, so each clonotype's counts come in fragment order.
class ClonotypeMerger {
 public:
  void add(AggregatedFragment&& fragment) { fragments_.push_back(std::move(fragment)); }

  ClonotypeTable finish() {
    ClonotypeTable table;
    // Heap of (fragment, position) by (key, fragment): equal keys pop in fragment order.
    using Cursor = std::pair<std::uint32_t, std::size_t>;
    const auto later = [this](const Cursor& a, const Cursor& b) {
      const AggregatedFragment::Entry& ea = fragments_[a.first].entries[a.second];
      const AggregatedFragment::Entry& eb = fragments_[b.first].entries[b.second];
      if (const auto c = compare_keys(ea.prefix, ea.key, eb.prefix, eb.key); c != 0) return c > 0;
      return a.first > b.first;
    };
    std::priority_queue<Cursor, std::vector<Cursor>, decltype(later)> heap(later);
    std::size_t entries = 0;
    for (std::uint32_t f = 0; f < fragments_.size(); ++f) {
      entries += fragments_[f].entries.size();
      if (!fragments_[f].entries.empty()) heap.emplace(f, 0);
    }
    table.counts.reserve(entries);
    while (!heap.empty()) {
      const auto [f0, i0] = heap.top();
      AggregatedFragment::Entry& first = fragments_[f0].entries[i0];
      const auto idx = static_cast<std::uint32_t>(table.clonotypes.size());
      Clonotype c;
      c.tcr = Tcr{std::move(first.key.cdr3b), std::move(first.key.vb), {}, std::move(first.key.cdr3a),
                  std::move(first.key.va), {}};
      // The key's fields now live in c.tcr; compare the next entries against them.
      const auto same = [&c](const ClonotypeKey& k) {
        return k.cdr3b == c.tcr.cdr3b && k.vb == c.tcr.vb && k.cdr3a == c.tcr.cdr3a && k.va == c.tcr.va;
      };
      bool first_entry = true;
      while (!heap.empty()) {
        const auto [f, i] = heap.top();
        AggregatedFragment::Entry& e = fragments_[f].entries[i];
        if (!first_entry && !same(e.key)) break;
        first_entry = false;
        heap.pop();
        keep_smallest(c.tcr.jb, e.jb);
        keep_smallest(c.tcr.ja, e.ja);
        const double total = fragments_[f].summary.total_count;
        table.counts.push_back({idx, f, e.count, total > 0 ? e.count / total : 0.0});
        if (i + 1 < fragments_[f].entries.size()) heap.emplace(f, i + 1);
      }
      table.clonotypes.push_back(std::move(c));
    }
    table.fragments.reserve(fragments_.size());
    for (AggregatedFragment& a : fragments_) table.fragments.push_back(std::move(a.summary));
    fragments_.clear();
    return table;
  }

 private:
  std::vector<AggregatedFragment> fragments_;
};

void require_rows(const FragmentEntry& e, const Repertoire& rep) {
  if (!rep.rows.empty()) {
    if (std::all_of(rep.rows.begin(), rep.rows.end(), [](const RepertoireRow& r) { return r.count == 0; })) {
      throw InputError(e.path, "", "every count of fragment '" + e.id +
                                       "' is 0, so every clonotype frequency would be 0");
    }
    return;
  }
  std::string why;
  for (const auto& [reason, n] : rep.skipped) why += " " + reason + "=" + std::to_string(n);
  throw InputError(e.path, "", "repertoire of fragment '" + e.id + "' has no usable clonotype" +
                                   (why.empty() ? std::string(" (empty file)") : " (skipped:" + why + ")"));
}

}  // namespace

ClonotypeTable merge_repertoires(const std::vector<FragmentEntry>& entries, const std::vector<Repertoire>& reps) {
  ClonotypeMerger merger;
  for (std::size_t f = 0; f < entries.size(); ++f) merger.add(aggregate_fragment(entries[f], Repertoire(reps[f])));
  return merger.finish();
}

ClonotypeTable load_fragments(const std::string& manifest_path, unsigned threads) {
  const std::vector<FragmentEntry> entries = read_manifest(manifest_path);
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  // Up to `threads` repertoires are read and aggregated at once; they are taken in manifest order
  // (so the first bad fragment in the manifest is the one reported).
  ClonotypeMerger merger;
  std::deque<std::future<AggregatedFragment>> ahead;
  std::size_t next = 0;
  auto launch = [&] {
    const FragmentEntry& e = entries[next++];
    ahead.push_back(std::async(std::launch::async, [&e] {
      Repertoire rep = read_repertoire(e.path, e.format);
      require_rows(e, rep);
      return aggregate_fragment(e, std::move(rep));
    }));
  };
  log::Progress progress("repertoires", static_cast<long long>(entries.size()));
  for (std::size_t i = 0; i < entries.size(); ++i) {
    while (next < entries.size() && ahead.size() < threads) launch();
    AggregatedFragment fragment = ahead.front().get();
    ahead.pop_front();
    merger.add(std::move(fragment));
    progress.update(static_cast<long long>(i + 1), "files", 1);
  }
  progress.done();
  return merger.finish();
}

std::map<std::string, std::int64_t> skipped_rows(const std::vector<FragmentSummary>& fragments) {
  std::map<std::string, std::int64_t> total;
  for (const FragmentSummary& f : fragments)
    for (const auto& [reason, n] : f.skipped) total[reason] += n;
  return total;
}

std::string skipped_rows_text(const SkippedBySource& sources) {
  std::map<std::string, std::int64_t> total;
  for (const auto& [source, skipped] : sources)
    for (const auto& [reason, n] : skipped) total[reason] += n;
  std::string out;
  for (const auto& [reason, n] : total) {
    if (n == 0) continue;
    std::string by_source;
    for (const auto& [source, skipped] : sources) {
      const auto it = skipped.find(reason);
      if (it == skipped.end() || it->second == 0) continue;
      by_source += (by_source.empty() ? "" : ", ") + source + " " + text::format_grouped(it->second);
    }
    out += (out.empty() ? "" : "; ") + reason + " " + text::format_grouped(n) + " (" + by_source + ")";
  }
  return out;
}

std::string skipped_rows_text(const std::vector<FragmentSummary>& fragments) {
  SkippedBySource sources;
  for (const FragmentSummary& f : fragments) sources.emplace_back(f.id, f.skipped);
  return skipped_rows_text(sources);
}

}  // namespace tilmatch::io
