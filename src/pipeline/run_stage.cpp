#include "pipeline/run_stage.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <filesystem>
#include <future>
#include <limits>
#include <optional>
#include <thread>

#include "chance/background.hpp"
#include "chance/significance.hpp"
#include "io/hla.hpp"
#include "io/presentation.hpp"
#include "io/reference_db.hpp"
#include "io/vcf_reader.hpp"
#include "pipeline/candidate_builder.hpp"
#include "pipeline/peptide_writers.hpp"
#include "pipeline/run_json.hpp"
#include "pipeline/run_writers.hpp"
#include "pipeline/screen_writers.hpp"
#include "rank/hla_evidence.hpp"
#include "rank/neoantigens.hpp"
#include "rank/ranking.hpp"
#include "rank/sample_check.hpp"
#include "report/html_report.hpp"
#include "scoring/vgene_table.hpp"
#include "tilmatch/atomic_file.hpp"
#include "tilmatch/checksum.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/json_writer.hpp"
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

/// One input file for run.json and the report.
struct InputFile {
  std::string role;
  std::string path;
  std::future<std::string> md5;
};

void validate_run(const RunConfig& c) {
  validate(c.peptides);
  if (c.fragments.empty()) throw UsageError("--fragments is required");
  if (c.references.empty() && c.validated.empty())
    throw UsageError("give at least one --reference or --validated file");
  const rank::ModelParams& p = c.params;
  if (p.radius < 0 || p.radius > 1000) throw UsageError("--radius must be between 0 and 1000");
  if (p.neighbor_radius < 0 || p.neighbor_radius > 1000)
    throw UsageError("--neighbor-radius must be between 0 and 1000");
  if (p.max_epitope_mismatches < 0 || p.max_epitope_mismatches > 1)
    throw UsageError("--max-epitope-mismatches must be 0 or 1");
  if (!(p.min_epitope_similarity > 0 && p.min_epitope_similarity <= 1))
    throw UsageError("--min-epitope-similarity must be in (0, 1]");
  if (!(p.neighbor_share >= 0 && p.neighbor_share <= 1)) throw UsageError("--neighbor-share must be in [0, 1]");
  if (!(p.public_weight >= 0 && p.public_weight <= 1)) throw UsageError("--public-weight must be in [0, 1]");
  if (!(p.hla_mismatch_factor >= 0 && p.hla_mismatch_factor <= 1))
    throw UsageError("--hla-mismatch-factor must be in [0, 1]");
  if (p.tmg_min < 1 || p.tmg_min > p.tmg_max || p.tmg_size < p.tmg_min || p.tmg_size > p.tmg_max)
    throw UsageError("--tmg-size must lie within the construct limits (" + std::to_string(p.tmg_min) + "-" +
                     std::to_string(p.tmg_max) + ")");
  if (p.pool_size < 1) throw UsageError("--pool-size must be positive");
  if (c.chance.max_radius < 0 || c.chance.max_radius > 1000)
    throw UsageError("--chance-max-radius must be between 0 and 1000");
  if (!(c.chance.repertoire_size > 0)) throw UsageError("--chance-repertoire-size must be positive");
  if (!(c.chance.target_neighbours > 0)) throw UsageError("--chance-target must be positive");
  if (!c.background.empty() && c.metric != EvidenceConfig::Metric::kTcrdist)
    throw UsageError("--background needs --transfer-metric tcrdist (the chance model counts TCRdist neighbours)");
  if (!c.background.empty() && !c.chance_model) throw UsageError("--background and --no-background exclude each other");
  if (p.reference_neighbors < 0) throw UsageError("--reference-neighbors must be 0 (off) or positive");
  if (p.design_top_cultures < 1) throw UsageError("--design-top must be positive");
}

void write_stages(JsonWriter& j, const std::vector<StageTiming>& stages) {
  j.begin_array();
  for (const StageTiming& s : stages) {
    j.begin_object();
    j.key("name").value(s.name);
    j.key("seconds").value(s.seconds);
    j.key("peak_rss_mb").value(s.peak_rss_mb);
    j.end_object();
  }
  j.end_array();
}

/// The background the chance model uses: --background FILE, else the built-in one unless turned
/// off (--no-background) or the transfer metric is TCRMatch, whose scores it does not model.
struct BackgroundUse {
  std::optional<chance::Background> rows;  ///< nullopt: the chance model is off
  bool builtin = false;
  std::string md5;  ///< of the file's bytes as stored (compressed or not)
};

