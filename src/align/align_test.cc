#include "doppel/align.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "test_util.h"

namespace doppel {
namespace {

std::vector<Token> Tok(std::string_view s) { return test::Tokens(s); }

std::vector<AlignToken> Prep(const std::vector<Token>& t, const std::function<bool(uint64_t)>& skip = {}) {
  std::vector<AlignToken> out(t.size());
  PrepareAlign(t, 3, skip, out.data());
  return out;
}

// Code-point slice, as Python's text[a:b].
std::u32string Slice(std::string_view utf8, uint32_t a, uint32_t b) {
  std::u32string cps;
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = utf8[i];
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
    for (int k = 1; k < n; ++k) cp = cp << 6 | (utf8[i + k] & 0x3F);
    cps.push_back(cp);
    i += n;
  }
  return cps.substr(a, b - a);
}

const std::string kPassage =
    "the committee approved the new budget after a long debate about schools roads and the hospital wing";

TEST(Align, FindsAPassageWithExactCodePointOffsetsAfterEmoji) {
  std::string a = "Intro words here. " + kPassage + ". Unrelated ending of the first text.";
  std::string b = "\xF0\x9F\x98\x80 Caf\xC3\xA9 news \xE2\x80\x94 " + kPassage + " \xE2\x80\x94 and more.";
  auto ps = Align(Tok(a), Tok(b), AlignOptions{});
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(Slice(a, ps[0].a_start, ps[0].a_end), Slice(kPassage, 0, 100));
  EXPECT_EQ(Slice(b, ps[0].b_start, ps[0].b_end), Slice(kPassage, 0, 100));
  EXPECT_EQ(ps[0].b_start, 14u);  // emoji, space, "Café", " news — " are 14 code points
}

TEST(Align, SmallEditsDoNotBreakAPassage) {
  std::string edited =
      "the committee approved the revised budget after a long debate about schools and roads and the hospital wing";
  auto ps = Align(Tok(kPassage), Tok(edited), AlignOptions{});
  ASSERT_EQ(ps.size(), 1u);  // a substitution and an insertion stay inside one passage
  EXPECT_EQ(ps[0].a_start, 0u);
  EXPECT_EQ(ps[0].a_end, kPassage.size());
}

TEST(Align, ReorderedSentencesGiveSeparatePassages) {
  std::string s1 = "first the river flooded the low fields near the old mill on tuesday night";
  std::string s2 = "then the council opened the school gym as a shelter for twenty families";
  auto ps = Align(Tok(s1 + ". " + s2), Tok(s2 + ". " + s1), AlignOptions{});
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].a_start, 0u);
  EXPECT_EQ(ps[1].b_start, 0u);
}

TEST(Align, BoilerplateShinglesSeedNothing) {
  auto a = Tok(kPassage), b = Tok(kPassage);
  auto ps = Align(a, b, AlignOptions{}, [](uint64_t) { return true; });
  EXPECT_TRUE(ps.empty());
  EXPECT_TRUE(Align(Tok("short text"), Tok("short text"), AlignOptions{}).empty());  // under min_tokens
}

// Boilerplate may carry a passage through a common phrase, but a passage of
// boilerplate alone, or with fewer own anchors than a minimal passage, is dropped.
TEST(Align, BoilerplateExtendsButNeverMakesAPassage) {
  const std::string footer = "this report may not be reproduced without the written permission of the agency";
  std::vector<Token> a = Tok("first story about harvest yields in the north " + footer);
  std::vector<Token> b = Tok("second story about a football match in the south " + footer);
  std::set<uint64_t> common;
  for (size_t i = 0; i + 3 <= a.size(); ++i) {
    uint64_t h = ShingleAt(a, i, 3);
    if (i >= 8) common.insert(h);  // the footer's shingles (and the one leading into it)
  }
  auto skip = [&](uint64_t h) { return common.count(h) > 0; };
  EXPECT_TRUE(Align(a, b, AlignOptions{}, skip).empty());
  EXPECT_EQ(Align(a, b, AlignOptions{}).size(), 1u);  // without the boilerplate mark it is shared text
  // Prepared once with the marks, the same texts align either way.
  EXPECT_TRUE(Align(Prep(a, skip), Prep(b, skip), AlignOptions{}).empty());
  EXPECT_EQ(Align(Prep(a, skip), Prep(b, skip), AlignOptions{}, /*boilerplate=*/false).size(), 1u);
  // The same footer after a real shared passage joins it.
  std::vector<Token> c = Tok("intro " + kPassage + " " + footer);
  std::vector<Token> d = Tok("other start " + kPassage + " " + footer);
  auto p = Align(c, d, AlignOptions{}, skip);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].a_tokens, Tok(kPassage + " " + footer).size());
}

