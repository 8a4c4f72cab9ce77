// doppel/shingle.h — stage 3: word n-gram shingles and document fingerprints.
//
// Thread safety: all functions are safe for concurrent use.
//
// A shingle is k consecutive word tokens, hashed to 64 bits (XXH3 over the
// k token hashes). A document with fewer than k tokens has no shingles: it
// can only be an exact copy, never a near one (small texts are not collapsed
// together on weak evidence).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "doppel/normalize.h"

namespace doppel {

// Hash of the k tokens starting at tokens[i].
uint64_t ShingleAt(std::span<const Token> tokens, size_t i, int k);

// Sorted, duplicate-free hashes of the k-token shingles of tokens. If
// in_order is given, it receives the low 16 bits of every position's hash in
// text order (position i: tokens i .. i + k - 1): enough to find where in a
// text its common shingles lie, at two bytes a word.
void ShingleHashes(std::span<const Token> tokens, int k, std::vector<uint64_t>* out,
                   std::vector<uint16_t>* in_order = nullptr);

// Sorted, duplicate-free hashes of the tokens that contain a digit.
void NumberHashes(std::span<const Token> tokens, std::vector<uint64_t>* out);

// Figures in their slots, for telling templated reports from copies: every
// maximal run of number tokens (a figure such as "1.50" or "16-3/8") is keyed
// by the word before it and, separately, by the word after it. Appends
// interleaved (slot key, figure hash) pairs sorted by key, then figure.
void FigureSlots(std::span<const Token> tokens, std::vector<uint64_t>* out);

// Terms for story clustering: stems (each once, in order of first
// occurrence) with their counts in the low 30 bits. kStoryNamed marks a name, place or number in this text —
// a token with a digit, or a word capitalised inside running text.
// kStoryCapitalOnly marks a word seen only where capitals say nothing (a word
// that opens a sentence or a line — Token::opens — or a text in Title Case,
// as headlines are): whether it is a name is then for the corpus to tell
// (see story.h).
inline constexpr uint32_t kStoryNamed = 1u << 31;
inline constexpr uint32_t kStoryCapitalOnly = 1u << 30;
inline constexpr uint32_t kStoryCountMask = (1u << 30) - 1;
// If token_term is given, it receives for every token the index of its
// term in *terms — or nothing, for a text of more than 65,536 distinct terms.
void StoryTerms(std::span<const Token> tokens, std::vector<uint64_t>* terms, std::vector<uint32_t>* counts,
                std::vector<uint16_t>* token_term = nullptr);

// Boilerplate out of a text's story terms: tokens inside a run of at least
// kMinBoilerplateTokens tokens whose every shingle is common (`common`: the
// text's common shingles, any order) — an agency footer, a byline, a legal
// notice — are taken out of the counts, and terms left with no count are
// dropped, the rest keeping their order. `positions` and `token_term` are
// ShingleHashes' in_order and StoryTerms' token_term for the same tokens
// (without them — token_term empty — nothing is stripped); `terms` and
// `counts` are compacted in place. Tokens in `also` ([begin, end) token
// ranges: boilerplate found by its place in the text, a footer too rare to
// make its shingles common) are taken out as well, each token once.
// Returns how many terms remain.
inline constexpr size_t kMinBoilerplateTokens = 12;
struct TokenRange {
  uint32_t begin = 0, end = 0;
};
size_t StripBoilerplateTerms(std::span<const uint16_t> positions, int k, std::span<const uint16_t> token_term,
                             std::span<const uint64_t> common, std::span<uint64_t> terms,
                             std::span<uint32_t> counts, std::span<const TokenRange> also = {});

// Hash of the whole normalised token sequence: equal for documents that are
// the same text after normalisation ("exact" copies).
uint64_t ExactHash(std::span<const Token> tokens);

}  // namespace doppel
