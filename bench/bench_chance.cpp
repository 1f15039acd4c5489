// tilmatch_bench_chance: wall time of the chance model (chance::build_chance_model) for R
// reference TCRs x a background repertoire, on one backend. Run through scripts/bench-chance.
//
// Usage: tilmatch_bench_chance BACKGROUND REFERENCES R THREADS [BACKEND]
//   BACKGROUND: any repertoire layout (e.g. an OLGA sample); REFERENCES: any repertoire or reference
//   layout, of which the first R distinct CDR3βs are used; BACKEND cpu (default) or cuda.
// Prints one tab-separated line: references, background, pairs, hits, blocks, encode_s, model_s
// (wall), model_cpu_s (all threads' CPU time), pairs_per_s (wall).

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <set>
#include <string>
#include <vector>

#include "chance/background.hpp"
#include "chance/chance_model.hpp"
#include "io/reference_db.hpp"
#include "scoring/backend.hpp"

namespace tc = tilmatch::chance;
namespace ts = tilmatch::scoring;

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s BACKGROUND REFERENCES R THREADS [cpu|cuda]\n", argv[0]);
    return 2;
  }
  try {
    const std::size_t want = std::stoul(argv[3]);
    const unsigned threads = static_cast<unsigned>(std::stoul(argv[4]));
    const auto kind = ts::parse_backend_kind(argc > 5 ? argv[5] : "cpu");
    const tc::Background bg = tc::read_background(argv[1]);
    std::set<std::string> seen;
    std::vector<ts::TcrRecord> refs;
    for (const auto& row : tilmatch::io::read_reference(argv[2]).rows) {
      if (refs.size() == want) break;
      if (!row.tcr.cdr3b.empty() && seen.insert(row.tcr.cdr3b).second)
        refs.push_back(ts::TcrRecord{"", row.tcr.cdr3b, "", ""});
    }
    const auto backend = ts::make_backend(kind, threads);
    const auto t0 = std::chrono::steady_clock::now();
    const auto set = ts::encode_tcrdist_set(bg.rows, ts::Chains::beta, nullptr);
    const auto t1 = std::chrono::steady_clock::now();
    const std::clock_t c1 = std::clock();
    tc::ChanceBuildStats stats;
    ts::EngineOptions options;
    options.memory_budget_bytes = std::size_t{1} << 30;
    const auto model = tc::build_chance_model(refs, set, nullptr, *backend, tc::ChanceParams{}, options, {}, &stats);
    const auto t2 = std::chrono::steady_clock::now();
    const double cpu_s = static_cast<double>(std::clock() - c1) / CLOCKS_PER_SEC;
    const double encode_s = std::chrono::duration<double>(t1 - t0).count();
    const double model_s = std::chrono::duration<double>(t2 - t1).count();
    std::printf("%zu\t%zu\t%llu\t%llu\t%llu\t%.3f\t%.3f\t%.3f\t%.4g\n", model.references(), model.background_size(),
                static_cast<unsigned long long>(stats.pairs), static_cast<unsigned long long>(stats.hits),
                static_cast<unsigned long long>(stats.blocks), encode_s, model_s, cpu_s,
                static_cast<double>(stats.pairs) / model_s);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tilmatch_bench_chance: %s\n", e.what());
    return 1;
  }
  return 0;
}
