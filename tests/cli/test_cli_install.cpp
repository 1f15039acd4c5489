// What `cmake --install` ships besides the binary: the man page and the bash completion, both
// written at build time from the option table (src/cli/docgen.cpp). Each is checked against what
// the built binary's own `--help` prints, so an option added, renamed or left out fails here.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "common/test_support.hpp"
#include "tilmatch/version.hpp"

namespace fs = std::filesystem;
namespace tt = tilmatch::test;

namespace {

const fs::path kManPage = TILMATCH_MAN_PAGE;
const fs::path kCompletion = TILMATCH_BASH_COMPLETION;

// Option names on the option lines of CLI11's help ("  -o,--out TEXT REQUIRED  Output ..."): the
// first word of every line that starts, after its indent, with a dash.
std::set<std::string> help_options(const std::string& help) {
  std::set<std::string> out;
  std::istringstream lines(help);
  for (std::string line; std::getline(lines, line);) {
    const auto start = line.find_first_not_of(' ');
    if (start == std::string::npos || start == 0 || line[start] != '-') continue;
    std::string first = line.substr(start, line.find(' ', start) - start);
    // A flag's default is printed glued to its name ("--no-checksum{false}"); names hold no '{'.
    first = first.substr(0, first.find_first_of("{="));
    std::istringstream names(first);
    for (std::string name; std::getline(names, name, ',');) {
      if (name.size() > 1 && name[0] == '-') out.insert(name);
    }
  }
  return out;
}

// Every command's help: "" is the top level.
std::vector<std::string> command_names() {
  std::vector<std::string> names{""};
  for (const auto& spec : tilmatch::cli::all_commands()) names.emplace_back(spec.name);
  return names;
}

std::string help_of(const std::string& command) {
  const auto r = tt::run_tilmatch(command.empty() ? "--help" : command + " --help");
  EXPECT_EQ(r.exit_code, 0) << command;
  return r.out;
}

// The words the completion offers for `command`: its case's opts="..." line.
std::set<std::string> completion_words(const std::string& script, const std::string& command) {
  const std::string label = "    " + (command.empty() ? std::string("\"\"") : command) + ")\n      opts=\"";
  const auto at = script.find(label);
  if (at == std::string::npos) return {};
  const auto begin = at + label.size();
  std::istringstream words(script.substr(begin, script.find('"', begin) - begin));
  std::set<std::string> out;
  for (std::string w; words >> w;) out.insert(w);
  return out;
}

std::string roff_option(const std::string& name) {
  std::string out = "\\fB";
  for (char c : name) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out + "\\fR";
}

// Runs `script` in bash with the completion sourced; returns its stdout.
std::string in_bash(const std::string& script) {
  tt::ScratchDir dir;
  tt::write_file(dir / "t.sh", "source " + tt::shell_quote(kCompletion) + "\n" + script);
  const std::string cmd = "bash " + tt::shell_quote(dir / "t.sh") + " >" + tt::shell_quote(dir / "out") + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << tt::read_file(dir / "out");
  return tt::read_file(dir / "out");
}

}  // namespace

TEST(CliInstall, CompletionOffersEveryOptionThatHelpLists) {
  const std::string script = tt::read_file(kCompletion);
  for (const std::string& command : command_names()) {
    const std::set<std::string> listed = help_options(help_of(command));
    ASSERT_TRUE(listed.count("--help")) << "help of '" << command << "' not parsed";
    const std::set<std::string> offered = completion_words(script, command);
    for (const std::string& option : listed) {
      EXPECT_TRUE(offered.count(option)) << "tilmatch " << command << " --help lists " << option
                                         << " but the bash completion does not offer it";
    }
  }
  const std::set<std::string> top = completion_words(script, "");
  for (const auto& spec : tilmatch::cli::all_commands()) EXPECT_TRUE(top.count(std::string(spec.name))) << spec.name;
}

TEST(CliInstall, CompletionCompletesCommandsOptionsAndChoicesInBash) {
  // Each line: the words typed so far; the last is the one being completed.
  const std::string out = in_bash(
      "complete_words() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _tilmatch;"
      " echo \"${COMPREPLY[*]}\"; }\n"
      "complete_words tilmatch pre\n"
      "complete_words tilmatch run --fragm\n"
      "complete_words tilmatch -v run --vc\n"
      "complete_words tilmatch run --transfer-metric tc\n"
      "complete_words tilmatch search --query ''\n"
      "complete_words tilmatch run --pass-only --fra\n"
      "complete -p tilmatch\n");
  EXPECT_EQ(out,
            "predict\n"
            "--fragments\n"
            "--vcf\n"
            "tcrdist tcrmatch\n"
            "\n"  // a path comes next: nothing offered, so bash falls back to file names
            "--fragments\n"  // a flag takes no value: the next word is an option
            "complete -o default -F _tilmatch tilmatch\n");
}

TEST(CliInstall, ManPageDocumentsEveryCommandAndOption) {
  const std::string page = tt::read_file(kManPage);
  EXPECT_NE(page.find(std::string(".TH TILMATCH 1 \"\" \"tilmatch ") + tilmatch::kVersion + "\""), std::string::npos);
  EXPECT_EQ(page.find("@TILMATCH_"), std::string::npos) << "a template field was left unfilled";
  for (const std::string& command : command_names()) {
    if (!command.empty()) {
      EXPECT_NE(page.find(".SS \"tilmatch " + command + " "), std::string::npos) << command;
    }
    for (const std::string& option : help_options(help_of(command))) {
      EXPECT_NE(page.find(roff_option(option)), std::string::npos)
          << "tilmatch " << command << " --help lists " << option << " but the man page does not";
    }
  }
}

TEST(CliInstall, ManPageRendersWithoutWarnings) {
  if (std::system("command -v groff >/dev/null 2>&1") != 0) GTEST_SKIP() << "groff not installed";
  tt::ScratchDir dir;
  // -ww: every warning; -z: format, print nothing. Anything on stderr is a roff mistake.
  const std::string cmd = "groff -man -Tutf8 -ww -z " + tt::shell_quote(kManPage) + " 2>" + tt::shell_quote(dir / "err");
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(tt::read_file(dir / "err"), "");
}
