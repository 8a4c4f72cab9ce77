// doppel/compare.h — one pair, explained: similarity, relation and passages.
//
// Thread safety: functions are safe for concurrent use.
//
// The same measures as a scan, on two texts alone: word 3-gram Jaccard and
// containment (no corpus, so no shingle is common), the figure check, and
// aligned passages. Used by `doppel compare`.
#pragma once

#include <string>
#include <vector>

#include "doppel/align.h"
#include "doppel/options.h"
#include "doppel/status.h"

namespace doppel {

// A range of code points [begin, end) of one text.
struct Span {
  uint32_t begin = 0, end = 0;
};

struct PairReport {
  std::string relation;  // "exact", "near", "partial" or "none"
  double jaccard = 0, containment = 0;
  bool figures_differ = false;  // a template: the figure veto of verify.h, or SharedFiguresDiffer (align.h)
  bool text_figures_differ = false;  // TextFiguresDiffer (align.h): near by the words, a part by the figures
  std::vector<Passage> passages;
  double cover_a = 0, cover_b = 0;  // share of each text's words inside passages
  // What changed inside the passages: runs of words one side's passage has
  // and the other's lacks (a word diff of the two slices, on normalised
  // words; a changed word shows on both sides), in text order. Passages of
  // more than kMaxDiffCells word pairs are not diffed.
  std::vector<Span> edits_a, edits_b;
};
inline constexpr size_t kMaxDiffCells = size_t{4} << 20;

PairReport ComparePair(const std::string& a, const std::string& b, const ScanOptions& options);

// Looks up documents by id in the inputs (JSONL, text files, directories);
// texts[i] is the text of ids[i]. NotFound names the first missing id.
Status LoadById(const ScanOptions& options, const std::vector<std::string>& inputs,
                const std::vector<std::string>& ids, std::vector<std::string>* texts);

}  // namespace doppel
