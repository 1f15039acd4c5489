// The patient's HLA type from `--hla`: a list or a file of alleles (io/hla.hpp).

#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "io/hla.hpp"
#include "tilmatch/error.hpp"

using namespace tilmatch;
using namespace tilmatch::io;
using tilmatch::test::ScratchDir;
using tilmatch::test::write_file;

TEST(Hla, HlaArgumentAsList) {
  auto v = read_hla_argument("HLA-A*02:01,B*07:02, C0702 A*02:01");
  ASSERT_EQ(v.size(), 3u);  // duplicate dropped
  EXPECT_EQ(v[2].text(), "HLA-C*07:02");
  try {
    read_hla_argument("A*02:01,H-2Kb");
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("'H-2Kb'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_hla_argument(""), UsageError);
  EXPECT_THROW(read_hla_argument(" , "), UsageError);
  try {
    read_hla_argument("/no/such/hla.txt");
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("neither an existing file"), std::string::npos) << e.what();
  }
}

TEST(Hla, HlaArgumentAsFile) {
  ScratchDir d;
  write_file(d / "hla.txt",
             "# patient 7, typed by OptiType\n"
             "HLA-A*02:01\n"
             "HLA-A*24:02   # second A allele\n"
             "\n"
             "B*07:02, B*44:03\tC*07:02\n");
  auto v = read_hla_argument((d / "hla.txt").string());
  ASSERT_EQ(v.size(), 5u);
  EXPECT_EQ(v[0].text(), "HLA-A*02:01");
  EXPECT_EQ(v[4].text(), "HLA-C*07:02");

  write_file(d / "bad.txt", "HLA-A*02:01\n# ok\nHLA-B*07:02 H-2Db\n");
  const std::string bad = (d / "bad.txt").string();
  try {
    read_hla_argument(bad);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(bad + ", line 3"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'H-2Db'"), std::string::npos) << msg;
  }
  write_file(d / "empty.txt", "# nothing typed\n");
  EXPECT_THROW(read_hla_argument((d / "empty.txt").string()), UsageError);
}
