#include "cli/help.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>

namespace tilmatch::cli {
namespace {

constexpr std::array<const char*, 8> kGroupOrder = {kGroupInputs, kGroupFilters, kGroupReferences, kGroupModel,
                                                    kGroupDesign, kGroupScreen,  kGroupCompute,    kGroupOutput};

// CLI11 writes a flag's default value into its name: "--no-checksum{false}".
std::string strip_flag_values(std::string name) {
  for (auto open = name.find('{'); open != std::string::npos; open = name.find('{')) {
    const auto close = name.find('}', open);
    name.erase(open, close == std::string::npos ? std::string::npos : close - open + 1);
  }
  return name;
}

bool is_option_like(const std::string& arg) { return arg.size() > 1 && arg[0] == '-' && arg != "--"; }

}  // namespace

HelpFormatter::HelpFormatter() { column_width(36); }

std::string HelpFormatter::make_option(const CLI::Option* opt, bool is_positional) const {
  const std::size_t column = get_column_width();
  std::string line = "  " + make_option_name(opt, is_positional) + make_option_opts(opt);
  if (line.size() >= column)
    line += "\n" + std::string(column, ' ');
  else
    line.resize(column, ' ');
  return line + wrap_words(make_option_desc(opt), kHelpWidth - column, column) + "\n";
}

std::string HelpFormatter::make_subcommand(const CLI::App* sub) const {
  const std::size_t column = get_column_width();
  std::string line = "  " + sub->get_display_name();
  if (line.size() >= column)
    line += "\n" + std::string(column, ' ');
  else
    line.resize(column, ' ');
  return line + wrap_words(sub->get_description(), kHelpWidth - column, column) + "\n";
}

std::string HelpFormatter::make_option_name(const CLI::Option* opt, bool is_positional) const {
  return strip_flag_values(CLI::Formatter::make_option_name(opt, is_positional));
}

std::string HelpFormatter::make_option_opts(const CLI::Option* opt) const {
  if (opt->get_type_size() == 0) return "";  // a flag
  std::string out = " " + clean_type_name(opt->get_type_name());
  if (opt->get_expected_max() == CLI::detail::expected_max_vector_size) out += " ...";
  return out;
}

std::string HelpFormatter::make_option_desc(const CLI::Option* opt) const {
  std::string desc = opt->get_description();
  if (opt->get_required()) desc += " (required)";
  if (opt->get_type_size() != 0 && !opt->get_default_str().empty()) desc += " [default: " + opt->get_default_str() + "]";
  return desc;
}

std::string HelpFormatter::make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const {
  if (mode == CLI::AppFormatMode::Sub) return make_expanded(app);
  std::vector<std::string> groups = app->get_groups();
  std::stable_sort(groups.begin(), groups.end(), [](const std::string& a, const std::string& b) {
    auto rank = [](const std::string& g) {
      const auto it = std::find(kGroupOrder.begin(), kGroupOrder.end(), g);
      // The help flag's own group ("Options") first, then the known groups, then any other.
      return g == "Options" ? -1 : it == kGroupOrder.end() ? 100 : static_cast<int>(it - kGroupOrder.begin());
    };
    return rank(a) < rank(b);
  });
  std::ostringstream out;
  out << make_description(app) << make_usage(app, name) << make_positionals(app);
  for (const std::string& group : groups) {
    const auto opts = app->get_options(
        [&group](const CLI::Option* opt) { return opt->get_group() == group && opt->nonpositional(); });
    if (!group.empty() && !opts.empty()) out << make_group(group, false, opts);
  }
  out << make_subcommands(app, mode) << '\n' << make_footer(app);
  return out.str();
}

std::string wrap_words(std::string_view text, std::size_t width, std::size_t indent) {
  std::string out;
  std::size_t used = 0;
  while (!text.empty()) {
    const auto space = text.find(' ');
    const std::string_view word = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    if (word.empty()) continue;
    if (used > 0 && used + 1 + word.size() > width) {
      out += "\n" + std::string(indent, ' ');
      used = 0;
    } else if (used > 0) {
      out += ' ';
      ++used;
    }
    out += word;
    used += word.size();
  }
  return out;
}

std::string clean_type_name(std::string_view type_name) {
  const auto colon = type_name.find(':');
  if (colon == std::string_view::npos) return std::string(type_name);
  const std::string_view head = type_name.substr(0, colon);
  const std::string_view tail = type_name.substr(colon + 1);
  // CLI::ExistingFile and friends name what the text is; other validators describe a range or a set.
  if (tail == "FILE" || tail == "DIR" || tail == "PATH(existing)") return tail == "DIR" ? "DIR" : "FILE";
  return std::string(head);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string suggest_name(std::string_view unknown, const std::vector<std::string>& names) {
  const std::size_t limit = std::max<std::size_t>(2, unknown.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& name : names) {
    const std::size_t d = edit_distance(unknown, name);
    if (d < best_distance) {
      best_distance = d;
      best = name;
    }
  }
  return best;
}

std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::App* a = &app; a != nullptr; a = a->get_parent()) {
    for (const CLI::Option* opt : a->get_options()) {
      for (const std::string& l : opt->get_lnames()) out.push_back("--" + l);
      for (const std::string& s : opt->get_snames()) out.push_back("-" + s);
    }
  }
  return out;
}

std::string first_unknown_option(const CLI::App& app, const std::vector<std::string>& args) {
  const std::vector<std::string> known = option_names(app);
  for (const std::string& arg : args) {
    if (!is_option_like(arg)) continue;
    std::string name = arg.substr(0, arg.find('='));
    // A negative number is a value, not an option.
    if (name.size() > 1 && (std::isdigit(static_cast<unsigned char>(name[1])) || name[1] == '.')) continue;
    // "-qv" (bundled flags) or "-oout" (a value attached): the first letter decides.
    if (name[1] != '-' && name.size() > 2) name.resize(2);
    if (std::find(known.begin(), known.end(), name) == known.end()) return name;
  }
  return "";
}

}  // namespace tilmatch::cli
