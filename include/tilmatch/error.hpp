#pragma once
/// Exceptions thrown by tilmatch library code. Only the CLI catches them.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace tilmatch {

/// Base of every error tilmatch throws on purpose.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// The user's input is wrong: names the file and the place in it.
/// `where` is free text such as "line 12", "chr1:12345" or "column 'junction_aa'";
/// empty when the problem concerns the whole file.
class InputError : public Error {
 public:
  InputError(std::string file, std::string where, const std::string& message);
  const std::string& file() const noexcept { return file_; }
  const std::string& where() const noexcept { return where_; }

 private:
  std::string file_;
  std::string where_;
};

/// A file could not be opened, read, written or renamed.
class IoError : public Error {
 public:
  using Error::Error;
};

/// A command-line value is invalid (bad range, conflicting options).
class UsageError : public Error {
 public:
  using Error::Error;
};

/// A CUDA runtime call or kernel launch failed; the message carries file:line and the CUDA error name.
class CudaError : public Error {
 public:
  using Error::Error;
};

/// A backend was requested that this build or machine cannot provide.
class BackendUnavailable : public Error {
 public:
  using Error::Error;
};

}  // namespace tilmatch
