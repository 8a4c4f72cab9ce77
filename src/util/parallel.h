// Internal: a minimal parallel-for. Work is split into chunks handed out from
// an atomic counter; callers write results by index, so output never depends
// on scheduling.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace doppel::detail {

inline int ResolveThreads(int threads) {
  if (threads > 0) return threads;
  unsigned hw = std::thread::hardware_concurrency();
  return hw ? static_cast<int>(hw) : 1;
}

// One value per worker, each on its own cache lines: state a worker writes
// often (a vector it appends to, a parser) must not share a line with
// another worker's, or every write bounces the line between cores.
template <typename T>
struct alignas(64) Padded {
  T value;
};
template <typename T>
class PerWorker {
 public:
  template <typename... Args>
  explicit PerWorker(int workers, const Args&... args) {
    slots_.reserve(workers);
    for (int w = 0; w < workers; ++w) slots_.push_back(Padded<T>{T(args...)});
  }
  T& operator[](int w) { return slots_[w].value; }
  const T& operator[](int w) const { return slots_[w].value; }

 private:
  std::vector<Padded<T>> slots_;
};

// Calls fn(begin, end, worker) over [0, n) in chunks of `grain`.
template <typename F>
void ParallelFor(size_t n, int threads, size_t grain, F&& fn) {
  threads = std::max(1, threads);
  if (n == 0) return;
  if (threads == 1 || n <= grain) {
    fn(size_t{0}, n, 0);
    return;
  }
  std::atomic<size_t> next{0};
  auto work = [&](int worker) {
    for (;;) {
      size_t b = next.fetch_add(grain);
      if (b >= n) break;
      fn(b, std::min(n, b + grain), worker);
    }
  };
  std::vector<std::thread> pool;
  int spawn = static_cast<int>(std::min<size_t>(threads, (n + grain - 1) / grain));
  for (int t = 1; t < spawn; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
}

}  // namespace doppel::detail
