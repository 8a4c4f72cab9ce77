#include "doppel/story.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <queue>
#include <unordered_set>

#include "doppel/normalize.h"
#include "doppel/shingle.h"
#include "util/huge_pages.h"
#include "util/parallel.h"

namespace doppel {
namespace {

using detail::ParallelFor;

constexpr size_t kMinDocsForDf = 50;
constexpr double kMinSmoothing = 0.2;  // lighter neighbourhoods (texts over 4 x prior_words words) are left out

struct Entry {
  uint32_t term;  // dense term id
  float w;
};
using Vec = std::vector<Entry>;  // sorted by term id, unit length

struct Neighbour {
  uint32_t doc;
  float sim;
};

// Dense term ids: a term's id is the rank of its stem hash among the
// corpus's distinct stems, so ids do not depend on thread count.
struct Vocabulary {
  std::vector<uint64_t> hash;    // id -> stem hash
  std::vector<uint32_t> df;      // id -> documents holding the term
  std::vector<uint32_t> named;   // id -> documents where it is a name, place or number (kStoryNamed)
  std::vector<uint32_t> lower;   // id -> documents that write it in lower case
  std::vector<size_t> start;     // document d's term ids are ids[start[d] .. start[d + 1])
  std::vector<uint32_t> ids;     // every document's terms as ids, in the documents' order
};

// Open addressing on stem hashes (uniform: the top bits pick the slot). A
// corpus repeats its vocabulary many times over (2 M terms, 50 k distinct
// on 20 k articles), so a table that stays in cache beats sorting them all.
class TermTable {
 public:
  // Adds h if absent.
  void Insert(uint64_t h) {
    if ((used_ + 1) * 2 > keys_.size()) Grow();
    size_t i = Slot(h);
    while (full_[i] && keys_[i] != h) i = (i + 1) & mask_;
    if (!full_[i]) {
      full_[i] = 1;
      keys_[i] = h;
      ++used_;
    }
  }
  // The value stored for h, which must have been inserted.
  uint32_t& operator[](uint64_t h) { return values_[Find(h)]; }
  uint32_t operator[](uint64_t h) const { return values_[Find(h)]; }
  // Every key, in slot order.
  std::vector<uint64_t> Keys() const {
    std::vector<uint64_t> k;
    k.reserve(used_);
    for (size_t i = 0; i < keys_.size(); ++i)
      if (full_[i]) k.push_back(keys_[i]);
    return k;
  }

