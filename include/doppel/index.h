// doppel/index.h — stage 5: corpus statistics and candidate generation.
//
// Thread safety: functions are safe for concurrent use on distinct
// arguments; FrequentHashes and LshCandidates use `threads` workers inside.
//
// Two jobs, both over the whole corpus:
//  * document frequency of shingles, to find common phrases and boilerplate
//    (a shingle in more than `common_df` distinct documents);
//  * banded LSH over the sketches: documents that agree on all `rows` bins of
//    any of `bands` bands become candidates. The bands x rows split is chosen
//    like datasketch's _optimal_param (integrate the false-positive and
//    false-negative areas of the S-curve 1-(1-s^r)^b around the threshold)
//    but with misses weighted higher, because every candidate is verified.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace doppel {

struct LshParams {
  int bands = 0;
  int rows = 0;
};

// REQUIRES: 0 < threshold < 1, num_perm >= 1, 0 < fn_weight < 1.
LshParams OptimalLshParams(double threshold, int num_perm, double fn_weight);

// Probability that two sets of Jaccard similarity s become candidates.
double CandidateProbability(double s, LshParams p);

// Writes p.bands 64-bit keys for one sketch (row values of each band hashed
// with the band number). REQUIRES: p.rows <= 64, bands * rows <= bins.
void BandKeys(const uint32_t* sketch, LshParams p, uint64_t* keys);

// Candidate pairs (a < b) from a bands x docs key matrix (the key of
// document d in band b at keys[b * docs + d], so each band is read
// sequentially); documents whose has_sketch is false take no part. Each
// document pairs, in each band, with the first member of its bucket and
// with the max_bucket - 1 members just before it (by document number): a
// bucket of a thousand reprints yields a star around its first member plus
// short chains, not half a million pairs, while a copy cluster stays
// connected through its first member. Then each document keeps the
// max_partners earlier documents it shares the most bands with (the most
// similar by the sketch; ties to the earlier). So candidates are at most
// max_partners per document, and the memory to find them at most
// 16 x bands x max_bucket bytes per document. Sorted, unique.
std::vector<std::pair<uint32_t, uint32_t>> LshCandidates(std::span<const uint64_t> keys,
                                                         const std::vector<uint8_t>& has_sketch, int bands,
                                                         int max_bucket, int max_partners, int threads);

// Values that occur more than `limit` times in the concatenation of the
// given sorted, duplicate-free lists of uniform hashes (i.e. in more than
// limit lists), counted by key: a value's key keeps its top bits (those
// that cut the counting into cache-sized parts, up to 20) and its low 32
// bits, so the counting moves 4 bytes a value, not 8. Values that differ
// only in the bits between (with n distinct values, about n^2 / 2^(33 +
// prefix) pairs: a couple in a corpus of millions of shingles) are counted
// together. REQUIRES: values are uniform hashes, or differ in their low 32
// bits.
struct FrequentKeys {
  std::vector<uint64_t> keys;     // sorted keys counted more than limit times
  std::vector<uint32_t> counts;   // lists holding each key
  uint64_t mask = ~uint64_t{0};   // key of a value h: h & mask
};
FrequentKeys FrequentHashes(const std::vector<std::span<const uint64_t>>& lists, int limit, int threads);

// Membership in a set of hashes; built once, then read-only (safe for
// concurrent Contains).
class HashSetView {
 public:
  // Members are the keys of `sorted` under `mask` (see FrequentKeys): h is
  // in the set when h & mask is. REQUIRES: sorted holds masked values.
  explicit HashSetView(std::vector<uint64_t> sorted, uint64_t mask = ~uint64_t{0});
  // Inline, with a one-bit-per-slot filter in front of the table: callers
  // ask about every shingle of the corpus and almost all answers are "no",
  // which the filter (16 bits per member, about 1/16 false "maybe") gives
  // from a few KiB that stay in L1/L2 instead of a probe of the larger table.
  bool Contains(uint64_t h) const {
    h &= mask_;
    const uint64_t bit = FilterBit(h);
    if (!(filter_[bit >> 6] >> (bit & 63) & 1)) return false;
    return InTable(h);
  }
  size_t size() const { return sorted_.size(); }
  uint64_t Key(uint64_t h) const { return h & mask_; }

 private:
  static size_t Slot(uint64_t h, size_t cap) { return (h * 0x9E3779B97F4A7C15ULL) >> 7 & (cap - 1); }
  // Mixed first: keys may carry no information in their high bits (masked
  // shingle keys, pairs of document numbers).
  uint64_t FilterBit(uint64_t h) const { return (h * 0xD6E8FEB86659FD93ULL) >> filter_shift_; }
  bool InTable(uint64_t h) const;
  std::vector<uint64_t> sorted_;
  std::vector<uint64_t> table_;
  std::vector<uint64_t> filter_;  // bit FilterBit(h) set for every member h
  uint64_t mask_;
  int filter_shift_ = 58;
  bool has_zero_ = false, has_one_ = false;
};

}  // namespace doppel
