#pragma once
/// FORMAT values of one VCF record as HTSlib's bcf_get_format_* return them (or as parsed from text
/// when the header does not declare the tag numeric), with missing values and vector ends told apart.

#include <htslib/vcf.h>

#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <optional>
#include <type_traits>
#include <vector>

namespace tilmatch::io::detail {

/// One FORMAT field of one record, read once per record into a buffer reused across records.
template <typename T>
struct FormatBuffer {
  T* data = nullptr;
  int capacity = 0;
  int count = -1;  // values per sample; <0 when the tag is absent from the record
  // Set when the tag is not a number in the header (HTSlib types undeclared tags as String): the
  // values were parsed from text, as vcfpy does, and are printed as Python floats.
  bool from_text = false;
  std::vector<double> text_values;  // count per sample; NaN = missing / past the end
  ~FormatBuffer() { std::free(data); }
};

struct StringFormatBuffer {
  char** data = nullptr;
  int capacity = 0;
  bool present = false;
  ~StringFormatBuffer() {
    if (data) std::free(data[0]);
    std::free(data);
  }
};

/// Value `k` of `sample` as a double; nullopt when missing or past the sample's values.
template <typename T>
std::optional<double> value_at(const FormatBuffer<T>& buf, int sample, std::size_t k) {
  if (buf.count < 1 || k >= static_cast<std::size_t>(buf.count)) return std::nullopt;
  const std::size_t at = static_cast<std::size_t>(sample) * static_cast<std::size_t>(buf.count) + k;
  if (buf.from_text) {
    double v = buf.text_values[at];
    if (std::isnan(v)) return std::nullopt;
    return v;
  }
  if constexpr (std::is_same_v<T, float>) {
    if (bcf_float_is_missing(buf.data[at]) || bcf_float_is_vector_end(buf.data[at])) return std::nullopt;
  } else {
    if (buf.data[at] == bcf_int32_missing || buf.data[at] == bcf_int32_vector_end) return std::nullopt;
  }
  return static_cast<double>(buf.data[at]);
}

/// Number of values `sample` has (up to the first vector end).
template <typename T>
std::size_t values_for(const FormatBuffer<T>& buf, int sample) {
  std::size_t len = 0;
  const std::size_t base = static_cast<std::size_t>(sample) * static_cast<std::size_t>(buf.count);
  for (; len < static_cast<std::size_t>(buf.count); ++len) {
    if (buf.from_text) {
      if (std::isnan(buf.text_values[base + len])) break;
    } else if constexpr (std::is_same_v<T, float>) {
      if (bcf_float_is_vector_end(buf.data[base + len])) break;
    } else {
      if (buf.data[base + len] == bcf_int32_vector_end) break;
    }
  }
  return len;
}

}  // namespace tilmatch::io::detail
