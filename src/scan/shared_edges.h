// Internal: boilerplate too rare to be common. A footer that a handful of
// unrelated texts end with (or a header they open with) recurs in fewer
// documents than --common-df, so its shingles count as evidence: every two
// of its carriers look like partial reuse of each other, and two short
// carriers even like near-copies. What gives it away is where it sits: the
// same passage at the very end (or start) of three or more texts that are
// not copies of each other, and no more than half of any of them. A reused
// passage sits anywhere in its host, rarely at the edge of both texts at
// once; a reprint shares most of both texts.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "doppel/align.h"
#include "doppel/shingle.h"
#include "scan/verified_pair.h"

namespace doppel::detail {

// What DropSharedEdges found.
struct SharedEdges {
  uint64_t docs = 0;           // texts whose ending or opening recurs in two or more other copy clusters
  uint64_t near_pairs = 0;     // near pairs that shared only such an edge (dropped)
  uint64_t partial_pairs = 0;  // partial pairs that were such an edge and nothing more reused
  std::vector<uint8_t> near_kept;  // per near pair: 0 when it shared only such an edge
  // Where the boilerplate edges lie: token ranges of the documents that
  // carry one, sorted by document (the story stage takes them out of the
  // story terms as it does common boilerplate).
  std::vector<std::pair<uint32_t, TokenRange>> spans;
};

// A shared edge is a passage that ends both texts of a pair (or opens
// both) and holds at most half of each. An edge recurs when a text shares
// it with at least two other copy clusters: three or more texts hold it
// (counted over every near pair that is nothing but shared edges and every
// aligned partial candidate, reuse or not).
// A pair's shared edge is boilerplate when it recurs in either text of the
// pair (the other need not have been paired with the rest).
//
// Near pairs (with their passages) whose every passage is such boilerplate
// are marked 0 in near_kept. Partial pairs with reuse[i] set lose their
// boilerplate passages and are tested again with IsPartialReuse (reuse[i]
// cleared when the rest fails). Copy clusters are the components of `group`
// (exact copies) joined by the near pairs that are more than shared edges,
// and by the partial pairs marked near_by_words.
// tokens_of(d) gives a document's prepared tokens. Deterministic: depends on
// no order of work.
//
// near_edge_only[i] is OnlySharedEdges of near[i] (worked out by the
// caller where it aligns the pair, with both texts' tokens in cache).
SharedEdges DropSharedEdges(size_t docs, const std::vector<uint32_t>& group,
                            const std::function<std::span<const AlignToken>(uint32_t)>& tokens_of,
                            const ReuseRule& rule, const std::vector<VerifiedPair>& near,
                            const std::vector<uint8_t>& near_edge_only, std::vector<VerifiedPair>* partial,
                            std::vector<uint8_t>* reuse);

// True when the pair has passages and each holds a shared edge: the two
// texts may be carriers of one footer and nothing more.
bool OnlySharedEdges(const VerifiedPair& p, std::span<const AlignToken> a, std::span<const AlignToken> b);

}  // namespace doppel::detail
