#pragma once
/// Coverage and expression filters on candidates (pVACseq's --normal-cov, --tdna-cov, --trna-cov,
/// --normal-vaf, --tdna-vaf, --trna-vaf, --expn-val family). Every threshold is off by default.
/// A value missing from the VCF ("NA") never fails a filter: absent evidence does not exclude.

#include <optional>
#include <string>

#include "tilmatch/variant.hpp"

namespace tilmatch::pipeline {

struct CandidateFilter {
  std::optional<double> min_tdna_depth, min_tdna_vaf;
  std::optional<double> min_trna_depth, min_trna_vaf;
  std::optional<double> min_normal_depth, max_normal_vaf;
  std::optional<double> min_gene_expression, min_transcript_expression;

  /// Empty when `v` passes; otherwise the first failing filter's name (e.g. "tdna_vaf_below_min").
  std::string check(const VariantTranscript& v) const;
};

}  // namespace tilmatch::pipeline
