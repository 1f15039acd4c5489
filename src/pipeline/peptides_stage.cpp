#include "pipeline/peptides_stage.hpp"

#include <algorithm>
#include <filesystem>
#include <future>
#include <set>

#include "peptides/peptides.hpp"
#include "pipeline/candidate_builder.hpp"
#include "pipeline/peptide_writers.hpp"
#include "tilmatch/atomic_file.hpp"
#include "tilmatch/checksum.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/json_writer.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch::pipeline {
namespace {

constexpr int kMinEpitopeLength = 1;
constexpr int kMaxEpitopeLength = 50;

void check_lengths(const std::vector<int>& lengths, const char* option) {
  for (int l : lengths) {
    if (l < kMinEpitopeLength || l > kMaxEpitopeLength) {
      throw UsageError(std::string(option) + ": epitope length " + std::to_string(l) + " is outside 1.." +
                       std::to_string(kMaxEpitopeLength));
    }
  }
  if (std::set<int>(lengths.begin(), lengths.end()).size() != lengths.size()) {
    throw UsageError(std::string(option) + ": a length is given twice");
  }
}

void write_int_list(JsonWriter& j, const std::vector<int>& v) {
  j.begin_array();
  for (int x : v) j.value(x);
  j.end_array();
}

template <typename T>
void optional_value(JsonWriter& j, const std::optional<T>& v) {
  if (v) {
    j.value(*v);
  } else {
    j.null();
  }
}

std::string run_json(const PeptidesConfig& c, const io::VcfReader& reader, const PeptidesSummary& s,
                     int flank, const std::string& vcf_md5) {
  JsonWriter j;
  // One worker: the records are read and built in order (the checksum thread aside).
  begin_run_json(j, "peptides", c.command_line, run_stamp(), 1);
  j.key("inputs").begin_array();
  j.begin_object();
  j.key("role").value("vcf");
  j.key("path").value(c.vcf.path);
  if (vcf_md5.empty()) {
    j.key("md5").null();
  } else {
    j.key("md5").value(vcf_md5);
  }
  j.key("bytes").value(static_cast<std::int64_t>(std::filesystem::file_size(c.vcf.path)));
  j.end_object();
  j.end_array();
  j.key("parameters").begin_object();
  j.key("sample").value(reader.sample());
  j.key("normal_sample");
  optional_value(j, c.vcf.normal_sample);
  j.key("pass_only").value(c.vcf.pass_only);
  j.key("biotypes").begin_array();
  for (const auto& b : c.vcf.biotypes) j.value(b);
  j.end_array();
  j.key("allow_incomplete_transcripts").value(c.vcf.allow_incomplete_transcripts);
  j.key("class1_lengths");
  write_int_list(j, c.class1_lengths);
  j.key("class2_lengths");
  write_int_list(j, c.class2_lengths);
  j.key("flank").value(flank);
  j.key("downstream_limit");
  optional_value(j, c.downstream_limit);
  j.key("minigene_length").value(c.minigene_length);
  j.key("filters").begin_object();
  const CandidateFilter& f = c.filter;
  const std::pair<const char*, const std::optional<double>*> filters[] = {
      {"min_tdna_depth", &f.min_tdna_depth},       {"min_tdna_vaf", &f.min_tdna_vaf},
      {"min_trna_depth", &f.min_trna_depth},       {"min_trna_vaf", &f.min_trna_vaf},
      {"min_normal_depth", &f.min_normal_depth},   {"max_normal_vaf", &f.max_normal_vaf},
      {"min_gene_expression", &f.min_gene_expression},
      {"min_transcript_expression", &f.min_transcript_expression}};
  for (const auto& [name, value] : filters) {
    j.key(name);
    optional_value(j, *value);
  }
  j.end_object();
  j.end_object();
  j.key("counts").begin_object();
  j.key("records").value(s.records);
  j.key("candidates").value(s.candidates);
  j.key("window_pairs").value(s.window_pairs);
  j.key("epitopes").value(s.epitopes);
  j.key("minigenes").value(s.minigenes);
  j.key("candidates_by_type");
  j.counts(s.candidates_by_type);
  j.key("skipped_by_reason");
  j.counts(s.skipped_by_reason);
  j.end_object();
  j.end_object();
  return j.str();
}

/// The peptide files of one run, open in its OutputSet: each candidate's rows are written as
/// the VCF is read.
class PeptideOutputs {
 public:
  explicit PeptideOutputs(OutputSet& out)
      : candidates_(out.open("candidates.tsv")),
        windows_(out.open("windows.fasta")),
        epitopes_(out.open("epitopes.tsv")),
        minigenes_tsv_(out.open("minigenes.tsv")),
        minigenes_fasta_(out.open("minigenes.fasta")) {
    candidates_.write(candidates_header());
    epitopes_.write(epitopes_header());
    minigenes_tsv_.write(minigenes_header());
  }

