// doppel/sketch.h — stage 4: one-permutation MinHash sketches.
//
// Thread safety: an OphSketcher is immutable after construction; Sketch()
// is safe for concurrent use.
//
// Algorithm: one-permutation hashing (Li, Owen & Zhang, NIPS 2012) with
// densification by rotation (Shrivastava & Li, ICML 2014). Each shingle hash
// is mixed with the seed once; its top bits pick one of `bins` bins and its
// low 32 bits compete for that bin's minimum. An empty bin borrows the value
// of the next non-empty bin to its right, which keeps Pr[bin_i(A) ==
// bin_i(B)] close to the Jaccard similarity of A and B. Cost: one hash per shingle plus
// O(bins), against one hash per shingle *per permutation* for classic MinHash.
//
// Call sequence: OphSketcher s(bins, seed); s.Sketch(hashes, n, out).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace doppel {

class OphSketcher {
 public:
  // REQUIRES: bins is a power of two in 16..1024.
  OphSketcher(int bins, uint64_t seed);
  int bins() const { return bins_; }
  // Writes bins() values to out. Returns false (out untouched) if n == 0.
  bool Sketch(const uint64_t* hashes, size_t n, uint32_t* out) const;

 private:
  int bins_;
  int shift_;
  uint64_t seed_;
};

// Fraction of equal bins: an unbiased estimate of Jaccard similarity.
double EstimateJaccard(const uint32_t* a, const uint32_t* b, int bins);

}  // namespace doppel
