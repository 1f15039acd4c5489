#pragma once
// Test-only reader for pVACseq converter TSVs (plain or gzip), by column name.

#include <filesystem>
#include <vector>

#include "tilmatch/variant.hpp"

namespace tilmatch::test {

struct ConverterTsv {
  std::vector<VariantTranscript> rows;
  int unknown_variant_type = 0;  ///< rows whose variant_type tilmatch does not model (skipped)
};

/// Reads every row; missing optional columns keep the VariantTranscript defaults.
ConverterTsv read_converter_tsv(const std::filesystem::path& path);

}  // namespace tilmatch::test
