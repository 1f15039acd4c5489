// `tilmatch run` with reference MHCs the patient lacks: penalised (not dropped) by
// --hla-mismatch-factor, dropped at 0, settled by another annotation of the same TCR or of another
// TCR of the epitope, or by a presentation prediction, and conflicting annotations listed in
// run.json and the report.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/test_support.hpp"

namespace tilmatch::test {
namespace {

namespace fs = std::filesystem;

fs::path example() { return source_dir() / "data" / "example"; }

std::string run_args(const fs::path& out, const std::string& hla, const fs::path& reference,
                     const fs::path& validated, const std::string& extra = "") {
  const fs::path ex = example();
  return "run --vcf " + shell_quote(ex / "patient.vcf") + " --sample EXAMPLE_TUMOR --normal-sample EXAMPLE_NORMAL" +
         " --fragments " + shell_quote(ex / "fragments.tsv") + " --reference " + shell_quote(reference) +
         " --validated " + shell_quote(validated) + " --hla " + shell_quote(hla) +
         " --backend cpu --threads 2 --out " + shell_quote(out) + " " + extra;
}

std::string run_example(const fs::path& out, const std::string& hla, const std::string& extra = "") {
  return run_args(out, hla, example() / "reference.tsv", example() / "validated.tsv", extra);
}

/// The integer after `"key": ` in run.json; -1 when absent.
long json_int(const std::string& json, const std::string& key) {
  const std::string k = "\"" + key + "\": ";
  const auto at = json.find(k);
  return at == std::string::npos ? -1 : std::stol(json.substr(at + k.size()));
}

/// The text of run.json's reference_mhc_conflicts array.
std::string conflicts_json(const std::string& json) {
  const auto at = json.find("\"reference_mhc_conflicts\"");
  if (at == std::string::npos) return {};
  return json.substr(at, json.find(']', json.find("\"reference_ids\"", at)) - at);
}

std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> by_pair(const fs::path& affinity) {
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> out;
  for (auto& a : tsv_rows(affinity)) out[{a.at("neoantigen_id"), a.at("clonotype_id")}] = a;
  return out;
}

// The example's references are all HLA-A*02:01; a patient without it mismatches every one.
constexpr const char* kMatching = "A*02:01,B*07:02";
constexpr const char* kLacking = "A*03:01,B*07:02";

TEST(RunHla, MismatchIsPenalisedNotDropped) {
  ScratchDir dir;
  const auto base = run_tilmatch(run_example(dir / "base", kMatching));
  const auto lacking = run_tilmatch(run_example(dir / "lacking", kLacking, "--hla-mismatch-factor 0.2"));
  ASSERT_EQ(base.exit_code, 0) << base.err;
  ASSERT_EQ(lacking.exit_code, 0) << lacking.err;
  const auto before = by_pair(dir / "base" / "affinity.tsv");
  const auto after = by_pair(dir / "lacking" / "affinity.tsv");
  ASSERT_GE(before.size(), 5u);
  ASSERT_EQ(after.size(), before.size()) << "every route kept";
  for (const auto& [key, a] : after) {
    ASSERT_TRUE(before.count(key)) << key.first << " " << key.second;
    const auto& b = before.at(key);
    EXPECT_EQ(b.at("hla"), "match");
    EXPECT_EQ(b.at("hla_factor"), "1");
    EXPECT_EQ(a.at("hla"), "mismatch");
    EXPECT_EQ(a.at("hla_factor"), "0.2");
    const double was = std::stod(b.at("score"));
    EXPECT_NEAR(std::stod(a.at("score")), 0.2 * was, 1e-5 * was) << key.second;
  }
  const std::string json = read_file(dir / "lacking" / "run.json");
  EXPECT_GT(json_int(json, "hla_mismatches"), 0);
  EXPECT_EQ(json_int(json, "hla_mismatches_dropped"), 0);
  EXPECT_NE(json.find("\"hla_mismatch_factor\": 0.2,"), std::string::npos);
  EXPECT_NE(read_file(dir / "lacking" / "report.html").find("mismatch ×0.2"), std::string::npos);
}

TEST(RunHla, FactorZeroRestoresTheDrop) {
  ScratchDir dir;
  const auto r = run_tilmatch(run_example(dir / "out", kLacking, "--hla-mismatch-factor 0"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(tsv_rows(dir / "out" / "affinity.tsv").empty());
  const std::string json = read_file(dir / "out" / "run.json");
  EXPECT_GT(json_int(json, "hla_mismatches_dropped"), 0);
  EXPECT_EQ(json_int(json, "hla_mismatches_dropped"), json_int(json, "hla_mismatches"));
}

TEST(RunHla, FactorOutsideZeroToOneIsAUsageError) {
  ScratchDir dir;
  const auto r = run_tilmatch(run_example(dir / "out", kMatching, "--hla-mismatch-factor 1.5"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--hla-mismatch-factor"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out" / "run.json"));
}

/// Which of reference.tsv's A*02:01 rows of IVITCRRIH stay beside the validated A*24:02 row.
enum class Kept { kAll, kOtherTcrs, kNone };

/// The example's references with neo2's validated TCR annotated HLA-A*24:02 instead of A*02:01;
/// reference.tsv's neo2.ref1 is the same TCR (CASSDTKGQPQHF, TRBV27) with A*02:01, neo2.ref2 and
/// neo2.ref3 are other TCRs of the epitope, also A*02:01.
void write_conflicting_references(const fs::path& dir, Kept kept) {
  std::string validated = read_file(example() / "validated.tsv");
  const std::string from = "IVITCRRIH\tHLA-A*02:01", to = "IVITCRRIH\tHLA-A*24:02";
  validated.replace(validated.find(from), from.size(), to);
  write_file(dir / "validated.tsv", validated);
  std::string reference;
  for (const auto& line : parse_tsv(read_file(example() / "reference.tsv"))) {
    if (kept != Kept::kAll && line[0] == "neo2.ref1") continue;
    if (kept == Kept::kNone && line[0].starts_with("neo2.")) continue;
    std::string joined;
    for (const auto& f : line) joined += (joined.empty() ? "" : "\t") + f;
    reference += joined + "\n";
  }
  write_file(dir / "reference.tsv", reference);
}

TEST(RunHla, ConflictingAnnotationsAreListedAndTheMatchingOneWins) {
  ScratchDir dir;
  fs::create_directories(dir / "conflict");
  fs::create_directories(dir / "alone");
  fs::create_directories(dir / "isolated");
  write_conflicting_references(dir / "conflict", Kept::kAll);
  write_conflicting_references(dir / "alone", Kept::kOtherTcrs);
  write_conflicting_references(dir / "isolated", Kept::kNone);
  const auto base = run_tilmatch(run_example(dir / "base", kMatching));
  const auto conflict = run_tilmatch(
      run_args(dir / "out", kMatching, dir / "conflict" / "reference.tsv", dir / "conflict" / "validated.tsv"));
  const auto alone = run_tilmatch(
      run_args(dir / "out_alone", kMatching, dir / "alone" / "reference.tsv", dir / "alone" / "validated.tsv"));
  const auto isolated = run_tilmatch(run_args(dir / "out_isolated", kMatching, dir / "isolated" / "reference.tsv",
                                              dir / "isolated" / "validated.tsv"));
  ASSERT_EQ(base.exit_code, 0) << base.err;
  ASSERT_EQ(conflict.exit_code, 0) << conflict.err;
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  ASSERT_EQ(isolated.exit_code, 0) << isolated.err;

  const std::string json = read_file(dir / "out" / "run.json");
  const std::string listed = conflicts_json(json);
  EXPECT_NE(listed.find("\"cdr3\": \"CASSDTKGQPQHF\""), std::string::npos) << listed;
  EXPECT_NE(listed.find("\"epitope\": \"IVITCRRIH\""), std::string::npos) << listed;
  EXPECT_NE(listed.find("\"HLA-A*02:01\",\n"), std::string::npos) << listed;
  EXPECT_NE(listed.find("\"HLA-A*24:02\""), std::string::npos) << listed;
  EXPECT_NE(listed.find("\"example\""), std::string::npos) << listed;
  EXPECT_NE(listed.find("\"lab-validated\""), std::string::npos) << listed;
  EXPECT_NE(listed.find("\"candidate_epitope\": true"), std::string::npos) << listed;
  EXPECT_EQ(listed.find("LFGTMPDPV"), std::string::npos) << "agreeing annotations are no conflict";
  EXPECT_EQ(conflicts_json(read_file(dir / "base" / "run.json")).find("\"cdr3\""), std::string::npos);
  const std::string report = read_file(dir / "out" / "report.html");
  const auto section = report.find("id=\"mhc-conflicts\"");
  ASSERT_NE(section, std::string::npos);
  EXPECT_NE(report.find("CASSDTKGQPQHF", section), std::string::npos);
  EXPECT_EQ(read_file(dir / "base" / "report.html").find("id=\"mhc-conflicts\""), std::string::npos);

  // The validated row's A*24:02 is overruled by the A*02:01 annotation of the same TCR: its routes
  // score as when it said A*02:01 itself. Without that row, the A*02:01 rows of other TCRs of the
  // epitope say that the patient presents it: the unknown factor (0.5); without any of them the
  // route carries the mismatch factor (0.25).
  const auto before = by_pair(dir / "base" / "affinity.tsv");
  const auto after = by_pair(dir / "out" / "affinity.tsv");
  const auto other_tcrs = by_pair(dir / "out_alone" / "affinity.tsv");
  const auto without = by_pair(dir / "out_isolated" / "affinity.tsv");
  int settled = 0;
  for (const auto& [key, a] : after) {
    if (a.at("reference_id") != "neo2.validated") continue;
    ++settled;
    EXPECT_EQ(a.at("hla"), "match_other_annotation");
    EXPECT_EQ(a.at("hla_factor"), "1");
    ASSERT_TRUE(before.count(key));
    EXPECT_EQ(a.at("score"), before.at(key).at("score")) << key.second;
    ASSERT_TRUE(other_tcrs.count(key));
    EXPECT_EQ(other_tcrs.at(key).at("reference_id"), "neo2.validated") << key.second;
    EXPECT_EQ(other_tcrs.at(key).at("hla"), "match_epitope_annotation") << key.second;
    EXPECT_EQ(other_tcrs.at(key).at("hla_factor"), "0.5") << key.second;
    ASSERT_TRUE(without.count(key));
    EXPECT_EQ(without.at(key).at("hla"), "mismatch") << key.second;
    EXPECT_EQ(without.at(key).at("hla_factor"), "0.25") << key.second;
    EXPECT_LT(std::stod(without.at(key).at("score")), std::stod(other_tcrs.at(key).at("score"))) << key.second;
    EXPECT_LT(std::stod(other_tcrs.at(key).at("score")), std::stod(a.at("score"))) << key.second;
  }
  EXPECT_GT(settled, 0);
  EXPECT_GT(json_int(json, "hla_settled_by_other_annotation"), 0);
  EXPECT_GT(json_int(read_file(dir / "out_alone" / "run.json"), "hla_settled_by_epitope_annotation"), 0);
  EXPECT_EQ(json_int(read_file(dir / "out_isolated" / "run.json"), "hla_settled_by_epitope_annotation"), 0);
}

TEST(RunHla, PresentationByAPatientAlleleSettlesAMismatch) {
  ScratchDir dir;
  // IVITCRRIH is a strong binder of the patient's A*03:01; LFGTMPDPV is not in the table.
  write_file(dir / "pred.tsv",
             "peptide\tallele\tic50\tpercentile\n"
             "IVITCRRIH\tHLA-A*03:01\t20\t0.1\n");
  const auto r = run_tilmatch(run_example(dir / "out", kLacking, "--presentation " + shell_quote(dir / "pred.tsv")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int presented = 0, mismatched = 0;
  for (const auto& a : tsv_rows(dir / "out" / "affinity.tsv")) {
    if (a.at("mt_epitope") == "IVITCRRIH") {
      ++presented;
      EXPECT_EQ(a.at("hla"), "presented");
      EXPECT_EQ(a.at("hla_factor"), "1");
    } else if (a.at("mt_epitope") == "LFGTMPDPV") {
      ++mismatched;
      EXPECT_EQ(a.at("hla"), "mismatch");
      EXPECT_EQ(a.at("hla_factor"), "0.25");
    }
  }
  EXPECT_GT(presented, 0);
  EXPECT_GT(mismatched, 0);
  EXPECT_GT(json_int(read_file(dir / "out" / "run.json"), "hla_settled_by_presentation"), 0);
}

}  // namespace
}  // namespace tilmatch::test
