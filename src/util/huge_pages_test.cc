#include "util/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

namespace doppel::detail {
namespace {

constexpr size_t kMiB = size_t{1} << 20;

void Fill(void* p, size_t bytes, uint8_t v) { std::memset(p, v, bytes); }
bool All(const void* p, size_t bytes, uint8_t v) {
  const auto* c = static_cast<const uint8_t*>(p);
  for (size_t i = 0; i < bytes; i += 4096)
    if (c[i] != v) return false;
  return true;
}

// A freed large block is handed out again with its pages (not fresh,
// zeroed ones): to a smaller request as it is, to a larger one moved to
// the front of the new block.
TEST(HugePages, FreedBlocksAreReusedAndGrown) {
  ReleaseFreedHugeBlocks();
  void* a = AllocateHuge(4 * kMiB);
  ASSERT_EQ(reinterpret_cast<uintptr_t>(a) % kHugePage, 0u);
  Fill(a, 4 * kMiB, 0xAB);
  FreeHuge(a, 4 * kMiB);
  void* b = AllocateHuge(3 * kMiB);  // rounds to 4 MiB: the same block
  EXPECT_EQ(b, a);
  EXPECT_TRUE(All(b, 4 * kMiB, 0xAB));
  FreeHuge(b, 3 * kMiB);
  void* c = AllocateHuge(8 * kMiB);  // larger: the kept block's pages, then fresh ones
  ASSERT_EQ(reinterpret_cast<uintptr_t>(c) % kHugePage, 0u);
  EXPECT_TRUE(All(c, 4 * kMiB, 0xAB));
  EXPECT_TRUE(All(static_cast<char*>(c) + 4 * kMiB, 4 * kMiB, 0));
  Fill(c, 8 * kMiB, 0xCD);  // all of it is writable
  FreeHuge(c, 8 * kMiB);
  // A smaller request takes the front of a larger kept block; the rest
  // stays kept for the next.
  void* d = AllocateHuge(2 * kMiB);
  void* e = AllocateHuge(6 * kMiB);
  EXPECT_EQ(d, c);
  EXPECT_EQ(e, static_cast<char*>(c) + 2 * kMiB);
  EXPECT_TRUE(All(e, 6 * kMiB, 0xCD));
  FreeHuge(d, 2 * kMiB);
  FreeHuge(e, 6 * kMiB);
  // Released, the next block is fresh memory.
  ReleaseFreedHugeBlocks();
  void* f = AllocateHuge(4 * kMiB);
  EXPECT_TRUE(All(f, 4 * kMiB, 0));
  FreeHuge(f, 4 * kMiB);
  ReleaseFreedHugeBlocks();
}

}  // namespace
}  // namespace doppel::detail
