#include "rank/sample_check.hpp"

#include <cmath>

#include "tilmatch/text.hpp"

namespace tilmatch::rank {
namespace {

std::optional<double> alt_reads(const Measure& vaf, const Measure& depth) {
  if (!vaf.value || !depth.value || !std::isfinite(*vaf.value) || !std::isfinite(*depth.value)) return std::nullopt;
  return *vaf.value * *depth.value;
}

}  // namespace

void AltReadTally::add(const VariantTranscript& v) {
  const auto tumour = alt_reads(v.tdna_vaf, v.tdna_depth);
  const auto normal = alt_reads(v.normal_vaf, v.normal_depth);
  if (!tumour || !normal) return;
  std::string key = v.chromosome_name + ':' + std::to_string(v.start) + ':' + v.reference + '>' + v.variant;
  if (!seen_.insert(std::move(key)).second) return;
  tumour_ += *tumour;
  normal_ += *normal;
}

std::optional<double> AltReadTally::normal_share() const noexcept {
  const double total = tumour_ + normal_;
  if (!(total >= kSwapCheckMinAltReads)) return std::nullopt;
  return normal_ / total;
}

std::optional<std::string> AltReadTally::swap_note(const std::string& tumour_sample,
                                                   const std::string& normal_sample) const {
  const auto share = normal_share();
  if (!share || *share <= kSwappedNormalAltShare) return std::nullopt;
  return "Most alt reads of the somatic variants (" + text::format_fixed(100 * *share, 0) + "%, " +
         text::format_fixed(normal_, 0) + " of " + text::format_fixed(tumour_ + normal_, 0) +
         ") are in the normal sample '" + normal_sample + "', not in the tumour '" + tumour_sample +
         "': are --sample and --normal-sample swapped? Clonality and expression factors are computed from the "
         "tumour's reads.";
}

std::optional<std::string> genotype_swap_note(std::int64_t records, std::int64_t alts_not_in_tumour,
                                              const std::string& tumour_sample,
                                              const std::optional<std::string>& normal_sample) {
  if (records < kSwapCheckMinRecords) return std::nullopt;
  const double share = static_cast<double>(alts_not_in_tumour) / static_cast<double>(records);
  if (share <= kSwappedNormalAltShare) return std::nullopt;
  std::string note = "Most VCF records (" + std::to_string(alts_not_in_tumour) + " of " + std::to_string(records) +
                     ") have no alt allele in the genotype of the tumour sample '" + tumour_sample + "'";
  if (normal_sample) return note + ": are --sample and --normal-sample ('" + *normal_sample + "') swapped?";
  return note + ": is --sample the tumour?";
}

}  // namespace tilmatch::rank