BackgroundUse load_background(const RunConfig& c) {
  BackgroundUse use;
  if (!c.background.empty()) {
    use.rows = chance::read_background(c.background);
    use.md5 = md5_file(c.background);
  } else if (c.chance_model && c.metric == EvidenceConfig::Metric::kTcrdist) {
    const io::MemoryFile file = chance::builtin_background_file();
    use.rows = chance::read_background(file);
    use.builtin = true;
    use.md5 = md5_bytes(file.bytes);
  } else if (c.chance_model) {
    log::info("run: no chance model with --transfer-metric tcrmatch (it counts TCRdist neighbours)");
  }
  return use;
}

/// run.json's "background": which background the chance model used, or null when it was off.
void write_background_json(JsonWriter& j, const BackgroundUse& bg) {
  j.key("background");
  if (!bg.rows) {
    j.null();
    return;
  }
  j.begin_object();
  j.key("source").value(std::string(bg.builtin ? "built-in" : "file"));
  j.key("file").value(bg.rows->file);
  j.key("rows").value(static_cast<std::int64_t>(bg.rows->rows.size()));
  j.key("md5").value(bg.md5);
  j.end_object();
}

/// The background in one line for the report and the log.
std::string describe_background(const BackgroundUse& bg) {
  if (!bg.rows) return "none (the chance model is off)";
  return bg.rows->file + " (" + log::format_count(static_cast<long long>(bg.rows->rows.size())) + " rows, md5 " +
         bg.md5 + ")";
}

/// run.json's parameters, typed: numbers as numbers, switches as booleans, an absent option as null.
std::vector<std::pair<std::string, JsonScalar>> parameter_list(const RunConfig& c, const std::string& sample,
                                                               const std::string& tcrdist_loops,
                                                               const BackgroundUse& bg) {
  const rank::ModelParams& p = c.params;
  auto whole = [](long long v) { return JsonScalar{static_cast<std::int64_t>(v)}; };
  auto given = [](const std::string& v) { return v.empty() ? JsonScalar{} : JsonScalar{v}; };
  // A float option keeps the decimal it was given as (0.97, not its double widening 0.9700000286102295).
  auto single = [](float v) { return JsonScalar{text::parse_double(text::format_float(v)).value_or(v)}; };
  std::vector<std::pair<std::string, JsonScalar>> out = {
      {"sample", sample},
      {"normal_sample", given(c.peptides.vcf.normal_sample.value_or(""))},
      {"hla", given(c.hla)},
      {"hla_checked", !c.hla.empty()},
      {"transfer_metric", std::string(c.metric == EvidenceConfig::Metric::kTcrdist ? "tcrdist" : "tcrmatch")},
      {"tcrdist_loops", tcrdist_loops},
      {"radius", whole(p.radius)},
      {"min_tcrmatch", single(p.min_tcrmatch)},
      {"max_epitope_mismatches", whole(p.max_epitope_mismatches)},
      {"min_epitope_similarity", p.min_epitope_similarity},
      {"validated_weight", p.validated_weight},
      {"public_weight", p.public_weight},
      {"hla_unknown_factor", p.hla_unknown_factor},
      {"hla_mismatch_factor", p.hla_mismatch_factor},
      {"reference_neighbors", whole(p.reference_neighbors)},
      {"neighbors", p.neighbors},
      {"neighbor_radius", whole(p.neighbor_radius)},
      {"neighbor_share", p.neighbor_share},
      {"min_clonality", p.min_clonality},
      {"min_expression", p.min_expression},
      {"unexpressed_allele", p.unexpressed_allele},
      {"presentation_missing", p.presentation_missing},
      {"design_top_cultures", whole(p.design_top_cultures)},
      {"tmg_size", whole(p.tmg_size)},
      {"pool_size", whole(p.pool_size)},
      {"swapped_normal_alt_share", rank::kSwappedNormalAltShare},
      {"swap_check_min_alt_reads", rank::kSwapCheckMinAltReads},
  };
  if (!bg.rows) {
    out.emplace_back("background", JsonScalar{});
  } else {
    const chance::ChanceParams& cp = c.chance;
    out.insert(out.end(), {{"background", bg.builtin ? std::string("built-in") : c.background},
                           {"chance_max_radius", whole(cp.max_radius)},
                           {"chance_min_radius", whole(cp.min_radius)},
                           {"chance_repertoire_size", static_cast<double>(cp.repertoire_size)},
                           {"chance_target_neighbours", static_cast<double>(cp.target_neighbours)},
                           {"chance_pseudo_count", static_cast<double>(cp.pseudo_count)},
                           {"chance_fdr", static_cast<double>(chance::kChanceFdr)}});
  }
  return out;
}

