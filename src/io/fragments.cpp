#include "io/fragments.hpp"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <cmath>
#include <compare>
#include <cstdint>
#include <deque>
#include <future>
#include <limits>
#include <queue>
#include <set>
#include <string_view>
#include <thread>

#include "io/table_checks.hpp"
#include "io/table_reader.hpp"
#include "names/gene_names.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"
#include "tilmatch/name_pool.hpp"
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

/// The first 8 bytes of s, big-endian, zero-padded: comparing two of these as integers orders s
/// as std::string does (bytes unsigned; a proper prefix first), bar ties past the 8th byte.
std::uint64_t sort_prefix(std::string_view s) {
  std::uint64_t p = 0;
  for (std::size_t i = 0; i < 8; ++i) p = p << 8 | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0u);
  return p;
}

/// One fragment's usable rows aggregated by clonotype: its distinct keys (cdr3b, vb, cdr3a, va; V
/// genes without allele) in key order, each with its summed count and smallest J names, and the
/// fragment's summary. Built where the repertoire is read (in parallel across fragments); the merge
/// then walks the sorted lists together. Compact, as all fragments are held until the merge ends:
/// the CDR3s live in one text and the gene names in a pool, ~60 bytes a clonotype where six
/// std::strings took ~250 (24 x 100,000 clonotypes: 1.1 GB peak before, docs/BENCHMARKS.md).
struct AggregatedFragment {
  struct Entry {
    std::uint64_t prefix = 0;  ///< sort_prefix of the CDR3b: decides most comparisons
    double count = 0;
    std::uint32_t cdr3b = 0, cdr3b_size = 0, cdr3a = 0, cdr3a_size = 0;  ///< spans of `text`
    std::uint32_t vb = 0, va = 0, jb = 0, ja = 0;                        ///< indices into `names`
  };
  FragmentSummary summary;
  std::string text;
  NamePool names;  ///< the fragment's gene names; entries refer to them by number (0: none)
  std::vector<Entry> entries;  ///< sorted by key, one per key

  std::string_view cdr3b(const Entry& e) const { return {text.data() + e.cdr3b, e.cdr3b_size}; }
  std::string_view cdr3a(const Entry& e) const { return {text.data() + e.cdr3a, e.cdr3a_size}; }
};

/// Key order of a's entry x against b's entry y: (cdr3b, vb, cdr3a, va) as std::string orders them.
std::strong_ordering compare_keys(const AggregatedFragment& a, const AggregatedFragment::Entry& x,
                                  const AggregatedFragment& b, const AggregatedFragment::Entry& y) {
  if (x.prefix != y.prefix) return x.prefix <=> y.prefix;
  if (const auto c = a.cdr3b(x) <=> b.cdr3b(y); c != 0) return c;
  if (const auto c = a.names[x.vb] <=> b.names[y.vb]; c != 0) return c;
  if (const auto c = a.cdr3a(x) <=> b.cdr3a(y); c != 0) return c;
  return a.names[x.va] <=> b.names[y.va];
}

/// Aggregates one fragment's rows as they are read (io::stream_repertoire), checking their counts.
class FragmentAggregator {
 public:
  explicit FragmentAggregator(const FragmentEntry& entry) : entry_(entry) {
    FragmentSummary& s = out_.summary;
    s.id = entry.id;
    s.path = entry.path;
    s.metadata = entry.metadata;
  }

