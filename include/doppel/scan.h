// doppel/scan.h — the batch engine: read → normalise → shingle → exact hash →
// sketch → LSH → verify → cluster → write.
//
// Thread safety: RunScan may be called from any thread; concurrent calls
// must use different out_dir. Internally it uses options.threads workers.
//
// Results are byte-identical for the same inputs and options whatever the
// thread count: documents are numbered in input order, every parallel step
// writes by index, and every list written is sorted.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "doppel/index.h"
#include "doppel/options.h"
#include "doppel/status.h"

namespace doppel {

struct StageTime {
  std::string stage;
  double seconds = 0;
};

struct ScanReport {
  uint64_t records = 0;        // JSONL lines and text files seen
  uint64_t docs = 0;           // records that became documents
  uint64_t bytes = 0;          // input bytes after decompression
  uint64_t words = 0;          // tokens over all documents
  uint64_t empty_docs = 0;     // no word at all: counted, never clustered
  uint64_t short_docs = 0;     // fewer words than a shingle: exact matching only
  std::map<std::string, uint64_t> skipped;   // reason -> records not used
  std::map<std::string, uint64_t> repaired;  // reason -> records fixed and used
  uint64_t exact_pairs = 0;    // written (each copy paired with its group's first)
  uint64_t near_pairs = 0;     // verified and written
  uint64_t partial_pairs = 0;  // passages reused without being near-copies
  uint64_t rewrite_pairs = 0;  // the same content in other words, not copies (--find rewrite)
  uint64_t partial_candidates = 0;
  uint64_t edge_boilerplate_docs = 0;   // texts whose ending or opening recurs in 3+ unrelated texts
  uint64_t edge_boilerplate_near = 0;     // near pairs that shared only such an edge (dropped)
  uint64_t edge_boilerplate_partial = 0;  // partial candidates that reused nothing else (dropped)
  uint64_t candidates = 0;     // LSH candidate pairs verified
  uint64_t vetoed_by_numbers = 0;  // candidates over threshold whose figures differ
  uint64_t near_figures_partial = 0;  // near by their words, not by their figures taken whole
                                      // (TextFiguresDiffer): tested as partial reuse instead
  uint64_t common_shingles = 0;    // distinct shingles over common_df
  uint64_t clusters = 0;           // clusters with more than one document
  uint64_t docs_in_clusters = 0;
  uint64_t largest_cluster = 0;
  uint64_t dedup_written = 0;      // lines in --dedup-out
  uint64_t stories = 0;            // stories with more than one document
  uint64_t docs_in_stories = 0;
  uint64_t largest_story = 0;
  struct Boilerplate {
    std::string text;   // the passage as written in one document that carries it
    uint32_t docs = 0;  // distinct documents carrying its most frequent shingle
  };
  std::vector<Boilerplate> boilerplate;  // most frequent first
  LshParams lsh;
  int threads = 1;
  std::vector<StageTime> stages;
  double seconds = 0;
};

// Runs a whole scan and writes DIR/pairs.jsonl, DIR/clusters.jsonl,
// DIR/summary.json, DIR/stories.jsonl when stories are wanted (the default),
// and the --dedup-out file. A bad record is reported through
// options.on_diagnostic and skipped or repaired; an unreadable or truncated
// input, or an output doppel may not write, ends the scan with an error.
Result<ScanReport> RunScan(const ScanOptions& options);

// Version string of this build, e.g. "0.1.0".
const char* Version();

}  // namespace doppel
