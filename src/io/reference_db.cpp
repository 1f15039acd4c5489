#include "io/reference_db.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <unordered_map>

#include "io/table_checks.hpp"
#include "io/table_reader.hpp"
#include "names/gene_names.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::io {

std::string_view to_string(ReferenceFormat f) noexcept {
  switch (f) {
    case ReferenceFormat::kAuto: return "auto";
    case ReferenceFormat::kTilmatch: return "tilmatch";
    case ReferenceFormat::kVdjdb: return "vdjdb";
    case ReferenceFormat::kIedb: return "iedb";
  }
  return "unknown";
}

ReferenceFormat parse_reference_format(std::string_view name) {
  for (auto f : {ReferenceFormat::kAuto, ReferenceFormat::kTilmatch, ReferenceFormat::kVdjdb, ReferenceFormat::kIedb}) {
    if (to_string(f) == name) return f;
  }
  throw UsageError("unknown reference format '" + std::string(name) + "' (expected auto, tilmatch, vdjdb or iedb)");
}

namespace {

std::string file_stem(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  for (std::string_view ext : {".gz", ".tsv", ".txt", ".csv"}) {
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
      name.resize(name.size() - ext.size());
    }
  }
  return name;
}

/// Adds `r` unless its beta CDR3 or epitope is unusable; an unusable alpha chain is dropped alone.
void add(ReferenceDb& db, ReferenceTcr r, bool negative = false) {
  if (r.tcr.cdr3b.empty()) { db.skipped["missing_cdr3"] += 1; return; }
  if (!names::is_amino_acid_sequence(r.tcr.cdr3b)) { db.skipped["non_amino_acid"] += 1; return; }
  if (r.epitope.empty() && r.other_epitopes.empty()) { db.skipped["missing_epitope"] += 1; return; }
  // IEDB rows list several peptides separated by commas; each must be a peptide.
  if (!r.epitope.empty())
    for (std::string_view one : text::split(r.epitope, ','))
      if (!names::is_amino_acid_sequence(one)) { db.skipped["invalid_epitope"] += 1; return; }
  if (!r.tcr.cdr3a.empty() && !names::is_amino_acid_sequence(r.tcr.cdr3a)) {
    r.tcr.cdr3a.clear();
    r.tcr.va.clear();
    r.tcr.ja.clear();
  }
  (negative ? db.negatives : db.rows).push_back(std::move(r));
}

bool has(const TableReader& t, std::string_view name) { return t.find(name).has_value(); }

ReferenceFormat detect(const TableReader& t) {
  if (has(t, "trimmed_seq") && has(t, "epitopes")) return ReferenceFormat::kIedb;
  if ((has(t, "complex.id") || has(t, "complex_id")) && (has(t, "cdr3") || has(t, "CDR3"))) return ReferenceFormat::kVdjdb;
  if (has(t, "cdr3_beta") && has(t, "epitope")) return ReferenceFormat::kTilmatch;
  return ReferenceFormat::kAuto;
}

void read_tilmatch(TableReader& t, ReferenceDb& db) {
  const auto b = t.require("cdr3_beta"), epitope = t.require("epitope");
  const auto vb = t.find("v_beta"), jb = t.find("j_beta"), a = t.find("cdr3_alpha"), va = t.find("v_alpha"),
             ja = t.find("j_alpha"), mhc = t.find_any({"mhc", "mhc_a"}), mhc_class = t.find("mhc_class"),
             gene = t.find("antigen_gene"), species = t.find("antigen_species"),
             source = t.find_any({"source", "reference_id"}), id = t.find("id"), label = t.find("label");
  const std::string stem = file_stem(t.path());
  names::GeneNameCache name;
  while (t.next()) {
    ReferenceTcr r;
    r.id = id && !t.field(id).empty() ? std::string(t.key_field(id)) : stem + ":" + std::to_string(t.line_number());
    r.tcr = Tcr{text::to_upper(t.key_field(b)), name(t.key_field(vb)), name(t.key_field(jb)),
                text::to_upper(t.key_field(a)), name(t.key_field(va)), name(t.key_field(ja))};
    r.epitope = text::to_upper(t.field(epitope));
    r.mhc = std::string(t.field(mhc));
    r.mhc_class = std::string(t.field(mhc_class));
    r.antigen_gene = std::string(t.field(gene));
    r.antigen_species = std::string(t.field(species));
    r.source = std::string(t.field(source));
    add(db, std::move(r), label && !parse_label(t, *label));
  }
}

