// VcfReader on tiny fixtures written by the tests: file formats, bad input, allele edge cases.

#include <gtest/gtest.h>
#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/vcf.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/test_support.hpp"
#include "io/csq.hpp"
#include "io/vcf_reader.hpp"
#include "io/vcf_test_util.hpp"
#include "tilmatch/error.hpp"
#include "tilmatch/log.hpp"

namespace tilmatch::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCsqFormat =
    "Allele|Consequence|SYMBOL|Gene|Feature|BIOTYPE|Protein_position|Amino_acids|Codons|TSL|"
    "HGVSc|HGVSp|CANONICAL|FLAGS|WildtypeProtein|FrameshiftSequence";

std::string header(const std::string& csq_format = kCsqFormat, const std::string& samples = "TUMOR",
                   bool with_csq = true) {
  std::string h =
      "##fileformat=VCFv4.2\n"
      "##reference=GRCh38\n"
      "##contig=<ID=chr1,length=1000000>\n"
      "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
      "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
      "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">\n";
  if (with_csq) {
    h += "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from Ensembl VEP. "
         "Format: " + csq_format + "\">\n";
  }
  h += "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + samples + "\n";
  return h;
}

// One CSQ entry in kCsqFormat order.
std::string csq(const std::string& allele, const std::string& consequence, const std::string& feature,
                const std::string& ppos, const std::string& aa, const std::string& wt = "MPKLAAGVR",
                const std::string& fs = "", const std::string& flags = "",
                const std::string& biotype = "protein_coding") {
  return allele + "|" + consequence + "|GENE1|ENSG1|" + feature + "|" + biotype + "|" + ppos + "|" + aa +
         "|cCc/cTc|1|" + feature + ":c.5C%3ET|p.Pro2Leu|YES|" + flags + "|" + wt + "|" + fs;
}

std::string record(int pos, const std::string& ref, const std::string& alt, const std::string& csqs,
                   const std::string& gt = "0/1", const std::string& filter = "PASS") {
  return "chr1\t" + std::to_string(pos) + "\t.\t" + ref + "\t" + alt + "\t.\t" + filter + "\tCSQ=" + csqs +
         "\tGT:DP:AD\t" + gt + ":20:15,5\n";
}

// A small valid file with three records, ten rows' worth of variety.
std::string basic_vcf() {
  std::string v = header();
  v += record(100, "C", "T", csq("T", "missense_variant", "TX1", "2/9", "P/L") + "," +
                                 csq("T", "missense_variant", "TX2", "2/9", "P/L"));
  v += record(200, "CA", "C", csq("-", "frameshift_variant", "TX1", "4/9", "K/X", "MPKLAAGVR", "MPKW"));
  v += record(300, "G", "GAAA", csq("AAA", "inframe_insertion", "TX1", "5-6/9", "A/AK"));
  return v;
}

io::VcfOptions options_for(const fs::path& path) {
  io::VcfOptions o;
  o.path = path.string();
  return o;
}