TEST(Align, PassageOfATemplateWithOtherFiguresIsFlagged) {
  std::vector<Token> a = Tok("crushers bought 2,000 tonnes of rapeseed for May shipment at 14.50 dlrs a tonne");
  std::vector<Token> b = Tok("crushers bought 3,500 tonnes of rapeseed for June shipment at 15.25 dlrs a tonne");
  std::vector<Token> c = Tok("crushers bought 2,000 tonnes of rapeseed for May shipment at 14.50 dlrs a tonne");
  AlignOptions o;
  o.min_tokens = 4;
  auto ab = Align(a, b, o);
  ASSERT_FALSE(ab.empty());
  EXPECT_TRUE(FiguresDiffer(Prep(a), Prep(b), ab[0], 3));
  auto ac = Align(a, c, o);
  ASSERT_EQ(ac.size(), 1u);
  EXPECT_FALSE(FiguresDiffer(Prep(a), Prep(c), ac[0], 3));
  // No figures at all: never a template.
  std::vector<Token> e = Tok(kPassage), f = Tok("x " + kPassage);
  EXPECT_FALSE(FiguresDiffer(Prep(e), Prep(f), Align(e, f, AlignOptions{})[0], 3));
}

std::vector<AlignToken> PrepText(const std::string& text) {
  std::vector<Token> t = Tok(text);
  std::vector<AlignToken> out(t.size());
  PrepareAlign(t, 3, {}, out.data(), text);
  return out;
}

// Near pairs: another week's report of one template carries other figures
// inside the text both share; a reprint that adds a dated header, a re-send
// cut short, and a copy whose figures suffered typos or lost their table
// spacing keep them.
TEST(SharedFiguresDiffer, AnotherWeeksReportDiffersAReprintDoesNot) {
  const std::string week1 =
      "U.S. SELLING 12.8 BILLION DLRS OF BILLS MARCH 23 TO PAY DOWN 2.875 BILLION DLRS of maturing bills";
  const std::string week2 =
      "U.S. SELLING 12.8 BILLION DLRS OF BILLS MARCH 30 TO PAY DOWN 1.2 BILLION DLRS of maturing bills";
  AlignOptions o;
  o.min_tokens = 4;
  auto p = Align(Tok(week1), Tok(week2), o);
  ASSERT_FALSE(p.empty());
  EXPECT_TRUE(SharedFiguresDiffer(PrepText(week1), PrepText(week2), p));

  const std::string story =
      "The mill, which has an annual capacity of some 282,000 tons of newsprint and 159,000 tons of linerboard, "
      "is scheduled to resume production on Monday after the strike.";
  const std::string reprint = "Updated 12 March 2019 - Jane Doe reports\n" + story;
  p = Align(Tok(story), Tok(reprint), o);
  ASSERT_FALSE(p.empty());
  EXPECT_FALSE(SharedFiguresDiffer(PrepText(story), PrepText(reprint), p));
  // A moved separator or two swapped digits is a typo, not another figure.
  std::string typo = story;
  typo.replace(typo.find("159,000"), 7, "15,9000");
  p = Align(Tok(story), Tok(typo), o);
  ASSERT_FALSE(p.empty());
  EXPECT_FALSE(SharedFiguresDiffer(PrepText(story), PrepText(typo), p));
  // Without the text the digits are not known: the tokens' hashes differ.
  EXPECT_TRUE(SharedFiguresDiffer(Prep(Tok(story)), Prep(Tok(typo)), p));

  // A table whose columns lost their spacing keeps its figures.
  const std::string table = "Start Stocks 1986/87      1985/86 rose in the cotton report of the week\n  Exports  2.30   2.50";
  const std::string flat = "Start Stocks 1986/87 1985/86 rose in the cotton report of the week Exports 2.30 2.50";
  p = Align(Tok(table), Tok(flat), o);
  ASSERT_FALSE(p.empty());
  EXPECT_FALSE(SharedFiguresDiffer(PrepText(table), PrepText(flat), p));
  // No figures on one side: nothing to compare.
  EXPECT_FALSE(SharedFiguresDiffer(PrepText(kPassage), PrepText(kPassage), Align(Tok(kPassage), Tok(kPassage), o)));
}