  void add(RepertoireRow&& row) {
    FragmentSummary& s = out_.summary;
    // The readers refuse these with the line; repertoires built in code get the row number.
    auto where = [&s] { return "usable row " + std::to_string(s.rows + 1); };
    if (!std::isfinite(row.count) || row.count < 0) {
      throw InputError(entry_.path, where(),
                       "count " + text::format_double(row.count) + " of fragment '" + entry_.id +
                           "' is not a finite non-negative number");
    }
    s.total_count += row.count;
    if (!std::isfinite(s.total_count)) {
      throw InputError(entry_.path, where(),
                       "the counts of fragment '" + entry_.id +
                           "' sum past the largest representable number (about 1.8e308)");
    }
    s.rows += 1;
    any_count_ = any_count_ || row.count != 0;
    Entry& e = rows_.emplace_back();
    e.prefix = sort_prefix(row.tcr.cdr3b);
    e.count = row.count;
    e.cdr3b = append(row.tcr.cdr3b, e.cdr3b_size);
    e.cdr3a = append(row.tcr.cdr3a, e.cdr3a_size);
    e.vb = out_.names.intern(names::gene_without_allele(row.tcr.vb));
    e.va = out_.names.intern(names::gene_without_allele(row.tcr.va));
    e.jb = out_.names.intern(row.tcr.jb);
    e.ja = out_.names.intern(row.tcr.ja);
  }

  /// The aggregated fragment, given what the reader counted. With `require_rows`, a fragment with
  /// no usable row, or whose counts are all 0, is an InputError naming its file.
  AggregatedFragment finish(RepertoireFormat format, std::map<std::string, std::int64_t> skipped,
                            bool require_rows) {
    FragmentSummary& s = out_.summary;
    s.format = std::string(to_string(format));
    s.skipped = std::move(skipped);
    if (require_rows) check_rows();
    // Row numbers are sorted, not the rows; a stable sort sums each clonotype's counts in file
    // order, so the sums are the same bytes however the rows were split among threads.
    std::vector<std::uint32_t> order(rows_.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [this](std::uint32_t a, std::uint32_t b) {
      return compare_keys(out_, rows_[a], out_, rows_[b]) < 0;
    });
    for (std::uint32_t i : order) {
      const Entry& r = rows_[i];
      if (out_.entries.empty() || compare_keys(out_, out_.entries.back(), out_, r) != 0) {
        Entry& e = out_.entries.emplace_back(r);
        e.count = 0.0;
        e.jb = e.ja = 0;
      }
      Entry& e = out_.entries.back();
      e.jb = smallest(e.jb, r.jb);
      e.ja = smallest(e.ja, r.ja);
      e.count += r.count;
    }
    rows_.clear();
    rows_.shrink_to_fit();
    out_.entries.shrink_to_fit();
    s.clonotypes = static_cast<std::int64_t>(out_.entries.size());
    return std::move(out_);
  }

 private:
  using Entry = AggregatedFragment::Entry;

  std::uint32_t append(const std::string& cdr3, std::uint32_t& size) {
    if (out_.text.size() + cdr3.size() > std::numeric_limits<std::uint32_t>::max()) {
      throw InputError(entry_.path, "usable row " + std::to_string(out_.summary.rows),
                       "the CDR3s of fragment '" + entry_.id + "' pass 4 GB; split the repertoire");
    }
    const auto at = static_cast<std::uint32_t>(out_.text.size());
    out_.text += cdr3;
    size = static_cast<std::uint32_t>(cdr3.size());
    return at;
  }

  /// The smaller of two J names (indices into the pool), a name before none.
  std::uint32_t smallest(std::uint32_t cur, std::uint32_t cand) const {
    return cand != 0 && (cur == 0 || out_.names[cand] < out_.names[cur]) ? cand : cur;
  }

  void check_rows() const {
    const FragmentSummary& s = out_.summary;
    if (s.rows > 0) {
      if (!any_count_) {
        throw InputError(entry_.path, "", "every count of fragment '" + entry_.id +
                                              "' is 0, so every clonotype frequency would be 0");
      }
      return;
    }
    std::string why;
    for (const auto& [reason, n] : s.skipped) why += " " + reason + "=" + std::to_string(n);
    throw InputError(entry_.path, "", "repertoire of fragment '" + entry_.id + "' has no usable clonotype" +
                                          (why.empty() ? std::string(" (empty file)") : " (skipped:" + why + ")"));
  }

