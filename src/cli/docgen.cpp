// tilmatch_docgen: writes the bash completion and the man page's option lists from the CLI's own
// subcommand table, at build time, so neither can go stale when an option is added or renamed.
//   tilmatch_docgen --bash-completion OUT
//   tilmatch_docgen --man-page TEMPLATE OUT   (TEMPLATE: docs/man/tilmatch.1.in, hand-written prose)

#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.hpp"
#include "tilmatch/version.hpp"

namespace tilmatch::cli {
namespace {

/// One option as documentation needs it: names, what it takes, and its help line.
struct OptionDoc {
  std::vector<std::string> names;  ///< "-h", "--help", ... short names first
  bool takes_value = false;
  std::string type;                ///< CLI11's type label, e.g. "TEXT:FILE"; empty for flags
  std::vector<std::string> choices;  ///< from an IsMember check ("{a,b}"), else empty
  std::string description;
  std::string default_value;
  bool required = false;
};

struct CommandDoc {
  std::string name;  ///< empty for the top level
  std::string summary;
  std::vector<OptionDoc> options;
};

bool is_plain_word(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// CLI11 appends an IsMember check's set to the type label as "{a,b,c}"; that is the only place
// the allowed values are visible through its API.
std::vector<std::string> choices_of(const std::string& type) {
  const auto open = type.find('{');
  const auto close = type.find('}', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) return {};
  std::vector<std::string> out;
  std::stringstream items(type.substr(open + 1, close - open - 1));
  for (std::string item; std::getline(items, item, ',');) {
    if (!is_plain_word(item)) return {};  // a mapping or something a shell word cannot hold
    out.push_back(item);
  }
  return out;
}

std::vector<OptionDoc> options_of(const CLI::App& app) {
  std::vector<OptionDoc> out;
  for (const CLI::Option* opt : app.get_options()) {
    if (!opt->nonpositional() || opt->get_group().empty()) continue;  // positional or hidden
    OptionDoc doc;
    for (const std::string& s : opt->get_snames()) doc.names.push_back("-" + s);
    for (const std::string& l : opt->get_lnames()) doc.names.push_back("--" + l);
    doc.takes_value = opt->get_items_expected_max() > 0;  // flags expect 0 items
    if (doc.takes_value) doc.type = opt->get_type_name();
    doc.choices = choices_of(doc.type);
    doc.description = opt->get_description();
    doc.default_value = opt->get_default_str();
    doc.required = opt->get_required();
    out.push_back(std::move(doc));
  }
  return out;
}

// The top level's options are those main.cpp adds; the completion test checks them against
// `tilmatch --help`, so a flag added there and not here fails a test.
std::vector<CommandDoc> collect() {
  CLI::App app{"tilmatch"};
  app.set_version_flag("--version", std::string("tilmatch ") + kVersion);
  bool quiet = false;
  int verbose = 0;
  app.add_flag("-q,--quiet", quiet, "Only errors on stderr");
  app.add_flag("-v,--verbose", verbose, "More detail on stderr (-vv for debug)");
  std::vector<CommandDoc> docs;
  docs.push_back({"", "", options_of(app)});
  for (const CommandSpec& spec : all_commands()) {
    CLI::App* sub = app.add_subcommand(std::string(spec.name), std::string(spec.summary));
    spec.setup(*sub);
    docs.push_back({std::string(spec.name), std::string(spec.summary), options_of(*sub)});
  }
  return docs;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::string bash_completion(const std::vector<CommandDoc>& docs) {
  std::string names, cases;
  std::vector<std::string> subcommands;
  for (const CommandDoc& c : docs) {
    std::vector<std::string> all, with_value;
    std::string value_cases;
    for (const OptionDoc& o : c.options) {
      all.insert(all.end(), o.names.begin(), o.names.end());
      if (!o.takes_value) continue;
      with_value.insert(with_value.end(), o.names.begin(), o.names.end());
      if (!o.choices.empty()) {
        std::string pattern;
        for (const std::string& n : o.names) pattern += (pattern.empty() ? "" : "|") + n;
        value_cases += "        " + pattern + ") values=\"" + join(o.choices) + "\" ;;\n";
      }
    }
    if (c.name.empty()) {
      for (const CommandDoc& s : docs) {
        if (!s.name.empty()) subcommands.push_back(s.name);
      }
      all.insert(all.end(), subcommands.begin(), subcommands.end());
    }
    cases += "    " + (c.name.empty() ? std::string("\"\"") : c.name) + ")\n";
    cases += "      opts=\"" + join(all) + "\"\n";
    cases += "      takes=\"" + join(with_value) + "\"\n";
    if (!value_cases.empty()) cases += "      case $prev in\n" + value_cases + "      esac\n";
    cases += "      ;;\n";
  }
  names = join(subcommands);
  for (char& ch : names) {
    if (ch == ' ') ch = '|';
  }
  std::string s;
  s += "# bash completion for tilmatch " + std::string(kVersion) + "\n";
  s += "# Generated at build time by tilmatch_docgen from the CLI's option table; do not edit.\n";
  s += "_tilmatch() {\n";
  s += "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n";
  s += "  local cmd=\"\" opts=\"\" takes=\"\" values=\"\" i\n";
  s += "  for ((i = 1; i < COMP_CWORD; i++)); do\n";
  s += "    case ${COMP_WORDS[i]} in\n";
  s += "      " + names + ") cmd=${COMP_WORDS[i]}; break ;;\n";
  s += "    esac\n";
  s += "  done\n";
  s += "  case $cmd in\n" + cases + "  esac\n";
  s += "  COMPREPLY=()\n";
  s += "  if [[ -n $values ]]; then\n";
  s += "    mapfile -t COMPREPLY < <(compgen -W \"$values\" -- \"$cur\")\n";
  // After an option that takes a path or a number, return nothing: `complete -o default` then
  // offers file names, which is what most of tilmatch's option values are.
  s += "  elif [[ \" $takes \" != *\" $prev \"* ]]; then\n";
  s += "    mapfile -t COMPREPLY < <(compgen -W \"$opts\" -- \"$cur\")\n";
  s += "  fi\n";
  s += "}\n";
  s += "complete -o default -F _tilmatch tilmatch\n";
  return s;
}

// roff: a backslash is "\e", a minus in an option name is "\-", and a line that starts with "." or
// "'" would be read as a request, so it is shielded with "\&".
std::string roff_text(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

std::string roff_name(const std::string& name) {
  std::string out;
  for (char c : name) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

std::string man_options(const CommandDoc& c) {
  std::string s;
  for (const OptionDoc& o : c.options) {
    s += ".TP\n";
    std::string names;
    for (const std::string& n : o.names) names += (names.empty() ? "" : ", ") + ("\\fB" + roff_name(n) + "\\fR");
    s += names;
    if (o.takes_value) s += " \\fI" + roff_text(o.type) + "\\fR";
    s += "\n" + roff_text(o.description);
    if (o.required) s += " (required)";
    if (o.takes_value && !o.default_value.empty()) s += " (default: " + roff_text(o.default_value) + ")";
    s += "\n";
  }
  return s;
}

std::string man_commands(const std::vector<CommandDoc>& docs) {
  std::string s;
  for (const CommandDoc& c : docs) {
    if (c.name.empty()) continue;
    s += ".SS \"tilmatch " + c.name + " [\\fIOPTIONS\\fR]\"\n";
    s += roff_text(c.summary) + ".\n";
    s += man_options(c);
  }
  return s;
}

std::string replace_once(std::string text, const std::string& key, const std::string& value) {
  const auto at = text.find(key);
  if (at == std::string::npos) throw std::runtime_error("man page template lacks " + key);
  return text.replace(at, key.size(), value);
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_all(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace
}  // namespace tilmatch::cli

int main(int argc, char** argv) {
  using namespace tilmatch::cli;
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    const std::vector<CommandDoc> docs = collect();
    if (args.size() == 2 && args[0] == "--bash-completion") {
      write_all(args[1], bash_completion(docs));
    } else if (args.size() == 3 && args[0] == "--man-page") {
      std::string page = read_all(args[1]);
      page = replace_once(page, "@TILMATCH_VERSION@", tilmatch::kVersion);
      page = replace_once(page, "@TILMATCH_GLOBAL_OPTIONS@", man_options(docs.front()));
      page = replace_once(page, "@TILMATCH_COMMANDS@", man_commands(docs));
      write_all(args[2], page);
    } else {
      std::fprintf(stderr, "usage: tilmatch_docgen --bash-completion OUT | --man-page TEMPLATE OUT\n");
      return 2;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tilmatch_docgen: %s\n", e.what());
    return 1;
  }
  return 0;
}
