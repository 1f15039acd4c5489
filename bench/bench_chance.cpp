// tilmatch_bench_chance: wall time of the chance model (chance::build_chance_model) for R
// reference TCRs x a background repertoire, on one backend. Run through scripts/bench-chance.
//
// Usage: tilmatch_bench_chance BACKGROUND REFERENCES[,REPERTOIRE...] R THREADS [BACKEND [DUMP]]
//   BACKGROUND: any repertoire layout (e.g. an OLGA sample); REFERENCES: a reference table, then
//   optionally repertoires (any layout; comma-separated, read in that order) to draw from once its
//   distinct CDR3βs run out; the first R distinct CDR3βs are used; BACKEND cpu (default) or cuda;
//   DUMP: also write the R reference CDR3βs to DUMP and the background's to DUMP.background, one
//   per line, for an anchor tool to run on the same pairs (scripts/bench-chance).
// Prints one tab-separated line: references, background, pairs, hits, blocks, encode_s, model_s
// (wall), model_cpu_s (all threads' CPU time), pairs_per_s (wall).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <fstream>
#include <stdexcept>
#include <set>
#include <string>
#include <vector>

#include "chance/background.hpp"
#include "chance/chance_model.hpp"
#include "io/background.hpp"
#include "io/reference_db.hpp"
#include "scoring/backend.hpp"

namespace tc = tilmatch::chance;
namespace ts = tilmatch::scoring;

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s BACKGROUND REFERENCES[,REPERTOIRE...] R THREADS [cpu|cuda [DUMP]]\n", argv[0]);
    return 2;
  }
  try {
    const std::size_t want = std::stoul(argv[3]);
    const unsigned threads = static_cast<unsigned>(std::stoul(argv[4]));
    const auto kind = ts::parse_backend_kind(argc > 5 ? argv[5] : "cpu");
    const tilmatch::Background bg = tilmatch::io::read_background(argv[1]);
    std::set<std::string> seen;
    std::vector<ts::TcrRecord> refs;
    const std::string sources = argv[2];
    const auto take = [&](const std::string& cdr3b) {
      if (refs.size() < want && !cdr3b.empty() && seen.insert(cdr3b).second)
        refs.push_back(ts::TcrRecord{"", cdr3b, "", ""});
    };
    std::size_t comma = std::min(sources.find(','), sources.size());
    for (const auto& row : tilmatch::io::read_reference(sources.substr(0, comma)).rows) take(row.tcr.cdr3b);
    while (comma < sources.size() && refs.size() < want) {
      const std::size_t at = comma + 1;
      comma = std::min(sources.find(',', at), sources.size());
      const tilmatch::Background more = tilmatch::io::read_background(sources.substr(at, comma - at));
      for (std::size_t i = 0; i < more.size(); ++i) take(std::string(more.cdr3_of(i)));
    }
    if (refs.size() < want)
      throw std::runtime_error("only " + std::to_string(refs.size()) + " distinct CDR3b in " + sources + ", not " +
                               std::to_string(want));
    if (argc > 6) {
      const std::string dump = argv[6];
      std::ofstream r(dump), b(dump + ".background");
      for (const auto& t : refs) r << t.cdr3_b << '\n';
      for (std::size_t i = 0; i < bg.size(); ++i) b << bg.cdr3_of(i) << '\n';
      if (!r.flush() || !b.flush()) throw std::runtime_error("cannot write " + dump);
    }
    const auto backend = ts::make_backend(kind, threads);
    const auto t0 = std::chrono::steady_clock::now();
    const auto set = ts::encode_tcrdist_set(tc::background_records(bg), ts::Chains::beta, nullptr);
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
