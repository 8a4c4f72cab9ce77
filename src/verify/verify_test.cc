#include "doppel/verify.h"

#include "doppel/shingle.h"

#include <gtest/gtest.h>

#include <numeric>

namespace doppel {
namespace {

std::vector<uint64_t> Range(uint64_t a, uint64_t b) {
  std::vector<uint64_t> v(b - a);
  std::iota(v.begin(), v.end(), a);
  return v;
}

TEST(Verify, IntersectionIncludingGallopingPath) {
  auto a = Range(0, 100), b = Range(50, 150), small = std::vector<uint64_t>{3, 60, 2000};
  EXPECT_EQ(IntersectionSize(a, b), 50u);
  EXPECT_EQ(IntersectionSize(small, Range(0, 1000)), 2u);
  EXPECT_EQ(IntersectionSize({}, a), 0u);
}

TEST(Verify, JaccardAndContainmentAreExact) {
  auto a = Range(0, 100), b = Range(50, 150);
  ShingleView va{a, {}, {}, {}}, vb{b, {}, {}, {}};
  NearRule rule;
  Similarity s = Compare(va, vb, rule);
  EXPECT_DOUBLE_EQ(s.jaccard, 50.0 / 150);
  EXPECT_DOUBLE_EQ(s.containment, 0.5);
  EXPECT_TRUE(IsNear(s, rule));
  rule.threshold = 0.4;
  EXPECT_FALSE(IsNear(s, rule));
}

TEST(Verify, SharedBoilerplateAloneIsNotNear) {
  // Same common shingles (a footer), disjoint distinctive ones.
  auto footer = Range(1000, 1100);
  auto a = Range(0, 120), b = Range(200, 320);
  ShingleView va{a, footer, {}, {}}, vb{b, footer, {}, {}};
  Similarity s = Compare(va, vb, NearRule{});
  EXPECT_EQ(s.shared, 0u);
  EXPECT_FALSE(IsNear(s, NearRule{}));
}

TEST(Verify, MostlyCommonDocumentsFallBackToAllShinglesWithAStricterBar) {
  // A story reprinted so often its phrases became common: 90% common.
  auto common = Range(1000, 1090);
  auto a = Range(0, 10), b = Range(20, 30);  // only their edits are distinctive
  Similarity s = Compare({a, common, {}, {}}, {b, common, {}, {}}, NearRule{});
  EXPECT_EQ(s.basis, Basis::kAll);
  EXPECT_TRUE(IsNear(s, NearRule{}));
}

TEST(Verify, DifferentFiguresVetoATemplate) {
  auto text = Range(0, 100);
  std::vector<uint64_t> n1 = {1, 2, 3, 4}, n2 = {1, 7, 8, 9}, n3 = {1, 2, 3, 9};
  NearRule rule;
  Similarity diff = Compare({text, {}, n1, {}}, {text, {}, n2, {}}, rule);
  EXPECT_TRUE(diff.numbers_differ);
  EXPECT_FALSE(IsNear(diff, rule));
  Similarity same = Compare({text, {}, n1, {}}, {text, {}, n3, {}}, rule);
  EXPECT_FALSE(same.numbers_differ);
  EXPECT_TRUE(IsNear(same, rule));
}

}  // namespace
}  // namespace doppel

namespace doppel {
namespace {

std::vector<uint64_t> Figures(std::string_view text) {
  std::vector<Token> t;
  Tokenize(text, &t);
  std::vector<uint64_t> f;
  FigureSlots(t, &f);
  return f;
}

TEST(Verify, FiguresInTheSameSlotsDecideTemplates) {
  // Two hog reports from one template: words equal, figures changed in place.
  auto a = Figures("Hog prices opened 1.50 dlr higher, private sources said. Top 52.00 dlrs per cwt.");
  auto b = Figures("Hog prices opened 1.00 dlr higher, private sources said. Top 51.50 dlrs per cwt.");
  // An edited copy: same figures, one sentence dropped, a date added elsewhere.
  auto c = Figures("Updated 12 March 2019. Hog prices opened 1.50 dlr higher, private sources said.");
  uint32_t shared, conflicts;
  CompareFigures(a, b, &shared, &conflicts);
  EXPECT_EQ(shared, 4u);
  EXPECT_EQ(conflicts, 4u);
  CompareFigures(a, c, &shared, &conflicts);
  EXPECT_EQ(shared, 2u);
  EXPECT_EQ(conflicts, 0u);
}

}  // namespace
}  // namespace doppel
