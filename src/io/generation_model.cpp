#include "io/generation_model.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "tilmatch/error.hpp"

namespace tilmatch::io {

namespace {

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto at = s.find(sep, start);
    out.emplace_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

/// A model file read line by line; errors name the file and the line.
class ModelFile {
 public:
  explicit ModelFile(std::string path) : path_(std::move(path)), in_(path_) {
    if (!in_) throw IoError("cannot read " + path_ + " (a generation model folder holds model_params.txt, "
                            "model_marginals.txt and the V/J_gene_CDR3_anchors.csv files)");
  }
  bool next(std::string& line) {
    if (!std::getline(in_, line)) return false;
    ++line_no_;
    return true;
  }
  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(path_, "line " + std::to_string(line_no_), message);
  }
  template <typename T>
  T number(const std::string& text, const char* what) const {
    const std::string t = trim(text);
    T v{};
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size())
      fail(std::string(what) + " '" + t + "' is not a number");
    return v;
  }

 private:
  std::string path_;
  std::ifstream in_;
  int line_no_ = 0;
};

/// model_params.txt: '@Event_list', then per event '#GeneChoice;V_gene;Undefined_side;7;v_choice'
/// and its '%name;sequence;index' (genes) or '%value;index' (deletions, insertions) lines.
void read_params(const std::string& path, GenerationModel& m) {
  ModelFile f(path);
  GenerationModel::Event* cur = nullptr;
  bool genes = false, values = false;
  std::string line;
  while (f.next(line)) {
    if (line.empty()) continue;
    if (line[0] == '@') {
      cur = nullptr;
    } else if (line[0] == '#') {
      const auto fields = split(std::string_view(line).substr(1), ';');
      cur = &m.events[trim(fields.back())];
      genes = fields[0] == "GeneChoice";
      values = fields[0] == "Deletion" || fields[0] == "Insertion";  // DinucMarkov lists bases
    } else if (line[0] == '%' && cur != nullptr && (genes || values)) {
      const auto fields = split(std::string_view(line).substr(1), ';');
      if (fields.size() < (genes ? 3u : 2u)) f.fail("expected " + std::string(genes ? "'%name;sequence;index'" : "'%value;index'"));
      const auto index = f.number<std::size_t>(fields.back(), "index");
      if (index > 100000) f.fail("index " + std::to_string(index) + " is implausibly large");
      if (genes) {
        if (cur->genes.size() <= index) cur->genes.resize(index + 1);
        cur->genes[index] = GenerationModel::Gene{trim(fields[0]), trim(fields[1])};
      } else {
        if (cur->values.size() <= index) cur->values.resize(index + 1);
        cur->values[index] = f.number<int>(fields[0], "value");
      }
    }
  }
}

/// model_marginals.txt: '@event', '$Dim[3,6]', then per conditioning row '#[d_gene,1]' (or '#') and
/// its '%p,p,...' probabilities.
void read_marginals(const std::string& path, GenerationModel& m) {
  ModelFile f(path);
  GenerationModel::Marginal* cur = nullptr;
  std::size_t row_offset = 0;
  std::string line;
  while (f.next(line)) {
    line = trim(line);
    if (line.empty()) continue;
    if (line[0] == '@') {
      cur = &m.marginals[line.substr(1)];
      cur->dims.clear();
      cur->p.clear();
    } else if (line[0] == '$') {
      if (cur == nullptr) f.fail("$Dim before any @event");
      const auto open = line.find('['), close = line.find(']');
      if (open == std::string::npos || close == std::string::npos || close < open) f.fail("expected '$Dim[n,...]'");
      std::size_t total = 1;
      for (const auto& d : split(std::string_view(line).substr(open + 1, close - open - 1), ',')) {
        cur->dims.push_back(f.number<std::size_t>(d, "dimension"));
        if (cur->dims.back() == 0 || cur->dims.back() > 100000) f.fail("dimension " + trim(d) + " out of range");
        total *= cur->dims.back();
      }
      if (total > 1000000) f.fail("a table of " + std::to_string(total) + " entries");
      cur->p.assign(total, 0.0);
    } else if (line[0] == '#') {
      if (cur == nullptr || cur->dims.empty()) f.fail("a conditioning row before its $Dim");
      // '#' alone (no conditioning), '#[j_choice,3]' or '#[d_gene,1],[d_5_del,7]'.
      row_offset = 0;
      std::size_t k = 0, pos = 0;
      while ((pos = line.find('[', pos)) != std::string::npos) {
        const auto comma = line.find(',', pos), close = line.find(']', pos);
        if (comma == std::string::npos || close == std::string::npos || comma > close || k + 1 >= cur->dims.size())
          f.fail("malformed conditioning '" + line + "'");
        const auto index = f.number<std::size_t>(line.substr(comma + 1, close - comma - 1), "conditioning index");
        if (index >= cur->dims[k]) f.fail("conditioning index " + std::to_string(index) + " out of range");
        row_offset = row_offset * cur->dims[k] + index;
        ++k;
        pos = close;
      }
      row_offset *= cur->dims.back();
    } else if (line[0] == '%') {
      if (cur == nullptr || cur->dims.empty()) f.fail("probabilities before their $Dim");
      const auto fields = split(std::string_view(line).substr(1), ',');
      if (row_offset + fields.size() > cur->p.size()) f.fail("probability row longer than its table");
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const double p = f.number<double>(fields[i], "probability");
        if (!std::isfinite(p) || p < 0) f.fail("probability '" + trim(fields[i]) + "' is not a finite number >= 0");
        cur->p[row_offset + i] = p;
      }
    }
  }
}

/// gene,anchor_index,function (header first). OLGA strips parentheses only: "(F)" is functional,
/// "[F]", "ORF" and "P" are not.
std::map<std::string, GenerationModel::Anchor> read_anchors(const std::string& path) {
  ModelFile f(path);
  std::map<std::string, GenerationModel::Anchor> out;
  std::string line;
  f.next(line);  // header
  while (f.next(line)) {
    const auto fields = split(trim(line), ',');
    if (fields.size() < 3) continue;
    std::string function = trim(fields[2]);
    while (!function.empty() && (function.front() == '(' || function.front() == ')')) function.erase(0, 1);
    while (!function.empty() && (function.back() == '(' || function.back() == ')')) function.pop_back();
    out[trim(fields[0])] = GenerationModel::Anchor{f.number<int>(fields[1], "anchor index"), function};
  }
  return out;
}

}  // namespace

GenerationModel read_generation_model(const std::string& folder) {
  GenerationModel m;
  m.folder = folder;
  read_params(folder + "/model_params.txt", m);
  read_marginals(folder + "/model_marginals.txt", m);
  m.v_anchors = read_anchors(folder + "/V_gene_CDR3_anchors.csv");
  m.j_anchors = read_anchors(folder + "/J_gene_CDR3_anchors.csv");
  return m;
}

}  // namespace tilmatch::io
