// Internal: the 64-bit finalisers doppel mixes hashes with. Both are
// bijections with full avalanche; results depend on them, so they must not
// change without a note in the release (clusters would shift).
#pragma once

#include <cstdint>

namespace doppel::detail {

// MurmurHash3's fmix64 (Appleby).
inline uint64_t Fmix64(uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}

// SplitMix64's finaliser (Steele, Lea & Flood 2014).
inline uint64_t SplitMix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace doppel::detail
