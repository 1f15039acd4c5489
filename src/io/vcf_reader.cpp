#include "io/vcf_reader.hpp"

#include <htslib/hts.h>
#include <htslib/vcf.h>

#include <algorithm>
#include <cstring>
#include <string_view>

#include "io/vcf_reader_impl.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch::io {

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
  d.read_csq_layout();
  d.choose_samples();
  d.read_format_header();
  d.records_in.emplace(path, d.fp.get(), d.hdr.get());
}

void VcfReader::Impl::read_csq_layout() {
  const std::string& path = opt.path;
  bcf_hrec_t* csq_hrec = bcf_hdr_get_hrec(hdr.get(), BCF_HL_INFO, "ID", "CSQ", nullptr);
  if (!csq_hrec) {
    throw InputError(path, "header",
                     "no CSQ INFO field; annotate the VCF with VEP (with the Wildtype and Frameshift "
                     "plugins) first");
  }
  int desc = bcf_hrec_find_key(csq_hrec, "Description");
  std::optional<detail::CsqLayout> layout;
  if (desc >= 0) layout = detail::parse_csq_description(csq_hrec->vals[desc]);
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
  csq = std::move(*layout);
}

void VcfReader::Impl::choose_samples() {
  const std::string& path = opt.path;
  const bcf_hdr_t* h = hdr.get();
  const int nsamples = bcf_hdr_nsamples(h);
  std::string sample_list;
  for (int i = 0; i < nsamples; ++i) sample_list += (i ? ", " : "") + std::string(h->samples[i]);
  if (nsamples == 0) {
    throw InputError(path, "header",
                     "the VCF has no sample columns (add one with vcf-genotype-annotator from vatools)");
  }
  if (opt.sample.empty()) {
    if (nsamples > 1) {
      throw InputError(path, "header",
                       "the VCF has several samples (" + sample_list + "); choose the tumour sample");
    }
    opt.sample = h->samples[0];
  }
  sample_index = bcf_hdr_id2int(h, BCF_DT_SAMPLE, opt.sample.c_str());
  if (sample_index < 0) {
    throw InputError(path, "header", "sample '" + opt.sample + "' is not in the VCF; samples: " + sample_list);
  }
  if (opt.normal_sample) {
    if (nsamples == 1) {
      throw InputError(path, "header",
                       "normal sample '" + *opt.normal_sample + "' given but the VCF has a single (tumour-only) sample");
    }
    normal_index = bcf_hdr_id2int(h, BCF_DT_SAMPLE, opt.normal_sample->c_str());
    if (normal_index < 0) {
      throw InputError(path, "header",
                       "normal sample '" + *opt.normal_sample + "' is not in the VCF; samples: " + sample_list);
    }
  }
}

