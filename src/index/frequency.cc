// Document frequency of shingles, and a read-only set view for the result.
#include <algorithm>

#include "doppel/index.h"
#include "util/parallel.h"

namespace doppel {
namespace {

constexpr int kCounterBits = 22;  // 4 MiB of saturating 8-bit counters

inline size_t CounterSlot(uint64_t h) { return (h * 0x9E3779B97F4A7C15ULL) >> (64 - kCounterBits); }

}  // namespace

// Two passes. (1) Each worker adds its lists into its own table of 8-bit
// saturating counters indexed by a hash of the value; the sum over workers
// bounds each value's true count from above (collisions only add). (2)
// Values whose bound exceeds the limit — common ones and a few unlucky
// collisions — are gathered, sorted and counted exactly. Most corpora have
// few common shingles, so the sort is small; the counters stay in cache.
std::vector<uint64_t> FrequentHashes(const std::vector<const std::vector<uint64_t>*>& lists, int limit,
                                     int threads) {
  const size_t slots = size_t{1} << kCounterBits;
  threads = std::max(1, threads);
  std::vector<std::vector<uint8_t>> counters(threads);
  detail::ParallelFor(lists.size(), threads, 512, [&](size_t b, size_t e, int w) {
    std::vector<uint8_t>& c = counters[w];
    if (c.empty()) c.assign(slots, 0);
    for (size_t i = b; i < e; ++i)
      for (uint64_t h : *lists[i]) {
        uint8_t& x = c[CounterSlot(h)];
        x += x != 255;
      }
  });
  std::vector<uint8_t> bound(slots, 0);
  for (const auto& c : counters) {
    if (c.empty()) continue;
    for (size_t i = 0; i < slots; ++i) bound[i] = static_cast<uint8_t>(std::min(255, bound[i] + c[i]));
  }
  std::vector<std::vector<uint64_t>> maybe(threads);
  detail::ParallelFor(lists.size(), threads, 512, [&](size_t b, size_t e, int w) {
    for (size_t i = b; i < e; ++i)
      for (uint64_t h : *lists[i])
        if (bound[CounterSlot(h)] > limit) maybe[w].push_back(h);
  });
  std::vector<uint64_t> all;
  for (auto& m : maybe) all.insert(all.end(), m.begin(), m.end());
  std::sort(all.begin(), all.end());
  std::vector<uint64_t> out;
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j] == all[i]) ++j;
    if (static_cast<int64_t>(j - i) > limit) out.push_back(all[i]);
    i = j;
  }
  return out;
}

HashSetView::HashSetView(std::vector<uint64_t> sorted) : sorted_(std::move(sorted)) {
  size_t bits = 1 << 16;
  while (bits < sorted_.size() * 16) bits <<= 1;
  bitmap_.assign(bits / 64, 0);
  for (uint64_t h : sorted_) {
    uint64_t b = h & (bits - 1);
    bitmap_[b >> 6] |= uint64_t{1} << (b & 63);
  }
}

bool HashSetView::Contains(uint64_t h) const {
  uint64_t b = h & (bitmap_.size() * 64 - 1);
  if (!(bitmap_[b >> 6] >> (b & 63) & 1)) return false;
  return std::binary_search(sorted_.begin(), sorted_.end(), h);
}

}  // namespace doppel
