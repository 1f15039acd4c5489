#pragma once
/// Reads VEP-annotated VCF/VCF.gz/BCF through HTSlib and yields, record by record, every usable
/// (variant, alt allele, transcript) following pVACseq's VcfConverter rules.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tilmatch/variant.hpp"

namespace tilmatch::io {

struct VcfOptions {
  std::string path;
  /// Tumour sample; may be empty only for a single-sample VCF (then that sample is used).
  std::string sample;
  std::optional<std::string> normal_sample;
  bool pass_only = false;
  /// Transcript biotypes kept (pVACseq's --biotypes; default protein_coding). Empty keeps every
  /// biotype (pVACseq's VcfConverter when called without biotypes, as its unit tests do).
  std::vector<std::string> biotypes = {"protein_coding"};
  /// Keep transcripts flagged cds_start_NF / cds_end_NF.
  bool allow_incomplete_transcripts = false;
};

/// Why a record, allele or transcript was not used. Counted, logged at --verbose, never fatal.
struct SkipCounts {
  /// reason -> count; reasons are short snake_case phrases, e.g. "no_csq", "genotype_not_called".
  std::map<std::string, std::int64_t> by_reason;
  void add(const std::string& reason, std::int64_t n = 1) { by_reason[reason] += n; }
};

class VcfReader {
 public:
  /// Opens the file and validates its header: CSQ present with the fields pVACseq needs
  /// (Allele, Consequence, Feature, SYMBOL, Gene, Protein_position, Amino_acids, BIOTYPE, TSL,
  /// WildtypeProtein, FrameshiftSequence), the samples exist. Throws InputError naming the file.
  explicit VcfReader(VcfOptions options);
  ~VcfReader();
  VcfReader(const VcfReader&) = delete;
  VcfReader& operator=(const VcfReader&) = delete;

  /// Reads the next record; fills `out` (cleared first) with its usable transcripts, possibly none.
  /// Returns false at end of file. Throws InputError (file + chrom:pos, the line for VCF/VCF.gz, or
  /// "after chrom:pos") on a truncated or malformed file, read strictly (detail::VcfRecordReader):
  /// a column count that differs from the header's or POS below 1 is an error.
  bool next(std::vector<VariantTranscript>& out);

  std::int64_t records_read() const noexcept;
  const SkipCounts& skips() const noexcept;
  /// The tumour sample actually used.
  const std::string& sample() const noexcept;
  /// True when the header says GRCh38/GRCm38 (pVACseq reports TSL only then).
  bool is_build38() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The version of the HTSlib this binary runs with (`hts_version()`, e.g. "1.16"), for
/// `tilmatch --version` and the workflow's versions record.
std::string htslib_version();

}  // namespace tilmatch::io
