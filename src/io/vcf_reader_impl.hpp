#pragma once
// The state of io::VcfReader, shared by its three files: vcf_reader.cpp (opening, the header, record
// filters), vcf_reader_fields.cpp (FORMAT depths, VAFs and expression) and vcf_transcript.cpp (one
// CSQ entry -> one candidate transcript, pVACseq's rules). Internal to src/io.

#include <htslib/hts.h>
#include <htslib/vcf.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/csq.hpp"
#include "io/vcf_format_fields.hpp"
#include "io/vcf_reader.hpp"
#include "io/vcf_records.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch::io {
namespace detail {

struct HtsFileCloser {
  void operator()(htsFile* fp) const noexcept {
    if (fp) hts_close(fp);
  }
};
struct HeaderDeleter {
  void operator()(bcf_hdr_t* hdr) const noexcept {
    if (hdr) bcf_hdr_destroy(hdr);
  }
};
struct RecordDeleter {
  void operator()(bcf1_t* rec) const noexcept {
    if (rec) bcf_destroy(rec);
  }
};

/// The CSQ value at `index` of a split entry; empty when the layout lacks the field (index < 0).
inline std::string_view csq_value(const std::vector<std::string_view>& values, int index) {
  return index < 0 ? std::string_view() : values[static_cast<std::size_t>(index)];
}

/// What every transcript of one ALT allele of the current record shares.
struct AlleleSite {
  std::string chrom;
  std::int64_t pos = 0;    ///< VCF POS
  std::int64_t start = 0;  ///< pVACseq's start (vcfpy's affected_start, +1 for a deletion)
  std::int64_t stop = 0;   ///< vcfpy's affected_end
  std::string_view ref, alt;
  Measure normal_depth, normal_vaf, tdna_depth, tdna_vaf, trna_depth, trna_vaf;
};

}  // namespace detail

using detail::AlleleSite;
using detail::FormatBuffer;
using detail::StringFormatBuffer;

struct VcfReader::Impl {
  VcfOptions opt;
  std::unique_ptr<htsFile, detail::HtsFileCloser> fp;
  std::unique_ptr<bcf_hdr_t, detail::HeaderDeleter> hdr;
  std::unique_ptr<bcf1_t, detail::RecordDeleter> rec;
  detail::CsqLayout csq;
  int sample_index = -1;
  int normal_index = -1;
  bool build38 = false;
  bool has_tx = false, has_gx = false;
  bool af_scalar = false, ad_scalar = false, raf_scalar = false, rad_scalar = false;
  std::int64_t records = 0;
  std::int64_t next_index = 1;
  SkipCounts skips;
  std::optional<detail::VcfRecordReader> records_in;

  // Buffers reused across records.
  char* csq_buf = nullptr;
  int csq_cap = 0;
  std::int32_t* gt = nullptr;
  int gt_cap = 0;
  FormatBuffer<std::int32_t> dp, ad, rdp, rad;
  FormatBuffer<float> af, raf;
  StringFormatBuffer tx, gx, text_tmp;
  std::vector<std::string_view> entries;
  std::vector<std::string_view> entry_alleles;
  std::vector<std::string_view> values;
  std::vector<std::string_view> alts;
  std::vector<std::size_t> matched;

  ~Impl() {
    std::free(csq_buf);
    std::free(gt);
  }

  /// chrom:pos and, for text input, the line: for errors.
  std::string where() { return records_in->where(rec.get()); }
  /// chrom:pos alone: for the --verbose list of skipped records.
  std::string site() const {
    return std::string(bcf_seqname_safe(hdr.get(), rec.get())) + ":" + std::to_string(rec->pos + 1);
  }

  void skip(const std::string& reason, std::string_view alt = {}, std::string_view transcript = {}) {
    skips.add(reason);
    // Listed at --verbose: users want to see which records did not become candidates, and why.
    if (log::enabled(log::Level::kInfo)) {
      std::string msg = opt.path + " " + site();
      if (!alt.empty()) msg += " alt " + std::string(alt);
      if (!transcript.empty()) msg += " transcript " + std::string(transcript);
      msg += ": skipped (" + reason + ")";
      log::info(msg);
    }
  }