// The texts taken whole: a re-send cut to its first paragraph shares its
// words with the full story but not most of its figures; a reprint that
// adds a dated header to a story with one figure keeps them; another
// week's headline changes its figure in both leads; two dividend notices
// whose amounts are 31 and 13 cents are two notices, though the digits are
// the same (SharedFiguresDiffer would call them a typo); a story without
// figures is a copy when it is about as long as the other, a headline not.
TEST(TextFiguresDiffer, ACutShortReSendDiffersADatedReprintDoesNot) {
  const std::string& p1 = test::kTenderFlash;
  const std::string& story = test::kTenderStory;
  AlignOptions o;
  o.min_tokens = 4;
  auto p = Align(Tok(story), Tok(p1), o);
  ASSERT_FALSE(p.empty());
  EXPECT_FALSE(SharedFiguresDiffer(PrepText(story), PrepText(p1), p)) << "what both share agrees";
  EXPECT_TRUE(TextFiguresDiffer(PrepText(story), PrepText(p1), p));

  const std::string one_figure =
      "The mill is scheduled to resume production on Monday after a strike that began on March 3, the "
      "company said, and expects to reach full output within a fortnight. Managers and the union will meet "
      "again next week to settle what remains of the dispute over shift patterns.";
  const std::string reprint = "Updated 12 March 2019 - Jane Doe reports\n" + one_figure;
  p = Align(Tok(one_figure), Tok(reprint), o);
  ASSERT_FALSE(p.empty());
  EXPECT_FALSE(TextFiguresDiffer(PrepText(one_figure), PrepText(reprint), p));
  EXPECT_FALSE(TextFiguresDiffer(PrepText(reprint), PrepText(one_figure), Align(Tok(reprint), Tok(one_figure), o)));
  // Without passages nothing is known to be a lead: the header's figures count.
  EXPECT_TRUE(TextFiguresDiffer(PrepText(one_figure), PrepText(reprint), {}));

  const std::string week1 = "N.Y. BUSINESS LOANS RISE 523 MLN DLRS IN FEB 25 WEEK, FED SAYS";
  const std::string week2 = "U.S. BUSINESS LOANS FALL 618 MLN DLRS IN FEB 25 WEEK, FED SAYS";
  p = Align(Tok(week1), Tok(week2), o);
  ASSERT_FALSE(p.empty());
  EXPECT_TRUE(TextFiguresDiffer(PrepText(week1), PrepText(week2), p));

  const std::string div1 = "GENERAL SIGNAL CORP SETS QUARTERLY DIVIDEND\nQtly div 31 cts vs 31 cts prior\nPay April 15";
  const std::string div2 = "GENERAL SIGNAL CORP SETS QUARTERLY DIVIDEND\nQtly div 13 cts vs 13 cts prior\nPay April 15";
  p = Align(Tok(div1), Tok(div2), o);
  ASSERT_FALSE(p.empty());
  EXPECT_TRUE(TextFiguresDiffer(PrepText(div1), PrepText(div2), p));
  EXPECT_FALSE(TextFiguresDiffer(PrepText(div1), PrepText(div1), Align(Tok(div1), Tok(div1), o)));
  EXPECT_FALSE(TextFiguresDiffer(PrepText(kPassage), PrepText(kPassage), {})) << "no figures: nothing differs";

  // A text with no figures: a reprint that dropped the paragraph holding
  // them and added a caption is a copy; the opening paragraph alone, a
  // part. Both share what they have with the story.
  const std::string opening =
      "The White House said the president had received a warm letter from the North Korean leader asking for "
      "a second meeting, and that planning for it was under way.";
  const std::string middle = "\nThe first summit was held in Singapore on June 12, 2018, after 70 years of hostility.";
  const std::string closing =
      "\nThe press secretary said no details had been settled and the letter would not be released unless both "
      "sides agreed to make it public.";
  const std::string wire = opening + middle + closing;
  const std::string reprinted = "President Trump and Kim Jong-un shake hands at their first summit (Picture: PA)\n" + opening + closing;
  p = Align(Tok(wire), Tok(reprinted), o);
  ASSERT_FALSE(p.empty());
  EXPECT_FALSE(TextFiguresDiffer(PrepText(wire), PrepText(reprinted), p));
  p = Align(Tok(wire), Tok(opening), o);
  ASSERT_FALSE(p.empty());
  EXPECT_TRUE(TextFiguresDiffer(PrepText(wire), PrepText(opening), p));
  // A headline has no paragraph to drop: a spelled-out amount is another
  // one (aligned as the scan aligns, the two share no passage of 8 words).
  const std::string one = "FED SETS ONE BILLION DLR CUSTOMER REPURCHASE, FED SAYS";
  const std::string two = "FED SETS 2.5 BILLION DLR CUSTOMER REPURCHASE, FED SAYS";
  EXPECT_TRUE(TextFiguresDiffer(PrepText(one), PrepText(two), Align(Tok(one), Tok(two), AlignOptions{})));
}

