#include "peptides/oracle_files.hpp"

#include <sstream>
#include <stdexcept>

#include "common/test_support.hpp"

#include "io/line_reader.hpp"

namespace tilmatch::test {

std::vector<std::pair<std::string, std::string>> read_fasta(const std::filesystem::path& path) {
  io::LineReader reader(path.string());
  std::vector<std::pair<std::string, std::string>> out;
  std::string line;
  while (reader.next(line)) {
    if (line.empty()) continue;
    if (line[0] == '>') {
      out.emplace_back(line.substr(1), std::string());
    } else {
      if (out.empty()) throw std::runtime_error("sequence before the first header in " + path.string());
      out.back().second += line;
    }
  }
  return out;
}

std::map<int, std::vector<std::string>> read_fasta_key(const std::filesystem::path& path) {
  io::LineReader reader(path.string());
  std::map<int, std::vector<std::string>> out;
  std::string line;
  int current = -1;
  while (reader.next(line)) {
    if (line.empty()) continue;
    if (line.rfind("- ", 0) == 0) {
      if (current < 0) throw std::runtime_error("id before the first number in " + path.string());
      out[current].push_back(line.substr(2));
    } else if (line.back() == ':') {
      current = std::stoi(line.substr(0, line.size() - 1));
      out[current];
    } else {
      throw std::runtime_error("unexpected key line: " + line);
    }
  }
  return out;
}

MergedFasta read_merged_fasta(const std::filesystem::path& fasta, const std::filesystem::path& key) {
  const auto records = read_fasta(fasta);
  const auto ids = read_fasta_key(key);
  MergedFasta out;
  for (const auto& [header, sequence] : records) {
    const auto it = ids.find(std::stoi(header));
    out.emplace_back(sequence, it == ids.end() ? std::vector<std::string>{} : it->second);
  }
  return out;
}

MergedFasta generate_merged_fasta(const std::vector<VariantTranscript>& rows, const peptides::WindowOptions& options,
                                  std::map<std::string, int>* skips) {
  MergedFasta out;
  std::map<std::string, std::size_t> record_of;
  const auto add = [&](const std::string& sequence, const std::string& id) {
    const auto [it, inserted] = record_of.emplace(sequence, out.size());
    if (inserted) out.emplace_back(sequence, std::vector<std::string>{});
    out[it->second].second.push_back(id);
  };
  for (const auto& v : rows) {
    const auto result = peptides::make_windows(v, options);
    if (!result.pair) {
      if (skips) ++(*skips)[std::string(peptides::to_string(result.skip))];
      continue;
    }
    add(result.pair->wt, "WT." + v.index);
    add(result.pair->mt, "MT." + v.index);
  }
  return out;
}

namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string field;
  while (std::getline(ss, field, '\t')) out.push_back(field);
  if (!line.empty() && line.back() == '\t') out.emplace_back();
  return out;
}

}  // namespace

std::vector<std::map<std::string, std::string>> read_tsv_table(const std::filesystem::path& path) {
  std::stringstream text(read_text_maybe_gz(path));
  std::string line;
  std::vector<std::map<std::string, std::string>> out;
  if (!std::getline(text, line)) return out;
  const auto header = split_tabs(line);
  while (std::getline(text, line)) {
    if (line.empty()) continue;
    const auto fields = split_tabs(line);
    auto& row = out.emplace_back();
    for (std::size_t i = 0; i < header.size(); ++i) row[header[i]] = i < fields.size() ? fields[i] : std::string();
  }
  return out;
}

std::set<EpitopeRow> read_all_epitopes(const std::filesystem::path& path) {
  std::stringstream text(read_text_maybe_gz(path));
  std::string line;
  std::getline(text, line);
  const auto header = split_tabs(line);
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
  std::set<EpitopeRow> out;
  while (std::getline(text, line)) {
    if (line.empty()) continue;
    const auto f = split_tabs(line);
    std::string wt = f.at(col.at("WT Epitope Seq"));
    if (wt == "NA") wt.clear();
    out.emplace(f.at(col.at("Index")), std::stoi(f.at(col.at("Peptide Length"))),
                std::stoi(f.at(col.at("Sub-peptide Position"))), f.at(col.at("Mutation Position")),
                f.at(col.at("MT Epitope Seq")), wt);
  }
  return out;
}

std::set<EpitopeRow> generate_epitopes(const std::vector<VariantTranscript>& rows, const std::vector<int>& lengths,
                                       std::optional<int> downstream_limit) {
  std::set<EpitopeRow> out;
  for (const int length : lengths) {
    for (const auto& v : rows) {
      peptides::WindowOptions options;
      options.flank = length - 1;
      options.min_length = length;
      options.downstream_limit = downstream_limit;
      const auto windows = peptides::make_windows(v, options);
      if (!windows.pair) continue;
      for (const auto& e : peptides::make_epitopes(v, *windows.pair, length)) {
        out.emplace(v.index, e.length, e.position, e.mutation_position, e.mt, e.wt);
      }
    }
  }
  return out;
}

}  // namespace tilmatch::test
