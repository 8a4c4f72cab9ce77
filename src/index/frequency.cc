// Document frequency of shingles, and a read-only set view for the result.
#include <algorithm>
#include <bit>

#include "doppel/index.h"
#include "util/huge_pages.h"
#include "util/parallel.h"

namespace doppel {
namespace {

// Values counted in one round: bounds the scatter buffer (4 bytes each).
constexpr size_t kRoundValues = size_t{1} << 22;
// Values a part should hold: small enough to count inside the L2 cache.
constexpr size_t kPartValues = size_t{1} << 13;

// Counts the n values of one part in an open-addressing table (about 2n
// slots, in L2 for a part of kPartValues) and appends the values seen more
// than `limit` times, with `top` (the part's bits) added, in ascending
// order. A table, not a sort: one probe a value instead of a counting pass,
// a scatter and a merge. A part far over its expected size (only heavily
// repeated values make one) is sorted instead, to bound the table.
void CountPart(uint32_t* v, size_t n, int limit, uint64_t top, std::vector<std::pair<uint64_t, uint32_t>>* found) {
  const size_t from = found->size();
  if (n > 64 * kPartValues) {
    std::sort(v, v + n);
    for (size_t i = 0; i < n;) {
      size_t j = i;
      while (j < n && v[j] == v[i]) ++j;
      if (j - i > static_cast<size_t>(limit)) found->emplace_back(top | v[i], static_cast<uint32_t>(j - i));
      i = j;
    }
    return;
  }
  struct Slot {
    uint32_t key, count;  // count 0: free; one cache line holds both
  };
  thread_local std::vector<Slot> table_tls;  // all free again after each call
  thread_local std::vector<uint32_t> used_tls;  // slots taken, to read and free (not the whole table)
  // Plain references: every use of a thread_local by name goes through its
  // initialisation check, a quarter of this loop's time.
  std::vector<Slot>& table = table_tls;
  std::vector<uint32_t>& used = used_tls;
  const int slot_bits = std::max(6, static_cast<int>(std::bit_width(2 * n)));
  const size_t cap = size_t{1} << slot_bits, mask = cap - 1;
  if (table.size() < cap) table.assign(cap, Slot{0, 0});
  used.resize(n);
  Slot* t = table.data();
  uint32_t* u = used.data();
  size_t taken = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t s = (v[i] * 0x9E3779B1u) >> (32 - slot_bits);  // mixed: any input spreads
    while (t[s].count != 0 && t[s].key != v[i]) s = (s + 1) & mask;
    u[taken] = static_cast<uint32_t>(s);
    taken += t[s].count == 0;
    t[s].key = v[i];
    ++t[s].count;
  }
  for (size_t k = 0; k < taken; ++k) {
    const uint32_t s = u[k];
    if (t[s].count > static_cast<uint32_t>(limit)) found->emplace_back(top | t[s].key, t[s].count);
    t[s].count = 0;
  }
  std::sort(found->begin() + from, found->end());
}

}  // namespace

