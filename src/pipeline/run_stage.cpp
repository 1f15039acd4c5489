#include "pipeline/run_stage.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "chance/significance.hpp"
#include "pipeline/candidate_builder.hpp"
#include "pipeline/peptide_writers.hpp"
#include "pipeline/run_json.hpp"
#include "pipeline/run_record.hpp"
#include "pipeline/run_setup.hpp"
#include "pipeline/run_writers.hpp"
#include "pipeline/screen_writers.hpp"
#include "rank/hla_evidence.hpp"
#include "rank/ranking.hpp"
#include "tilmatch/atomic_file.hpp"
#include "tilmatch/log.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::pipeline {
namespace {

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

/// Times consecutive stages.
class StageClock {
 public:
  explicit StageClock(std::vector<StageTiming>& out) : out_(out), start_(std::chrono::steady_clock::now()) {}
  void end(std::string name) {
    const auto now = std::chrono::steady_clock::now();
    out_.push_back({std::move(name), std::chrono::duration<double>(now - start_).count(), peak_rss_mb()});
    log::info("run: " + out_.back().name + " " + text::format_fixed(out_.back().seconds, 2) + " s, peak RSS " +
              text::format_fixed(out_.back().peak_rss_mb, 0) + " MB");
    start_ = now;
  }

 private:
  std::vector<StageTiming>& out_;
  std::chrono::steady_clock::time_point start_;
};

/// What the run built for each neoantigen, for the screen to check designs and readouts against.
std::vector<screen::NeoantigenCatalogEntry> neoantigen_catalog(const std::vector<rank::Neoantigen>& neoantigens,
                                                               const std::vector<Candidate>& candidates) {
  std::vector<screen::NeoantigenCatalogEntry> out(neoantigens.size());
  std::map<std::string, std::uint32_t> by_key;
  for (std::uint32_t n = 0; n < neoantigens.size(); ++n) {
    out[n].id = neoantigens[n].id;
    out[n].mt_epitopes = neoantigens[n].mt_epitopes;
    for (const std::string& k : neoantigens[n].candidate_keys) by_key[k] = n;
  }
  for (const Candidate& cd : candidates) {
    const auto it = by_key.find(cd.variant.index);
    if (it == by_key.end()) continue;
    for (const peptides::Minigene& m : cd.build.minigenes) {
      out[it->second].minigenes.push_back(m.sequence);
      out[it->second].minigene_names.push_back(minigene_name(cd.variant, m));
    }
  }
  return out;
}

void write_screen_outputs(OutputSet& out, const rank::ScreenOutcome& s, const ClonotypeTable& table,
                          const std::vector<rank::Neoantigen>& neoantigens) {
  write_screen_calls(out.open("screen_calls.tsv"), s);
  write_reactivity(out.open("reactivity.tsv"), s);
  write_reactive_clonotypes(out.open("reactive_clonotypes.tsv"), s, table, neoantigens);
  write_tracked(out.open("tracked.tsv"), s, table);
  write_product(out.open("product.tsv"), s, neoantigens);
  write_next_round(out.open("next_round.tsv"), s);
  write_design_tsv(out.open("next_round_design.tsv"),
                   rank::design_slots(s.next_round.constructs, neoantigens, "next round: deconvolution"), neoantigens);
}

/// Stage 1: the VCF's candidates, grouped into neoantigens (result.neoantigens; notes for an empty
/// or sample-swapped VCF). `skipped` counts the records left out, by reason.
std::vector<Candidate> candidate_stage(const RunConfig& c, io::VcfReader& reader, rank::RunResult& result,
                                       std::map<std::string, std::int64_t>& skipped) {
  const PeptidePlan plan = make_plan(c.peptides);
  rank::AltReadTally alt_reads;
  std::vector<Candidate> candidates = read_candidates(reader, c.peptides.filter, plan, skipped, alt_reads);
  result.neoantigens = group_candidates(candidates, c.params);
  if (result.neoantigens.empty()) {
    result.notes.push_back("No usable neoantigen candidates in " + c.peptides.vcf.path +
                           ": no culture has evidence and all score 0 (see run.json for skipped records).");
    log::warn("run: no usable candidates in " + c.peptides.vcf.path);
  }
  if (auto note = sample_swap_note(reader, c.peptides.vcf.normal_sample, skipped, alt_reads)) {
    log::warn("run: " + *note);
    result.notes.push_back(std::move(*note));
  }
  return candidates;
}

/// Stage 3: what the evidence is matched against and how.
struct RunReferences {
  std::map<std::string, std::int64_t> skipped;  ///< reference rows left out, by reason
  ReferenceSet refs;
  PatientHla hla;
  VGeneUse vgenes;
  /// The same TCR and epitope annotated with incompatible MHCs across the reference rows.
  std::vector<rank::ReferenceMhcConflict> mhc_conflicts;
  BackgroundUse background;
  EvidenceConfig evidence;
};

RunReferences reference_stage(const RunConfig& c, const ClonotypeTable& table, RunInputs& inputs,
                              std::vector<std::string>& notes) {
  RunReferences r;
  r.refs = load_references(c, inputs, r.skipped);
  r.hla = load_patient_hla(c, inputs, notes);
  r.vgenes = resolve_vgenes(c, table, r.refs, inputs, notes);
  r.mhc_conflicts = rank::find_mhc_conflicts(r.refs.rows, rank::same_tcr_groups(r.refs.rows));
  if (!r.mhc_conflicts.empty())
    log::info("run: " + std::to_string(r.mhc_conflicts.size()) +
              " reference TCRs are annotated with conflicting MHCs for one epitope (run.json)");
  r.background = load_background(c, inputs);
  r.evidence = evidence_config(c, r.hla, r.vgenes, r.background);
  return r;
}

/// A note when the chance model's background is too small for the patient: below this surprise
/// ceiling (chance::surprise_ceiling; 0.8 = the patient's clonotypes expect a quarter of a chance
/// neighbour at the floor p = a0 / (M + 1): half as many clonotypes as rows at a0 = 1/2, as many
/// at a0 = 1/4) a rare reference's hits at the cap weigh little more
/// than a public one's, and its closer hits are told apart only by the references' pooled profile.
std::optional<std::string> background_resolution_note(const EvidenceCounts& counts) {
  constexpr double kLowCeiling = 0.8;
  if (std::isnan(counts.surprise_ceiling) || counts.surprise_ceiling >= kLowCeiling) return std::nullopt;
  char weight[32];
  std::snprintf(weight, sizeof weight, "%.2f", counts.surprise_ceiling);
  return "The chance model's background (" + log::format_count(counts.background_rows) +
         " rows) is small next to this patient (" +
         log::format_count(static_cast<long long>(counts.surprise_clonotypes)) +
         " distinct clonotypes): a hit at the largest distance on a reference with no background row near it "
         "weighs at most " + weight +
         " (run.json surprise_ceiling), and closer hits of rare references are judged by the references' "
         "pooled distance profile, not their own counts. A background of ten times the patient's clonotypes (" +
         log::format_count(10 * static_cast<long long>(counts.surprise_clonotypes)) +
         " rows: tilmatch background --model DIR --rows ROWS --out FILE, then --background FILE) lifts it to "
         "about 0.95.";
}

/// Stage 4: every clonotype's evidence against the references, on `backend` (result.evidence).
void evidence_stage(const RunConfig& c, const ClonotypeTable& table, const RunReferences& refs,
                    const scoring::Backend& backend, EvidenceCounts& counts, rank::RunResult& result) {
  const auto n_refs = static_cast<long long>(refs.refs.rows.size());
  log::info("run: " + std::to_string(result.neoantigens.size()) + " neoantigens, " +
            std::to_string(table.clonotypes.size()) + " clonotypes in " + std::to_string(table.fragments.size()) +
            " cultures, " + std::to_string(n_refs) + " reference TCRs; scoring on " + backend.name());
  log::stage("scoring " + log::format_count(static_cast<long long>(table.clonotypes.size())) +
             " clonotypes against " + log::format_count(n_refs) + " reference TCRs on " +
             scoring::describe_backend(backend, c.threads) + "...");
  result.evidence = collect_evidence(result.neoantigens, refs.refs, table, backend, refs.evidence, counts);
  if (auto note = background_resolution_note(counts)) {
    log::warn("run: " + *note);
    result.notes.push_back(std::move(*note));
  }
}

/// Stage 5: each clonotype's best evidence, the ranking (tested against chance when the chance
/// model ran) and the screen's design.
void ranking_stage(const RunConfig& c, const ClonotypeTable& table, const EvidenceCounts& counts,
                   rank::RunResult& result) {
  result.clonotype_best = rank::best_evidence_per_clonotype(result.neoantigens, result.evidence,
                                                           table.clonotypes.size());
  result.ranking = rank::rank_fragments(result.neoantigens, result.evidence, result.clonotype_best, table);
  if (!std::isnan(counts.chance_any)) {
    rank::test_against_chance(result.ranking, result.evidence, table, counts.chance_any, c.chance_fdr);
    result.chance_tested = true;
    result.chance_fdr = c.chance_fdr;
  }
  result.design = rank::design_screen(result.neoantigens, result.evidence, result.ranking, table, c.params);
  if (!result.neoantigens.empty() && result.evidence.empty())
    result.notes.push_back("No clonotype of any culture lies near a reference TCR of a candidate neoantigen: "
                           "every culture scores 0.");
}

/// Stage 5b: the screen's results (calls, reactivity, reactive clonotypes, tiers, product); its
/// next-round design replaces the first round's when it has one.
rank::ScreenOutcome screen_stage(const RunConfig& c, const std::vector<Candidate>& candidates,
                                 const ClonotypeTable& table, const scoring::Backend& backend,
                                 const EvidenceConfig& ecfg, RunInputs& inputs, rank::RunResult& result) {
  for (const std::string& r : c.screen.readouts) inputs.track("screen", r);
  for (const std::string& d : c.screen.designs) inputs.track("design", d);
  if (!c.screen.reactive_repertoires.empty()) inputs.track("reactive_repertoires", c.screen.reactive_repertoires);
  ScreenContext sctx{&result.neoantigens, neoantigen_catalog(result.neoantigens, candidates), &table,
                     &result.ranking,     &backend, ecfg.engine, ecfg.vgenes, c.fragments};
  rank::ScreenOutcome screened = run_screen(c.screen, sctx);
  if (!screened.design.empty()) result.design = rank::design_slots(screened.design, result.neoantigens, "");
  for (const std::string& n : screened.notes) result.notes.push_back(n);
  return screened;
}

/// Stage 6: every TSV and FASTA output, opened in the order they are published in.
void write_run_tables(OutputSet& out, const std::vector<Candidate>& candidates, const ClonotypeTable& table,
                      const rank::RunResult& result, const EvidenceConfig& ecfg, const rank::ScreenOutcome* screened) {
  {
    AtomicFile& cand = out.open("candidates.tsv");
    AtomicFile& epi = out.open("epitopes.tsv");
    AtomicFile& mg = out.open("minigenes.fasta");
    write_run_peptide_tables(cand, epi, mg, candidates, result.neoantigens, ecfg.presentation);
  }
  write_clonotypes(out.open("clonotypes.tsv"), table, result);
  write_affinity(out.open("affinity.tsv"), table, result);
  write_fragments(out.open("fragments.tsv"), table, result, screened);
  if (screened) write_screen_outputs(out, *screened, table, result.neoantigens);
  write_design_tsv(out.open("tmg_design.tsv"), result);
  write_design_fasta(out.open("tmg_design.fasta"), result);
}

/// Stage 6, last: report.html (its timings end with the outputs), run.json and run.log, then every
/// output of the run is published at once.
void write_run_record(OutputSet& out, const RunRecord& record, StageClock& clock, const log::Transcript& transcript) {
  out.open("report.html").write(render_run_report(record));
  clock.end("outputs");
  out.open("run.json").write(run_json_text(record));
  out.open("run.log").write(transcript.text());
  out.commit();
}

}  // namespace

