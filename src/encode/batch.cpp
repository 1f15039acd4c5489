#include "encode/batch.hpp"

#include <algorithm>
#include <numeric>

#include "encode/residues.hpp"

namespace tilmatch::encode {

std::vector<std::uint8_t> encode_sequence(std::string_view seq) {
  std::vector<std::uint8_t> out(seq.size());
  std::transform(seq.begin(), seq.end(), out.begin(), [](char c) { return residue_code(c); });
  return out;
}

EncodedBatch encode_batch(const std::vector<std::string>& seqs) {
  return encode_batch(seqs.size(), [&seqs](std::size_t i) { return std::string_view(seqs[i]); });
}

EncodedBatch encode_batch(std::size_t n, const std::function<std::string_view(std::size_t)>& seq) {
  EncodedBatch b;
  std::vector<std::uint32_t> length(n);  // by input index
  for (std::size_t i = 0; i < n; ++i) length[i] = static_cast<std::uint32_t>(seq(i).size());
  b.input_index.resize(n);
  std::iota(b.input_index.begin(), b.input_index.end(), 0u);
  // Stable sort keeps input order within a length, so the batch is a pure function of the input.
  std::stable_sort(b.input_index.begin(), b.input_index.end(),
                   [&length](std::uint32_t x, std::uint32_t y) { return length[x] < length[y]; });
  b.lengths.resize(n);
  b.offsets.resize(n);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t len = length[b.input_index[i]];
    b.lengths[i] = len;
    b.offsets[i] = total;
    total += padded_length(len);
    if (i == 0 || len != b.lengths[i - 1]) b.bucket_begin.push_back(static_cast<std::uint32_t>(i));
  }
  b.bucket_begin.push_back(static_cast<std::uint32_t>(n));
  b.codes.assign(total, kUnknown);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view s = seq(b.input_index[i]);
    std::transform(s.begin(), s.end(), b.codes.begin() + static_cast<std::ptrdiff_t>(b.offsets[i]),
                   [](char c) { return residue_code(c); });
  }
  return b;
}

}  // namespace tilmatch::encode
