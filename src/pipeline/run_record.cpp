#include "pipeline/run_record.hpp"

#include <algorithm>
#include <thread>

#include "chance/significance.hpp"
#include "io/fragments.hpp"
#include "pipeline/run_json.hpp"
#include "rank/sample_check.hpp"
#include "report/html_report.hpp"
#include "tilmatch/json_writer.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::pipeline {
namespace {

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

/// run.json's "background": which background the chance model used, and the active references'
/// pooled distance profile and the floor of those without a neighbour when it was built (none were
/// active: both absent); null when it was off.
void write_background_json(JsonWriter& j, const BackgroundUse& bg, const EvidenceCounts& counts) {
  const std::vector<double>& profile = counts.chance_profile;
  j.key("background");
  if (!bg.rows) {
    j.null();
    return;
  }
  j.begin_object();
  j.key("source").value(std::string(bg.builtin ? "built-in" : "file"));
  j.key("file").value(bg.rows->file);
  j.key("rows").value(static_cast<std::int64_t>(bg.rows->size()));
  j.key("md5").value(bg.md5);
  if (!profile.empty()) {
    j.key("chance_profile").begin_array();
    for (const double share : profile) j.value(share);
    j.end_array();
    j.key("chance_floor").begin_object();
    j.key("references_without_neighbours").value(counts.chance_floor.empty);
    j.key("references_with_one_neighbour").value(counts.chance_floor.single);
    j.key("pseudo_count").value(counts.chance_floor.count);
    j.end_object();
  }
  j.end_object();
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
                           {"chance_profile_strength", static_cast<double>(cp.profile_strength)},
                           {"chance_fdr", c.chance_fdr}});
  }
  return out;
}

/// The worker threads a run uses: --threads, or one per hardware thread when 0.
unsigned resolved_threads(unsigned requested) {
  return requested > 0 ? requested : std::max(1U, std::thread::hardware_concurrency());
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

}  // namespace

std::string render_run_report(const RunRecord& r) {
  std::vector<std::pair<std::string, std::string>> input_md5;
  for (const RunInputs::Checked& f : r.inputs) input_md5.emplace_back(f.role + " " + f.path, f.md5);
  report::ReportInput ri;
  ri.result = &r.result;
  ri.clonotypes = &r.table;
  ri.title = "tilmatch run — " + r.sample;
  ri.backend = r.summary.backend;
  for (const auto& [k, v] : parameter_list(r.config, r.sample, r.vgenes.loops, r.background))
    ri.parameters.emplace_back(k, report::parameter_text(v));
  for (const StageTiming& t : r.summary.stages) ri.timings_s.emplace_back(t.name, t.seconds);
  ri.timestamp = r.stamp.timestamp;
  ri.command_line = r.config.command_line;
  ri.inputs = std::move(input_md5);
  ri.screen = r.screen;
  ri.mhc_conflicts = &r.mhc_conflicts;
  ri.matched_epitopes = &r.counts.matched_epitopes;
  ri.background = describe_background(r.background);
  return report::render_html(ri);
}

std::string run_json_text(const RunRecord& r) {
  const RunConfig& c = r.config;
  JsonWriter j;
  begin_run_json(j, "run", c.command_line, r.stamp, resolved_threads(c.threads));
  j.key("backend").value(r.summary.backend);
  j.key("inputs").begin_array();
  for (const RunInputs::Checked& f : r.inputs) {
    j.begin_object();
    j.key("role").value(f.role);
    j.key("path").value(f.path);
    j.key("md5").value(f.md5);
    j.end_object();
  }
  j.end_array();
  j.key("parameters").begin_object();
  for (const auto& [k, v] : parameter_list(c, r.sample, r.vgenes.loops, r.background)) j.key(k).value(v);
  j.end_object();
  j.key("counts").begin_object();
  j.key("records").value(r.records);
  j.key("candidates").value(r.summary.candidates);
  j.key("neoantigens").value(r.summary.neoantigens);
  j.key("clonotypes").value(r.summary.clonotypes);
  j.key("cultures").value(r.table.fragments.size());
  j.key("reference_tcrs").value(r.refs.rows.size());
  write_evidence_counts(j, r.counts, r.background.rows.has_value());
  j.key("skipped_records");
  j.counts(r.skipped_records);
  j.key("skipped_reference_rows");
  j.counts(r.skipped_reference_rows);
  j.key("skipped_repertoire_rows");
  j.counts(io::skipped_rows(r.table.fragments));
  j.end_object();
  write_mhc_conflicts(j, r.mhc_conflicts, r.counts.matched_epitopes, r.refs.rows);
  write_background_json(j, r.background, r.counts);
  j.key("v_genes").begin_object();
  j.key("table").value(r.vgenes.table ? r.vgenes.table->file() : std::string("none"));
  j.key("tcrdist_loops").value(r.vgenes.loops);
  j.key("clonotypes");
  write_vgene_counts(j, r.vgenes.clonotypes);
  j.key("reference_tcrs");
  write_vgene_counts(j, r.vgenes.references);
  j.end_object();
  j.key("notes").begin_array();
  for (const std::string& n : r.result.notes) j.value(n);
  j.end_array();
  if (r.screen) write_screen_json(j, c.screen, *r.screen);
  j.key("stages");
  write_stages(j, r.summary.stages);
  j.end_object();
  return j.str();
}

}  // namespace tilmatch::pipeline
