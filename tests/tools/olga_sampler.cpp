// tilmatch_olga_sampler: samples productive human TCRβ CDR3s from a V(D)J recombination model
// (OLGA's IGoR files, e.g. ../shared/data/olga_human_trb) for synthetic TIL repertoires, through
// the library's reader and sampler (io/generation_model.hpp, chance/olga_sampler.hpp: the model's
// conventions are documented there). A test tool, not part of the CLI: `tilmatch background`
// writes a background from the same draws.
//
// Usage: tilmatch_olga_sampler --model DIR -n N --seed S [--out FILE] [--id-prefix P] [--stats]
// Output: AIRR rearrangement TSV (sequence_id, locus, productive, v_call, j_call, junction,
// junction_aa, duplicate_count=1), N rows in draw order; --stats adds a summary on stderr.

#include <CLI/CLI.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <map>
#include <random>
#include <stdexcept>
#include <string>

#include "chance/olga_sampler.hpp"
#include "io/generation_model.hpp"

using tilmatch::chance::OlgaSampler;

int main(int argc, char** argv) {
  CLI::App app{"Samples productive human TRB CDR3s from OLGA's IGoR model (a tilmatch test tool)"};
  std::string model_dir, out_path = "-", prefix = "olga";
  std::uint64_t n = 0, seed = 0;
  bool stats = false;
  app.add_option("--model", model_dir, "folder with model_params.txt, model_marginals.txt and the anchor CSVs")
      ->required();
  app.add_option("-n,--number", n, "productive sequences to write")->required();
  app.add_option("--seed", seed, "seed of the mt19937_64 generator")->required();
  app.add_option("--out", out_path, "output TSV ('-' = stdout)");
  app.add_option("--id-prefix", prefix, "sequence_id prefix");
  app.add_flag("--stats", stats, "print draws, acceptance and the length distribution on stderr");
  CLI11_PARSE(app, argc, argv);
  try {
    const OlgaSampler model(tilmatch::io::read_generation_model(model_dir));
    std::mt19937_64 rng(seed);
    std::FILE* out = out_path == "-" ? stdout : std::fopen(out_path.c_str(), "wb");
    if (out == nullptr) throw std::runtime_error("cannot write " + out_path);
    std::string buf = "sequence_id\tlocus\tproductive\tv_call\tj_call\tjunction\tjunction_aa\tduplicate_count\n";
    std::uint64_t draws = 0, total_len = 0;
    std::array<std::uint64_t, OlgaSampler::kReasons> rejects{};
    std::map<std::size_t, std::uint64_t> lengths;
    OlgaSampler::Draw d;
    for (std::uint64_t k = 0; k < n;) {
      ++draws;
      const auto why = model.draw(rng, d);
      if (why != OlgaSampler::kNone) {
        ++rejects[why];
        continue;
      }
      ++k;
      total_len += d.aa.size();
      ++lengths[d.aa.size()];
      buf += prefix + "." + std::to_string(k) + "\tTRB\tT\t" + d.v + "\t" + d.j + "\t" + d.nt + "\t" + d.aa + "\t1\n";
      if (buf.size() > (1u << 20)) {
        if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) throw std::runtime_error("write failed");
        buf.clear();
      }
    }
    if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) throw std::runtime_error("write failed");
    if (out != stdout && std::fclose(out) != 0) throw std::runtime_error("cannot close " + out_path);
    if (stats) {
      std::cerr << "draws\t" << draws << "\naccepted\t" << n << "\nacceptance\t"
                << (draws ? static_cast<double>(n) / static_cast<double>(draws) : 0.0) << "\nmean_length\t"
                << (n ? static_cast<double>(total_len) / static_cast<double>(n) : 0.0) << "\n";
      const char* names[] = {"", "rejected_gene", "rejected_deletion", "rejected_frame", "rejected_stop",
                             "rejected_anchor"};
      for (int r = 1; r < OlgaSampler::kReasons; ++r) std::cerr << names[r] << "\t" << rejects[r] << "\n";
      for (const auto& [len, c] : lengths) std::cerr << "length\t" << len << "\t" << c << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "tilmatch_olga_sampler: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
