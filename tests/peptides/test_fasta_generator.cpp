// FastaGenerator unit cases from upstream tests/test_fasta_generator.py, run through make_windows.
// The proximal-variant cases (output_proximal_variants*, input_somatic_variant_with_proximal_variants)
// are not covered: tilmatch does not model proximal variants.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "common/test_support.hpp"
#include "peptides/converter_tsv.hpp"
#include "peptides/oracle_files.hpp"

namespace tilmatch::test {
namespace {

struct Case {
  const char* name;
  const char* input;   ///< input_<input>.tsv
  const char* output;  ///< output_<output>.{fasta,key}; nullptr = expected empty
  int flank;
  int epitope_length;
  std::optional<int> downstream;

  Case(const char* n, const char* in, const char* out, int f = 10, int e = 8, std::optional<int> d = std::nullopt)
      : name(n), input(in), output(out), flank(f), epitope_length(e), downstream(d) {}
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class FastaGeneratorCase : public ::testing::TestWithParam<Case> {};

TEST_P(FastaGeneratorCase, MatchesUpstreamOutput) {
  const Case& c = GetParam();
  TILMATCH_REQUIRE_SHARED(dir, "pvacseq_example/fasta_generator");
  const std::string input = std::string(c.input).empty() ? "input.tsv" : std::string("input_") + c.input + ".tsv";
  const auto tsv = read_converter_tsv(dir / input);
  ASSERT_FALSE(tsv.rows.empty());
  peptides::WindowOptions options;
  options.flank = c.flank;
  options.min_length = c.epitope_length;
  options.downstream_limit = c.downstream;
  const auto got = generate_merged_fasta(tsv.rows, options);
  if (c.output == nullptr) {
    EXPECT_TRUE(got.empty()) << "first: " << got.front().first;
    return;
  }
  const std::string stem = std::string("output_") + c.output;
  const auto expected = read_merged_fasta(dir / (stem + ".fasta"), dir / (stem + ".key"));
  EXPECT_EQ(got, expected);
}

const Case kCases[] = {
    {"peptide_sequence_length_17", "", "peptide_sequence_length_17", 8},
    {"peptide_sequence_length_21", "", "peptide_sequence_length_21", 10},
    {"peptide_sequence_length_31", "", "peptide_sequence_length_31", 15},
    {"mutation_at_relative_end", "mutation_at_relative_end_of_full_sequence",
     "mutation_at_relative_end_of_full_sequence"},
    {"mutation_at_relative_beginning", "mutation_at_relative_beginning_of_full_sequence",
     "mutation_at_relative_beginning_of_full_sequence"},
    {"short_wildtype_sequence", "short_wildtype_sequence", "short_wildtype_sequence"},
    {"multiple_transcripts", "multiple_transcripts", "multiple_transcripts"},
    {"multiple_transcripts_per_alt", "multiple_transcripts_per_alt", "multiple_transcripts_per_alt"},
    {"inframe_insertion_aa_replacement", "inframe_insertion_aa_replacement", "inframe_insertion_aa_replacement"},
    {"inframe_insertion_aa_insertion", "inframe_insertion_aa_insertion", "inframe_insertion_aa_insertion"},
    {"inframe_deletion_aa_replacement", "inframe_deletion_aa_replacement", "inframe_deletion_aa_replacement", 10, 9},
    {"inframe_deletion_range", "inframe_deletion_range", "inframe_deletion_range", 10, 9},
    {"frameshift_variant_feature_elongation", "frameshift_variant_feature_elongation",
     "frameshift_variant_feature_elongation"},
    {"frameshift_variant_feature_truncation", "frameshift_variant_feature_truncation",
     "frameshift_variant_feature_truncation"},
    {"frameshift_variant_feature_truncation2", "frameshift_variant_feature_truncation2",
     "frameshift_variant_feature_truncation2", 10, 8, 100},
    {"frameshift_variant_range", "frameshift_variant_range", "frameshift_variant_range"},
    {"downstream_sequence_length_limit", "frameshift_variant_feature_elongation", "downstream_sequence_length_limit",
     10, 8, 20},
    {"protein_altering_variant_insertion", "protein_altering_variant_insertion", "protein_altering_variant_insertion"},
    {"dnp", "dnp", "dnp"},
    {"X_sequence", "X_sequence", "X_sequence", 15},
    {"short_fasta_sequence", "short_fasta_sequence", nullptr},
    {"inframe_deletion_aa_deletion", "inframe_deletion_aa_deletion", nullptr},
    {"position_out_of_bounds", "position_out_of_bounds", nullptr},
    {"asterisk_sequence", "asterisk_sequence", nullptr},
    {"U_sequence", "U_sequence", nullptr, 15},
    {"no_aa_change", "no_aa_change", nullptr},
};

INSTANTIATE_TEST_SUITE_P(Upstream, FastaGeneratorCase, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace tilmatch::test
