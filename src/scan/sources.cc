// Source attribution; see sources.h.
#include "scan/sources.h"

#include <algorithm>
#include <cmath>

#include "util/parallel.h"

namespace doppel::detail {
namespace {

// The likely source of a partial pair: the earlier dated text; without
// dates, the text the reused passages belong to (PassageCoherence: their
// words recur in the rest of the source, while the borrower wraps them in
// its own, other story); on a tie, the text the passages cover more
// completely; then input order. `coherence_a/b` are the two sides' values.
uint32_t PairSource(const Corpus& c, const VerifiedPair& p, double coherence_a, double coherence_b) {
  if (c.has_date[p.a] && c.has_date[p.b] && c.date_ms[p.a] != c.date_ms[p.b])
    return c.date_ms[p.a] < c.date_ms[p.b] ? p.a : p.b;
  if (std::abs(coherence_a - coherence_b) > 1e-9) return coherence_b > coherence_a ? p.b : p.a;
  return std::min(1.0, p.cover.b_share) > std::min(1.0, p.cover.a_share) ? p.b : p.a;
}

// Inverse document frequency of words, ln(N / df), counted over the given
// documents: the weights of PassageCoherence. Words outside them weigh 0.
class WordIdf {
 public:
  explicit WordIdf(const std::vector<std::span<const AlignToken>>& docs) {
    for (std::span<const AlignToken> d : docs) {
      const size_t from = words_.size();
      for (const AlignToken& t : d) words_.push_back(LooseWord(t));
      std::sort(words_.begin() + from, words_.end());
      words_.erase(std::unique(words_.begin() + from, words_.end()), words_.end());
    }
    std::sort(words_.begin(), words_.end());
    std::vector<uint64_t> distinct;
    for (size_t i = 0; i < words_.size();) {
      size_t j = i;
      while (j < words_.size() && words_[j] == words_[i]) ++j;
      distinct.push_back(words_[i]);
      idf_.push_back(std::log(static_cast<double>(docs.size()) / static_cast<double>(j - i)));
      i = j;
    }
    words_.swap(distinct);
  }
  double operator()(uint64_t w) const {
    auto it = std::lower_bound(words_.begin(), words_.end(), w);
    return it != words_.end() && *it == w ? idf_[it - words_.begin()] : 0.0;
  }

 private:
  std::vector<uint64_t> words_;
  std::vector<double> idf_;
};

}  // namespace

void NamePartialSources(const Corpus& c, const std::function<std::span<const AlignToken>(uint32_t)>& tokens_of,
                        int threads, std::vector<VerifiedPair>* pairs) {
  if (pairs->empty()) return;
  std::vector<uint32_t> docs;
  for (const VerifiedPair& p : *pairs) docs.push_back(p.a), docs.push_back(p.b);
  std::sort(docs.begin(), docs.end());
  docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
  std::vector<std::span<const AlignToken>> spans;
  for (uint32_t d : docs) spans.push_back(tokens_of(d));
  const WordIdf idf(spans);
  const std::function<double(uint64_t)> weight = [&](uint64_t w) { return idf(w); };
  ParallelFor(pairs->size(), threads, 16, [&](size_t b, size_t e, int) {
    for (size_t i = b; i < e; ++i) {
      VerifiedPair& p = (*pairs)[i];
      p.source = PairSource(c, p, PassageCoherence(tokens_of(p.a), p.passages, true, weight),
                            PassageCoherence(tokens_of(p.b), p.passages, false, weight));
    }
  });
}

std::vector<uint32_t> ClusterSources(const Corpus& c, const std::vector<uint32_t>& group,
                                     const std::vector<uint32_t>& center, const std::vector<uint32_t>& rep,
                                     const std::vector<VerifiedPair>& pairs) {
  const size_t n = c.size();
  std::vector<uint32_t> source(n);
  std::vector<double> cover(n, 0.0), closeness(n, 0.0);
  std::vector<uint32_t> pairs_of(n, 0);
  for (const VerifiedPair& p : pairs) {
    if (p.relation != PairRelation::kNear || center[p.a] != center[p.b]) continue;
    closeness[p.a] += p.sim.jaccard;
    closeness[p.b] += p.sim.jaccard;
    if (p.passages.empty()) continue;
    cover[p.a] += std::min(1.0, p.cover.a_share);
    cover[p.b] += std::min(1.0, p.cover.b_share);
    ++pairs_of[p.a];
    ++pairs_of[p.b];
  }
  auto mean = [&](uint32_t d) {
    uint32_t g = group[d];
    return pairs_of[g] ? cover[g] / pairs_of[g] : -1.0;
  };
  // -1: d ranks above b, 1: below, 0: tied.
  auto rank = [&](uint32_t d, uint32_t b) {
    const double cd = closeness[group[d]], cb = closeness[group[b]];
    if (std::abs(cd - cb) > 1e-9) return cd > cb ? -1 : 1;
    const double md = mean(d), mb = mean(b);
    if (std::abs(md - mb) > 1e-12) return md > mb ? -1 : 1;
    return 0;
  };
  std::vector<uint32_t> best(n, UINT32_MAX);
  for (uint32_t d = 0; d < n; ++d) {
    uint32_t r = rep[d];
    uint32_t& b = best[r];
    if (b == UINT32_MAX) {
      b = d;
      continue;
    }
    bool dd = c.has_date[d], db = c.has_date[b];
    if (dd != db) {
      if (dd) b = d;
      continue;
    }
    if (dd && c.date_ms[d] != c.date_ms[b]) {
      if (c.date_ms[d] < c.date_ms[b]) b = d;
      continue;
    }
    const int c = rank(d, b);
    if (c < 0 || (c == 0 && d == r)) b = d;
  }
  for (uint32_t d = 0; d < n; ++d) source[d] = best[rep[d]];
  return source;
}

}  // namespace doppel::detail