// A quoted paragraph keeps its 5-grams; the same paragraph retold with one
// word in five changed aligns just as well but is not a quotation.
TEST(VerbatimShare, AQuotationKeepsItsFiveWordRunsARetellingDoesNot) {
  const std::string quoted =
      "the central bank left its key lending rate unchanged on thursday and said inflation would ease "
      "slowly over the coming year as energy prices fall";
  std::string retold;  // every fifth word replaced
  {
    std::istringstream words(quoted);
    std::string w;
    for (int i = 0; words >> w; ++i) retold += (i ? " " : "") + (i % 5 == 4 ? "x" + w : w);
  }
  const std::string source = quoted + ". shares in banks rose after the decision was announced in the capital";
  std::vector<Token> ts = Tok(source), tq = Tok("markets in brief. " + quoted), tr = Tok("markets in brief. " + retold);
  const auto ps = Prep(ts), pq = Prep(tq), pr = Prep(tr);
  AlignOptions o;
  const auto quote = Align(ps, pq, o), retelling = Align(ps, pr, o);
  ASSERT_EQ(quote.size(), 1u);
  ASSERT_FALSE(retelling.empty());  // the aligner still sees the paragraph
  const double vq = VerbatimShare(ps, pq, quote), vr = VerbatimShare(ps, pr, retelling);
  EXPECT_GT(vq, 0.8);   // every 5-gram of the quoting text but those reaching into its headline
  EXPECT_LT(vr, 0.05);  // no run of five words survives
  PassageCover cq, cr;
  EXPECT_TRUE(IsPartialReuse(ps, pq, quote, ReuseRule{}, &cq));
  EXPECT_FALSE(IsPartialReuse(ps, pr, retelling, ReuseRule{}, &cr));
  EXPECT_EQ(cq.verbatim, vq);  // measured once the cover tests pass
  EXPECT_EQ(cr.verbatim, vr);
  // The share is of the shorter text and needs passages.
  EXPECT_EQ(VerbatimShare(ps, pq, {}), 0.0);
}

}  // namespace
}  // namespace doppel

namespace doppel {
namespace {

// The passage about the harbour belongs to the harbour story (its words come
// back around it) and stands apart in the election story that quotes it.
TEST(PassageCoherence, APassageBelongsToTheTextItWasTakenFrom) {
  const std::string passage = "the harbour authority approved dredging so larger ships can dock at the harbour quay";
  const std::string source = "harbour workers met on monday. " + passage + ". dredging of the harbour starts soon and the quay will close";
  const std::string host = "the election campaign ended with a rally. " + passage + ". voters choose a new mayor on sunday";
  std::vector<Token> ts = Tok(source), th = Tok(host);
  auto ps = Align(ts, th, AlignOptions{});
  ASSERT_EQ(ps.size(), 1u);
  auto idf = [](uint64_t) { return 1.0; };  // every word alike: the overlap itself decides
  const double in_source = PassageCoherence(Prep(ts), ps, true, idf);
  const double in_host = PassageCoherence(Prep(th), ps, false, idf);
  EXPECT_GT(in_source, in_host);
  EXPECT_GT(in_source, 0.0);
  // No passage, or nothing outside it: nothing to compare.
  EXPECT_EQ(PassageCoherence(Prep(ts), {}, true, idf), 0.0);
}

}  // namespace
}  // namespace doppel
