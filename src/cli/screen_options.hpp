#pragma once
/// `tilmatch run` options for the screen's results (docs/screening.md): readouts, designs, reactive-cell
/// TCR-seq, and every rule of the calls, the enrichment test, tracking, the product and the next round.

#include <CLI/CLI.hpp>

#include <string>

#include "pipeline/screen_stage.hpp"

namespace tilmatch::cli {

struct ScreenArgs {
  pipeline::ScreenConfig config;
  std::string elispot_rule = "dfr_2x";
  std::string multiplicity = "bh";
  std::string enrichment_test = "greater";
};

/// Adds the options to `sub` in the group "Screen (second round)".
void add_screen_options(CLI::App& sub, ScreenArgs& args);
/// Turns the parsed strings into `args.config`; throws UsageError on a bad value.
void finish_screen_options(ScreenArgs& args);

}  // namespace tilmatch::cli
