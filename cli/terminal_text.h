// Text from the input (ids, file names, field values quoted in messages)
// on its way to a terminal.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace doppel::cli {

// C0 controls, DEL and C1 controls: the code points a terminal acts on.
inline bool IsControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7f && cp < 0xa0); }

// `s` with every control character (C0, DEL, and C1 as UTF-8) written as
// \xNN: an id or a file name holding an escape sequence must not move the
// cursor, clear the screen or retitle the window of whoever reads the
// warning. Everything else, including other UTF-8, passes unchanged.
inline std::string ForTerminal(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80 && IsControl(c)) {
      out += fmt::format("\\x{:02x}", c);
    } else if (c == 0xc2 && i + 1 < s.size() && IsControl(static_cast<unsigned char>(s[i + 1]))) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[++i]));  // U+0080..U+009F: C2 80..C2 9F
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace doppel::cli
