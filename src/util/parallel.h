// Internal: a minimal parallel-for on a persistent pool of threads. Work is
// split into chunks handed out from an atomic counter; callers write results
// by index, so output never depends on scheduling.
//
// The pool's threads live as long as the process: a scan calls ParallelFor
// a few hundred times (every input batch), and a fresh thread per call threw
// away its thread-local buffers and malloc arena each time (measured: the
// second thread did 40 % more work for the same documents).
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
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

class ThreadPool {
 public:
  static ThreadPool& Instance() {
    static ThreadPool pool;
    return pool;
  }
  // Runs job(w) for w in [0, workers): w = 0 on the calling thread, the rest
  // on pool threads; returns when all are done. One job at a time.
  template <typename Job>
  void Run(int workers, Job& job) {
    std::lock_guard<std::mutex> one_job(run_mu_);
    std::unique_lock<std::mutex> lock(mu_);
    while (static_cast<int>(threads_.size()) < workers - 1) {
      const int index = static_cast<int>(threads_.size()) + 1;
      threads_.emplace_back([this, index] { Loop(index); });
    }
    call_ = [](void* j, int w) { (*static_cast<Job*>(j))(w); };
    job_ = &job;
    workers_ = workers;
    pending_ = workers - 1;
    ++generation_;
    lock.unlock();
    wake_.notify_all();
    {
      bool& in = InWorker();  // a ParallelFor inside job(0) runs inline too
      const bool was = in;
      in = true;
      job(0);
      in = was;
    }
    lock.lock();
    done_.wait(lock, [this] { return pending_ == 0; });
  }
  // True inside a job (pool thread or caller): a nested ParallelFor runs inline.
  static bool& InWorker() {
    thread_local bool in = false;
    return in;
  }
  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }

 private:
  ThreadPool() = default;
  void Loop(int index) {
    InWorker() = true;
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      if (index >= workers_) continue;
      void* job = job_;
      auto call = call_;
      lock.unlock();
      call(job, index);
      lock.lock();
      if (--pending_ == 0) done_.notify_one();
    }
  }
  std::mutex run_mu_, mu_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> threads_;
  void (*call_)(void*, int) = nullptr;
  void* job_ = nullptr;
  int workers_ = 0, pending_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

// Calls fn(begin, end, worker) over [0, n) in chunks of `grain`, and
// side() once, on the first worker to start, alongside the chunks: a serial
// task (reading the next input batch) that would otherwise leave the other
// workers waiting. side() runs first when everything runs inline.
template <typename S, typename F>
void ParallelForWith(size_t n, int threads, size_t grain, S&& side, F&& fn) {
  threads = std::max(1, threads);
  if (threads == 1 || n <= grain || ThreadPool::InWorker()) {
    side();
    if (n) fn(size_t{0}, n, 0);
    return;
  }
  std::atomic<bool> side_taken{false};
  std::atomic<size_t> next{0};
  auto work = [&](int worker) {
    if (!side_taken.exchange(true)) side();
    for (;;) {
      size_t b = next.fetch_add(grain);
      if (b >= n) break;
      fn(b, std::min(n, b + grain), worker);
    }
  };
  const int workers = static_cast<int>(std::min<size_t>(threads, (n + grain - 1) / grain));
  ThreadPool::Instance().Run(workers, work);
}

// Calls fn(begin, end, worker) over [0, n) in chunks of `grain`.
template <typename F>
void ParallelFor(size_t n, int threads, size_t grain, F&& fn) {
  if (n == 0) return;
  ParallelForWith(n, threads, grain, [] {}, fn);
}

// Calls fn(w) once for every w in [0, threads), each on worker w: the same
// thread that ParallelFor runs as worker w (0 is the caller), so a worker
// can finish what it started there with data still in its cache. Inline
// (all w in turn) with one thread or inside a job.
template <typename F>
void RunOnWorkers(int threads, F&& fn) {
  threads = std::max(1, threads);
  if (threads == 1 || ThreadPool::InWorker()) {
    for (int w = 0; w < threads; ++w) fn(w);
    return;
  }
  auto job = [&](int w) { fn(w); };
  ThreadPool::Instance().Run(threads, job);
}

}  // namespace doppel::detail
