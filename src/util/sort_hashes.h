// Internal: sorting lists of uniformly distributed 64-bit hashes (shingle
// hashes, sketch bins) faster than a comparison sort. The top bits of a good
// hash spread the values evenly, so one counting pass into about n/2
// buckets leaves every value within a few places of where it belongs, and
// one insertion-sort pass finishes the job: O(n) expected, against
// O(n log n) for std::sort. Skewed input (many repeats of one value) stays
// correct and O(n log n).
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

namespace doppel::detail {

// Sorts [data, data + n) by key(x), a uniform 64-bit hash, using scratch as
// working space. Stable: equal keys keep their order. If all keys share
// their top `prefix_bits` bits, buckets use the bits below.
template <typename T, typename Key>
void SortByUniformKey(T* data, size_t n, std::vector<T>* scratch, int prefix_bits, Key key) {
  if (n < 64) {
    std::stable_sort(data, data + n, [&](const T& a, const T& b) { return key(a) < key(b); });
    return;
  }
  const int bits = std::bit_width(n) - 1;  // 2^bits buckets: n/2 < 2^bits <= n
  const int shift = 64 - bits;
  auto bucket = [&](const T& x) { return static_cast<size_t>((key(x) << prefix_bits) >> shift); };
  thread_local std::vector<uint32_t> start;
  start.assign((size_t{1} << bits) + 1, 0);
  for (size_t i = 0; i < n; ++i) ++start[bucket(data[i]) + 1];
  for (size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
  scratch->resize(n);
  T* a = scratch->data();
  for (size_t i = 0; i < n; ++i) a[start[bucket(data[i])]++] = data[i];
  // Each bucket is finished on its own (start[b] is now its end). Repeated
  // values (a frequent word) pile into one bucket, where insertion sort
  // would turn quadratic: large buckets take a merge sort.
  size_t lo = 0;
  for (size_t b = 0; b + 1 < start.size(); ++b) {
    const size_t hi = start[b];
    if (hi - lo > 32) {
      std::stable_sort(a + lo, a + hi, [&](const T& x, const T& y) { return key(x) < key(y); });
    } else {
      for (size_t i = lo + 1; i < hi; ++i) {
        T x = a[i];
        size_t j = i;
        for (; j > lo && key(a[j - 1]) > key(x); --j) a[j] = a[j - 1];
        a[j] = x;
      }
    }
    lo = hi;
  }
  std::copy(a, a + n, data);
}

// Sorts [data, data + n) ascending (see SortByUniformKey).
inline void SortUniformHashes(uint64_t* data, size_t n, std::vector<uint64_t>* scratch, int prefix_bits = 0) {
  SortByUniformKey(data, n, scratch, prefix_bits, [](uint64_t x) { return x; });
}

inline void SortUniformHashes(std::vector<uint64_t>* v, std::vector<uint64_t>* scratch) {
  SortUniformHashes(v->data(), v->size(), scratch);
}

// Sorts v and drops repeated values.
inline void SortUniqueUniformHashes(std::vector<uint64_t>* v, std::vector<uint64_t>* scratch) {
  SortUniformHashes(v, scratch);
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace doppel::detail
