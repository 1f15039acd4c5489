#include "pipeline/candidate_filter.hpp"

#include "tilmatch/text.hpp"

namespace tilmatch::pipeline {
namespace {

bool below(const std::optional<double>& threshold, const std::optional<double>& value) {
  return threshold && value && *value < *threshold;
}

bool above(const std::optional<double>& threshold, const std::optional<double>& value) {
  return threshold && value && *value > *threshold;
}

std::optional<double> number(const std::string& s) {
  if (s.empty() || s == "NA") return std::nullopt;
  return text::parse_double(s);
}

}  // namespace

std::string CandidateFilter::check(const VariantTranscript& v) const {
  if (below(min_tdna_depth, v.tdna_depth.value)) return "tdna_depth_below_min";
  if (below(min_tdna_vaf, v.tdna_vaf.value)) return "tdna_vaf_below_min";
  if (below(min_trna_depth, v.trna_depth.value)) return "trna_depth_below_min";
  if (below(min_trna_vaf, v.trna_vaf.value)) return "trna_vaf_below_min";
  if (below(min_normal_depth, v.normal_depth.value)) return "normal_depth_below_min";
  if (above(max_normal_vaf, v.normal_vaf.value)) return "normal_vaf_above_max";
  // Expression is kept as text (as pVACseq prints it); parse it only when a threshold asks.
  if (min_gene_expression && below(min_gene_expression, number(v.gene_expression)))
    return "gene_expression_below_min";
  if (min_transcript_expression && below(min_transcript_expression, number(v.transcript_expression)))
    return "transcript_expression_below_min";
  return {};
}

}  // namespace tilmatch::pipeline
