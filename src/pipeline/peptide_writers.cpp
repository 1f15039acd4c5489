#include "pipeline/peptide_writers.hpp"

#include <unistd.h>

#include <ctime>

#include "tilmatch/text.hpp"
#include "tilmatch/version.hpp"

namespace tilmatch::pipeline {
namespace {

constexpr std::size_t kFastaWidth = 60;

// An empty cell is written `NA`, the one missing-value mark of every tilmatch table (docs/formats.md).
void add(std::string& row, std::string_view field) { text::append_tsv_field(row, field.empty() ? kNa : field); }

}  // namespace

std::string candidates_header() {
  return "key\tchromosome_name\tstart\tstop\treference\tvariant\tgene_name\ttranscript_name\t"
         "transcript_support_level\tcanonical\tmane_select\tbiotype\tvariant_type\tprotein_position\t"
         "amino_acid_change\tcodon_change\tensembl_gene_id\thgvsc\thgvsp\ttdna_depth\ttdna_vaf\t"
         "trna_depth\ttrna_vaf\tnormal_depth\tnormal_vaf\tgene_expression\ttranscript_expression\t"
         "protein_length_change\twindow_status\twt_window\tmt_window\n";
}

std::string candidate_row(const VariantTranscript& v, const peptides::WindowPair* windows,
                          std::string_view window_status) {
  std::string row;
  add(row, v.index);
  add(row, v.chromosome_name);
  add(row, std::to_string(v.start));
  add(row, std::to_string(v.stop));
  add(row, v.reference);
  add(row, v.variant);
  add(row, v.gene_name);
  add(row, v.transcript_name);
  add(row, v.transcript_support_level);
  add(row, v.canonical);
  add(row, v.mane_select);
  add(row, v.biotype);
  add(row, to_string(v.variant_type));
  add(row, v.protein_position);
  add(row, v.amino_acid_change);
  add(row, v.codon_change);
  add(row, v.ensembl_gene_id);
  add(row, v.hgvsc);
  add(row, v.hgvsp);
  add(row, v.tdna_depth.text);
  add(row, v.tdna_vaf.text);
  add(row, v.trna_depth.text);
  add(row, v.trna_vaf.text);
  add(row, v.normal_depth.text);
  add(row, v.normal_vaf.text);
  add(row, v.gene_expression);
  add(row, v.transcript_expression);
  add(row, v.protein_length_change.empty() ? std::string_view("NA") : std::string_view(v.protein_length_change));
  add(row, window_status);
  add(row, windows ? std::string_view(windows->wt) : std::string_view("NA"));
  add(row, windows ? std::string_view(windows->mt) : std::string_view("NA"));
  row += '\n';
  return row;
}

std::string fasta_record(std::string_view header, std::string_view sequence) {
  std::string out;
  out.reserve(header.size() + sequence.size() + sequence.size() / kFastaWidth + 4);
  out += '>';
  out += header;
  out += '\n';
  for (std::size_t i = 0; i < sequence.size(); i += kFastaWidth) {
    out += sequence.substr(i, kFastaWidth);
    out += '\n';
  }
  return out;
}

std::string epitopes_header() {
  return "key\tmhc_class\tlength\tposition\tmutation_position\tmt_epitope\twt_epitope\n";
}

std::string epitope_row(const VariantTranscript& v, std::string_view mhc_class, const peptides::EpitopePair& e) {
  std::string row;
  add(row, v.index);
  add(row, mhc_class);
  add(row, std::to_string(e.length));
  add(row, std::to_string(e.position));
  add(row, e.mutation_position.empty() ? std::string_view("NA") : std::string_view(e.mutation_position));
  add(row, e.mt);
  add(row, e.wt.empty() ? std::string_view("NA") : std::string_view(e.wt));
  row += '\n';
  return row;
}

std::string minigenes_header() {
  return "name\tkey\tgene_name\ttranscript_name\tvariant_type\ttile\tlength\tmutation_start\tmutation_end\tsequence\n";
}

std::string minigene_name(const VariantTranscript& v, const peptides::Minigene& m) {
  return "MG." + v.index + "." + std::to_string(m.tile);
}

std::string minigene_row(const VariantTranscript& v, const peptides::Minigene& m) {
  std::string row;
  add(row, minigene_name(v, m));
  add(row, v.index);
  add(row, v.gene_name);
  add(row, v.transcript_name);
  add(row, to_string(v.variant_type));
  add(row, std::to_string(m.tile));
  add(row, std::to_string(m.sequence.size()));
  // 1-based inclusive coordinates of the mutated residues within the minigene.
  add(row, std::to_string(m.mutation_begin + 1));
  add(row, std::to_string(m.mutation_end));
  add(row, m.sequence);
  row += '\n';
  return row;
}

RunStamp run_stamp() {
  RunStamp s;
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  char buf[32];
  if (::gmtime_r(&now, &utc) != nullptr && std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc) > 0)
    s.timestamp = buf;
  char host[256] = {};
  s.host = ::gethostname(host, sizeof host - 1) == 0 && host[0] != '\0' ? host : "unknown";
  return s;
}

void begin_run_json(JsonWriter& j, std::string_view stage, const std::string& command_line, const RunStamp& stamp,
                    unsigned threads) {
  j.begin_object();
  j.key("schema_version").value(kRunJsonSchemaVersion);
  j.key("tool").value("tilmatch");
  j.key("version").value(kBuildVersion);
  j.key("stage").value(stage);
  j.key("command_line").value(command_line);
  j.key("timestamp").value(stamp.timestamp);
  j.key("host").value(stamp.host);
  j.key("threads").value(static_cast<std::int64_t>(threads));
}

}  // namespace tilmatch::pipeline