 private:
  size_t Slot(uint64_t h) const { return static_cast<size_t>(h >> shift_); }
  size_t Find(uint64_t h) const {
    size_t i = Slot(h);
    while (keys_[i] != h || !full_[i]) i = (i + 1) & mask_;
    return i;
  }
  void Grow() {
    std::vector<uint64_t> old = Keys();
    const int bits = keys_.empty() ? 16 : std::bit_width(keys_.size());
    keys_.assign(size_t{1} << bits, 0);
    values_.assign(keys_.size(), 0);
    full_.assign(keys_.size(), 0);
    mask_ = keys_.size() - 1;
    shift_ = 64 - bits;
    used_ = 0;
    for (uint64_t h : old) Insert(h);
  }
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> values_;
  std::vector<uint8_t> full_;
  size_t mask_ = 0, used_ = 0;
  int shift_ = 64;
};

Vocabulary BuildVocabulary(const std::vector<StoryDoc>& docs, int threads) {
  Vocabulary v;
  const size_t n = docs.size();
  v.start.assign(n + 1, 0);
  for (size_t d = 0; d < n; ++d) v.start[d + 1] = v.start[d] + docs[d].terms.size();
  // Each worker collects the distinct stems of its share of the documents;
  // their union is small (the vocabulary, not the text).
  detail::PerWorker<TermTable> local(threads);
  ParallelFor(n, threads, 1024, [&](size_t b, size_t e, int w) {
    for (size_t d = b; d < e; ++d)
      for (uint64_t t : docs[d].terms) local[w].Insert(t);
  });
  TermTable table;
  for (int w = 0; w < threads; ++w)
    for (uint64_t t : local[w].Keys()) table.Insert(t);
  v.hash = table.Keys();
  std::sort(v.hash.begin(), v.hash.end());
  for (size_t id = 0; id < v.hash.size(); ++id) table[v.hash[id]] = static_cast<uint32_t>(id);
  // Ids, and the per-term counts in the same pass: counted per worker,
  // summed after (a document lists each stem once).
  const size_t V = v.hash.size();
  v.ids.resize(v.start[n]);
  struct Counts {
    std::vector<uint32_t> df, named, lower;
  };
  detail::PerWorker<Counts> part(threads);
  ParallelFor(n, threads, 1024, [&](size_t b, size_t e, int w) {
    const TermTable& t = table;
    Counts& c = part[w];
    if (c.df.empty()) c = {std::vector<uint32_t>(V), std::vector<uint32_t>(V), std::vector<uint32_t>(V)};
    for (size_t d = b; d < e; ++d) {
      uint32_t* out = v.ids.data() + v.start[d];
      for (size_t i = 0; i < docs[d].terms.size(); ++i) {
        const uint32_t id = t[docs[d].terms[i]];
        const uint32_t how = docs[d].counts[i];
        *out++ = id;
        ++c.df[id];
        c.named[id] += (how & kStoryNamed) != 0;
        c.lower[id] += (how & (kStoryNamed | kStoryCapitalOnly)) == 0;
      }
    }
  });
  v.df.assign(V, 0);
  v.named.assign(V, 0);
  v.lower.assign(V, 0);
  for (int w = 0; w < threads; ++w) {
    const Counts& c = part[w];
    if (c.df.empty()) continue;
    for (size_t id = 0; id < V; ++id) {
      v.df[id] += c.df[id];
      v.named[id] += c.named[id];
      v.lower[id] += c.lower[id];
    }
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

// Every document's vector in a slot of `stride` entries (its kept terms,
// sorted by term id): one allocation for the corpus, so that measuring a
// candidate reads one contiguous run at a known address.
class Vectors {
 public:
  Vectors() = default;
  Vectors(size_t n, size_t stride) : stride_(stride), size_(n, 0), slots_(n * stride) {}
  size_t size() const { return size_.size(); }
  std::span<const Entry> operator[](size_t d) const { return {slots_.data() + d * stride_, size_[d]}; }
  const Entry* slot(size_t d) const { return slots_.data() + d * stride_; }
  // d's vector becomes v (sorted by term id, at most stride entries).
  void Set(size_t d, const Vec& v) {
    size_[d] = static_cast<uint32_t>(std::min(v.size(), stride_));
    std::copy(v.begin(), v.begin() + size_[d], slots_.data() + d * stride_);
  }

 private:
  size_t stride_ = 0;
  std::vector<uint32_t> size_;
  detail::HugeArray<Entry> slots_;
};

// Where to look for a document's neighbours. A term counts in similarities
// only while it is in at most `max_postings` vectors (beyond that it is a
// topic's common word: it links everything to everything and costs the most
// to follow). Postings list, per term, the documents that hold it among
// their `head_terms` heaviest counted terms; a pair is a candidate when one
// document holds a term at the head of the other's vector. A document's
// story is told by its heaviest terms, so related texts share a head term,
// while the postings of heads stay short.
struct Index {
  std::vector<uint8_t> counted;   // term id -> counts in similarities
  std::vector<uint32_t> head_at;  // CSR over documents: their head terms
  std::vector<uint32_t> head;
  std::vector<uint32_t> start;    // CSR over term ids
  std::vector<std::pair<uint32_t, float>> post;  // (document, its weight of the term)
};

Index BuildIndex(const Vectors& vecs, size_t vocab, const StoryOptions& o, int threads) {
  Index ix;
  const size_t n = vecs.size();
  std::vector<uint32_t> df(vocab, 0);
  for (size_t d = 0; d < vecs.size(); ++d)
    for (const Entry& e : vecs[d]) ++df[e.term];
  ix.counted.resize(vocab);
  for (size_t t = 0; t < vocab; ++t) ix.counted[t] = df[t] <= static_cast<uint32_t>(o.max_postings);
  // Each document's heads, in parallel, into fixed slots of head_terms.
  const size_t k = static_cast<size_t>(std::max(0, o.head_terms));
  std::vector<Entry> slots(n * k);
  std::vector<uint32_t> count(n);
  ParallelFor(n, threads, 256, [&](size_t b, size_t e, int) {
    Vec h;
    for (size_t d = b; d < e; ++d) {
      h.clear();
      for (const Entry& x : vecs[d])
        if (ix.counted[x.term]) h.push_back(x);
      const size_t m = std::min(h.size(), k);
      std::nth_element(h.begin(), h.begin() + m, h.end(),
                       [](const Entry& x, const Entry& y) { return x.w != y.w ? x.w > y.w : x.term < y.term; });
      std::copy(h.begin(), h.begin() + m, slots.begin() + d * k);
      count[d] = static_cast<uint32_t>(m);
    }
  });
  ix.start.assign(vocab + 1, 0);
  ix.head_at.assign(n + 1, 0);
  for (size_t d = 0; d < n; ++d) {
    for (size_t i = 0; i < count[d]; ++i) ++ix.start[slots[d * k + i].term + 1];
    ix.head_at[d + 1] = ix.head_at[d] + count[d];
  }
  for (size_t i = 1; i <= vocab; ++i) ix.start[i] += ix.start[i - 1];
  ix.post.resize(ix.start[vocab]);
  ix.head.resize(ix.head_at[n]);
  std::vector<uint32_t> fill(ix.start.begin(), ix.start.end() - 1);
  for (uint32_t d = 0; d < n; ++d)
    for (size_t i = 0; i < count[d]; ++i) {
      const Entry& x = slots[d * k + i];
      ix.post[fill[x.term]++] = {d, x.w};
      ix.head[ix.head_at[d] + i] = x.term;
    }
  return ix;
}

bool InWindow(const StoryDoc& a, const StoryDoc& b, double hours) {
  if (hours <= 0 || !a.has_date || !b.has_date) return true;
  return std::llabs(a.date_ms - b.date_ms) <= static_cast<int64_t>(hours * 3600000.0);
}

// How NearestNeighbours measures and keeps.
struct Search {
  int k = 20;                                // neighbours kept per document
  double min_sim = 0.1;                      // below: not a neighbour
  const std::vector<double>* scale = nullptr;  // sim(d, m) = cosine / sqrt(scale[d] * scale[m])
  // Each pair once, from its smaller document: candidates share a head term
  // and are measured when the head terms they share reach the prefilter
  // (a quantity both sides see alike). The result lists only m > d.
  bool symmetric = false;
  // Most one shared term adds to a similarity (before the length scaling):
  // no single word, however rare and repeated, makes two texts one story.
  float term_cap = std::numeric_limits<float>::max();
};

// The neighbours of every document d with ask(d): candidates from the index,
// each measured exactly (cosine over the counted terms).
template <typename Ask>
std::vector<std::vector<Neighbour>> NearestNeighbours(const Vectors& vecs, const Index& ix,
                                                      const std::vector<StoryDoc>& docs, const StoryOptions& o,
                                                      const Search& search, int threads, Ask ask) {
  const size_t n = vecs.size();
  std::vector<std::vector<Neighbour>> out(n);
  detail::PerWorker<std::vector<float>> weights(threads);   // the query's weights, dense over term ids
  detail::PerWorker<std::vector<float>> sums(threads);      // partial sums over head terms, dense over documents
  detail::PerWorker<std::vector<uint32_t>> found(threads);
  const float min_sim = static_cast<float>(search.min_sim);
  const float pre = static_cast<float>(search.min_sim * o.prefilter);
  // 1 / sqrt(scale) per document, so that a candidate costs two products
  // (the same in either order: similarities stay symmetric bit for bit).
  std::vector<double> inv_root(search.scale ? n : 0);
  for (size_t d = 0; d < inv_root.size(); ++d) inv_root[d] = 1.0 / std::sqrt((*search.scale)[d]);
  auto scaled = [&](size_t d, uint32_t m, float s) {
    return search.scale ? static_cast<float>(s * (inv_root[d] * inv_root[m])) : s;
  };
  ParallelFor(n, threads, 64, [&](size_t b, size_t e, int w) {
    std::vector<float>& qw = weights[w];
    std::vector<float>& acc = sums[w];
    std::vector<uint32_t>& cand = found[w];
    if (qw.empty()) qw.assign(ix.counted.size(), 0.0f);
    if (acc.empty()) acc.assign(n, 0.0f);
    for (size_t d = b; d < e; ++d) {
      if (!ask(d)) continue;
      cand.clear();
      for (const Entry& en : vecs[d])
        if (ix.counted[en.term]) qw[en.term] = en.w;
      if (search.symmetric) {
        for (uint32_t h = ix.head_at[d]; h < ix.head_at[d + 1]; ++h) {
          const uint32_t t = ix.head[h];
          const float w = qw[t];
          for (uint32_t p = ix.start[t]; p < ix.start[t + 1]; ++p) {
            uint32_t other = ix.post[p].first;
            if (other <= d) continue;
            if (acc[other] == 0.0f) cand.push_back(other);
            acc[other] += std::min(search.term_cap, w * ix.post[p].second);
          }
        }
      } else {
        for (const Entry& en : vecs[d]) {
          if (!ix.counted[en.term]) continue;
          for (uint32_t p = ix.start[en.term]; p < ix.start[en.term + 1]; ++p) {
            uint32_t other = ix.post[p].first;
            if (acc[other] == 0.0f) cand.push_back(other);
            acc[other] += en.w * ix.post[p].second;
          }
        }
      }
      std::vector<Neighbour>& nb = out[d];
      size_t kept = 0;  // candidates worth measuring, compacted in place
      for (uint32_t other : cand) {
        const float s = acc[other];
        acc[other] = 0.0f;
        if (other == d || scaled(d, other, s) < pre || !InWindow(docs[d], docs[other], o.window_hours)) continue;
        cand[kept++] = other;
      }
      // Each measurement reads another document's vector from anywhere in
      // memory: fetch a few ahead so that the loads overlap.
      constexpr size_t kAhead = 8;
      for (size_t i = 0; i < kept; ++i) {
        if (i + kAhead < kept) __builtin_prefetch(vecs.slot(cand[i + kAhead]));
        const uint32_t other = cand[i];
        float s = 0;
        for (const Entry& en : vecs[other]) s += std::min(search.term_cap, qw[en.term] * en.w);
        s = scaled(d, other, s);
        if (s >= min_sim) nb.push_back({other, s});
      }
      for (const Entry& en : vecs[d]) qw[en.term] = 0.0f;
      auto better = [](const Neighbour& x, const Neighbour& y) { return x.sim != y.sim ? x.sim > y.sim : x.doc < y.doc; };
      if (nb.size() > static_cast<size_t>(search.k)) {
        std::nth_element(nb.begin(), nb.begin() + search.k, nb.end(), better);
        nb.resize(search.k);
      }
      std::sort(nb.begin(), nb.end(), [](const Neighbour& x, const Neighbour& y) { return x.doc < y.doc; });
    }
  });
  return out;
}

// Average linkage over a sparse graph. Clusters start as the copy clusters;
// the pair with the highest average similarity (sum of edge similarities
// over |A|·|B|, absent edges counting zero) merges while it reaches `link`.
// Each cluster keeps its links to the others as a list of (cluster, summed
// similarity); a merge appends the list of the cluster that goes to the one
// that stays. REQUIRES: graph lists each linked pair once, d -> m with m > d
// (the symmetric search's output).
std::vector<uint32_t> AverageLinkage(size_t n, const std::vector<std::vector<Neighbour>>& graph,
                                     const std::vector<uint32_t>& start, double link) {
  using Links = std::vector<std::pair<uint32_t, double>>;  // (cluster, summed similarity)
  std::vector<uint32_t> owner(start);  // cluster id = a member document
  std::vector<double> size(n, 0.0);
  for (uint32_t d = 0; d < n; ++d) size[owner[d]] += 1;
  // Links between clusters, each pair in both clusters' lists. The graph
  // lists every linked pair once (d -> m, m > d), so its rows go straight
  // into the lists of the two clusters they join.
  std::vector<Links> sum(n);
  {
    std::vector<uint32_t> links(n, 0);
    for (uint32_t d = 0; d < n; ++d)
      for (const Neighbour& nb : graph[d])
        if (owner[d] != owner[nb.doc]) {
          ++links[owner[d]];
          ++links[owner[nb.doc]];
        }
    for (uint32_t c = 0; c < n; ++c) sum[c].reserve(links[c]);
  }
  for (uint32_t d = 0; d < n; ++d)
    for (const Neighbour& nb : graph[d]) {
      const uint32_t a = owner[d], b = owner[nb.doc];
      if (a == b) continue;
      sum[a].push_back({b, nb.sim});
      sum[b].push_back({a, nb.sim});
    }
  // Average linkage is reducible: after A and B merge, the average of any C
  // to A∪B lies between its averages to A and to B. So a cluster's best
  // link can only fall while others merge, and one queue entry per cluster
  // (its best link when last looked at) is an upper bound that is checked
  // when it comes out, instead of one entry per link of every merged cluster.
  struct Item {
    double avg;
    uint32_t a, b;  // the pair, a < b
    uint32_t c;     // the cluster whose best link this is (a or b)
  };
  auto worse = [](const Item& x, const Item& y) {
    if (x.avg != y.avg) return x.avg < y.avg;
    if (x.a != y.a) return x.a > y.a;
    return x.b > y.b;
  };
  // A merge leaves the other clusters' lists alone: their entries for the
  // cluster that went forward to the one that stayed (owner), and a list is
  // folded — entries resolved to live clusters, repeats summed, itself
  // dropped — when its cluster is next looked at. Touching every neighbour's
  // list at every merge cost more than the rest of the linkage together.
  auto root = [&](uint32_t c) {
    uint32_t r = c;
    while (owner[r] != r) r = owner[r];
    while (owner[c] != r) {  // path compression
      uint32_t next = owner[c];
      owner[c] = r;
      c = next;
    }
    return r;
  };
  std::vector<double> folded(n, 0.0);  // scratch: summed similarity per live cluster, 0 = none
  std::vector<uint32_t> met;
  auto best = [&](uint32_t c) {
    Links& l = sum[c];
    met.clear();
    for (const auto& [x, s] : l) {
      const uint32_t r = root(x);
      if (r == c) continue;
      if (folded[r] == 0.0) met.push_back(r);
      folded[r] += s;
    }
    l.clear();
    Item top{-1.0, 0, 0, c};
    for (uint32_t r : met) {
      const double s = folded[r];
      folded[r] = 0.0;
      l.push_back({r, s});
      Item it{s / (size[c] * size[r]), std::min(c, r), std::max(c, r), c};
      if (top.avg < 0 || worse(top, it)) top = it;
    }
    return top;
  };
  // A cluster is live while it is its own owner (a copy cluster's centre,
  // until it merges into another).
  std::priority_queue<Item, std::vector<Item>, decltype(worse)> pq(worse);
  for (uint32_t c = 0; c < n; ++c)
    if (owner[c] == c && !sum[c].empty()) {
      Item it = best(c);
      if (it.avg >= link) pq.push(it);
    }
  while (!pq.empty()) {
    Item it = pq.top();
    pq.pop();
    if (it.avg < link) break;
    if (owner[it.c] != it.c) continue;  // merged away since
    const Item now = best(it.c);  // still the best link, and still as strong?
    if (now.avg != it.avg || now.a != it.a || now.b != it.b) {
      if (now.avg >= link) pq.push(now);
      continue;
    }
    uint32_t keep = it.a, gone = it.b;  // the larger survives; ties: the smaller id
    if (size[gone] > size[keep]) std::swap(keep, gone);
    Links& lk = sum[keep];
    lk.insert(lk.end(), sum[gone].begin(), sum[gone].end());
    Links().swap(sum[gone]);
    size[keep] += size[gone];
    owner[gone] = keep;
    Item next = best(keep);
    if (next.avg >= link) pq.push(next);
  }
  std::vector<uint32_t> out(n);
  for (uint32_t d = 0; d < n; ++d) out[d] = root(d);
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

// Pairs of texts that tell the same content in other words (--find
// rewrite): among each text's nearest neighbours by TF-IDF cosine, those where
// the informative vocabulary of one text (terms weighted by idf, stop words
// out) is at least `rewrite_min` inside the other's. A heavy revision or a
// paraphrase keeps the source's rare words while it changes their order and
// the words between them; two texts on one topic share its common words only.
// `nb` holds every document's nearest neighbours. Each pair once (a < b),
// sorted, whatever the threads.
std::vector<RewritePair> RewritePairs(const Vocabulary& vocab, const std::vector<double>& factor,
                                      const std::vector<double>& idf, const std::vector<std::vector<Neighbour>>& nb,
                                      double rewrite_min, int threads) {
  const size_t n = nb.size();
  // Each document's informative term ids (a document lists each term once),
  // sorted, and their idf mass.
  std::vector<std::vector<uint32_t>> terms(n);
  std::vector<double> mass(n, 0.0);
  ParallelFor(n, threads, 256, [&](size_t b, size_t e, int) {
    for (size_t d = b; d < e; ++d) {
      for (size_t i = vocab.start[d]; i < vocab.start[d + 1]; ++i)
        if (factor[vocab.ids[i]] != 0.0) terms[d].push_back(vocab.ids[i]);
      std::sort(terms[d].begin(), terms[d].end());
      for (uint32_t t : terms[d]) mass[d] += idf[t];
    }
  });
  std::vector<std::vector<RewritePair>> found(n);
  ParallelFor(n, threads, 64, [&](size_t b, size_t e, int) {
    for (size_t d = b; d < e; ++d)
      for (const Neighbour& m : nb[d]) {
        const uint32_t a = static_cast<uint32_t>(std::min<size_t>(d, m.doc));
        const uint32_t c = static_cast<uint32_t>(std::max<size_t>(d, m.doc));
        // Measured from the pair's smaller document only, unless the larger
        // one did not list it (neighbour lists are not symmetric).
        if (d != a && std::any_of(nb[a].begin(), nb[a].end(), [&](const Neighbour& k) { return k.doc == c; }))
          continue;
        double shared = 0;
        const auto& ta = terms[a];
        const auto& tc = terms[c];
        for (size_t i = 0, j = 0; i < ta.size() && j < tc.size();) {
          if (ta[i] < tc[j]) ++i;
          else if (tc[j] < ta[i]) ++j;
          else shared += idf[ta[i]], ++i, ++j;
        }
        const double smaller = std::min(mass[a], mass[c]);
        const double share = smaller > 0 ? shared / smaller : 0.0;
        if (share >= rewrite_min) found[d].push_back(RewritePair{a, c, share});
      }
  });
  std::vector<RewritePair> out;
  for (auto& f : found) out.insert(out.end(), f.begin(), f.end());
  std::sort(out.begin(), out.end(), [](const RewritePair& p, const RewritePair& q) {
    return p.a != q.a ? p.a < q.a : p.b < q.b;
  });
  return out;
}

}  // namespace

StoryResult StoryClusters(const std::vector<StoryDoc>& docs, const std::vector<uint32_t>& copy_cluster,
                          const StoryOptions& o, int threads) {
  const size_t n = docs.size();
  StoryResult r;
  Vocabulary vocab = BuildVocabulary(docs, threads);
  std::vector<uint64_t> words(n, 0);  // tokens per document: smoothing and link scaling depend on length
  for (size_t d = 0; d < n; ++d)
    for (uint32_t c : docs[d].counts) words[d] += c & kStoryCountMask;
  const size_t V = vocab.df.size();
  std::vector<double> idf(V);
  // ln(1 + N / df): for large N this is ln(N / df), but the words a small
  // corpus's texts share keep weight. With ln((N + 1) / df) a story's words,
  // found in two of three texts, weighed half as much as each text's own and
  // the three seed reports stayed one story only up to a threshold of 0.122;
  // now up to 0.18, with UCI and BBC unchanged within 0.005.
  for (size_t t = 0; t < V; ++t) idf[t] = std::log(1.0 + static_cast<double>(n) / vocab.df[t]);
  // The document-frequency cut needs enough documents to mean anything.
  const double max_df = n >= kMinDocsForDf ? o.max_df_fraction * n : static_cast<double>(n);
  const auto& stop = StopStems();
  // A term is a name, place or number when more texts capitalise it inside
  // running text (or spell it with digits) than write it in lower case;
  // texts where capitals say nothing (Title-Case headlines) do not vote. So a
  // name keeps its weight in a headline that capitalises every word.
  // One table, one load per term occurrence: idf times the boost for names,
  // places and numbers; 0 for a stop word; negated for a term found in one
  // document only (it counts in that document's norm but links nothing).
  std::vector<double> factor(V);
  for (size_t t = 0; t < V; ++t) {
    const bool dropped = vocab.df[t] > max_df || stop.count(vocab.hash[t]);
    const double f = dropped ? 0.0 : idf[t] * (vocab.named[t] > vocab.lower[t] ? o.boost : 1.0);
    factor[t] = vocab.df[t] >= 2 ? f : -f;
  }
  // Sublinear term frequency 1 + ln tf, tabled for the usual counts.
  static const std::array<double, 64> kSublinear = [] {
    std::array<double, 64> a{};
    for (size_t c = 1; c < a.size(); ++c) a[c] = 1.0 + std::log(static_cast<double>(c));
    return a;
  }();

  // 1. Weighted unit vectors; terms found in one document count in the norm only.
  const size_t stride = static_cast<size_t>(std::max(1, o.max_terms));
  Vectors x(n, stride);
  ParallelFor(n, threads, 256, [&](size_t b, size_t e, int) {
    Vec v;
    for (size_t d = b; d < e; ++d) {
      const StoryDoc& doc = docs[d];
      double norm = 0;
      v.clear();
      for (size_t i = 0; i < doc.terms.size(); ++i) {
        const uint32_t id = vocab.ids[vocab.start[d] + i];
        const double f = factor[id];
        if (f == 0.0) continue;
        const uint32_t c = doc.counts[i] & kStoryCountMask;
        const double w =
            (c < kSublinear.size() ? kSublinear[c] : 1.0 + std::log(static_cast<double>(c))) * std::fabs(f);
        norm += w * w;
        if (f > 0.0) v.push_back({id, static_cast<float>(w)});
      }
      if (norm <= 0) continue;
      float inv = static_cast<float>(1.0 / std::sqrt(norm));
      for (Entry& en : v) en.w *= inv;
      Truncate(&v, stride);
      x.Set(d, v);
    }
  });

  // 2. Neighbours, then each vector smoothed by its neighbourhood.
  // Dirichlet-style prior: the neighbourhood weighs like `prior_words` words
  // of text, so a headline or a tweet leans on it and an article hardly.
  // Texts it would move by less than a fifth (over 40 words) are left as
  // they are, and their neighbour search is saved.
  auto lambda = [&](size_t d) { return o.prior_words / (o.prior_words + static_cast<double>(words[d])); };
  auto smoothed = [&](size_t d) { return !x[d].empty() && lambda(d) >= kMinSmoothing; };
  Search nearest;
  nearest.k = o.neighbours;
  nearest.min_sim = o.neighbour_min;
  bool any_smoothed = false;
  for (size_t d = 0; d < n && !any_smoothed; ++d) any_smoothed = smoothed(d);
  std::vector<std::vector<Neighbour>> nb(n);
  if (o.rewrites) {
    // One search serves both: rewrites need every document's neighbours,
    // smoothing reads those of the smoothed ones, and a document's list
    // does not depend on which others are searched.
    nb = NearestNeighbours(x, BuildIndex(x, V, o, threads), docs, o, nearest, threads,
                           [&](size_t d) { return !x[d].empty(); });
    r.rewrites = RewritePairs(vocab, factor, idf, nb, o.rewrite_min, threads);
  } else if (any_smoothed) {
    nb = NearestNeighbours(x, BuildIndex(x, V, o, threads), docs, o, nearest, threads, smoothed);
  }
  Vectors x2(n, stride);
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
    Vec v;
    for (size_t d = b; d < e; ++d) {
      v.clear();
      if (!smoothed(d)) {  // as the limit of no neighbourhood: the kept terms, made unit length again
        v.assign(x[d].begin(), x[d].end());
        double norm = 0;
        for (const Entry& en : v) norm += static_cast<double>(en.w) * en.w;
        const float inv = norm > 0 ? static_cast<float>(1.0 / std::sqrt(norm)) : 0.0f;
        for (Entry& en : v) en.w *= inv;
        x2.Set(d, v);
        continue;
      }
      touched.clear();
      const double l = lambda(d);
      for (const Entry& en : x[d]) add(en.term, (1 - l) * en.w);
      double total = 0;
      for (const Neighbour& m : nb[d]) total += m.sim;
      for (const Neighbour& m : nb[d])
        for (const Entry& en : x[m.doc]) add(en.term, l * en.w * m.sim / total);
      double norm = 0;
      for (uint32_t t : touched) norm += acc[t] * acc[t];
      const double inv = norm > 0 ? 1.0 / std::sqrt(norm) : 0.0;
      for (uint32_t t : touched) {
        if (acc[t] != 0.0) v.push_back({t, static_cast<float>(acc[t] * inv)});
        acc[t] = 0.0;
      }
      Truncate(&v, stride);
      x2.Set(d, v);
    }
  });
  x = Vectors();

  // 3. Graph on the smoothed vectors, average linkage from the copy clusters.
  Index ix2 = BuildIndex(x2, V, o, threads);
  // Every link of at least half the threshold, not only the nearest few:
  // an average over a large story must see all of its members' links, or it
  // falls below the threshold just because the graph was cut.
  // Long texts share more words by chance (the topic's vocabulary): between
  // unrelated articles of one topic cosine grows about with the square root
  // of their length, so it is measured in units of that growth beyond
  // `plain_words` words (a headline or a tweet is taken as it is).
  std::vector<double> scale(n);
  for (size_t d = 0; d < n; ++d) {
    scale[d] = std::sqrt(std::max(1.0, static_cast<double>(words[d]) / o.plain_words));
  }
  Search links;
  links.k = o.max_links;
  links.min_sim = o.link / 2;
  links.scale = &scale;
  links.symmetric = true;
  // A name both texts repeat (Wal-Mart, Rwanda, the TUC) can carry the
  // cosine of two articles about different events: one word counts at most
  // as much as the link threshold, so a story takes more than one shared word
  // once lengths are scaled. (UCI 0.758 -> 0.782, BBC cross-topic pairs
  // 1.24 % -> 1.09 %; caps from 0.085 to 0.15 all give UCI 0.775-0.782.)
  links.term_cap = static_cast<float>(o.link);
  auto graph = NearestNeighbours(x2, ix2, docs, o, links, threads, [](size_t) { return true; });
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
  // Members of each story (CSR, in document order).
  std::vector<uint32_t> at(n + 1, 0);
  for (uint32_t d = 0; d < n; ++d) {
    r.story[d] = first[label[d]];
    ++at[r.story[d] + 1];
  }
  for (size_t i = 1; i <= n; ++i) at[i] += at[i - 1];
  std::vector<uint32_t> member(n);
  {
    std::vector<uint32_t> fill(at.begin(), at.end() - 1);
    for (uint32_t d = 0; d < n; ++d) member[fill[r.story[d]]++] = d;
  }
  r.top_terms.resize(n);
  ParallelFor(n, threads, 256, [&](size_t b, size_t e, int w) {  // the smoothing's dense sums, reused
    std::vector<double>& acc = accs[w];
    std::vector<uint32_t>& touched = touches[w];
    if (acc.empty()) acc.assign(V, 0.0);
    std::vector<std::pair<double, uint32_t>> top;
    for (size_t s = b; s < e; ++s) {
      if (at[s + 1] - at[s] < 2) continue;
      touched.clear();
      for (uint32_t i = at[s]; i < at[s + 1]; ++i)
        for (const Entry& en : x2[member[i]]) {
          if (acc[en.term] == 0.0) touched.push_back(en.term);
          acc[en.term] += en.w;
        }
      top.clear();
      for (uint32_t t : touched) {
        top.push_back({-acc[t], t});
        acc[t] = 0.0;
      }
      const size_t k = std::min<size_t>(top.size(), 8);
      std::partial_sort(top.begin(), top.begin() + k, top.end());
      for (size_t i = 0; i < k; ++i) r.top_terms[s].push_back(vocab.hash[top[i].second]);
    }
  });
  return r;
}

}  // namespace doppel
