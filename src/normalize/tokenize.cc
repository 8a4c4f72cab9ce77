// Word segmentation and normalisation. The hot loop stays on bytes while the
// text is ASCII (most corpora) and decodes code points only when it meets a
// non-ASCII byte; only words containing non-ASCII go through utf8proc.
#include <utf8proc.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>
#include <cstdlib>
#include <cstring>

#include "doppel/normalize.h"
#include "normalize/tokenize_paths.h"
#include "util/hash.h"

namespace doppel {
namespace {

constexpr std::array<uint8_t, 128> MakeAsciiClass() {
  std::array<uint8_t, 128> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = 1;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = 1;
  for (int c = '0'; c <= '9'; ++c) t[c] = 2;
  t['_'] = 1;
  return t;
}
constexpr std::array<uint8_t, 128> kAsciiClass = MakeAsciiClass();

enum class CpClass { kOther, kWord, kDigit, kUnspaced };

// Scripts written without spaces between words.
bool IsUnspacedScript(int32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2EBEF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
         (cp >= 0xFF66 && cp <= 0xFF9D) || (cp >= 0x0E00 && cp <= 0x0EFF) || (cp >= 0x1780 && cp <= 0x17FF) ||
         (cp >= 0x1000 && cp <= 0x109F);
}

CpClass Classify(int32_t cp) {
  if (cp < 128) {
    uint8_t c = kAsciiClass[cp];
    return c == 1 ? CpClass::kWord : c == 2 ? CpClass::kDigit : CpClass::kOther;
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_ND: return CpClass::kDigit;
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
      return IsUnspacedScript(cp) ? CpClass::kUnspaced : CpClass::kWord;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
      // Thai vowel signs and tone marks are marks: keep them with their letter.
      return IsUnspacedScript(cp) ? CpClass::kUnspaced : CpClass::kWord;
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_PC:
      return CpClass::kWord;
    case UTF8PROC_CATEGORY_CF:
      // Soft hyphen, zero-width joiners: inside a word, not a break.
      return CpClass::kWord;
    default: return CpClass::kOther;
  }
}

// Word hashes: 8 bytes at a time, ASCII upper case folded on the way (SWAR),
// so the scanning loop carries no multiply chain and a word costs one mix
// per 8 bytes. The ASCII fast path hashes the raw bytes; the utf8proc path
// hashes its casefolded output (where folding is a no-op): a word hashes
// alike whichever path it took.
constexpr uint64_t kWordSeed = 0xcbf29ce484222325ULL;
constexpr uint64_t kOnes = 0x0101010101010101ULL;

// Sets bit 0x20 of every byte in 'A'..'Z'; bytes >= 0x80 are left alone.
inline uint64_t LowerAscii(uint64_t x) {
  const uint64_t low7 = x & (0x7F * kOnes);
  const uint64_t at_least_a = low7 + (0x80 - 'A') * kOnes;
  const uint64_t above_z = low7 + (0x80 - 'Z' - 1) * kOnes;
  const uint64_t upper = at_least_a & ~above_z & ~x & (0x80 * kOnes);
  return x | (upper >> 2);
}

// n <= 8 bytes at p as a little-endian word, zero-padded; reads a whole 8
// bytes when `readable` (bytes valid from p) allows, then masks.
inline uint64_t LoadTail(const unsigned char* p, size_t n, size_t readable) {
  uint64_t x = 0;
  if (readable >= 8) {
    std::memcpy(&x, p, 8);
    return n == 8 ? x : x & ((uint64_t{1} << (8 * n)) - 1);
  }
  std::memcpy(&x, p, n);
  return x;
}

inline uint64_t MixChunk(uint64_t h, uint64_t v) {
  h = (h ^ v) * 0x9E3779B97F4A7C15ULL;
  return h ^ (h >> 29);
}

// The first two 8-byte chunks of a word of 1..16 bytes, bytes past its end
// zeroed, without a branch on its length (which varies word to word and
// would be mispredicted). REQUIRES: 16 bytes readable at p.
struct ShortWord {
  uint64_t lo, hi;            // the chunks
  uint64_t lo_mask, hi_mask;  // 0xFF on each byte that belongs to the word
};
inline ShortWord LoadShortWord(const unsigned char* p, size_t n) {
  ShortWord w;
  std::memcpy(&w.lo, p, 8);
  std::memcpy(&w.hi, p + 8, 8);
  const size_t lo_n = n < 8 ? n : 8;
  const size_t hi_n = n - lo_n;
  w.lo_mask = ~uint64_t{0} >> (64 - 8 * lo_n);
  w.hi_mask = hi_n ? ~uint64_t{0} >> ((64 - 8 * hi_n) & 63) : 0;
  w.lo &= w.lo_mask;
  w.hi &= w.hi_mask;
  return w;
}

// Hash of the n bytes at p (ASCII folded to lower case); `readable` >= n.
__attribute__((always_inline)) inline uint64_t HashWordBytes(const unsigned char* p, size_t n, size_t readable) {
  uint64_t h = kWordSeed ^ (n * 0xBF58476D1CE4E5B9ULL);
  if (n <= 16 && readable >= 16) {  // nearly every word: the same chunks as the loop below
    const ShortWord w = LoadShortWord(p, n);
    const uint64_t one = MixChunk(h, LowerAscii(w.lo));
    const uint64_t two = MixChunk(one, LowerAscii(w.hi));
    return detail::Fmix64(n > 8 ? two : one);
  }
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    std::memcpy(&v, p + i, 8);
    h = MixChunk(h, LowerAscii(v));
  }
  if (i < n) h = MixChunk(h, LowerAscii(LoadTail(p + i, n - i, readable - i)));
  return detail::Fmix64(h);
}

constexpr std::array<unsigned char, 128> MakeLower() {
  std::array<unsigned char, 128> t{};
  for (int c = 0; c < 128; ++c) t[c] = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return t;
}
constexpr std::array<unsigned char, 128> kLower = MakeLower();
// The fast path's one lookup per byte: non-zero for an ASCII word character
// (letters, digits, '_'), 0 for anything else (ASCII separators and every
// byte of a multi-byte character, which the caller then tells apart).
constexpr std::array<unsigned char, 256> MakeAsciiWord() {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 128; ++c) t[c] = kAsciiClass[c] ? 1 : 0;
  return t;
}
constexpr std::array<unsigned char, 256> kAsciiWord = MakeAsciiWord();

