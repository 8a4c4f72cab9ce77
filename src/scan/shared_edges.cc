// Boilerplate at the edges of texts; see shared_edges.h.
#include "scan/shared_edges.h"

#include <algorithm>
#include <tuple>

#include "doppel/cluster.h"

namespace doppel::detail {
namespace {

// A passage opens or ends a text when at most this many tokens lie beyond
// it: a closing word the aligner's anchors do not reach.
constexpr size_t kEdgeSlack = 2;
// Other copy clusters a text must share its edge with: three texts, none a
// copy of another, with one ending are a template; two may be one quoting
// the other's last paragraph.
constexpr size_t kMinOtherClusters = 2;

enum Edge : uint8_t { kOpening = 1, kEnding = 2 };
constexpr Edge kEdges[] = {kOpening, kEnding};

// The edges of text t that the passage [start, end) (code points, `tokens`
// of them) holds, if it is no more than half of t.
uint8_t EdgesOf(std::span<const AlignToken> t, uint32_t start, uint32_t end, uint32_t tokens) {
  if (t.empty() || 2 * static_cast<size_t>(tokens) > t.size()) return 0;
  const size_t n = t.size(), slack = std::min(n - 1, kEdgeSlack);
  uint8_t e = 0;
  if (start <= t[slack].begin) e |= kOpening;
  if (end >= t[n - 1 - slack].end) e |= kEnding;
  return e;
}

// The edges a passage holds in both texts of a pair.
uint8_t SharedEdgesOf(const Passage& p, std::span<const AlignToken> a, std::span<const AlignToken> b) {
  return EdgesOf(a, p.a_start, p.a_end, p.a_tokens) & EdgesOf(b, p.b_start, p.b_end, p.b_tokens);
}

}  // namespace

bool OnlySharedEdges(const VerifiedPair& p, std::span<const AlignToken> a, std::span<const AlignToken> b) {
  return !p.passages.empty() &&
         std::all_of(p.passages.begin(), p.passages.end(), [&](const Passage& x) { return SharedEdgesOf(x, a, b) != 0; });
}

SharedEdges DropSharedEdges(size_t docs, const std::vector<uint32_t>& group,
                            const std::function<std::span<const AlignToken>(uint32_t)>& tokens_of,
                            const ReuseRule& rule, const std::vector<VerifiedPair>& near,
                            const std::vector<uint8_t>& edge_only, std::vector<VerifiedPair>* partial,
                            std::vector<uint8_t>* reuse) {
  SharedEdges found;
  found.near_kept.assign(near.size(), 1);
  // Near pairs that share nothing but edges (edge_only) may be carriers of
  // one footer: they join no copy clusters here, and they go when their
  // edge recurs.
  // Copy clusters: copies of one text share its edges and count once.
  UnionFind clusters(docs);
  for (size_t d = 0; d < docs; ++d) clusters.Union(static_cast<uint32_t>(d), group[d]);
  for (size_t i = 0; i < near.size(); ++i)
    if (!edge_only[i]) clusters.Union(near[i].a, near[i].b);
  // A re-send cut short shares the opening of its story as its other
  // re-sends do: near by their words, they are no unrelated carriers.
  for (const VerifiedPair& p : *partial)
    if (p.near_by_words) clusters.Union(p.a, p.b);
  // (document, edge, the partner's copy cluster) for every shared edge.
  std::vector<std::tuple<uint32_t, uint8_t, uint32_t>> seen;
  auto note = [&](const VerifiedPair& p) {
    const auto a = tokens_of(p.a), b = tokens_of(p.b);
    for (const Passage& x : p.passages)
      for (Edge e : kEdges)
        if (SharedEdgesOf(x, a, b) & e) {
          seen.emplace_back(p.a, e, clusters.Find(p.b));
          seen.emplace_back(p.b, e, clusters.Find(p.a));
        }
  };
  for (size_t i = 0; i < near.size(); ++i)
    if (edge_only[i]) note(near[i]);
  // Every aligned partial candidate is evidence that its edge recurs, also
  // one too small to be reuse by itself (a footer a sixth of both texts).
  for (const VerifiedPair& p : *partial) note(p);
  if (seen.empty()) return found;
  std::sort(seen.begin(), seen.end());
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  // Edges that recur: (document, edge) shared with enough other clusters.
  std::vector<std::pair<uint32_t, uint8_t>> recurring;
  for (size_t i = 0, j; i < seen.size(); i = j) {
    const auto [d, e, c] = seen[i];
    size_t others = 0;
    for (j = i; j < seen.size() && std::get<0>(seen[j]) == d && std::get<1>(seen[j]) == e; ++j)
      others += std::get<2>(seen[j]) != clusters.Find(d);
    if (others >= kMinOtherClusters) recurring.emplace_back(d, e);
  }
  std::vector<uint32_t> edge_docs;
  for (const auto& [d, e] : recurring) edge_docs.push_back(d);
  edge_docs.erase(std::unique(edge_docs.begin(), edge_docs.end()), edge_docs.end());
  found.docs = edge_docs.size();
  auto boilerplate = [&](const VerifiedPair& p, const Passage& x) {
    const uint8_t shared = SharedEdgesOf(x, tokens_of(p.a), tokens_of(p.b));
    for (Edge e : kEdges)
      if ((shared & e) && (std::binary_search(recurring.begin(), recurring.end(), std::make_pair(p.a, uint8_t{e})) ||
                           std::binary_search(recurring.begin(), recurring.end(), std::make_pair(p.b, uint8_t{e}))))
        return true;
    return false;
  };
  // The tokens a boilerplate passage covers in one of its texts, to the
  // edge it holds.
  auto span_of = [&](uint32_t d, uint32_t start, uint32_t end) {
    const auto t = tokens_of(d);
    const std::span<const AlignToken> in = TokensIn(t, start, end);
    const auto first = static_cast<uint32_t>(in.data() - t.data()), last = first + static_cast<uint32_t>(in.size());
    const uint8_t e = EdgesOf(t, start, end, last - first);
    found.spans.emplace_back(d, TokenRange{e & kOpening ? 0u : first, e & kEnding ? static_cast<uint32_t>(t.size()) : last});
  };
  auto record = [&](const VerifiedPair& p, const Passage& x) {
    span_of(p.a, x.a_start, x.a_end);
    span_of(p.b, x.b_start, x.b_end);
  };
  for (size_t i = 0; i < near.size(); ++i) {
    const VerifiedPair& p = near[i];
    if (edge_only[i] && std::all_of(p.passages.begin(), p.passages.end(), [&](const Passage& x) { return boilerplate(p, x); })) {
      for (const Passage& x : p.passages) record(p, x);
      found.near_kept[i] = 0;
      ++found.near_pairs;
    }
  }
  for (size_t i = 0; i < partial->size(); ++i) {
    VerifiedPair& p = (*partial)[i];
    const size_t before = p.passages.size();
    std::erase_if(p.passages, [&](const Passage& x) {
      if (!boilerplate(p, x)) return false;
      record(p, x);
      return true;
    });
    if (!(*reuse)[i] || p.passages.size() == before) continue;
    if (!IsPartialReuse(tokens_of(p.a), tokens_of(p.b), p.passages, rule, &p.cover)) {
      (*reuse)[i] = 0;
      ++found.partial_pairs;
    }
  }
  std::sort(found.spans.begin(), found.spans.end(), [](const auto& x, const auto& y) {
    return std::tie(x.first, x.second.begin, x.second.end) < std::tie(y.first, y.second.begin, y.second.end);
  });
  return found;
}

}  // namespace doppel::detail
