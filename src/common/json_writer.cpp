#include "tilmatch/json_writer.hpp"

#include <cstdio>
#include <type_traits>

#include "tilmatch/text.hpp"

namespace tilmatch {

std::string JsonWriter::escape(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

void JsonWriter::newline_indent() {
  out_ += '\n';
  out_.append(2 * has_element_.size(), ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_element_.empty()) {
    if (has_element_.back()) out_ += ',';
    has_element_.back() = true;
    newline_indent();
  }
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  has_element_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::close_container(char closer) {
  bool had = has_element_.back();
  has_element_.pop_back();
  if (had) newline_indent();
  out_ += closer;
  if (has_element_.empty()) out_ += '\n';
  return *this;
}

JsonWriter& JsonWriter::end_object() { return close_container('}'); }

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  has_element_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_array() { return close_container(']'); }

JsonWriter& JsonWriter::key(std::string_view k) {
  before_value();
  out_ += escape(k);
  out_ += ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view v) {
  before_value();
  out_ += escape(v);
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t v) {
  before_value();
  out_ += std::to_string(v);
  return *this;
}

JsonWriter& JsonWriter::value(double v) {
  before_value();
  std::string s = text::format_double(v);
  out_ += (s == "NA" || s == "inf" || s == "-inf") ? std::string("null") : s;
  return *this;
}

JsonWriter& JsonWriter::value(bool v) {
  before_value();
  out_ += v ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::value(const JsonScalar& v) {
  if (const auto* list = std::get_if<std::vector<std::string>>(&v)) {
    begin_array();
    for (const std::string& item : *list) value(std::string_view(item));
    return end_array();
  }
  if (std::holds_alternative<std::monostate>(v)) return null();
  return std::visit(
      [this](const auto& x) -> JsonWriter& {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) return value(std::string_view(x));
        else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double> || std::is_same_v<T, bool>)
          return value(x);
        else return *this;
      },
      v);
}

JsonWriter& JsonWriter::counts(const std::map<std::string, std::int64_t>& counts) {
  begin_object();
  for (const auto& [k, v] : counts) key(k).value(v);
  return end_object();
}

}  // namespace tilmatch
