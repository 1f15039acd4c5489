#include "io/vcf_reader.hpp"

#include <htslib/hts.h>
#include <htslib/vcf.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "io/csq.hpp"
#include "io/vcf_format_fields.hpp"
#include "io/vcf_records.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::io {
namespace {

using detail::FormatBuffer;
using detail::StringFormatBuffer;
using detail::value_at;
using detail::values_for;

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

std::string_view field(const std::vector<std::string_view>& values, int index) {
  return index < 0 ? std::string_view() : values[static_cast<std::size_t>(index)];
}

}  // namespace

struct VcfReader::Impl {
  VcfOptions opt;
  std::unique_ptr<htsFile, HtsFileCloser> fp;
  std::unique_ptr<bcf_hdr_t, HeaderDeleter> hdr;
  std::unique_ptr<bcf1_t, RecordDeleter> rec;
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

  bool format_is_scalar(const char* tag) const {
    int id = bcf_hdr_id2int(hdr.get(), BCF_DT_ID, tag);
    if (id < 0 || !bcf_hdr_idinfo_exists(hdr.get(), BCF_HL_FMT, id)) return false;
    return bcf_hdr_id2length(hdr.get(), BCF_HL_FMT, id) == BCF_VL_FIXED &&
           bcf_hdr_id2number(hdr.get(), BCF_HL_FMT, id) == 1;
  }

  /// Fallback for a numeric tag stored as text: parses each sample's comma list.
  template <typename T>
  void parse_text_values(const char* tag, FormatBuffer<T>& buf) {
    buf.count = -1;
    if (bcf_get_format_string(hdr.get(), rec.get(), tag, &text_tmp.data, &text_tmp.capacity) < 0) return;
    const int ns = bcf_hdr_nsamples(hdr.get());
    int width = 0;
    for (int i = 0; i < ns; ++i) {
      width = std::max(width, static_cast<int>(text::split(text_tmp.data[i], ',').size()));
    }
    buf.from_text = true;
    buf.count = width;
    buf.text_values.assign(static_cast<std::size_t>(ns * width), std::nan(""));
    for (int i = 0; i < ns; ++i) {
      auto items = text::split(text_tmp.data[i], ',');
      for (std::size_t k = 0; k < items.size(); ++k) {
        if (auto v = text::parse_double(items[k])) {
          buf.text_values[static_cast<std::size_t>(i * width) + k] = *v;
        }
      }
    }
  }

  void read_int(const char* tag, FormatBuffer<std::int32_t>& buf) {
    buf.from_text = false;
    int n = bcf_get_format_int32(hdr.get(), rec.get(), tag, &buf.data, &buf.capacity);
    if (n == -2) return parse_text_values(tag, buf);
    buf.count = n < 0 ? -1 : n / bcf_hdr_nsamples(hdr.get());
  }
  void read_float(const char* tag, FormatBuffer<float>& buf) {
    buf.from_text = false;
    int n = bcf_get_format_float(hdr.get(), rec.get(), tag, &buf.data, &buf.capacity);
    if (n == -2) return parse_text_values(tag, buf);
    buf.count = n < 0 ? -1 : n / bcf_hdr_nsamples(hdr.get());
  }

  void read_strings(const char* tag, StringFormatBuffer& buf) {
    int n = bcf_get_format_string(hdr.get(), rec.get(), tag, &buf.data, &buf.capacity);
    buf.present = n >= 0;
  }

  void read_format_fields() {
    read_int("DP", dp);
    read_int("AD", ad);
    read_float("AF", af);
    read_int("RDP", rdp);
    read_int("RAD", rad);
    read_float("RAF", raf);
    if (has_tx) read_strings("TX", tx);
    if (has_gx) read_strings("GX", gx);
  }

