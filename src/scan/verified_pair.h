// Internal: a verified related pair as the scan carries it from
// verification to the written pairs.jsonl.
#pragma once

#include <cstdint>
#include <vector>

#include "doppel/align.h"
#include "doppel/verify.h"

namespace doppel::detail {

// Near, partial or rewrite; exact pairs are implied by exact groups.
struct VerifiedPair {
  uint32_t a, b;
  Similarity sim;
  bool partial = false;
  bool rewrite = false;             // same content in other words (then not partial)
  double score = 0;                 // ranks pairs: Jaccard for near, passage share for partial,
                                    // shared vocabulary for rewrite
  std::vector<Passage> passages;    // empty when passages are off
  PassageCover cover;               // how much of each text the passages hold
  uint32_t source = UINT32_MAX;     // partial pairs: the likely source (a or b)
};

}  // namespace doppel::detail
