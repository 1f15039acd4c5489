#pragma once
/// What every libFuzzer harness in fuzz/ shares: the parsers read paths, so inputs are written to
/// a scratch folder first; and only tilmatch's own errors for bad input are an expected outcome.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "tilmatch/error.hpp"

namespace tilmatch::fuzz {

/// A folder of this process's own under $TMPDIR (else /tmp), made on first use and removed at
/// normal exit (a crash leaves it, next to libFuzzer's crash-* file).
const std::filesystem::path& scratch_dir();

/// Writes the `size` bytes at `data` to scratch_dir()/`name`, replacing it; returns the path.
std::string write_input(std::string_view name, const std::uint8_t* data, std::size_t size);
/// The same for text.
std::string write_input(std::string_view name, std::string_view text);

/// Turns off tilmatch's logger and HTSlib's messages: a run prints only libFuzzer's lines.
void quiet_logs();

/// Stops the run as a crash (libFuzzer saves the input) when a harness's property fails.
[[noreturn]] void fail(std::string_view what);

/// An InputError must name the file it is about; anything else is a crash.
void check_input_error(const InputError& e);

/// Runs `body`. InputError, UsageError and IoError are how tilmatch reports bad input, so they
/// end the input quietly; any other exception escapes and libFuzzer reports it as a crash.
template <typename Body>
void expect_only_input_errors(Body&& body) {
  try {
    body();
  } catch (const InputError& e) {
    check_input_error(e);
  } catch (const UsageError&) {
  } catch (const IoError&) {
  }
}

}  // namespace tilmatch::fuzz