  static Measure depth(const FormatBuffer<std::int32_t>& buf, int sample) {
    Measure m;
    auto v = value_at(buf, sample, 0);
    if (!v) return m;
    m.value = *v;
    // A depth parsed from text (a header that does not type it Integer) can be any double: only
    // one within int64's range may be converted; others print as the number they are.
    constexpr double kInt64Bound = 9223372036854775808.0;  // 2^63
    m.text = *v > -kInt64Bound && *v < kInt64Bound ? std::to_string(static_cast<std::int64_t>(*v))
                                                   : text::format_double(*v);
    return m;
  }

  /// pVACseq's get_vaf_from_vcf_genotype: AF when the sample has it, else AD/DP.
  Measure vaf(const FormatBuffer<float>& af_buf, bool af_is_scalar, const FormatBuffer<std::int32_t>& ad_buf,
              bool ad_is_scalar, const FormatBuffer<std::int32_t>& dp_buf, int sample,
              std::size_t alt_index) const {
    Measure m;
    if (af_buf.count >= 1) {
      std::optional<double> x;
      if (af_is_scalar && !af_buf.from_text) {
        x = value_at(af_buf, sample, 0);
      } else {
        if (alt_index >= values_for(af_buf, sample)) return m;
        x = value_at(af_buf, sample, alt_index);
      }
      if (!x) return m;
      m.value = *x;
      m.text = af_buf.from_text ? text::format_double(*x) : text::format_float(static_cast<float>(*x));
      return m;
    }
    if (ad_buf.count < 1 || dp_buf.count < 1) return m;
    std::optional<double> var_count;
    if (ad_is_scalar && !ad_buf.from_text) {
      var_count = value_at(ad_buf, sample, 0);
    } else {
      const std::size_t len = values_for(ad_buf, sample);
      if (len == alts.size()) {
        var_count = value_at(ad_buf, sample, alt_index);
      } else if (len == alts.size() + 1) {
        var_count = value_at(ad_buf, sample, alt_index + 1);
      } else {
        return m;
      }
    }
    auto d = value_at(dp_buf, sample, 0);
    if (!var_count || !d || *d == 0) return m;
    double x = std::trunc(*var_count) / std::trunc(*d);
    m.value = x;
    m.text = text::format_double(x);
    return m;
  }

  /// pVACseq's TX/GX lookup: the value of the last `id|value` whose id equals one of `keys`.
  std::string expression(const StringFormatBuffer& buf, std::string_view key1, std::string_view key2) const {
    std::string out = "NA";
    if (!buf.present) return out;
    std::string_view s(buf.data[sample_index]);
    if (s.empty() || s == ".") return out;
    std::size_t begin = 0;
    while (true) {
      auto comma = s.find(',', begin);
      std::string_view item = s.substr(begin, comma == std::string_view::npos ? comma : comma - begin);
      auto bar = item.find('|');
      if (bar != std::string_view::npos && item.find('|', bar + 1) == std::string_view::npos) {
        std::string_view id = item.substr(0, bar);
        if (id == key1 || (!key2.empty() && id == key2)) out = std::string(item.substr(bar + 1));
      }
      if (comma == std::string_view::npos) break;
      begin = comma + 1;
    }
    return out;
  }

  void find_transcripts(std::string_view allele) {
    matched.clear();
    for (std::size_t i = 0; i < entry_alleles.size(); ++i) {
      if (entry_alleles[i] == allele) matched.push_back(i);
    }
  }

  void process_record(std::vector<VariantTranscript>& out);
};

