// End to end: make-realistic's patient, `tilmatch run` for its design, scripts/make-screen for the
// screen's results, read back with the screen readers and held against the generator's truth.
// Skips when ../shared/data (NeoTCR, VDJdb, OLGA model) or python3 is absent.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/test_support.hpp"
#include "io/reactive_manifest.hpp"
#include "io/repertoire.hpp"
#include "io/screen_design.hpp"
#include "io/screen_readouts.hpp"

namespace tt = tilmatch::test;
using namespace tilmatch;

namespace {

std::string q(const std::filesystem::path& p) { return tt::shell_quote(p); }

/// Runs `cmd`, its output to `log`; returns the exit status (0 = success).
int run(const std::string& cmd, const std::filesystem::path& log) {
  return std::system((cmd + " > " + q(log) + " 2>&1").c_str());
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  if (s == "NA" || s.empty()) return out;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = s.find(sep, begin);
    out.push_back(s.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) return out;
    begin = end + 1;
  }
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / static_cast<double>(v.size());
}

/// One row of screen_truth.tsv, by column name.
using TruthRow = std::map<std::string, std::string>;

std::vector<TruthRow> read_truth(const std::filesystem::path& path) {
  const auto rows = tt::parse_tsv(tt::read_file(path));
  std::vector<TruthRow> out;
  for (std::size_t k = 1; k < rows.size(); ++k) {
    if (rows[k].size() != rows[0].size()) continue;
    TruthRow r;
    for (std::size_t c = 0; c < rows[0].size(); ++c) r[rows[0][c]] = rows[k][c];
    out.push_back(std::move(r));
  }
  return out;
}

/// Frequency of each CDR3b in a repertoire (count / total).
std::map<std::string, double> cdr3_frequencies(const std::string& path) {
  const io::Repertoire rep = io::read_repertoire(path);
  double total = 0;
  std::map<std::string, double> out;
  for (const auto& row : rep.rows) {
    out[row.tcr.cdr3b] += row.count;
    total += row.count;
  }
  for (auto& [cdr3, f] : out) f /= total;
  return out;
}

}  // namespace

