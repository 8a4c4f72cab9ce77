// Internal: the per-document state a scan keeps between stages, and the
// ingest step (read + parse + tokenise + shingle) that fills it.
//
// Memory model (per document, see docs/design.md): id bytes + ~80 bytes of
// fixed fields + 12 bytes per list (where it lies) + 8 bytes per distinct
// shingle + 8 bytes per distinct number token + 32 bytes per figure.
// The text itself is not kept: it is dropped right after shingling.
#pragma once

#include <algorithm>
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
#include "util/parallel.h"

namespace doppel::detail {

// Many small lists, each contiguous, in blocks that never move. Every
// ingest worker fills its own chain of blocks: a list is written once, in
// place, by the core that made it (a shared array had to wait for the
// documents to be numbered, then took a second pass to copy every list in),
// and the corpus records where each document's list lies.
template <typename T>
class Arena {
 public:
  // One worker's chain of blocks.
  class Writer {
   public:
    explicit Writer(size_t block) : block_(block) {}
    // Copies `list` into the current block (a new one when it does not fit).
    std::span<const T> Append(const std::vector<T>& list) {
      if (list.size() > room_) {
        blocks_.emplace_back(std::max(block_, list.size()));
        next_ = blocks_.back().data();
        room_ = blocks_.back().size();
      }
      T* at = next_;
      std::copy(list.begin(), list.end(), at);
      next_ += list.size();
      room_ -= list.size();
      return std::span<const T>(at, list.size());
    }

   private:
    size_t block_;
    std::vector<HugeArray<T>> blocks_;  // moving a HugeArray keeps its data where it is
    T* next_ = nullptr;
    size_t room_ = 0;
  };
  // Gives each of `workers` a writer whose blocks hold `block` elements
  // (address space: pages are touched as lists arrive).
  void StartWriters(int workers, size_t block) {
    for (int w = 0; w < workers; ++w) writers_.push_back(Padded<Writer>{Writer(block)});
  }
  Writer& writer(int w) { return writers_[w].value; }
  // Makes `list` (written by one of the writers) the next document's.
  void Add(std::span<const T> list) {
    begin_.push_back(list.data());
    size_.push_back(static_cast<uint32_t>(list.size()));
  }
  std::span<const T> operator[](size_t d) const { return std::span<const T>(begin_[d], size_[d]); }
  std::span<T> mutable_list(size_t d) { return std::span<T>(const_cast<T*>(begin_[d]), size_[d]); }

 private:
  std::vector<Padded<Writer>> writers_;  // written by their workers at once: no shared cache lines
  std::vector<const T*> begin_;
  std::vector<uint32_t> size_;
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
  std::vector<uint32_t> exact_group; // the first document with the same normalised text (d itself if none)
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