void read_vdjdb(TableReader& t, ReferenceDb& db) {
  const auto complex = t.find_any({"complex.id", "complex_id"});
  const auto gene = t.find_any({"gene", "Gene"}), cdr3 = t.find_any({"cdr3", "CDR3"});
  const auto v = t.find_any({"v.segm", "V"}), j = t.find_any({"j.segm", "J"});
  const auto epitope = t.find_any({"antigen.epitope", "Epitope"});
  const auto mhc = t.find_any({"mhc.a", "MHC A"}), mhc_class = t.find_any({"mhc.class", "MHC class"});
  const auto ag_gene = t.find_any({"antigen.gene", "Epitope gene"}),
             ag_species = t.find_any({"antigen.species", "Epitope species"});
  const auto ref = t.find_any({"reference.id", "Reference"});
  if (!gene || !epitope) throw InputError(t.path(), "header", "VDJdb table needs gene/Gene and an epitope column");
  const std::string stem = file_stem(t.path());
  // Rows of one complex (alpha + beta) share a non-zero complex id; 0 means an unpaired chain.
  std::unordered_map<std::string, std::size_t> by_complex;
  std::vector<std::pair<ReferenceTcr, bool>> pending;  // (row, has beta)
  while (t.next()) {
    const std::string chain = text::to_upper(t.field(gene));
    if (chain != "TRB" && chain != "TRA") { db.skipped["unsupported_locus"] += 1; continue; }
    const std::string cid(t.key_field(complex));
    std::size_t slot;
    if (!cid.empty() && cid != "0") {
      auto [it, inserted] = by_complex.try_emplace(cid, pending.size());
      if (inserted) pending.emplace_back();
      slot = it->second;
    } else {
      slot = pending.size();
      pending.emplace_back();
    }
    ReferenceTcr& r = pending[slot].first;
    if (r.id.empty()) {
      r.id = !cid.empty() && cid != "0" ? "vdjdb:" + cid : stem + ":" + std::to_string(t.line_number());
      r.epitope = text::to_upper(t.field(epitope));
      r.mhc = std::string(t.field(mhc));
      r.mhc_class = std::string(t.field(mhc_class));
      r.antigen_gene = std::string(t.field(ag_gene));
      r.antigen_species = std::string(t.field(ag_species));
      r.source = std::string(t.field(ref));
    }
    if (chain == "TRB") {
      r.tcr.cdr3b = text::to_upper(t.key_field(cdr3));
      r.tcr.vb = names::normalize_gene(t.key_field(v));
      r.tcr.jb = names::normalize_gene(t.key_field(j));
      pending[slot].second = true;
    } else {
      r.tcr.cdr3a = text::to_upper(t.key_field(cdr3));
      r.tcr.va = names::normalize_gene(t.key_field(v));
      r.tcr.ja = names::normalize_gene(t.key_field(j));
    }
  }
  for (auto& [r, has_beta] : pending) {
    if (!has_beta) {
      db.skipped["no_beta_chain"] += 1;
      continue;
    }
    add(db, std::move(r));
  }
}

/// IEDB's comma-separated epitopes: peptides (upper case) into r.epitope, the rest (MR1 ligands,
/// modified peptides such as "ILDQVPFSV + NLeu(L2)") as given into r.other_epitopes, so a receptor
/// with both keeps its peptides and one with none stays searchable, as in TCRMatch.
void split_iedb_epitopes(std::string_view field, ReferenceTcr& r) {
  for (std::string_view one : text::split(field, ',')) {
    while (!one.empty() && std::isspace(static_cast<unsigned char>(one.front()))) one.remove_prefix(1);
    while (!one.empty() && std::isspace(static_cast<unsigned char>(one.back()))) one.remove_suffix(1);
    if (one.empty()) continue;
    const std::string peptide = text::to_upper(one);
    std::string& list = names::is_amino_acid_sequence(peptide) ? r.epitope : r.other_epitopes;
    if (!list.empty()) list += ',';
    list += names::is_amino_acid_sequence(peptide) ? peptide : std::string(one);
  }
}

void read_iedb(TableReader& t, ReferenceDb& db) {
  const auto trimmed = t.require("trimmed_seq"), epitopes = t.require("epitopes");
  const auto original = t.find("original_seq"), group = t.find("receptor_group"),
             organisms = t.find("source_organisms"), antigens = t.find("source_antigens");
  while (t.next()) {
    ReferenceTcr r;
    r.id = "iedb:" + std::string(t.key_field(group)) + ":" + std::to_string(t.line_number());
    std::string cdr3 = text::to_upper(t.key_field(original));
    if (cdr3.empty() && !t.field(trimmed).empty()) cdr3 = names::add_junction_anchors(text::to_upper(t.key_field(trimmed)));
    r.tcr.cdr3b = cdr3;
    split_iedb_epitopes(t.field(epitopes), r);
    r.antigen_gene = std::string(t.field(antigens));
    r.antigen_species = std::string(t.field(organisms));
    r.source = "IEDB";
    add(db, std::move(r));
  }
}

}  // namespace

ReferenceDb read_reference(const std::string& path, ReferenceFormat format) {
  TableReader t(path, '\t');
  ReferenceDb db;
  db.format = format == ReferenceFormat::kAuto ? detect(t) : format;
  switch (db.format) {
    case ReferenceFormat::kTilmatch: read_tilmatch(t, db); break;
    case ReferenceFormat::kVdjdb: read_vdjdb(t, db); break;
    case ReferenceFormat::kIedb: read_iedb(t, db); break;
    case ReferenceFormat::kAuto:
      throw InputError(path, "header",
                       "not a known reference table (tilmatch: cdr3_beta + epitope; VDJdb: complex.id + gene + cdr3; "
                       "IEDB/TCRMatch: trimmed_seq + epitopes)");
  }
  return db;
}

}  // namespace tilmatch::io
