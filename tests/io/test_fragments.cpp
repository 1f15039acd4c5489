// Merging cultures' repertoires: counts that would corrupt frequencies, keys that cannot leak
// into each other, and manifest headers that would duplicate output columns (issue 12).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <string>
#include <vector>

#include "common/test_support.hpp"
#include "io/fragments.hpp"
#include "tilmatch/error.hpp"

using namespace tilmatch;
using namespace tilmatch::io;
using tilmatch::test::ScratchDir;
using tilmatch::test::write_file;

namespace {

FragmentEntry entry(const std::string& id, const std::string& path) {
  FragmentEntry e;
  e.id = id;
  e.path = path;
  return e;
}

Repertoire repertoire(std::vector<RepertoireRow> rows) {
  Repertoire r;
  r.format = RepertoireFormat::kTcrdist;
  r.rows = std::move(rows);
  return r;
}

RepertoireRow row(const std::string& cdr3b, const std::string& vb, double count, const std::string& cdr3a = "",
                  const std::string& va = "") {
  return RepertoireRow{Tcr{cdr3b, vb, "", cdr3a, va, ""}, count, ""};
}

/// The InputError message of `f`; "" (and a test failure) when it throws none.
template <typename F>
std::string input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return {};
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST(FragmentsMerge, KeyFieldsCannotShiftIntoEachOther) {
  // Before keys became a struct, a tab inside a V gene became a CDR3 alpha of its own.
  const ClonotypeTable t = merge_repertoires(
      {entry("F1", "f1.tsv")},
      {repertoire({row("CASSF", "TRBV9\tCAVRDSNYQLIW", 2), row("CASSF", "TRBV9", 3)})});
  ASSERT_EQ(t.clonotypes.size(), 2u);
  for (const Clonotype& c : t.clonotypes) {
    EXPECT_EQ(c.tcr.cdr3b, "CASSF");
    EXPECT_EQ(c.tcr.cdr3a, "") << "an alpha chain was invented from " << c.tcr.vb;
    EXPECT_EQ(c.tcr.va, "");
  }
  EXPECT_EQ(t.clonotypes[0].tcr.vb, "TRBV9");
  EXPECT_EQ(t.clonotypes[1].tcr.vb, "TRBV9\tCAVRDSNYQLIW");
}

TEST(FragmentsMerge, ClonotypesSortFieldByField) {
  const ClonotypeTable t = merge_repertoires(
      {entry("F1", "f1.tsv")},
      {repertoire({row("CASSF", "TRBV2", 1), row("CASSF", "TRBV10", 1), row("CASS", "TRBV9", 1),
                   row("CASSF", "TRBV2", 1, "CAVF", "TRAV1"), row("CASSF", "TRBV2*01", 1, "CAV", "TRAV1")})});
  std::vector<std::string> order;
  for (const Clonotype& c : t.clonotypes) order.push_back(c.tcr.to_tcr().cdr3b + "/" + c.tcr.to_tcr().vb + "/" + c.tcr.to_tcr().cdr3a);
  // (cdr3b, vb, cdr3a, va): a shorter field sorts before its extensions; alleles are merged.
  EXPECT_EQ(order, (std::vector<std::string>{"CASS/TRBV9/", "CASSF/TRBV10/", "CASSF/TRBV2/", "CASSF/TRBV2/CAV",
                                             "CASSF/TRBV2/CAVF"}));
}

// Clonotypes come in std::string order of their CDR3b whether they differ within its first 8
// residues, only past them, or one is a prefix of another, across cultures as within one (the sort
// and the merge decide most pairs on an integer of those 8 bytes).
TEST(FragmentsMerge, CdrsOrderAsStringsWithinAndPastTheirFirstEightResidues) {
  const std::vector<std::string> cdr3s = {"CASSLGQAYEQYF", "CASSLGQA", "CASSLGQ", "CASSLGQAYEQYW", "CASSLGQB",
                                          "CAS",           "CASSLGQAYEQ", "CASSLGQAZ", "CASSLGPAYEQYF", "CASSLGQAA"};
  std::vector<RepertoireRow> first, second;
  for (std::size_t i = 0; i < cdr3s.size(); ++i) (i % 2 ? first : second).push_back(row(cdr3s[i], "TRBV9", 1.0));
  first.push_back(row("CASSLGQAYEQYF", "TRBV9", 2.0));  // in both cultures
  const ClonotypeTable t = merge_repertoires({entry("F1", "f1.tsv"), entry("F2", "f2.tsv")},
                                             {repertoire(first), repertoire(second)});
  std::vector<std::string> got, want = cdr3s;
  for (const Clonotype& c : t.clonotypes) got.emplace_back(c.tcr.cdr3b);
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
  std::size_t in_both = 0;
  for (const auto& cell : t.counts) in_both += t.clonotypes[cell.clonotype].tcr.cdr3b == "CASSLGQAYEQYF" ? 1 : 0;
  EXPECT_EQ(in_both, 2u);
}

// Rows of one clonotype within a culture (alleles merged) sum in file order, keep the smallest J,
// and count once in the culture's distinct clonotypes; each clonotype's counts come in manifest
// order of the cultures, and its frequency is its count over the culture's total.
TEST(FragmentsMerge, RowsOfAClonotypeSumInFileOrderAcrossCulturesInManifestOrder) {
  auto with_j = [](RepertoireRow r, const std::string& jb) {
    r.tcr.jb = jb;
    return r;
  };
  const ClonotypeTable t = merge_repertoires(
      {entry("F2", "f2.tsv"), entry("F1", "f1.tsv"), entry("F3", "f3.tsv")},
      {repertoire({with_j(row("CASSF", "TRBV9*01", 0.1), "TRBJ2-1"), row("CASSG", "TRBV9", 1.0),
                   with_j(row("CASSF", "TRBV9*02", 0.2), "TRBJ1-1"), with_j(row("CASSF", "TRBV9", 0.3), "")}),
       repertoire({row("CASSG", "TRBV9", 2.0), with_j(row("CASSF", "TRBV9", 4.0), "TRBJ1-2")}),
       repertoire({row("CASSH", "TRBV9", 1.0)})});
  ASSERT_EQ(t.clonotypes.size(), 3u);
  EXPECT_EQ(t.clonotypes[0].tcr.cdr3b, "CASSF");
  EXPECT_EQ(t.clonotypes[0].tcr.vb, "TRBV9");
  EXPECT_EQ(t.clonotypes[0].tcr.jb, "TRBJ1-1");  // the smallest J over every culture
  ASSERT_EQ(t.fragments.size(), 3u);
  EXPECT_EQ(t.fragments[0].id, "F2");
  EXPECT_EQ(t.fragments[0].rows, 4);
  EXPECT_EQ(t.fragments[0].clonotypes, 2);
  EXPECT_EQ(t.fragments[0].total_count, ((0.1 + 1.0) + 0.2) + 0.3);
  EXPECT_EQ(t.fragments[1].clonotypes, 2);
  // Sorted by (clonotype, fragment): CASSF in F2 then F1, CASSG in F2 then F1, CASSH in F3.
  ASSERT_EQ(t.counts.size(), 5u);
  const std::vector<std::pair<std::uint32_t, std::uint32_t>> cells = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 2}};
  for (std::size_t i = 0; i < cells.size(); ++i) {
    EXPECT_EQ(t.counts[i].clonotype, cells[i].first) << i;
    EXPECT_EQ(t.counts[i].fragment, cells[i].second) << i;
  }
  EXPECT_EQ(t.counts[0].count, (0.1 + 0.2) + 0.3);  // in file order: not 0.1 + (0.2 + 0.3)
  EXPECT_NE((0.1 + 0.2) + 0.3, 0.1 + (0.2 + 0.3));  // so the order shows
  EXPECT_EQ(t.counts[0].frequency, ((0.1 + 0.2) + 0.3) / t.fragments[0].total_count);
  EXPECT_EQ(t.counts[1].count, 4.0);
  EXPECT_EQ(t.counts[1].frequency, 4.0 / 6.0);
  EXPECT_EQ(t.counts[4].frequency, 1.0);
}

