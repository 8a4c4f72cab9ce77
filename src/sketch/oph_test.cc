#include <gtest/gtest.h>

#include <random>

#include "doppel/sketch.h"

namespace doppel {
namespace {

// Two random sets with a known Jaccard similarity.
void MakePair(size_t shared, size_t only, std::mt19937_64& rng, std::vector<uint64_t>* a, std::vector<uint64_t>* b) {
  a->clear();
  b->clear();
  for (size_t i = 0; i < shared; ++i) {
    uint64_t h = rng();
    a->push_back(h);
    b->push_back(h);
  }
  for (size_t i = 0; i < only; ++i) a->push_back(rng());
  for (size_t i = 0; i < only; ++i) b->push_back(rng());
}

TEST(Oph, EstimatesJaccardOnAverage) {
  std::mt19937_64 rng(7);
  OphSketcher s(256, 42);
  std::vector<uint32_t> x(256), y(256);
  for (auto [shared, only] : {std::pair<size_t, size_t>{100, 100}, {50, 200}, {300, 30}, {20, 20}}) {
    double truth = static_cast<double>(shared) / (shared + 2 * only), sum = 0;
    const int trials = 40;
    for (int t = 0; t < trials; ++t) {
      std::vector<uint64_t> a, b;
      MakePair(shared, only, rng, &a, &b);
      ASSERT_TRUE(s.Sketch(a.data(), a.size(), x.data()));
      ASSERT_TRUE(s.Sketch(b.data(), b.size(), y.data()));
      sum += EstimateJaccard(x.data(), y.data(), 256);
    }
    EXPECT_NEAR(sum / trials, truth, 0.04) << shared << "/" << only;
  }
}

TEST(Oph, IdenticalSetsGiveIdenticalSketchesAndSeedMatters) {
  std::vector<uint64_t> a = {1, 2, 3, 99, 12345};
  OphSketcher s1(64, 1), s2(64, 2);
  std::vector<uint32_t> x(64), y(64), z(64);
  s1.Sketch(a.data(), a.size(), x.data());
  s1.Sketch(a.data(), a.size(), y.data());
  s2.Sketch(a.data(), a.size(), z.data());
  EXPECT_EQ(x, y);
  EXPECT_NE(x, z);
  EXPECT_FALSE(s1.Sketch(a.data(), 0, x.data()));
}

}  // namespace
}  // namespace doppel
