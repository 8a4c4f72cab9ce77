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

TEST(Lsh, CandidatesShareABandAndBucketsAreCapped) {
  LshParams p{4, 2};
  // docs 0 and 2 share band 1; docs 3..9 share band 0 (a degenerate bucket).
  const int n = 10;
  std::vector<uint64_t> keys(n * p.bands);
  for (int d = 0; d < n; ++d)
    for (int b = 0; b < p.bands; ++b) keys[b * n + d] = 1000 * d + b;
  keys[1 * n + 2] = keys[1 * n + 0];
  for (int d = 3; d < n; ++d) keys[0 * n + d] = 7;
  std::vector<uint8_t> has(n, 1);
  has[9] = 0;
  auto c = LshCandidates(keys, has, p.bands, 2, 1);
  EXPECT_TRUE(std::find(c.begin(), c.end(), std::make_pair(0u, 2u)) != c.end());
  // docs 3..8 in one bucket, each paired with at most 2 earlier ones: 1+2*4 = 9 pairs
  size_t big = std::count_if(c.begin(), c.end(), [](auto& pr) { return pr.first >= 3; });
  EXPECT_EQ(big, 9u);
  EXPECT_EQ(c, LshCandidates(keys, has, p.bands, 2, 3));  // thread count changes nothing
}

TEST(Frequency, FindsValuesInMoreThanLimitLists) {
  std::vector<std::vector<uint64_t>> lists(12);
  for (int i = 0; i < 12; ++i) lists[i] = {5, static_cast<uint64_t>(100 + i)};
  for (int i = 0; i < 3; ++i) lists[i].push_back(900);
  for (auto& l : lists) std::sort(l.begin(), l.end());
  std::vector<std::span<const uint64_t>> ptrs;
  for (auto& l : lists) ptrs.push_back(l);
  EXPECT_EQ(FrequentHashes(ptrs, 10, 2), std::vector<uint64_t>{5});
  EXPECT_EQ(FrequentHashes(ptrs, 2, 1), (std::vector<uint64_t>{5, 900}));
  HashSetView v(std::vector<uint64_t>{5, 900});
  EXPECT_TRUE(v.Contains(900));
  EXPECT_FALSE(v.Contains(901));
}

// Against a plain count, on enough values (3 M, uniform 64-bit) that the
// counting runs in several rounds, and with any number of threads.
TEST(Frequency, AgreesWithPlainCountAcrossRoundsAndThreads) {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> pool(400000);
  for (auto& x : pool) x = rng();
  std::vector<std::vector<uint64_t>> lists(6000);
  std::map<uint64_t, uint32_t> truth;
  for (auto& l : lists) {
    for (int i = 0; i < 500; ++i) l.push_back(pool[rng() % pool.size()]);
    std::sort(l.begin(), l.end());
    l.erase(std::unique(l.begin(), l.end()), l.end());
    for (uint64_t x : l) ++truth[x];
  }
  std::vector<std::span<const uint64_t>> spans(lists.begin(), lists.end());
  std::vector<uint64_t> want;
  std::vector<uint32_t> want_counts;
  for (auto [x, c] : truth)
    if (c > 10) want.push_back(x), want_counts.push_back(c);
  ASSERT_GT(want.size(), 1000u);
  for (int threads : {1, 2, 3}) {
    std::vector<uint32_t> counts;
    EXPECT_EQ(FrequentHashes(spans, 10, threads, &counts), want) << threads;
    EXPECT_EQ(counts, want_counts) << threads;
  }
}

}  // namespace
}  // namespace doppel