// Each culture numbers its gene names as it meets them (the aggregation keeps each name once), so
// the same numbers name different genes in different cultures: keys still order and match by the
// names, across cultures as within one.
TEST(FragmentsMerge, GenesOrderAndMatchByNameWhateverOrderEachCultureMetThem) {
  auto with_j = [](RepertoireRow r, const std::string& jb) {
    r.tcr.jb = jb;
    return r;
  };
  const ClonotypeTable t = merge_repertoires(
      {entry("F1", "f1.tsv"), entry("F2", "f2.tsv")},
      {repertoire({with_j(row("CASSF", "TRBV20-1*01", 1), "TRBJ2-7*01"), row("CASSF", "TRBV10-1", 2),
                   row("CASSF", "TRBV10-1*02", 3, "CAVF", "TRAV1-2")}),
       repertoire({with_j(row("CASSF", "TRBV3-1", 4), "TRBJ2-1*01"), with_j(row("CASSF", "TRBV10-1", 5), "TRBJ1-1*01"),
                   with_j(row("CASSF", "TRBV20-1", 6), "TRBJ1-2*01"), row("CASSF", "TRBV10-1", 7, "CAVF", "TRAV1-2*01")})});
  std::vector<std::string> order;
  for (const Clonotype& c : t.clonotypes) {
    const Tcr x = c.tcr.to_tcr();
    order.push_back(x.vb + "/" + x.cdr3a + "/" + x.va + "/" + x.jb);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"TRBV10-1///TRBJ1-1*01", "TRBV10-1/CAVF/TRAV1-2/",
                                             "TRBV20-1///TRBJ1-2*01", "TRBV3-1///TRBJ2-1*01"}));
  std::vector<std::string> cells;
  for (const auto& c : t.counts) cells.push_back(std::to_string(c.clonotype) + ":" + std::to_string(c.fragment) + "=" +
                                                 std::to_string(static_cast<int>(c.count)));
  EXPECT_EQ(cells, (std::vector<std::string>{"0:0=2", "0:1=5", "1:0=3", "1:1=7", "2:0=1", "2:1=6", "3:1=4"}));
  EXPECT_EQ(t.fragments[0].clonotypes, 3);
  EXPECT_EQ(t.fragments[1].clonotypes, 4);
}

