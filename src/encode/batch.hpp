#pragma once
/// Sequences encoded once on the host into a struct-of-arrays batch, bucketed by length and padded
/// to a multiple of 4 residues, shared by the CPU backend and the CUDA kernels.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tilmatch::encode {

inline constexpr std::uint32_t kPadMultiple = 4;

/// `codes` holds every sequence back to back, each starting at `offsets[i]` and padded with
/// kUnknown to `padded_length(lengths[i])`. Sequences are ordered by (length, input index), so
/// each length is one contiguous bucket; `input_index[i]` maps back to the caller's order and
/// `bucket_begin` lists where each distinct length starts (plus a final end entry).
/// The CUDA kernels rely on this layout: every row starts at a multiple of 4 and is padded to 4
/// residues, so they read rows as 32-bit words (kernels/tile_search.cuh stage_row, tcrdist words).
struct EncodedBatch {
  std::vector<std::uint8_t> codes;
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint32_t> lengths;
  std::vector<std::uint32_t> input_index;
  std::vector<std::uint32_t> bucket_begin;

  std::size_t size() const noexcept { return lengths.size(); }
};

constexpr std::uint32_t padded_length(std::uint32_t n) noexcept {
  return (n + kPadMultiple - 1) / kPadMultiple * kPadMultiple;
}

/// Encodes `seqs` (one-letter amino-acid strings) into a length-bucketed batch.
EncodedBatch encode_batch(const std::vector<std::string>& seqs);
/// The same over `n` sequences given by `seq(i)`, i < n, each view valid while the call runs (no
/// copy of them, nor an array of views, is made: millions of clonotypes cost only the batch).
EncodedBatch encode_batch(std::size_t n, const std::function<std::string_view(std::size_t)>& seq);

/// Encodes one sequence into residue codes (no padding).
std::vector<std::uint8_t> encode_sequence(std::string_view seq);

}  // namespace tilmatch::encode
