// `doppel compare`: one pair explained, by file or by id.
#include <gtest/gtest.h>

#include "doppel/compare.h"
#include "test_util.h"

namespace doppel {
namespace {

using test::DataPath;
using test::RunDoppel;

TEST(Compare, SeedReprintIsNearWithPassagesAndRewriteIsNot) {
  auto near = RunDoppel("compare --in " + DataPath("seeds.jsonl") + " 000_402cad66fb1d51d7 001_eb0935f08012fcf1 --json");
  ASSERT_EQ(near.exit_code, 0) << near.output;
  EXPECT_NE(near.output.find("\"relation\":\"near\""), std::string::npos) << near.output;
  EXPECT_NE(near.output.find("\"a_start\""), std::string::npos);
  auto other = RunDoppel("compare --in " + DataPath("seeds.jsonl") + " 000_402cad66fb1d51d7 004_ce294b24d36e3fa3 --json");
  ASSERT_EQ(other.exit_code, 0);
  EXPECT_NE(other.output.find("\"relation\":\"none\""), std::string::npos) << other.output;
}

TEST(Compare, SideBySideMarksPassagesAndMissingIdsAreErrors) {
  test::TempDir t;
  std::string shared = "the committee approved the new budget after a long debate about schools roads and the hospital";
  test::WriteFile(t / "a.txt", "Opening words. " + shared + ". Closing words of A.");
  test::WriteFile(t / "b.txt", "Another start. " + shared + ". B ends here.");
  auto r = RunDoppel("compare " + (t / "a.txt") + " " + (t / "b.txt") + " --color never --width 100");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\u00ab"), std::string::npos) << r.output;  // passage opens
  EXPECT_NE(r.output.find("\u2502"), std::string::npos);              // column rule
  EXPECT_EQ(RunDoppel("compare --in " + DataPath("seeds.jsonl") + " 000_402cad66fb1d51d7 nope").exit_code, 1);
}

TEST(Compare, LibraryAgreesWithTheScanDecision) {
  ScanOptions o;
  PairReport r = ComparePair("one two three four five six seven eight nine ten eleven twelve",
                             "one two three four five six seven eight nine ten eleven twelve", o);
  EXPECT_EQ(r.relation, "exact");
  ASSERT_EQ(r.passages.size(), 1u);
  EXPECT_DOUBLE_EQ(r.cover_a, 1.0);
}

}  // namespace
}  // namespace doppel
