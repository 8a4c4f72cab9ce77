#include "doppel/story.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "doppel/normalize.h"
#include "doppel/shingle.h"
#include "util/parallel.h"

namespace doppel {
namespace {

using detail::ParallelFor;

constexpr size_t kMinDocsForDf = 50;

struct Entry {
  uint32_t term;  // dense term id
  float w;
};
using Vec = std::vector<Entry>;  // sorted by term id, unit length

struct Neighbour {
  uint32_t doc;
  float sim;
};

// Dense term ids for every stem hash, and document frequencies.
struct Vocabulary {
  std::unordered_map<uint64_t, uint32_t> id;
  std::vector<uint32_t> df;
};

Vocabulary BuildVocabulary(const std::vector<StoryDoc>& docs) {
  Vocabulary v;
  size_t total = 0;
  for (const auto& d : docs) total += d.terms.size();
  v.id.reserve(total / 4 + 16);
  for (const auto& d : docs)
    for (uint64_t t : d.terms) {
      auto [it, fresh] = v.id.emplace(t, static_cast<uint32_t>(v.df.size()));
      if (fresh) v.df.push_back(0);
      ++v.df[it->second];
    }
  return v;
}

// Keeps the `keep` heaviest entries (ties: smaller term id), sorted by term id.
void Truncate(Vec* v, size_t keep) {
  if (v->size() > keep) {
    std::nth_element(v->begin(), v->begin() + keep, v->end(), [](const Entry& a, const Entry& b) {
      return a.w != b.w ? a.w > b.w : a.term < b.term;
    });
    v->resize(keep);
  }
  std::sort(v->begin(), v->end(), [](const Entry& a, const Entry& b) { return a.term < b.term; });
}

// Postings in CSR form over term ids.
struct Index {
  std::vector<uint32_t> start;
  std::vector<std::pair<uint32_t, float>> post;  // (doc, weight)
};

Index BuildIndex(const std::vector<Vec>& vecs, size_t vocab) {
  Index ix;
  ix.start.assign(vocab + 1, 0);
  for (const Vec& v : vecs)
    for (const Entry& e : v) ++ix.start[e.term + 1];
  for (size_t i = 1; i <= vocab; ++i) ix.start[i] += ix.start[i - 1];
  ix.post.resize(ix.start[vocab]);
  std::vector<uint32_t> fill(ix.start.begin(), ix.start.end() - 1);
  for (uint32_t d = 0; d < vecs.size(); ++d)
    for (const Entry& e : vecs[d]) ix.post[fill[e.term]++] = {d, e.w};
  return ix;
}

bool InWindow(const StoryDoc& a, const StoryDoc& b, double hours) {
  if (hours <= 0 || !a.has_date || !b.has_date) return true;
  return std::llabs(a.date_ms - b.date_ms) <= static_cast<int64_t>(hours * 3600000.0);
}

// The k most similar documents of every document (cosine >= min_sim).
std::vector<std::vector<Neighbour>> NearestNeighbours(const std::vector<Vec>& vecs, const Index& ix,
                                                      const std::vector<StoryDoc>& docs, const StoryOptions& o,
                                                      int k, double min_sim, int threads) {
  const size_t n = vecs.size();
  std::vector<std::vector<Neighbour>> out(n);
  std::vector<std::vector<float>> acc(threads);
  std::vector<std::vector<uint32_t>> touched(threads);
  ParallelFor(n, threads, 64, [&](size_t b, size_t e, int w) {
    std::vector<float>& a = acc[w];
    std::vector<uint32_t>& t = touched[w];
    if (a.empty()) a.assign(n, 0.0f);
    for (size_t d = b; d < e; ++d) {
      t.clear();
      for (const Entry& en : vecs[d]) {
        uint32_t s0 = ix.start[en.term], s1 = ix.start[en.term + 1];
        if (s1 - s0 > static_cast<uint32_t>(o.max_postings)) continue;
        for (uint32_t p = s0; p < s1; ++p) {
          uint32_t other = ix.post[p].first;
          if (a[other] == 0.0f) t.push_back(other);
          a[other] += en.w * ix.post[p].second;
        }
      }
      std::vector<Neighbour>& nb = out[d];
      for (uint32_t other : t) {
        float s = a[other];
        a[other] = 0.0f;
        if (other == d || s < min_sim || !InWindow(docs[d], docs[other], o.window_hours)) continue;
        nb.push_back({other, s});
      }
      auto better = [](const Neighbour& x, const Neighbour& y) { return x.sim != y.sim ? x.sim > y.sim : x.doc < y.doc; };
      if (nb.size() > static_cast<size_t>(k)) {
        std::nth_element(nb.begin(), nb.begin() + k, nb.end(), better);
        nb.resize(k);
      }
      std::sort(nb.begin(), nb.end(), better);
    }
  });
  return out;
}

// Average linkage over a sparse graph. Clusters start as the copy clusters;
// the pair with the highest average similarity (sum of edge similarities
// over |A|·|B|, absent edges counting zero) merges while it reaches `link`.
// Each cluster keeps its summed links to the others as a list sorted by
// cluster id; a merge folds the smaller list into the larger.
std::vector<uint32_t> AverageLinkage(size_t n, const std::vector<std::vector<Neighbour>>& graph,
                                     const std::vector<uint32_t>& start, double link) {
  using Links = std::vector<std::pair<uint32_t, double>>;  // (cluster, summed similarity), sorted
  std::vector<uint32_t> owner(start);  // cluster id = a member document
  std::vector<double> size(n, 0.0);
  for (uint32_t d = 0; d < n; ++d) size[owner[d]] += 1;
  // Symmetric edges between clusters, each unordered document pair once.
  std::vector<std::pair<uint64_t, float>> edges;
  for (uint32_t d = 0; d < n; ++d)
    for (const Neighbour& nb : graph[d]) {
      uint32_t a = std::min(d, nb.doc), b = std::max(d, nb.doc);
      edges.push_back({uint64_t{a} << 32 | b, nb.sim});
    }
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end(), [](auto& x, auto& y) { return x.first == y.first; }), edges.end());
  std::vector<Links> sum(n);
  for (const auto& [key, sim] : edges) {
    uint32_t a = owner[key >> 32], b = owner[static_cast<uint32_t>(key)];
    if (a == b) continue;
    sum[a].push_back({b, sim});
    sum[b].push_back({a, sim});
  }
  std::vector<std::pair<uint64_t, float>>().swap(edges);
  for (Links& l : sum) {  // fold repeated clusters (copy clusters start with several members)
    std::sort(l.begin(), l.end());
    size_t k = 0;
    for (size_t i = 0; i < l.size(); ++i) {
      if (k && l[k - 1].first == l[i].first) l[k - 1].second += l[i].second;
      else l[k++] = l[i];
    }
    l.resize(k);
  }
  auto find = [](Links& l, uint32_t c) {
    return std::lower_bound(l.begin(), l.end(), c, [](const auto& x, uint32_t v) { return x.first < v; });
  };
  struct Item {
    double avg;
    uint32_t a, b;  // a < b
  };
  auto worse = [](const Item& x, const Item& y) {
    if (x.avg != y.avg) return x.avg < y.avg;
    if (x.a != y.a) return x.a > y.a;
    return x.b > y.b;
  };
  auto average = [&](uint32_t a, uint32_t b) {
    auto it = find(sum[a], b);
    return it == sum[a].end() || it->first != b ? 0.0 : it->second / (size[a] * size[b]);
  };
  std::priority_queue<Item, std::vector<Item>, decltype(worse)> pq(worse);
  std::vector<uint8_t> alive(n, 0);
  for (uint32_t d = 0; d < n; ++d) alive[owner[d]] = 1;
  for (uint32_t a = 0; a < n; ++a)
    for (const auto& [b, s] : sum[a])
      if (a < b && s / (size[a] * size[b]) >= link) pq.push({s / (size[a] * size[b]), a, b});
  Links merged;
  while (!pq.empty()) {
    Item it = pq.top();
    pq.pop();
    if (it.avg < link) break;
    // Items of merged clusters go stale; recomputing the average tells.
    if (!alive[it.a] || !alive[it.b] || average(it.a, it.b) != it.avg) continue;
    uint32_t keep = it.a, gone = it.b;  // the larger survives; ties: the smaller id
    if (size[gone] > size[keep]) std::swap(keep, gone);
    // Every neighbour of `gone` now links to `keep` instead.
    for (const auto& [c, s] : sum[gone]) {
      if (c == keep) continue;
      Links& lc = sum[c];
      lc.erase(find(lc, gone));
      auto at = find(lc, keep);
      if (at != lc.end() && at->first == keep) at->second += s;
      else lc.insert(at, {keep, s});
    }
    merged.clear();
    std::merge(sum[keep].begin(), sum[keep].end(), sum[gone].begin(), sum[gone].end(), std::back_inserter(merged));
    Links& lk = sum[keep];
    lk.clear();
    for (const auto& [c, s] : merged) {
      if (c == keep || c == gone) continue;
      if (!lk.empty() && lk.back().first == c) lk.back().second += s;
      else lk.push_back({c, s});
    }
    Links().swap(sum[gone]);
    size[keep] += size[gone];
    alive[gone] = 0;
    owner[gone] = keep;  // forwarding pointer, resolved below
    for (const auto& [c, s] : lk) {
      double avg = s / (size[keep] * size[c]);
      if (avg >= link) pq.push({avg, std::min(keep, c), std::max(keep, c)});
    }
  }
  std::vector<uint32_t> out(n);
  for (uint32_t d = 0; d < n; ++d) {
    uint32_t c = owner[d];
    while (owner[c] != c) c = owner[c];
    out[d] = c;
  }
  return out;
}

