#pragma once
/// The setup pieces of `tilmatch run` (pipeline/run_stage.cpp): checking its options, reading the
/// candidates, cultures and references, and resolving the HLA typing, presentation table, V-gene
/// table and chance-model background that the evidence stage works with. Each function logs what
/// the run's log and report say of its piece and adds the notes run.json carries.

#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tilmatch/background.hpp"
#include "io/presentation.hpp"
#include "io/vcf_reader.hpp"
#include "names/hla.hpp"
#include "pipeline/candidate_builder.hpp"
#include "pipeline/candidate_filter.hpp"
#include "pipeline/evidence_stage.hpp"
#include "pipeline/run_stage.hpp"
#include "rank/neoantigens.hpp"
#include "rank/sample_check.hpp"
#include "scoring/vgene_table.hpp"
#include "tilmatch/clonotypes.hpp"

namespace tilmatch::pipeline {

/// Throws UsageError naming the first option of `c` that is out of range or conflicts with another.
void validate_run(const RunConfig& c);

/// The run's input files in the order they are named, each one's MD5 computed on its own thread
/// meanwhile (for run.json and the report).
class RunInputs {
 public:
  struct Checked {
    std::string role;  ///< as run.json names it: "vcf", "fragments", "repertoire:<id>", ...
    std::string path;
    std::string md5;
  };
  /// Starts the MD5 of the file at `path`.
  void track(std::string role, const std::string& path);
  /// Waits for every MD5; the files in the order tracked. Call once, after the last track().
  std::vector<Checked> finish();

 private:
  struct Pending {
    std::string role;
    std::string path;
    std::future<std::string> md5;
  };
  std::vector<Pending> pending_;
};

/// Every record's transcripts that pass `filter`, with what was built from them; what was skipped,
/// by reason, into `skipped`; the passing variants' alt reads into `alt_reads`.
std::vector<Candidate> read_candidates(io::VcfReader& reader, const CandidateFilter& filter, const PeptidePlan& plan,
                                       std::map<std::string, std::int64_t>& skipped, rank::AltReadTally& alt_reads);

/// The candidates' neoantigens, each variant's MT/WT epitopes and minigenes grouped as rank:: does.
std::vector<rank::Neoantigen> group_candidates(const std::vector<Candidate>& candidates,
                                               const rank::ModelParams& params);

/// A note when the tumour and normal samples look swapped: alt reads in the "normal" (with
/// --normal-sample), else tumour genotypes without the alt allele of the records `reader` read;
/// `skipped` as read_candidates counted it.
std::optional<std::string> sample_swap_note(const io::VcfReader& reader,
                                            const std::optional<std::string>& normal_sample,
                                            const std::map<std::string, std::int64_t>& skipped,
                                            const rank::AltReadTally& alt_reads);

/// The cultures of the --fragments manifest (io::load_fragments), the manifest and every repertoire
/// tracked in `inputs`; metadata columns that clash with the output's are renamed, a note each in
/// `notes`.
ClonotypeTable load_cultures(const RunConfig& c, RunInputs& inputs, std::vector<std::string>& notes);

/// The --validated files' reference TCRs, then the --reference files', each file tracked in
/// `inputs` and its skipped rows counted into `skips`.
ReferenceSet load_references(const RunConfig& c, RunInputs& inputs, std::map<std::string, std::int64_t>& skips);

/// The patient's HLA typing (--hla) and presentation predictions (--presentation) of a run.
struct PatientHla {
  bool checked = false;                    ///< --hla given: reference MHCs are checked against `alleles`
  std::vector<names::HlaAllele> alleles;
  std::optional<io::PresentationTable> presentation;  ///< nullopt: no --presentation
};

/// Reads --hla (tracked when it is a file) and --presentation (tracked); without --hla, a note in
/// `notes` says that reference MHCs go unchecked.
PatientHla load_patient_hla(const RunConfig& c, RunInputs& inputs, std::vector<std::string>& notes);

/// Whether and how TCRdist uses V loops in a run.
struct VGeneUse {
  std::unique_ptr<const scoring::VGeneTable> loaded;  ///< --v-gene-table's, when it is used
  const scoring::VGeneTable* table = nullptr;         ///< `loaded` or the built-in one; null: CDR3 only
  std::string loops;                                  ///< run.json's tcrdist_loops
  scoring::VGeneCounts clonotypes, references;        ///< how their V genes resolved in `table`
};

/// V loops are used when the run asks for them (the default), TCRdist is the transfer metric, and
/// both the clonotypes and the reference TCRs carry V genes; the table is --v-gene-table's (loaded
/// and tracked) or the built-in one. V genes resolved by a fallback or not at all are a warning
/// and a note in `notes`.
VGeneUse resolve_vgenes(const RunConfig& c, const ClonotypeTable& clonotypes, const ReferenceSet& refs,
                        RunInputs& inputs, std::vector<std::string>& notes);

/// The background the chance model uses: --background FILE, else the built-in one unless turned
/// off (--no-background) or the transfer metric is TCRMatch, whose scores it does not model.
struct BackgroundUse {
  std::optional<Background> rows;  ///< nullopt: the chance model is off
  bool builtin = false;
  std::string md5;  ///< of the file's bytes as stored (compressed or not)
};

/// Reads the chance model's background of `c` (--background is tracked in `inputs`).
BackgroundUse load_background(const RunConfig& c, RunInputs& inputs);

/// The background in one line for the report and the log.
std::string describe_background(const BackgroundUse& bg);

/// The evidence stage's configuration for `c`: parameters, metric, threads and memory budget, the
/// HLA checks and presentation of `hla`, the V loops of `vg` and the background of `bg` (all
/// three referenced, not copied: they must outlive the result).
EvidenceConfig evidence_config(const RunConfig& c, const PatientHla& hla, const VGeneUse& vg,
                               const BackgroundUse& bg);

}  // namespace tilmatch::pipeline
