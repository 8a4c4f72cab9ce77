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

}  // namespace
}  // namespace doppel
