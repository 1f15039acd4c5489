#pragma once
/// The one leveled logger. Messages go to stderr; stdout is reserved for results.
///
/// Every line reads "tilmatch [<seconds since start> s] <message>". Stage lines ("tilmatch [1.2 s]
/// reading 24 repertoires...") say what a command is doing and show by default; `--quiet` leaves
/// only errors. A Transcript records the stage lines and warnings of a run,
/// with UTC timestamps, whatever the level (run.log).

#include <chrono>
#include <string>
#include <string_view>

namespace tilmatch::log {

/// kStage is the default: warnings and stage lines. --quiet sets kQuiet, -v kInfo, -vv kDebug.
enum class Level { kQuiet = 0, kWarn = 1, kStage = 2, kInfo = 3, kDebug = 4 };

/// Sets the process-wide verbosity (the CLI does this once from --quiet/--verbose).
void set_level(Level level) noexcept;
Level level() noexcept;
bool enabled(Level level) noexcept;

void warn(std::string_view message);
/// A stage line: what the command starts doing, or what it has done; on stderr at kStage and above.
void stage(std::string_view message);
void info(std::string_view message);
void debug(std::string_view message);

/// Seconds since the program started (the logger's clock starts with its static initialisation).
double elapsed_seconds() noexcept;

/// True when stderr is a terminal (progress output is shown only then).
bool stderr_is_tty() noexcept;

namespace detail {
struct TranscriptSink;
}

/// Records every stage line and warning logged while it lives (from any thread), each as
/// "<UTC ISO 8601 time> [<seconds> s] <message>" or "... warning: <message>", whatever the level.
/// Transcripts that live at the same time each record every line.
class Transcript {
 public:
  Transcript();
  ~Transcript();
  Transcript(const Transcript&) = delete;
  Transcript& operator=(const Transcript&) = delete;
  /// The lines recorded so far, each ending in '\n'.
  std::string text() const;

 private:
  friend struct detail::TranscriptSink;
  std::string text_;
};

/// Numbers for people: 2400000 -> "2.4 M", 51234 -> "51,234".
std::string format_count(long long n);

/// A one-line progress counter on stderr, redrawn in place with '\r' at most five times a second:
/// count (of `total` when known), rate and time left. Silent unless stderr is a terminal and the
/// level is at least kStage, so files and pipes never see it. `done()` ends the line.
class Progress {
 public:
  /// `total` 0 = unknown (no percentage or time left).
  explicit Progress(std::string_view what, long long total = 0);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  /// Shows `count` (and the unit) when at least `every` more have passed since the last redraw.
  void update(long long count, std::string_view unit, long long every = 100000);
  /// Redraws the latest count if a redraw was skipped, and ends the line.
  void done();

 private:
  void draw(std::chrono::steady_clock::time_point now);

  std::string what_;
  std::string unit_;
  long long total_;
  bool active_;
  long long last_ = 0;    ///< the count drawn last
  long long latest_ = 0;  ///< the count given last
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point drawn_;
};

}  // namespace tilmatch::log
