// ClonotypeList: the patient's clonotype table held compactly (include/tilmatch/clonotypes.hpp).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tilmatch/clonotypes.hpp"

namespace tilmatch {
namespace {

Tcr tcr(std::string cdr3b, std::string vb, std::string jb = "", std::string cdr3a = "", std::string va = "",
        std::string ja = "") {
  return Tcr{std::move(cdr3b), std::move(vb), std::move(jb), std::move(cdr3a), std::move(va), std::move(ja)};
}

void expect_same(const TcrView& got, const Tcr& want) {
  EXPECT_EQ(got.cdr3b, want.cdr3b);
  EXPECT_EQ(got.vb, want.vb);
  EXPECT_EQ(got.jb, want.jb);
  EXPECT_EQ(got.cdr3a, want.cdr3a);
  EXPECT_EQ(got.va, want.va);
  EXPECT_EQ(got.ja, want.ja);
}

TEST(ClonotypeList, GivesBackEveryFieldOfWhatWasAppended) {
  const std::vector<Tcr> in = {tcr("CASSLGQAYEQYF", "TRBV12-3", "TRBJ2-7*01"),
                               tcr("CASSF", "TRBV2", "", "CAVRDSNYQLIW", "TRAV1-2", "TRAJ33*01"),
                               tcr("", "", ""),  // every field empty
                               tcr("CASSLGQAYEQYF", "TRBV12-4", "TRBJ2-7*01")};
  ClonotypeList list;
  for (const Tcr& t : in) list.push_back(t);
  ASSERT_EQ(list.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) expect_same(list[i].tcr, in[i]);
  std::size_t n = 0;
  for (const Clonotype& c : list) expect_same(c.tcr, in[n++]);
  EXPECT_EQ(n, in.size());
}

// The merge appends millions of clonotypes while the ranking, the report and the writers hold
// views of earlier ones: they must survive every later append (new text blocks, new names).
TEST(ClonotypeList, ViewsStayValidAcrossLaterAppends) {
  ClonotypeList list;
  list.push_back(tcr("CASSIRSSYEQYF", "TRBV19", "TRBJ2-7"));
  const TcrView first = list[0].tcr;
  std::vector<Tcr> added;
  for (int i = 0; i < 200000; ++i) {  // several MiB of text and thousands of distinct names
    added.push_back(tcr("CASS" + std::to_string(i) + "YEQYF", "TRBV" + std::to_string(i % 5000), "TRBJ1-1"));
    list.push_back(added.back());
  }
  expect_same(first, tcr("CASSIRSSYEQYF", "TRBV19", "TRBJ2-7"));
  for (std::size_t i = 0; i < added.size(); i += 9973) expect_same(list[i + 1].tcr, added[i]);
  // A CDR3 longer than a text block gets a block of its own.
  const std::string huge(3u << 20, 'A');
  list.push_back(tcr(huge, "TRBV9"));
  list.push_back(tcr("CASSF", "TRBV9"));
  EXPECT_EQ(list[list.size() - 2].tcr.cdr3b, huge);
  EXPECT_EQ(list[list.size() - 1].tcr.cdr3b, "CASSF");
  expect_same(first, tcr("CASSIRSSYEQYF", "TRBV19", "TRBJ2-7"));
}

TEST(ClonotypeList, ACopyHoldsItsOwnStorage) {
  auto original = std::make_unique<ClonotypeList>(ClonotypeList{tcr("CASSF", "TRBV2", "TRBJ1-1"), tcr("CAST", "TRBV3")});
  ClonotypeList copy = *original;
  ClonotypeList assigned;
  assigned.push_back(tcr("CAWW", "TRBV30"));
  assigned = *original;
  original.reset();  // the copies' views must not point into it
  for (const ClonotypeList* l : {&copy, &assigned}) {
    ASSERT_EQ(l->size(), 2u);
    expect_same((*l)[0].tcr, tcr("CASSF", "TRBV2", "TRBJ1-1"));
    expect_same((*l)[1].tcr, tcr("CAST", "TRBV3"));
  }
  copy.push_back(tcr("CASSQ", "TRBV2"));  // a copy appends into blocks of its own
  EXPECT_EQ(copy[2].tcr.cdr3b, "CASSQ");
  EXPECT_EQ(assigned.size(), 2u);
  expect_same(assigned[1].tcr, tcr("CAST", "TRBV3"));
}

}  // namespace
}  // namespace tilmatch