template <typename E>
std::string expect_error(const io::VcfOptions& options) {
  try {
    read_all_rows(options);
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
    return {};
  }
  ADD_FAILURE() << "no exception";
  return {};
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

void expect_same_rows(const std::vector<VariantTranscript>& a, const std::vector<VariantTranscript>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(to_columns(a[i]), to_columns(b[i])) << "row " << i;
}

TEST(VcfReaderInputs, BasicRowsAreAsPvacseq) {
  ScratchDir dir;
  write_file(dir / "in.vcf", basic_vcf());
  auto rows = read_all_rows(options_for(dir / "in.vcf"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].index, "1.GENE1.TX1.missense.2P/L");
  EXPECT_EQ(rows[1].index, "2.GENE1.TX2.missense.2P/L");
  EXPECT_EQ(rows[0].start, 99);
  EXPECT_EQ(rows[0].stop, 100);
  EXPECT_EQ(rows[0].hgvsc, "TX1:c.5C>T");  // %3E decoded
  EXPECT_EQ(rows[0].transcript_support_level, "1");  // ##reference=GRCh38
  EXPECT_EQ(rows[0].canonical, "True");
  EXPECT_EQ(rows[0].mane_select, "Not Run");
  EXPECT_EQ(rows[0].tdna_depth.text, "20");
  EXPECT_EQ(rows[0].tdna_vaf.text, "0.25");  // AD alt / DP (Number=R)
  EXPECT_EQ(rows[2].index, "3.GENE1.TX1.FS.4CA/C");
  EXPECT_EQ(rows[2].start, 200);  // deletion: affected_start + 1
  EXPECT_EQ(rows[2].stop, 201);
  EXPECT_EQ(rows[2].protein_length_change, "-5");
  EXPECT_EQ(rows[3].variant_type, VariantType::kInframeIns);
  EXPECT_EQ(rows[3].start, 300);  // insertion-only record: affected_start = POS
  EXPECT_EQ(rows[3].stop, 300);
  EXPECT_EQ(rows[3].protein_position, "5-6");
}

TEST(VcfReaderInputs, VcfBgzfAndBcfGiveIdenticalRows) {
  ScratchDir dir;
  write_file(dir / "in.vcf", basic_vcf());
  convert_vcf(dir / "in.vcf", dir / "in.vcf.gz", "wz");
  convert_vcf(dir / "in.vcf", dir / "in.bcf", "wb");
  auto plain = read_all_rows(options_for(dir / "in.vcf"));
  ASSERT_EQ(plain.size(), 4u);
  expect_same_rows(plain, read_all_rows(options_for(dir / "in.vcf.gz")));
  expect_same_rows(plain, read_all_rows(options_for(dir / "in.bcf")));
}

TEST(VcfReaderInputs, Hcc1395AsBcfMatchesVcfGz) {
  TILMATCH_REQUIRE_SHARED(vcf, "pvacseq_example/hcc1395/annotated.expression.vcf.gz");
  ScratchDir dir;
  convert_vcf(vcf, dir / "hcc.bcf", "wb");
  auto opts = options_for(vcf);
  opts.sample = "HCC1395_TUMOR_DNA";
  opts.normal_sample = "HCC1395_NORMAL_DNA";
  auto a = read_all_rows(opts);
  opts.path = (dir / "hcc.bcf").string();
  auto b = read_all_rows(opts);
  EXPECT_EQ(a.size(), 955u);
  expect_same_rows(a, b);
}

TEST(VcfReaderInputs, TruncatedPlainVcfNamesFileAndLastRecord) {
  ScratchDir dir;
  std::string text = basic_vcf();
  // Cut inside the third record, after its INFO started.
  auto third = text.find("chr1\t300");
  ASSERT_NE(third, std::string::npos);
  write_file(dir / "cut.vcf", text.substr(0, third + 20));
  auto msg = expect_error<InputError>(options_for(dir / "cut.vcf"));
  EXPECT_TRUE(contains(msg, (dir / "cut.vcf").string())) << msg;
  EXPECT_TRUE(contains(msg, "after chr1:200")) << msg;
}

TEST(VcfReaderInputs, TruncatedBgzfNamesFile) {
  ScratchDir dir;
  std::string text = header();
  // Enough records to span several BGZF blocks.
  for (int i = 0; i < 3000; ++i) {
    text += record(1000 + i, "C", "T", csq("T", "missense_variant", "TX" + std::to_string(i), "2/9", "P/L"));
  }
  write_file(dir / "in.vcf", text);
  convert_vcf(dir / "in.vcf", dir / "in.vcf.gz", "wz");
  std::string gz = read_file(dir / "in.vcf.gz");
  ASSERT_GT(text.size(), 4u * 65536u);  // several BGZF blocks
  ASSERT_GT(gz.size(), 10000u);
  write_file(dir / "cut.vcf.gz", gz.substr(0, gz.size() / 2));
  auto msg = expect_error<InputError>(options_for(dir / "cut.vcf.gz"));
  EXPECT_TRUE(contains(msg, (dir / "cut.vcf.gz").string())) << msg;
  EXPECT_TRUE(contains(msg, "after chr1:")) << msg;
}

TEST(VcfReaderInputs, WrongSampleListsSamples) {
  ScratchDir dir;
  write_file(dir / "in.vcf", basic_vcf());
  auto opts = options_for(dir / "in.vcf");
  opts.sample = "NOPE";
  auto msg = expect_error<InputError>(opts);
  EXPECT_TRUE(contains(msg, (dir / "in.vcf").string())) << msg;
  EXPECT_TRUE(contains(msg, "NOPE")) << msg;
  EXPECT_TRUE(contains(msg, "TUMOR")) << msg;
}

TEST(VcfReaderInputs, MultiSampleNeedsSampleAndValidNormal) {
  ScratchDir dir;
  std::string v = header(kCsqFormat, "NORMAL\tTUMOR");
  v += "chr1\t100\t.\tC\tT\t.\tPASS\tCSQ=" + csq("T", "missense_variant", "TX1", "2/9", "P/L") +
       "\tGT:DP:AD\t0/0:30:30,0\t0/1:20:10,10\n";
  write_file(dir / "in.vcf", v);
  auto opts = options_for(dir / "in.vcf");
  auto msg = expect_error<InputError>(opts);
  EXPECT_TRUE(contains(msg, "NORMAL, TUMOR")) << msg;
  opts.sample = "TUMOR";
  opts.normal_sample = "GERMLINE";
  msg = expect_error<InputError>(opts);
  EXPECT_TRUE(contains(msg, "GERMLINE")) << msg;
  opts.normal_sample = "NORMAL";
  auto rows = read_all_rows(opts);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].tdna_vaf.text, "0.5");
  EXPECT_EQ(rows[0].normal_depth.text, "30");
  EXPECT_EQ(rows[0].normal_vaf.text, "0.0");
}

