// VcfReader against pVACseq's own converter outputs (../shared/data/pvacseq_example).

#include <gtest/gtest.h>

#include <cctype>
#include <ostream>

#include "common/test_support.hpp"
#include "io/vcf_reader.hpp"
#include "io/vcf_test_util.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::test {
namespace {

constexpr const char* kConverterDir = "pvacseq_example/input_file_converter";

TEST(VcfReaderPvacseq, Hcc1395MatchesAll955Rows) {
  TILMATCH_REQUIRE_SHARED(vcf, "pvacseq_example/hcc1395/annotated.expression.vcf.gz");
  TILMATCH_REQUIRE_SHARED(tsv, "pvacseq_example/hcc1395/HCC1395_TUMOR_DNA.tsv.gz");
  io::VcfOptions options;
  options.path = vcf.string();
  options.sample = "HCC1395_TUMOR_DNA";
  options.normal_sample = "HCC1395_NORMAL_DNA";
  io::SkipCounts skips;
  auto rows = read_all_rows(options, &skips);
  auto expected = read_tsv(tsv.string());
  ASSERT_EQ(expected.size(), 955u);
  expect_rows_equal(expected, rows);
  // The file has transcripts flagged cds_start_NF/cds_end_NF; they must have been skipped.
  EXPECT_GT(skips.by_reason["incomplete_cds"], 0);
}

struct ConverterCase {
  const char* input;
  const char* output;
  const char* sample;  // "" = the only sample
  const char* normal;  // "" = none
};

void PrintTo(const ConverterCase& c, std::ostream* os) { *os << c.input; }

class VcfReaderConverterCase : public ::testing::TestWithParam<ConverterCase> {};

TEST_P(VcfReaderConverterCase, MatchesPvacseqOutput) {
  const ConverterCase& c = GetParam();
  TILMATCH_REQUIRE_SHARED(dir, kConverterDir);
  io::VcfOptions options;
  options.path = (dir / c.input).string();
  options.sample = c.sample;
  // The upstream unit tests construct VcfConverter without biotypes: no biotype filter.
  options.biotypes.clear();
  if (*c.normal) options.normal_sample = c.normal;
  auto rows = read_all_rows(options);
  auto expected = read_tsv((dir / c.output).string());
  expect_rows_equal(expected, rows);
}

// Parameters as in pVACtools tests/test_input_file_converter.py.
INSTANTIATE_TEST_SUITE_P(
    Upstream, VcfReaderConverterCase,
    ::testing::Values(
        ConverterCase{"input.vcf", "output.tsv", "", ""},
        ConverterCase{"input.tx.vcf", "output_tx.tsv", "", ""},
        ConverterCase{"input.empty_tx_gx.vcf", "output_empty_tx_gx.tsv", "", ""},
        ConverterCase{"input.gx.vcf", "output_gx.tsv", "", ""},
        ConverterCase{"input_multiple_transcripts.vcf.gz", "output_multiple_transcripts.tsv", "", ""},
        ConverterCase{"input_multiple_transcripts_per_alt.vcf.gz",
                      "output_multiple_transcripts_per_alt.tsv", "", ""},
        ConverterCase{"input_mutation_at_relative_beginning_of_full_sequence.vcf",
                      "output_mutation_at_relative_beginning_of_full_sequence.tsv", "", ""},
        ConverterCase{"input_mutation_at_relative_end_of_full_sequence.vcf",
                      "output_mutation_at_relative_end_of_full_sequence.tsv", "", ""},
        ConverterCase{"input_position_out_of_bounds.vcf", "output_position_out_of_bounds.tsv", "", ""},
        ConverterCase{"input_short_wildtype_sequence.vcf", "output_short_wildtype_sequence.tsv", "", ""},
        ConverterCase{"input_frameshift_variant_feature_elongation.vcf",
                      "output_frameshift_variant_feature_elongation.tsv", "", ""},
        ConverterCase{"input_frameshift_variant_feature_truncation.vcf",
                      "output_frameshift_variant_feature_truncation.tsv", "", ""},
        ConverterCase{"input_inframe_insertion_aa_replacement.vcf",
                      "output_inframe_insertion_aa_replacement.tsv", "", ""},
        ConverterCase{"input_inframe_deletion_aa_replacement.vcf",
                      "output_inframe_deletion_aa_replacement.tsv", "", ""},
        ConverterCase{"input_inframe_insertion_aa_insertion.vcf",
                      "output_inframe_insertion_aa_insertion.tsv", "", ""},
        ConverterCase{"input_inframe_deletion_aa_deletion.vcf",
                      "output_inframe_deletion_aa_deletion.tsv", "", ""},
        ConverterCase{"input_conflicting_alts.vcf", "output_conflicting_alts.tsv", "", ""},
        ConverterCase{"input_uncalled_genotype.vcf", "output_uncalled_genotype.tsv", "", ""},
        ConverterCase{"input_hom_ref_genotype.vcf", "output_hom_ref_genotype.tsv", "", ""},
        ConverterCase{"input_duplicate_index.vcf", "output_duplicate_index.tsv", "", ""},
        ConverterCase{"input.readcount.vcf", "output_readcounts.tsv", "H_NJ-HCC1395-HCC1395",
                      "H_NJ-HCC1395-HCC1396"},
        ConverterCase{"input.no_csq.vcf", "output_no_csq.tsv", "", ""},
        ConverterCase{"input_sv.vcf.gz", "output_sv.tsv", "", ""},
        ConverterCase{"input_total_length.vcf", "output_total_length.tsv", "TUMOR", ""},
        ConverterCase{"input_protein_altering_variants.vcf.gz",
                      "output_protein_altering_variants.tsv.gz", "TUMOR", ""},
        ConverterCase{"input_no_gene_name.vcf", "output_no_gene_name.tsv", "TUMOR", ""},
        ConverterCase{"input_wildtype_sequence_with_stop.vcf",
                      "output_wildtype_sequence_with_stop.tsv", "", ""}),
    [](const ::testing::TestParamInfo<ConverterCase>& param_info) {
      std::string name = param_info.param.input;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

// input_dash_csq_allele.vcf separates its #CHROM line with spaces. vcfpy accepts that; HTSlib
// (rightly, per the VCF spec) does not, so the file as shipped is an InputError naming the file.
// The same records with a tab-separated #CHROM line must give pVACseq's rows.
TEST(VcfReaderPvacseq, DashCsqAllele) {
  TILMATCH_REQUIRE_SHARED(dir, kConverterDir);
  const auto original = dir / "input_dash_csq_allele.vcf";
  io::VcfOptions options;
  options.path = original.string();
  options.biotypes.clear();
  try {
    read_all_rows(options);
    FAIL() << "expected InputError for the space-separated #CHROM line";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(original.string()), std::string::npos) << e.what();
  }

  std::string content = read_file(original);
  auto at = content.find("#CHROM ");
  ASSERT_NE(at, std::string::npos);
  auto end = content.find('\n', at);
  for (auto i = at; i < end; ++i) {
    if (content[i] == ' ') content[i] = '\t';
  }
  ScratchDir scratch;
  write_file(scratch / "fixed.vcf", content);
  options.path = (scratch / "fixed.vcf").string();
  auto rows = read_all_rows(options);
  expect_rows_equal(read_tsv((dir / "output_dash_csq_allele.tsv").string()), rows);
}

TEST(VcfReaderPvacseq, WildtypeWithStopIsSkippedAndCounted) {
  TILMATCH_REQUIRE_SHARED(dir, kConverterDir);
  io::VcfOptions options;
  options.biotypes.clear();
  options.path = (dir / "input_wildtype_sequence_with_stop.vcf").string();
  io::SkipCounts skips;
  auto rows = read_all_rows(options, &skips);
  EXPECT_TRUE(rows.empty());
  EXPECT_GT(skips.by_reason["wildtype_internal_stop"], 0);
}

TEST(VcfReaderPvacseq, UncalledGenotypeIsCounted) {
  TILMATCH_REQUIRE_SHARED(dir, kConverterDir);
  io::VcfOptions options;
  options.path = (dir / "input_uncalled_genotype.vcf").string();
  io::SkipCounts skips;
  auto rows = read_all_rows(options, &skips);
  EXPECT_TRUE(rows.empty());
  EXPECT_GT(skips.by_reason["genotype_not_called"], 0);
}

}  // namespace
}  // namespace tilmatch::test
