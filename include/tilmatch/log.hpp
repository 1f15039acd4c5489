#pragma once
/// The one leveled logger. Messages go to stderr; stdout is reserved for results.

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

}  // namespace tilmatch::log