// End of the run of ASCII word characters starting at i; ANDs the run's
// bytes into *all. 16 bytes at a time with SSE2 (part of every x86-64) while
// 16 bytes remain, so a typical word costs one step instead of a loop turn
// per byte; bytes >= 0x80 are negative as signed chars and end the run.
inline size_t ScanAsciiWord(const unsigned char* s, size_t i, size_t len, unsigned char* all) {
#if defined(__SSE2__)
  while (i + 16 <= len) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    auto in = [&](char lo, char hi) {
      return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                           _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(hi + 1))));
    };
    const __m128i digit = in('0', '9');
    const __m128i word = _mm_or_si128(_mm_or_si128(in('a', 'z'), in('A', 'Z')),
                                      _mm_or_si128(digit, _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
    const unsigned word_bits = static_cast<unsigned>(_mm_movemask_epi8(word));
    const unsigned run = word_bits == 0xFFFF ? 16 : static_cast<unsigned>(__builtin_ctz(~word_bits));
    const unsigned digit_bits = static_cast<unsigned>(_mm_movemask_epi8(digit)) & ((1u << run) - 1);
    if (digit_bits) *all &= 0xBF;  // a digit: clears bit 0x40 as the byte loop would
    i += run;
    if (run < 16) return i;
  }
#endif
  while (i < len && kAsciiWord[s[i]]) {
    *all &= s[i];
    ++i;
  }
  return i;
}

uint64_t HashNormalized(const char* p, size_t n) {
  return HashWordBytes(reinterpret_cast<const unsigned char*>(p), n, n);
}

// A light plural stemmer for story terms: a final "s" after a word of more
// than 3 letters goes, unless it doubles ("ss"). Works on the running hash:
// `before_last` is the hash state before the last byte.
inline bool DropsPlural(unsigned char last, unsigned char prev, size_t n) {
  return n > 3 && last == 's' && prev != 's';
}

// NFKC + casefold + drop default ignorables; falls back to the raw bytes if
// utf8proc rejects the input (it cannot for valid UTF-8).
void NormalizeInto(std::string_view w, std::string* out) {
  utf8proc_uint8_t* dst = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(w.data()),
                                    static_cast<utf8proc_ssize_t>(w.size()), &dst,
                                    static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                                   UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                                                   UTF8PROC_IGNORE));
  if (n < 0) {
    out->assign(w);
  } else {
    out->assign(reinterpret_cast<char*>(dst), static_cast<size_t>(n));
  }
  std::free(dst);
}

}  // namespace

std::vector<size_t> CodePointOffsets(std::string_view s) {
  std::vector<size_t> at;
  at.reserve(s.size() + 1);
  for (size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) at.push_back(i);
  at.push_back(s.size());
  return at;
}

std::string NormalizeWord(std::string_view word) {
  std::string out;
  NormalizeInto(word, &out);
  return out;
}

