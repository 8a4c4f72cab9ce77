// Large blocks on 2 MiB pages, and the freed ones kept for reuse.
//
// Why keep them: a scan's big buffers follow one another (the frequency
// table's scatter buffer, then the LSH keys, then the alignment arena), and
// in a virtual machine first touch of fresh memory is the costly part: the
// guest zeroes each page and the host may have to back it (page zeroing
// was 17-25 % of perf's samples on a 20k-document scan). A block handed
// back here and taken by the next buffer is already mapped and backed
// (huge-page faults per 20k scan: 52 -> 36).
//
// Bounds: at most kMaxKept bytes are kept, and a request is served from a
// kept block before any fresh memory is mapped (the largest kept block is
// grown in place of a fresh mapping), so keeping them adds little to the
// peak: memory is held only between a free and the next large request.
#include "util/huge_pages.h"

#include <sys/mman.h>

#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

namespace doppel::detail {
namespace {

constexpr size_t kMaxKept = size_t{256} << 20;

struct Block {
  void* p;
  size_t size;  // a multiple of kHugePage
};

struct Kept {
  std::mutex mu;
  std::vector<Block> blocks;
  size_t bytes = 0;
};

Kept& kept() {
  static Kept* k = new Kept;  // never destroyed: blocks may be freed during exit
  return *k;
}

size_t RoundUp(size_t bytes) { return (bytes + kHugePage - 1) & ~(kHugePage - 1); }

// `size` bytes of fresh address space at a 2 MiB boundary, advised onto
// huge pages (pages are touched later, by whoever writes them).
void* MapAligned(size_t size) {
  // Over-map by one huge page, then trim both ends to a 2 MiB boundary.
  void* raw = mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto base = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (base + kHugePage - 1) & ~(kHugePage - 1);
  if (aligned > base) munmap(raw, aligned - base);
  const uintptr_t tail = aligned + size, end = base + size + kHugePage;
  if (end > tail) munmap(reinterpret_cast<void*>(tail), end - tail);
#ifdef MADV_HUGEPAGE
  madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);  // advice only: failure is harmless
#endif
  return reinterpret_cast<void*>(aligned);
}

// A kept block of exactly `size` bytes, or nullptr if none is kept. The
// smallest that is large enough is cut to size (its rest stays kept);
// failing that the largest is moved to the start of a fresh mapping of
// `size` bytes, its pages with it (mremap moves page tables, not data).
void* TakeKept(size_t size) {
  Kept& k = kept();
  std::lock_guard<std::mutex> lock(k.mu);
  if (k.blocks.empty()) return nullptr;
  size_t best = k.blocks.size(), largest = 0;
  for (size_t i = 0; i < k.blocks.size(); ++i) {
    if (k.blocks[i].size >= size && (best == k.blocks.size() || k.blocks[i].size < k.blocks[best].size)) best = i;
    if (k.blocks[i].size > k.blocks[largest].size) largest = i;
  }
  if (best < k.blocks.size()) {
    Block b = k.blocks[best];
    if (b.size > size) {
      k.blocks[best] = Block{static_cast<char*>(b.p) + size, b.size - size};
    } else {
      k.blocks.erase(k.blocks.begin() + static_cast<std::ptrdiff_t>(best));
    }
    k.bytes -= size;
    return b.p;
  }
  Block b = k.blocks[largest];
  void* to = MapAligned(size);
  void* moved = mremap(b.p, b.size, b.size, MREMAP_MAYMOVE | MREMAP_FIXED, to);
  if (moved == MAP_FAILED) {  // the fresh mapping still serves; the kept block stays kept
    return to;
  }
  k.blocks.erase(k.blocks.begin() + static_cast<std::ptrdiff_t>(largest));
  k.bytes -= b.size;
  return to;
}

}  // namespace

void* AllocateHuge(size_t bytes) {
  if (bytes < kOnHugePagesFrom) {
    void* p = std::malloc(bytes);
    if (!p) throw std::bad_alloc();
    return p;
  }
  const size_t size = RoundUp(bytes);
  if (void* p = TakeKept(size)) return p;
  return MapAligned(size);
}

void FreeHuge(void* p, size_t bytes) {
  if (bytes < kOnHugePagesFrom) {
    std::free(p);
    return;
  }
  const size_t size = RoundUp(bytes);
  Kept& k = kept();
  {
    std::lock_guard<std::mutex> lock(k.mu);
    if (k.bytes + size <= kMaxKept) {
      k.blocks.push_back(Block{p, size});
      k.bytes += size;
      return;
    }
  }
  munmap(p, size);
}

void ReleaseFreedHugeBlocks() {
  Kept& k = kept();
  std::vector<Block> blocks;
  {
    std::lock_guard<std::mutex> lock(k.mu);
    blocks.swap(k.blocks);
    k.bytes = 0;
  }
  for (const Block& b : blocks) munmap(b.p, b.size);
}

}  // namespace doppel::detail