  bool format_is_scalar(const char* tag) const;
  /// Fallback for a numeric tag stored as text: parses each sample's comma list.
  template <typename T>
  void parse_text_values(const char* tag, FormatBuffer<T>& buf);
  void read_int(const char* tag, FormatBuffer<std::int32_t>& buf);
  void read_float(const char* tag, FormatBuffer<float>& buf);
  void read_strings(const char* tag, StringFormatBuffer& buf);
  /// DP, AD, AF, RDP, RAD, RAF and (when the header has them) TX, GX of the current record.
  void read_format_fields();
  static Measure depth(const FormatBuffer<std::int32_t>& buf, int sample);
  /// pVACseq's get_vaf_from_vcf_genotype: AF when the sample has it, else AD/DP.
  Measure vaf(const FormatBuffer<float>& af_buf, bool af_is_scalar, const FormatBuffer<std::int32_t>& ad_buf,
              bool ad_is_scalar, const FormatBuffer<std::int32_t>& dp_buf, int sample,
              std::size_t alt_index) const;
  /// pVACseq's TX/GX lookup: the value of the last `id|value` whose id equals one of `keys`.
  std::string expression(const StringFormatBuffer& buf, std::string_view key1, std::string_view key2) const;

  void find_transcripts(std::string_view allele) {
    matched.clear();
    for (std::size_t i = 0; i < entry_alleles.size(); ++i) {
      if (entry_alleles[i] == allele) matched.push_back(i);
    }
  }

  /// The header's CSQ field list into `csq`; InputError when it is absent or lacks a field pVACseq needs.
  void read_csq_layout();
  /// The tumour (and normal) sample indices from `opt`; InputError naming the samples the VCF has.
  void choose_samples();
  /// Which FORMAT fields the header declares, and how (GT required), and whether it is GRCh38.
  void read_format_header();
  /// Appends the candidate transcripts of the current record (vcf_reader.cpp).
  void process_record(std::vector<VariantTranscript>& out);
  /// The sample's GT of the current record with its ploidy, or nullptr when it is not called
  /// (absent, or an allele missing: vcfpy's call.called).
  const std::int32_t* called_genotype(int& ploidy);
  /// FILTER is PASS or empty, or --pass-only is off.
  bool passes_filter() const;
  /// Whether `alt` is one of the sample's GT alleles; InputError for a GT allele past the ALTs.
  bool alt_in_genotype(std::string_view ref, std::string_view alt, const std::int32_t* sgt, int ploidy);
  /// The CSQ entries of `alt` into `matched`, with pVACseq's fallbacks; false when none.
  bool match_transcripts(std::string_view ref, std::string_view alt);
  /// Coordinates (vcfpy's affected start/end), depths and VAFs of one ALT allele of the record.
  AlleleSite allele_site(const std::string& chrom, std::string_view ref, std::string_view alt) const;
  /// Appends the candidate transcript of one CSQ entry of one ALT allele, or counts why it is
  /// skipped (vcf_transcript.cpp).
  void add_transcript(std::string_view entry, const AlleleSite& site, std::vector<VariantTranscript>& out);
  /// The fields of a CSQ entry that passed pVACseq's checks, viewing `values`.
  struct AcceptedEntry;
  /// pVACseq's checks of one CSQ entry of `alt`, in its order; nullopt, the reason counted, when
  /// the entry is skipped. Numbers the entry (pVACseq's index) when it reaches the numbering.
  std::optional<AcceptedEntry> accept_entry(std::string_view entry, std::string_view ref, std::string_view alt);
  /// The candidate transcript of an accepted entry at `site`.
  VariantTranscript make_transcript(AcceptedEntry&& e, const AlleleSite& site) const;
};

}  // namespace tilmatch::io
