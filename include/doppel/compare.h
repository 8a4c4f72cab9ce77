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

struct PairReport {
  std::string relation;  // "exact", "near", "partial" or "none"
  double jaccard = 0, containment = 0;
  bool figures_differ = false;
  std::vector<Passage> passages;
  double cover_a = 0, cover_b = 0;  // share of each text's words inside passages
};

PairReport ComparePair(const std::string& a, const std::string& b, const ScanOptions& options);

// Looks up documents by id in the inputs (JSONL, text files, directories);
// texts[i] is the text of ids[i]. NotFound names the first missing id.
Status LoadById(const ScanOptions& options, const std::vector<std::string>& inputs,
                const std::vector<std::string>& ids, std::vector<std::string>* texts);

}  // namespace doppel
