// `doppel compare`: one pair explained, by file or by id.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <utf8proc.h>

#include <sstream>

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

// The side-by-side rows of `doppel compare A B --width W --color never`,
// split at the column rule into left and right cells.
struct Rows {
  std::vector<std::string> left, right;
};
Rows SideBySideRows(const std::string& a, const std::string& b, int width) {
  auto r = RunDoppel("compare " + a + " " + b + " --color never --width " + std::to_string(width));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  Rows rows;
  std::istringstream in(r.output);
  const std::string rule = " \u2502 ";
  for (std::string line; std::getline(in, line);) {
    const size_t at = line.find(rule);
    if (at == std::string::npos) continue;  // the header
    rows.left.push_back(line.substr(0, at));
    rows.right.push_back(line.substr(at + rule.size()));
  }
  return rows;
}

// Terminal cells a string takes.
size_t Cells(const std::string& s) {
  size_t cells = 0;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  for (utf8proc_ssize_t i = 0, n = static_cast<utf8proc_ssize_t>(s.size()); i < n;) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t len = utf8proc_iterate(p + i, n - i, &cp);
    if (len <= 0) return SIZE_MAX;
    cells += static_cast<size_t>(std::max(0, utf8proc_charwidth(cp)));
    i += len;
  }
  return cells;
}

// The words of a column once passage marks and labels are taken out.
std::vector<std::string> WordsOf(const std::vector<std::string>& cells) {
  std::string all;
  for (const std::string& c : cells) all += c + " ";
  for (const std::string mark : {"\u00ab", "\u00bb"})
    for (size_t at; (at = all.find(mark)) != std::string::npos;) all.erase(at, mark.size());
  for (size_t at; (at = all.find('[')) != std::string::npos;) all.erase(at, all.find(']', at) - at + 1);
  std::vector<std::string> words;
  std::istringstream in(all);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

TEST(Compare, SideBySideWrapsBetweenWordsAndKeepsTheRuleStraight) {
  test::TempDir t;
  std::string shared =
      "the committee approved the new budget after a long debate about schools roads and the hospital wing";
  std::string a = "Opening words of the first text. " + shared + ". 東京の天気は晴れです。 Café naïve 😀 end of A.";
  std::string b = "Another start. " + shared + ". B ends here with other words entirely.";
  test::WriteFile(t / "a.txt", a);
  test::WriteFile(t / "b.txt", b);
  Rows rows = SideBySideRows(t / "a.txt", t / "b.txt", 63);  // columns of 30 cells
  ASSERT_GT(rows.left.size(), 4u);
  for (const std::string& cell : rows.left) EXPECT_EQ(Cells(cell), 30u) << "[" << cell << "]";
  for (const std::string& cell : rows.right) EXPECT_LE(Cells(cell), 30u) << "[" << cell << "]";
  // No word shorter than a column is cut (the CJK run, without spaces, is
  // cut where the column ends: compare its characters instead).
  std::vector<std::string> want_a, want_b;
  std::istringstream ia(a), ib(b);
  for (std::string w; ia >> w;) want_a.push_back(w);
  for (std::string w; ib >> w;) want_b.push_back(w);
  std::vector<std::string> got_a = WordsOf(rows.left);
  EXPECT_EQ(WordsOf(rows.right), want_b);
  std::string joined_got, joined_want;
  for (auto& w : got_a) joined_got += w;
  for (auto& w : want_a) joined_want += w;
  EXPECT_EQ(joined_got, joined_want);
  size_t cut = 0;
  for (auto& w : got_a) cut += std::find(want_a.begin(), want_a.end(), w) == want_a.end();
  EXPECT_LE(cut, 2u);  // only the pieces of the CJK run
}

TEST(Compare, SideBySideLabelsEachPassageOnBothSidesAndShowsNoControlCharacters) {
  test::TempDir t;
  std::string p1 = "the harbour authority said the ferry service would resume on monday after repairs to the pier were "
                   "finished by engineers working through the weekend";
  std::string p2 = "shopkeepers on the seafront welcomed the news saying the closure had cost them a great deal of trade "
                   "during the busiest month of the summer season";
  test::WriteFile(t / "a.txt", "Local news. " + p1 + ". " + p2 + ". \x1b[31mEnd.");
  test::WriteFile(t / "b.txt", "Coast report. " + p2 + ". Weather follows. " + p1 + ".");
  auto r = RunDoppel("compare " + (t / "a.txt") + " " + (t / "b.txt") + " --color never --width 100");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find('\x1b'), std::string::npos) << "an escape in the text reached the terminal";
  Rows rows = SideBySideRows(t / "a.txt", t / "b.txt", 100);
  std::string left, right;
  for (auto& c : rows.left) left += c;
  for (auto& c : rows.right) right += c;
  for (const char* label : {"[1]", "[2]"}) {
    EXPECT_NE(left.find(label), std::string::npos) << label << " missing on the left:\n" << r.output;
    EXPECT_NE(right.find(label), std::string::npos) << label << " missing on the right:\n" << r.output;
  }
  // Moved: passage 1 (first in A) comes second in B.
  EXPECT_LT(right.find("[2]"), right.find("[1]")) << r.output;
}

