// Internal: boilerplate too rare to be common. A footer that a handful of
// unrelated texts end with (or a header they open with) recurs in fewer
// documents than --common-df, so its shingles count as evidence, and every
// two of those texts look like partial reuse of each other. What gives it
// away is where it sits: the same passage at the very end (or start) of
// three or more texts that are not copies of each other. Reused passages
// sit anywhere in their host, and rarely at the edge of both texts at once.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "doppel/align.h"
#include "scan/verified_pair.h"

namespace doppel::detail {

// What DropSharedEdges found.
struct SharedEdges {
  uint64_t docs = 0;   // texts whose ending or opening recurs in two or more other copy clusters
  uint64_t pairs = 0;  // partial pairs that were such an edge and nothing more
};

// For the partial pairs with reuse[i] set: a passage that ends both texts
// (or opens both), where one of the two shares that edge with at least two
// other copy clusters (so three or more hold it: the other text of the pair
// need not have been paired with the rest), is boilerplate; it is taken out of the
// pair's passages and the rest tested again with IsPartialReuse (reuse[i]
// cleared when it fails). Copy clusters here are the components of `group`
// (exact copies) joined by the `near` pairs. tokens_of(d) gives a
// document's prepared tokens. Deterministic: depends on no order of work.
SharedEdges DropSharedEdges(size_t docs, const std::vector<uint32_t>& group, const std::vector<VerifiedPair>& near,
                            const std::function<std::span<const AlignToken>(uint32_t)>& tokens_of,
                            const ReuseRule& rule, std::vector<VerifiedPair>* partial, std::vector<uint8_t>* reuse);

}  // namespace doppel::detail
