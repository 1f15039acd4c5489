// tilmatch background: a background repertoire for the chance model drawn from a V(D)J model
// (OLGA's human TRB model in ../shared/data/olga_human_trb; hand-made broken models for errors).

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/test_support.hpp"
#include "io/background.hpp"
#include "io/line_reader.hpp"

namespace tilmatch::test {
namespace {

namespace fs = std::filesystem;

/// The lines of a plain or gzip file.
std::vector<std::string> lines_of(const fs::path& path) {
  io::LineReader in(path.string());
  std::vector<std::string> out;
  std::string line;
  while (in.next(line)) out.push_back(line);
  return out;
}

std::string background_args(const fs::path& model, const std::string& rows, const fs::path& out,
                            const std::string& extra = "") {
  return "background --model " + shell_quote(model) + " --rows " + rows + " --out " + shell_quote(out) + " " + extra;
}

// The shipped background is 10^6 draws of the default seed on this model (scripts/make-background,
// through the test tool sharing the same sampler): the subcommand gives back its rows exactly,
// grouped and sorted alike; only the provenance line differs.
TEST(BackgroundCli, RebuildsTheBuiltInBackgroundsRows) {
  TILMATCH_REQUIRE_SHARED(model, "olga_human_trb");
  ScratchDir dir;
  const auto r = run_tilmatch(background_args(model, "1000000", dir / "bg.txt.gz"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto made = lines_of(dir / "bg.txt.gz");
  const auto shipped = lines_of(source_dir() / "data" / "background" / "olga_trb_1m.txt.gz");
  ASSERT_EQ(made.size(), shipped.size());
  EXPECT_EQ(made[0], "#tilmatch background 1");
  EXPECT_NE(made[1].find("1000000 productive rearrangements drawn by tilmatch background (seed 20261201)"),
            std::string::npos)
      << made[1];
  for (std::size_t i = 2; i < made.size(); ++i) {
    if (made[i] != shipped[i]) {
      ADD_FAILURE() << "line " << i + 1 << ": " << made[i] << " != " << shipped[i];
      break;
    }
  }
  EXPECT_EQ(io::read_background((dir / "bg.txt.gz").string()).size(), 1000000u);
}

// A background a run reads: its rows are the ones drawn, the same seed gives the same bytes (gzip
// included), another seed other rows, and a name without .gz a plain file of the same lines.
TEST(BackgroundCli, SameSeedSameBytesAndARunReadsIt) {
  TILMATCH_REQUIRE_SHARED(model, "olga_human_trb");
  ScratchDir dir;
  ASSERT_EQ(run_tilmatch(background_args(model, "5000", dir / "a.txt.gz", "--seed 7")).exit_code, 0);
  ASSERT_EQ(run_tilmatch(background_args(model, "5000", dir / "b.txt.gz", "--seed 7")).exit_code, 0);
  ASSERT_EQ(run_tilmatch(background_args(model, "5000", dir / "c.txt.gz", "--seed 8")).exit_code, 0);
  ASSERT_EQ(run_tilmatch(background_args(model, "5000", dir / "a.txt", "--seed 7")).exit_code, 0);
  EXPECT_EQ(read_file(dir / "a.txt.gz"), read_file(dir / "b.txt.gz"));
  EXPECT_NE(lines_of(dir / "a.txt.gz"), lines_of(dir / "c.txt.gz"));
  EXPECT_EQ(lines_of(dir / "a.txt.gz"), lines_of(dir / "a.txt"));
  EXPECT_NE(read_file(dir / "a.txt.gz"), read_file(dir / "a.txt"));  // compressed

  const fs::path ex = source_dir() / "data" / "example";
  const auto run = run_tilmatch(
      "run --vcf " + shell_quote(ex / "patient.vcf") + " --sample EXAMPLE_TUMOR --normal-sample EXAMPLE_NORMAL" +
      " --fragments " + shell_quote(ex / "fragments.tsv") + " --reference " + shell_quote(ex / "reference.tsv") +
      " --backend cpu --threads 2 --background " + shell_quote(dir / "a.txt.gz") + " --out " +
      shell_quote(dir / "out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string json = read_file(dir / "out" / "run.json");
  EXPECT_NE(json.find("\"background_rows\": 5000"), std::string::npos) << json;
  // 5,000 rows for the example's 12,005 clonotypes: the ceiling 1 / (1 + 12,005 a0 / 5,001) is
  // below 0.8 for any floor pseudo-count a0 = (n1 + 5) / (n0 + 10) of its 16 active references
  // (a0 >= 5 / 26), so the run says so.
  EXPECT_NE(run.err.find("small next to this patient"), std::string::npos) << run.err;
}

/// A copy of the model folder whose `file` has `line` (1-based) replaced by `text`, or is left out
/// when `line` is 0.
fs::path broken_model(const fs::path& model, const fs::path& dir, const std::string& file, int line,
                      const std::string& text) {
  const fs::path out = dir / ("model_" + std::to_string(line));
  fs::create_directories(out);
  for (const char* name : {"model_params.txt", "model_marginals.txt", "V_gene_CDR3_anchors.csv",
                           "J_gene_CDR3_anchors.csv"}) {
    if (name == file && line == 0) continue;
    std::string content = read_file(model / name);
    if (name == file) {
      std::size_t begin = 0;
      for (int i = 1; i < line; ++i) begin = content.find('\n', begin) + 1;
      const std::size_t end = content.find('\n', begin);
      content = content.substr(0, begin) + text + content.substr(end);
    }
    write_file(out / name, content);
  }
  return out;
}

TEST(BackgroundCli, BadModelsAndArgumentsAreClearErrors) {
  TILMATCH_REQUIRE_SHARED(model, "olga_human_trb");
  ScratchDir dir;
  // A folder without the model's files names the first it misses.
  const auto missing = run_tilmatch(background_args(broken_model(model, dir.path(), "model_params.txt", 0, ""), "10",
                                                    dir / "x.txt.gz"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("model_params.txt"), std::string::npos) << missing.err;
  // A probability that is no number: the file and its line.
  const auto bad = run_tilmatch(background_args(broken_model(model, dir.path(), "model_marginals.txt", 3, "%0.5,x,0.25"),
                                                "10", dir / "y.txt.gz"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("model_marginals.txt"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("line 3"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("'x' is not a number"), std::string::npos) << bad.err;
  // No output is left behind by a failed run, and --rows 0 is refused.
  EXPECT_FALSE(fs::exists(dir / "y.txt.gz"));
  const auto zero = run_tilmatch(background_args(model, "0", dir / "z.txt.gz"));
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_NE(zero.err.find("--rows"), std::string::npos) << zero.err;
  EXPECT_FALSE(fs::exists(dir / "z.txt.gz"));
}

}  // namespace
}  // namespace tilmatch::test