// A reprint that changed words inside a copied passage: the edits are the
// changed words, on each side, and the view marks them as a word diff.
TEST(Compare, EditsInsideAPassageAreTheChangedWords) {
  const std::string head = "The harbour authority said the ferry service would resume on ";
  const std::string tail = " after repairs to the pier were finished by engineers working through the weekend, "
                           "and shopkeepers on the seafront welcomed the news.";
  const std::string a = "Local news. " + head + "Monday" + tail, b = "Coast report: " + head + "Thursday morning" + tail;
  ScanOptions o;
  PairReport r = ComparePair(a, b, o);
  ASSERT_EQ(r.passages.size(), 1u);
  ASSERT_EQ(r.edits_a.size(), 1u);
  ASSERT_EQ(r.edits_b.size(), 1u);
  // ASCII texts: code points are bytes.
  EXPECT_EQ(a.substr(r.edits_a[0].begin, r.edits_a[0].end - r.edits_a[0].begin), "Monday");
  EXPECT_EQ(b.substr(r.edits_b[0].begin, r.edits_b[0].end - r.edits_b[0].begin), "Thursday morning");
  // The same texts with their words in other case and spacing: no edits.
  PairReport same = ComparePair(a, "Coast report: " + head + "MONDAY" + tail, o);
  EXPECT_TRUE(same.edits_a.empty() && same.edits_b.empty());
  test::TempDir t;
  test::WriteFile(t / "a.txt", a);
  test::WriteFile(t / "b.txt", b);
  Rows rows = SideBySideRows(t / "a.txt", t / "b.txt", 100);
  auto joined = [](const std::vector<std::string>& cells) {  // one line, single spaces
    std::string all, word;
    for (const std::string& c : cells) all += c + " ";
    std::istringstream in(all);
    std::string out;
    while (in >> word) out += (out.empty() ? "" : " ") + word;
    return out;
  };
  EXPECT_NE(joined(rows.left).find("on [-Monday-] after"), std::string::npos) << joined(rows.left);
  EXPECT_NE(joined(rows.right).find("on {+Thursday morning+} after"), std::string::npos) << joined(rows.right);
  auto json = RunDoppel("compare " + (t / "a.txt") + " " + (t / "b.txt") + " --json");
  EXPECT_NE(json.output.find(fmt::format("\"edits_a\":[[{},{}]]", r.edits_a[0].begin, r.edits_a[0].end)),
            std::string::npos)
      << json.output;
}

TEST(Compare, LibraryAgreesWithTheScanDecision) {
  ScanOptions o;
  PairReport r = ComparePair("one two three four five six seven eight nine ten eleven twelve",
                             "one two three four five six seven eight nine ten eleven twelve", o);
  EXPECT_EQ(r.relation, "exact");
  ASSERT_EQ(r.passages.size(), 1u);
  EXPECT_DOUBLE_EQ(r.cover_a, 1.0);

  // A re-send cut to its first paragraph: near by its words, a part by its
  // figures, as the scan decides it (ReSends in scan_quality_test.cc).
  r = ComparePair(test::kTenderStory, test::kTenderFlash, o);
  EXPECT_TRUE(r.text_figures_differ);
  EXPECT_FALSE(r.figures_differ);
  EXPECT_EQ(r.relation, "partial");
}

}  // namespace
}  // namespace doppel
