// Throughput of the screen's statistics on synthetic data of a full screen (fixed seed):
// - find_reactive_clonotypes: 24 comparisons of a sorted population against its reference, each
//   over 100,000 clonotypes with Zipf-like read counts (~1e6 reads per population, 50 clonotypes
//   planted 10x in the sorted cells); FEST's default filter (>= 10 sorted reads) and every clonotype
//   with a read (min count 1). Counters: clonotypes tested per second, seconds per screen.
// - call_screen: 24 fragments x 48 constructs, ELISpot with 6 test vs 12 control wells (DFR(2x),
//   exact over C(18, 6) = 18,564 relabellings, and the empirical fallback) and one flow assay.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "screen/calls.hpp"
#include "screen/enrichment.hpp"

namespace ts = tilmatch::screen;

namespace {

constexpr std::uint64_t kSeed = 20250611;
constexpr int kComparisons = 24;
constexpr int kClonotypes = 100'000;
constexpr double kReads = 1e6;

// prefix + n, appended rather than by operator+ (GCC 12 -Wrestrict false positive, PR 105329).
std::string label(const char* prefix, int n) {
  std::string s = prefix;
  s += std::to_string(n);
  return s;
}

std::vector<ts::EnrichmentComparison> make_comparisons() {
  std::mt19937_64 rng(kSeed);
  std::vector<double> w(kClonotypes);
  double sum = 0;
  for (int i = 0; i < kClonotypes; ++i) sum += w[i] = 1.0 / (i + 10);
  std::vector<ts::EnrichmentComparison> out(kComparisons);
  std::uniform_int_distribution<int> rank(0, 20'000);
  for (int c = 0; c < kComparisons; ++c) {
    auto& cmp = out[c];
    cmp.fragment_id = label("F", c % 12);
    cmp.construct = label("TMG", c);
    std::vector<double> boost(kClonotypes, 1.0);
    for (int k = 0; k < 50; ++k) boost[rank(rng)] = 10.0;
    for (int i = 0; i < kClonotypes; ++i) {
      const auto key = static_cast<std::uint64_t>(i);
      std::poisson_distribution<std::int64_t> ref(kReads * w[i] / sum);
      std::poisson_distribution<std::int64_t> sorted(kReads * w[i] * boost[i] / sum);
      if (const auto n = ref(rng); n > 0) cmp.reference.push_back({key, n});
      if (const auto n = sorted(rng); n > 0) cmp.sorted.push_back({key, n});
    }
  }
  return out;
}

const std::vector<ts::EnrichmentComparison>& comparisons() {
  static const auto data = make_comparisons();
  return data;
}

void BM_find_reactive_clonotypes(benchmark::State& state) {
  ts::EnrichmentParams params;
  params.min_sorted_count = state.range(0);
  const auto& data = comparisons();
  std::size_t tested = 0, reactive = 0;
  for (auto _ : state) {
    const auto results = ts::find_reactive_clonotypes(data, params);
    tested = reactive = 0;
    for (const auto& r : results) {
      tested += r.clonotypes.size();
      reactive += r.reactive;
    }
    benchmark::DoNotOptimize(results.data());
  }
  state.counters["tested"] = static_cast<double>(tested);
  state.counters["reactive"] = static_cast<double>(reactive);
  state.counters["tested/s"] = benchmark::Counter(static_cast<double>(tested) * static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_find_reactive_clonotypes)->Arg(10)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

std::vector<ts::Readout> make_readouts() {
  std::mt19937_64 rng(kSeed);
  std::vector<ts::Readout> out;
  auto add = [&](const std::string& f, const std::string& c, const std::string& a, double v) {
    ts::Readout r;
    r.fragment_id = f;
    r.construct = c;
    r.assay = a;
    r.replicate = std::to_string(out.size());
    r.value = v;
    r.line = static_cast<std::int64_t>(out.size()) + 2;
    out.push_back(std::move(r));
  };
  auto nb = [&](double mean) {
    std::gamma_distribution<double> g(10, mean / 10);
    return static_cast<double>(std::poisson_distribution<int>(g(rng))(rng));
  };
  for (int f = 0; f < 24; ++f) {
    const std::string frag = label("F", f);
    for (int i = 0; i < 12; ++i) add(frag, "negative", "elispot_ifng", nb(10));
    for (int i = 0; i < 4; ++i) add(frag, "negative", "cd137_cd8", 0.5 * nb(10) / 10);
    for (int k = 0; k < 48; ++k) {
      const std::string construct = label("TMG", k);
      const double mean = k % 16 == 0 ? 60 : 10;
      for (int i = 0; i < 6; ++i) add(frag, construct, "elispot_ifng", nb(mean));
      for (int i = 0; i < 2; ++i) add(frag, construct, "cd137_cd8", 0.5 * nb(mean) / 10);
    }
  }
  return out;
}

void BM_call_screen(benchmark::State& state) {
  static const auto readouts = make_readouts();
  ts::CallParams params;
  params.elispot_fold_fallback = state.range(0) != 0;
  std::size_t positives = 0;
  for (auto _ : state) {
    const auto calls = ts::call_screen(readouts, params);
    positives = 0;
    for (const auto& c : calls) positives += c.status == ts::CallStatus::kPositive;
    benchmark::DoNotOptimize(calls.data());
  }
  state.counters["positives"] = static_cast<double>(positives);
}
// 1: DFR wells reach 1 / 18,564 > 0.05 / 1,152, so every ELISpot call falls back to the empirical
// rule; 0: every construct gets its exact DFR(2x) test.
BENCHMARK(BM_call_screen)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
