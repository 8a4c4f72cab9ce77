// Internal: sorting lists of uniformly distributed 64-bit hashes (shingle
// hashes, sketch bins) faster than a comparison sort. The top bits of a good
// hash spread the values evenly, so one counting pass into n..2n
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
  if (n < 32) {
    std::stable_sort(data, data + n, [&](const T& a, const T& b) { return key(a) < key(b); });
    return;
  }
  const int bits = std::bit_width(n);  // 2^bits buckets: n < 2^bits <= 2n
  const int shift = 64 - bits;
  auto bucket = [&](const T& x) { return static_cast<size_t>((key(x) << prefix_bits) >> shift); };
  thread_local std::vector<uint32_t> start;
  start.assign((size_t{1} << bits) + 1, 0);
  uint32_t* st = start.data();
  for (size_t i = 0; i < n; ++i) ++st[bucket(data[i]) + 1];
  uint32_t most = 0;
  for (size_t b = 1; b < start.size(); ++b) {
    most = std::max(most, st[b]);
    st[b] += st[b - 1];
  }
  scratch->resize(n);
  T* a = scratch->data();
  for (size_t i = 0; i < n; ++i) a[st[bucket(data[i])]++] = data[i];
  // Repeated values (a frequent word) pile into one bucket, where insertion
  // would turn quadratic: then a merge sort of the whole.
  if (most > 32) {
    std::stable_sort(a, a + n, [&](const T& x, const T& y) { return key(x) < key(y); });
    std::copy(a, a + n, data);
    return;
  }
  // Each value now lies in its bucket, so one insertion pass over the whole
  // array, copying back as it goes, finishes the sort (a loop per bucket
  // mispredicted its exit at almost every one of them).
  for (size_t i = 0; i < n; ++i) {
    T x = a[i];
    size_t j = i;
    for (; j > 0 && key(data[j - 1]) > key(x); --j) data[j] = data[j - 1];
    data[j] = x;
  }
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
