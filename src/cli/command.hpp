#pragma once
/// The subcommand table: each src/cli/cmd_<name>.cpp provides one CommandSpec, and main.cpp
/// registers every entry of kCommands, which drives both dispatch and help.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace tilmatch::cli {

/// Runs the parsed subcommand with the command line as typed (recorded in run.json); returns the
/// process exit code.
using Runner = std::function<int(const std::string& command_line)>;

struct CommandSpec {
  std::string_view name;
  std::string_view summary;
  /// Adds the subcommand's options to `sub` (bound to state the runner owns) and returns the runner.
  Runner (*setup)(CLI::App& sub);
};

CommandSpec run_command();
CommandSpec peptides_command();
CommandSpec search_command();
CommandSpec neighbors_command();
CommandSpec predict_command();
CommandSpec background_command();

/// Every subcommand, in the order help lists them.
std::vector<CommandSpec> all_commands();

/// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;  ///< a bug or an unexpected system failure
inline constexpr int kExitInput = 2;     ///< bad input, bad arguments, unreadable or unwritable files
inline constexpr int kExitDevice = 3;    ///< a requested backend is unavailable or a device failed

}  // namespace tilmatch::cli
