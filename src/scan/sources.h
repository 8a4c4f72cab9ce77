// Internal: which document of a pair or a copy cluster is the likely
// source. Dates decide when there are any (the earliest); without them the
// text itself does (docs/design.md, "Source").
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "doppel/align.h"
#include "scan/corpus.h"
#include "scan/verified_pair.h"

namespace doppel::detail {

// Sets `source` of every partial pair: the earlier dated text; without
// dates, the text the reused passages belong to (PassageCoherence, IDF over
// the pairs' documents); on a tie, the text they cover more completely.
// tokens_of(d) gives a document's prepared tokens.
void NamePartialSources(const Corpus& c, const std::function<std::span<const AlignToken>(uint32_t)>& tokens_of,
                        int threads, std::vector<VerifiedPair>* pairs);

// Source of every copy cluster: its earliest dated member; without dates,
// the member closest to the rest of its cluster (the sum of the Jaccards
// of its verified near pairs inside it: every copy derives from the
// source, so the source is near all of them while two copies are each
// other's near copies only if their edits are few), then the member its
// near pairs' passages cover most completely (a reprint adds a headline or
// captions; decides a cluster of two, where closeness is symmetric), then
// the representative. Exact copies share their leader's figures.
// `center` and `rep` give each document's cluster (by centre) and
// representative; `pairs` are the verified pairs (partial ones are skipped).
// Returns the source per document.
std::vector<uint32_t> ClusterSources(const Corpus& c, const std::vector<uint32_t>& group,
                                     const std::vector<uint32_t>& center, const std::vector<uint32_t>& rep,
                                     const std::vector<VerifiedPair>& pairs);

}  // namespace doppel::detail
