#include "doppel/shingle.h"

#include <gtest/gtest.h>

namespace doppel {
namespace {

std::vector<uint64_t> Sh(std::string_view s, int k) {
  std::vector<Token> t;
  Tokenize(s, &t);
  std::vector<uint64_t> out;
  ShingleHashes(t, k, &out);
  return out;
}

TEST(Shingle, CountsDistinctSortedAndOrderSensitive) {
  auto a = Sh("a b c d a b c", 3);  // abc bcd cda dab abc -> 4 distinct
  EXPECT_EQ(a.size(), 4u);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_NE(Sh("a b c", 3), Sh("c b a", 3));
  EXPECT_EQ(Sh("A b, C", 3), Sh("a B c", 3));  // after normalisation
}

TEST(Shingle, ShorterThanShingleHasNone) {
  EXPECT_TRUE(Sh("two words", 3).empty());
  EXPECT_EQ(Sh("three words here", 3).size(), 1u);
}

TEST(Shingle, ExactHashIgnoresCaseAndPunctuationOnly) {
  std::vector<Token> a, b, c;
  Tokenize("Hello, World!", &a);
  Tokenize("hello world", &b);
  Tokenize("world hello", &c);
  EXPECT_EQ(ExactHash(a), ExactHash(b));
  EXPECT_NE(ExactHash(a), ExactHash(c));
}

TEST(Shingle, NumberHashesKeepOnlyTokensWithDigits) {
  std::vector<Token> t;
  Tokenize("paid 12 cts vs 12 cts, record April 1", &t);
  std::vector<uint64_t> n;
  NumberHashes(t, &n);
  EXPECT_EQ(n.size(), 2u);  // "12", "1"
}

// A report with a 14-word footer that the corpus marks common: the footer's
// own words leave the story terms, a word the body also uses keeps its
// body count, and a common run shorter than 12 tokens (a stock phrase) or
// missing positions leave the terms alone.
TEST(StoryTerms, BoilerplateRunsLeaveTheCounts) {
  const std::string body = "Flood waters rose in Valencia overnight and the harbour closed";
  const std::string footer =
      "Copyright Example Wire all rights reserved harbour reproduction forbidden without written permission from editors";
  std::vector<Token> t;
  Tokenize(body + " " + footer, &t);
  const size_t body_tokens = 10, k = 3;
  ASSERT_EQ(t.size(), body_tokens + 14);
  std::vector<uint64_t> shingles, terms;
  std::vector<uint16_t> positions, token_term;
  std::vector<uint32_t> counts;
  ShingleHashes(t, k, &shingles, &positions);
  StoryTerms(t, &terms, &counts, &token_term);
  ASSERT_EQ(positions.size(), t.size() - k + 1);
  ASSERT_EQ(token_term.size(), t.size());
  auto count_of = [&](size_t kept, std::string_view word) -> int {
    std::vector<Token> w;
    Tokenize(word, &w);
    for (size_t i = 0; i < kept; ++i)
      if (terms[i] == w[0].stem) return static_cast<int>(counts[i] & kStoryCountMask);
    return 0;
  };
  // Only the shingles wholly inside the footer are common.
  std::vector<uint64_t> footer_shingles;
  for (size_t i = body_tokens; i + k <= t.size(); ++i) footer_shingles.push_back(ShingleAt(t, i, k));

  // A short common run (5 tokens) is a phrase, not boilerplate.
  std::vector<uint64_t> short_run(footer_shingles.begin(), footer_shingles.begin() + 3);
  std::vector<uint64_t> terms0 = terms;
  std::vector<uint32_t> counts0 = counts;
  EXPECT_EQ(StripBoilerplateTerms(positions, k, token_term, short_run, terms, counts), terms.size());
  EXPECT_EQ(terms, terms0);
  EXPECT_EQ(counts, counts0);
  // Without positions nothing is known, and nothing is stripped.
  EXPECT_EQ(StripBoilerplateTerms(positions, k, {}, footer_shingles, terms, counts), terms.size());
  EXPECT_EQ(counts, counts0);

  ASSERT_EQ(count_of(terms.size(), "harbour"), 2);
  const size_t kept = StripBoilerplateTerms(positions, k, token_term, footer_shingles, terms, counts);
  EXPECT_EQ(kept, terms.size() - 13);  // the footer's 14 words less "harbour"
  EXPECT_EQ(count_of(kept, "copyright"), 0);
  EXPECT_EQ(count_of(kept, "editors"), 0);
  EXPECT_EQ(count_of(kept, "harbour"), 1);
  EXPECT_EQ(count_of(kept, "valencia"), 1);
  EXPECT_EQ(terms[0], terms0[0]);  // order kept

  // A footer found by its place (a token range) goes the same way, with no
  // common shingle at all; ranges that overlap a common run, or each other,
  // take each token out once.
  for (const std::vector<TokenRange>& ranges :
       {std::vector<TokenRange>{{10, 24}}, std::vector<TokenRange>{{12, 24}, {10, 16}}}) {
    terms = terms0;
    counts = counts0;
    const size_t by_place = StripBoilerplateTerms(positions, k, token_term, {}, terms, counts, ranges);
    EXPECT_EQ(by_place, terms.size() - 13);
    EXPECT_EQ(count_of(by_place, "harbour"), 1);
    EXPECT_EQ(count_of(by_place, "copyright"), 0);
    terms = terms0;
    counts = counts0;
    const size_t both = StripBoilerplateTerms(positions, k, token_term, footer_shingles, terms, counts, ranges);
    EXPECT_EQ(both, kept);
    EXPECT_EQ(count_of(both, "harbour"), 1);  // not taken out twice
    EXPECT_EQ(count_of(both, "valencia"), 1);
  }
}

}  // namespace
}  // namespace doppel