TEST(VcfReaderInputs, HeaderWithoutCsq) {
  ScratchDir dir;
  write_file(dir / "in.vcf", header(kCsqFormat, "TUMOR", false));
  auto msg = expect_error<InputError>(options_for(dir / "in.vcf"));
  EXPECT_TRUE(contains(msg, (dir / "in.vcf").string())) << msg;
  EXPECT_TRUE(contains(msg, "CSQ")) << msg;
}

TEST(VcfReaderInputs, CsqWithoutPluginFields) {
  ScratchDir dir;
  write_file(dir / "wt.vcf", header("Allele|Consequence|SYMBOL|Gene|Feature|BIOTYPE|Protein_position|"
                                    "Amino_acids|TSL|FrameshiftSequence"));
  auto msg = expect_error<InputError>(options_for(dir / "wt.vcf"));
  EXPECT_TRUE(contains(msg, (dir / "wt.vcf").string())) << msg;
  EXPECT_TRUE(contains(msg, "WildtypeProtein")) << msg;
  EXPECT_TRUE(contains(msg, "Frameshift plugins")) << msg;

  write_file(dir / "fs.vcf", header("Allele|Consequence|SYMBOL|Gene|Feature|BIOTYPE|Protein_position|"
                                    "Amino_acids|TSL|WildtypeProtein"));
  msg = expect_error<InputError>(options_for(dir / "fs.vcf"));
  EXPECT_TRUE(contains(msg, "FrameshiftSequence")) << msg;
  EXPECT_FALSE(contains(msg, "WildtypeProtein")) << msg;
}

TEST(VcfReaderInputs, NoGtFormat) {
  ScratchDir dir;
  std::string h = header();
  auto at = h.find("##FORMAT=<ID=GT");
  h.erase(at, h.find('\n', at) - at + 1);
  write_file(dir / "in.vcf", h);
  auto msg = expect_error<InputError>(options_for(dir / "in.vcf"));
  EXPECT_TRUE(contains(msg, "GT")) << msg;
}

TEST(VcfReaderInputs, MalformedCsqEntriesAreSkippedAndCounted) {
  ScratchDir dir;
  std::string v = header();
  v += record(100, "C", "T", "T|missense_variant|GENE1|too|few," +
                                 csq("T", "missense_variant", "TX2", "2/9", "P/L"));
  write_file(dir / "in.vcf", v);
  io::SkipCounts skips;
  auto rows = read_all_rows(options_for(dir / "in.vcf"), &skips);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].transcript_name, "TX2");
  EXPECT_EQ(rows[0].index, "1.GENE1.TX2.missense.2P/L");
  EXPECT_EQ(skips.by_reason["malformed_csq"], 1);
}

TEST(VcfReaderInputs, NonAcgtAndSymbolicAllelesAreSkipped) {
  ScratchDir dir;
  std::string v = header();
  v += record(100, "C", "R", csq("R", "missense_variant", "TX1", "2/9", "P/L"));
  v += record(200, "C", "<DEL>", csq("deletion", "frameshift_variant", "TX1", "4/9", "K/X", "MPK", "MP"));
  v += record(300, "C", "C[chr1:500[", csq("C[chr1:500[", "missense_variant", "TX1", "2/9", "P/L"));
  v += record(400, "C", "T", csq("T", "missense_variant", "TX1", "2/9", "P/L"));
  write_file(dir / "in.vcf", v);
  io::SkipCounts skips;
  auto rows = read_all_rows(options_for(dir / "in.vcf"), &skips);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].pos, 400);
  EXPECT_EQ(skips.by_reason["non_acgt_allele"], 1);
  EXPECT_EQ(skips.by_reason["symbolic_allele"], 2);
}

