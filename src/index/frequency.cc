// Document frequency of shingles, and a read-only set view for the result.
#include <algorithm>
#include <bit>

#include "doppel/index.h"
#include "util/huge_pages.h"
#include "util/parallel.h"
#include "util/sort_hashes.h"

namespace doppel {
namespace {

// Values counted in one round: bounds the scatter buffer (8 bytes each).
constexpr size_t kRoundValues = size_t{1} << 21;
// Values a part should hold: small enough to sort inside the L2 cache.
constexpr size_t kPartValues = size_t{1} << 13;

}  // namespace

// Exact counts, cache-friendly: the hash space is cut into parts by the top
// bits of the (uniform) values, every list's values are scattered into
// their part, then each part is sorted on its own and its runs counted.
// Random increments into one big table missed the cache on almost every
// value (about 100 ms for 4 M shingles, no faster with two threads); the
// scatter writes sequentially into a few thousand streams and each part
// fits in L2. Parts are processed in rounds of kRoundValues values so the
// extra memory stays bounded (16 MiB) however large the corpus. Output is in
// part order and sorted within parts, hence sorted, whatever the threads.
std::vector<uint64_t> FrequentHashes(const std::vector<std::span<const uint64_t>>& lists, int limit, int threads,
                                     std::vector<uint32_t>* counts) {
  threads = std::max(1, threads);
  size_t total = 0;
  for (const auto& l : lists) total += l.size();
  const int bits = std::min(20, static_cast<int>(std::bit_width(total / kPartValues)));
  const size_t parts = size_t{1} << bits;
  auto part_of = [bits](uint64_t h) { return bits ? static_cast<size_t>(h >> (64 - bits)) : size_t{0}; };

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

  std::vector<uint64_t> out;
  detail::HugeArray<uint64_t> buf;
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
    detail::ParallelFor(threads, threads, 1, [&](size_t b, size_t e, int) {
      for (size_t w = b; w < e; ++w) {
        std::vector<size_t> at(part_begin.begin() + p0, part_begin.begin() + p1);
        for (size_t v = 0; v < w; ++v)
          for (size_t p = p0; p < p1; ++p) at[p - p0] += hist[v][p];
        for (size_t i = first[w]; i < first[w + 1]; ++i)
          for (uint64_t h : lists[i]) {
            size_t p = part_of(h);
            if (p >= p0 && p < p1) buf[at[p - p0]++] = h;
          }
      }
    });
    detail::ParallelFor(p1 - p0, threads, 16, [&](size_t b, size_t e, int) {
      for (size_t p = p0 + b; p < p0 + e; ++p) {
        uint64_t* lo = buf.data() + part_begin[p];
        uint64_t* hi = buf.data() + part_begin[p + 1];
        thread_local std::vector<uint64_t> scratch;
        detail::SortUniformHashes(lo, static_cast<size_t>(hi - lo), &scratch, bits);
        for (uint64_t* x = lo; x < hi;) {
          uint64_t* y = x;
          while (y < hi && *y == *x) ++y;
          if (y - x > limit) found[p].emplace_back(*x, static_cast<uint32_t>(y - x));
          x = y;
        }
      }
    });
    p0 = p1;
  }
  for (const auto& f : found)
    for (auto [h, c] : f) {
      out.push_back(h);
      if (counts) counts->push_back(c);
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
  size_t bits = 64;
  while (bits < sorted_.size() * 16) bits <<= 1;
  filter_shift_ = 64 - std::countr_zero(bits);
  filter_.assign(bits / 64, 0);
  for (uint64_t h : sorted_) filter_[(h >> filter_shift_) >> 6] |= uint64_t{1} << ((h >> filter_shift_) & 63);
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
