// NamePool: one number per distinct name in order of first appearance, 0 the empty name; views
// that survive later additions and moves; copies with storage of their own.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tilmatch/name_pool.hpp"

namespace tilmatch {
namespace {

TEST(NamePool, NumbersNamesInOrderOfFirstAppearance) {
  NamePool pool;
  EXPECT_EQ(pool.size(), 1u);
  EXPECT_EQ(pool[0], "");
  EXPECT_EQ(pool.intern(""), 0u);
  EXPECT_EQ(pool.intern("TRBV5-1*01"), 1u);
  EXPECT_EQ(pool.intern("TRBJ2-7*01"), 2u);
  EXPECT_EQ(pool.intern("TRBV5-1*01"), 1u);
  EXPECT_EQ(pool.intern(std::string("TRBV5-1") + "*01"), 1u);  // by content, not address
  EXPECT_EQ(pool.intern("TRBV5-1"), 3u);                      // a prefix is another name
  EXPECT_EQ(pool.size(), 4u);
  EXPECT_EQ(pool[1], "TRBV5-1*01");
  EXPECT_EQ(pool[3], "TRBV5-1");
}

TEST(NamePool, ViewsSurviveAdditionsAndMoves) {
  NamePool pool;
  const std::string_view first = pool[pool.intern("TRBV24/OR9-2*01")];
  for (int i = 0; i < 100000; ++i) pool.intern("TRBV" + std::to_string(i) + "-a-name-longer-than-sso");
  EXPECT_EQ(first, "TRBV24/OR9-2*01");
  EXPECT_EQ(pool.intern("TRBV24/OR9-2*01"), 1u);
  NamePool moved = std::move(pool);
  EXPECT_EQ(first, "TRBV24/OR9-2*01");
  EXPECT_EQ(moved.intern("TRBV99-a-name-longer-than-sso"), 101u);
  EXPECT_EQ(moved.size(), 100002u);
}

TEST(NamePool, CopiesAreIndependentOfTheOriginal) {
  auto original = std::make_unique<NamePool>();
  original->intern("TRAV1-2*01");
  original->intern("TRAJ33*01");
  NamePool copy = *original;
  NamePool assigned;
  assigned.intern("something else");
  assigned = *original;
  original.reset();  // the copies must not view the original's storage
  for (const NamePool* p : {&copy, &assigned}) {
    EXPECT_EQ(p->size(), 3u);
    EXPECT_EQ((*p)[1], "TRAV1-2*01");
    EXPECT_EQ((*p)[2], "TRAJ33*01");
  }
  EXPECT_EQ(copy.intern("TRAJ33*01"), 2u);  // the copy's index finds its own names
  EXPECT_EQ(copy.intern("TRAV12-2*01"), 3u);
  EXPECT_EQ(assigned.size(), 3u);
}

}  // namespace
}  // namespace tilmatch
