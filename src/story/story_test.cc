#include "doppel/story.h"

#include <gtest/gtest.h>

#include "doppel/normalize.h"
#include "doppel/shingle.h"

namespace doppel {
namespace {

// StoryTerms of one text.
void TermsOf(std::string_view text, std::vector<uint64_t>* terms, std::vector<uint32_t>* counts) {
  std::vector<Token> toks;
  Tokenize(text, &toks);
  StoryTerms(toks, terms, counts);
}

// The name flags (kStoryNamed, kStoryCapitalOnly) a text's terms give a
// word, or ~0 if the word is not among them.
uint32_t FlagOf(const std::vector<uint64_t>& terms, const std::vector<uint32_t>& counts, std::string_view word) {
  std::vector<Token> w;
  Tokenize(word, &w);
  for (size_t i = 0; i < terms.size(); ++i)
    if (terms[i] == w[0].stem) return counts[i] & (kStoryNamed | kStoryCapitalOnly);
  return ~0u;
}

struct Docs {
  std::vector<std::vector<uint64_t>> terms;
  std::vector<std::vector<uint32_t>> counts;
  std::vector<StoryDoc> docs;
  explicit Docs(const std::vector<std::string>& texts) {
    for (const auto& t : texts) {
      terms.emplace_back();
      counts.emplace_back();
      TermsOf(t, &terms.back(), &counts.back());
    }
    for (size_t i = 0; i < texts.size(); ++i) docs.push_back(StoryDoc{terms[i], counts[i], false, 0});
  }
};

std::vector<uint32_t> Self(size_t n) {
  std::vector<uint32_t> v(n);
  for (uint32_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

TEST(StoryTerms, WeightsNamesAndNumbersButNotTitleCase) {
  std::vector<uint64_t> terms;
  std::vector<uint32_t> counts;
  TermsOf("the talks in Geneva failed after 3 days", &terms, &counts);
  int salient = 0;
  for (uint32_t c : counts) salient += (c >> 31) != 0;
  EXPECT_EQ(salient, 2);  // Geneva, 3
  TermsOf("Talks In Geneva Fail After Three Days", &terms, &counts);
  salient = 0;
  int unknown = 0;
  for (uint32_t c : counts) {
    salient += (c & kStoryNamed) != 0;
    unknown += (c & kStoryCapitalOnly) != 0;
  }
  EXPECT_EQ(salient, 0);  // Title Case: capitals say nothing here...
  EXPECT_EQ(unknown, 7);  // ...so every word is left for the corpus to judge
  // A word also written in lower case in the same text is an ordinary word.
  TermsOf("Talks went on; the talks failed", &terms, &counts);
  for (uint32_t c : counts) EXPECT_EQ(c & (kStoryNamed | kStoryCapitalOnly), 0u);
}

// Whether a word is a name is decided by the texts where capitals mean
// something: a Title-Case headline neither makes "Says" a name nor stops
// "Geneva" from being one.
TEST(StoryTerms, TitleCaseCapitalsAreLeftForTheCorpusToJudge) {
  const char* texts[] = {"Talks In Geneva Fail After Long Night", "Geneva talks fail after a long night",
                         "the minister says talks in Geneva failed", "Minister Says Talks Will Resume"};
  std::vector<std::vector<uint64_t>> terms(4);
  std::vector<std::vector<uint32_t>> counts(4);
  for (int i = 0; i < 4; ++i) TermsOf(texts[i], &terms[i], &counts[i]);
  // In text 0 (Title Case) every word is capital-only; in text 2 "Geneva" is
  // named and "says" lower case.
  EXPECT_EQ(FlagOf(terms[0], counts[0], "geneva"), kStoryCapitalOnly);
  EXPECT_EQ(FlagOf(terms[2], counts[2], "geneva"), kStoryNamed);
  EXPECT_EQ(FlagOf(terms[2], counts[2], "says"), 0u);
  EXPECT_EQ(FlagOf(terms[3], counts[3], "says"), kStoryCapitalOnly);
}

// A capital that opens a sentence or a line is grammar: "Shr" heading every
// line of an earnings table, or "Shares" after a full stop, is no name, while
// "Geneva" inside a sentence is.
TEST(StoryTerms, CapitalsOpeningASentenceOrALineSayNothing) {
  std::vector<uint64_t> terms;
  std::vector<uint32_t> counts;
  TermsOf("QUARTER NET\nShr 15 cts vs 12 cts\nNet 3 mln. Shares rose in Geneva trading", &terms, &counts);
  EXPECT_EQ(FlagOf(terms, counts, "shr"), kStoryCapitalOnly);     // opens a line
  EXPECT_EQ(FlagOf(terms, counts, "shares"), kStoryCapitalOnly);  // opens a sentence
  EXPECT_EQ(FlagOf(terms, counts, "geneva"), kStoryNamed);
}

TEST(StoryTerms, PluralsShareAStem) {
  std::vector<Token> a, b;
  Tokenize("reports", &a);
  Tokenize("report", &b);
  EXPECT_EQ(a[0].stem, b[0].hash);
  EXPECT_NE(a[0].hash, b[0].hash);
  Tokenize("press", &a);
  EXPECT_EQ(a.back().stem, a.back().hash);  // "ss" is not a plural
}

TEST(Stories, TwoEventsStayApartAndRetellingsJoin) {
  Docs d({"Volcano erupts on Iceland, flights grounded across Europe",
          "Icelandic volcano eruption grounds European flights",
          "Flights grounded in Europe as Iceland volcano erupts again",
          "Central bank raises interest rates to curb inflation",
          "Interest rates raised by central bank as inflation climbs",
          "Inflation prompts central bank to raise interest rates",
          "Local team wins the football cup final on penalties",
          "Gardeners report a record tomato harvest this summer"});
  StoryOptions o;
  o.neighbours = 5;
  StoryResult r = StoryClusters(d.docs, Self(8), o, 2);
  EXPECT_EQ(r.story[0], r.story[1]);
  EXPECT_EQ(r.story[0], r.story[2]);
  EXPECT_EQ(r.story[3], r.story[4]);
  EXPECT_EQ(r.story[3], r.story[5]);
  EXPECT_NE(r.story[0], r.story[3]);
  EXPECT_NE(r.story[6], r.story[7]);
  EXPECT_EQ(r.story, StoryClusters(d.docs, Self(8), o, 1).story);  // any thread count
}

// Made-up words, distinct for distinct (prefix, i): letters only, so none
// reads as a number.
std::string Words(const std::string& prefix, int first, int count) {
  std::string out;
  for (int i = first; i < first + count; ++i) {
    out += ' ' + prefix;
    out += static_cast<char>('a' + i / 26);
    out += static_cast<char>('a' + i % 26);
  }
  return out;
}

// One word, however often both texts repeat it, does not make two articles
// about different events one story; several shared specific words do.
TEST(Stories, OneSharedNameDoesNotMakeAStory) {
  std::vector<std::string> texts = {
      // Two articles of ordinary length with nothing in common but a name
      // they both repeat.
      "Walmart" + Words("gun", 0, 40) + " Walmart" + Words("gun", 40, 40) + " Walmart Walmart",
      "Walmart" + Words("lyric", 0, 40) + " Walmart" + Words("lyric", 40, 40) + " Walmart Walmart",
      // One event told twice: eight specific words shared, the rest their own.
      Words("mars", 0, 8) + Words("first", 0, 70) + Words("mars", 0, 8),
      Words("mars", 0, 8) + Words("second", 0, 70) + Words("mars", 0, 8)};
  for (int i = 0; i < 6; ++i) texts.push_back(Words("other" + std::string(1, static_cast<char>('a' + i)), 0, 40));
  Docs d(texts);
  StoryResult r = StoryClusters(d.docs, Self(texts.size()), StoryOptions{}, 1);
  EXPECT_EQ(r.story[2], r.story[3]);
  EXPECT_NE(r.story[0], r.story[1]);
}

// The same words ten days apart are two events (a second eruption), not
// one story, while --story-window holds; with no window, or when a text has
// no date, time says nothing.
TEST(Stories, TheWindowKeepsEventsApartInTime) {
  Docs d({"Volcano erupts on Iceland, flights grounded across Europe",
          "Icelandic volcano eruption grounds European flights",
          "Flights grounded in Europe as Iceland volcano erupts",
          "Central bank raises interest rates to curb inflation",
          "Local team wins the football cup final on penalties",
          "Gardeners report a record tomato harvest this summer"});
  constexpr int64_t kDay = 24 * 3600 * 1000LL;
  d.docs[0].has_date = d.docs[1].has_date = d.docs[2].has_date = true;
  d.docs[0].date_ms = 0;
  d.docs[1].date_ms = kDay;        // a day later: the same eruption
  d.docs[2].date_ms = 10 * kDay;   // ten days later: another one
  StoryOptions o;
  o.neighbours = 5;
  o.window_hours = 72;
  StoryResult r = StoryClusters(d.docs, Self(6), o, 1);
  EXPECT_EQ(r.story[0], r.story[1]);
  EXPECT_NE(r.story[0], r.story[2]);
  o.window_hours = 0;  // no window
  r = StoryClusters(d.docs, Self(6), o, 1);
  EXPECT_EQ(r.story[0], r.story[2]);
  o.window_hours = 72;
  d.docs[2].has_date = false;  // undated: the window does not apply
  r = StoryClusters(d.docs, Self(6), o, 1);
  EXPECT_EQ(r.story[0], r.story[2]);
}

TEST(Stories, CopyClustersNestInsideStories) {
  Docs d({"alpha beta gamma delta", "completely unrelated words here", "more words nobody shares"});
  std::vector<uint32_t> copies = {0, 0, 2};  // 0 and 1 are one copy cluster
  StoryResult r = StoryClusters(d.docs, copies, StoryOptions{}, 1);
  EXPECT_EQ(r.story[0], r.story[1]);
}

}  // namespace
}  // namespace doppel
