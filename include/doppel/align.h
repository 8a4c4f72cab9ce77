// doppel/align.h — stage: aligned passages between two documents.
//
// Thread safety: Align is safe for concurrent use.
//
// Algorithm: seed and extend over word tokens, in the spirit of passim and
// of the winnowing fingerprints of MOSS (Schleimer, Wilkerson & Aiken 2003):
// every word k-gram of B that also occurs in A is an anchor (i, j); anchors
// are chained in order of j into passages while both sides advance by at
// most `max_gap` tokens, so a changed word, a typo, an inserted or deleted
// word does not break a passage. Re-ordered sentences become separate
// passages. A passage must span `min_tokens` tokens on both sides. Shingles
// that `skip` marks (boilerplate) may carry a passage through a common
// phrase, but a passage needs min_own_anchors other anchors.
//
// Offsets are code points into the original texts, taken from the tokens,
// so text[a_start:a_end] in Python is the passage as written in A.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <functional>
#include <utility>
#include <vector>

#include "doppel/normalize.h"
#include "doppel/shingle.h"

namespace doppel {

struct Passage {
  uint32_t a_start = 0, a_end = 0;  // code points in A
  uint32_t b_start = 0, b_end = 0;  // code points in B
  uint32_t a_tokens = 0, b_tokens = 0;  // tokens covered on each side
};

struct AlignOptions {
  int shingle = 3;     // anchor length in tokens
  int max_gap = 8;     // tokens an edit may open on either side
  int min_tokens = 8;  // shortest passage reported
  // Anchors a passage needs besides boilerplate (shingles `skip` marks);
  // 0 means as many as the shortest passage has, min_tokens - shingle + 1.
  // A pair already verified as a near-copy may use 1: its passages only say
  // where the copy lies.
  int min_own_anchors = 0;
};

// How much of each text a set of passages holds.
struct PassageCover {
  uint64_t a_tokens = 0, b_tokens = 0;  // tokens inside passages (overlapping passages count twice)
  double a_share = 0, b_share = 0;      // of each text's tokens; may pass 1 with overlaps
  double verbatim = 0;                  // VerbatimShare of the passages; set by IsPartialReuse
};
PassageCover Cover(const std::vector<Passage>& passages, size_t tokens_a, size_t tokens_b);

// What makes aligned passages partial reuse rather than two texts telling
// the same news in their own words (docs/design.md, "Partial reuse").
struct ReuseRule {
  int min_words = 12;         // inside passages on both sides
  double min_share = 0.2;     // of one of the two texts, inside passages
  double min_verbatim = 0.18; // VerbatimShare: runs of kVerbatimWords words copied as they stand
};


// A token as the aligner sees it. A document is prepared once (PrepareAlign)
// and then aligned against every document it is paired with: the hash of
// the k-gram starting at each token, and whether that k-gram is
// boilerplate, are worked out once per document instead of once per pair.
struct AlignToken {
  uint32_t gram = 0;   // low 32 bits of ShingleAt(tokens, i, k); 0 for the last k - 1 tokens
  uint32_t word = 0;   // low 32 bits of Token::hash (a number: its digits, see PrepareAlign;
                       // compare words through LooseWord)
  uint32_t begin = 0;  // code points in the original text
  uint32_t end : 29 = 0;     // (clamped to 2^29 - 1)
  uint32_t number : 1 = 0;   // Token::number
  uint32_t joined : 1 = 0;   // a number one punctuation mark after a number: one figure ("3,000")
  uint32_t boiler : 1 = 0;   // skip(full k-gram hash): the k-gram starting here is boilerplate
};
// 16 bytes a token: the passage stage holds every token of every document in
// a reported pair. 32-bit anchors within one pair of texts collide about
// once in 4,000 pairs of 1,000-word texts, and a stray anchor alone spans
// too few tokens to make a passage.
static_assert(sizeof(AlignToken) == 16);

// A token's word as alignment, reuse and figure tests compare it: a number
// by the multiset of its digits (the low half of its `word`, PrepareAlign),
// so a typo or an OCR slip does not make it another word.
inline uint32_t LooseWord(const AlignToken& t) { return t.word & (0xffffffffu >> (16 * t.number)); }

// The tokens of a passage's side: those of `t` that start inside the code
// points [start, end).
std::span<const AlignToken> TokensIn(std::span<const AlignToken> t, uint32_t start, uint32_t end);

// Writes tokens.size() prepared tokens to out. `skip(h)` may be empty
// (nothing is boilerplate). With the text the tokens come from, a number
// token's `word` is made of its ASCII digits instead of its hash: in the low
// 16 bits their multiset (LooseWord), so that figures compare alike when
// only their digits' order or separators differ — a typo or an OCR slip
// ("15,9000" for "159,000") is not another figure; in the high 16 bits the
// digits in order, for the whole-text test (TextFiguresDiffer), where "31"
// and "13" are two dates.
void PrepareAlign(std::span<const Token> tokens, int k, const std::function<bool(uint64_t shingle)>& skip,
                  AlignToken* out, std::string_view text = {});

// True when an aligned passage is a template filled with other figures (the
// same market report, dividend notice or price table for another day or
// company): the figure veto of verify.h applied to the passage's tokens
// alone — more than a third of the figure slots both sides have hold
// different figures, or both sides carry at least number_veto_min number
// tokens and fewer than half of the smaller set is shared.
bool FiguresDiffer(std::span<const AlignToken> a, std::span<const AlignToken> b, const Passage& p,
                   int number_veto_min);

// True when the figures inside a pair's passages disagree: both sides'
// passages hold figures (runs of number tokens joined by single punctuation
// marks: "3,000", "16-3/8"; valued by their digits, see PrepareAlign), and
// fewer than half of all the distinct ones are on both sides (their Jaccard
// is under 0.5). A reprint copies the figures of what it copies, and a
// re-send cut short or extended keeps those of the part both have; a dated
// header added to a reprint, or a dropped paragraph, lies outside the
// passages. A templated report (another week's money-supply figure, another
// market's hog report) aligns over its template and differs in the figures
// inside it. The whole-document figure test of verify.h misses short ones:
// a headline with two figures, one of them a label such as "M-1". The scan
// applies it to near pairs and, after FiguresDiffer, to partial ones.
bool SharedFiguresDiffer(std::span<const AlignToken> a, std::span<const AlignToken> b,
                         const std::vector<Passage>& passages);

// True when the two texts, taken whole, carry other figures: fewer than
// half of the distinct figures of both are on both sides (their Jaccard is
// under 0.5). Figures are compared by their digits in order ("31" and "13"
// are two dates). Figures that one text alone adds before everything the
// two share (a dateline, a byline's date, "UPDATE 1-": before the first
// passage on its side) are left out when the other text's lead adds none;
// with no passages nothing is a lead. A text left with no figures differs
// in none when it has at least kStoryTokens tokens and kWholeTextShare of
// the other's (a reprint that dropped the paragraph holding the figures),
// and does when it is shorter (a re-send cut to the lines before them; a
// headline that spells out another amount). A near-copy carries the facts
// of its source; a re-send cut to its first paragraphs, or extended by a
// table, is reuse of a part (the scan tests it as partial reuse), and
// another week's report whose figures changed outside the aligned text is
// no copy at all.
inline constexpr double kWholeTextShare = 0.9;
inline constexpr size_t kStoryTokens = 30;
bool TextFiguresDiffer(std::span<const AlignToken> a, std::span<const AlignToken> b,
                       const std::vector<Passage>& passages);

// The figure tests of partial reuse, as the scan and `doppel compare` apply
// them: takes the passages of a template filled with other figures out of
// *passages (FiguresDiffer), and returns false when the rest together still
// carry other figures (SharedFiguresDiffer): such a pair is no reuse,
// whatever IsPartialReuse says of its passages.
bool ReusedFiguresAgree(std::span<const AlignToken> a, std::span<const AlignToken> b, int number_veto_min,
                        std::vector<Passage>* passages);

// Word n-grams that make a passage verbatim: five words in a row is a quoted
// phrase, not a shared turn of phrase (the word 5-gram of LLM dedup and of
// containment search).
inline constexpr int kVerbatimWords = 5;

// The share of the shorter text that its passages copy word for word:
// distinct word kVerbatimWords-grams lying inside passages on both sides,
// over the smaller of the two
// texts' counts of distinct word kVerbatimWords-grams. A passage rewritten
// sentence by sentence (a wire story's background paragraph retold in a
// follow-up) aligns, but few of its 5-grams survive; a quotation keeps them.
// grams_a / grams_b: DistinctWordGrams of a and b, for a caller that tests
// one text against many and works them out once (kCountWordGrams: here).
inline constexpr size_t kCountWordGrams = SIZE_MAX;
size_t DistinctWordGrams(std::span<const AlignToken> t);
double VerbatimShare(std::span<const AlignToken> a, std::span<const AlignToken> b,
                     const std::vector<Passage>& passages, size_t grams_a = kCountWordGrams,
                     size_t grams_b = kCountWordGrams);

// The partial-reuse test on A and B's passages: at least rule.min_words
// inside passages on both sides, covering at least rule.min_share of one of
// the two texts, and at least rule.min_verbatim of the shorter text word for
// word. *cover receives Cover() of the passages; its verbatim share is
// measured (two sorts per text) only when the cheaper tests pass, else 0.
bool IsPartialReuse(std::span<const AlignToken> a, std::span<const AlignToken> b,
                    const std::vector<Passage>& passages, const ReuseRule& rule, PassageCover* cover);
// The same test, for a caller that tests one text against many and keeps
// each text's DistinctWordGrams: word_grams() gives those of a and b, and
// is called only when the cheaper tests pass.
bool IsPartialReuse(std::span<const AlignToken> a, std::span<const AlignToken> b,
                    const std::vector<Passage>& passages, const ReuseRule& rule, PassageCover* cover,
                    const std::function<std::pair<size_t, size_t>()>& word_grams);

// How much the passages belong to the text around them: the cosine of the
// TF-IDF vectors of the words inside the passages and of the words outside
// them, on side A (a_start/a_end) or side B. A reused passage belongs to
// the story of its source — its words recur in the rest of the source —
// while in the borrowing text it stands apart from the borrower's own
// material. idf(word hash) weighs words (0 drops a word). 0 when either
// part has no weighted word.
double PassageCoherence(std::span<const AlignToken> tokens, const std::vector<Passage>& passages, bool side_a,
                        const std::function<double(uint64_t word)>& idf);

// Passages shared by A and B (prepared with options.shingle), ordered by
// a_start. With `boilerplate` false the boiler marks are ignored: every
// anchor is the passage's own.
std::vector<Passage> Align(std::span<const AlignToken> a, std::span<const AlignToken> b, const AlignOptions& options,
                           bool boilerplate = true);

// The same on plain tokens, prepared on the spot (tests, `doppel compare`).
// `skip(h)` may be empty.
std::vector<Passage> Align(std::span<const Token> a, std::span<const Token> b, const AlignOptions& options,
                           const std::function<bool(uint64_t shingle)>& skip = {});

}  // namespace doppel
