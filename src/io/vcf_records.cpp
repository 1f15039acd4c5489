#include "io/vcf_records.hpp"

#include <htslib/kseq.h>  // KS_SEP_LINE

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string_view>
#include <system_error>
#include <utility>

#include "tilmatch/error.hpp"

namespace tilmatch::io::detail {
namespace {

/// A CHROM or POS cell quoted in a message: at most 40 bytes, control characters shown as '?'.
std::string printable(std::string_view cell) {
  constexpr std::size_t kMaxShown = 40;
  std::string out(cell.substr(0, kMaxShown));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  if (cell.size() > kMaxShown) out += "...";
  return out;
}

/// The errcode flags that mean HTSlib dropped or could not represent part of the record, in words.
std::string lossy_flags(int errcode) {
  static constexpr std::pair<int, const char*> kFlags[] = {
      {BCF_ERR_NCOLS, "wrong number of columns"},
      {BCF_ERR_LIMITS, "a value beyond HTSlib's limits"},
      {BCF_ERR_CHAR, "an invalid character"},
      {BCF_ERR_CTG_INVALID, "an invalid contig name"},
      {BCF_ERR_TAG_INVALID, "an invalid INFO/FORMAT tag"},
  };
  std::string out;
  int known = 0;
  for (const auto& [flag, words] : kFlags) {
    known |= flag;
    if (errcode & flag) out += (out.empty() ? "" : ", ") + std::string(words);
  }
  // Contigs and tags missing from the header are recoverable: HTSlib declares them (as bcftools
  // does) and reads the values whole.
  const int unknown = errcode & ~(known | BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF);
  if (unknown != 0) out += (out.empty() ? "" : ", ") + std::string("HTSlib error flag ") + std::to_string(unknown);
  return out;
}

struct HtsFileCloser {
  void operator()(htsFile* fp) const noexcept {
    if (fp) hts_close(fp);
  }
};

}  // namespace

VcfRecordReader::VcfRecordReader(std::string path, htsFile* fp, bcf_hdr_t* hdr)
    : path_(std::move(path)), fp_(fp), hdr_(hdr), text_(hts_get_format(fp)->format == vcf) {
  const int samples = bcf_hdr_nsamples(hdr);
  // The eight fixed columns, then FORMAT and one column per sample when the header names samples.
  expected_columns_ = samples > 0 ? 9 + samples : 8;
}

VcfRecordReader::~VcfRecordReader() { ks_free(&line_); }

bool VcfRecordReader::next(bcf1_t* rec) {
  int rc = 0;
  if (text_) {
    // bcf_read on text is hts_getline + vcf_parse; reading the line here lets its columns be
    // counted before HTSlib parses it (vcf_parse ignores columns past the last sample).
    rc = hts_getline(fp_, KS_SEP_LINE, &line_);
    if (rc == -1) return false;
    if (rc < -1) {
      throw InputError(path_, after_last_good(), "read error (truncated or corrupt compressed data?)");
    }
    ++data_lines_;
    check_columns();
    rc = vcf_parse(&line_, hdr_, rec);
    if (rc != 0) {
      throw InputError(path_, raw_where(),
                       "malformed VCF record, the one " + after_last_good() + " (HTSlib error " + std::to_string(rc) +
                           ", see its message above)");
    }
  } else {
    rc = bcf_read(fp_, hdr_, rec);
    if (rc == -1) return false;
    if (rc < -1) {
      throw InputError(path_, after_last_good(),
                       "truncated or malformed BCF record (HTSlib error " + std::to_string(rc) + ")");
    }
  }
  if (const std::string lost = lossy_flags(rec->errcode); !lost.empty()) {
    throw InputError(path_, where(rec), "HTSlib could not read the record whole: " + lost);
  }
  if (bcf_unpack(rec, BCF_UN_ALL) != 0) throw InputError(path_, where(rec), "cannot unpack the VCF record");
  if (rec->n_sample != static_cast<std::uint32_t>(bcf_hdr_nsamples(hdr_))) {
    throw InputError(path_, where(rec),
                     "the record has " + std::to_string(rec->n_sample) + " samples where the header has " +
                         std::to_string(bcf_hdr_nsamples(hdr_)));
  }
  if (rec->pos < 0) {
    // HTSlib reads POS 0 (and a negative POS) as position 0, whose 0-based start is -1.
    const std::string pos = text_ ? printable(raw_pos_) : std::to_string(rec->pos + 1);
    throw InputError(path_, text_ ? raw_where() : where(rec), "POS " + pos + " is below 1 (VCF positions start at 1)");
  }
  last_rid_ = rec->rid;
  last_pos_ = rec->pos;
  return true;
}

void VcfRecordReader::check_columns() {
  const std::string_view line(line_.s, line_.l);
  const auto tab1 = line.find('\t');
  const auto tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
  raw_chrom_ = line.substr(0, tab1);
  raw_pos_ = tab1 == std::string_view::npos ? std::string_view() : line.substr(tab1 + 1, tab2 - tab1 - 1);
  const auto columns = static_cast<std::int64_t>(std::count(line.begin(), line.end(), '\t')) + 1;
  if (columns == expected_columns_) return;
  const std::string record = last_rid_ < 0 ? "the first record" : "the record " + after_last_good();
  throw InputError(path_, raw_where(),
                   (line.empty() ? std::string("an empty line") : std::to_string(columns) + " tab-separated columns") +
                       " where the header has " + std::to_string(expected_columns_) + ": " + record +
                       (columns > expected_columns_ ? " looks cut short and joined to the next line"
                                                    : " is truncated or cut short"));
}

std::string VcfRecordReader::after_last_good() const {
  if (last_rid_ < 0) return "at the first record";
  const char* name = bcf_hdr_id2name(hdr_, last_rid_);
  return "after " + std::string(name ? name : "?") + ":" + std::to_string(last_pos_ + 1);
}

std::optional<std::int64_t> VcfRecordReader::line_number() {
  if (!text_) return std::nullopt;
  if (!header_lines_) {
    // Counted only when a message needs it: the header lines are read again from a second handle.
    header_lines_ = -1;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path_, ec)) return std::nullopt;  // standard input, a pipe
    std::unique_ptr<htsFile, HtsFileCloser> again(hts_open(path_.c_str(), "r"));
    if (again && hts_get_format(again.get())->format == vcf) {
      kstring_t s = KS_INITIALIZE;
      std::int64_t n = 0;
      while (hts_getline(again.get(), KS_SEP_LINE, &s) >= 0 && s.l > 0 && s.s[0] == '#') ++n;
      ks_free(&s);
      header_lines_ = n;
    }
  }
  if (*header_lines_ < 0) return std::nullopt;
  return *header_lines_ + data_lines_;
}

std::string VcfRecordReader::where(const bcf1_t* rec) {
  std::string out = std::string(bcf_seqname_safe(hdr_, rec)) + ":" + std::to_string(rec->pos + 1);
  if (const auto line = line_number()) out += " (line " + std::to_string(*line) + ")";
  return out;
}

std::string VcfRecordReader::raw_where() {
  const auto line = line_number();
  if (raw_chrom_.empty() && raw_pos_.empty()) return line ? "line " + std::to_string(*line) : std::string();
  std::string out = printable(raw_chrom_) + ":" + printable(raw_pos_);
  if (line) out += " (line " + std::to_string(*line) + ")";
  return out;
}

}  // namespace tilmatch::io::detail
