#include "tilmatch/log.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>
#include <vector>

#include "tilmatch/text.hpp"

namespace tilmatch::log {

namespace detail {
struct TranscriptSink {
  static void append(Transcript& t, const std::string& line) { t.text_ += line; }
};
}  // namespace detail

namespace {

// The logger's process state: the verbosity (set once by the CLI), the start of its clock, and the
// transcripts recording (each owned by its Transcript object, registered while it lives).
std::atomic<int> g_level{static_cast<int>(Level::kStage)};
std::mutex g_mutex;
const std::chrono::steady_clock::time_point g_start = std::chrono::steady_clock::now();
std::vector<Transcript*> g_transcripts;

std::string seconds_tag() {
  char buf[32];
  std::snprintf(buf, sizeof buf, "[%.1f s] ", elapsed_seconds());
  return buf;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Every line on stderr reads "tilmatch [<seconds> s] <tag><message>"; `show` says whether it goes
// there, and `keep` whether a recording transcript takes it (stage lines and warnings).
void emit(std::string_view tag, std::string_view message, bool show, bool keep) {
  const std::string seconds = seconds_tag();
  std::lock_guard<std::mutex> lock(g_mutex);
  if (keep && !g_transcripts.empty()) {
    std::string line = utc_now() + ' ' + seconds;
    line += tag;
    line.append(message.data(), message.size());
    line += '\n';
    for (Transcript* t : g_transcripts) detail::TranscriptSink::append(*t, line);
  }
  if (!show) return;
  std::string line = "tilmatch " + seconds;
  line += tag;
  line.append(message.data(), message.size());
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

void set_level(Level level) noexcept { g_level.store(static_cast<int>(level)); }
Level level() noexcept { return static_cast<Level>(g_level.load()); }
bool enabled(Level lvl) noexcept { return static_cast<int>(lvl) <= g_level.load(); }

double elapsed_seconds() noexcept {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - g_start).count();
}

void warn(std::string_view message) { emit("warning: ", message, enabled(Level::kWarn), true); }
void stage(std::string_view message) { emit("", message, enabled(Level::kStage), true); }
void info(std::string_view message) {
  if (enabled(Level::kInfo)) emit("", message, true, false);
}
void debug(std::string_view message) {
  if (enabled(Level::kDebug)) emit("debug: ", message, true, false);
}

bool stderr_is_tty() noexcept { return ::isatty(STDERR_FILENO) == 1; }

Transcript::Transcript() {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_transcripts.push_back(this);
}

Transcript::~Transcript() {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_transcripts.erase(std::find(g_transcripts.begin(), g_transcripts.end(), this));
}

std::string Transcript::text() const {
  std::lock_guard<std::mutex> lock(g_mutex);
  return text_;
}

std::string format_count(long long n) {
  const char* sign = n < 0 ? "-" : "";
  const unsigned long long v = n < 0 ? 0ULL - static_cast<unsigned long long>(n) : static_cast<unsigned long long>(n);
  char buf[48];
  if (v >= 1000000000ULL) {
    std::snprintf(buf, sizeof buf, "%s%.1f G", sign, static_cast<double>(v) / 1e9);
    return buf;
  }
  if (v >= 1000000ULL) {
    std::snprintf(buf, sizeof buf, "%s%.1f M", sign, static_cast<double>(v) / 1e6);
    return buf;
  }
  return text::format_grouped(n);
}

Progress::Progress(std::string_view what, long long total)
    : what_(what),
      total_(total),
      active_(stderr_is_tty() && enabled(Level::kStage)),
      start_(std::chrono::steady_clock::now()),
      drawn_(start_) {}

Progress::~Progress() { done(); }

void Progress::update(long long count, std::string_view unit, long long every) {
  if (!active_) return;
  latest_ = count;
  unit_.assign(unit.data(), unit.size());
  if (count - last_ < every) return;
  const auto now = std::chrono::steady_clock::now();
  // A redraw costs a write to the terminal: five a second are enough to read.
  if (shown_ && now - drawn_ < std::chrono::milliseconds(200)) return;
  draw(now);
}

void Progress::draw(std::chrono::steady_clock::time_point now) {
  last_ = latest_;
  drawn_ = now;
  shown_ = true;
  const long long count = latest_;
  const double secs = std::chrono::duration<double>(now - start_).count();
  std::string line = "\rtilmatch " + what_ + ": " + format_count(count);
  if (total_ > 0) line += " of " + format_count(total_);
  line += ' ' + unit_;
  if (total_ > 0) {
    char pct[16];
    std::snprintf(pct, sizeof pct, " (%.0f%%)", 100.0 * static_cast<double>(count) / static_cast<double>(total_));
    line += pct;
  }
  if (secs > 0.5 && count > 0) {
    const double rate = static_cast<double>(count) / secs;
    line += ", " + format_count(static_cast<long long>(rate)) + ' ' + unit_ + "/s";
    if (total_ > count) {
      char eta[32];
      std::snprintf(eta, sizeof eta, ", %.0f s left", std::ceil(static_cast<double>(total_ - count) / rate));
      line += eta;
    }
  }
  line += "\x1b[K";  // clears what a longer previous line left
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

void Progress::done() {
  if (!shown_) return;
  if (latest_ != last_) draw(std::chrono::steady_clock::now());
  shown_ = false;
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fputc('\n', stderr);
}

}  // namespace tilmatch::log
