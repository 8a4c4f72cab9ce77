// The two texts of a pair in two columns, their aligned passages marked,
// for `doppel compare` on a terminal.
#pragma once

#include <string>
#include <vector>

#include "doppel/compare.h"

namespace doppel::cli {

// Renders `a` and `b` as rows of two columns, each `column` terminal cells
// wide, joined by " │ ". Lines are wrapped between words (a word longer
// than a column is cut); widths are display cells, so wide (CJK) and
// zero-width (combining) characters keep the rule straight. Passage k
// (numbered from 1 in order of its start in `a`) is labelled [k] where it
// starts on each side, so a passage moved elsewhere in the other text can
// be found; it is shown in colour (one of a few, by k) when `colour`, else
// between « and ». What changed inside a passage (the report's edits) is
// red, else marked as a word diff: [-words A has-] and {+words B has+}.
// Offsets are code points, as in pairs.jsonl.
std::vector<std::string> SideBySide(const std::string& a, const std::string& b, const PairReport& report,
                                    size_t column, bool colour);

}  // namespace doppel::cli
