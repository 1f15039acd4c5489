#pragma once
/// The one leveled logger. Messages go to stderr; stdout is reserved for results.

#include <string>
#include <string_view>

namespace tilmatch::log {

enum class Level { kQuiet = 0, kWarn = 1, kInfo = 2, kDebug = 3 };

/// Sets the process-wide verbosity (the CLI does this once from --quiet/--verbose).
void set_level(Level level) noexcept;
Level level() noexcept;
bool enabled(Level level) noexcept;

void warn(std::string_view message);
void info(std::string_view message);
void debug(std::string_view message);

/// True when stderr is a terminal (progress output is shown only then).
bool stderr_is_tty() noexcept;

/// A one-line progress counter on stderr, redrawn in place; silent unless stderr is a terminal and
/// the level is at least kWarn. `done()` ends the line.
class Progress {
 public:
  explicit Progress(std::string_view what);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  /// Shows `count` (and the unit) when at least `every` more have passed since the last update.
  void update(long long count, std::string_view unit, long long every = 100000);
  void done();

 private:
  std::string what_;
  bool active_;
  long long last_ = 0;
  bool shown_ = false;
};

}  // namespace tilmatch::log
