#include "peptides/converter_tsv.hpp"

#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

#include "io/line_reader.hpp"

namespace tilmatch::test {
namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return out;
}

Measure measure(const std::string& text) {
  Measure m;
  m.text = text.empty() ? "NA" : text;
  if (!text.empty() && text != "NA") {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end && *end == '\0') m.value = value;
  }
  return m;
}

}  // namespace

ConverterTsv read_converter_tsv(const std::filesystem::path& path) {
  io::LineReader reader(path.string());
  ConverterTsv out;
  std::string line;
  if (!reader.next(line)) return out;
  const auto header = split_tabs(line);
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < header.size(); ++i) column[header[i]] = i;

  while (reader.next(line)) {
    if (line.empty()) continue;
    const auto fields = split_tabs(line);
    const auto get = [&](const char* name, const std::string& fallback = std::string()) {
      const auto it = column.find(name);
      if (it == column.end() || it->second >= fields.size()) return fallback;
      return fields[it->second];
    };
    const auto type = parse_variant_type(get("variant_type"));
    if (!type) {
      ++out.unknown_variant_type;
      continue;
    }
    VariantTranscript v;
    v.chromosome_name = get("chromosome_name");
    v.start = std::stoll(get("start", "0"));
    v.stop = std::stoll(get("stop", "0"));
    v.reference = get("reference");
    v.variant = get("variant");
    v.gene_name = get("gene_name");
    v.transcript_name = get("transcript_name");
    v.transcript_support_level = get("transcript_support_level", "NA");
    v.canonical = get("canonical", "Not Run");
    v.mane_select = get("mane_select", "Not Run");
    v.biotype = get("biotype");
    v.transcript_cds_flags = get("transcript_cds_flags", "None");
    v.amino_acid_change = get("amino_acid_change");
    v.codon_change = get("codon_change", "NA");
    v.ensembl_gene_id = get("ensembl_gene_id");
    v.hgvsc = get("hgvsc", "NA");
    v.hgvsp = get("hgvsp", "NA");
    v.wildtype_protein = get("wildtype_amino_acid_sequence");
    v.frameshift_protein = get("frameshift_amino_acid_sequence");
    v.variant_type = *type;
    v.protein_position = get("protein_position");
    v.protein_length_change = get("protein_length_change");
    v.transcript_expression = get("transcript_expression", "NA");
    v.gene_expression = get("gene_expression", "NA");
    v.normal_depth = measure(get("normal_depth"));
    v.normal_vaf = measure(get("normal_vaf"));
    v.tdna_depth = measure(get("tdna_depth"));
    v.tdna_vaf = measure(get("tdna_vaf"));
    v.trna_depth = measure(get("trna_depth"));
    v.trna_vaf = measure(get("trna_vaf"));
    v.index = get("index");
    out.rows.push_back(std::move(v));
  }
  return out;
}

}  // namespace tilmatch::test
