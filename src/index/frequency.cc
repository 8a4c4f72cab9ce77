// Document frequency of shingles, and a read-only set view for the result.
#include <algorithm>

#include "doppel/index.h"
#include "util/parallel.h"

namespace doppel {
namespace {

// About one 8-bit counter per value, between 64 KiB and 4 MiB.
int CounterBits(size_t values) {
  int bits = 16;
  while (bits < 22 && (size_t{1} << bits) < values) ++bits;
  return bits;
}

}  // namespace

// Two passes. (1) Each worker adds its lists into its own table of 8-bit
// saturating counters indexed by a hash of the value; the sum over workers
// bounds each value's true count from above (collisions only add). (2)
// Values whose bound exceeds the limit — common ones and a few unlucky
// collisions — are gathered, sorted and counted exactly. Most corpora have
// few common shingles, so the sort is small; the counters stay in cache.
std::vector<uint64_t> FrequentHashes(const std::vector<std::span<const uint64_t>>& lists, int limit, int threads,
                                     std::vector<uint32_t>* counts) {
  size_t values = 0;
  for (const auto& l : lists) values += l.size();
  const int bits = CounterBits(values);
  const size_t slots = size_t{1} << bits;
  auto slot_of = [bits](uint64_t h) { return static_cast<size_t>((h * 0x9E3779B97F4A7C15ULL) >> (64 - bits)); };
  threads = std::max(1, threads);
  std::vector<std::vector<uint8_t>> counters(threads);
  detail::ParallelFor(lists.size(), threads, 512, [&](size_t b, size_t e, int w) {
    std::vector<uint8_t>& c = counters[w];
    if (c.empty()) c.assign(slots, 0);
    for (size_t i = b; i < e; ++i)
      for (uint64_t h : lists[i]) {
        uint8_t& x = c[slot_of(h)];
        x += x != 255;
      }
  });
  std::vector<uint8_t> bound = std::move(counters[0]);
  if (bound.empty()) bound.assign(slots, 0);
  for (int w = 1; w < threads; ++w) {
    const auto& c = counters[w];
    if (c.empty()) continue;
    for (size_t i = 0; i < slots; ++i) bound[i] = static_cast<uint8_t>(std::min(255, bound[i] + c[i]));
  }
  std::vector<std::vector<uint64_t>> maybe(threads);
  detail::ParallelFor(lists.size(), threads, 512, [&](size_t b, size_t e, int w) {
    for (size_t i = b; i < e; ++i)
      for (uint64_t h : lists[i])
        if (bound[slot_of(h)] > limit) maybe[w].push_back(h);
  });
  std::vector<uint64_t> all;
  for (auto& m : maybe) all.insert(all.end(), m.begin(), m.end());
  std::sort(all.begin(), all.end());
  std::vector<uint64_t> out;
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j] == all[i]) ++j;
    if (static_cast<int64_t>(j - i) > limit) {
      out.push_back(all[i]);
      if (counts) counts->push_back(static_cast<uint32_t>(j - i));
    }
    i = j;
  }
  return out;
}

HashSetView::HashSetView(std::vector<uint64_t> sorted) : sorted_(std::move(sorted)) {
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
}

bool HashSetView::Contains(uint64_t h) const {
  if (h <= 1) return h ? has_one_ : has_zero_;
  const size_t cap = table_.size();
  for (size_t i = Slot(h, cap);; i = (i + 1) & (cap - 1)) {
    if (table_[i] == h) return true;
    if (table_[i] == 0) return false;
  }
}

}  // namespace doppel
