#include "doppel/cluster.h"

#include <gtest/gtest.h>

#include <numeric>

namespace doppel {
namespace {

std::vector<uint32_t> Identity(size_t n) {
  std::vector<uint32_t> g(n);
  std::iota(g.begin(), g.end(), 0u);
  return g;
}

TEST(StarClusters, AChainDoesNotSnowball) {
  // 0-1-2-3-4-5: a chain of templated reports, each only near its neighbours.
  std::vector<NearEdge> edges;
  for (uint32_t i = 0; i + 1 < 6; ++i) edges.push_back({i, i + 1, 0.3});
  auto never = [](uint32_t, uint32_t) { return false; };
  auto c = StarClusters(Identity(6), edges, never);
  std::map<uint32_t, int> size;
  for (uint32_t x : c) ++size[x];
  for (auto& [k, v] : size) EXPECT_LE(v, 3) << "centre " << k;
  // Every member is the centre or a direct neighbour of it.
  for (uint32_t d = 0; d < 6; ++d) EXPECT_LE(d > c[d] ? d - c[d] : c[d] - d, 1u);
}

TEST(StarClusters, SecondHopNeedsTheDriftCheck) {
  std::vector<NearEdge> edges = {{0, 1, 0.9}, {0, 2, 0.9}, {1, 3, 0.5}};
  auto yes = [](uint32_t, uint32_t) { return true; };
  auto no = [](uint32_t, uint32_t) { return false; };
  EXPECT_EQ(StarClusters(Identity(4), edges, yes), (std::vector<uint32_t>{0, 0, 0, 0}));
  EXPECT_EQ(StarClusters(Identity(4), edges, no), (std::vector<uint32_t>{0, 0, 0, 3}));
}

TEST(StarClusters, ExactCopiesFollowTheirLeader) {
  std::vector<uint32_t> group = {0, 1, 0, 3};
  std::vector<NearEdge> edges = {{0, 3, 0.5}};
  auto c = StarClusters(group, edges, [](uint32_t, uint32_t) { return false; });
  EXPECT_EQ(c[2], c[0]);
  EXPECT_EQ(c[3], c[0]);
  EXPECT_EQ(c[1], 1u);
}

TEST(Representatives, KeepRules) {
  std::vector<uint32_t> center = {0, 0, 0};
  std::vector<KeepKey> keys = {{false, 0, 500, "c"}, {true, 2000, 100, "b"}, {true, 1000, 50, "a"}};
  auto key = [&](uint32_t d) { return keys[d]; };
  EXPECT_EQ(ChooseRepresentatives(center, KeepRule::kEarliest, key)[0], 2u);
  EXPECT_EQ(ChooseRepresentatives(center, KeepRule::kLongest, key)[0], 0u);
  EXPECT_EQ(ChooseRepresentatives(center, KeepRule::kFirst, key)[0], 0u);
  keys = {{false, 0, 100, "z"}, {false, 0, 100, "m"}, {false, 0, 90, "a"}};
  EXPECT_EQ(ChooseRepresentatives(center, KeepRule::kEarliest, key)[1], 1u);  // tie -> smallest id
}

}  // namespace
}  // namespace doppel
