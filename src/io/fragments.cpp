#include "io/fragments.hpp"

#include <algorithm>
#include <cmath>
#include <compare>
#include <deque>
#include <future>
#include <set>
#include <thread>
#include <unordered_map>

#include "io/gene_names.hpp"
#include "io/table_checks.hpp"
#include "io/table_reader.hpp"
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

struct ClonotypeKeyHash {
  std::size_t operator()(const ClonotypeKey& k) const noexcept {
    const std::hash<std::string> h;
    std::size_t seed = 0;
    // boost::hash_combine's mixing step.
    for (const std::string* f : {&k.cdr3b, &k.vb, &k.cdr3a, &k.va}) {
      seed ^= h(*f) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    }
    return seed;
  }
};

/// Merges repertoires one at a time (fragment index = order of add()), so a repertoire can be freed
/// as soon as it is merged.
class ClonotypeMerger {
 public:
  void add(const FragmentEntry& entry, const Repertoire& rep) {
    const auto f = static_cast<std::uint32_t>(fragments_.size());
    FragmentSummary s;
    s.id = entry.id;
    s.path = entry.path;
    s.format = rep.format;
    s.metadata = entry.metadata;
    s.skipped = rep.skipped;
    ClonotypeKey key;
    for (const RepertoireRow& row : rep.rows) {
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
      key.cdr3b = row.tcr.cdr3b;
      key.vb = gene_without_allele(row.tcr.vb);
      key.cdr3a = row.tcr.cdr3a;
      key.va = gene_without_allele(row.tcr.va);
      auto it = merged_.find(key);
      if (it == merged_.end()) it = merged_.emplace(key, Acc{}).first;
      Acc& acc = it->second;
      smallest(acc.jb, row.tcr.jb);
      smallest(acc.ja, row.tcr.ja);
      if (acc.counts.empty() || acc.counts.back().first != f) {
        acc.counts.emplace_back(f, 0.0);
        ++s.clonotypes;
      }
      acc.counts.back().second += row.count;
      s.rows += 1;
    }
    fragments_.push_back(std::move(s));
  }

  ClonotypeTable finish() {
    std::vector<std::pair<const ClonotypeKey*, Acc*>> order;
    order.reserve(merged_.size());
    for (auto& [key, acc] : merged_) order.emplace_back(&key, &acc);
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return *a.first < *b.first; });
    ClonotypeTable table;
    table.fragments = std::move(fragments_);
    table.clonotypes.reserve(order.size());
    for (const auto& [key, acc] : order) {
      const auto idx = static_cast<std::uint32_t>(table.clonotypes.size());
      Clonotype c;
      c.tcr = Tcr{key->cdr3b, key->vb, std::move(acc->jb), key->cdr3a, key->va, std::move(acc->ja)};
      table.clonotypes.push_back(std::move(c));
      for (const auto& [frag, count] : acc->counts) {
        const double total = table.fragments[frag].total_count;
        table.counts.push_back({idx, frag, count, total > 0 ? count / total : 0.0});
      }
    }
    merged_.clear();
    return table;
  }

 private:
  struct Acc {
    std::string jb, ja;
    std::vector<std::pair<std::uint32_t, double>> counts;  ///< (fragment, count), fragment ascending
  };
  static void smallest(std::string& cur, const std::string& cand) {
    if (!cand.empty() && (cur.empty() || cand < cur)) cur = cand;
  }
  std::unordered_map<ClonotypeKey, Acc, ClonotypeKeyHash> merged_;
  std::vector<FragmentSummary> fragments_;
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
  for (std::size_t f = 0; f < entries.size(); ++f) merger.add(entries[f], reps[f]);
  return merger.finish();
}

ClonotypeTable load_fragments(const std::string& manifest_path, unsigned threads) {
  const std::vector<FragmentEntry> entries = read_manifest(manifest_path);
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  // Up to `threads` repertoires are read ahead while the previous one is merged, in manifest order
  // (so the first bad fragment in the manifest is the one reported).
  ClonotypeMerger merger;
  std::deque<std::future<Repertoire>> ahead;
  std::size_t next = 0;
  auto launch = [&] {
    const FragmentEntry& e = entries[next++];
    ahead.push_back(std::async(std::launch::async, [&e] { return read_repertoire(e.path, e.format); }));
  };
  log::Progress progress("repertoires", static_cast<long long>(entries.size()));
  for (std::size_t i = 0; i < entries.size(); ++i) {
    while (next < entries.size() && ahead.size() < threads) launch();
    Repertoire rep = ahead.front().get();
    ahead.pop_front();
    require_rows(entries[i], rep);
    merger.add(entries[i], rep);
    progress.update(static_cast<long long>(i + 1), "files", 1);
  }
  progress.done();
  return merger.finish();
}

}  // namespace tilmatch::io
