#pragma once
/// Strict reading of VCF, VCF.gz and BCF records through HTSlib. HTSlib reads some broken records
/// without an error (a text line with more columns than the header names, a BCF record with more
/// samples than its header) and flags others only in `bcf1_t::errcode`; here every such record is
/// an InputError naming the file, chrom:pos and, for text input, the line.

#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/vcf.h>

#include <cstdint>
#include <optional>
#include <string>

namespace tilmatch::io::detail {

class VcfRecordReader {
 public:
  /// Borrows `fp` and `hdr` (whose header has been read); both must outlive the reader. `path`
  /// names the file in errors and is reopened, only to number lines, when an error needs it.
  VcfRecordReader(std::string path, htsFile* fp, bcf_hdr_t* hdr);
  ~VcfRecordReader();
  VcfRecordReader(const VcfRecordReader&) = delete;
  VcfRecordReader& operator=(const VcfRecordReader&) = delete;

  /// Reads the next record into `rec` and unpacks it (BCF_UN_ALL). Returns false at end of file.
  /// Throws InputError when the data cannot be read whole: a text line whose tab-separated column
  /// count differs from the header's (a line cut short, possibly joined to the next), a BCF record
  /// whose sample count differs from the header's, a record HTSlib cannot parse or flags in
  /// `errcode` (all flags but an undeclared contig or tag, which HTSlib declares as bcftools
  /// does), POS below 1, or a truncated or corrupt file.
  bool next(bcf1_t* rec);

  /// "chr1:1234 (line 57)" for `rec` as last read; the line only for text input.
  std::string where(const bcf1_t* rec);

 private:
  /// Throws when the line just read has the wrong number of columns; keeps its CHROM and POS text.
  void check_columns();
  /// "after chr1:1234" (the last record read whole) or "at the first record".
  std::string after_last_good() const;
  /// 1-based number of the line last read from text input; nullopt for BCF or when the file
  /// cannot be read again to count its header lines.
  std::optional<std::int64_t> line_number();
  /// "<CHROM>:<POS> (line N)" from the raw text of the line last read.
  std::string raw_where();

  std::string path_;
  htsFile* fp_;
  bcf_hdr_t* hdr_;
  bool text_;
  int expected_columns_;
  kstring_t line_ = KS_INITIALIZE;
  std::int64_t data_lines_ = 0;  // lines read after the header
  std::optional<std::int64_t> header_lines_;  // counted on first need; -1 when it cannot be
  std::string raw_chrom_, raw_pos_;
  int last_rid_ = -1;
  std::int64_t last_pos_ = 0;
};

}  // namespace tilmatch::io::detail
