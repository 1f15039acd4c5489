// tilmatch background: a background repertoire for the chance model (`run --background FILE`),
// drawn from a V(D)J recombination model, as a V-grouped CDR3 list (docs/formats.md, "Background").

#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "chance/olga_sampler.hpp"
#include "cli/command.hpp"
#include "cli/help.hpp"
#include "cli/search_support.hpp"
#include "io/background.hpp"
#include "io/generation_model.hpp"
#include "io/gzip_writer.hpp"
#include "tilmatch/atomic_file.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch::cli {
namespace {

/// The shipped background's seed (data/background/README.md): the default, so that
/// `--rows 1000000` rebuilds its rows.
constexpr std::uint64_t kBuiltinSeed = 20261201;

struct BackgroundArgs {
  std::string model, out;
  std::uint64_t rows = 0;
  std::uint64_t seed = kBuiltinSeed;
};

int run_background(const BackgroundArgs& a) {
  if (a.rows == 0) throw UsageError("--rows must be at least 1");
  if (a.rows >= (std::uint64_t{1} << 32) - 1) throw UsageError("--rows must be below 2^32 - 1 (the chance model's limit)");
  log::stage("reading the generation model in " + a.model + "...");
  const GenerationModel model = io::read_generation_model(a.model);
  const chance::OlgaSampler sampler(model);
  AtomicFile out(a.out);  // fails now, not after the draws, when the folder is not writable
  log::Progress progress("background", static_cast<long long>(a.rows));
  const Background bg = chance::sample_background(sampler, a.rows, a.seed, [&progress](std::uint64_t k) {
    progress.update(static_cast<long long>(k), "rows", 1);
  });
  progress.done();
  const std::string folder = std::filesystem::path(a.model).lexically_normal().filename().string();
  const std::vector<std::string> comments = {
      std::to_string(a.rows) + " productive rearrangements drawn by tilmatch background (seed " +
          std::to_string(a.seed) + ") from the V(D)J model in " + (folder.empty() ? a.model : folder),
      "rows: per V gene (sorted) its CDR3s (sorted), duplicates kept; J genes left out"};
  const std::string text = io::format_grouped_background(bg, comments);
  if (a.out.ends_with(".gz")) {
    io::write_bgzf(out, text);
  } else {
    out.write(text);
  }
  out.commit();
  log::stage("done: " + log::format_count(static_cast<long long>(a.rows)) + " rows in " +
             log::format_count(static_cast<long long>(bg.genes.size())) + " V genes written to " + output_name(a.out));
  return kExitOk;
}

Runner setup_background(CLI::App& sub) {
  auto a = std::make_shared<BackgroundArgs>();
  sub.add_option("--model", a->model,
                 "V(D)J model folder in IGoR's layout (model_params.txt, model_marginals.txt, "
                 "V/J_gene_CDR3_anchors.csv), e.g. the olga package's default_models/human_T_beta")
      ->required()
      ->check(CLI::ExistingDirectory)
      ->group(kGroupInputs);
  sub.add_option("-n,--rows", a->rows, "Productive rearrangements to draw")->required()->group(kGroupModel);
  sub.add_option("--seed", a->seed, "Seed of the generator (the built-in background's by default)")
      ->capture_default_str()
      ->group(kGroupModel);
  sub.add_option("-o,--out", a->out, "Background file (gzip when the name ends in .gz)")
      ->required()
      ->type_name("FILE")
      ->group(kGroupOutput);
  sub.footer(
      "A run judges chance against this many unrelated TCRs: a patient with more distinct clonotypes than\n"
      "half its rows gets a note (run.json surprise_ceiling). Example (10^7 rows: ~50 s, 0.5 GB; then\n"
      "tilmatch run ... --background bg10m.txt.gz):\n"
      "  tilmatch background --model olga/default_models/human_T_beta --rows 10000000 --out bg10m.txt.gz\n"
      "\n"
      "Same model, rows and seed: same rows. --rows 1000000 with the default seed on OLGA's human TRB\n"
      "model gives the built-in background's rows.");
  return [a](const std::string&) { return run_background(*a); };
}

}  // namespace

CommandSpec background_command() {
  return {"background", "Draw a background repertoire for the chance model from a V(D)J model",
          &setup_background};
}

}  // namespace tilmatch::cli
