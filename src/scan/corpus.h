// Internal: the per-document state a scan keeps between stages, and the
// ingest step (read + parse + tokenise + shingle) that fills it.
//
// Memory model (per document, see docs/design.md): id bytes + ~100 bytes of
// fixed fields + 8 bytes per distinct shingle + 8 bytes per distinct number
// token + 32 bytes per figure (number run). The text itself is not kept: it is dropped right after shingling.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "doppel/options.h"
#include "doppel/read.h"
#include "doppel/scan.h"
#include "doppel/verify.h"
#include "util/huge_pages.h"

namespace doppel::detail {

// Many small lists stored back to back: one allocation instead of one per
// document, and no slack left by per-document vectors.
template <typename T>
struct Arena {
  HugeArray<T> data;
  std::vector<uint64_t> end;  // list d is data[end[d-1], end[d])
  uint64_t begin_of(size_t d) const { return d ? end[d - 1] : 0; }
  std::span<const T> operator[](size_t d) const {
    return std::span<const T>(data).subspan(begin_of(d), end[d] - begin_of(d));
  }
  std::span<T> mutable_list(size_t d) { return std::span<T>(data).subspan(begin_of(d), end[d] - begin_of(d)); }
};
using ListArena = Arena<uint64_t>;

struct Corpus {
  std::string id_bytes;
  std::vector<uint64_t> id_end;      // id of doc d is id_bytes[id_end[d-1], id_end[d])
  std::vector<int64_t> date_ms;
  std::vector<uint8_t> has_date;
  std::vector<uint64_t> length;      // code points
  std::vector<uint32_t> tokens;
  std::vector<uint32_t> file;
  std::vector<uint64_t> line;
  std::vector<uint64_t> offset;      // where its record lies in the file, to read it again
  std::vector<uint64_t> record_bytes;
  std::vector<uint64_t> exact;       // hash of the normalised token sequence
  ListArena shingles;                // sorted; [0, distinct[d]) distinctive, rest common
  std::vector<uint32_t> distinct;
  ListArena numbers;                 // NumberHashes()
  ListArena figures;                 // FigureSlots()
  ListArena story_terms;             // StoryTerms(): stem hashes, only when stories are wanted
  Arena<uint32_t> story_counts;      // count | name-or-number flag << 31
  // Until the story stage has taken boilerplate out of the story terms:
  Arena<uint16_t> story_positions;   // ShingleHashes() in_order: low 16 bits of each position's shingle
  Arena<uint16_t> story_token_terms; // StoryTerms() token_term: each token's index in story_terms[d]

  size_t size() const { return id_end.size(); }
  std::string_view id(size_t d) const {
    uint64_t b = d ? id_end[d - 1] : 0;
    return std::string_view(id_bytes).substr(b, id_end[d] - b);
  }
  ShingleView view(size_t d) const {
    std::span<const uint64_t> all = shingles[d];
    return ShingleView{all.first(distinct[d]), all.subspan(distinct[d]), numbers[d], figures[d]};
  }
};

// Reads every input into corpus, reporting bad records through
// options.on_diagnostic and counting them in report.
Status Ingest(const ScanOptions& options, const std::vector<InputFile>& files, int threads, Corpus* corpus,
              ScanReport* report);

}  // namespace doppel::detail
