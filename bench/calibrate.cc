// How well this machine runs two threads at once, measured beside the
// benchmark, on two kinds of work, each a fixed amount per thread run on 1
// thread and then on N threads:
//   arithmetic: independent multiply chains, no memory traffic;
//   fresh memory: 8-byte values written into newly mapped memory on huge
//     pages and read back, the way a scan's ingest fills its arenas (the
//     page faults and the zeroing of each page are part of the work).
// Prints "ARITHMETIC FRESH_MEMORY", each N * t1 / tN: 2.00 on two free
// cores; less when the cores or the memory system are shared (with the
// other thread, or with other tenants of a virtual machine), which bounds
// every program's thread scaling in that run.
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

volatile uint64_t sink;

void Arithmetic() {
  uint64_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  for (uint64_t i = 0; i < 300000000; ++i)
    for (int k = 0; k < 8; ++k) a[k] = a[k] * (2 * k + 3) + i;
  sink = a[0] + a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7];
}

void FreshMemory() {
  constexpr size_t kHuge = size_t{2} << 20, kBytes = size_t{64} << 20, kRounds = 4;
  uint64_t sum = 0;
  for (size_t r = 0; r < kRounds; ++r) {
    void* raw = mmap(nullptr, kBytes + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) std::abort();
    auto* p = reinterpret_cast<uint64_t*>((reinterpret_cast<uintptr_t>(raw) + kHuge - 1) & ~(kHuge - 1));
    madvise(p, kBytes, MADV_HUGEPAGE);
    const size_t n = kBytes / sizeof(uint64_t);
    uint64_t x = r + 1;
    for (size_t i = 0; i < n; ++i) {
      x = x * 0x9E3779B97F4A7C15ull + i;
      p[i] = x ^ (x >> 29);
    }
    for (size_t i = 0; i < n; i += 3) sum += p[i];
    munmap(raw, kBytes + kHuge);
  }
  sink = sum;
}

double Seconds(void (*work)(), int threads) {
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work);
  for (auto& t : pool) t.join();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Best of three runs at each thread count, taking turns.
double Scaling(void (*work)(), int n) {
  double best1 = 1e9, bestn = 1e9;
  for (int r = 0; r < 3; ++r) {
    best1 = std::min(best1, Seconds(work, 1));
    bestn = std::min(bestn, Seconds(work, n));
  }
  return n * best1 / bestn;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 2;
  const double arithmetic = Scaling(Arithmetic, n);
  std::printf("%.2f %.2f\n", arithmetic, Scaling(FreshMemory, n));
}
