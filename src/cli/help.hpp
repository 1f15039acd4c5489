#pragma once
/// How subcommands present their options: the option groups, the help formatter, and the
/// "did you mean" suggestion for an unknown option.

#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tilmatch::cli {

/// Option groups, listed in this order by each subcommand's help (a subcommand shows the ones it has).
inline constexpr const char* kGroupInputs = "Inputs";
inline constexpr const char* kGroupFilters = "Filters";
inline constexpr const char* kGroupReferences = "References";
inline constexpr const char* kGroupModel = "Model";
inline constexpr const char* kGroupDesign = "Design";
inline constexpr const char* kGroupScreen = "Screen";
inline constexpr const char* kGroupCompute = "Compute";
inline constexpr const char* kGroupOutput = "Output";

/// Help lines that read cleanly: "--name TYPE  description [default: X]". CLI11's own format writes
/// the default glued to the type ("INT=1"), a validator's text into the type ("INT:INT in [0 - 1]",
/// "TEXT:{a,b}") and a flag's default value into its name ("--no-checksum{false}").
class HelpFormatter : public CLI::Formatter {
 public:
  HelpFormatter();
  /// Descriptions wrapped at kHelpWidth columns, continued under the description column.
  std::string make_option(const CLI::Option* opt, bool is_positional) const override;
  std::string make_subcommand(const CLI::App* sub) const override;
  std::string make_option_name(const CLI::Option* opt, bool is_positional) const override;
  std::string make_option_opts(const CLI::Option* opt) const override;
  std::string make_option_desc(const CLI::Option* opt) const override;
  /// Lists the groups in the order of kGroup* (others after them), whatever order options were added in.
  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override;
};

/// Columns a help line fills at most (a description word longer than the room left still fits whole).
inline constexpr std::size_t kHelpWidth = 110;

/// `text` broken at spaces into lines of at most `width` characters, joined by "\n" + `indent` spaces.
std::string wrap_words(std::string_view text, std::size_t width, std::size_t indent);

/// The type word shown for an option whose CLI11 type name is `type_name`: "TEXT:FILE" -> "FILE",
/// "INT:INT in [0 - 1]" -> "INT", "TEXT:{a,b}" -> "TEXT".
std::string clean_type_name(std::string_view type_name);

/// Levenshtein distance (insertions, deletions, substitutions each 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The name in `names` closest to `unknown` by edit distance when that distance is at most 2, or at
/// most a third of the unknown's length for long names (typos of one or two keys, as git's
/// "did you mean"); ties go to the earlier name. Empty when none is that close.
std::string suggest_name(std::string_view unknown, const std::vector<std::string>& names);

/// Every long and short option name of `app` and of the apps above it (whose options a subcommand
/// accepts too), with their dashes: "--fragments", "-o".
std::vector<std::string> option_names(const CLI::App& app);

/// The first argument of `args` that looks like an option ("-x", "--name", "--name=value") and that
/// `app` does not know, without any "=value"; empty when there is none.
std::string first_unknown_option(const CLI::App& app, const std::vector<std::string>& args);

}  // namespace tilmatch::cli
