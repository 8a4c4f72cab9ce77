#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <span>
#include <vector>

#include "doppel/index.h"

namespace doppel {
namespace {

TEST(Lsh, OptimiserFavoursRecallAtTheThreshold) {
  LshParams p = OptimalLshParams(0.2, 256, 0.95);
  EXPECT_LE(p.bands * p.rows, 256);
  EXPECT_GT(CandidateProbability(0.2, p), 0.95);
  EXPECT_LT(CandidateProbability(0.05, p), 0.35);
  // Equal weights, as datasketch, give a curve centred near the threshold.
  LshParams q = OptimalLshParams(0.5, 128, 0.5);
  EXPECT_GT(CandidateProbability(0.7, q), 0.9);
  EXPECT_LT(CandidateProbability(0.3, q), 0.2);
}

// A bands x docs key matrix where every document has a bucket of its own
// in every band; tests then make the documents they want share.
std::vector<uint64_t> OwnKeys(int docs, int bands) {
  std::vector<uint64_t> keys(static_cast<size_t>(docs) * bands);
  for (int d = 0; d < docs; ++d)
    for (int b = 0; b < bands; ++b) keys[static_cast<size_t>(b) * docs + d] = 1000 * d + b;
  return keys;
}

TEST(Lsh, CandidatesShareABandAndBucketsAreCapped) {
  LshParams p{4, 2};
  // docs 0 and 2 share band 1; docs 3..9 share band 0 (a degenerate bucket).
  const int n = 10;
  std::vector<uint64_t> keys = OwnKeys(n, p.bands);
  keys[1 * n + 2] = keys[1 * n + 0];
  for (int d = 3; d < n; ++d) keys[0 * n + d] = 7;
  std::vector<uint8_t> has(n, 1);
  has[9] = 0;
  auto c = LshCandidates(keys, has, p.bands, 2, 32, 1);
  EXPECT_TRUE(std::find(c.begin(), c.end(), std::make_pair(0u, 2u)) != c.end());
  // docs 3..8 in one bucket, each paired with the bucket's first member and
  // the one newest before it: a star around 3 plus a chain, 1+2*4 = 9 pairs
  size_t big = std::count_if(c.begin(), c.end(), [](auto& pr) { return pr.first >= 3; });
  EXPECT_EQ(big, 9u);
  for (uint32_t d = 4; d <= 8; ++d) EXPECT_TRUE(std::find(c.begin(), c.end(), std::make_pair(3u, d)) != c.end()) << d;
  EXPECT_TRUE(std::find(c.begin(), c.end(), std::make_pair(6u, 7u)) != c.end());
  EXPECT_TRUE(std::find(c.begin(), c.end(), std::make_pair(5u, 7u)) == c.end());
  EXPECT_EQ(c, LshCandidates(keys, has, p.bands, 2, 32, 3));  // thread count changes nothing
}

TEST(Lsh, EachDocumentKeepsItsMostSimilarEarlierPartners) {
  // Doc 3 shares 3 bands with doc 0, 2 with doc 1 and 1 with doc 2.
  LshParams p{3, 1};
  const int n = 4;
  std::vector<uint64_t> keys = OwnKeys(n, p.bands);
  for (int b = 0; b < 3; ++b) keys[b * n + 3] = keys[b * n + 0];
  keys[0 * n + 1] = keys[0 * n + 0];  // 0 and 1 share band 0, so 3's bucket there holds 0 and 1
  keys[1 * n + 1] = keys[1 * n + 0];
  keys[0 * n + 2] = keys[0 * n + 0];
  std::vector<uint8_t> has(n, 1);
  auto all = LshCandidates(keys, has, p.bands, 8, 32, 1);
  using P = std::pair<uint32_t, uint32_t>;
  EXPECT_EQ(all, (std::vector<P>{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}));
  // Two partners each: doc 3 keeps 0 (3 bands) and 1 (2 bands), drops 2 (1 band).
  auto two = LshCandidates(keys, has, p.bands, 8, 2, 2);
  EXPECT_EQ(two, (std::vector<P>{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}}));
}

// Pairs are counted per range of later documents, eight ranges a worker:
// any thread count cuts the documents elsewhere and must find the same
// candidates, each document with at most max_partners earlier ones.
TEST(Lsh, RangesOfDocumentsAgreeWhateverTheThreads) {
  const int n = 3000, bands = 12;
  std::mt19937_64 rng(7);
  std::vector<uint64_t> keys(static_cast<size_t>(n) * bands);
  for (auto& k : keys) k = rng() % 400;  // buckets of ~7 documents per band
  std::vector<uint8_t> has(n, 1);
  for (int d = 0; d < n; d += 17) has[d] = 0;
  const auto one = LshCandidates(keys, has, bands, 4, 6, 1);
  ASSERT_GT(one.size(), 10000u);
  for (int threads : {2, 3, 8, 64}) EXPECT_EQ(one, LshCandidates(keys, has, bands, 4, 6, threads)) << threads;
  std::map<uint32_t, int> partners;
  for (auto [a, b] : one) {
    ASSERT_LT(a, b);
    ASSERT_TRUE(has[a] && has[b]);
    ++partners[b];
  }
  for (auto [d, k] : partners) ASSERT_LE(k, 6) << d;
}

TEST(Frequency, FindsValuesInMoreThanLimitLists) {
  std::vector<std::vector<uint64_t>> lists(12);
  for (int i = 0; i < 12; ++i) lists[i] = {5, static_cast<uint64_t>(100 + i)};
  for (int i = 0; i < 3; ++i) lists[i].push_back(900);
  for (auto& l : lists) std::sort(l.begin(), l.end());
  std::vector<std::span<const uint64_t>> ptrs;
  for (auto& l : lists) ptrs.push_back(l);
  EXPECT_EQ(FrequentHashes(ptrs, 10, 2).keys, std::vector<uint64_t>{5});
  EXPECT_EQ(FrequentHashes(ptrs, 2, 1).keys, (std::vector<uint64_t>{5, 900}));
  HashSetView v(std::vector<uint64_t>{5, 900});
  EXPECT_TRUE(v.Contains(900));
  EXPECT_FALSE(v.Contains(901));
}

// Against a plain count of keys, on enough values (5 M, uniform 64-bit)
// that the counting runs in several rounds, and with any number of threads.
TEST(Frequency, AgreesWithPlainCountAcrossRoundsAndThreads) {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> pool(400000);
  for (auto& x : pool) x = rng();
  std::vector<std::vector<uint64_t>> lists(10000);
  for (auto& l : lists) {
    for (int i = 0; i < 500; ++i) l.push_back(pool[rng() % pool.size()]);
    std::sort(l.begin(), l.end());
    l.erase(std::unique(l.begin(), l.end()), l.end());
  }
  std::vector<std::span<const uint64_t>> spans(lists.begin(), lists.end());
  const FrequentKeys one = FrequentHashes(spans, 10, 1);
  // The key keeps the top bits that pick a part (5 M values in parts of
  // about 8 K: 10 bits) and the low 32.
  EXPECT_EQ(one.mask, ~uint64_t{0} << 54 | 0xFFFFFFFFULL);
  std::vector<uint64_t> all;
  for (const auto& l : lists)
    for (uint64_t x : l) all.push_back(x & one.mask);
  std::sort(all.begin(), all.end());
  std::map<uint64_t, uint32_t> truth;  // the keys of the first 2,000 pool values, for the membership check
  for (size_t i = 0; i < 2000; ++i) truth[pool[i] & one.mask] = 0;
  std::vector<uint64_t> want;
  std::vector<uint32_t> want_counts;
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j] == all[i]) ++j;
    if (j - i > 10) want.push_back(all[i]), want_counts.push_back(static_cast<uint32_t>(j - i));
    if (truth.count(all[i])) truth[all[i]] = static_cast<uint32_t>(j - i);
    i = j;
  }
  ASSERT_GT(want.size(), 1000u);
  for (int threads : {1, 2, 3}) {
    const FrequentKeys got = FrequentHashes(spans, 10, threads);
    EXPECT_EQ(got.keys, want) << threads;
    EXPECT_EQ(got.counts, want_counts) << threads;
    EXPECT_EQ(got.mask, one.mask) << threads;
  }
  // Membership by key: a pool value is in the set exactly when its key was
  // counted more than 10 times.
  HashSetView set(one.keys, one.mask);
  for (size_t i = 0; i < 2000; ++i) {
    auto it = truth.find(pool[i] & one.mask);
    EXPECT_EQ(set.Contains(pool[i]), it != truth.end() && it->second > 10) << i;
  }
}

}  // namespace
}  // namespace doppel
