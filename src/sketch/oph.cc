#include <algorithm>
#include <bit>

#include "doppel/sketch.h"
#include "util/hash.h"

namespace doppel {
namespace {

using detail::SplitMix64;

constexpr uint32_t kEmpty = 0xFFFFFFFFu;

}  // namespace

OphSketcher::OphSketcher(int bins, uint64_t seed)
    : bins_(bins), shift_(64 - std::countr_zero(static_cast<unsigned>(bins))), seed_(SplitMix64(seed ^ 0x6a09e667f3bcc909ULL)) {}

bool OphSketcher::Sketch(const uint64_t* hashes, size_t n, uint32_t* out) const {
  if (n == 0) return false;
  uint32_t* v = out;
  for (int i = 0; i < bins_; ++i) v[i] = kEmpty;
  for (size_t i = 0; i < n; ++i) {
    uint64_t h = SplitMix64(hashes[i] ^ seed_);
    uint32_t bin = static_cast<uint32_t>(h >> shift_);
    uint32_t val = static_cast<uint32_t>(h);
    if (val == kEmpty) val = kEmpty - 1;  // keep the sentinel free
    v[bin] = std::min(v[bin], val);  // branch-free: early on most values lower their bin, later few do
  }
  int last = -1;
  for (int i = bins_ - 1; i >= 0; --i)
    if (v[i] != kEmpty) {
      last = i;
      break;
    }
  // Densification by rotation: an empty bin takes the value of the next
  // non-empty bin to its right (cyclically), offset by a per-distance
  // constant so borrowed and own values do not collide by accident. Both
  // sides of a pair borrow along the same path, so an equal bin still means
  // an equal minimum with probability J. One pass, O(bins), branch-free:
  // about half the bins of a news article are empty, in no pattern a branch
  // predictor could learn.
  uint32_t next_val = v[last];
  uint32_t next_pos = static_cast<uint32_t>(last + bins_);
  for (int i = bins_ - 1; i >= 0; --i) {
    const uint32_t here = v[i];
    const bool empty = here == kEmpty;
    next_val = empty ? next_val : here;
    next_pos = empty ? next_pos : static_cast<uint32_t>(i);
    v[i] = empty ? next_val + (next_pos - static_cast<uint32_t>(i)) * 0x9E3779B1u : here;
  }
  return true;
}

double EstimateJaccard(const uint32_t* a, const uint32_t* b, int bins) {
  int eq = 0;
  for (int i = 0; i < bins; ++i) eq += a[i] == b[i];
  return static_cast<double>(eq) / bins;
}

}  // namespace doppel