/// The worker threads a run uses: --threads, or one per hardware thread when 0.
unsigned resolved_threads(unsigned requested) {
  return requested > 0 ? requested : std::max(1U, std::thread::hardware_concurrency());
}

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

void write_screen_outputs(OutputSet& out, const rank::ScreenOutcome& s, const io::ClonotypeTable& table,
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

void write_screen_json(JsonWriter& j, const ScreenConfig& c, const rank::ScreenOutcome& s) {
  j.key("screen").begin_object();
  j.key("parameters").begin_object();
  j.key("elispot_rule").value(std::string(screen::to_string(
      c.calls.elispot_rule == screen::ElispotRule::kFold    ? screen::CallRule::kFold
      : c.calls.elispot_rule == screen::ElispotRule::kDfrEq ? screen::CallRule::kDfrEq
                                                            : screen::CallRule::kDfr2x)));
  j.key("multiplicity").value(c.calls.multiplicity == screen::Multiplicity::kWestfallYoung ? "westfall_young" : "bh");
  j.key("fdr").value(c.calls.fdr);
  j.key("elispot_min_fold").value(c.calls.elispot_min_fold);
  j.key("elispot_min_spots").value(c.calls.elispot_min_spots);
  j.key("flow_min_fold").value(c.calls.flow_min_fold);
  j.key("flow_min_delta").value(c.calls.flow_min_delta);
  j.key("flow_min_percent").value(c.calls.flow_min_percent);
  j.key("positive_min_fold").value(c.calls.positive_min_fold);
  j.key("elispot_positive_min_spots").value(c.calls.elispot_positive_min_spots);
  j.key("flow_positive_min_percent").value(c.calls.flow_positive_min_percent);
  j.key("dfr_seed").value(static_cast<std::int64_t>(c.calls.dfr.seed));
  j.key("clear_contained_peptides").value(c.deconvolution.clear_contained_peptides);
  j.key("fest_fdr").value(c.enrichment.fdr);
  j.key("fest_min_odds_ratio").value(c.enrichment.min_odds_ratio);
  j.key("fest_min_count").value(c.enrichment.min_sorted_count);
  j.key("tracking_radius").value(static_cast<std::int64_t>(c.tracking_radius));
  j.key("product_size").value(static_cast<std::int64_t>(c.product.max_fragments));
  j.key("product_unconfirmed_weight").value(c.product.unconfirmed_weight);
  j.key("product_method").value(std::string(screen::product_method_name(s.product.method)));
  j.end_object();
  j.key("counts");
  j.counts(s.counts);
  j.key("notes").begin_array();
  for (const std::string& n : s.notes) j.value(n);
  j.end_array();
  j.end_object();
}

/// Whether and how TCRdist uses V loops in this run.
struct VGeneUse {
  const scoring::VGeneTable* table = nullptr;  ///< null: CDR3 only
  std::string loops;                           ///< run.json's tcrdist_loops
  scoring::VGeneCounts clonotypes, references;
};

/// V loops are used when the run asks for them (the default), TCRdist is the transfer metric, and
/// both the clonotypes and the reference TCRs carry V genes; `table` is --v-gene-table's or the
/// built-in one.
VGeneUse choose_vgenes(const RunConfig& c, const scoring::VGeneTable* table, const io::ClonotypeTable& clonotypes,
                       const ReferenceSet& refs) {
  VGeneUse use;
  const auto any_v = [](const auto& rows, auto tcr_of) {
    return std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return !tcr_of(r).vb.empty(); });
  };
  if (c.metric != EvidenceConfig::Metric::kTcrdist) {
    use.loops = "not used (TCRMatch transfer)";
  } else if (!c.v_genes) {
    use.loops = "CDR3 only (--no-v-genes)";
  } else if (!any_v(clonotypes.clonotypes, [](const auto& r) -> const Tcr& { return r.tcr; })) {
    use.loops = "CDR3 only (the clonotypes carry no V genes)";
  } else if (!any_v(refs.rows, [](const auto& r) -> const Tcr& { return r.tcr; })) {
    use.loops = "CDR3 only (the reference TCRs carry no V genes)";
  } else {
    use.table = table;
    use.loops = "CDR1/CDR2/CDR2.5/CDR3 (" + table->file() + ")";
    for (const auto& r : clonotypes.clonotypes) use.clonotypes.add(table->lookup(r.tcr.vb), r.tcr.vb);
    for (const auto& r : refs.rows) use.references.add(table->lookup(r.tcr.vb), r.tcr.vb);
  }
  return use;
}

