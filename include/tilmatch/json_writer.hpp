#pragma once
/// A small streaming JSON writer for run.json and similar metadata (pretty-printed, keys in the
/// order written, so output bytes are deterministic).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tilmatch {

/// One run.json parameter with its JSON type: null (std::monostate: not given), a string, a whole
/// number, a real number, a boolean, or a list of strings.
using JsonScalar = std::variant<std::monostate, std::string, std::int64_t, double, bool, std::vector<std::string>>;

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  /// Writes a key inside an object; the next value call supplies its value.
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view v);
  JsonWriter& value(const char* v) { return value(std::string_view(v)); }
  JsonWriter& value(const std::string& v) { return value(std::string_view(v)); }
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
  JsonWriter& value(std::size_t v) { return value(static_cast<std::int64_t>(v)); }
  JsonWriter& value(double v);
  JsonWriter& value(bool v);
  JsonWriter& null();
  /// Writes `v` with its own JSON type (a list as an array of strings).
  JsonWriter& value(const JsonScalar& v);
  /// An object of name -> count, keys in map order (run.json's per-reason counts).
  JsonWriter& counts(const std::map<std::string, std::int64_t>& counts);

  /// The document so far, with a trailing newline once the outermost container is closed.
  const std::string& str() const noexcept { return out_; }

  static std::string escape(std::string_view s);

 private:
  void before_value();
  JsonWriter& close_container(char closer);
  void newline_indent();
  std::string out_;
  // For each open container: has it received an element yet?
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

}  // namespace tilmatch
