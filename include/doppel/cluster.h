// doppel/cluster.h — stage 7: copy clusters from verified pairs.
//
// Thread safety: functions are safe for concurrent use on distinct arguments.
//
// Algorithm (documented in docs/design.md): exact copies collapse first.
// Verified near edges between the remaining documents form components
// (union-find). A component is not taken whole — chains of templated reports
// would snowball — but split into stars: documents are visited by decreasing
// weighted degree (sum of edge Jaccards; ties by input order); an unassigned
// document becomes a centre and takes its unassigned direct neighbours, then
// their unassigned neighbours that `close_to_center` accepts (drift bound:
// measured directly against the centre). So every member is a verified near
// copy of its centre or one verified hop away and still close to it.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "doppel/options.h"

namespace doppel {

struct NearEdge {
  uint32_t a, b;  // document numbers, a < b, both exact-group leaders
  double weight;  // verified Jaccard
};

class UnionFind {
 public:
  explicit UnionFind(size_t n);
  uint32_t Find(uint32_t x);
  // Joins the sets; the smaller document number becomes the root.
  void Union(uint32_t a, uint32_t b);

 private:
  std::vector<uint32_t> parent_;
};

// Centre document for every document. `group[d]` is the leader of d's exact
// group (d itself when it has no exact copy). Edges must join leaders.
std::vector<uint32_t> StarClusters(const std::vector<uint32_t>& group, const std::vector<NearEdge>& edges,
                                   const std::function<bool(uint32_t center, uint32_t x)>& close_to_center);

// What the keep rule looks at.
struct KeepKey {
  bool has_date = false;
  int64_t date_ms = 0;
  uint64_t length = 0;   // code points of the text
  std::string_view id;
};

// The representative of every cluster (clusters given as centre per
// document), chosen by the keep rule; returned per document.
std::vector<uint32_t> ChooseRepresentatives(const std::vector<uint32_t>& center, KeepRule rule,
                                            const std::function<KeepKey(uint32_t)>& key);

}  // namespace doppel