namespace {

// Decodes the code point at s[i] (valid UTF-8); returns its byte length.
inline size_t Decode(const unsigned char* s, size_t left, int32_t* cp) {
  utf8proc_ssize_t n = utf8proc_iterate(s, static_cast<utf8proc_ssize_t>(left), cp);
  if (n <= 0) {  // cannot happen for valid input; one byte, not a word character
    *cp = -1;
    return 1;
  }
  return static_cast<size_t>(n);
}

inline CpClass ClassifyAt(const unsigned char* s, size_t left, size_t* bytes) {
  if (s[0] < 128) {
    *bytes = 1;
    return Classify(s[0]);
  }
  int32_t cp;
  *bytes = Decode(s, left, &cp);
  return cp < 0 ? CpClass::kOther : Classify(cp);
}

// True when every byte of the text is below 0x80.
bool IsAscii(const unsigned char* s, size_t len) {
  size_t i = 0;
#if defined(__SSE2__)
  __m128i any = _mm_setzero_si128();
  for (; i + 16 <= len; i += 16) any = _mm_or_si128(any, _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i)));
  if (_mm_movemask_epi8(any)) return false;
#endif
  unsigned char tail = 0;
  for (; i < len; ++i) tail |= s[i];
  return tail < 0x80;
}

// One 64-byte block of ASCII text as bit masks (bit k = byte k): word
// characters (letters, digits, '_') and sentence openers ('.', '!', '?',
// line break).
struct BlockMasks {
  uint64_t word;
  uint64_t opener;
};

inline BlockMasks MasksOf(const unsigned char* block) {
  BlockMasks m{0, 0};
#if defined(__SSE2__)
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * k));
    const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                         _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    const __m128i word = _mm_or_si128(_mm_or_si128(letter, digit), _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
    const __m128i opener =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')), _mm_cmpeq_epi8(v, _mm_set1_epi8('!'))),
                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('?')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))));
    m.word |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(word))) << (16 * k);
    m.opener |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(opener))) << (16 * k);
  }
#else
  for (int k = 0; k < 64; ++k) {
    const unsigned char c = block[k];
    m.word |= static_cast<uint64_t>(kAsciiWord[c]) << k;
    m.opener |= static_cast<uint64_t>(c == '.' || c == '!' || c == '?' || c == '\n') << k;
  }
#endif
  return m;
}

// Any decimal digit among the n word characters at p: letters and '_' have
// bit 0x40 set, digits do not.
inline bool HasDigit(const unsigned char* p, size_t n, size_t readable) {
  if (n <= 16 && readable >= 16) {
    const ShortWord w = LoadShortWord(p, n);
    return (((~w.lo & w.lo_mask) | (~w.hi & w.hi_mask)) & (0x40 * kOnes)) != 0;
  }
  uint64_t missing = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    std::memcpy(&v, p + i, 8);
    missing |= ~v;
  }
  if (i < n) missing |= ~LoadTail(p + i, n - i, readable - i) & ((n - i == 8 ? 0 : uint64_t{1} << (8 * (n - i))) - 1);
  return (missing & (0x40 * kOnes)) != 0;
}

}  // namespace

namespace detail {

// Pure ASCII text, which most corpora are: word boundaries for 64 bytes at
// a time from SIMD compares, then one step per word instead of a loop turn
// per byte and a branch per separator. Gives exactly the tokens of
// TokenizeAnyText (tests compare the two).
size_t TokenizeAscii(std::string_view text, std::vector<Token>* out, bool stems) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t len = text.size();
  out->reserve(out->size() + len / 5 + 16);
  bool opens = true;        // an opener since the last word start (the text's start counts)
  bool in_word = false;     // a word began and has not ended yet
  size_t begin = 0;         // where it began
  uint64_t carry = 0;       // the last byte of the previous block was a word character
  alignas(16) unsigned char last[64];
  auto emit = [&](size_t end) __attribute__((always_inline)) {
    const size_t n = end - begin;
    const unsigned char* w = s + begin;
    const uint64_t full = HashWordBytes(w, n, len - begin);
    const uint64_t stem = stems && n > 1 && DropsPlural(kLower[w[n - 1]], kLower[w[n - 2]], n)
                              ? HashWordBytes(w, n - 1, len - begin)
                              : full;
    out->push_back(Token{full, stem, static_cast<uint32_t>(begin), static_cast<uint32_t>(end),
                         HasDigit(w, n, len - begin), w[0] >= 'A' && w[0] <= 'Z', opens});
    opens = false;
  };
  for (size_t base = 0; base < len; base += 64) {
    const unsigned char* block = s + base;
    if (len - base < 64) {  // the last, partial block: zero bytes are separators
      std::memset(last, 0, sizeof last);
      std::memcpy(last, block, len - base);
      block = last;
    }
    const BlockMasks m = MasksOf(block);
    const uint64_t shifted = (m.word << 1) | carry;
    uint64_t events = (m.word & ~shifted) | (~m.word & shifted);  // word starts and ends, alternating
    carry = m.word >> 63;
    uint64_t openers = m.opener;  // not yet before a word start
    while (events) {
      const unsigned at = static_cast<unsigned>(__builtin_ctzll(events));
      events &= events - 1;
      if (in_word) {
        emit(base + at);
      } else {
        const uint64_t before = (uint64_t{1} << at) - 1;
        opens |= (openers & before) != 0;
        openers &= ~before;
        begin = base + at;
      }
      in_word = !in_word;
    }
    opens |= openers != 0;
  }
  if (in_word) emit(len);
  return len;
}

