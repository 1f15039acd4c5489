// `tilmatch run` end to end on the bundled example patient (data/example/), and its bad inputs.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/test_support.hpp"

namespace tilmatch::test {
namespace {

namespace fs = std::filesystem;

fs::path example() { return source_dir() / "data" / "example"; }

std::string example_args(const fs::path& out, const std::string& extra = "",
                         const std::string& hla = "A*02:01,A*24:02,B*07:02,B*44:02,C*05:01") {
  const fs::path ex = example();
  return "run --vcf " + shell_quote(ex / "patient.vcf") + " --sample EXAMPLE_TUMOR --normal-sample EXAMPLE_NORMAL" +
         " --fragments " + shell_quote(ex / "fragments.tsv") + " --reference " + shell_quote(ex / "reference.tsv") +
         " --validated " + shell_quote(ex / "validated.tsv") + " --hla " + shell_quote(hla) +
         " --out " + shell_quote(out) + " " + extra;
}

class RunExample : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir();
    result_ = new CommandResult(run_tilmatch(example_args(*dir_ / "out", "--backend cpu --threads 2")));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static fs::path out() { return *dir_ / "out"; }
  static ScratchDir* dir_;
  static CommandResult* result_;
};
ScratchDir* RunExample::dir_ = nullptr;
CommandResult* RunExample::result_ = nullptr;

TEST_F(RunExample, WritesEveryOutput) {
  ASSERT_EQ(result_->exit_code, 0) << result_->err;
  for (const char* f : {"candidates.tsv", "epitopes.tsv", "minigenes.fasta", "clonotypes.tsv", "affinity.tsv",
                        "fragments.tsv", "tmg_design.tsv", "tmg_design.fasta", "report.html", "run.json"}) {
    EXPECT_TRUE(fs::is_regular_file(out() / f)) << f;
  }
  for (const auto& e : fs::directory_iterator(out()))
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
}

TEST_F(RunExample, PlantedCulturesRankFirstInPlantedOrder) {
  ASSERT_EQ(result_->exit_code, 0) << result_->err;
  // truth.tsv: fragment_id, planted_rank, ... (one row per planted clonotype).
  std::map<int, std::string> planted;
  for (const auto& r : tsv_rows(example() / "truth.tsv")) planted[std::stoi(r.at("planted_rank"))] = r.at("fragment_id");
  ASSERT_GE(planted.size(), 3u);
  const auto ranking = tsv_rows(out() / "fragments.tsv");
  ASSERT_EQ(ranking.size(), 8u);
  for (const auto& [rank, fragment] : planted) {
    EXPECT_EQ(ranking[static_cast<std::size_t>(rank - 1)].at("fragment_id"), fragment) << "planted rank " << rank;
    EXPECT_EQ(ranking[static_cast<std::size_t>(rank - 1)].at("rank"), std::to_string(rank));
    EXPECT_GT(std::stod(ranking[static_cast<std::size_t>(rank - 1)].at("score")), 0.0);
  }
  // Unplanted cultures (chance background near the reference TCRs only) score well below the
  // weakest planted one, and none of them has close evidence.
  const double weakest = std::stod(ranking[planted.size() - 1].at("score"));
  for (std::size_t i = planted.size(); i < ranking.size(); ++i) {
    EXPECT_LT(std::stod(ranking[i].at("score")), weakest / 2) << ranking[i].at("fragment_id");
    EXPECT_TRUE(ranking[i].at("confidence") == "none" || ranking[i].at("confidence") == "low")
        << ranking[i].at("fragment_id");
  }
  // The top culture is backed by a lab-validated TCR with an exact epitope match.
  EXPECT_EQ(ranking[0].at("confidence"), "high");
}

TEST_F(RunExample, AffinityCarriesProvenance) {
  ASSERT_EQ(result_->exit_code, 0) << result_->err;
  const auto affinity = tsv_rows(out() / "affinity.tsv");
  ASSERT_FALSE(affinity.empty());
  const auto truth = tsv_rows(example() / "truth.tsv");
  for (const auto& t : truth) {
    // Each planted clonotype carries evidence for its neoantigen's epitope.
    auto it = std::find_if(affinity.begin(), affinity.end(), [&](const auto& a) {
      return a.at("cdr3_beta") == t.at("cdr3_beta") && a.at("mt_epitope") == t.at("epitope");
    });
    ASSERT_NE(it, affinity.end()) << t.at("cdr3_beta");
    EXPECT_EQ(it->at("route"), "reference");
    EXPECT_FALSE(it->at("reference_id").empty());
    EXPECT_EQ(it->at("reference_epitope"), t.at("epitope"));
    EXPECT_EQ(it->at("hla"), "match");
    if (t.at("kind") == "exact") {
      EXPECT_EQ(it->at("tcrdist"), "0");
    } else {
      EXPECT_NE(it->at("tcrdist"), "0");
    }
  }
  for (const auto& a : affinity) {
    const double s = std::stod(a.at("score"));
    EXPECT_GT(s, 0.0);
    EXPECT_LE(s, 1.0);
  }
}

TEST_F(RunExample, DesignHoldsEveryNeoantigenInBalancedConstructs) {
  ASSERT_EQ(result_->exit_code, 0) << result_->err;
  const auto design = tsv_rows(out() / "tmg_design.tsv");
  std::set<std::string> minigenes;
  for (const auto& [name, seq] : parse_fasta(read_file(out() / "minigenes.fasta"))) minigenes.insert(seq);
  std::map<std::string, int> per_construct;
  std::string first_tmg_neoantigen;
  for (const auto& d : design) {
    if (d.at("kind") != "tandem_minigene") continue;
    ++per_construct[d.at("construct")];
    EXPECT_TRUE(minigenes.count(d.at("sequence"))) << d.at("sequence") << " is no minigene of the run";
    if (first_tmg_neoantigen.empty()) first_tmg_neoantigen = d.at("neoantigen_id");
  }
  ASSERT_FALSE(per_construct.empty());
  for (const auto& [c, n] : per_construct) {
    EXPECT_GE(n, 12) << c;
    EXPECT_LE(n, 24) << c;
  }
  // The first slot holds the neoantigen behind the top culture's best evidence.
  const auto ranking = tsv_rows(out() / "fragments.tsv");
  EXPECT_EQ(first_tmg_neoantigen, ranking[0].at("best_neoantigen"));
  // Peptide pools hold the matched MT epitopes.
  const auto pools = std::count_if(design.begin(), design.end(), [](const auto& d) { return d.at("kind") == "peptide_pool"; });
  EXPECT_GE(pools, 3);
}

TEST_F(RunExample, RunJsonRecordsStagesAndBackend) {
  ASSERT_EQ(result_->exit_code, 0) << result_->err;
  const std::string json = read_file(out() / "run.json");
  for (const char* s : {"\"candidates\"", "\"repertoires\"", "\"references\"", "\"evidence\"", "\"ranking\"",
                        "\"outputs\"", "\"peak_rss_mb\"", "\"backend\": \"cpu\"", "\"md5\""}) {
    EXPECT_NE(json.find(s), std::string::npos) << s;
  }
}

TEST(RunCli, SameBytesForThreadsAndMemoryBudgets) {
  ScratchDir dir;
  const auto a = run_tilmatch(example_args(dir / "a", "--backend cpu --threads 1"));
  const auto b = run_tilmatch(example_args(dir / "b", "--backend cpu --threads 2 --memory 1M"));
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  for (const char* f : {"fragments.tsv", "affinity.tsv", "clonotypes.tsv", "tmg_design.tsv", "tmg_design.fasta",
                        "candidates.tsv", "epitopes.tsv", "minigenes.fasta", "report.html"}) {
    EXPECT_EQ(comparable_file(dir / "a" / f), comparable_file(dir / "b" / f)) << f;
  }
}

TEST(RunCli, PresentationPredictionsScaleTheEvidence) {
  ScratchDir dir;
  // LFGTMPDPV (TP53X) a weak binder for the patient, IVITCRRIH (PIKCA) strong, HMLYQAYCA (CTNB1)
  // strong but for an allele the patient lacks (so: not in the table for the patient).
  write_file(dir / "pred.tsv",
             "peptide\tallele\tic50\tpercentile\n"
             "LFGTMPDPV\tHLA-A*02:01\t800\t1.5\n"
             "IVITCRRIH\tHLA-A*02:01\t20\t0.1\n"
             "HMLYQAYCA\tHLA-B*08:01\t20\t0.1\n");
  const auto base = run_tilmatch(example_args(dir / "base", "--backend cpu"));
  const auto pred = run_tilmatch(example_args(dir / "pred", "--backend cpu --presentation " + shell_quote(dir / "pred.tsv")));
  ASSERT_EQ(base.exit_code, 0) << base.err;
  ASSERT_EQ(pred.exit_code, 0) << pred.err;
  std::map<std::pair<std::string, std::string>, double> before;
  for (const auto& a : tsv_rows(dir / "base" / "affinity.tsv"))
    before[{a.at("neoantigen_id"), a.at("clonotype_id")}] = std::stod(a.at("score"));
  int checked = 0;
  for (const auto& a : tsv_rows(dir / "pred" / "affinity.tsv")) {
    const double factor = a.at("mt_epitope") == "LFGTMPDPV" ? 0.7 : a.at("mt_epitope") == "IVITCRRIH" ? 1.0 : 0.5;
    EXPECT_EQ(std::stod(a.at("presentation")), factor) << a.at("mt_epitope");
    const double was = before.at({a.at("neoantigen_id"), a.at("clonotype_id")});
    EXPECT_NEAR(std::stod(a.at("score")), was * factor, 1e-5 * was) << a.at("clonotype_id");
    ++checked;
  }
  EXPECT_GE(checked, 5);
  // epitopes.tsv carries the factor of every MT epitope.
  bool seen = false;
  for (const auto& e : tsv_rows(dir / "pred" / "epitopes.tsv")) {
    if (e.at("mt_epitope") != "IVITCRRIH") continue;
    EXPECT_EQ(e.at("presentation"), "1");
    seen = true;
  }
  EXPECT_TRUE(seen);
}

TEST(RunCli, CudaAndCpuGiveTheSameBytes) {
  ScratchDir dir;
  const auto gpu = run_tilmatch(example_args(dir / "gpu", "--backend cuda"));
  if (gpu.exit_code == 3) GTEST_SKIP() << "no usable CUDA device: " << gpu.err;
  ASSERT_EQ(gpu.exit_code, 0) << gpu.err;
  const auto cpu = run_tilmatch(example_args(dir / "cpu", "--backend cpu"));
  ASSERT_EQ(cpu.exit_code, 0) << cpu.err;
  for (const char* f : {"fragments.tsv", "affinity.tsv", "clonotypes.tsv", "tmg_design.tsv"})
    EXPECT_EQ(read_file(dir / "cpu" / f), read_file(dir / "gpu" / f)) << f;
}

TEST(RunCli, NoUsableCandidatesGivesAValidEmptyRanking) {
  ScratchDir dir;
  // The example's header with no records.
  std::string vcf;
  for (const std::string& line : [&] {
         std::vector<std::string> v;
         std::string all = read_file(example() / "patient.vcf"), cur;
         for (char ch : all) {
           if (ch == '\n') {
             v.push_back(cur);
             cur.clear();
           } else {
             cur += ch;
           }
         }
         return v;
       }()) {
    if (!line.empty() && line[0] == '#') vcf += line + "\n";
  }
  write_file(dir / "empty.vcf", vcf);
  const fs::path ex = example();
  const auto r = run_tilmatch("run --vcf " + shell_quote(dir / "empty.vcf") + " --sample EXAMPLE_TUMOR --fragments " +
                              shell_quote(ex / "fragments.tsv") + " --reference " + shell_quote(ex / "reference.tsv") +
                              " --backend cpu --out " + shell_quote(dir / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("no usable candidates"), std::string::npos) << r.err;
  const auto ranking = tsv_rows(dir / "out" / "fragments.tsv");
  ASSERT_EQ(ranking.size(), 8u);
  for (std::size_t i = 0; i < ranking.size(); ++i) {
    EXPECT_EQ(ranking[i].at("score"), "0");
    EXPECT_EQ(ranking[i].at("fragment_id"), "F0" + std::to_string(i + 1));
  }
  EXPECT_EQ(parse_tsv(read_file(dir / "out" / "affinity.tsv")).size(), 1u);  // header only
  EXPECT_NE(read_file(dir / "out" / "run.json").find("No usable neoantigen candidates"), std::string::npos);
  EXPECT_NE(read_file(dir / "out" / "report.html").find("No usable neoantigen candidates"), std::string::npos);
}

/// Writes a manifest `text` next to copies of two example repertoires and runs on it.
CommandResult run_with_manifest(const ScratchDir& dir, const std::string& text) {
  fs::create_directories(dir / "frags");
  fs::copy_file(example() / "fragments" / "F01.airr.tsv", dir / "frags" / "F01.airr.tsv",
                fs::copy_options::overwrite_existing);
  fs::copy_file(example() / "fragments" / "F03.airr.tsv", dir / "frags" / "F03.airr.tsv",
                fs::copy_options::overwrite_existing);
  write_file(dir / "manifest.tsv", text);
  const fs::path ex = example();
  return run_tilmatch("run --vcf " + shell_quote(ex / "patient.vcf") + " --sample EXAMPLE_TUMOR --fragments " +
                      shell_quote(dir / "manifest.tsv") + " --reference " + shell_quote(ex / "reference.tsv") +
                      " --backend cpu --out " + shell_quote(dir / "out"));
}

void expect_input_error(const CommandResult& r, const ScratchDir& dir, const std::string& needle) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out")) << "partial output left behind";
}

TEST(RunCli, MissingFragmentFileIsAnInputError) {
  ScratchDir dir;
  const auto r = run_with_manifest(dir, "fragment_id\tpath\nF01\tfrags/F01.airr.tsv\nF02\tfrags/missing.tsv\n");
  expect_input_error(r, dir, "missing.tsv");
  EXPECT_NE(r.err.find("manifest.tsv"), std::string::npos) << r.err;
}

TEST(RunCli, DuplicateFragmentIdsAreAnInputError) {
  ScratchDir dir;
  const auto r = run_with_manifest(dir, "fragment_id\tpath\nF01\tfrags/F01.airr.tsv\nF01\tfrags/F03.airr.tsv\n");
  expect_input_error(r, dir, "F01");
  EXPECT_NE(r.err.find("line 3"), std::string::npos) << r.err;
}

TEST(RunCli, ManifestPathOutsideItsFolderIsAnInputError) {
  ScratchDir dir;
  const auto r = run_with_manifest(dir, "fragment_id\tpath\nF01\tfrags/F01.airr.tsv\nF03\t../../etc/passwd\n");
  expect_input_error(r, dir, "outside");
}

TEST(RunCli, EmptyRepertoireIsAnInputError) {
  ScratchDir dir;
  fs::create_directories(dir / "frags");
  write_file(dir / "frags" / "empty.airr.tsv", "sequence_id\tlocus\tproductive\tv_call\tj_call\tjunction_aa\tduplicate_count\n");
  const auto r = run_with_manifest(dir, "fragment_id\tpath\nF01\tfrags/F01.airr.tsv\nF09\tfrags/empty.airr.tsv\n");
  expect_input_error(r, dir, "F09");
}

// Rows a reader leaves out are said on stderr, counted in run.json and noted in the report, with
// the culture they came from: here a culture's AIRR file has two non-productive rows.
TEST(RunCli, RepertoireRowsLeftOutAreCountedAndNoted) {
  ScratchDir dir;
  fs::create_directories(dir / "frags");
  std::string f03 = read_file(example() / "fragments" / "F03.airr.tsv");
  f03 += "F03.x1\tTRB\tF\tTRBV6-5*01\tTRBJ2-1*01\tCASSWCPMNEQFF\t4\n";
  f03 += "F03.x2\tTRB\tF\tTRBV27*01\tTRBJ1-5*01\tCASSSENFFLYDQPQHF\t2\n";
  write_file(dir / "frags" / "F03b.airr.tsv", f03);
  const auto r = run_with_manifest(dir, "fragment_id\tpath\nF01\tfrags/F01.airr.tsv\nF03\tfrags/F03b.airr.tsv\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string note = "repertoire rows left out: non_productive 2 (F03 2)";
  EXPECT_NE(r.err.find(note), std::string::npos) << r.err;
  const std::string json = read_file(dir / "out" / "run.json");
  EXPECT_NE(json.find("\"skipped_repertoire_rows\": {\n      \"non_productive\": 2\n    }"), std::string::npos) << json;
  EXPECT_NE(json.find("\"" + note + "\""), std::string::npos) << json;
  EXPECT_NE(read_file(dir / "out" / "report.html").find(note), std::string::npos);
}

TEST(RunCli, NeedsAReference) {
  ScratchDir dir;
  const fs::path ex = example();
  const auto r = run_tilmatch("run --vcf " + shell_quote(ex / "patient.vcf") + " --sample EXAMPLE_TUMOR --fragments " +
                              shell_quote(ex / "fragments.tsv") + " --out " + shell_quote(dir / "out"));
  expect_input_error(r, dir, "--reference");
}

TEST(RunCli, UnknownHlaAlleleIsAUsageError) {
  ScratchDir dir;
  const auto r = run_tilmatch(example_args(dir / "out", "--backend cpu", "A*02:01,notanallele"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("notanallele"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace tilmatch::test