RunSummary run_tilmatch(const RunConfig& c) {
  validate_run(c);
  // Taken first: the folder's lock refuses a second run into it before either does any work.
  OutputSet out(c.peptides.out_dir);
  const RunStamp stamp = run_stamp();
  log::Transcript transcript;  // run.log: the stage lines and warnings below
  RunSummary summary;
  StageClock clock(summary.stages);
  RunInputs inputs;
  rank::RunResult result;

  // 1. Candidates.
  log::stage("reading variants from " + c.peptides.vcf.path + "...");
  io::VcfReader reader(c.peptides.vcf);
  out.claim({"run", reader.sample()}, c.peptides.force);
  if (c.peptides.input_checksum) inputs.track("vcf", c.peptides.vcf.path);
  std::map<std::string, std::int64_t> skipped;
  const std::vector<Candidate> candidates = candidate_stage(c, reader, result, skipped);
  summary.candidates = static_cast<std::int64_t>(candidates.size());
  summary.neoantigens = static_cast<std::int64_t>(result.neoantigens.size());
  clock.end("candidates");

  // 2. TIL cultures.
  log::stage(log::format_count(summary.neoantigens) + " neoantigens from " + log::format_count(summary.candidates) +
             " candidates; reading the repertoires listed in " + c.fragments + "...");
  const ClonotypeTable table = load_cultures(c, inputs, result.notes);
  summary.clonotypes = static_cast<std::int64_t>(table.clonotypes.size());
  clock.end("repertoires");

  // 3. References, HLA, presentation, V genes, the chance model's background.
  log::stage(log::format_count(summary.clonotypes) + " clonotypes in " + log::format_count(static_cast<long long>(
                 table.fragments.size())) + " cultures; reading references...");
  const RunReferences refs = reference_stage(c, table, inputs, result.notes);
  clock.end("references");

  // 4. Evidence.
  const auto backend = scoring::make_backend(c.backend, c.threads);
  summary.backend = backend->name();
  EvidenceCounts counts;
  evidence_stage(c, table, refs, *backend, counts, result);
  summary.evidence = static_cast<std::int64_t>(result.evidence.size());
  clock.end("evidence");

  // 5. Ranking and design; 5b. the screen's results, when given.
  log::stage(log::format_count(summary.evidence) + " evidence entries; ranking " +
             log::format_count(static_cast<long long>(table.fragments.size())) + " cultures...");
  ranking_stage(c, table, counts, result);
  clock.end("ranking");
  std::optional<rank::ScreenOutcome> screened;
  if (c.screen.enabled()) {
    log::stage("reading the screen's results...");
    screened = screen_stage(c, candidates, table, *backend, refs.evidence, inputs, result);
    clock.end("screen");
  }

  // 6. Outputs, all or nothing.
  log::stage("writing outputs...");
  const rank::ScreenOutcome* screen = screened ? &*screened : nullptr;
  write_run_tables(out, candidates, table, result, refs.evidence, screen);
  const RunRecord record{.config = c,
                         .stamp = stamp,
                         .summary = summary,
                         .sample = reader.sample(),
                         .records = reader.records_read(),
                         .inputs = inputs.finish(),
                         .result = result,
                         .table = table,
                         .refs = refs.refs,
                         .counts = counts,
                         .skipped_records = skipped,
                         .skipped_reference_rows = refs.skipped,
                         .mhc_conflicts = refs.mhc_conflicts,
                         .vgenes = refs.vgenes,
                         .background = refs.background,
                         .screen = screen};
  write_run_record(out, record, clock, transcript);
  return summary;
}

}  // namespace tilmatch::pipeline
