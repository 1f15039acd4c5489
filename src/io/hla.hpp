#pragma once
/// The patient's HLA type as `--hla` gives it: a list or a file of alleles (names/hla.hpp parses them).

#include <string>
#include <vector>

#include "names/hla.hpp"

namespace tilmatch::io {

/// The patient's alleles from a `--hla` value: the path of an existing file (plain or gzip; one
/// allele per line or comma/semicolon/whitespace separated; '#' starts a comment), or else a
/// list separated by ',', ';' or whitespace ("A*02:01,B*07:02"). Duplicates are dropped, order kept.
/// Throws UsageError naming the first allele that does not parse (with "file, line N" when it
/// came from a file), or when no allele is given; IoError when the file cannot be read.
std::vector<names::HlaAllele> read_hla_argument(const std::string& value);

}  // namespace tilmatch::io
