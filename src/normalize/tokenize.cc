// Word segmentation and normalisation. The hot loop stays on bytes while the
// text is ASCII (most corpora) and decodes code points only when it meets a
// non-ASCII byte; only words containing non-ASCII go through utf8proc.
#include <utf8proc.h>
#include <xxhash.h>

#include <array>
#include <cstdlib>

#include "doppel/normalize.h"

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

uint64_t HashNormalized(const char* p, size_t n) { return XXH3_64bits(p, n); }

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

std::string NormalizeWord(std::string_view word) {
  std::string out;
  NormalizeInto(word, &out);
  return out;
}

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void Tokenize(std::string_view text, std::vector<Token>* out) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t len = text.size();
  size_t i = 0;
  uint32_t cp_index = 0;
  // Current word: byte range, code-point start, flags.
  size_t w_begin = 0;
  uint32_t w_cp_begin = 0;
  bool in_word = false, w_ascii = true, w_digit = false;
  char lower[64];
  std::string scratch;

  auto finish = [&](size_t w_end, uint32_t cp_end) {
    size_t n = w_end - w_begin;
    uint64_t h;
    if (w_ascii && n <= sizeof lower) {
      for (size_t k = 0; k < n; ++k) {
        unsigned char c = s[w_begin + k];
        lower[k] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      }
      h = HashNormalized(lower, n);
    } else if (w_ascii) {
      scratch.assign(reinterpret_cast<const char*>(s + w_begin), n);
      for (char& c : scratch) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      h = HashNormalized(scratch.data(), scratch.size());
    } else {
      NormalizeInto(std::string_view(reinterpret_cast<const char*>(s + w_begin), n), &scratch);
      if (scratch.empty()) {  // only ignorables
        in_word = false;
        return;
      }
      h = HashNormalized(scratch.data(), scratch.size());
    }
    out->push_back(Token{h, w_cp_begin, cp_end, w_digit});
    in_word = false;
  };

  while (i < len) {
    unsigned char c = s[i];
    if (c < 128) {
      uint8_t k = kAsciiClass[c];
      if (k) {
        if (!in_word) {
          in_word = true;
          w_begin = i;
          w_cp_begin = cp_index;
          w_ascii = true;
          w_digit = false;
        }
        w_digit |= (k == 2);
      } else if (in_word) {
        finish(i, cp_index);
      }
      ++i;
      ++cp_index;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(s + i, static_cast<utf8proc_ssize_t>(len - i), &cp);
    if (n <= 0) {  // cannot happen for valid input; treat the byte as a separator
      if (in_word) finish(i, cp_index);
      ++i;
      ++cp_index;
      continue;
    }
    CpClass k = Classify(cp);
    if (k == CpClass::kWord || k == CpClass::kDigit) {
      if (!in_word) {
        in_word = true;
        w_begin = i;
        w_cp_begin = cp_index;
        w_digit = false;
        w_ascii = true;
      }
      w_ascii = false;
      w_digit |= (k == CpClass::kDigit);
    } else {
      if (in_word) finish(i, cp_index);
      if (k == CpClass::kUnspaced) {
        in_word = true;
        w_begin = i;
        w_cp_begin = cp_index;
        w_ascii = false;
        w_digit = false;
        finish(i + n, cp_index + 1);
      }
    }
    i += n;
    ++cp_index;
  }
  if (in_word) finish(len, cp_index);
}

}  // namespace doppel
