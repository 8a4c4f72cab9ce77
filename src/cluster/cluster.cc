#include "doppel/cluster.h"

#include <algorithm>
#include <numeric>

namespace doppel {

UnionFind::UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }

uint32_t UnionFind::Find(uint32_t x) {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];
    x = parent_[x];
  }
  return x;
}

void UnionFind::Union(uint32_t a, uint32_t b) {
  a = Find(a);
  b = Find(b);
  if (a == b) return;
  if (a < b) parent_[b] = a;
  else parent_[a] = b;
}

std::vector<uint32_t> StarClusters(const std::vector<uint32_t>& group, const std::vector<NearEdge>& edges,
                                   const std::function<bool(uint32_t, uint32_t)>& close_to_center) {
  const size_t n = group.size();
  // Adjacency in CSR form, neighbours sorted by document number.
  std::vector<uint32_t> deg(n + 1, 0);
  for (const NearEdge& e : edges) {
    ++deg[e.a + 1];
    ++deg[e.b + 1];
  }
  for (size_t i = 1; i <= n; ++i) deg[i] += deg[i - 1];
  std::vector<uint32_t> adj(deg[n]);
  std::vector<uint32_t> fill(deg.begin(), deg.end() - 1);
  std::vector<double> weight(n, 0.0);
  for (const NearEdge& e : edges) {
    adj[fill[e.a]++] = e.b;
    adj[fill[e.b]++] = e.a;
  }
  for (size_t d = 0; d < n; ++d) std::sort(adj.begin() + deg[d], adj.begin() + deg[d + 1]);
  // Weighted degree, summed in a fixed order so it is the same on every run.
  std::vector<NearEdge> sorted_edges(edges);
  std::sort(sorted_edges.begin(), sorted_edges.end(),
            [](const NearEdge& x, const NearEdge& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  for (const NearEdge& e : sorted_edges) {
    weight[e.a] += e.weight;
    weight[e.b] += e.weight;
  }
  std::vector<uint32_t> order;
  for (uint32_t d = 0; d < n; ++d)
    if (deg[d + 1] > deg[d]) order.push_back(d);
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return weight[x] != weight[y] ? weight[x] > weight[y] : x < y;
  });
  constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> center(n, kNone);
  std::vector<uint32_t> members;
  for (uint32_t c : order) {
    if (center[c] != kNone) continue;
    center[c] = c;
    members.clear();
    for (uint32_t k = deg[c]; k < deg[c + 1]; ++k) {
      uint32_t x = adj[k];
      if (center[x] == kNone) {
        center[x] = c;
        members.push_back(x);
      }
    }
    for (uint32_t m : members) {
      for (uint32_t k = deg[m]; k < deg[m + 1]; ++k) {
        uint32_t x = adj[k];
        if (center[x] == kNone && close_to_center(c, x)) center[x] = c;
      }
    }
  }
  // Documents with no edge are their own centre; exact copies follow their leader.
  for (uint32_t d = 0; d < n; ++d)
    if (group[d] == d && center[d] == kNone) center[d] = d;
  for (uint32_t d = 0; d < n; ++d)
    if (group[d] != d) center[d] = center[group[d]];
  return center;
}

namespace {

// True if x should represent its cluster rather than y.
bool Better(const KeepKey& x, uint32_t xi, const KeepKey& y, uint32_t yi, KeepRule rule) {
  auto by_date = [&](bool* decided) {
    *decided = true;
    if (x.has_date != y.has_date) return x.has_date;  // dated beats undated
    if (x.has_date && x.date_ms != y.date_ms) return x.date_ms < y.date_ms;
    *decided = false;
    return false;
  };
  auto by_length = [&](bool* decided) {
    *decided = x.length != y.length;
    return x.length > y.length;
  };
  bool decided = false;
  bool r = false;
  switch (rule) {
    case KeepRule::kFirst: return xi < yi;
    case KeepRule::kEarliest:
      r = by_date(&decided);
      if (decided) return r;
      r = by_length(&decided);
      if (decided) return r;
      break;
    case KeepRule::kLongest:
      r = by_length(&decided);
      if (decided) return r;
      r = by_date(&decided);
      if (decided) return r;
      break;
  }
  if (x.id != y.id) return x.id < y.id;
  return xi < yi;
}

}  // namespace

std::vector<uint32_t> ChooseRepresentatives(const std::vector<uint32_t>& center, KeepRule rule,
                                            const std::function<KeepKey(uint32_t)>& key) {
  const size_t n = center.size();
  std::vector<uint32_t> best(n, UINT32_MAX);  // indexed by centre
  for (uint32_t d = 0; d < n; ++d) {
    uint32_t c = center[d];
    if (best[c] == UINT32_MAX || Better(key(d), d, key(best[c]), best[c], rule)) best[c] = d;
  }
  std::vector<uint32_t> rep(n);
  for (uint32_t d = 0; d < n; ++d) rep[d] = best[center[d]];
  return rep;
}

}  // namespace doppel
