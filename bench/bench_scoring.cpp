// Pairs/s of the TCR scorers per backend on CDR3s sampled from the VDJdb-derived reference table,
// plus the anchor: TCRMatch's original O(L^3) k-mer loop, single-threaded, on the same pairs.
// Counters: pairs/s (rate), lookups/pair (table lookups the implementation performs, averaged over
// the pairs) and floor_lookups/pair (what an optimal per-pair algorithm must still look up).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "encode/residues.hpp"
#include "io/line_reader.hpp"
#include "io/reference_db.hpp"
#include "names/gene_names.hpp"
#include "scoring/backend.hpp"
#include "scoring/vgene_table.hpp"

namespace ts = tilmatch::scoring;

namespace {

constexpr unsigned kSeed = 20240611u;
constexpr std::size_t kQueries = 512;
constexpr std::size_t kReferences = 4096;
constexpr std::size_t kAnchorQueries = 16;
constexpr std::size_t kAnchorReferences = 256;

std::filesystem::path data_root() {
  if (const char* env = std::getenv("TILMATCH_SHARED_DATA")) return env;
  return TILMATCH_BENCH_DATA;
}

struct Data {
  std::vector<ts::TcrRecord> paired;  ///< distinct alpha + beta CDR3s with V genes every tool knows
  std::vector<ts::TcrRecord> beta_v;  ///< distinct CDR3b + Vb gene every tool knows
  std::vector<std::string> beta;      ///< distinct usable CDR3b
  std::optional<ts::VGeneTable> vgenes;
  std::string problem;
};

// V genes as genes (TRBV30*01 -> TRBV30): tcrdist-rs compares genes with genes only, and tilmatch
// reads a gene as its *01 allele.
std::string gene_name(const std::string& v) { return std::string(tilmatch::names::gene_without_allele(v)); }

const Data& data() {
  static const Data d = [] {
    Data out;
    const auto table = data_root() / "tcr_reference/vdjdb_human_chunks_2026-04-27.tsv.gz";
    const auto vtable = data_root() / "tcr_oracles/tcrdist3_alphabeta_gammadelta_db.tsv";
    const auto rs_lookup = data_root() / "tcr_oracles/tcrdist_rs_human_v_lookup.csv.gz";
    if (!std::filesystem::exists(table) || !std::filesystem::exists(vtable) || !std::filesystem::exists(rs_lookup)) {
      out.problem = "shared data not found under " + data_root().string();
      return out;
    }
    out.vgenes = ts::VGeneTable::load(vtable);
    // Genes tcrdist-rs has distances for (the anchors score the same pairs).
    std::set<std::string> rs_genes;
    tilmatch::io::LineReader lookup(rs_lookup.string());
    for (std::string line; lookup.next(line);) rs_genes.insert(line.substr(0, line.find(',')));
    const auto known = [&](const std::string& gene) { return out.vgenes->contains(gene) && rs_genes.count(gene) > 0; };
    std::set<std::string> seen_beta;
    std::set<std::tuple<std::string, std::string, std::string, std::string>> seen;
    for (const auto& r : tilmatch::io::read_reference(table.string()).rows) {
      const auto& t = r.tcr;
      if (t.cdr3b.size() < 6) continue;
      if (seen_beta.insert(t.cdr3b).second) out.beta.push_back(t.cdr3b);
      const std::string vb = gene_name(t.vb), va = gene_name(t.va);
      if (!known(vb)) continue;
      if (seen.insert({"", t.cdr3b, "", vb}).second) out.beta_v.push_back({"", t.cdr3b, "", vb});
      if (t.cdr3a.size() >= 6 && known(va) && seen.insert({t.cdr3a, t.cdr3b, va, vb}).second)
        out.paired.push_back({t.cdr3a, t.cdr3b, va, vb});
    }
    std::mt19937 rng(kSeed);
    std::shuffle(out.beta.begin(), out.beta.end(), rng);
    std::shuffle(out.paired.begin(), out.paired.end(), rng);
    std::shuffle(out.beta_v.begin(), out.beta_v.end(), rng);
    return out;
  }();
  return d;
}

template <class T>
std::vector<T> slice(const std::vector<T>& v, std::size_t from, std::size_t n) {
  std::vector<T> out;
  for (std::size_t i = 0; i < n && !v.empty(); ++i) out.push_back(v[(from + i) % v.size()]);
  return out;
}

std::vector<ts::TcrRecord> beta_records(const std::vector<std::string>& s) {
  std::vector<ts::TcrRecord> out;
  for (const auto& x : s) out.push_back({"", x, "", ""});
  return out;
}

std::vector<std::string> trimmed(const std::vector<std::string>& s) {
  std::vector<std::string> out;
  for (const auto& x : s) out.emplace_back(ts::tcrmatch_trim(x));
  return out;
}

// Lookups of tcrdist_cdr3_mismatch (running sums over the two ends, each position pair once) and
// the floor (every position either side of the gap range looked up once).
std::pair<double, double> cdr3_lookups(std::size_t ql, std::size_t sl) {
  const int s = static_cast<int>(std::min(ql, sl));
  if (ql == sl) return {s - 5.0, s - 5.0};
  int lo = 5, hi = s - 5;
  while (lo > hi) --lo, ++hi;
  double done = std::max(0, lo - 3) + std::max(0, s - lo - 2);
  for (int g = lo + 1; g <= hi; ++g) done += (g - 1 >= 3) + (s - g >= 2);
  return {done, (hi - 3.0) + (s - lo - 2.0)};
}

struct Lookups {
  double done = 0, floor = 0;
};

// `max_len_diff`: the engine scores only pairs whose CDR3b lengths differ by at most this much
// (each residue of difference costs 12); the others cost no lookup.
Lookups tcrdist_lookups(const std::vector<ts::TcrRecord>& q, const std::vector<ts::TcrRecord>& r, bool paired,
                        std::size_t max_len_diff, double* scored_fraction) {
  Lookups l;
  double scored = 0;
  for (const auto& a : q)
    for (const auto& b : r) {
      const std::size_t la = a.cdr3_b.size(), lb = b.cdr3_b.size();
      if ((la > lb ? la - lb : lb - la) > max_len_diff) continue;
      scored += 1;
      auto [d, f] = cdr3_lookups(a.cdr3_b.size(), b.cdr3_b.size());
      if (paired) {
        auto [da, fa] = cdr3_lookups(a.cdr3_a.size(), b.cdr3_a.size());
        // V loops: one lookup per chain in the search's precomputed V x V table (a position sum
        // over the ~20 gapped loop residues per chain before).
        d += da + 2.0;
        f += fa + 2;
      }
      l.done += d;
      l.floor += f;
    }
  const double pairs = static_cast<double>(q.size() * r.size());
  *scored_fraction = scored / pairs;
  return {l.done / pairs, l.floor / pairs};
}

Lookups tcrmatch_lookups(const std::vector<std::string>& q, const std::vector<std::string>& r, bool triple) {
  double total = 0;
  for (const auto& a : q)
    for (const auto& b : r) {
      const double la = static_cast<double>(a.size()), lb = static_cast<double>(b.size());
      if (!triple) {
        total += la * lb;  // every aligned residue pair once (diagonal recurrence); runs > 30 add a little
        continue;
      }
      for (double k = 1; k <= 30 && k <= std::min(la, lb); ++k) total += k * (la - k + 1) * (lb - k + 1);
    }
  const double pairs = static_cast<double>(q.size() * r.size());
  double floor = 0;  // every aligned residue pair must be looked up at least once
  for (const auto& a : q)
    for (const auto& b : r) floor += static_cast<double>(a.size() * b.size());
  return {total / pairs, floor / pairs};
}

void set_counters(benchmark::State& state, std::size_t pairs, const Lookups& l) {
  state.counters["pairs/s"] = benchmark::Counter(static_cast<double>(pairs) * static_cast<double>(state.iterations()),
                                                 benchmark::Counter::kIsRate);
  state.counters["lookups/pair"] = l.done;
  state.counters["floor_lookups/pair"] = l.floor;
}

enum class TcrdistJob { kBeta, kBetaV, kAlphaBeta };

struct TcrdistSample {
  std::vector<ts::TcrRecord> queries, references;
  ts::Chains chains = ts::Chains::beta;
  bool vloops = false;
  int radius = 24;
};

// The pairs of each TCRdist job: CDR3b only (radius 24), Vb + CDR3b (radius 24), alpha + beta with
// V loops (radius 96). scripts/bench-scoring times the anchors on the same pairs (--dump-sample).
TcrdistSample tcrdist_sample(TcrdistJob job) {
  const Data& d = data();
  TcrdistSample s;
  switch (job) {
    case TcrdistJob::kBeta:
      s.queries = beta_records(slice(d.beta, 0, kQueries));
      s.references = beta_records(slice(d.beta, kQueries, kReferences));
      break;
    case TcrdistJob::kBetaV:
      s.queries = slice(d.beta_v, 0, kQueries);
      s.references = slice(d.beta_v, kQueries, kReferences);
      s.vloops = true;
      break;
    case TcrdistJob::kAlphaBeta:
      s.queries = slice(d.paired, 0, kQueries);
      s.references = slice(d.paired, kQueries, kReferences);
      s.chains = ts::Chains::alpha_beta;
      s.vloops = true;
      s.radius = 96;
      break;
  }
  return s;
}

void bm_tcrdist(benchmark::State& state, ts::BackendKind kind, unsigned threads, TcrdistJob job) {
  const Data& d = data();
  if (!d.problem.empty()) return state.SkipWithError(d.problem.c_str());
  const TcrdistSample s = tcrdist_sample(job);
  const ts::VGeneTable* v = s.vloops ? &*d.vgenes : nullptr;
  const auto qs = ts::encode_tcrdist_set(s.queries, s.chains, v), rs = ts::encode_tcrdist_set(s.references, s.chains, v);
  const auto backend = ts::make_backend(kind, threads);
  ts::EngineOptions opts;
  std::size_t hits = 0;
  for (auto _ : state) {
    auto h = backend->tcrdist_search(qs, rs, s.radius, opts);
    hits = h.size();
    benchmark::DoNotOptimize(h.data());
  }
  state.counters["hits"] = static_cast<double>(hits);
  // The share of pairs the CPU engine scores in full (the others it prunes); the CUDA kernels
  // score every pair of the lengths within the radius.
  std::atomic<std::uint64_t> scored{0};
  opts.scored_pairs = &scored;
  ts::tcrdist_search(qs, rs, s.radius, opts);
  const double pairs = static_cast<double>(s.queries.size() * s.references.size());
  state.counters["scored_fraction"] = static_cast<double>(scored.load()) / pairs;
  double unused = 1;
  const bool paired = job == TcrdistJob::kAlphaBeta;
  Lookups l = tcrdist_lookups(s.queries, s.references, paired, 1000, &unused);
  if (s.vloops && !paired) {
    l.done += 1;
    l.floor += 1;
  }
  set_counters(state, s.queries.size() * s.references.size(), l);
}

void bm_tcrmatch(benchmark::State& state, ts::BackendKind kind, unsigned threads) {
  const Data& d = data();
  if (!d.problem.empty()) return state.SkipWithError(d.problem.c_str());
  const auto q = trimmed(slice(d.beta, 0, kQueries)), r = trimmed(slice(d.beta, kQueries, kReferences));
  const auto k1 = ts::make_k1_table();
  const auto qs = ts::encode_tcrmatch_set(q, k1), rs = ts::encode_tcrmatch_set(r, k1);
  const auto backend = ts::make_backend(kind, threads);
  ts::EngineOptions opts;
  const float min_score = ts::tcrmatch_min_score(ts::kTcrmatchDefaultThreshold);
  std::size_t hits = 0;
  for (auto _ : state) {
    auto h = backend->tcrmatch_search(qs, rs, min_score, k1, opts);
    hits = h.size();
    benchmark::DoNotOptimize(h.data());
  }
  state.counters["hits"] = static_cast<double>(hits);
  std::atomic<std::uint64_t> scored{0};
  opts.scored_pairs = &scored;
  ts::tcrmatch_search(qs, rs, min_score, k1, opts);
  state.counters["scored_fraction"] = static_cast<double>(scored.load()) / static_cast<double>(q.size() * r.size());
  set_counters(state, q.size() * r.size(), tcrmatch_lookups(q, r, false));
}

// TCRMatch 1.3's own algorithm: for k = 1..30, every pair of k-mers, product of K1 (float32), the
// self-scores computed once per sequence; then the normalised score and the > 0.97 test.
float k3_triple_loop(const std::vector<std::uint8_t>& f, const std::vector<std::uint8_t>& g, const ts::K1Table& k1) {
  float total = 0.0f;
  for (std::size_t k = 1; k <= 30; ++k)
    for (std::size_t i = 0; i + k <= f.size(); ++i)
      for (std::size_t j = 0; j + k <= g.size(); ++j) {
        float p = 1.0f;
        for (std::size_t t = 0; t < k; ++t) p *= k1.k[f[i + t] * ts::kK1Alphabet + g[j + t]];
        total += p;
      }
  return total;
}

void bm_tcrmatch_triple_loop(benchmark::State& state) {
  const Data& d = data();
  if (!d.problem.empty()) return state.SkipWithError(d.problem.c_str());
  const auto q = trimmed(slice(d.beta, 0, kAnchorQueries)), r = trimmed(slice(d.beta, kQueries, kAnchorReferences));
  const auto k1 = ts::make_k1_table();
  auto encode = [](const std::vector<std::string>& v) {
    std::vector<std::vector<std::uint8_t>> out;
    for (const auto& s : v) {
      std::vector<std::uint8_t> c;
      for (char ch : s) c.push_back(tilmatch::encode::residue_code(ch));
      out.push_back(std::move(c));
    }
    return out;
  };
  const auto qc = encode(q), rc = encode(r);
  std::size_t hits = 0;
  for (auto _ : state) {
    std::vector<float> qself, rself;
    for (const auto& x : qc) qself.push_back(k3_triple_loop(x, x, k1));
    for (const auto& x : rc) rself.push_back(k3_triple_loop(x, x, k1));
    hits = 0;
    for (std::size_t i = 0; i < qc.size(); ++i)
      for (std::size_t j = 0; j < rc.size(); ++j) {
        const float s = k3_triple_loop(qc[i], rc[j], k1) / std::sqrt(qself[i] * rself[j]);
        hits += s > 0.97;
      }
    benchmark::DoNotOptimize(hits);
  }
  state.counters["hits"] = static_cast<double>(hits);
  set_counters(state, q.size() * r.size(), tcrmatch_lookups(q, r, true));
}

void register_all() {
  const unsigned all = std::max(1u, std::thread::hardware_concurrency());
  struct Way {
    std::string name;
    ts::BackendKind kind;
    unsigned threads;
  };
  std::vector<Way> ways = {{"cpu/threads:1", ts::BackendKind::kCpu, 1},
                           {"cpu/threads:" + std::to_string(all), ts::BackendKind::kCpu, all}};
  if (ts::make_backend(ts::BackendKind::kAuto, 1)->name().rfind("cuda", 0) == 0)
    ways.push_back({"cuda", ts::BackendKind::kCuda, 0});
  else
    std::fprintf(stderr, "bench_scoring: no CUDA device (or CPU-only build): CUDA rows skipped\n");
  for (const auto& w : ways) {
    benchmark::RegisterBenchmark(("tcrdist_beta/" + w.name).c_str(), bm_tcrdist, w.kind, w.threads, TcrdistJob::kBeta)
        ->Unit(benchmark::kMillisecond)->UseRealTime();
    benchmark::RegisterBenchmark(("tcrdist_beta_v/" + w.name).c_str(), bm_tcrdist, w.kind, w.threads,
                                 TcrdistJob::kBetaV)
        ->Unit(benchmark::kMillisecond)->UseRealTime();
    benchmark::RegisterBenchmark(("tcrdist_alpha_beta/" + w.name).c_str(), bm_tcrdist, w.kind, w.threads,
                                 TcrdistJob::kAlphaBeta)
        ->Unit(benchmark::kMillisecond)->UseRealTime();
    benchmark::RegisterBenchmark(("tcrmatch/" + w.name).c_str(), bm_tcrmatch, w.kind, w.threads)
        ->Unit(benchmark::kMillisecond)->UseRealTime();
  }
  benchmark::RegisterBenchmark("tcrmatch_triple_loop/cpu/threads:1", bm_tcrmatch_triple_loop)
      ->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace

// Writes each TCRdist job's pairs as tcrdist3-style CSVs (<job>_queries.csv, <job>_references.csv)
// into `dir`, for the anchors that scripts/bench-scoring times on the same pairs.
int dump_samples(const std::filesystem::path& dir) {
  const Data& d = data();
  if (!d.problem.empty()) {
    std::fprintf(stderr, "bench_scoring: %s\n", d.problem.c_str());
    return 1;
  }
  std::filesystem::create_directories(dir);
  const std::pair<const char*, TcrdistJob> jobs[] = {
      {"tcrdist_beta", TcrdistJob::kBeta}, {"tcrdist_beta_v", TcrdistJob::kBetaV}, {"tcrdist_alpha_beta", TcrdistJob::kAlphaBeta}};
  for (const auto& [name, job] : jobs) {
    const TcrdistSample s = tcrdist_sample(job);
    for (const auto& [side, tcrs] : {std::pair{"queries", &s.queries}, std::pair{"references", &s.references}}) {
      const auto path = dir / (std::string(name) + "_" + side + ".csv");
      std::FILE* f = std::fopen(path.c_str(), "w");
      if (f == nullptr) return 1;
      std::fprintf(f, "cdr3_b_aa,v_b_gene,cdr3_a_aa,v_a_gene,radius\n");
      for (const auto& t : *tcrs)
        std::fprintf(f, "%s,%s,%s,%s,%d\n", t.cdr3_b.c_str(), t.v_b.c_str(), t.cdr3_a.c_str(), t.v_a.c_str(), s.radius);
      if (std::fclose(f) != 0) return 1;
    }
  }
  return 0;
}

int main(int argc, char** argv) {
  const std::string dump_flag = "--dump-sample=";
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]).rfind(dump_flag, 0) == 0) return dump_samples(std::string(argv[i]).substr(dump_flag.size()));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