void write_vgene_counts(JsonWriter& j, const scoring::VGeneCounts& n) {
  j.begin_object();
  j.key("exact").value(n.exact);
  j.key("without_allele").value(n.no_allele);
  j.key("allele_fallback").value(n.allele_fallback);
  j.key("unknown").value(n.unknown);
  j.key("missing").value(n.missing);
  j.key("unknown_names").begin_array();
  for (const std::string& name : n.unknown_names) j.value(name);
  j.end_array();
  j.end_object();
}

/// Every record's transcripts that pass `filter`, with what was built from them; what was skipped,
/// by reason, into `skipped`; the passing variants' alt reads into `alt_reads`.
std::vector<Candidate> read_candidates(io::VcfReader& reader, const CandidateFilter& filter, const PeptidePlan& plan,
                                       std::map<std::string, std::int64_t>& skipped, rank::AltReadTally& alt_reads) {
  std::vector<Candidate> candidates;
  std::vector<VariantTranscript> rows;
  while (reader.next(rows)) {
    for (VariantTranscript& v : rows) {
      if (std::string why = filter.check(v); !why.empty()) {
        skipped[why] += 1;
        continue;
      }
      alt_reads.add(v);
      CandidateBuild b = build_candidate(v, plan);
      if (!b.window.pair) skipped["window_" + std::string(peptides::to_string(b.window.skip))] += 1;
      candidates.push_back({std::move(v), std::move(b)});
    }
  }
  for (const auto& [reason, n] : reader.skips().by_reason) skipped[reason] += n;
  return candidates;
}