TEST(FragmentsMerge, CountsThatOverflowOrAreNotFiniteAreRefused) {
  std::string msg = input_error([] {
    merge_repertoires({entry("F1", "f1.tsv")}, {repertoire({row("CASSF", "TRBV9", 1e308), row("CASSG", "TRBV9", 1e308)})});
  });
  EXPECT_TRUE(has(msg, "f1.tsv, usable row 2: the counts of fragment 'F1' sum past")) << msg;
  msg = input_error([] {
    merge_repertoires({entry("F1", "f1.tsv")}, {repertoire({row("CASSF", "TRBV9", std::nan(""))})});
  });
  EXPECT_TRUE(has(msg, "f1.tsv, usable row 1: count NA of fragment 'F1' is not a finite non-negative number")) << msg;
  msg = input_error([] {
    merge_repertoires({entry("F1", "f1.tsv")}, {repertoire({row("CASSF", "TRBV9", -1)})});
  });
  EXPECT_TRUE(has(msg, "not a finite non-negative number")) << msg;
}

TEST(FragmentsLoad, OverflowingAndAllZeroCountsNameTheRepertoire) {
  ScratchDir d;
  const std::string header = "sequence_id\tlocus\tproductive\tv_call\tj_call\tjunction_aa\tduplicate_count\n";
  write_file(d / "ok.tsv", header + "s1\tTRB\tT\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t3\n");
  write_file(d / "big.tsv", header + "s1\tTRB\tT\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t1e308\n"
                                     "s2\tTRB\tT\tTRBV9*01\tTRBJ2-1*01\tCASSVGGNEQFF\t1e308\n");
  write_file(d / "zero.tsv", header + "s1\tTRB\tT\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t0\n");
  write_file(d / "m1.tsv", "fragment_id\tpath\nF1\tok.tsv\nF2\tbig.tsv\n");
  std::string msg = input_error([&] { load_fragments((d / "m1.tsv").string()); });
  EXPECT_TRUE(has(msg, (d / "big.tsv").string() + ", line 3, column 'duplicate_count'")) << msg;
  write_file(d / "m2.tsv", "fragment_id\tpath\nF1\tok.tsv\nF3\tzero.tsv\n");
  msg = input_error([&] { load_fragments((d / "m2.tsv").string()); });
  EXPECT_TRUE(has(msg, (d / "zero.tsv").string() + ": every count of fragment 'F3' is 0")) << msg;
}

