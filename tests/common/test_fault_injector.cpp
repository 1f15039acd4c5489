// The fault-injection hook: spec parsing and which call fails.

#include <gtest/gtest.h>

#include <cerrno>

#include "common/fault_injector.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::detail {
namespace {

TEST(FaultInjector, EmptySpecIsInert) {
  FaultInjector f("");
  EXPECT_FALSE(f.armed());
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(f.hit(FaultPoint::kRename));
}

TEST(FaultInjector, FailsExactlyTheKthCallOfItsPoint) {
  FaultInjector f("rename:3");
  EXPECT_FALSE(f.hit(FaultPoint::kRename));
  EXPECT_FALSE(f.hit(FaultPoint::kWrite));  // other points do not count towards rename
  EXPECT_FALSE(f.hit(FaultPoint::kRename));
  errno = 0;
  EXPECT_TRUE(f.hit(FaultPoint::kRename));
  EXPECT_EQ(errno, EIO);
  EXPECT_FALSE(f.hit(FaultPoint::kRename));
}

TEST(FaultInjector, EachPointSetsTheErrnoItsCallWouldGive) {
  FaultInjector f("write:1,fsync:1,exchange:1");
  errno = 0;
  EXPECT_TRUE(f.hit(FaultPoint::kWrite));
  EXPECT_EQ(errno, ENOSPC);
  EXPECT_TRUE(f.hit(FaultPoint::kFsync));
  EXPECT_EQ(errno, EIO);
  EXPECT_TRUE(f.hit(FaultPoint::kExchange));
  EXPECT_EQ(errno, EINVAL);  // what a filesystem without RENAME_EXCHANGE answers
}

TEST(FaultInjector, RearmRestartsTheCount) {
  FaultInjector f("fsync:2");
  EXPECT_FALSE(f.hit(FaultPoint::kFsync));
  f.rearm("fsync:1");
  EXPECT_TRUE(f.hit(FaultPoint::kFsync));
  f.rearm("");
  EXPECT_FALSE(f.armed());
}

TEST(FaultInjector, MalformedSpecsAreUsageErrors) {
  for (const char* spec : {"rename", "rename:0", "rename:x", "unlink:1", "rename:1:explode", "rename:-1", ":1"}) {
    EXPECT_THROW(FaultInjector{spec}, UsageError) << spec;
  }
}

}  // namespace
}  // namespace tilmatch::detail
