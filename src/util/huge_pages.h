// Internal: an allocator for the few large arrays a scan builds (the corpus
// arenas of shingles and figures, LSH keys, frequency tables). On Linux
// with transparent huge pages in "madvise" mode (Debian's default), every
// fresh 4 KiB page costs a page fault on first touch, and in a virtual
// machine a fault costs microseconds: filling 30 MB of shingle hashes took
// 80 ms of faults, more than hashing them. Blocks of 2 MiB and more are
// therefore mapped 2 MiB-aligned and advised MADV_HUGEPAGE (one fault per
// 2 MiB); smaller ones come from malloc as usual.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>
#include <vector>

namespace doppel::detail {

constexpr size_t kHugePage = size_t{2} << 20;

inline void* AllocateHuge(size_t bytes) {
  if (bytes < kHugePage) {
    void* p = std::malloc(bytes);
    if (!p) throw std::bad_alloc();
    return p;
  }
  const size_t size = (bytes + kHugePage - 1) & ~(kHugePage - 1);
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

inline void FreeHuge(void* p, size_t bytes) {
  if (bytes < kHugePage) {
    std::free(p);
  } else {
    munmap(p, (bytes + kHugePage - 1) & ~(kHugePage - 1));
  }
}

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(AllocateHuge(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { FreeHuge(p, n * sizeof(T)); }
  // resize() default-initialises (no zeroing pass): callers overwrite what they grow.
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const { return true; }
};

// A std::vector whose large buffers live on huge pages.
template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace doppel::detail
