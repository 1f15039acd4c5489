#include "peptides/oracle_files.hpp"

#include <stdexcept>

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

}  // namespace tilmatch::test