  const FragmentEntry& entry_;
  AggregatedFragment out_;
  std::vector<Entry> rows_;  ///< every usable row, in file order, until finish()
  bool any_count_ = false;
};

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
      const AggregatedFragment& fa = fragments_[a.first];
      const AggregatedFragment& fb = fragments_[b.first];
      if (const auto c = compare_keys(fa, fa.entries[a.second], fb, fb.entries[b.second]); c != 0) return c > 0;
      return a.first > b.first;
    };
    std::priority_queue<Cursor, std::vector<Cursor>, decltype(later)> heap(later);
    std::size_t entries = 0;
    for (std::uint32_t f = 0; f < fragments_.size(); ++f) {
      entries += fragments_[f].entries.size();
      if (!fragments_[f].entries.empty()) heap.emplace(f, 0);
    }
    // At most one clonotype per entry: reserved once, so that no growth copies the table (untouched
    // capacity costs address space, not memory).
    table.clonotypes.reserve(entries);
    table.counts.reserve(entries);
    while (!heap.empty()) {
      const auto [f0, i0] = heap.top();
      const AggregatedFragment& head = fragments_[f0];
      const AggregatedFragment::Entry& key = head.entries[i0];
      const auto idx = static_cast<std::uint32_t>(table.clonotypes.size());
      std::string_view jb, ja;  // the smallest J names seen for the key
      while (!heap.empty()) {
        const auto [f, i] = heap.top();
        const AggregatedFragment& fragment = fragments_[f];
        const AggregatedFragment::Entry& e = fragment.entries[i];
        if ((f != f0 || i != i0) && compare_keys(head, key, fragment, e) != 0) break;
        heap.pop();
        keep_smallest(jb, fragment.names[e.jb]);
        keep_smallest(ja, fragment.names[e.ja]);
        const double total = fragment.summary.total_count;
        table.counts.push_back({idx, f, e.count, total > 0 ? e.count / total : 0.0});
        if (i + 1 < fragment.entries.size()) heap.emplace(f, i + 1);
      }
      table.clonotypes.push_back(TcrView(head.cdr3b(key), head.names[key.vb], jb, head.cdr3a(key), head.names[key.va], ja));
    }
    table.fragments.reserve(fragments_.size());
    for (AggregatedFragment& a : fragments_) table.fragments.push_back(std::move(a.summary));
    fragments_.clear();
    return table;
  }

 private:
  static void keep_smallest(std::string_view& cur, std::string_view cand) {
    if (!cand.empty() && (cur.empty() || cand < cur)) cur = cand;
  }

  std::vector<AggregatedFragment> fragments_;
};

/// Reads and aggregates one culture's repertoire, row by row.
AggregatedFragment read_fragment(const FragmentEntry& e) {
  FragmentAggregator aggregator(e);
  RepertoireSummary s =
      stream_repertoire(e.path, e.format, [&aggregator](RepertoireRow&& row) { aggregator.add(std::move(row)); });
  return aggregator.finish(s.format, std::move(s.skipped), true);
}

}  // namespace

ClonotypeTable merge_repertoires(const std::vector<FragmentEntry>& entries, const std::vector<Repertoire>& reps) {
  ClonotypeMerger merger;
  for (std::size_t f = 0; f < entries.size(); ++f) {
    FragmentAggregator aggregator(entries[f]);
    for (const RepertoireRow& row : reps[f].rows) aggregator.add(RepertoireRow(row));
    merger.add(aggregator.finish(reps[f].format, reps[f].skipped, false));
  }
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
    ahead.push_back(std::async(std::launch::async, [&e] { return read_fragment(e); }));
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
  ClonotypeTable table = merger.finish();
#ifdef __GLIBC__
  // The reading threads' arenas keep the aggregated fragments' pages, freed by the merge, as free
  // chunks; handed back, they stop counting in the run's resident memory.
  malloc_trim(0);
#endif
  return table;
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
