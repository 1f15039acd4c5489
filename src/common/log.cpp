#include "tilmatch/log.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

namespace tilmatch::log {
namespace {

// The verbosity is the one piece of process state the logger keeps; it is set once by the CLI.
std::atomic<int> g_level{static_cast<int>(Level::kWarn)};
std::mutex g_mutex;

void emit(const char* tag, std::string_view message) {
  std::lock_guard<std::mutex> lock(g_mutex);
  std::string line = "[tilmatch] ";
  line += tag;
  line.append(message.data(), message.size());
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

void set_level(Level level) noexcept { g_level.store(static_cast<int>(level)); }
Level level() noexcept { return static_cast<Level>(g_level.load()); }
bool enabled(Level lvl) noexcept { return static_cast<int>(lvl) <= g_level.load(); }

void warn(std::string_view message) {
  if (enabled(Level::kWarn)) emit("warning: ", message);
}
void info(std::string_view message) {
  if (enabled(Level::kInfo)) emit("", message);
}
void debug(std::string_view message) {
  if (enabled(Level::kDebug)) emit("debug: ", message);
}

bool stderr_is_tty() noexcept { return ::isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string_view what) : what_(what), active_(stderr_is_tty() && enabled(Level::kWarn)) {}

Progress::~Progress() { done(); }

void Progress::update(long long count, std::string_view unit, long long every) {
  if (!active_ || count - last_ < every) return;
  last_ = count;
  shown_ = true;
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fprintf(stderr, "\r[tilmatch] %s: %lld %.*s", what_.c_str(), count, static_cast<int>(unit.size()), unit.data());
  std::fflush(stderr);
}

void Progress::done() {
  if (!shown_) return;
  shown_ = false;
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fputc('\n', stderr);
}

}  // namespace tilmatch::log
