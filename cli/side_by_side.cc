#include "cli/side_by_side.h"

#include <fmt/format.h>
#include <utf8proc.h>

#include <algorithm>
#include <string_view>

#include "cli/terminal_text.h"
#include "doppel/normalize.h"

namespace doppel::cli {
namespace {

// One thing a line shows: a character of the text, or a passage's mark or
// label.
struct Glyph {
  std::string text;
  size_t width = 0;     // terminal cells
  int passage = -1;     // the passage it belongs to (its colour), or -1
  bool edit = false;    // inside a passage, a word the other side lacks
  bool space = false;   // a place to wrap; dropped at the start of a wrapped line
  bool newline = false;
};

constexpr const char* kColours[] = {"\033[1;32m", "\033[1;36m", "\033[1;33m", "\033[1;35m"};
constexpr const char* kEdit = "\033[1;31m";
constexpr const char* kReset = "\033[0m";

// What one code point shows as: control characters (an escape sequence in
// a text must not drive the terminal) as a space, the rest as themselves,
// `width` cells wide.
std::string_view Shown(std::string_view ch, size_t* width) {
  utf8proc_int32_t cp = 0;
  if (utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(ch.data()), static_cast<utf8proc_ssize_t>(ch.size()),
                       &cp) <= 0 ||
      IsControl(static_cast<char32_t>(cp))) {
    *width = 1;
    return " ";
  }
  *width = static_cast<size_t>(std::max(0, utf8proc_charwidth(cp)));
  return ch;
}

// How one side marks its edits without colour: git's word-diff markers.
struct EditMarks {
  const char* open;
  const char* close;
};

// The glyphs of one side, whose code points start at at[0..n); owner[i]
// is the passage code point i lies in, edit[i] whether it is part of an
// edit.
std::vector<Glyph> Glyphs(const std::string& s, const std::vector<size_t>& at, const std::vector<int>& owner,
                          const std::vector<bool>& edit, size_t passages, bool colour, EditMarks marks) {
  const size_t n = at.size() - 1;
  std::vector<bool> labelled(passages, false);
  std::vector<Glyph> g;
  for (size_t i = 0; i <= n; ++i) {
    const int k = i < n ? owner[i] : -1, prev = i ? owner[i - 1] : -1;
    const bool in_edit = i < n && edit[i] && k >= 0, was_edit = i && edit[i - 1] && prev >= 0;
    if (was_edit && (!in_edit || k != prev) && !colour) g.push_back(Glyph{marks.close, 2, prev});
    if (k != prev) {
      if (prev >= 0 && !colour) g.push_back(Glyph{"\u00bb", 1, prev});
      if (k >= 0 && !labelled[k]) {
        std::string label = fmt::format("[{}]", k + 1);
        const size_t w = label.size();
        g.push_back(Glyph{std::move(label), w, k});
        labelled[k] = true;
      }
      if (k >= 0 && !colour) g.push_back(Glyph{"\u00ab", 1, k});
    }
    if (in_edit && (!was_edit || k != prev) && !colour) g.push_back(Glyph{marks.open, 2, k});
    if (i == n) break;
    const std::string_view ch(s.data() + at[i], at[i + 1] - at[i]);
    if (ch == "\n") {
      g.push_back(Glyph{"", 0, k, false, false, true});
      continue;
    }
    size_t w = 0;
    const std::string_view shown = Shown(ch, &w);
    g.push_back(Glyph{std::string(shown), w, k, in_edit, shown == " "});
  }
  return g;
}

// Greedy wrapping between words; a word wider than the column is cut.
std::vector<std::vector<Glyph>> Wrap(std::vector<Glyph> g, size_t column) {
  std::vector<std::vector<Glyph>> lines(1);
  size_t used = 0;
  bool wrapped = false;  // the current line continues the one before
  auto next_line = [&](bool soft) {
    lines.emplace_back();
    used = 0;
    wrapped = soft;
  };
  for (size_t i = 0; i < g.size();) {
    if (g[i].newline) {
      next_line(false);
      ++i;
      continue;
    }
    if (g[i].space) {
      if (used + g[i].width > column) {
        next_line(true);
      } else if (!(wrapped && used == 0)) {
        used += g[i].width;
        lines.back().push_back(std::move(g[i]));
      }
      ++i;
      continue;
    }
    size_t end = i, word = 0;
    for (; end < g.size() && !g[end].space && !g[end].newline; ++end) word += g[end].width;
    if (used > 0 && used + word > column) next_line(true);
    for (; i < end; ++i) {
      if (used > 0 && used + g[i].width > column) next_line(true);
      used += g[i].width;
      lines.back().push_back(std::move(g[i]));
    }
  }
  return lines;
}

// One line, coloured by passage when `colour`, padded to `column` cells
// when `pad`.
std::string Render(const std::vector<Glyph>& line, size_t column, bool colour, bool pad) {
  std::string out;
  size_t used = 0;
  int on = -1;  // the style in force: a passage's colour k, the edit colour (-2), or none (-1)
  for (const Glyph& x : line) {
    const int want = x.edit ? -2 : x.passage;
    if (colour && want != on) {
      if (on != -1) out += kReset;
      if (want != -1) out += want == -2 ? kEdit : kColours[want % 4];
      on = want;
    }
    out += x.text;
    used += x.width;
  }
  if (on != -1) out += kReset;
  if (pad && used < column) out.append(column - used, ' ');
  return out;
}

// For each of a side's n code points, the first passage (by its index)
// that covers it.
std::vector<int> Owners(size_t n, const std::vector<Passage>& passages, bool side_a) {
  std::vector<int> owner(n, -1);
  for (size_t k = 0; k < passages.size(); ++k) {
    const uint32_t from = side_a ? passages[k].a_start : passages[k].b_start;
    const uint32_t to = std::min<size_t>(side_a ? passages[k].a_end : passages[k].b_end, owner.size());
    for (uint32_t i = from; i < to; ++i)
      if (owner[i] < 0) owner[i] = static_cast<int>(k);
  }
  return owner;
}

std::vector<bool> EditMask(size_t n, const std::vector<Span>& edits) {
  std::vector<bool> edit(n, false);
  for (const Span& e : edits)
    for (uint32_t i = e.begin; i < e.end && i < edit.size(); ++i) edit[i] = true;
  return edit;
}

}  // namespace

std::vector<std::string> SideBySide(const std::string& a, const std::string& b, const PairReport& report,
                                    size_t column, bool colour) {
  std::vector<Passage> ordered = report.passages;
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Passage& x, const Passage& y) { return x.a_start < y.a_start; });
  column = std::max<size_t>(column, 8);
  auto side = [&](const std::string& s, bool side_a) {
    const std::vector<size_t> at = CodePointOffsets(s);
    const size_t n = at.size() - 1;
    return Wrap(Glyphs(s, at, Owners(n, ordered, side_a), EditMask(n, side_a ? report.edits_a : report.edits_b),
                       ordered.size(), colour, side_a ? EditMarks{"[-", "-]"} : EditMarks{"{+", "+}"}),
                column);
  };
  auto left = side(a, true), right = side(b, false);
  std::vector<std::string> rows;
  static const std::vector<Glyph> kNone;
  for (size_t i = 0; i < std::max(left.size(), right.size()); ++i)
    rows.push_back(Render(i < left.size() ? left[i] : kNone, column, colour, true) + " \u2502 " +
                   Render(i < right.size() ? right[i] : kNone, column, colour, false));
  return rows;
}

}  // namespace doppel::cli
