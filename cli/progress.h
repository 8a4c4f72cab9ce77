// A one-line progress display on stderr, redrawn at most 10 times a second;
// only on a terminal, never with --quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace doppel::cli {

class ProgressLine {
 public:
  explicit ProgressLine(bool enabled, uint64_t total_bytes) : enabled_(enabled), total_(total_bytes) {}
  void Update(const char* stage, uint64_t docs, uint64_t bytes) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    double secs = std::chrono::duration<double>(now - start_).count();
    double mbs = secs > 0 ? bytes / 1e6 / secs : 0, dps = secs > 0 ? docs / secs : 0;
    std::string eta;
    if (total_ && bytes && bytes < total_) {
      double left = secs * (static_cast<double>(total_) / bytes - 1);
      eta = " ETA " + std::to_string(static_cast<int>(left + 0.5)) + "s";
    }
    int pct = total_ ? static_cast<int>(100.0 * std::min<uint64_t>(bytes, total_) / total_) : -1;
    std::fprintf(stderr, "\r\033[Kdoppel: %-8s %s%llu docs  %.1f MB/s  %.0f docs/s%s", stage,
                 pct >= 0 ? (std::to_string(pct) + "%  ").c_str() : "", static_cast<unsigned long long>(docs), mbs,
                 dps, eta.c_str());
    std::fflush(stderr);
  }
  void Stage(const char* stage) {
    if (!enabled_) return;
    std::fprintf(stderr, "\r\033[Kdoppel: %s…", stage);
    std::fflush(stderr);
  }
  void Clear() {
    if (enabled_ && drawn_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool enabled_;
  uint64_t total_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_;
};

}  // namespace doppel::cli