TEST(FragmentsManifest, HeaderAndIdsThatWouldCorruptOutputsAreRefused) {
  ScratchDir d;
  write_file(d / "f1.tsv", "locus\tv_call\tj_call\tjunction_aa\tduplicate_count\n"
                           "TRB\tTRBV5-1*01\tTRBJ2-7*01\tCASSLGQAYEQYF\t30\n");
  write_file(d / "dup.tsv", "fragment_id\tpath\tsite\tsite\nF1\tf1.tsv\tliver\tlung\n");
  std::string msg = input_error([&] { read_manifest((d / "dup.tsv").string()); });
  EXPECT_TRUE(has(msg, "dup.tsv, header: column 'site' appears twice")) << msg;
  write_file(d / "tab.tsv", "fragment_id\tpath\t\"si\tte\"\nF1\tf1.tsv\tliver\n");
  msg = input_error([&] { read_manifest((d / "tab.tsv").string()); });
  EXPECT_TRUE(has(msg, "tab.tsv, header: column 3 has a tab")) << msg;
  write_file(d / "id.tsv", "fragment_id\tpath\n\"F\t1\"\tf1.tsv\n");
  msg = input_error([&] { read_manifest((d / "id.tsv").string()); });
  EXPECT_TRUE(has(msg, "id.tsv, line 2, column 'fragment_id': the value contains a tab")) << msg;
}

namespace tilmatch::io {
namespace {

TEST(FragmentsManifest, APathTooLongForTheFileSystemIsAnInputErrorNotACrash) {
  // Found by fuzz_screen: std::filesystem::is_regular_file threw filesystem_error (ENAMETOOLONG).
  ScratchDir d;
  tilmatch::test::write_file(d / "m.tsv", "fragment_id\tpath\nF1\t" + std::string(5000, 'x') + ".tsv\n");
  try {
    read_manifest((d / "m.tsv").string());
    FAIL() << "accepted a path of 5000 characters";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "line 2, column 'path'");
    EXPECT_NE(std::string(e.what()).find("not found"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tilmatch::io

// What the readers left out reaches run.json (summed by reason) and the report's notes (with the
// cultures): a culture that silently loses rows is a ranking the scientist cannot check.
TEST(FragmentSkips, SummedByReasonAndListedWithTheirCultures) {
  std::vector<FragmentSummary> fragments(3);
  fragments[0].id = "F01";
  fragments[0].skipped = {{"unsupported_locus", 1500}};
  fragments[1].id = "F02";
  fragments[2].id = "F03";
  fragments[2].skipped = {{"non_productive", 8}, {"unsupported_locus", 2}};
  const std::map<std::string, std::int64_t> expected{{"non_productive", 8}, {"unsupported_locus", 1502}};
  EXPECT_EQ(skipped_rows(fragments), expected);
  EXPECT_EQ(skipped_rows_text(fragments), "non_productive 8 (F03 8); unsupported_locus 1,502 (F01 1,500, F03 2)");
  fragments[0].skipped.clear();
  fragments[2].skipped.clear();
  EXPECT_TRUE(skipped_rows(fragments).empty());
  EXPECT_EQ(skipped_rows_text(fragments), "");
}

// Read from files: an AIRR repertoire without a locus column loses the rows whose V gene names no
// chain ("n.a."), and the count says so.
TEST(FragmentSkips, LoadFragmentsKeepsTheReadersCounts) {
  ScratchDir dir;
  write_file(dir / "F01.tsv",
             "sequence_id\tjunction_aa\tv_call\tduplicate_count\n"
             "a\tCASSLGQAYEQYF\tn.a.\t5\n"
             "b\tCASSLGQAYEQYF\tTRBV7-9*01\t3\n"
             "c\tCASSPGTGELFF\tTRBV6-5*01\t1\n");
  write_file(dir / "fragments.tsv", "fragment_id\tpath\nF01\tF01.tsv\n");
  const ClonotypeTable t = load_fragments((dir / "fragments.tsv").string(), 1);
  ASSERT_EQ(t.fragments.size(), 1u);
  EXPECT_EQ(t.fragments[0].rows, 2);
  EXPECT_EQ(skipped_rows_text(t.fragments), "unsupported_locus 1 (F01 1)");
}
