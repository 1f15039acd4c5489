// libFuzzer harness: a VEP-annotated VCF (or VCF.gz/BCF: HTSlib reads whatever the bytes are)
// through VcfReader, the candidate filters and the peptide builder, as `tilmatch peptides` and
// the candidates stage of `tilmatch run` do.

#include <htslib/hts.h>
#include <htslib/vcf.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "io/vcf_reader.hpp"
#include "pipeline/candidate_builder.hpp"
#include "pipeline/candidate_filter.hpp"
#include "pipeline/peptides_stage.hpp"

namespace {

using tilmatch::fuzz::fail;

/// The first two sample names of the header (tumour, normal), as a user would name them;
/// nullopt when HTSlib cannot read a header at all.
std::optional<std::vector<std::string>> sample_names(const std::string& path) {
  htsFile* fp = hts_open(path.c_str(), "r");
  if (fp == nullptr) return std::nullopt;
  bcf_hdr_t* hdr = bcf_hdr_read(fp);
  std::optional<std::vector<std::string>> names;
  if (hdr != nullptr) {
    names.emplace();
    for (int i = 0; i < bcf_hdr_nsamples(hdr) && i < 2; ++i) names->push_back(hdr->samples[i]);
    bcf_hdr_destroy(hdr);
  }
  hts_close(fp);
  return names;
}

tilmatch::pipeline::CandidateFilter every_filter() {
  tilmatch::pipeline::CandidateFilter f;
  f.min_tdna_depth = f.min_trna_depth = f.min_normal_depth = 5;
  f.min_tdna_vaf = f.min_trna_vaf = 0.1;
  f.max_normal_vaf = 0.02;
  f.min_gene_expression = f.min_transcript_expression = 1;
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tilmatch::fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = tilmatch::fuzz::write_input("in.vcf", data, size);
  const auto samples = sample_names(path);
  if (!samples) return 0;

  static const tilmatch::pipeline::PeptidePlan plan = tilmatch::pipeline::make_plan(tilmatch::pipeline::PeptidesConfig{});
  static const tilmatch::pipeline::CandidateFilter filter = every_filter();
  tilmatch::io::VcfOptions options;
  options.path = path;
  if (!samples->empty()) options.sample = (*samples)[0];
  if (samples->size() > 1) options.normal_sample = (*samples)[1];
  // The reader's switches, picked by the input's length so that the corpus covers all of them.
  options.pass_only = (size & 1) != 0;
  options.allow_incomplete_transcripts = (size & 2) != 0;
  if ((size & 4) != 0) options.biotypes.clear();

  tilmatch::fuzz::expect_only_input_errors([&] {
    tilmatch::io::VcfReader reader(options);
    std::vector<tilmatch::VariantTranscript> transcripts;
    while (reader.next(transcripts)) {
      for (const tilmatch::VariantTranscript& v : transcripts) {
        (void)filter.check(v);
        const tilmatch::pipeline::CandidateBuild b = tilmatch::pipeline::build_candidate(v, plan);
        for (const tilmatch::pipeline::ClassedEpitope& e : b.epitopes) {
          if (e.pair.mt.size() != static_cast<std::size_t>(e.pair.length)) fail("an MT epitope of the wrong length");
        }
      }
    }
  });
  return 0;
}
