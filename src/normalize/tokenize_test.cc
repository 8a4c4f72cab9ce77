#include <gtest/gtest.h>

#include "test_util.h"

#include <random>

#include "doppel/normalize.h"
#include "normalize/tokenize_paths.h"

namespace doppel {
namespace {

std::vector<Token> Tok(std::string_view s) { return test::Tokens(s); }

TEST(Tokenize, SplitsOnNonWordAndFoldsCase) {
  auto t = Tok("Hello, WORLD! hello-world");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].hash, t[2].hash);  // Hello == hello
  EXPECT_EQ(t[1].hash, t[3].hash);  // WORLD == world
  EXPECT_EQ(t[0].begin, 0u);
  EXPECT_EQ(t[0].end, 5u);
  EXPECT_EQ(t[1].begin, 7u);
}

TEST(Tokenize, OffsetsAreCodePointsEvenAfterEmojiAndAccents) {
  auto t = Tok("\xF0\x9F\x98\x80 caf\xC3\xA9 ok");  // 😀 café ok
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].begin, 2u);
  EXPECT_EQ(t[0].end, 6u);
  EXPECT_EQ(t[1].begin, 7u);
}

TEST(Tokenize, NfkcAndCasefoldMatchAsciiForms) {
  // Fullwidth "ＡＢＣ" and the ligature "ﬁ" normalise to plain letters.
  auto wide = Tok("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3");
  auto plain = Tok("abc");
  ASSERT_EQ(wide.size(), 1u);
  EXPECT_EQ(wide[0].hash, plain[0].hash);
  EXPECT_EQ(NormalizeWord("\xEF\xAC\x81" "nal"), "final");
  EXPECT_EQ(NormalizeWord("Stra\xC3\x9F" "e"), "strasse");
  auto german = Tok("STRASSE Stra\xC3\x9F" "e");
  ASSERT_EQ(german.size(), 2u);
  EXPECT_EQ(german[0].hash, german[1].hash);
}

TEST(Tokenize, UnspacedScriptsGiveOneTokenPerCharacter) {
  auto t = Tok("\xE4\xB8\xAD\xE6\x96\x87\xE6\xB5\x8B\xE8\xAF\x95 ok");  // 中文测试 ok
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[3].begin, 3u);
  EXPECT_EQ(t[4].begin, 5u);
}

TEST(Tokenize, MarksNumbers) {
  auto t = Tok("paid 12.5 pct in 1987 Q3");
  ASSERT_EQ(t.size(), 7u);
  EXPECT_FALSE(t[0].number);
  EXPECT_TRUE(t[1].number);  // 12
  EXPECT_TRUE(t[2].number);  // 5
  EXPECT_TRUE(t[5].number);  // 1987
  EXPECT_TRUE(t[6].number);  // Q3
}

TEST(Tokenize, SoftHyphenDoesNotSplitAWord) {
  auto a = Tok("co\xC2\xADoperate");
  auto b = Tok("cooperate");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].hash, b[0].hash);
}

// The ASCII path (64 bytes at a time) must give exactly the tokens of the
// general path: random texts of words of 1..40 characters (past the 16-byte
// fast hash), digits, '_', sentence openers, NUL bytes, word runs across the
// 64-byte block edges, texts ending inside a word.
TEST(Tokenize, AsciiPathGivesTheTokensOfTheGeneralPath) {
  std::mt19937 rng(7);
  const std::string alphabet = "abcXYZ09_ .,!?\n\t-'\"";
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const size_t len = rng() % 300;
    while (text.size() < len) {
      const size_t run = 1 + rng() % (rng() % 8 == 0 ? 40 : 9);
      for (size_t k = 0; k < run; ++k) text.push_back(alphabet[rng() % 9]);  // word characters
      const size_t gap = 1 + rng() % 3;
      for (size_t k = 0; k < gap; ++k) text.push_back(rng() % 50 == 0 ? '\0' : alphabet[9 + rng() % (alphabet.size() - 9)]);
    }
    if (rng() % 2) text.resize(len);  // sometimes end inside a word
    for (bool stems : {false, true}) {
      std::vector<Token> general, ascii;
      const size_t n_general = detail::TokenizeAnyText(text, &general, stems);
      const size_t n_ascii = detail::TokenizeAscii(text, &ascii, stems);
      ASSERT_EQ(n_general, n_ascii) << text;
      ASSERT_EQ(general.size(), ascii.size()) << text;
      for (size_t i = 0; i < general.size(); ++i) {
        const Token& g = general[i];
        const Token& a = ascii[i];
        ASSERT_TRUE(g.hash == a.hash && g.stem == a.stem && g.begin == a.begin && g.end == a.end &&
                    g.number == a.number && g.capital == a.capital && g.opens == a.opens)
            << "token " << i << " of \"" << text << "\"";
      }
    }
  }
}

// The forward cursor agrees with the table of every code point, in ASCII
// and in text with two-, three- and four-byte characters, for the token
// offsets asked in text order.
TEST(CodePointCursor, AgreesWithCodePointOffsets) {
  for (std::string text : {std::string("Net 1,370,898 vs 823,988 dlrs"),
                           std::string("Caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80 raised 2,000 \xE2\x82\xAC to 3.5 pct")}) {
    const std::vector<size_t> table = CodePointOffsets(text);
    std::vector<Token> tokens;
    Tokenize(text, &tokens);
    ASSERT_FALSE(tokens.empty());
    CodePointCursor cursor(text);
    for (const Token& t : tokens) {
      EXPECT_EQ(cursor.ByteAt(t.begin), table[t.begin]) << text;
      EXPECT_EQ(cursor.ByteAt(t.end), table[t.end]) << text;
    }
  }
}

}  // namespace
}  // namespace doppel
