#include "fuzz_support.hpp"

#include <htslib/hts.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include "tilmatch/log.hpp"

namespace tilmatch::fuzz {
namespace fs = std::filesystem;

namespace {

// Never destroyed, so the atexit handler that removes the folder can still read its name.
const fs::path* make_scratch_dir() {
  const char* tmp = std::getenv("TMPDIR");
  const auto* dir =
      new fs::path(fs::path(tmp && *tmp ? tmp : "/tmp") / ("tilmatch-fuzz-" + std::to_string(::getpid())));
  fs::create_directories(*dir);
  std::atexit([] {
    std::error_code ec;
    fs::remove_all(scratch_dir(), ec);
  });
  return dir;
}

}  // namespace

const fs::path& scratch_dir() {
  static const fs::path* const dir = make_scratch_dir();
  return *dir;
}

std::string write_input(std::string_view name, const std::uint8_t* data, std::size_t size) {
  return write_input(name, std::string_view(reinterpret_cast<const char*>(data), size));
}

std::string write_input(std::string_view name, std::string_view text) {
  const fs::path path = scratch_dir() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) fail("cannot write the scratch file " + path.string());
  return path.string();
}

void quiet_logs() {
  log::set_level(log::Level::kQuiet);
  hts_set_log_level(HTS_LOG_OFF);
}

void fail(std::string_view what) {
  std::fprintf(stderr, "tilmatch fuzz: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

void check_input_error(const InputError& e) {
  if (e.file().empty()) fail(std::string("InputError without a file: ") + e.what());
}

}  // namespace tilmatch::fuzz
