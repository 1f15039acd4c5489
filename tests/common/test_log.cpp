// The logger's transcript (run.log) and its number format.

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "tilmatch/log.hpp"

namespace tilmatch::log {
namespace {

/// Sets the level for one test and puts the previous one back.
class LevelGuard {
 public:
  explicit LevelGuard(Level l) : saved_(level()) { set_level(l); }
  ~LevelGuard() { set_level(saved_); }
  LevelGuard(const LevelGuard&) = delete;
  LevelGuard& operator=(const LevelGuard&) = delete;

 private:
  Level saved_;
};

TEST(LogTranscript, RecordsStageLinesAndWarningsWhateverTheLevel) {
  LevelGuard quiet(Level::kQuiet);  // nothing reaches stderr
  Transcript t;
  stage("reading 3 repertoires...");
  info("an info line is not recorded");
  warn("a warning");
  debug("nor is a debug line");
  const std::regex expected(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \[\d+\.\d s\] reading 3 repertoires\.\.\.
\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \[\d+\.\d s\] warning: a warning
)");
  EXPECT_TRUE(std::regex_match(t.text(), expected)) << t.text();
}

TEST(LogTranscript, OnlyLinesLoggedWhileItLives) {
  LevelGuard quiet(Level::kQuiet);
  stage("before");
  std::string text;
  {
    Transcript t;
    stage("during");
    {
      Transcript inner;  // two at once both record
      stage("both");
      EXPECT_NE(inner.text().find("] both\n"), std::string::npos);
      EXPECT_EQ(inner.text().find("during"), std::string::npos);
    }
    text = t.text();
  }
  stage("after");
  EXPECT_EQ(text.find("before"), std::string::npos) << text;
  EXPECT_NE(text.find("] during\n"), std::string::npos) << text;
  EXPECT_NE(text.find("] both\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("after"), std::string::npos) << text;
}

TEST(LogLevel, StageLinesShowByDefaultAndQuietHidesThem) {
  LevelGuard stage_level(Level::kStage);
  EXPECT_TRUE(enabled(Level::kWarn));
  EXPECT_TRUE(enabled(Level::kStage));
  EXPECT_FALSE(enabled(Level::kInfo));
  set_level(Level::kQuiet);
  EXPECT_FALSE(enabled(Level::kWarn));
  EXPECT_FALSE(enabled(Level::kStage));
}

TEST(LogFormatCount, ThousandsSeparatedThenMillions) {
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(1000), "1,000");
  EXPECT_EQ(format_count(51234), "51,234");
  EXPECT_EQ(format_count(999999), "999,999");
  EXPECT_EQ(format_count(2400000), "2.4 M");
  EXPECT_EQ(format_count(1260000000), "1.3 G");
  EXPECT_EQ(format_count(-51234), "-51,234");
}

TEST(LogProgress, SilentWhenStderrIsNotATerminal) {
  if (stderr_is_tty()) GTEST_SKIP() << "stderr is a terminal here";
  testing::internal::CaptureStderr();
  {
    Progress p("scoring", 10);
    for (long long i = 1; i <= 10; ++i) p.update(i, "pairs", 1);
    p.done();
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

}  // namespace
}  // namespace tilmatch::log