TEST(VcfReaderInputs, MultiAllelicUsesOnlyAltsInGenotype) {
  ScratchDir dir;
  std::string v = header();
  const std::string csqs = csq("T", "missense_variant", "TX1", "2/9", "P/L") + "," +
                           csq("G", "missense_variant", "TX1", "2/9", "P/R") + "," +
                           csq("A", "missense_variant", "TX1", "2/9", "P/H");
  // GT 1/2: T and G are called, A is not. AD is Number=R: ref,T,G,A.
  v += "chr1\t100\t.\tC\tT,G,A\t.\tPASS\tCSQ=" + csqs + "\tGT:DP:AD\t1/2:40:10,20,10,0\n";
  write_file(dir / "in.vcf", v);
  io::SkipCounts skips;
  auto rows = read_all_rows(options_for(dir / "in.vcf"), &skips);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].variant, "T");
  EXPECT_EQ(rows[0].amino_acid_change, "P/L");
  EXPECT_EQ(rows[0].tdna_vaf.text, "0.5");
  EXPECT_EQ(rows[1].variant, "G");
  EXPECT_EQ(rows[1].amino_acid_change, "P/R");
  EXPECT_EQ(rows[1].tdna_vaf.text, "0.25");
  EXPECT_EQ(rows[1].index, "2.GENE1.TX1.missense.2P/R");
  EXPECT_EQ(skips.by_reason["alt_not_in_genotype"], 1);
}

TEST(VcfReaderInputs, CountingSkipsAndIndexNumbering) {
  ScratchDir dir;
  std::string v = header();
  v += record(100, "C", "T", csq("T", "missense_variant", "TX1", "2/9", "P/L", "MPKLAAGVR", "", "",
                                 "nonsense_mediated_decay") + "," +  // numbered, then dropped
                                 csq("T", "missense_variant", "TX2", "2/9", "P/L", "MP*K") + "," +  // same
                                 csq("T", "missense_variant", "TX3", "2/9", "P/L", "MPK", "",
                                     "cds_start_NF") + "," +  // dropped before numbering
                                 csq("T", "synonymous_variant", "TX4", "2/9", "P") + "," +
                                 csq("T", "missense_variant", "TX5", "-", "P/L") + "," +
                                 csq("T", "missense_variant", "TX6", "2/9", "P/L"));
  v += record(200, "C", "T", csq("T", "missense_variant", "TX1", "2/9", "P/L"), "./.");
  v += record(300, "C", "T", csq("T", "missense_variant", "TX1", "2/9", "P/L"), "0/1", "LowQual");
  v += "chr1\t400\t.\tC\tT\t.\tPASS\tDP=3\tGT:DP:AD\t0/1:20:15,5\n";
  write_file(dir / "in.vcf", v);
  auto opts = options_for(dir / "in.vcf");
  opts.pass_only = true;
  io::SkipCounts skips;
  // Exercise the --verbose skip messages too.
  const auto saved_level = log::level();
  log::set_level(log::Level::kDebug);
  testing::internal::CaptureStderr();
  auto rows = read_all_rows(opts, &skips);
  const std::string logged = testing::internal::GetCapturedStderr();
  log::set_level(saved_level);
  EXPECT_TRUE(contains(logged, "chr1:100 alt T transcript TX3: skipped (incomplete_cds)")) << logged;
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].index, "3.GENE1.TX6.missense.2P/L");
  EXPECT_EQ(skips.by_reason["biotype_excluded"], 1);
  EXPECT_EQ(skips.by_reason["wildtype_internal_stop"], 1);
  EXPECT_EQ(skips.by_reason["incomplete_cds"], 1);
  EXPECT_EQ(skips.by_reason["unsupported_consequence"], 1);
  EXPECT_EQ(skips.by_reason["no_protein_position"], 1);
  EXPECT_EQ(skips.by_reason["genotype_not_called"], 1);
  EXPECT_EQ(skips.by_reason["filtered_not_pass"], 1);
  EXPECT_EQ(skips.by_reason["no_csq"], 1);

  opts.allow_incomplete_transcripts = true;
  rows = read_all_rows(opts);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].transcript_cds_flags, "cds_start_NF");
  EXPECT_EQ(rows[1].transcript_cds_flags, "None");
}