/// The --validated files' reference TCRs, then the --reference files', each file tracked for run.json
/// and its skipped rows counted into `skips`.
template <typename Track>
ReferenceSet load_references(const RunConfig& c, Track& track, std::map<std::string, std::int64_t>& skips) {
  ReferenceSet refs;
  const io::ReferenceFormat format = io::parse_reference_format(c.reference_format);
  auto load = [&](const std::vector<std::string>& paths, bool validated) {
    for (const std::string& path : paths) {
      track(validated ? "validated" : "reference", path);
      io::ReferenceDb db = io::read_reference(path, format);
      if (db.rows.empty()) log::warn("run: no usable reference TCR in " + path);
      for (const auto& [k, n] : db.skipped) skips[k] += n;
      for (ReferenceTcr& r : db.rows) {
        if (r.source.empty()) r.source = std::filesystem::path(path).filename().string();
        refs.rows.push_back(std::move(r));
        refs.validated.push_back(validated);
      }
    }
  };
  load(c.validated, true);
  load(c.references, false);
  return refs;
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
  std::vector<InputFile> inputs;
  auto track = [&inputs](std::string role, const std::string& path) {
    inputs.push_back({std::move(role), path, std::async(std::launch::async, [path] { return md5_file(path); })});
  };

  // 1. Candidates.
  log::stage("reading variants from " + c.peptides.vcf.path + "...");
  io::VcfReader reader(c.peptides.vcf);
  out.claim({"run", reader.sample()}, c.peptides.force);
  if (c.peptides.input_checksum) track("vcf", c.peptides.vcf.path);
  const PeptidePlan plan = make_plan(c.peptides);
  std::map<std::string, std::int64_t> skipped;
  rank::AltReadTally alt_reads;
  const std::vector<Candidate> candidates = read_candidates(reader, c.peptides.filter, plan, skipped, alt_reads);
  std::vector<rank::CandidatePeptides> inputs_for_rank;
  inputs_for_rank.reserve(candidates.size());
  for (const Candidate& cand : candidates) {
    rank::CandidatePeptides cp;
    cp.variant = cand.variant;
    for (const ClassedEpitope& e : cand.build.epitopes) cp.epitopes.emplace_back(e.pair.mt, e.pair.wt);
    for (const peptides::Minigene& m : cand.build.minigenes) cp.minigenes.push_back(m.sequence);
    inputs_for_rank.push_back(std::move(cp));
  }
  rank::RunResult result;
  result.neoantigens = rank::group_neoantigens(inputs_for_rank, c.params);
  inputs_for_rank.clear();
  summary.candidates = static_cast<std::int64_t>(candidates.size());
  summary.neoantigens = static_cast<std::int64_t>(result.neoantigens.size());
  if (result.neoantigens.empty()) {
    result.notes.push_back("No usable neoantigen candidates in " + c.peptides.vcf.path +
                           ": no culture has evidence and all score 0 (see run.json for skipped records).");
    log::warn("run: no usable candidates in " + c.peptides.vcf.path);
  }
  {
    // Swapped names show as alt reads in the "normal" or, where the caller genotyped it, as tumour
    // genotypes without the alt allele.
    const auto not_in_genotype = skipped.find("alt_not_in_genotype");
    std::optional<std::string> note =
        c.peptides.vcf.normal_sample ? alt_reads.swap_note(reader.sample(), *c.peptides.vcf.normal_sample)
                                     : std::nullopt;
    if (!note)
      note = rank::genotype_swap_note(reader.records_read(), not_in_genotype == skipped.end() ? 0 : not_in_genotype->second,
                                      reader.sample(), c.peptides.vcf.normal_sample);
    if (note) {
      log::warn("run: " + *note);
      result.notes.push_back(std::move(*note));
    }
  }
  clock.end("candidates");

  // 2. TIL cultures.
  log::stage(log::format_count(summary.neoantigens) + " neoantigens from " + log::format_count(summary.candidates) +
             " candidates; reading the repertoires listed in " + c.fragments + "...");
  track("fragments", c.fragments);
  io::ClonotypeTable table = io::load_fragments(c.fragments, c.threads);
  for (std::string& note : rename_clashing_metadata(table)) {
    log::warn("run: " + note);
    result.notes.push_back(std::move(note));
  }
  for (const io::FragmentSummary& f : table.fragments) track("repertoire:" + f.id, f.path);
  summary.clonotypes = static_cast<std::int64_t>(table.clonotypes.size());
  clock.end("repertoires");

  // 3. References, HLA, presentation, V genes.
  log::stage(log::format_count(summary.clonotypes) + " clonotypes in " + log::format_count(static_cast<long long>(
                 table.fragments.size())) + " cultures; reading references...");
  std::map<std::string, std::int64_t> reference_skips;
  const ReferenceSet refs = load_references(c, track, reference_skips);

  EvidenceConfig ecfg;
  ecfg.params = c.params;
  ecfg.metric = c.metric;
  ecfg.threads = c.threads;
  ecfg.engine.threads = c.threads;
  ecfg.engine.memory_budget_bytes = c.memory_bytes;
  std::vector<io::HlaAllele> alleles;
  if (c.hla.empty()) {
    result.notes.push_back(
        "No --hla given: reference TCRs were transferred without checking their MHC against the patient's "
        "alleles (hla = not_checked in affinity.tsv). Give the patient's HLA typing to drop or discount "
        "evidence restricted by alleles the patient lacks.");
    log::warn("run: no --hla given: the MHC restriction of reference TCRs is not checked");
  } else {
    alleles = io::read_hla_argument(c.hla);
    if (std::filesystem::is_regular_file(c.hla)) track("hla", c.hla);
    ecfg.hla = [&alleles](std::string_view mhc) { return io::match_hla(mhc, alleles); };
  }
  std::optional<io::PresentationTable> presentation;
  if (!c.presentation.empty()) {
    track("presentation", c.presentation);
    presentation = io::read_presentation(c.presentation);
    ecfg.presentation = [&presentation, &alleles, &c](const std::string& epitope) {
      return rank::presentation_factor(presentation->best_rank(epitope, alleles),
                                       presentation->best_ic50(epitope, alleles), c.params);
    };
    if (!alleles.empty()) {
      ecfg.presented = [&presentation, &alleles](const std::string& epitope) {
        return rank::is_presented(presentation->best_rank(epitope, alleles), presentation->best_ic50(epitope, alleles));
      };
    }
  }
  std::optional<scoring::VGeneTable> loaded_vgenes;
  if (c.v_genes && !c.v_gene_table.empty()) {
    track("v_gene_table", c.v_gene_table);
    loaded_vgenes = scoring::VGeneTable::load(c.v_gene_table);
  }
  const VGeneUse vg = choose_vgenes(c, loaded_vgenes ? &*loaded_vgenes : &scoring::VGeneTable::builtin(), table, refs);
  ecfg.vgenes = vg.table;
  log::info("run: TCRdist on " + vg.loops);
  if (vg.table) {
    const std::string line = "V genes in " + vg.table->file() + ": clonotypes " + vg.clonotypes.summary() +
                             "; reference TCRs " + vg.references.summary() + ".";
    // Names resolved by a fallback, or not at all, change distances: the user hears of them.
    if (vg.clonotypes.inexact() + vg.references.inexact() > 0) {
      log::warn("run: " + line);
      result.notes.push_back(line);
    } else {
      log::info("run: " + line);
    }
  }
  // The same TCR and epitope annotated with incompatible MHCs across the reference rows.
  const std::vector<rank::ReferenceMhcConflict> mhc_conflicts =
      rank::find_mhc_conflicts(refs.rows, rank::same_tcr_groups(refs.rows));
  if (!mhc_conflicts.empty())
    log::info("run: " + std::to_string(mhc_conflicts.size()) +
              " reference TCRs are annotated with conflicting MHCs for one epitope (run.json)");
  if (!c.background.empty()) track("background", c.background);
  const BackgroundUse background = load_background(c);
  if (background.rows) {
    ecfg.background = &background.rows->rows;
    ecfg.background_file = background.rows->file;
    ecfg.chance = c.chance;
    log::info("run: chance model against " + describe_background(background));
  }
  clock.end("references");

  // 4. Evidence.
  const auto backend = scoring::make_backend(c.backend, c.threads);
  summary.backend = backend->name();
  log::info("run: " + std::to_string(result.neoantigens.size()) + " neoantigens, " +
            std::to_string(table.clonotypes.size()) + " clonotypes in " + std::to_string(table.fragments.size()) +
            " cultures, " + std::to_string(refs.rows.size()) + " reference TCRs; scoring on " + backend->name());
  log::stage("scoring " + log::format_count(summary.clonotypes) + " clonotypes against " +
             log::format_count(static_cast<long long>(refs.rows.size())) + " reference TCRs on " + scoring::describe_backend(*backend, c.threads) +
             "...");
  EvidenceCounts counts;
  result.evidence = collect_evidence(result.neoantigens, refs, table, *backend, ecfg, counts);
  summary.evidence = static_cast<std::int64_t>(result.evidence.size());
  clock.end("evidence");

  // 5. Ranking and design.
  log::stage(log::format_count(summary.evidence) + " evidence entries; ranking " +
             log::format_count(static_cast<long long>(table.fragments.size())) + " cultures...");
  result.clonotype_best = rank::best_evidence_per_clonotype(result.neoantigens, result.evidence,
                                                           table.clonotypes.size());
  result.ranking = rank::rank_fragments(result.neoantigens, result.evidence, result.clonotype_best, table);
  if (!std::isnan(counts.chance_any)) {
    rank::test_against_chance(result.ranking, result.evidence, table, counts.chance_any, chance::kChanceFdr);
    result.chance_tested = true;
  }
  result.design = rank::design_screen(result.neoantigens, result.evidence, result.ranking, table, c.params);
  if (!result.neoantigens.empty() && result.evidence.empty())
    result.notes.push_back("No clonotype of any culture lies near a reference TCR of a candidate neoantigen: "
                           "every culture scores 0.");
  clock.end("ranking");

  // 5b. The screen's results, when given: calls, reactivity, reactive clonotypes, tiers, product.
  std::optional<rank::ScreenOutcome> screened;
  if (c.screen.enabled()) {
    log::stage("reading the screen's results...");
    for (const std::string& r : c.screen.readouts) track("screen", r);
    for (const std::string& d : c.screen.designs) track("design", d);
    if (!c.screen.reactive_repertoires.empty()) track("reactive_repertoires", c.screen.reactive_repertoires);
    ScreenContext sctx{&result.neoantigens, neoantigen_catalog(result.neoantigens, candidates), &table,
                       &result.ranking,     backend.get(), ecfg.engine, ecfg.vgenes, c.fragments};
    screened = run_screen(c.screen, sctx);
    if (!screened->design.empty()) result.design = rank::design_slots(screened->design, result.neoantigens, "");
    for (const std::string& n : screened->notes) result.notes.push_back(n);
    clock.end("screen");
  }

  // 6. Outputs, all or nothing.
  log::stage("writing outputs...");
  {
    // Opened in this order (the order they are published in).
    AtomicFile& cand = out.open("candidates.tsv");
    AtomicFile& epi = out.open("epitopes.tsv");
    AtomicFile& mg = out.open("minigenes.fasta");
    write_run_peptide_tables(cand, epi, mg, candidates, result.neoantigens, ecfg.presentation);
  }
  write_clonotypes(out.open("clonotypes.tsv"), table, result);
  write_affinity(out.open("affinity.tsv"), table, result);
  write_fragments(out.open("fragments.tsv"), table, result, screened ? &*screened : nullptr);
  if (screened) write_screen_outputs(out, *screened, table, result.neoantigens);
  write_design_tsv(out.open("tmg_design.tsv"), result);
  write_design_fasta(out.open("tmg_design.fasta"), result);

  std::vector<std::pair<std::string, std::string>> input_md5;
  for (InputFile& f : inputs) input_md5.emplace_back(f.role + " " + f.path, f.md5.get());
  const auto params = parameter_list(c, reader.sample(), vg.loops, background);

  report::ReportInput ri;
  ri.result = &result;
  ri.clonotypes = &table;
  ri.title = "tilmatch run — " + reader.sample();
  ri.backend = summary.backend;
  for (const auto& [k, v] : params) ri.parameters.emplace_back(k, report::parameter_text(v));
  for (const StageTiming& t : summary.stages) ri.timings_s.emplace_back(t.name, t.seconds);
  ri.timestamp = stamp.timestamp;
  ri.command_line = c.command_line;
  ri.inputs = input_md5;
  ri.screen = screened ? &*screened : nullptr;
  ri.mhc_conflicts = &mhc_conflicts;
  ri.matched_epitopes = &counts.matched_epitopes;
  ri.background = describe_background(background);
  out.open("report.html").write(report::render_html(ri));
  clock.end("outputs");

  JsonWriter j;
  begin_run_json(j, "run", c.command_line, stamp, resolved_threads(c.threads));
  j.key("backend").value(summary.backend);
  j.key("inputs").begin_array();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    j.begin_object();
    j.key("role").value(inputs[i].role);
    j.key("path").value(inputs[i].path);
    j.key("md5").value(input_md5[i].second);
    j.end_object();
  }
  j.end_array();
  j.key("parameters").begin_object();
  for (const auto& [k, v] : params) j.key(k).value(v);
  j.end_object();
  j.key("counts").begin_object();
  j.key("records").value(static_cast<std::int64_t>(reader.records_read()));
  j.key("candidates").value(summary.candidates);
  j.key("neoantigens").value(summary.neoantigens);
  j.key("clonotypes").value(summary.clonotypes);
  j.key("cultures").value(table.fragments.size());
  j.key("reference_tcrs").value(refs.rows.size());
  write_evidence_counts(j, counts, background.rows.has_value());
  j.key("skipped_records");
  j.counts(skipped);
  j.key("skipped_reference_rows");
  j.counts(reference_skips);
  j.end_object();
  write_mhc_conflicts(j, mhc_conflicts, counts.matched_epitopes, refs.rows);
  write_background_json(j, background);
  j.key("v_genes").begin_object();
  j.key("table").value(vg.table ? vg.table->file() : std::string("none"));
  j.key("tcrdist_loops").value(vg.loops);
  j.key("clonotypes");
  write_vgene_counts(j, vg.clonotypes);
  j.key("reference_tcrs");
  write_vgene_counts(j, vg.references);
  j.end_object();
  j.key("notes").begin_array();
  for (const std::string& n : result.notes) j.value(n);
  j.end_array();
  if (screened) write_screen_json(j, c.screen, *screened);
  j.key("stages");
  write_stages(j, summary.stages);
  j.end_object();
  out.open("run.json").write(j.str());
  out.open("run.log").write(transcript.text());
  out.commit();
  return summary;
}

}  // namespace tilmatch::pipeline
