#include "doppel/shingle.h"

#define XXH_STATIC_LINKING_ONLY  // XXH3_state_t on the stack
#include <xxhash.h>

#include <algorithm>
#include <bit>

namespace doppel {

void ShingleHashes(const std::vector<Token>& tokens, int k, std::vector<uint64_t>* out) {
  out->clear();
  if (tokens.size() < static_cast<size_t>(k)) return;
  const size_t n = tokens.size() - k + 1;
  out->reserve(n);
  // Token hashes are already uniform (XXH3); a multiply-rotate chain with a
  // final avalanche is enough to combine k of them, and order-sensitive.
  for (size_t i = 0; i < n; ++i) {
    uint64_t h = 0x243F6A8885A308D3ULL;
    for (int j = 0; j < k; ++j) h = (std::rotl(h, 23) ^ tokens[i + j].hash) * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 32;
    out->push_back(h);
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

void NumberHashes(const std::vector<Token>& tokens, std::vector<uint64_t>* out) {
  out->clear();
  for (const Token& t : tokens)
    if (t.number) out->push_back(t.hash);
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

uint64_t ExactHash(const std::vector<Token>& tokens) {
  XXH3_state_t st;
  XXH3_64bits_reset(&st);
  for (const Token& t : tokens) XXH3_64bits_update(&st, &t.hash, sizeof t.hash);
  return XXH3_64bits_digest(&st);
}

}  // namespace doppel
