// io::VcfReader's FORMAT fields: depths, VAFs (pVACseq's rules) and TX/GX expression values.

#include <algorithm>
#include <cmath>
#include <string>

#include "io/vcf_reader_impl.hpp"
#include "tilmatch/text.hpp"

namespace tilmatch::io {

using detail::value_at;
using detail::values_for;

bool VcfReader::Impl::format_is_scalar(const char* tag) const {
  int id = bcf_hdr_id2int(hdr.get(), BCF_DT_ID, tag);
  if (id < 0 || !bcf_hdr_idinfo_exists(hdr.get(), BCF_HL_FMT, id)) return false;
  return bcf_hdr_id2length(hdr.get(), BCF_HL_FMT, id) == BCF_VL_FIXED &&
         bcf_hdr_id2number(hdr.get(), BCF_HL_FMT, id) == 1;
}

template <typename T>
void VcfReader::Impl::parse_text_values(const char* tag, FormatBuffer<T>& buf) {
  buf.count = -1;
  if (bcf_get_format_string(hdr.get(), rec.get(), tag, &text_tmp.data, &text_tmp.capacity) < 0) return;
  const int ns = bcf_hdr_nsamples(hdr.get());
  int width = 0;
  for (int i = 0; i < ns; ++i) {
    width = std::max(width, static_cast<int>(text::split(text_tmp.data[i], ',').size()));
  }
  buf.from_text = true;
  buf.count = width;
  buf.text_values.assign(static_cast<std::size_t>(ns * width), std::nan(""));
  for (int i = 0; i < ns; ++i) {
    auto items = text::split(text_tmp.data[i], ',');
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (auto v = text::parse_double(items[k])) {
        buf.text_values[static_cast<std::size_t>(i * width) + k] = *v;
      }
    }
  }
}

void VcfReader::Impl::read_int(const char* tag, FormatBuffer<std::int32_t>& buf) {
  buf.from_text = false;
  int n = bcf_get_format_int32(hdr.get(), rec.get(), tag, &buf.data, &buf.capacity);
  if (n == -2) return parse_text_values(tag, buf);
  buf.count = n < 0 ? -1 : n / bcf_hdr_nsamples(hdr.get());
}
void VcfReader::Impl::read_float(const char* tag, FormatBuffer<float>& buf) {
  buf.from_text = false;
  int n = bcf_get_format_float(hdr.get(), rec.get(), tag, &buf.data, &buf.capacity);
  if (n == -2) return parse_text_values(tag, buf);
  buf.count = n < 0 ? -1 : n / bcf_hdr_nsamples(hdr.get());
}

void VcfReader::Impl::read_strings(const char* tag, StringFormatBuffer& buf) {
  int n = bcf_get_format_string(hdr.get(), rec.get(), tag, &buf.data, &buf.capacity);
  buf.present = n >= 0;
}

void VcfReader::Impl::read_format_fields() {
  read_int("DP", dp);
  read_int("AD", ad);
  read_float("AF", af);
  read_int("RDP", rdp);
  read_int("RAD", rad);
  read_float("RAF", raf);
  if (has_tx) read_strings("TX", tx);
  if (has_gx) read_strings("GX", gx);
}

Measure VcfReader::Impl::depth(const FormatBuffer<std::int32_t>& buf, int sample) {
  Measure m;
  auto v = value_at(buf, sample, 0);
  if (!v) return m;
  m.value = *v;
  // A depth parsed from text (a header that does not type it Integer) can be any double: only
  // one within int64's range may be converted; others print as the number they are.
  constexpr double kInt64Bound = 9223372036854775808.0;  // 2^63
  m.text = *v > -kInt64Bound && *v < kInt64Bound ? std::to_string(static_cast<std::int64_t>(*v))
                                                 : text::format_double(*v);
  return m;
}

Measure VcfReader::Impl::vaf(const FormatBuffer<float>& af_buf, bool af_is_scalar,
                           const FormatBuffer<std::int32_t>& ad_buf, bool ad_is_scalar,
                           const FormatBuffer<std::int32_t>& dp_buf, int sample, std::size_t alt_index) const {
  Measure m;
  if (af_buf.count >= 1) {
    std::optional<double> x;
    if (af_is_scalar && !af_buf.from_text) {
      x = value_at(af_buf, sample, 0);
    } else {
      if (alt_index >= values_for(af_buf, sample)) return m;
      x = value_at(af_buf, sample, alt_index);
    }
    if (!x) return m;
    m.value = *x;
    m.text = af_buf.from_text ? text::format_double(*x) : text::format_float(static_cast<float>(*x));
    return m;
  }
  if (ad_buf.count < 1 || dp_buf.count < 1) return m;
  std::optional<double> var_count;
  if (ad_is_scalar && !ad_buf.from_text) {
    var_count = value_at(ad_buf, sample, 0);
  } else {
    const std::size_t len = values_for(ad_buf, sample);
    if (len == alts.size()) {
      var_count = value_at(ad_buf, sample, alt_index);
    } else if (len == alts.size() + 1) {
      var_count = value_at(ad_buf, sample, alt_index + 1);
    } else {
      return m;
    }
  }
  auto d = value_at(dp_buf, sample, 0);
  if (!var_count || !d || *d == 0) return m;
  double x = std::trunc(*var_count) / std::trunc(*d);
  m.value = x;
  m.text = text::format_double(x);
  return m;
}

std::string VcfReader::Impl::expression(const StringFormatBuffer& buf, std::string_view key1,
                                      std::string_view key2) const {
  std::string out = "NA";
  if (!buf.present) return out;
  std::string_view s(buf.data[sample_index]);
  if (s.empty() || s == ".") return out;
  std::size_t begin = 0;
  while (true) {
    auto comma = s.find(',', begin);
    std::string_view item = s.substr(begin, comma == std::string_view::npos ? comma : comma - begin);
    auto bar = item.find('|');
    if (bar != std::string_view::npos && item.find('|', bar + 1) == std::string_view::npos) {
      std::string_view id = item.substr(0, bar);
      if (id == key1 || (!key2.empty() && id == key2)) out = std::string(item.substr(bar + 1));
    }
    if (comma == std::string_view::npos) break;
    begin = comma + 1;
  }
  return out;
}

}  // namespace tilmatch::io
