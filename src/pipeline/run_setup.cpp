#include "pipeline/run_setup.hpp"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "io/background.hpp"
#include "io/fragments.hpp"
#include "io/hla.hpp"
#include "io/reference_db.hpp"
#include "pipeline/run_writers.hpp"
#include "tilmatch/checksum.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch::pipeline {

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
  if (!(c.chance.profile_strength >= 0 && c.chance.profile_strength <= 1e9))
    throw UsageError("--chance-profile-strength must be between 0 and 1e9");
  if (!(c.chance_fdr > 0 && c.chance_fdr < 1)) throw UsageError("--chance-fdr must be in (0, 1)");
  if (!c.background.empty() && c.metric != EvidenceConfig::Metric::kTcrdist)
    throw UsageError("--background needs --transfer-metric tcrdist (the chance model counts TCRdist neighbours)");
  if (!c.background.empty() && !c.chance_model) throw UsageError("--background and --no-background exclude each other");
  if (p.reference_neighbors < 0) throw UsageError("--reference-neighbors must be 0 (off) or positive");
  if (p.design_top_cultures < 1) throw UsageError("--design-top must be positive");
}

void RunInputs::track(std::string role, const std::string& path) {
  pending_.push_back({std::move(role), path, std::async(std::launch::async, [path] { return md5_file(path); })});
}

std::vector<RunInputs::Checked> RunInputs::finish() {
  std::vector<Checked> out;
  out.reserve(pending_.size());
  for (Pending& f : pending_) out.push_back({f.role, f.path, f.md5.get()});
  return out;
}

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

std::vector<rank::Neoantigen> group_candidates(const std::vector<Candidate>& candidates,
                                               const rank::ModelParams& params) {
  std::vector<rank::CandidatePeptides> peptides;
  peptides.reserve(candidates.size());
  for (const Candidate& cand : candidates) {
    rank::CandidatePeptides cp;
    cp.variant = cand.variant;
    for (const ClassedEpitope& e : cand.build.epitopes) cp.epitopes.emplace_back(e.pair.mt, e.pair.wt);
    for (const peptides::Minigene& m : cand.build.minigenes) cp.minigenes.push_back(m.sequence);
    peptides.push_back(std::move(cp));
  }
  return rank::group_neoantigens(peptides, params);
}

std::optional<std::string> sample_swap_note(const io::VcfReader& reader,
                                            const std::optional<std::string>& normal_sample,
                                            const std::map<std::string, std::int64_t>& skipped,
                                            const rank::AltReadTally& alt_reads) {
  // Swapped names show as alt reads in the "normal" or, where the caller genotyped it, as tumour
  // genotypes without the alt allele.
  const auto not_in_genotype = skipped.find("alt_not_in_genotype");
  std::optional<std::string> note =
      normal_sample ? alt_reads.swap_note(reader.sample(), *normal_sample) : std::nullopt;
  if (!note) {
    const std::int64_t not_in_tumour = not_in_genotype == skipped.end() ? 0 : not_in_genotype->second;
    note = rank::genotype_swap_note(reader.records_read(), not_in_tumour, reader.sample(), normal_sample);
  }
  return note;
}

ClonotypeTable load_cultures(const RunConfig& c, RunInputs& inputs, std::vector<std::string>& notes) {
  inputs.track("fragments", c.fragments);
  ClonotypeTable table = io::load_fragments(c.fragments, c.threads);
  for (std::string& note : rename_clashing_metadata(table)) {
    log::warn("run: " + note);
    notes.push_back(std::move(note));
  }
  for (const FragmentSummary& f : table.fragments) inputs.track("repertoire:" + f.id, f.path);
  if (std::string skipped = io::skipped_rows_text(table.fragments); !skipped.empty()) {
    std::string note = "repertoire rows left out: " + skipped;
    log::stage(note);
    notes.push_back(std::move(note));
  }
  return table;
}

ReferenceSet load_references(const RunConfig& c, RunInputs& inputs, std::map<std::string, std::int64_t>& skips) {
  ReferenceSet refs;
  const io::ReferenceFormat format = io::parse_reference_format(c.reference_format);
  io::SkippedBySource by_file;
  auto load = [&](const std::vector<std::string>& paths, bool validated) {
    for (const std::string& path : paths) {
      inputs.track(validated ? "validated" : "reference", path);
      io::ReferenceDb db = io::read_reference(path, format);
      if (db.rows.empty()) log::warn("run: no usable reference TCR in " + path);
      for (const auto& [k, n] : db.skipped) skips[k] += n;
      if (!db.skipped.empty()) by_file.emplace_back(path, db.skipped);
      const std::string file = std::filesystem::path(path).filename().string();
      for (ReferenceTcr& r : db.rows) {
        if (r.source.empty()) r.source = file;
        refs.rows.push_back(std::move(r));
        refs.validated.push_back(validated);
      }
      for (ReferenceTcr& r : db.negatives) {
        if (r.source.empty()) r.source = file;
        refs.negatives.push_back(std::move(r));
      }
    }
  };
  load(c.validated, true);
  load(c.references, false);
  if (std::string text = io::skipped_rows_text(by_file); !text.empty()) log::stage("reference rows left out: " + text);
  return refs;
}

