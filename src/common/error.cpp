#include "tilmatch/error.hpp"

#include <utility>

namespace tilmatch {
namespace {

std::string format_input_error(const std::string& file, const std::string& where,
                               const std::string& message) {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (!where.empty()) out += ", " + where;
  out += ": " + message;
  return out;
}

}  // namespace

InputError::InputError(std::string file, std::string where, const std::string& message)
    : Error(format_input_error(file, where, message)),
      file_(std::move(file)),
      where_(std::move(where)) {}

}  // namespace tilmatch
