// Internal: an allocator for the few large arrays a scan builds (the corpus
// arenas of shingles and figures, LSH keys, frequency tables). On Linux
// with transparent huge pages in "madvise" mode (Debian's default), every
// fresh 4 KiB page costs a page fault on first touch, and in a virtual
// machine a fault costs microseconds: filling 30 MB of shingle hashes took
// 80 ms of faults, more than hashing them. Blocks of 1 MiB and more are
// therefore mapped 2 MiB-aligned and advised MADV_HUGEPAGE (one fault per
// 2 MiB; a block of 1 to 2 MiB takes a whole huge page, still cheaper to
// zero than its 256 to 512 small faults); smaller ones come from malloc as
// usual.
#pragma once

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace doppel::detail {

constexpr size_t kHugePage = size_t{2} << 20;
constexpr size_t kOnHugePagesFrom = size_t{1} << 20;  // smaller blocks: malloc

// A block of at least `bytes`, 2 MiB-aligned when it is 1 MiB or more.
// Large blocks freed earlier in the process are handed out again before
// fresh memory is mapped (huge_pages.cc): their pages are already there,
// so they are not zeroed and faulted in a second time. Contents are
// undefined either way. Thread-safe.
void* AllocateHuge(size_t bytes);
// Frees a block from AllocateHuge(bytes), with the same `bytes`.
void FreeHuge(void* p, size_t bytes);
// Unmaps the freed large blocks kept for reuse (RunScan calls it when it is
// done, so a program that scans once and goes on holds no extra memory).
void ReleaseFreedHugeBlocks();

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(AllocateHuge(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { FreeHuge(p, n * sizeof(T)); }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const { return true; }
};

// A std::vector whose large buffers live on huge pages (elements are
// value-initialised, as usual).
template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

// A growable array of trivially copyable values on huge pages whose
// resize() leaves new elements uninitialised: for buffers that are written
// right after they grow (a vector's resize() would first zero them, or run
// a construct loop per element).
template <typename T>
class HugeArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  HugeArray() = default;
  explicit HugeArray(size_t n) { resize(n); }
  HugeArray(const HugeArray&) = delete;
  HugeArray& operator=(const HugeArray&) = delete;
  HugeArray(HugeArray&& o) noexcept { *this = std::move(o); }
  HugeArray& operator=(HugeArray&& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(cap_, o.cap_);
    return *this;
  }
  ~HugeArray() {
    if (data_) FreeHuge(data_, cap_ * sizeof(T));
  }

  void reserve(size_t n) {
    if (n > cap_) Regrow(n);
  }
  // New elements are uninitialised; capacity at least doubles when it grows.
  void resize(size_t n) {
    if (n > cap_) Regrow(std::max(n, 2 * cap_));
    size_ = n;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }

 private:
  void Regrow(size_t n) {
    T* p = static_cast<T*>(AllocateHuge(n * sizeof(T)));
    if (size_) std::memcpy(p, data_, size_ * sizeof(T));
    if (data_) FreeHuge(data_, cap_ * sizeof(T));
    data_ = p;
    cap_ = n;
  }
  T* data_ = nullptr;
  size_t size_ = 0, cap_ = 0;
};

}  // namespace doppel::detail
