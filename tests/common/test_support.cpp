#include "common/test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

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

fs::path tilmatch_binary() { return TILMATCH_BINARY; }
fs::path source_dir() { return TILMATCH_SOURCE_DIR; }

CommandResult run_tilmatch(const std::string& args) {
  ScratchDir tmp;
  fs::path out = tmp / "stdout", err = tmp / "stderr";
  std::string cmd = "'" + tilmatch_binary().string() + "' " + args + " >'" + out.string() + "' 2>'" +
                    err.string() + "' </dev/null";
  int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

}  // namespace tilmatch::test
