#include "util/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <numeric>
#include <vector>

namespace doppel::detail {
namespace {

TEST(ParallelFor, CoversEveryIndexOnceOverManyCallsAndWorkerCounts) {
  for (int threads : {1, 2, 3, 5}) {
    for (int call = 0; call < 200; ++call) {
      const size_t n = 1000 + call;
      std::vector<int> hits(n, 0);
      std::atomic<int> max_worker{0};
      ParallelFor(n, threads, 7, [&](size_t b, size_t e, int w) {
        for (size_t i = b; i < e; ++i) ++hits[i];
        int m = max_worker.load();
        while (w > m && !max_worker.compare_exchange_weak(m, w)) {
        }
      });
      ASSERT_EQ(std::count(hits.begin(), hits.end(), 1), static_cast<long>(n)) << threads << " " << call;
      ASSERT_LT(max_worker.load(), threads);
    }
  }
}

TEST(ParallelFor, NestedCallsRunInlineInsteadOfDeadlocking) {
  std::vector<long> sums(64, 0);
  ParallelFor(sums.size(), 3, 1, [&](size_t b, size_t e, int) {
    for (size_t i = b; i < e; ++i) {
      std::vector<long> part(100, 0);
      ParallelFor(part.size(), 3, 10, [&](size_t pb, size_t pe, int) {
        for (size_t j = pb; j < pe; ++j) part[j] = static_cast<long>(i * j);
      });
      sums[i] = std::accumulate(part.begin(), part.end(), 0L);
    }
  });
  for (size_t i = 0; i < sums.size(); ++i) EXPECT_EQ(sums[i], static_cast<long>(i * 4950));
}

}  // namespace
}  // namespace doppel::detail
