#include "util/sort_hashes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace doppel::detail {
namespace {

TEST(SortUniformHashes, MatchesStdSortOnUniformSkewedAndPrefixedInput) {
  std::mt19937_64 rng(3);
  std::vector<uint64_t> scratch;
  for (size_t n : {0, 1, 63, 64, 1000, 70000}) {
    std::vector<uint64_t> uniform(n), skewed(n), prefixed(n);
    for (size_t i = 0; i < n; ++i) {
      uniform[i] = rng();
      skewed[i] = rng() % 50;                            // all in one bucket, many repeats
      prefixed[i] = (uint64_t{0x2A5} << 54) | (rng() >> 10);  // top 10 bits shared
    }
    for (auto* v : {&uniform, &skewed}) {
      std::vector<uint64_t> want = *v;
      std::sort(want.begin(), want.end());
      SortUniformHashes(v, &scratch);
      EXPECT_EQ(*v, want) << n;
    }
    std::vector<uint64_t> want = prefixed;
    std::sort(want.begin(), want.end());
    SortUniformHashes(prefixed.data(), prefixed.size(), &scratch, 10);
    EXPECT_EQ(prefixed, want) << n;
  }
  std::vector<uint64_t> v{5, 3, 5, 1, 3};
  SortUniqueUniformHashes(&v, &scratch);
  EXPECT_EQ(v, (std::vector<uint64_t>{1, 3, 5}));
}

// A value repeated thousands of times fills one bucket, which is then merge
// sorted instead of insertion sorted: the sort must stay stable (equal keys
// keep their order) there too.
TEST(SortByUniformKey, StableWithAValueRepeatedThousandsOfTimes) {
  std::mt19937_64 rng(5);
  const uint64_t frequent = rng();
  std::vector<std::pair<uint64_t, uint32_t>> v, scratch;
  for (uint32_t i = 0; i < 200000; ++i) v.push_back({i % 3 == 0 ? frequent : rng(), i});
  std::vector<std::pair<uint64_t, uint32_t>> want = v;
  std::stable_sort(want.begin(), want.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  SortByUniformKey(v.data(), v.size(), &scratch, 0, [](const auto& x) { return x.first; });
  EXPECT_EQ(v, want);
}

}  // namespace
}  // namespace doppel::detail