// Found by fuzz/fuzz_vcf_peptides: a depth read as text (DP not typed Integer) beyond int64's range
// was converted to int64 (undefined behaviour); it prints as Python prints the float.
TEST(VcfReaderInputs, TextDepthBeyondInt64PrintsAsAFloat) {
  ScratchDir dir;
  std::string v = header();
  v.replace(v.find("ID=DP,Number=1,Type=Integer"), 27, "ID=DP,Number=1,Type=String");
  v += "chr1\t100\t.\tC\tT\t.\tPASS\tCSQ=" + csq("T", "missense_variant", "TX1", "2/9", "P/L") +
       "\tGT:DP:AD\t0/1:9.2e45:15,5\n";
  v += "chr1\t200\t.\tC\tT\t.\tPASS\tCSQ=" + csq("T", "missense_variant", "TX2", "2/9", "P/L") +
       "\tGT:DP:AD\t0/1:20:15,5\n";
  write_file(dir / "in.vcf", v);
  auto rows = read_all_rows(options_for(dir / "in.vcf"));
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_TRUE(rows[0].tdna_depth.value.has_value());
  EXPECT_DOUBLE_EQ(*rows[0].tdna_depth.value, 9.2e45);
  EXPECT_EQ(rows[0].tdna_depth.text, "9.2e+45");  // Python: repr(9.2e45)
  EXPECT_EQ(rows[1].tdna_depth.text, "20");
}

TEST(VcfReaderInputs, EmptyVcfGivesNoRows) {
  ScratchDir dir;
  write_file(dir / "in.vcf", header());
  io::VcfReader reader(options_for(dir / "in.vcf"));
  std::vector<VariantTranscript> rows;
  EXPECT_FALSE(reader.next(rows));
  EXPECT_TRUE(rows.empty());
  EXPECT_EQ(reader.records_read(), 0);
  EXPECT_EQ(reader.sample(), "TUMOR");
  EXPECT_TRUE(reader.is_build38());
}

TEST(VcfReaderInputs, NonexistentPath) {
  ScratchDir dir;
  auto msg = expect_error<IoError>(options_for(dir / "missing.vcf"));
  EXPECT_TRUE(contains(msg, (dir / "missing.vcf").string())) << msg;
}

TEST(Csq, ParsesDescriptionAndDecodesHex) {
  auto layout = io::detail::parse_csq_description("\"Consequence annotations. Format: Allele|Gene|TSL\"");
  ASSERT_TRUE(layout);
  EXPECT_EQ(layout->fields.size(), 3u);
  EXPECT_EQ(layout->allele, 0);
  EXPECT_EQ(layout->tsl, 2);
  EXPECT_EQ(layout->feature, -1);
  EXPECT_FALSE(io::detail::parse_csq_description("no format here"));
  EXPECT_EQ(io::detail::decode_percent_hex("c.1%3DA%2c%"), "c.1=A%2c%");
}

TEST(Csq, ResolveConsequenceAsPvacseq) {
  using io::detail::resolve_consequence;
  EXPECT_EQ(resolve_consequence("missense_variant", 1, 1), VariantType::kMissense);
  EXPECT_EQ(resolve_consequence("Missense_Variant&NMD_transcript_variant", 1, 1), VariantType::kMissense);
  EXPECT_EQ(resolve_consequence("frameshift_variant&missense_variant", 2, 1), VariantType::kFrameshift);
  EXPECT_EQ(resolve_consequence("start_lost&missense_variant", 1, 1), std::nullopt);
  EXPECT_EQ(resolve_consequence("stop_retained_variant&frameshift_variant", 2, 1), std::nullopt);
  EXPECT_EQ(resolve_consequence("inframe_insertion", 1, 4), VariantType::kInframeIns);
  EXPECT_EQ(resolve_consequence("inframe_deletion", 4, 1), VariantType::kInframeDel);
  EXPECT_EQ(resolve_consequence("protein_altering_variant", 7, 1), VariantType::kInframeDel);
  EXPECT_EQ(resolve_consequence("protein_altering_variant", 1, 4), VariantType::kInframeIns);
  EXPECT_EQ(resolve_consequence("protein_altering_variant", 1, 3), std::nullopt);
  EXPECT_EQ(resolve_consequence("protein_altering_variant", 3, 3), std::nullopt);
  EXPECT_EQ(resolve_consequence("synonymous_variant", 1, 1), std::nullopt);
}