  /// Writes the candidate `v` with what was built from it, counting it in `s`.
  void write(const VariantTranscript& v, const CandidateBuild& b, PeptidesSummary& s) {
    if (b.window.pair) {
      ++s.window_pairs;
      candidates_.write(candidate_row(v, &*b.window.pair, "ok"));
      buf_ = fasta_record("WT." + v.index, b.window.pair->wt);
      buf_ += fasta_record("MT." + v.index, b.window.pair->mt);
      windows_.write(buf_);
    } else {
      const std::string reason(peptides::to_string(b.window.skip));
      s.skipped_by_reason["window_" + reason] += 1;
      candidates_.write(candidate_row(v, nullptr, reason));
    }

    buf_.clear();
    for (const ClassedEpitope& e : b.epitopes) buf_ += epitope_row(v, e.mhc_class, e.pair);
    s.epitopes += static_cast<std::int64_t>(b.epitopes.size());
    epitopes_.write(buf_);

    buf_.clear();
    fasta_.clear();
    for (const peptides::Minigene& m : b.minigenes) {
      buf_ += minigene_row(v, m);
      fasta_ += fasta_record(minigene_name(v, m), m.sequence);
      ++s.minigenes;
    }
    minigenes_tsv_.write(buf_);
    minigenes_fasta_.write(fasta_);
  }

 private:
  AtomicFile& candidates_;
  AtomicFile& windows_;
  AtomicFile& epitopes_;
  AtomicFile& minigenes_tsv_;
  AtomicFile& minigenes_fasta_;
  std::string buf_, fasta_;
};

}  // namespace

void validate(const PeptidesConfig& c) {
  if (c.vcf.path.empty()) throw UsageError("--vcf is required");
  if (c.class1_lengths.empty() && c.class2_lengths.empty()) {
    throw UsageError("no epitope lengths: give --class1-lengths and/or --class2-lengths");
  }
  check_lengths(c.class1_lengths, "--class1-lengths");
  check_lengths(c.class2_lengths, "--class2-lengths");
  if (c.minigene_length < 3 || c.minigene_length % 2 == 0 || c.minigene_length > 201) {
    throw UsageError("--minigene-length must be odd and between 3 and 201 (got " +
                     std::to_string(c.minigene_length) + ")");
  }
  if (c.flank && (*c.flank < 0 || *c.flank > 1000)) throw UsageError("--flank must be between 0 and 1000");
  if (c.downstream_limit && *c.downstream_limit < 1) throw UsageError("--downstream-limit must be positive");
  if (c.out_dir.empty()) throw UsageError("--out is required");
  if (!c.flank && c.class1_lengths.empty()) {
    throw UsageError("--flank is required when no class I lengths are given");
  }
}

PeptidesSummary run_peptides(const PeptidesConfig& c) {
  validate(c);
  log::Transcript transcript;  // run.log: the stage lines and warnings below
  log::stage("reading variants from " + c.vcf.path + "...");
  io::VcfReader reader(c.vcf);
  // The input checksum for run.json is a second full read of the file: overlap it with the work.
  std::future<std::string> vcf_md5 = std::async(std::launch::async, [path = c.vcf.path, on = c.input_checksum] {
    return on ? md5_file(path) : std::string();
  });

  const PeptidePlan plan = make_plan(c);

  OutputSet out(c.out_dir);
  out.claim({"peptides", reader.sample()}, c.force);
  PeptideOutputs files(out);
  AtomicFile& run = out.open("run.json");

  PeptidesSummary s;
  std::vector<VariantTranscript> rows;
  log::Progress progress("peptides");
  while (reader.next(rows)) {
    progress.update(reader.records_read(), "records");
    for (const VariantTranscript& v : rows) {
      if (std::string why = c.filter.check(v); !why.empty()) {
        s.skipped_by_reason[why] += 1;
        log::info(v.chromosome_name + ":" + std::to_string(v.pos) + " " + v.transcript_name + ": filtered (" +
                  why + ")");
        continue;
      }
      ++s.candidates;
      s.candidates_by_type[std::string(to_string(v.variant_type))] += 1;
      files.write(v, build_candidate(v, plan), s);
    }
  }
  progress.done();
  s.records = reader.records_read();
  for (const auto& [reason, n] : reader.skips().by_reason) s.skipped_by_reason[reason] += n;

  run.write(run_json(c, reader, s, plan.flank, vcf_md5.get()));
  if (s.candidates == 0) log::warn("no usable candidates in " + c.vcf.path);
  log::stage(log::format_count(s.records) + " records, " + log::format_count(s.candidates) + " candidates, " +
             log::format_count(s.epitopes) + " epitopes, " + log::format_count(s.minigenes) + " minigenes");
  out.open("run.log").write(transcript.text());
  out.commit();
  log::info("peptides: " + std::to_string(s.records) + " records, " + std::to_string(s.candidates) +
            " candidates, " + std::to_string(s.window_pairs) + " window pairs, " + std::to_string(s.epitopes) +
            " epitopes, " + std::to_string(s.minigenes) + " minigenes -> " + c.out_dir.string());
  return s;
}

}  // namespace tilmatch::pipeline
