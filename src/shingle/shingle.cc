#include "doppel/shingle.h"

#define XXH_INLINE_ALL  // XXH3 inlined into the shingle loop
#include <xxhash.h>


#include <algorithm>
#include <bit>

#include "util/hash.h"
#include "util/sort_hashes.h"

namespace doppel {

// XXH3 over the k token hashes (64-bit words). For the default k = 3 they
// are gathered into one 24-byte buffer: XXH3's 17-to-128-byte path, two
// 16-byte mixes, about as cheap as a hand-made multiply chain.
uint64_t ShingleAt(std::span<const Token> tokens, size_t i, int k) {
  if (k == 3) {  // the default: an exact-size buffer
    const uint64_t buf[3] = {tokens[i].hash, tokens[i + 1].hash, tokens[i + 2].hash};
    return XXH3_64bits(buf, sizeof buf);
  }
  XXH3_state_t st;
  XXH3_64bits_reset(&st);
  for (int j = 0; j < k; ++j) XXH3_64bits_update(&st, &tokens[i + j].hash, sizeof(uint64_t));
  return XXH3_64bits_digest(&st);
}

void ShingleHashes(std::span<const Token> tokens, int k, std::vector<uint64_t>* out,
                   std::vector<uint16_t>* in_order) {
  out->clear();
  if (in_order) in_order->clear();
  if (tokens.size() < static_cast<size_t>(k)) return;
  const size_t n = tokens.size() - k + 1;
  out->reserve(n);
  for (size_t i = 0; i < n; ++i) out->push_back(ShingleAt(tokens, i, k));
  if (in_order) {
    in_order->resize(n);
    for (size_t i = 0; i < n; ++i) (*in_order)[i] = static_cast<uint16_t>((*out)[i]);
  }
  thread_local std::vector<uint64_t> scratch;
  detail::SortUniqueUniformHashes(out, &scratch);
}

void NumberHashes(std::span<const Token> tokens, std::vector<uint64_t>* out) {
  out->clear();
  for (const Token& t : tokens)
    if (t.number) out->push_back(t.hash);
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

using detail::Fmix64;

void FigureSlots(std::span<const Token> tokens, std::vector<uint64_t>* out) {
  out->clear();
  thread_local std::vector<std::pair<uint64_t, uint64_t>> slots;  // reused: this runs once per document
  slots.clear();
  const size_t n = tokens.size();
  for (size_t i = 0; i < n;) {
    if (!tokens[i].number) {
      ++i;
      continue;
    }
    size_t j = i;
    uint64_t fig = 0x9E3779B97F4A7C15ULL;
    while (j < n && tokens[j].number) fig = Fmix64(fig ^ tokens[j++].hash);
    uint64_t before = i ? tokens[i - 1].hash : 0x5eedULL;
    uint64_t after = j < n ? tokens[j].hash : 0xe11dULL;
    slots.emplace_back(Fmix64(before ^ 0x1111111111111111ULL), fig);
    slots.emplace_back(Fmix64(after ^ 0x2222222222222222ULL), fig);
    i = j;
  }
  std::sort(slots.begin(), slots.end());
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  out->reserve(slots.size() * 2);
  for (auto [k, f] : slots) {
    out->push_back(k);
    out->push_back(f);
  }
}

void StoryTerms(std::span<const Token> tokens, std::vector<uint64_t>* terms, std::vector<uint32_t>* counts,
                std::vector<uint16_t>* token_term) {
  terms->clear();
  counts->clear();
  if (token_term) token_term->clear();
  size_t words = 0, capitals = 0;
  for (const Token& t : tokens)
    if (!t.number) {
      ++words;
      capitals += t.capital;
    }
  const bool title_case = capitals * 5 > words * 3;
  // Stems are counted in a small open-addressing table (stems are uniform
  // hashes: their low bits pick the slot), kept per thread and cleared
  // through the slots used: no sort of every token.
  enum : uint8_t { kNamed = 1, kCapital = 2, kLower = 4 };
  thread_local std::vector<uint64_t> keys;
  thread_local std::vector<uint32_t> index;  // slot -> 1 + position in terms; 0 = empty
  thread_local std::vector<uint8_t> seen;    // position -> kNamed | kCapital | kLower
  thread_local std::vector<uint32_t> used;
  const size_t want = std::bit_ceil(std::max<size_t>(64, tokens.size() * 2));
  if (keys.size() < want) {
    keys.assign(want, 0);
    index.assign(want, 0);
  }
  const size_t mask = want - 1;  // a prefix of the table, enough for this text
  seen.clear();
  used.clear();
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    // A capital says "name" only inside running text; where it opens a
    // sentence or a line, or in a Title-Case headline, it says nothing.
    const bool salient = t.number || (t.capital && !t.opens && !title_case);
    const uint8_t how = salient ? kNamed : t.capital ? kCapital : kLower;
    size_t slot = t.stem & mask;
    while (index[slot] != 0 && keys[slot] != t.stem) slot = (slot + 1) & mask;
    if (index[slot] == 0) {
      keys[slot] = t.stem;
      index[slot] = static_cast<uint32_t>(terms->size()) + 1;
      used.push_back(static_cast<uint32_t>(slot));
      terms->push_back(t.stem);
      counts->push_back(1);
      seen.push_back(how);
    } else {
      const uint32_t at = index[slot] - 1;
      ++(*counts)[at];
      seen[at] |= how;
    }
    if (token_term) token_term->push_back(static_cast<uint16_t>(index[slot] - 1));
  }
  for (uint32_t slot : used) index[slot] = 0;
  if (token_term && terms->size() > 65536) token_term->clear();  // indices would not fit
  for (size_t k = 0; k < terms->size(); ++k) {
    // Capitalised inside running text: a name here. Only ever capitalised
    // where capitals say nothing: unknown here, decided by the corpus.
    const uint8_t f = seen[k];
    const uint32_t flag = (f & kNamed) ? kStoryNamed : (f & kCapital) && !(f & kLower) ? kStoryCapitalOnly : 0;
    (*counts)[k] = std::min<uint32_t>((*counts)[k], kStoryCountMask) | flag;
  }
}

size_t StripBoilerplateTerms(std::span<const uint16_t> positions, int k, std::span<const uint16_t> token_term,
                             std::span<const uint64_t> common, std::span<uint64_t> terms,
                             std::span<uint32_t> counts, std::span<const TokenRange> also) {
  const size_t min_run = kMinBoilerplateTokens > static_cast<size_t>(k) ? kMinBoilerplateTokens - k + 1 : 1;
  if (token_term.empty() || token_term.size() != positions.size() + k - 1) return terms.size();
  // Tokens to take out, as [begin, end) ranges in text order (each token is
  // counted out once, however many reasons it has).
  thread_local std::vector<TokenRange> out;
  out.clear();
  if (common.size() >= min_run && positions.size() >= min_run) {
    // The text's common shingles by their low 16 bits (as positions hold
    // them), as bits of a 64 Kbit set that is cleared again on the way out.
    // A stray match (about one position in 600 for a text with a hundred
    // common shingles) cannot make a run of ten on its own.
    thread_local std::vector<uint64_t> bits(size_t{1} << 10, 0);
    for (uint64_t h : common) bits[static_cast<uint16_t>(h) >> 6] |= uint64_t{1} << (h & 63);
    auto is_common = [&](uint16_t v) { return (bits[v >> 6] >> (v & 63)) & 1; };
    for (size_t i = 0; i < positions.size();) {
      if (!is_common(positions[i])) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < positions.size() && is_common(positions[j])) ++j;
      // positions [i, j) cover tokens [i, j - 1 + k)
      if (j - i >= min_run) out.push_back(TokenRange{static_cast<uint32_t>(i), static_cast<uint32_t>(j - 1 + k)});
      i = j;
    }
    for (uint64_t h : common) bits[static_cast<uint16_t>(h) >> 6] = 0;
  }
  for (const TokenRange& r : also)
    out.push_back(TokenRange{std::min<uint32_t>(r.begin, token_term.size()), std::min<uint32_t>(r.end, token_term.size())});
  if (out.empty()) return terms.size();
  std::sort(out.begin(), out.end(), [](const TokenRange& x, const TokenRange& y) { return x.begin < y.begin; });
  size_t marked_end = 0;  // tokens before this are already taken out
  for (const TokenRange& r : out) {
    for (size_t t = std::max<size_t>(r.begin, marked_end); t < r.end; ++t) --counts[token_term[t]];
    marked_end = std::max<size_t>(marked_end, r.end);
  }
  size_t kept = 0;
  for (size_t t = 0; t < terms.size(); ++t)
    if (counts[t] & kStoryCountMask) {
      terms[kept] = terms[t];
      counts[kept++] = counts[t];
    }
  return kept;
}

uint64_t ExactHash(std::span<const Token> tokens) {
  uint64_t h = 0x3C6EF372FE94F82BULL;
  for (const Token& t : tokens) h = (std::rotl(h, 27) ^ t.hash) * 0x9E3779B97F4A7C15ULL;
  return Fmix64(h ^ tokens.size());
}

}  // namespace doppel
