// The two paths behind Tokenize (doppel/normalize.h), named for the tests
// that hold them to the same tokens. Same contract as Tokenize.
#pragma once

#include <string_view>
#include <vector>

#include "doppel/normalize.h"

namespace doppel::detail {

// Any valid UTF-8: one code point at a time, utf8proc for non-ASCII words.
size_t TokenizeAnyText(std::string_view utf8, std::vector<Token>* out, bool stems);

// REQUIRES: every byte of ascii is below 0x80. 64 bytes at a time.
size_t TokenizeAscii(std::string_view ascii, std::vector<Token>* out, bool stems);

}  // namespace doppel::detail
