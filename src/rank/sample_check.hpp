#pragma once
/// Checks of the VCF's sample naming that a wrong --sample/--normal-sample would otherwise pass in
/// silence: somatic calls carry their alt reads in the tumour; a "normal" holding most of them is
/// almost surely the tumour (names swapped).

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "tilmatch/variant.hpp"

namespace tilmatch::rank {

/// Above this share of the alt reads in the normal sample the names are taken as swapped. A somatic
/// caller keeps sites whose normal holds (nearly) no alt read, so on correctly named samples the share
/// is close to 0; "most" (> 1/2) is the issue's own rule and leaves a wide margin either way.
inline constexpr double kSwappedNormalAltShare = 0.5;
/// Fewer alt reads than this (both samples together) say nothing either way: no warning.
inline constexpr double kSwapCheckMinAltReads = 10;

/// Fewer VCF records than this say nothing about the genotypes: no warning.
inline constexpr std::int64_t kSwapCheckMinRecords = 5;

/// A warning when more than kSwappedNormalAltShare of `records` have no alt allele in the tumour
/// sample's genotype (`alts_not_in_tumour`, the VCF reader's alt_not_in_genotype): the named tumour is
/// then most likely the normal (with `normal_sample`: the names swapped) or another sample. nullopt otherwise.
std::optional<std::string> genotype_swap_note(std::int64_t records, std::int64_t alts_not_in_tumour,
                                              const std::string& tumour_sample,
                                              const std::optional<std::string>& normal_sample);

/// Alt reads (VAF x depth, per the DNA FORMAT fields) in the tumour and the normal sample, summed over
/// distinct variants (a variant's transcripts count once).
class AltReadTally {
 public:
  /// Counts `v`'s variant unless one with the same chromosome, position and alleles was counted, or a
  /// sample lacks its VAF or depth.
  void add(const VariantTranscript& v);
  double tumour_alt_reads() const noexcept { return tumour_; }
  double normal_alt_reads() const noexcept { return normal_; }
  /// The share of alt reads in the normal; nullopt below kSwapCheckMinAltReads.
  std::optional<double> normal_share() const noexcept;
  /// A warning naming both samples when the normal's share exceeds kSwappedNormalAltShare; nullopt otherwise.
  std::optional<std::string> swap_note(const std::string& tumour_sample, const std::string& normal_sample) const;

 private:
  std::set<std::string> seen_;
  double tumour_ = 0;
  double normal_ = 0;
};

}  // namespace tilmatch::rank
