// io::VcfReader: one CSQ entry of one ALT allele -> one candidate transcript, by pVACseq's rules
// (VcfConverter.execute), or the reason it is skipped.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "io/vcf_reader_impl.hpp"

namespace tilmatch::io {

using detail::csq_value;

struct VcfReader::Impl::AcceptedEntry {
  VariantType type;
  std::string_view flags, feature, protein_position, amino_acids, frameshift, gene_name, biotype, wildtype;
  std::string index;
};

namespace {

/// pVACseq's protein_length_change of a frameshift: "+n", "-n" or "0" (mutant minus wild type).
std::string length_change(std::size_t wildtype, std::size_t mutant) {
  if (mutant > wildtype) return "+" + std::to_string(mutant - wildtype);
  if (mutant < wildtype) return "-" + std::to_string(wildtype - mutant);
  return "0";
}

}  // namespace

void VcfReader::Impl::add_transcript(std::string_view entry, const AlleleSite& site,
                                     std::vector<VariantTranscript>& out) {
  if (auto accepted = accept_entry(entry, site.ref, site.alt)) out.push_back(make_transcript(std::move(*accepted), site));
}

std::optional<VcfReader::Impl::AcceptedEntry> VcfReader::Impl::accept_entry(std::string_view entry,
                                                                            std::string_view ref,
                                                                            std::string_view alt) {
  const bool debug = log::enabled(log::Level::kDebug);
  auto feature_for_log = [&] { return debug ? detail::nth_csq_field(entry, csq.feature) : std::string_view(); };
  auto skipped = [&](const char* reason, std::string_view feature) {
    skip(reason, alt, feature);
    return std::nullopt;
  };
  // Most matched entries are non-coding consequences: reject them from the fields the checks
  // need before splitting the whole entry (whose protein sequences are long). pVACseq checks
  // FLAGS before Consequence; both skip before numbering, so only the counted reason of an
  // entry failing both differs (and a malformed entry failing them is counted by that reason).
  auto type = detail::resolve_consequence(detail::nth_csq_field(entry, csq.consequence), ref.size(),
                                          alt.size());
  if (!type) return skipped("unsupported_consequence", feature_for_log());
  if (!opt.allow_incomplete_transcripts) {
    const std::string_view flags = detail::nth_csq_field(entry, csq.flags);
    if (detail::icontains(flags, "cds_start_nf") || detail::icontains(flags, "cds_end_nf")) {
      return skipped("incomplete_cds", feature_for_log());
    }
  }
  if (!detail::split_csq_entry(entry, csq, values)) return skipped("malformed_csq", {});

  AcceptedEntry e{*type,
                  csq_value(values, csq.flags),
                  csq_value(values, csq.feature),
                  detail::protein_position_of(csq_value(values, csq.protein_position)),
                  csq_value(values, csq.amino_acids),
                  csq_value(values, csq.frameshift_sequence),
                  csq_value(values, csq.symbol),
                  csq_value(values, csq.biotype),
                  csq_value(values, csq.wildtype_protein),
                  {}};
  if (e.protein_position.empty() || e.protein_position == "-") return skipped("no_protein_position", e.feature);
  std::string change(e.protein_position);
  if (e.type == VariantType::kFrameshift) {
    if (e.frameshift.empty()) return skipped("no_frameshift_sequence", e.feature);
    change.append(ref).append("/").append(alt);
  } else {
    if (e.amino_acids.empty()) return skipped("no_amino_acid_change", e.feature);
    change.append(e.amino_acids);
  }
  if (e.gene_name.empty()) e.gene_name = csq_value(values, csq.gene);

  // pVACseq numbers the row here, before the biotype / wildtype / Amino_acids checks below, so
  // a transcript dropped by them still uses up its number.
  e.index = std::to_string(next_index++);
  e.index.append(".").append(e.gene_name).append(".").append(e.feature).append(".");
  e.index.append(to_string(e.type)).append(".").append(change);

  if (!e.biotype.empty() && !opt.biotypes.empty() &&
      std::find(opt.biotypes.begin(), opt.biotypes.end(), e.biotype) == opt.biotypes.end()) {
    return skipped("biotype_excluded", e.feature);
  }
  if (e.wildtype.find('*') != std::string_view::npos) return skipped("wildtype_internal_stop", e.feature);
  if (e.amino_acids.empty()) return skipped("no_amino_acid_change", e.feature);
  return e;
}

VariantTranscript VcfReader::Impl::make_transcript(AcceptedEntry&& e, const AlleleSite& site) const {
  VariantTranscript v;
  v.chromosome_name = site.chrom;
  v.pos = site.pos;
  v.start = site.start;
  v.stop = site.stop;
  v.reference = site.ref;
  v.variant = site.alt;
  v.gene_name = e.gene_name;
  v.transcript_name = e.feature;
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
  v.biotype = e.biotype.empty() ? std::string("NA") : std::string(e.biotype);
  // VEP joins FLAGS with '&'; pVACseq lists them comma-separated, "None" when there are none.
  if (!e.flags.empty()) {
    v.transcript_cds_flags = e.flags;
    std::replace(v.transcript_cds_flags.begin(), v.transcript_cds_flags.end(), '&', ',');
  }
  v.amino_acid_change = e.amino_acids;
  std::string_view codons = csq_value(values, csq.codons);
  v.codon_change = codons.empty() ? std::string("NA") : std::string(codons);
  v.ensembl_gene_id = csq_value(values, csq.gene);
  if (csq.hgvsc >= 0) v.hgvsc = detail::decode_percent_hex(csq_value(values, csq.hgvsc));
  if (csq.hgvsp >= 0) v.hgvsp = detail::decode_percent_hex(csq_value(values, csq.hgvsp));
  v.wildtype_protein = e.wildtype;
  v.frameshift_protein = e.frameshift;
  v.variant_type = e.type;
  v.protein_position = e.protein_position;
  if (!e.frameshift.empty()) v.protein_length_change = length_change(e.wildtype.size(), e.frameshift.size());
  if (has_tx) v.transcript_expression = expression(tx, e.feature, {});
  if (has_gx) v.gene_expression = expression(gx, v.ensembl_gene_id, e.gene_name);
  v.normal_depth = site.normal_depth;
  v.normal_vaf = site.normal_vaf;
  v.tdna_depth = site.tdna_depth;
  v.tdna_vaf = site.tdna_vaf;
  v.trna_depth = site.trna_depth;
  v.trna_vaf = site.trna_vaf;
  v.index = std::move(e.index);
  return v;
}

}  // namespace tilmatch::io