// English function words. Document frequency finds a corpus's stop words
// once it has enough documents; a handful (three reports of one event) has
// no statistics, and there the list keeps "the" from looking like a name.
const std::unordered_set<uint64_t>& StopStems() {
  static const std::unordered_set<uint64_t> stems = [] {
    std::vector<Token> toks;
    Tokenize(
        "a about above after again against all also am an and any are as at be because been before being below "
        "between both but by can could did do does doing down during each few for from further had has have having "
        "he her here hers herself him himself his how i if in into is it its itself just me more most my myself no "
        "nor not now of off on once only or other our ours ourselves out over own said same says she should so "
        "some such than that the their theirs them themselves then there these they this those through to too "
        "under until up very was we were what when where which while who whom why will with would you your yours "
        "yourself yourselves new one two year years mr mrs ms told according",
        &toks);
    std::unordered_set<uint64_t> s;
    for (const Token& t : toks) s.insert(t.stem);
    return s;
  }();
  return stems;
}

}  // namespace

StoryResult StoryClusters(const std::vector<StoryDoc>& docs, const std::vector<uint32_t>& copy_cluster,
                          const StoryOptions& o, int threads) {
  const size_t n = docs.size();
  StoryResult r;
  Vocabulary vocab = BuildVocabulary(docs);
  std::vector<uint64_t> words(n, 0);  // tokens per document: smoothing and link scaling depend on length
  for (size_t d = 0; d < n; ++d)
    for (uint32_t c : docs[d].counts) words[d] += c & kStoryCountMask;
  const size_t V = vocab.df.size();
  std::vector<double> idf(V);
  // ln((N + 1) / df): a word in every document of a tiny corpus still weighs
  // something; for large N this is ln(N / df).
  for (size_t t = 0; t < V; ++t) idf[t] = std::log(static_cast<double>(n + 1) / vocab.df[t]);
  // The document-frequency cut needs enough documents to mean anything.
  const double max_df = n >= kMinDocsForDf ? o.max_df_fraction * n : static_cast<double>(n);
  const auto& stop = StopStems();
  // A term is a name, place or number when more texts capitalise it inside
  // running text (or spell it with digits) than write it in lower case;
  // texts where capitals say nothing (Title-Case headlines) do not vote. So a
  // name keeps its weight in a headline that capitalises every word.
  std::vector<uint32_t> named_in(V, 0), lower_in(V, 0);
  for (const auto& d : docs)
    for (size_t i = 0; i < d.terms.size(); ++i) {
      uint32_t id = vocab.id.at(d.terms[i]);
      if (d.counts[i] & kStoryNamed) ++named_in[id];
      else if (!(d.counts[i] & kStoryCapitalOnly)) ++lower_in[id];
    }
  std::vector<uint8_t> is_name(V);
  for (size_t t = 0; t < V; ++t) is_name[t] = named_in[t] > lower_in[t];

  // 1. Weighted unit vectors; terms found in one document count in the norm only.
  std::vector<Vec> x(n);
  ParallelFor(n, threads, 256, [&](size_t b, size_t e, int) {
    for (size_t d = b; d < e; ++d) {
      const StoryDoc& doc = docs[d];
      double norm = 0;
      Vec& v = x[d];
      for (size_t i = 0; i < doc.terms.size(); ++i) {
        uint32_t id = vocab.id.at(doc.terms[i]);
        if (vocab.df[id] > max_df || stop.count(doc.terms[i])) continue;
        uint32_t c = doc.counts[i];
        double w = (1.0 + std::log(static_cast<double>(c & kStoryCountMask))) * idf[id] * (is_name[id] ? o.boost : 1.0);
        norm += w * w;
        if (vocab.df[id] >= 2) v.push_back({id, static_cast<float>(w)});
      }
      if (norm <= 0) {
        v.clear();
        continue;
      }
      float inv = static_cast<float>(1.0 / std::sqrt(norm));
      for (Entry& en : v) en.w *= inv;
      Truncate(&v, o.max_terms);
    }
  });

  // 2. Neighbours, then each vector smoothed by its neighbourhood.
  Index ix = BuildIndex(x, V);
  auto nb = NearestNeighbours(x, ix, docs, o, o.neighbours, o.neighbour_min, threads);
  std::vector<Vec> x2(n);
  detail::PerWorker<std::vector<double>> accs(threads);
  detail::PerWorker<std::vector<uint32_t>> touches(threads);
  ParallelFor(n, threads, 64, [&](size_t b, size_t e, int w) {
    std::vector<double>& acc = accs[w];  // dense accumulator, reset through `touched`
    std::vector<uint32_t>& touched = touches[w];
    if (acc.empty()) acc.assign(V, 0.0);
    auto add = [&](uint32_t t, double w) {
      if (acc[t] == 0.0) touched.push_back(t);
      acc[t] += w;
    };
    for (size_t d = b; d < e; ++d) {
      if (x[d].empty()) continue;
      touched.clear();
      // Dirichlet-style prior: the neighbourhood weighs like `prior_words`
      // words of text, so a headline leans on it and an article hardly.
      const double lambda = o.prior_words / (o.prior_words + static_cast<double>(words[d]));
      for (const Entry& en : x[d]) add(en.term, (1 - lambda) * en.w);
      double total = 0;
      for (const Neighbour& m : nb[d]) total += m.sim;
      for (const Neighbour& m : nb[d])
        for (const Entry& en : x[m.doc]) add(en.term, lambda * en.w * m.sim / total);
      Vec& v = x2[d];
      double norm = 0;
      for (uint32_t t : touched) norm += acc[t] * acc[t];
      const double inv = norm > 0 ? 1.0 / std::sqrt(norm) : 0.0;
      for (uint32_t t : touched) {
        if (acc[t] != 0.0) v.push_back({t, static_cast<float>(acc[t] * inv)});
        acc[t] = 0.0;
      }
      Truncate(&v, static_cast<size_t>(o.max_terms));
    }
  });
  std::vector<std::vector<Entry>>().swap(x);

  // 3. Graph on the smoothed vectors, average linkage from the copy clusters.
  Index ix2 = BuildIndex(x2, V);
  // Every link of at least half the threshold, not only the nearest few:
  // an average over a large story must see all of its members' links, or it
  // falls below the threshold just because the graph was cut.
  auto graph = NearestNeighbours(x2, ix2, docs, o, o.max_links, o.link / 2, threads);
  // Long texts share more words by chance (the topic's vocabulary): between
  // unrelated articles of one topic cosine grows about with the square root
  // of their length, so it is measured in units of that growth beyond
  // `plain_words` words (a headline or a tweet is taken as it is).
  std::vector<double> scale(n);
  for (size_t d = 0; d < n; ++d) {
    scale[d] = std::sqrt(std::max(1.0, static_cast<double>(words[d]) / o.plain_words));
  }
  for (size_t d = 0; d < n; ++d) {
    auto& g = graph[d];
    for (Neighbour& m : g) m.sim = static_cast<float>(m.sim / std::sqrt(scale[d] * scale[m.doc]));
    std::erase_if(g, [&](const Neighbour& m) { return m.sim < o.link / 2; });
  }
  for (const auto& g : graph) r.neighbour_pairs += g.size();
  std::vector<uint32_t> label = AverageLinkage(n, graph, copy_cluster, o.link);

  // 4. Name each story by its earliest document (date, then input order);
  //    its top terms are those of the summed member vectors.
  std::vector<uint32_t> first(n, UINT32_MAX);
  for (uint32_t d = 0; d < n; ++d) {
    uint32_t& f = first[label[d]];
    auto earlier = [&](uint32_t a, uint32_t b) {
      if (docs[a].has_date != docs[b].has_date) return docs[a].has_date;
      if (docs[a].has_date && docs[a].date_ms != docs[b].date_ms) return docs[a].date_ms < docs[b].date_ms;
      return a < b;
    };
    if (f == UINT32_MAX || earlier(d, f)) f = d;
  }
  r.story.resize(n);
  std::vector<std::map<uint32_t, double>> centroid(n);
  std::vector<uint32_t> members(n, 0);
  for (uint32_t d = 0; d < n; ++d) {
    r.story[d] = first[label[d]];
    ++members[r.story[d]];
  }
  for (uint32_t d = 0; d < n; ++d)
    if (members[r.story[d]] > 1)
      for (const Entry& en : x2[d]) centroid[r.story[d]][en.term] += en.w;
  std::vector<uint64_t> hash_of(V);
  for (const auto& [h, id] : vocab.id) hash_of[id] = h;
  r.top_terms.resize(n);
  for (uint32_t s = 0; s < n; ++s) {
    if (centroid[s].empty()) continue;
    std::vector<std::pair<double, uint32_t>> top;
    for (const auto& [t, w] : centroid[s]) top.push_back({-w, t});
    std::sort(top.begin(), top.end());
    for (size_t i = 0; i < top.size() && i < 8; ++i) r.top_terms[s].push_back(hash_of[top[i].second]);
  }
  return r;
}

}  // namespace doppel
