// doppel/normalize.h — stage 2: Unicode-aware words, normalised and hashed.
//
// Thread safety: all functions are safe for concurrent use.
//
// A word is a maximal run of letters, marks, digits and connector
// punctuation (Unicode categories L*, M*, N*, Pc: what \w matches). Scripts
// written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar)
// yield one token per character, so shingles over them are character n-grams.
// Each word is normalised with NFKC and full case folding (utf8proc), default
// ignorables (soft hyphens, zero-width joiners) dropped; ASCII words take a
// fast path with the same result. Offsets are code points into the original
// text, so text[begin:end] in Python is the word as written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace doppel {

struct Token {
  uint64_t hash;   // 64-bit hash of the normalised word
  uint64_t stem;   // hash of the word less a plural "s" ("reports" -> "report"); else == hash
  uint32_t begin;  // code-point offset of the word in the original text
  uint32_t end;    // one past its last code point
  bool number;     // contains a decimal digit (amounts, dates, rates)
  bool capital;    // starts with an upper-case letter (names, places)
  bool opens;      // first of the text, or after '.', '!', '?' or a line break:
                   // a capital here is grammar, not a name
};

// Appends the tokens of utf8 to out and returns the text's length in code
// points. Without `stems`, Token::stem is left equal to Token::hash (a
// second hash of every plural saved where no stage reads stems).
// REQUIRES: utf8 is valid UTF-8.
size_t Tokenize(std::string_view utf8, std::vector<Token>* out, bool stems = true);

// Byte offset of every code point of a UTF-8 string, then its size: turns
// the code-point offsets of tokens and passages back into byte ranges.
std::vector<size_t> CodePointOffsets(std::string_view utf8);

// Byte offsets of code points of a UTF-8 string, asked in increasing order
// (tokens in text order): each call walks forward from the last. In an
// ASCII text, told apart on the first call, they are the same. Cheaper than
// CodePointOffsets where only some tokens are looked up.
// REQUIRES: code points asked never decrease.
class CodePointCursor {
 public:
  explicit CodePointCursor(std::string_view utf8) : s_(utf8) {}
  size_t ByteAt(uint32_t code_point);

 private:
  std::string_view s_;
  int ascii_ = -1;  // not yet known
  size_t code_point_ = 0, byte_ = 0;
};

// The normalised form of one word (NFKC + casefold), for tests and display.
std::string NormalizeWord(std::string_view word);

}  // namespace doppel