TEST(ScreenGenerator, ReadoutsDesignsAndSortsReadBackAndFollowTheTruth) {
  TILMATCH_REQUIRE_SHARED(vdjdb, "tcr_reference/vdjdb_human_chunks_2026-04-27.tsv.gz");
  TILMATCH_REQUIRE_SHARED(neotcr, "neoantigen_tcr/neotcr_db_20221220.tsv");
  TILMATCH_REQUIRE_SHARED(olga, "olga_human_trb/model_params.txt");
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "python3 not found";
  if (!std::filesystem::exists(tt::olga_sampler(TILMATCH_OLGA_SAMPLER)))
    GTEST_SKIP() << "OLGA sampler not found: " << tt::olga_sampler(TILMATCH_OLGA_SAMPLER);
  tt::ScratchDir dir;
  const auto patient = dir / "patient";
  const auto scripts = tt::source_dir() / "scripts";
  ASSERT_EQ(run("python3 " + q(scripts / "make-realistic") + " --out " + q(patient) +
                    " --clonotypes-per-culture 400 --cultures 12 --mutations 40 --neoantigens 8 --seed 11 --sampler " +
                    q(tt::olga_sampler(TILMATCH_OLGA_SAMPLER)) + " --shared-data " + q(tt::shared_data_root()),
                dir / "realistic.log"),
            0)
      << tt::read_file(dir / "realistic.log");
  const auto screen = dir / "screen";
  ASSERT_EQ(run("python3 " + q(scripts / "make-screen") + " --patient " + q(patient) + " --tilmatch " +
                    q(tt::tilmatch_binary()) + " --shared-data " + q(tt::shared_data_root()) + " --out " + q(screen) +
                    " --seed 5",
                dir / "screen.log"),
            0)
      << tt::read_file(dir / "screen.log");
  std::cout << tt::read_file(dir / "screen.log");

  // The three inputs read back with the project's readers.
  const auto readouts = io::read_screen_readouts((screen / "readouts.tsv").string());
  const auto designs =
      io::read_screen_designs({(screen / "run" / "tmg_design.tsv").string(), (screen / "matrix_design.tsv").string()});
  const auto sorts = io::read_reactive_manifest((screen / "reactive_manifest.tsv").string());
  const auto truth = read_truth(screen / "screen_truth.tsv");
  ASSERT_FALSE(truth.empty());

  std::set<std::string> screened, unscreened;
  std::map<std::string, std::set<std::string>> failed;  // fragment -> assays whose positive control failed
  bool cd4 = false, none = false;
  for (const TruthRow& r : truth) {
    (r.at("screened") == "yes" ? screened : unscreened).insert(r.at("fragment_id"));
    for (const std::string& a : split(r.at("positive_control_failed"), ',')) failed[r.at("fragment_id")].insert(a);
    cd4 = cd4 || r.at("compartment") == "CD4";
    none = none || r.at("neoantigen_id") == "NA";
  }
  EXPECT_EQ(screened.size() + unscreened.size(), 12u);
  EXPECT_EQ(unscreened.size(), 3u) << "default: a quarter of the fragments left unscreened";
  EXPECT_EQ(failed.size(), 2u) << "default: two positive-control failures";
  EXPECT_TRUE(cd4) << "planted CD4 reactivity";
  EXPECT_TRUE(none) << "some cultures react to nothing";
  const auto control_failed = [&](const std::string& f, const std::string& a) {
    const auto it = failed.find(f);
    return it != failed.end() && it->second.count(a) > 0;
  };

  // Matrix pools: each peptide in exactly one row and one column pool.
  std::map<std::string, std::pair<int, int>> axes;  // peptide -> (row pools, column pools)
  std::set<std::string> construct_ids;
  for (const auto& c : designs) {
    construct_ids.insert(c.id);
    if (c.file != (screen / "matrix_design.tsv").string()) continue;
    EXPECT_EQ(c.kind, screen::ConstructKind::kPeptidePool);
    for (const auto& s : c.sequences) (c.id.rfind("MR", 0) == 0 ? axes[s].first : axes[s].second) += 1;
  }
  EXPECT_GE(axes.size(), 4u);
  for (const auto& [pep, n] : axes) EXPECT_EQ(n, std::make_pair(1, 1)) << pep;

  // Wells: 6 negative and 2 positive per fragment x assay, 3 replicates per construct, screened only.
  std::map<std::string, int> wells;  // fragment \t construct \t assay -> wells
  std::map<std::string, std::vector<double>> values;
  for (const auto& r : readouts) {
    EXPECT_TRUE(screened.count(r.fragment_id)) << r.fragment_id << " is not screened (line " << r.line << ")";
    EXPECT_TRUE(r.construct == "negative" || r.construct == "positive" || construct_ids.count(r.construct))
        << r.construct;
    const std::string key = r.fragment_id + "\t" + r.construct + "\t" + r.assay;
    wells[key] += 1;
    values[key].push_back(r.value);
  }
  const std::vector<std::string> assays = {"elispot_ifng", "cd137_cd8", "cd137_cd4", "ox40_cd4"};
  for (const std::string& f : screened) {
    for (const std::string& a : assays) {
      EXPECT_EQ(wells[f + "\tnegative\t" + a], 6) << f << " " << a;
      EXPECT_EQ(wells[f + "\tpositive\t" + a], 2) << f << " " << a;
      for (const std::string& c : construct_ids) EXPECT_EQ(wells[f + "\t" + c + "\t" + a], 3) << f << " " << c;
      // Positive controls: anti-CD3 gives hundreds of spots and PMA/ionomycin >= 10% activated cells,
      // unless planted to fail (then they read like the background).
      const double pos = mean(values[f + "\tpositive\t" + a]);
      const double limit = a == "elispot_ifng" ? 150.0 : 5.0;
      if (control_failed(f, a)) {
        EXPECT_LT(pos, limit) << f << " " << a << ": failed positive control";
      } else {
        EXPECT_GT(pos, limit) << f << " " << a;
      }
    }
  }

  // Signal: a CD8 reactivity of >= 1% of a culture lifts the ELISpot of every stimulating construct
  // above the fragment's negative wells by cells x frequency x spot-forming efficiency (>= 0.3 as
  // planted); asserted at half that, which a response scaled down 5-fold fails.
  constexpr double kCellsPerWell = 2e4, kMinSpotEfficiency = 0.3;
  int strong = 0;
  std::map<std::string, std::set<std::string>> stimulating;  // fragment -> constructs stimulating something
  for (const TruthRow& r : truth) {
    const std::string& f = r.at("fragment_id");
    for (const std::string& c : split(r.at("constructs"), ',')) stimulating[f].insert(c);
    const double freq = r.at("reactive_frequency") == "NA" ? 0.0 : std::stod(r.at("reactive_frequency"));
    if (r.at("screened") != "yes" || r.at("compartment") != "CD8" || failed.count(f) || freq < 0.01) continue;
    const double negative = mean(values[f + "\tnegative\telispot_ifng"]);
    for (const std::string& c : split(r.at("constructs"), ',')) {
      ++strong;
      EXPECT_GT(mean(values[f + "\t" + c + "\telispot_ifng"]) - negative,
                0.5 * kCellsPerWell * freq * kMinSpotEfficiency)
          << f << " " << c << " (reactive frequency " << freq << ")";
    }
  }
  EXPECT_GT(strong, 0) << "no strong CD8 reactivity on a screened construct: the check above tested nothing";
  // Constructs that stimulate nothing read like the negative wells over the whole screen (within 25%).
  std::vector<double> negatives, idle;
  for (const std::string& f : screened) {
    if (failed.count(f)) continue;
    for (double v : values[f + "\tnegative\telispot_ifng"]) negatives.push_back(v);
    for (const std::string& c : construct_ids)
      if (!stimulating[f].count(c))
        for (double v : values[f + "\t" + c + "\telispot_ifng"]) idle.push_back(v);
  }
  EXPECT_NEAR(mean(idle), mean(negatives), 0.25 * mean(negatives));

  // Sorts: each sorted repertoire of a stimulating construct is enriched in the planted clonotypes.
  std::map<std::string, std::string> unsorted_of;  // fragment \t construct -> path
  for (const auto& e : sorts)
    if (e.population == io::Population::kUnsorted) unsorted_of[e.fragment_id + "\t" + e.construct] = e.path;
  int enriched = 0, decoys = 0;
  for (const auto& e : sorts) {
    if (e.population != io::Population::kSorted) continue;
    std::set<std::string> cdr3s;
    for (const TruthRow& r : truth) {
      const auto sorted_in = split(r.at("sorted"), ',');
      if (r.at("fragment_id") == e.fragment_id && std::count(sorted_in.begin(), sorted_in.end(), e.construct))
        for (const std::string& c : split(r.at("cdr3_betas"), ',')) cdr3s.insert(c);
    }
    if (cdr3s.empty()) {
      ++decoys;
      EXPECT_FALSE(stimulating[e.fragment_id].count(e.construct)) << "a decoy sort must stimulate nothing";
      continue;
    }
    const auto s = cdr3_frequencies(e.path);
    const auto u = cdr3_frequencies(unsorted_of.at(e.fragment_id + "\t" + e.construct));
    double in_sorted = 0, in_unsorted = 0;
    for (const std::string& c : cdr3s) {
      in_sorted += s.count(c) ? s.at(c) : 0.0;
      in_unsorted += u.count(c) ? u.at(c) : 0.0;
    }
    EXPECT_GE(in_sorted, 0.25) << e.path << ": sort purity is planted at 30-90%";
    EXPECT_GT(in_sorted, 2 * in_unsorted) << e.path;
    ++enriched;
  }
  EXPECT_GT(enriched, 0);
  std::cout << "[ screen ] " << screened.size() << " screened, " << strong << " strong CD8 construct responses, "
            << enriched << " enriched sorts, " << decoys << " decoy sorts; ELISpot idle " << mean(idle)
            << " vs negative " << mean(negatives) << " spots\n";
  EXPECT_EQ(decoys, 2) << "default: two decoy sorts";

  // Same seed, same bytes (from the design file this time); another seed, other wells.
  const auto again = dir / "again";
  const auto other = dir / "other";
  const std::string base = "python3 " + q(scripts / "make-screen") + " --patient " + q(patient) + " --design " +
                           q(screen / "run" / "tmg_design.tsv") + " --out ";
  ASSERT_EQ(run(base + q(again) + " --seed 5", dir / "again.log"), 0) << tt::read_file(dir / "again.log");
  ASSERT_EQ(run(base + q(other) + " --seed 6", dir / "other.log"), 0) << tt::read_file(dir / "other.log");
  for (const char* f : {"readouts.tsv", "matrix_design.tsv", "reactive_manifest.tsv", "screen_truth.tsv"})
    EXPECT_EQ(tt::read_file(again / f), tt::read_file(screen / f)) << f;
  for (const auto& e : sorts) {
    const std::string rel = std::filesystem::relative(e.path, screen).string();
    EXPECT_EQ(tt::read_file(again / rel), tt::read_file(e.path)) << rel;
  }
  EXPECT_NE(tt::read_file(other / "readouts.tsv"), tt::read_file(screen / "readouts.tsv"));
}
