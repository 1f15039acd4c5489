// tilmatch: the command-line entry point. The only place that catches tilmatch errors.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/help.hpp"
#include "common/signal_cleanup.hpp"
#include "io/vcf_reader.hpp"
#include "scoring/engine.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"
#include "tilmatch/version.hpp"

namespace tilmatch::cli {

namespace {

int report(const std::string& where, const std::string& message, int code) {
  std::fprintf(stderr, "tilmatch%s%s: %s\n", where.empty() ? "" : " ", where.c_str(), message.c_str());
  return code;
}

// One line that pipelines parse (workflow/scripts/versions_yml.sh): the version with its commit, the
// build, and the HTSlib it runs with.
std::string version_text() {
  std::string s = std::string("tilmatch ") + kBuildVersion;
#ifdef TILMATCH_HAVE_CUDA
  s += " (CUDA backend built";
#else
  s += " (CPU-only build";
#endif
  return s + "; htslib " + io::htslib_version() + ")";
}

}  // namespace

namespace {

/// A subcommand and the function that runs it once parsed.
struct Entry {
  CLI::App* sub;
  Runner run;
};

/// The exit status and message of a command line CLI11 rejects. An unknown subcommand or option is
/// named first, with the nearest known one: a typo in a required option ("--fragment") otherwise
/// reads as that option missing.
int report_parse_error(CLI::App& app, const std::vector<Entry>& entries, const CLI::ParseError& e,
                       const std::vector<std::string>& args) {
  const CLI::App* context = &app;
  for (const Entry& entry : entries)
    if (entry.sub->parsed()) context = entry.sub;
  if (context == &app) {
    // "tilmatch serch": without a subcommand, the first word that is no option names it.
    const auto word = std::find_if(args.begin(), args.end(), [](const std::string& x) { return x.rfind('-', 0) != 0; });
    if (word != args.end()) {
      std::vector<std::string> names;
      for (const Entry& entry : entries) names.push_back(entry.sub->get_name());
      const std::string near = suggest_name(*word, names);
      return report("", "unknown subcommand '" + *word + "'" + (near.empty() ? "" : "; did you mean " + near + "?") +
                            " ('tilmatch --help' lists them)",
                    kExitInput);
    }
  }
  if (const std::string unknown = first_unknown_option(*context, args); !unknown.empty()) {
    const std::string near = suggest_name(unknown, option_names(*context));
    const std::string where = context == &app ? std::string() : context->get_name();
    return report(where, "unknown option " + unknown + (near.empty() ? "" : "; did you mean " + near + "?") +
                             " ('tilmatch " + (where.empty() ? "" : where + " ") + "--help' lists the options)",
                  kExitInput);
  }
  app.exit(e);
  return kExitInput;
}

/// Runs a parsed subcommand; every error becomes one line on stderr and its exit status.
int run_command(Entry& entry, const std::string& command_line) {
  const std::string name = entry.sub->get_name();
  try {
    return entry.run(command_line);
  } catch (const InputError& e) {
    return report(name, e.what(), kExitInput);
  } catch (const UsageError& e) {
    return report(name, e.what(), kExitInput);
  } catch (const IoError& e) {
    return report(name, e.what(), kExitInput);
  } catch (const BackendUnavailable& e) {
    return report(name, e.what(), kExitDevice);
  } catch (const scoring::HitBudgetExceeded& e) {
    return report(name, e.what(), kExitInput);  // a limit the user set, not a fault
  } catch (const CudaError& e) {
    return report(name, e.what(), kExitDevice);
  } catch (const std::bad_alloc&) {
    return report(name, "out of memory (lower --memory or split the input)", kExitInternal);
  } catch (const std::exception& e) {
    return report(name, std::string("internal error: ") + e.what(), kExitInternal);
  }
}

}  // namespace

int main_impl(int argc, char** argv) {
  // SIGINT/SIGTERM/SIGHUP then remove the run's temporary files before the process ends.
  detail::install_cleanup_signal_handlers();
  CLI::App app{"tilmatch: match tumour neoantigens to TIL clonotypes and rank TIL cultures", "tilmatch"};
  app.formatter(std::make_shared<HelpFormatter>());
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);
  app.fallthrough();
  bool quiet = false;
  int verbose = 0;
  app.add_flag("-q,--quiet", quiet, "Only errors on stderr: no stage lines, progress or warnings");
  app.add_flag("-v,--verbose", verbose, "More detail on stderr (-vv for debug)");
  app.footer("Options -q and -v go before or after the subcommand. 'tilmatch <subcommand> --help' lists its options.\n"
             "Exit status: 0 done, 1 internal error, 2 bad input or arguments, 3 device unavailable or failed.");

  std::vector<Entry> entries;
  for (const CommandSpec& spec : all_commands()) {
    CLI::App* sub = app.add_subcommand(std::string(spec.name), std::string(spec.summary));
    entries.push_back({sub, spec.setup(*sub)});
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return report_parse_error(app, entries, e, std::vector<std::string>(argv + 1, argv + argc));
  }

  log::set_level(quiet ? log::Level::kQuiet
                       : verbose >= 2 ? log::Level::kDebug
                       : verbose == 1 ? log::Level::kInfo
                                      : log::Level::kStage);

  std::string command_line;
  for (int i = 0; i < argc; ++i) {
    if (i) command_line += ' ';
    command_line += argv[i];
  }
  for (Entry& entry : entries)
    if (entry.sub->parsed()) return run_command(entry, command_line);
  return report("", "no subcommand given", kExitInput);
}

}  // namespace tilmatch::cli

int main(int argc, char** argv) { return tilmatch::cli::main_impl(argc, argv); }