VcfReader::VcfReader(VcfOptions options) : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.opt = std::move(options);
  const std::string& path = d.opt.path;
  d.fp.reset(hts_open(path.c_str(), "r"));
  if (!d.fp) throw IoError("cannot open " + path);
  const htsFormat* format = hts_get_format(d.fp.get());
  if (format->category != variant_data) {
    throw InputError(path, "", "not a VCF or BCF file");
  }
  d.hdr.reset(bcf_hdr_read(d.fp.get()));
  if (!d.hdr) throw InputError(path, "header", "cannot parse the VCF header");
  d.rec.reset(bcf_init());
  if (!d.rec) throw Error("out of memory");
  bcf_hdr_t* hdr = d.hdr.get();

  bcf_hrec_t* csq = bcf_hdr_get_hrec(hdr, BCF_HL_INFO, "ID", "CSQ", nullptr);
  if (!csq) {
    throw InputError(path, "header",
                     "no CSQ INFO field; annotate the VCF with VEP (with the Wildtype and Frameshift "
                     "plugins) first");
  }
  int desc = bcf_hrec_find_key(csq, "Description");
  std::optional<detail::CsqLayout> layout;
  if (desc >= 0) layout = detail::parse_csq_description(csq->vals[desc]);
  if (!layout) {
    throw InputError(path, "header", "the CSQ description has no 'Format: ' field list");
  }
  auto missing = detail::missing_required_fields(*layout);
  if (!missing.empty()) {
    std::string names;
    for (const auto& m : missing) names += (names.empty() ? "" : ", ") + m;
    throw InputError(path, "header",
                     "the CSQ annotation lacks " + names +
                         "; re-annotate the VCF with VEP using --tsl, --biotype and the Wildtype and "
                         "Frameshift plugins");
  }
  d.csq = std::move(*layout);

  const int nsamples = bcf_hdr_nsamples(hdr);
  std::string sample_list;
  for (int i = 0; i < nsamples; ++i) sample_list += (i ? ", " : "") + std::string(hdr->samples[i]);
  if (nsamples == 0) {
    throw InputError(path, "header",
                     "the VCF has no sample columns (add one with vcf-genotype-annotator from vatools)");
  }
  if (d.opt.sample.empty()) {
    if (nsamples > 1) {
      throw InputError(path, "header",
                       "the VCF has several samples (" + sample_list + "); choose the tumour sample");
    }
    d.opt.sample = hdr->samples[0];
  }
  d.sample_index = bcf_hdr_id2int(hdr, BCF_DT_SAMPLE, d.opt.sample.c_str());
  if (d.sample_index < 0) {
    throw InputError(path, "header",
                     "sample '" + d.opt.sample + "' is not in the VCF; samples: " + sample_list);
  }
  if (d.opt.normal_sample) {
    if (nsamples == 1) {
      throw InputError(path, "header",
                       "normal sample '" + *d.opt.normal_sample +
                           "' given but the VCF has a single (tumour-only) sample");
    }
    d.normal_index = bcf_hdr_id2int(hdr, BCF_DT_SAMPLE, d.opt.normal_sample->c_str());
    if (d.normal_index < 0) {
      throw InputError(path, "header",
                       "normal sample '" + *d.opt.normal_sample + "' is not in the VCF; samples: " +
                           sample_list);
    }
  }
  if (!bcf_hdr_get_hrec(hdr, BCF_HL_FMT, "ID", "GT", nullptr)) {
    throw InputError(path, "header",
                     "no GT FORMAT field (add genotypes with vcf-genotype-annotator from vatools)");
  }
  d.has_tx = bcf_hdr_get_hrec(hdr, BCF_HL_FMT, "ID", "TX", nullptr) != nullptr;
  d.has_gx = bcf_hdr_get_hrec(hdr, BCF_HL_FMT, "ID", "GX", nullptr) != nullptr;
  d.af_scalar = d.format_is_scalar("AF");
  d.ad_scalar = d.format_is_scalar("AD");
  d.raf_scalar = d.format_is_scalar("RAF");
  d.rad_scalar = d.format_is_scalar("RAD");

  // pVACseq: a ##reference or ##VEP line mentioning GRCh38/GRCm38.
  for (int i = 0; i < hdr->nhrec; ++i) {
    const bcf_hrec_t* h = hdr->hrec[i];
    if (h->type != BCF_HL_GEN || !h->value) continue;
    if (std::strcmp(h->key, "reference") != 0 && std::strcmp(h->key, "VEP") != 0) continue;
    if (std::strstr(h->value, "GRCh38") || std::strstr(h->value, "GRCm38")) {
      d.build38 = true;
      break;
    }
  }
  d.records_in.emplace(path, d.fp.get(), hdr);
}

