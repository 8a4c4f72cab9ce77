// Internal: a verified related pair as the scan carries it from
// verification to the written pairs.jsonl.
#pragma once

#include <cstdint>
#include <vector>

#include "doppel/align.h"
#include "doppel/verify.h"

namespace doppel::detail {

// How a verified pair is related; exact pairs are implied by exact groups.
enum class PairRelation : uint8_t {
  kNear,     // a near-copy: the clusters' edges
  kPartial,  // a passage of one reused in the other
  kRewrite,  // the same content in other words
};

// The relation as pairs.jsonl spells it.
inline const char* RelationName(PairRelation r) {
  switch (r) {
    case PairRelation::kPartial:
      return "partial";
    case PairRelation::kRewrite:
      return "rewrite";
    case PairRelation::kNear:
      break;
  }
  return "near";
}

struct VerifiedPair {
  uint32_t a, b;
  Similarity sim;
  PairRelation relation = PairRelation::kNear;
  double score = 0;                 // ranks pairs: Jaccard for near, passage share for partial,
                                    // shared vocabulary for rewrite
  std::vector<Passage> passages;    // empty when passages are off
  PassageCover cover;               // how much of each text the passages hold
  uint32_t source = UINT32_MAX;     // partial pairs: the likely source (a or b)
  bool near_by_words = false;       // partial pairs: near by their shingles, not by their figures
                                    // taken whole (TextFiguresDiffer), and more than shared edges
};

}  // namespace doppel::detail