TEST(Csq, AlleleAndProteinPosition) {
  using io::detail::csq_allele_for;
  using io::detail::protein_position_of;
  EXPECT_EQ(csq_allele_for("C", "T"), "T");
  EXPECT_EQ(csq_allele_for("CA", "C"), "-");
  EXPECT_EQ(csq_allele_for("CAT", "CA"), "A");
  EXPECT_EQ(csq_allele_for("G", "GAAA"), "AAA");
  EXPECT_EQ(csq_allele_for("G", "TAAA"), "TAAA");
  EXPECT_EQ(protein_position_of("58/312"), "58");
  EXPECT_EQ(protein_position_of("495-502/900"), "495-502");
  EXPECT_EQ(protein_position_of("-/312"), "312");
  EXPECT_EQ(protein_position_of("58"), "58");
  EXPECT_EQ(protein_position_of("-"), "-");
  EXPECT_EQ(protein_position_of(""), "");
}

TEST(VcfReaderInputs, GenotypeNamingMissingAlleleIsAnError) {
  ScratchDir dir;
  std::string v = header();
  v += record(100, "C", "T", csq("T", "missense_variant", "TX1", "2/9", "P/L"), "0/3");
  write_file(dir / "in.vcf", v);
  auto msg = expect_error<InputError>(options_for(dir / "in.vcf"));
  EXPECT_TRUE(contains(msg, (dir / "in.vcf").string())) << msg;
  EXPECT_TRUE(contains(msg, "chr1:100")) << msg;
}

// ---- records HTSlib reads without an error but with data lost (issue 12) ----

