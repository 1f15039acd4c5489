#include "common/test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <htslib/vcf.h>

#include "io/line_reader.hpp"

namespace tilmatch::test {
namespace fs = std::filesystem;

fs::path shared_data_root() {
  if (const char* env = std::getenv("TILMATCH_SHARED_DATA"); env != nullptr && *env) return env;
  return TILMATCH_DEFAULT_SHARED_DATA;
}

std::optional<fs::path> shared_data(const std::string& relative) {
  fs::path p = shared_data_root() / relative;
  if (fs::exists(p)) return p;
  return std::nullopt;
}

ScratchDir::ScratchDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  fs::path base = fs::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path p = base / ("tilmatch-test-" + std::to_string(::getpid()) + "-" +
                         std::to_string(counter++) + "-" + std::to_string(rd() % 100000));
    std::error_code ec;
    if (fs::create_directory(p, ec)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a scratch directory");
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_text_maybe_gz(const fs::path& path) {
  io::LineReader reader(path.string());
  std::string line, all;
  while (reader.next(line)) {
    all += line;
    all += '\n';
  }
  return all;
}

void convert_vcf(const fs::path& in, const fs::path& out, const char* mode) {
  htsFile* src = hts_open(in.c_str(), "r");
  if (!src) throw std::runtime_error("cannot open " + in.string());
  bcf_hdr_t* hdr = bcf_hdr_read(src);
  htsFile* dst = hts_open(out.c_str(), mode);
  if (!hdr || !dst) throw std::runtime_error("cannot convert " + in.string());
  if (bcf_hdr_write(dst, hdr) != 0) throw std::runtime_error("cannot write header to " + out.string());
  bcf1_t* rec = bcf_init();
  int rc = 0;
  while ((rc = bcf_read(src, hdr, rec)) == 0) {
    if (bcf_write(dst, hdr, rec) != 0) throw std::runtime_error("cannot write " + out.string());
  }
  bcf_destroy(rec);
  bcf_hdr_destroy(hdr);
  if (rc < -1) throw std::runtime_error("error reading " + in.string());
  if (hts_close(dst) != 0 || hts_close(src) != 0) throw std::runtime_error("cannot close " + out.string());
}

std::vector<std::pair<std::string, std::string>> parse_fasta(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line[0] == '>') {
      out.emplace_back(line.substr(1), "");
    } else if (!out.empty()) {
      out.back().second += line;
    }
  }
  return out;
}

std::vector<std::vector<std::string>> parse_tsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> fields;
    std::size_t begin = 0;
    while (true) {
      std::size_t tab = line.find('\t', begin);
      fields.push_back(line.substr(begin, tab == std::string::npos ? std::string::npos : tab - begin));
      if (tab == std::string::npos) break;
      begin = tab + 1;
    }
    rows.push_back(std::move(fields));
  }
  return rows;
}

// Both can be overridden so a build can run from another place (e.g. a bundle on a GPU machine).
fs::path tilmatch_binary() {
  if (const char* env = std::getenv("TILMATCH_BINARY"); env != nullptr && *env) return env;
  return TILMATCH_BINARY;
}
fs::path source_dir() {
  if (const char* env = std::getenv("TILMATCH_SOURCE_DIR"); env != nullptr && *env) return env;
  return TILMATCH_SOURCE_DIR;
}

std::string shell_quote(const fs::path& path) {
  std::string out;
  out.reserve(path.native().size() + 2);
  out += '\'';
  for (char c : path.native()) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

CommandResult run_tilmatch(const std::string& args, const fs::path& stdin_path) {
  ScratchDir tmp;
  fs::path out = tmp / "stdout", err = tmp / "stderr";
  std::string cmd = shell_quote(tilmatch_binary());
  cmd += ' ';
  cmd += args;
  cmd += " >" + shell_quote(out) + " 2>" + shell_quote(err) + " <" + shell_quote(stdin_path);
  int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

std::filesystem::path olga_sampler(const char* compiled_path) {
  if (const char* env = std::getenv("TILMATCH_OLGA_SAMPLER"); env != nullptr && *env != '\0') return env;
  return compiled_path;
}

}  // namespace tilmatch::test