VcfReader::~VcfReader() {
  if (impl_ && impl_->fp) {
    // Reading only: a failing close cannot lose data, and destructors must not throw.
    htsFile* fp = impl_->fp.release();
    if (hts_close(fp) != 0) log::warn(impl_->opt.path + ": error while closing");
  }
}

bool VcfReader::next(std::vector<VariantTranscript>& out) {
  out.clear();
  Impl& d = *impl_;
  if (!d.records_in->next(d.rec.get())) return false;
  // HTSlib accepts a BCF record without FORMAT fields; the header promised sample columns, so
  // such a record is an error, as it is for vcfpy.
  if (d.rec->n_fmt == 0) {
    throw InputError(d.opt.path, d.where(), "malformed VCF record: no FORMAT/sample columns");
  }
  ++d.records;
  d.process_record(out);
  return true;
}

void VcfReader::Impl::process_record(std::vector<VariantTranscript>& out) {
  bcf1_t* r = rec.get();
  bcf_hdr_t* h = hdr.get();
  const std::string_view ref(r->d.allele[0]);
  alts.clear();
  for (int i = 1; i < r->n_allele; ++i) alts.emplace_back(r->d.allele[i]);

  // vcfpy's call.called: GT present and no allele missing.
  int ngt = bcf_get_genotypes(h, r, &gt, &gt_cap);
  if (ngt <= 0) {
    skip("genotype_not_called");
    return;
  }
  const int ploidy_max = ngt / bcf_hdr_nsamples(h);
  const std::int32_t* sgt = gt + static_cast<std::ptrdiff_t>(sample_index) * ploidy_max;
  int ploidy = 0;
  bool called = true;
  for (; ploidy < ploidy_max && sgt[ploidy] != bcf_int32_vector_end; ++ploidy) {
    if (bcf_gt_is_missing(sgt[ploidy])) called = false;
  }
  if (ploidy == 0 || !called) {
    skip("genotype_not_called");
    return;
  }

  if (opt.pass_only) {
    bool pass = r->d.n_flt == 0 ||
                (r->d.n_flt == 1 && std::strcmp(bcf_hdr_int2id(h, BCF_DT_ID, r->d.flt[0]), "PASS") == 0);
    if (!pass) {
      skip("filtered_not_pass");
      return;
    }
  }

  int csq_len = bcf_get_info_string(h, r, "CSQ", &csq_buf, &csq_cap);
  if (csq_len < 0) {
    skip("no_csq");
    return;
  }
  detail::split_csq_list(std::string_view(csq_buf, static_cast<std::size_t>(csq_len)), csq, entries,
                         entry_alleles);

  // vcfpy's affected_start/affected_end: an insertion-only record starts right of POS.
  bool all_ins = !alts.empty();
  for (auto alt : alts) {
    if (detail::is_symbolic(alt) || !detail::is_clean_insertion(ref, alt)) all_ins = false;
  }
  const std::int64_t pos = r->pos + 1;
  const std::int64_t affected_start = all_ins ? pos : pos - 1;
  const std::int64_t affected_end = all_ins ? pos : pos - 1 + static_cast<std::int64_t>(ref.size());

  bool format_read = false;
  const std::string chrom = bcf_seqname_safe(h, r);

  for (std::size_t ai = 0; ai < alts.size(); ++ai) {
    const std::string_view alt = alts[ai];
    bool in_gt = false;
    for (int k = 0; k < ploidy; ++k) {
      int allele = bcf_gt_allele(sgt[k]);
      if (allele >= r->n_allele) {
        throw InputError(opt.path, where(),
                         "genotype allele " + std::to_string(allele) + " does not exist (" +
                             std::to_string(r->n_allele - 1) + " ALT alleles)");
      }
      std::string_view base = allele == 0 ? ref : std::string_view(r->d.allele[allele]);
      if (base == alt) in_gt = true;
    }
    if (!in_gt) {
      skip("alt_not_in_genotype", alt);
      continue;
    }
    if (detail::is_symbolic(alt)) {
      skip("symbolic_allele", alt);
      continue;
    }
    if (!detail::is_acgtn(alt) || !detail::is_acgtn(ref)) {
      skip("non_acgt_allele", alt);
      continue;
    }

    // csq_parser.resolve_alleles + the fallbacks of VcfConverter.execute.
    find_transcripts(alt);
    if (matched.empty()) find_transcripts(detail::csq_allele_for(ref, alt));
    if (matched.empty() && alt.size() < ref.size()) find_transcripts("deletion");
    if (matched.empty()) {
      skip("no_matching_csq_allele", alt);
      continue;
    }

    if (!format_read) {
      read_format_fields();
      format_read = true;
    }
    const std::size_t alt_index = static_cast<std::size_t>(
        std::find(alts.begin(), alts.end(), alt) - alts.begin());
    Measure tdna_depth = depth(dp, sample_index);
    Measure trna_depth = depth(rdp, sample_index);
    Measure tdna_vaf = vaf(af, af_scalar, ad, ad_scalar, dp, sample_index, alt_index);
    Measure trna_vaf = vaf(raf, raf_scalar, rad, rad_scalar, rdp, sample_index, alt_index);
    Measure normal_depth, normal_vaf;
    if (normal_index >= 0) {
      normal_depth = depth(dp, normal_index);
      normal_vaf = vaf(af, af_scalar, ad, ad_scalar, dp, normal_index, alt_index);
    }

    const bool debug = log::enabled(log::Level::kDebug);
    for (std::size_t ei : matched) {
      const std::string_view entry = entries[ei];
      auto feature_for_log = [&] { return debug ? detail::nth_csq_field(entry, csq.feature) : std::string_view(); };
      // Most matched entries are non-coding consequences: reject them from the fields the checks
      // need before splitting the whole entry (whose protein sequences are long). pVACseq checks
      // FLAGS before Consequence; both skip before numbering, so only the counted reason of an
      // entry failing both differs (and a malformed entry failing them is counted by that reason).
      auto type = detail::resolve_consequence(detail::nth_csq_field(entry, csq.consequence), ref.size(),
                                              alt.size());
      if (!type) {
        skip("unsupported_consequence", alt, feature_for_log());
        continue;
      }
      if (!opt.allow_incomplete_transcripts) {
        const std::string_view flags = detail::nth_csq_field(entry, csq.flags);
        if (detail::icontains(flags, "cds_start_nf") || detail::icontains(flags, "cds_end_nf")) {
          skip("incomplete_cds", alt, feature_for_log());
          continue;
        }
      }
      if (!detail::split_csq_entry(entry, csq, values)) {
        skip("malformed_csq", alt);
        continue;
      }
      const std::string_view flags = field(values, csq.flags);
      const std::string_view feature = field(values, csq.feature);

      const std::string_view ppos = detail::protein_position_of(field(values, csq.protein_position));
      if (ppos.empty() || ppos == "-") {
        skip("no_protein_position", alt, feature);
        continue;
      }
      const std::string_view amino_acids = field(values, csq.amino_acids);
      const std::string_view frameshift = field(values, csq.frameshift_sequence);
      std::string change(ppos);
      if (*type == VariantType::kFrameshift) {
        if (frameshift.empty()) {
          skip("no_frameshift_sequence", alt, feature);
          continue;
        }
        change.append(ref).append("/").append(alt);
      } else {
        if (amino_acids.empty()) {
          skip("no_amino_acid_change", alt, feature);
          continue;
        }
        change.append(amino_acids);
      }
      std::string_view gene_name = field(values, csq.symbol);
      if (gene_name.empty()) gene_name = field(values, csq.gene);

      // pVACseq numbers the row here, before the biotype / wildtype / Amino_acids checks below, so
      // a transcript dropped by them still uses up its number.
      std::string index = std::to_string(next_index++);
      index.append(".").append(gene_name).append(".").append(feature).append(".");
      index.append(to_string(*type)).append(".").append(change);

      std::string_view biotype = field(values, csq.biotype);
      if (!biotype.empty() && !opt.biotypes.empty() &&
          std::find(opt.biotypes.begin(), opt.biotypes.end(), biotype) == opt.biotypes.end()) {
        skip("biotype_excluded", alt, feature);
        continue;
      }
      const std::string_view wildtype = field(values, csq.wildtype_protein);
      if (wildtype.find('*') != std::string_view::npos) {
        skip("wildtype_internal_stop", alt, feature);
        continue;
      }
      if (amino_acids.empty()) {
        skip("no_amino_acid_change", alt, feature);
        continue;
      }

      VariantTranscript& v = out.emplace_back();
      v.chromosome_name = chrom;
      v.pos = pos;
      v.start = ref.size() > alt.size() ? affected_start + 1 : affected_start;
      v.stop = affected_end;
      v.reference = ref;
      v.variant = alt;
      v.gene_name = gene_name;
      v.transcript_name = feature;
      if (!build38) {
        v.transcript_support_level = "Not Supported";
      } else {
        std::string_view tsl = field(values, csq.tsl);
        v.transcript_support_level = tsl.empty() ? std::string("NA") : std::string(tsl);
      }
      if (csq.canonical < 0) {
        v.canonical = "Not Run";
      } else {
        v.canonical = field(values, csq.canonical) == "YES" ? "True" : "False";
      }
      if (csq.mane_select < 0) {
        v.mane_select = "Not Run";
      } else {
        v.mane_select = field(values, csq.mane_select).empty() ? "False" : "True";
      }
      v.biotype = biotype.empty() ? std::string("NA") : std::string(biotype);
      // VEP joins FLAGS with '&'; pVACseq lists them comma-separated, "None" when there are none.
      if (!flags.empty()) {
        v.transcript_cds_flags = flags;
        std::replace(v.transcript_cds_flags.begin(), v.transcript_cds_flags.end(), '&', ',');
      }
      v.amino_acid_change = amino_acids;
      std::string_view codons = field(values, csq.codons);
      v.codon_change = codons.empty() ? std::string("NA") : std::string(codons);
      v.ensembl_gene_id = field(values, csq.gene);
      if (csq.hgvsc >= 0) v.hgvsc = detail::decode_percent_hex(field(values, csq.hgvsc));
      if (csq.hgvsp >= 0) v.hgvsp = detail::decode_percent_hex(field(values, csq.hgvsp));
      v.wildtype_protein = wildtype;
      v.frameshift_protein = frameshift;
      v.variant_type = *type;
      v.protein_position = ppos;
      if (!frameshift.empty()) {
        auto wt_len = static_cast<std::int64_t>(wildtype.size());
        auto mt_len = static_cast<std::int64_t>(frameshift.size());
        if (mt_len > wt_len) {
          v.protein_length_change = "+" + std::to_string(mt_len - wt_len);
        } else if (mt_len < wt_len) {
          v.protein_length_change = "-" + std::to_string(wt_len - mt_len);
        } else {
          v.protein_length_change = "0";
        }
      }
      if (has_tx) v.transcript_expression = expression(tx, feature, {});
      if (has_gx) v.gene_expression = expression(gx, v.ensembl_gene_id, gene_name);
      v.normal_depth = normal_depth;
      v.normal_vaf = normal_vaf;
      v.tdna_depth = tdna_depth;
      v.tdna_vaf = tdna_vaf;
      v.trna_depth = trna_depth;
      v.trna_vaf = trna_vaf;
      v.index = std::move(index);
    }
  }
}

std::int64_t VcfReader::records_read() const noexcept { return impl_->records; }
const SkipCounts& VcfReader::skips() const noexcept { return impl_->skips; }
const std::string& VcfReader::sample() const noexcept { return impl_->opt.sample; }
bool VcfReader::is_build38() const noexcept { return impl_->build38; }

std::string htslib_version() { return hts_version(); }

}  // namespace tilmatch::io