// Exact counts of keys, cache-friendly: the hash space is cut into parts by
// the top bits of the (uniform) values, every list's values are scattered
// into their part, then each part is counted on its own (CountPart).
// Random increments into one big table missed the cache on almost every
// value (about 100 ms for 4 M shingles, no faster with two threads); the
// scatter writes sequentially into a few thousand streams and each part's
// table fits in L2. A value is scattered as its low 32 bits (its part holds
// the top bits): half the bytes of a 64-bit value to move. Parts are
// processed in rounds of kRoundValues values so the extra memory stays
// bounded (16 MiB) however large the corpus. Output is in part order and
// sorted within parts, hence sorted, whatever the threads.
FrequentKeys FrequentHashes(const std::vector<std::span<const uint64_t>>& lists, int limit, int threads) {
  threads = std::max(1, threads);
  size_t total = 0;
  for (const auto& l : lists) total += l.size();
  const int bits = std::min(20, static_cast<int>(std::bit_width(total / kPartValues)));
  const size_t parts = size_t{1} << bits;
  auto part_of = [bits](uint64_t h) { return bits ? static_cast<size_t>(h >> (64 - bits)) : size_t{0}; };
  FrequentKeys out;
  out.mask = (bits ? ~uint64_t{0} << (64 - bits) : 0) | 0xFFFFFFFFULL;

  // Each worker owns a contiguous range of lists (about equal values), so the
  // scatter order within a part is fixed: worker 0's values first.
  std::vector<size_t> first(threads + 1, lists.size());
  first[0] = 0;
  for (size_t i = 0, seen = 0, w = 1; i < lists.size() && w < static_cast<size_t>(threads); ++i) {
    seen += lists[i].size();
    if (seen * threads >= total * w) first[w++] = i + 1;
  }
  std::vector<std::vector<uint32_t>> hist(threads, std::vector<uint32_t>(parts, 0));
  detail::ParallelFor(threads, threads, 1, [&](size_t b, size_t e, int) {
    for (size_t w = b; w < e; ++w)
      for (size_t i = first[w]; i < first[w + 1]; ++i)
        for (uint64_t h : lists[i]) ++hist[w][part_of(h)];
  });

  detail::HugeArray<uint32_t> buf;
  std::vector<std::vector<std::pair<uint64_t, uint32_t>>> found(parts);
  std::vector<size_t> part_begin(parts + 1);
  for (size_t p0 = 0; p0 < parts;) {
    // This round: parts [p0, p1) holding at most kRoundValues values (at least one part).
    size_t p1 = p0, size = 0;
    for (; p1 < parts; ++p1) {
      size_t in_part = 0;
      for (int w = 0; w < threads; ++w) in_part += hist[w][p1];
      if (p1 > p0 && size + in_part > kRoundValues) break;
      part_begin[p1] = size;
      size += in_part;
    }
    part_begin[p1] = size;
    buf.resize(size);
    const bool whole = p0 == 0 && p1 == parts;  // one round: no part filter
    detail::ParallelFor(threads, threads, 1, [&](size_t b, size_t e, int) {
      for (size_t w = b; w < e; ++w) {
        std::vector<size_t> at(part_begin.begin() + p0, part_begin.begin() + p1);
        for (size_t v = 0; v < w; ++v)
          for (size_t p = p0; p < p1; ++p) at[p - p0] += hist[v][p];
        for (size_t i = first[w]; i < first[w + 1]; ++i)
          for (uint64_t h : lists[i]) {
            size_t p = part_of(h);
            if (whole || (p >= p0 && p < p1)) buf[at[p - p0]++] = static_cast<uint32_t>(h);
          }
      }
    });
    detail::ParallelFor(p1 - p0, threads, 16, [&](size_t b, size_t e, int) {
      for (size_t p = p0 + b; p < p0 + e; ++p)
        CountPart(buf.data() + part_begin[p], part_begin[p + 1] - part_begin[p], limit,
                  bits ? uint64_t{p} << (64 - bits) : 0, &found[p]);
    });
    p0 = p1;
  }
  for (const auto& f : found)
    for (auto [h, c] : f) {
      out.keys.push_back(h);
      out.counts.push_back(c);
    }
  return out;
}

HashSetView::HashSetView(std::vector<uint64_t> sorted, uint64_t mask) : sorted_(std::move(sorted)), mask_(mask) {
  // Open addressing, load <= 1/4: a lookup is one cache line almost always.
  size_t cap = 16;
  while (cap < sorted_.size() * 4) cap <<= 1;
  table_.assign(cap, 0);
  for (uint64_t h : sorted_) {
    uint64_t v = h ? h : 1;  // 0 marks a free slot; 0 and 1 share a slot, resolved below
    size_t i = Slot(v, cap);
    while (table_[i] != 0 && table_[i] != v) i = (i + 1) & (cap - 1);
    table_[i] = v;
  }
  has_zero_ = std::binary_search(sorted_.begin(), sorted_.end(), 0);
  has_one_ = std::binary_search(sorted_.begin(), sorted_.end(), 1);
  size_t bits = 64;
  while (bits < sorted_.size() * 16) bits <<= 1;
  filter_shift_ = 64 - std::countr_zero(bits);
  filter_.assign(bits / 64, 0);
  for (uint64_t h : sorted_) filter_[FilterBit(h) >> 6] |= uint64_t{1} << (FilterBit(h) & 63);
}

bool HashSetView::InTable(uint64_t h) const {
  if (h <= 1) return h ? has_one_ : has_zero_;
  const size_t cap = table_.size();
  for (size_t i = Slot(h, cap);; i = (i + 1) & (cap - 1)) {
    if (table_[i] == h) return true;
    if (table_[i] == 0) return false;
  }
}

}  // namespace doppel