namespace strict {

/// Writes `text` BGZF-compressed as it stands (convert_vcf would parse and repair it first).
void write_bgzf(const fs::path& path, const std::string& text) {
  BGZF* fp = bgzf_open(path.c_str(), "w");
  ASSERT_NE(fp, nullptr);
  ASSERT_EQ(bgzf_write(fp, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ASSERT_EQ(bgzf_close(fp), 0);
}

/// basic_vcf() with the record at POS 200 cut inside its CSQ and joined to the next line, as a
/// file whose newline was lost mid-copy: 8 header lines, so the joined record is line 10.
std::string joined_vcf() {
  std::string text = basic_vcf();
  const auto second = text.find("chr1\t200");
  const auto cut = text.find("frameshift", second);
  const auto next_line = text.find('\n', second) + 1;
  return text.substr(0, cut) + text.substr(next_line);
}

TEST(VcfReaderStrict, JoinedLineIsRefusedAsVcfAndVcfGzNamingItsLine) {
  ScratchDir dir;
  const std::string text = joined_vcf();
  write_file(dir / "joined.vcf", text);
  write_bgzf(dir / "joined.vcf.gz", text);
  for (const char* name : {"joined.vcf", "joined.vcf.gz"}) {
    const auto msg = expect_error<InputError>(options_for(dir / name));
    EXPECT_TRUE(contains(msg, (dir / name).string() + ", chr1:200 (line 10): 17 tab-separated columns where the "
                                                      "header has 10")) << msg;
    EXPECT_TRUE(contains(msg, "after chr1:100 looks cut short and joined to the next line")) << msg;
  }
}

TEST(VcfReaderStrict, ShortOrLongRecordsAndBlankLinesAreRefused) {
  ScratchDir dir;
  std::string v = header() + record(100, "C", "T", csq("T", "missense_variant", "TX1", "2/9", "P/L"));
  write_file(dir / "extra.vcf", header() + v.substr(header().size(), v.size() - header().size() - 1) + "\t0/1\n");
  auto msg = expect_error<InputError>(options_for(dir / "extra.vcf"));
  EXPECT_TRUE(contains(msg, "extra.vcf, chr1:100 (line 9): 11 tab-separated columns")) << msg;
  write_file(dir / "blank.vcf", v + "\n" + record(200, "C", "T", csq("T", "missense_variant", "TX1", "2/9", "P/L")));
  msg = expect_error<InputError>(options_for(dir / "blank.vcf"));
  EXPECT_TRUE(contains(msg, "blank.vcf, line 10: an empty line where the header has 10")) << msg;
  write_file(dir / "short.vcf", header() + "chr1\t100\t.\tC\tT\t.\tPASS\tCSQ=" +
                                    csq("T", "missense_variant", "TX1", "2/9", "P/L") + "\n");
  msg = expect_error<InputError>(options_for(dir / "short.vcf"));
  EXPECT_TRUE(contains(msg, "short.vcf, chr1:100 (line 9): 8 tab-separated columns")) << msg;
  EXPECT_TRUE(contains(msg, "the first record is truncated or cut short")) << msg;
}

TEST(VcfReaderStrict, PosBelowOneIsRefusedInEveryForm) {
  for (const char* pos : {"0", "-1"}) {
    ScratchDir dir;
    std::string v = basic_vcf();
    v.replace(v.find("chr1\t200") + 5, 3, pos);
    write_file(dir / "in.vcf", v);
    write_bgzf(dir / "in.vcf.gz", v);
    for (const char* name : {"in.vcf", "in.vcf.gz"}) {
      const auto msg = expect_error<InputError>(options_for(dir / name));
      EXPECT_TRUE(contains(msg, (dir / name).string() + ", chr1:" + pos + " (line 10): POS " + pos + " is below 1"))
          << msg;
    }
    if (std::string(pos) == "0") {
      // HTSlib writes POS 0 to BCF as it reads it; the BCF record is refused in turn.
      convert_vcf(dir / "in.vcf", dir / "in.bcf", "wb");
      const auto msg = expect_error<InputError>(options_for(dir / "in.bcf"));
      EXPECT_TRUE(contains(msg, (dir / "in.bcf").string() + ", chr1:0: POS 0 is below 1")) << msg;
    }
  }
}

TEST(VcfReaderStrict, BcfRecordWithMoreSamplesThanItsHeaderIsRefused) {
  ScratchDir dir;
  // Records of a two-sample file written under a one-sample header: HTSlib reads them silently.
  std::string two = header(kCsqFormat, "TUMOR\tNORMAL");
  two += "chr1\t100\t.\tC\tT\t.\tPASS\tCSQ=" + csq("T", "missense_variant", "TX1", "2/9", "P/L") +
         "\tGT:DP:AD\t0/1:20:15,5\t0/0:20:20,0\n";
  write_file(dir / "two.vcf", two);
  write_file(dir / "one.vcf", header());  // the same tags in the same order, one sample
  htsFile* in_two = hts_open((dir / "two.vcf").c_str(), "r");
  htsFile* in_one = hts_open((dir / "one.vcf").c_str(), "r");
  ASSERT_TRUE(in_two && in_one);
  bcf_hdr_t* hdr_two = bcf_hdr_read(in_two);
  bcf_hdr_t* hdr_one = bcf_hdr_read(in_one);
  ASSERT_TRUE(hdr_two && hdr_one);
  htsFile* out = hts_open((dir / "bad.bcf").c_str(), "wb");
  ASSERT_EQ(bcf_hdr_write(out, hdr_one), 0);
  bcf1_t* rec = bcf_init();
  ASSERT_EQ(bcf_read(in_two, hdr_two, rec), 0);
  ASSERT_EQ(bcf_write(out, hdr_two, rec), 0);
  bcf_destroy(rec);
  ASSERT_EQ(hts_close(out), 0);
  hts_close(in_two);
  hts_close(in_one);
  bcf_hdr_destroy(hdr_one);
  bcf_hdr_destroy(hdr_two);
  const auto msg = expect_error<InputError>(options_for(dir / "bad.bcf"));
  EXPECT_TRUE(contains(msg, (dir / "bad.bcf").string() + ", chr1:100: the record has 2 samples where the header "
                                                         "has 1")) << msg;
}

TEST(VcfReaderStrict, ValidFilesStillReadInEveryForm) {
  ScratchDir dir;
  write_file(dir / "in.vcf", basic_vcf());
  write_bgzf(dir / "in.vcf.gz", basic_vcf());
  convert_vcf(dir / "in.vcf", dir / "in.bcf", "wb");
  for (const char* name : {"in.vcf", "in.vcf.gz", "in.bcf"}) {
    EXPECT_EQ(read_all_rows(options_for(dir / name)).size(), 4u) << name;
  }
}

}  // namespace strict

}  // namespace
}  // namespace tilmatch::test