void VcfReader::Impl::read_format_header() {
  bcf_hdr_t* h = hdr.get();
  if (!bcf_hdr_get_hrec(h, BCF_HL_FMT, "ID", "GT", nullptr)) {
    throw InputError(opt.path, "header",
                     "no GT FORMAT field (add genotypes with vcf-genotype-annotator from vatools)");
  }
  has_tx = bcf_hdr_get_hrec(h, BCF_HL_FMT, "ID", "TX", nullptr) != nullptr;
  has_gx = bcf_hdr_get_hrec(h, BCF_HL_FMT, "ID", "GX", nullptr) != nullptr;
  af_scalar = format_is_scalar("AF");
  ad_scalar = format_is_scalar("AD");
  raf_scalar = format_is_scalar("RAF");
  rad_scalar = format_is_scalar("RAD");

  // pVACseq: a ##reference or ##VEP line mentioning GRCh38/GRCm38.
  for (int i = 0; i < h->nhrec; ++i) {
    const bcf_hrec_t* r = h->hrec[i];
    if (r->type != BCF_HL_GEN || !r->value) continue;
    if (std::strcmp(r->key, "reference") != 0 && std::strcmp(r->key, "VEP") != 0) continue;
    if (std::strstr(r->value, "GRCh38") || std::strstr(r->value, "GRCm38")) {
      build38 = true;
      break;
    }
  }
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

const std::int32_t* VcfReader::Impl::called_genotype(int& ploidy) {
  // vcfpy's call.called: GT present and no allele missing.
  bcf1_t* r = rec.get();
  bcf_hdr_t* h = hdr.get();
  const int ngt = bcf_get_genotypes(h, r, &gt, &gt_cap);
  if (ngt <= 0) return nullptr;
  const int ploidy_max = ngt / bcf_hdr_nsamples(h);
  const std::int32_t* sgt = gt + static_cast<std::ptrdiff_t>(sample_index) * ploidy_max;
  bool called = true;
  for (ploidy = 0; ploidy < ploidy_max && sgt[ploidy] != bcf_int32_vector_end; ++ploidy) {
    if (bcf_gt_is_missing(sgt[ploidy])) called = false;
  }
  return ploidy > 0 && called ? sgt : nullptr;
}

bool VcfReader::Impl::passes_filter() const {
  if (!opt.pass_only) return true;
  const bcf1_t* r = rec.get();
  return r->d.n_flt == 0 ||
         (r->d.n_flt == 1 && std::strcmp(bcf_hdr_int2id(hdr.get(), BCF_DT_ID, r->d.flt[0]), "PASS") == 0);
}

bool VcfReader::Impl::alt_in_genotype(std::string_view ref, std::string_view alt, const std::int32_t* sgt,
                                      int ploidy) {
  const bcf1_t* r = rec.get();
  bool in_gt = false;
  for (int k = 0; k < ploidy; ++k) {
    const int allele = bcf_gt_allele(sgt[k]);
    if (allele >= r->n_allele) {
      throw InputError(opt.path, where(),
                       "genotype allele " + std::to_string(allele) + " does not exist (" +
                           std::to_string(r->n_allele - 1) + " ALT alleles)");
    }
    const std::string_view base = allele == 0 ? ref : std::string_view(r->d.allele[allele]);
    if (base == alt) in_gt = true;
  }
  return in_gt;
}

bool VcfReader::Impl::match_transcripts(std::string_view ref, std::string_view alt) {
  // csq_parser.resolve_alleles + the fallbacks of VcfConverter.execute.
  find_transcripts(alt);
  if (matched.empty()) find_transcripts(detail::csq_allele_for(ref, alt));
  if (matched.empty() && alt.size() < ref.size()) find_transcripts("deletion");
  return !matched.empty();
}

AlleleSite VcfReader::Impl::allele_site(const std::string& chrom, std::string_view ref, std::string_view alt) const {
  // vcfpy's affected_start/affected_end: an insertion-only record starts right of POS.
  bool all_ins = !alts.empty();
  for (auto a : alts) {
    if (detail::is_symbolic(a) || !detail::is_clean_insertion(ref, a)) all_ins = false;
  }
  const std::int64_t pos = rec->pos + 1;
  const std::int64_t affected_start = all_ins ? pos : pos - 1;
  const std::int64_t affected_end = all_ins ? pos : pos - 1 + static_cast<std::int64_t>(ref.size());
  const std::size_t alt_index = static_cast<std::size_t>(std::find(alts.begin(), alts.end(), alt) - alts.begin());
  AlleleSite site;
  site.chrom = chrom;
  site.pos = pos;
  site.start = ref.size() > alt.size() ? affected_start + 1 : affected_start;
  site.stop = affected_end;
  site.ref = ref;
  site.alt = alt;
  site.tdna_depth = depth(dp, sample_index);
  site.trna_depth = depth(rdp, sample_index);
  site.tdna_vaf = vaf(af, af_scalar, ad, ad_scalar, dp, sample_index, alt_index);
  site.trna_vaf = vaf(raf, raf_scalar, rad, rad_scalar, rdp, sample_index, alt_index);
  if (normal_index >= 0) {
    site.normal_depth = depth(dp, normal_index);
    site.normal_vaf = vaf(af, af_scalar, ad, ad_scalar, dp, normal_index, alt_index);
  }
  return site;
}

void VcfReader::Impl::process_record(std::vector<VariantTranscript>& out) {
  bcf1_t* r = rec.get();
  const std::string_view ref(r->d.allele[0]);
  alts.clear();
  for (int i = 1; i < r->n_allele; ++i) alts.emplace_back(r->d.allele[i]);
  int ploidy = 0;
  const std::int32_t* sgt = called_genotype(ploidy);
  if (sgt == nullptr) return skip("genotype_not_called");
  if (!passes_filter()) return skip("filtered_not_pass");
  const int csq_len = bcf_get_info_string(hdr.get(), r, "CSQ", &csq_buf, &csq_cap);
  if (csq_len < 0) return skip("no_csq");
  detail::split_csq_list(std::string_view(csq_buf, static_cast<std::size_t>(csq_len)), csq, entries,
                         entry_alleles);

  bool format_read = false;
  const std::string chrom = bcf_seqname_safe(hdr.get(), r);
  for (const std::string_view alt : alts) {
    if (!alt_in_genotype(ref, alt, sgt, ploidy)) {
      skip("alt_not_in_genotype", alt);
    } else if (detail::is_symbolic(alt)) {
      skip("symbolic_allele", alt);
    } else if (!detail::is_acgtn(alt) || !detail::is_acgtn(ref)) {
      skip("non_acgt_allele", alt);
    } else if (!match_transcripts(ref, alt)) {
      skip("no_matching_csq_allele", alt);
    } else {
      if (!format_read) {
        read_format_fields();
        format_read = true;
      }
      const AlleleSite site = allele_site(chrom, ref, alt);
      for (std::size_t ei : matched) add_transcript(entries[ei], site, out);
    }
  }
}

std::int64_t VcfReader::records_read() const noexcept { return impl_->records; }
const SkipCounts& VcfReader::skips() const noexcept { return impl_->skips; }
const std::string& VcfReader::sample() const noexcept { return impl_->opt.sample; }
bool VcfReader::is_build38() const noexcept { return impl_->build38; }

std::string htslib_version() { return hts_version(); }

}  // namespace tilmatch::io
