// The single subcommand table: drives dispatch and help in main.cpp.

#include "cli/command.hpp"

namespace tilmatch::cli {

std::vector<CommandSpec> all_commands() { return {run_command(), peptides_command(), search_command(), neighbors_command(), predict_command(), background_command()}; }

}  // namespace tilmatch::cli
