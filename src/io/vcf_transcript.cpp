// io::VcfReader: one CSQ entry of one ALT allele -> one candidate transcript, by pVACseq's rules
// (VcfConverter.execute), or the reason it is skipped.

#include <algorithm>
#include <string>
#include <string_view>

#include "io/vcf_reader_impl.hpp"

namespace tilmatch::io {

using detail::csq_value;

void VcfReader::Impl::add_transcript(std::string_view entry, const AlleleSite& site,
                                     std::vector<VariantTranscript>& out) {
  const std::string_view ref = site.ref, alt = site.alt;
  const bool debug = log::enabled(log::Level::kDebug);
  auto feature_for_log = [&] { return debug ? detail::nth_csq_field(entry, csq.feature) : std::string_view(); };
  // Most matched entries are non-coding consequences: reject them from the fields the checks
  // need before splitting the whole entry (whose protein sequences are long). pVACseq checks
  // FLAGS before Consequence; both skip before numbering, so only the counted reason of an
  // entry failing both differs (and a malformed entry failing them is counted by that reason).
  auto type = detail::resolve_consequence(detail::nth_csq_field(entry, csq.consequence), ref.size(),
                                          alt.size());
  if (!type) {
    skip("unsupported_consequence", alt, feature_for_log());
    return;
  }
  if (!opt.allow_incomplete_transcripts) {
    const std::string_view flags = detail::nth_csq_field(entry, csq.flags);
    if (detail::icontains(flags, "cds_start_nf") || detail::icontains(flags, "cds_end_nf")) {
      skip("incomplete_cds", alt, feature_for_log());
      return;
    }
  }
  if (!detail::split_csq_entry(entry, csq, values)) {
    skip("malformed_csq", alt);
    return;
  }
  const std::string_view flags = csq_value(values, csq.flags);
  const std::string_view feature = csq_value(values, csq.feature);

  const std::string_view ppos = detail::protein_position_of(csq_value(values, csq.protein_position));
  if (ppos.empty() || ppos == "-") {
    skip("no_protein_position", alt, feature);
    return;
  }
  const std::string_view amino_acids = csq_value(values, csq.amino_acids);
  const std::string_view frameshift = csq_value(values, csq.frameshift_sequence);
  std::string change(ppos);
  if (*type == VariantType::kFrameshift) {
    if (frameshift.empty()) {
      skip("no_frameshift_sequence", alt, feature);
      return;
    }
    change.append(ref).append("/").append(alt);
  } else {
    if (amino_acids.empty()) {
      skip("no_amino_acid_change", alt, feature);
      return;
    }
    change.append(amino_acids);
  }
  std::string_view gene_name = csq_value(values, csq.symbol);
  if (gene_name.empty()) gene_name = csq_value(values, csq.gene);

  // pVACseq numbers the row here, before the biotype / wildtype / Amino_acids checks below, so
  // a transcript dropped by them still uses up its number.
  std::string index = std::to_string(next_index++);
  index.append(".").append(gene_name).append(".").append(feature).append(".");
  index.append(to_string(*type)).append(".").append(change);

  std::string_view biotype = csq_value(values, csq.biotype);
  if (!biotype.empty() && !opt.biotypes.empty() &&
      std::find(opt.biotypes.begin(), opt.biotypes.end(), biotype) == opt.biotypes.end()) {
    skip("biotype_excluded", alt, feature);
    return;
  }
  const std::string_view wildtype = csq_value(values, csq.wildtype_protein);
  if (wildtype.find('*') != std::string_view::npos) {
    skip("wildtype_internal_stop", alt, feature);
    return;
  }
  if (amino_acids.empty()) {
    skip("no_amino_acid_change", alt, feature);
    return;
  }

  VariantTranscript& v = out.emplace_back();
  v.chromosome_name = site.chrom;
  v.pos = site.pos;
  v.start = site.start;
  v.stop = site.stop;
  v.reference = ref;
  v.variant = alt;
  v.gene_name = gene_name;
  v.transcript_name = feature;
  if (!build38) {
    v.transcript_support_level = "Not Supported";
  } else {
    std::string_view tsl = csq_value(values, csq.tsl);
    v.transcript_support_level = tsl.empty() ? std::string("NA") : std::string(tsl);
  }
  if (csq.canonical < 0) {
    v.canonical = "Not Run";
  } else {
    v.canonical = csq_value(values, csq.canonical) == "YES" ? "True" : "False";
  }
  if (csq.mane_select < 0) {
    v.mane_select = "Not Run";
  } else {
    v.mane_select = csq_value(values, csq.mane_select).empty() ? "False" : "True";
  }
  v.biotype = biotype.empty() ? std::string("NA") : std::string(biotype);
  // VEP joins FLAGS with '&'; pVACseq lists them comma-separated, "None" when there are none.
  if (!flags.empty()) {
    v.transcript_cds_flags = flags;
    std::replace(v.transcript_cds_flags.begin(), v.transcript_cds_flags.end(), '&', ',');
  }
  v.amino_acid_change = amino_acids;
  std::string_view codons = csq_value(values, csq.codons);
  v.codon_change = codons.empty() ? std::string("NA") : std::string(codons);
  v.ensembl_gene_id = csq_value(values, csq.gene);
  if (csq.hgvsc >= 0) v.hgvsc = detail::decode_percent_hex(csq_value(values, csq.hgvsc));
  if (csq.hgvsp >= 0) v.hgvsp = detail::decode_percent_hex(csq_value(values, csq.hgvsp));
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
  v.normal_depth = site.normal_depth;
  v.normal_vaf = site.normal_vaf;
  v.tdna_depth = site.tdna_depth;
  v.tdna_vaf = site.tdna_vaf;
  v.trna_depth = site.trna_depth;
  v.trna_vaf = site.trna_vaf;
  v.index = std::move(index);
}

}  // namespace tilmatch::io