PatientHla load_patient_hla(const RunConfig& c, RunInputs& inputs, std::vector<std::string>& notes) {
  PatientHla hla;
  if (c.hla.empty()) {
    notes.push_back(
        "No --hla given: reference TCRs were transferred without checking their MHC against the patient's "
        "alleles (hla = not_checked in affinity.tsv). Give the patient's HLA typing to drop or discount "
        "evidence restricted by alleles the patient lacks.");
    log::warn("run: no --hla given: the MHC restriction of reference TCRs is not checked");
  } else {
    hla.checked = true;
    hla.alleles = io::read_hla_argument(c.hla);
    if (std::filesystem::is_regular_file(c.hla)) inputs.track("hla", c.hla);
  }
  if (!c.presentation.empty()) {
    inputs.track("presentation", c.presentation);
    hla.presentation = io::read_presentation(c.presentation);
  }
  return hla;
}

namespace {

/// Which V loops TCRdist uses (VGeneUse without `loaded`), `table` being the run's V-gene table.
VGeneUse choose_vgenes(const RunConfig& c, const scoring::VGeneTable* table, const ClonotypeTable& clonotypes,
                       const ReferenceSet& refs) {
  VGeneUse use;
  const auto any_v = [](const auto& rows, auto tcr_of) {
    return std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return !tcr_of(r).vb.empty(); });
  };
  if (c.metric != EvidenceConfig::Metric::kTcrdist) {
    use.loops = "not used (TCRMatch transfer)";
  } else if (!c.v_genes) {
    use.loops = "CDR3 only (--no-v-genes)";
  } else if (!any_v(clonotypes.clonotypes, [](const auto& r) { return r.tcr; })) {
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

}  // namespace

VGeneUse resolve_vgenes(const RunConfig& c, const ClonotypeTable& clonotypes, const ReferenceSet& refs,
                        RunInputs& inputs, std::vector<std::string>& notes) {
  std::unique_ptr<const scoring::VGeneTable> loaded;
  if (c.v_genes && !c.v_gene_table.empty()) {
    inputs.track("v_gene_table", c.v_gene_table);
    loaded = std::make_unique<const scoring::VGeneTable>(scoring::VGeneTable::load(c.v_gene_table));
  }
  VGeneUse use = choose_vgenes(c, loaded ? loaded.get() : &scoring::VGeneTable::builtin(), clonotypes, refs);
  use.loaded = std::move(loaded);
  log::info("run: TCRdist on " + use.loops);
  if (use.table) {
    const std::string line = "V genes in " + use.table->file() + ": clonotypes " + use.clonotypes.summary() +
                             "; reference TCRs " + use.references.summary() + ".";
    // Names resolved by a fallback, or not at all, change distances: the user hears of them.
    if (use.clonotypes.inexact() + use.references.inexact() > 0) {
      log::warn("run: " + line);
      notes.push_back(line);
    } else {
      log::info("run: " + line);
    }
  }
  return use;
}

BackgroundUse load_background(const RunConfig& c, RunInputs& inputs) {
  BackgroundUse use;
  if (!c.background.empty()) {
    inputs.track("background", c.background);
    use.rows = io::read_background(c.background);
    use.md5 = md5_file(c.background);
  } else if (c.chance_model && c.metric == EvidenceConfig::Metric::kTcrdist) {
    const io::MemoryFile file = io::builtin_background_file();
    use.rows = io::read_background(file);
    use.builtin = true;
    use.md5 = md5_bytes(file.bytes);
  } else if (c.chance_model) {
    log::info("run: no chance model with --transfer-metric tcrmatch (it counts TCRdist neighbours)");
  }
  if (use.rows) log::info("run: chance model against " + describe_background(use));
  return use;
}

std::string describe_background(const BackgroundUse& bg) {
  if (!bg.rows) return "none (the chance model is off)";
  return bg.rows->file + " (" + log::format_count(static_cast<long long>(bg.rows->size())) + " rows, md5 " +
         bg.md5 + ")";
}

EvidenceConfig evidence_config(const RunConfig& c, const PatientHla& hla, const VGeneUse& vg,
                               const BackgroundUse& bg) {
  EvidenceConfig e;
  e.params = c.params;
  e.metric = c.metric;
  e.threads = c.threads;
  e.engine.threads = c.threads;
  e.engine.memory_budget_bytes = c.memory_bytes;
  if (hla.checked) e.hla = [&hla](std::string_view mhc) { return names::match_hla(mhc, hla.alleles); };
  if (hla.presentation) {
    const rank::ModelParams& params = c.params;
    e.presentation = [&hla, &params](const std::string& epitope) {
      return rank::presentation_factor(hla.presentation->best_rank(epitope, hla.alleles),
                                       hla.presentation->best_ic50(epitope, hla.alleles), params);
    };
    if (!hla.alleles.empty()) {
      e.presented = [&hla](const std::string& epitope) {
        return rank::is_presented(hla.presentation->best_rank(epitope, hla.alleles),
                                  hla.presentation->best_ic50(epitope, hla.alleles));
      };
    }
  }
  e.vgenes = vg.table;
  if (bg.rows) {
    e.background = &*bg.rows;
    e.background_file = bg.rows->file;
    e.chance = c.chance;
  }
  return e;
}

}  // namespace tilmatch::pipeline