size_t TokenizeAnyText(std::string_view text, std::vector<Token>* out, bool stems) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t len = text.size();
  size_t i = 0;
  uint32_t cp = 0;
  std::string scratch;
  out->reserve(out->size() + len / 5 + 16);  // about one word per 5-6 bytes of prose
  bool opens = true;  // the next word opens a sentence or a line
  while (i < len) {
    // Fast path: a word made of ASCII bytes only, hashed as it is scanned.
    if (s[i] < 128) {
      if (!kAsciiClass[s[i]]) {
        opens |= s[i] == '.' || s[i] == '!' || s[i] == '?' || s[i] == '\n';
        ++i;
        ++cp;
        continue;
      }
      const size_t begin = i;
      // Letters and '_' have bit 0x40 set, digits do not: the AND of the
      // word's bytes loses it as soon as one digit appears.
      unsigned char all = 0xFF;
      i = ScanAsciiWord(s, i, len, &all);
      if (i == len || s[i] < 128) {
        const size_t n = i - begin;
        const uint64_t full = HashWordBytes(s + begin, n, len - begin);
        const uint64_t stem =
            stems && n > 1 && DropsPlural(kLower[s[i - 1]], kLower[s[i - 2]], n) ? HashWordBytes(s + begin, n - 1, len - begin) : full;
        out->push_back(Token{full, stem, cp, static_cast<uint32_t>(cp + n), (all & 0x40) == 0,
                             s[begin] >= 'A' && s[begin] <= 'Z', opens});
        opens = false;
        cp += static_cast<uint32_t>(n);
        continue;
      }
      // The word goes on with non-ASCII letters: rescan it on the slow path.
      i = begin;
    }
    // Slow path: decode code points; a word of several scripts or with
    // accents is normalised by utf8proc before hashing.
    size_t n;
    CpClass k = ClassifyAt(s + i, len - i, &n);
    if (k == CpClass::kOther) {
      i += n;
      ++cp;
      continue;
    }
    if (k == CpClass::kUnspaced) {
      NormalizeInto(std::string_view(reinterpret_cast<const char*>(s + i), n), &scratch);
      if (!scratch.empty()) {
        uint64_t h = HashNormalized(scratch.data(), scratch.size());
        out->push_back(Token{h, h, cp, cp + 1, false, false, opens});
        opens = false;
      }
      i += n;
      ++cp;
      continue;
    }
    const size_t begin = i;
    const uint32_t cp_begin = cp;
    bool digit = false;
    while (i < len) {
      CpClass kk = ClassifyAt(s + i, len - i, &n);
      if (kk != CpClass::kWord && kk != CpClass::kDigit) break;
      digit |= kk == CpClass::kDigit;
      i += n;
      ++cp;
    }
    NormalizeInto(std::string_view(reinterpret_cast<const char*>(s + begin), i - begin), &scratch);
    if (!scratch.empty()) {
      const size_t m = scratch.size();
      uint64_t h = HashNormalized(scratch.data(), m);
      uint64_t stem = stems && m > 1 && DropsPlural(scratch[m - 1], scratch[m - 2], m) ? HashNormalized(scratch.data(), m - 1) : h;
      int32_t first;
      Decode(s + begin, len - begin, &first);
      int cat = first >= 0 ? utf8proc_category(first) : 0;
      out->push_back(
          Token{h, stem, cp_begin, cp, digit, cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT, opens});
      opens = false;
    }
  }
  return cp;
}

}  // namespace detail

size_t CodePointCursor::ByteAt(uint32_t code_point) {
  if (ascii_ < 0) ascii_ = IsAscii(reinterpret_cast<const unsigned char*>(s_.data()), s_.size());
  if (ascii_) return std::min<size_t>(code_point, s_.size());
  for (; code_point_ < code_point && byte_ < s_.size(); ++code_point_)
    do ++byte_;
    while (byte_ < s_.size() && (static_cast<unsigned char>(s_[byte_]) & 0xC0) == 0x80);
  return byte_;
}

size_t Tokenize(std::string_view text, std::vector<Token>* out, bool stems) {
  return IsAscii(reinterpret_cast<const unsigned char*>(text.data()), text.size())
             ? detail::TokenizeAscii(text, out, stems)
             : detail::TokenizeAnyText(text, out, stems);
}

}  // namespace doppel
