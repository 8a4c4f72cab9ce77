// Text from the input (ids, file names, field values quoted in messages)
// on its way to a terminal.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace doppel::cli {

// `s` with every control character (C0, DEL, and C1 as UTF-8) written as
// \xNN: an id or a file name holding an escape sequence must not move the
// cursor, clear the screen or retitle the window of whoever reads the
// warning. Everything else, including other UTF-8, passes unchanged.
inline std::string ForTerminal(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xa0 &&
               static_cast<unsigned char>(s[i + 1]) >= 0x80) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[++i]));  // U+0080..U+009F
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace doppel::cli
