// doppel/story.h — stage 9: same-story clusters (retellings in other words).
//
// Thread safety: StoryClusters is safe for concurrent use on distinct
// inputs; it uses `threads` workers inside.
//
// Algorithm (docs/design.md, "Stories"): each document becomes a sparse
// TF-IDF vector over light-stemmed words — sublinear term frequency
// (1 + ln tf) times ln(N / df), names, places and numbers weighted up
// (capitalised words outside Title-Case headlines, tokens with digits),
// document frequencies from the corpus itself. The caller takes
// boilerplate out of the terms first (StripBoilerplateTerms in shingle.h). Neighbours come from an
// inverted index over the documents' heaviest terms (no all-pairs
// comparison), each candidate measured exactly, restricted to a time window
// when both documents are dated; one shared word adds at most the link
// threshold to a similarity, so a single name does not make a story. Texts
// of up to 40 words are smoothed by their neighbourhood (each vector plus the
// similarity-weighted mean of its nearest neighbours: pseudo-relevance
// feedback), then clusters are merged by average linkage over the sparse
// neighbour graph, missing pairs counting as zero, so a story cannot grow by
// chaining. Copy clusters are the starting clusters, so they nest inside
// stories. With `rewrites`, each text's nearest neighbours (cosine of the
// unsmoothed vectors) whose informative vocabulary the smaller text shares
// by at least `rewrite_min` are listed as rewrite pairs. Output does not
// depend on `threads`.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace doppel {

struct StoryOptions {
  double window_hours = 72;      // dated documents further apart are not linked; <= 0: no window
  int neighbours = 20;           // nearest neighbours per document
  double neighbour_min = 0.1;    // cosine below which a neighbour is ignored
  double link = 0.13;            // average-linkage threshold on smoothed vectors
  int max_terms = 48;            // terms kept per document vector
  double boost = 1.5;            // weight of names, places and numbers
  double max_df_fraction = 0.5;  // terms in more documents are stop words
  int max_postings = 1000;       // longer postings lists are skipped when searching neighbours
  int head_terms = 10;           // heaviest terms of a vector that make it a candidate for others
  double prefilter = 0.4;        // candidates whose shared head terms alone reach this share of a threshold are measured
  double prior_words = 10;       // weight of the neighbourhood in a vector, in words of text
  double plain_words = 32;       // longer texts: similarity divided by sqrt(words / plain_words)
  int max_links = 400;           // links kept per document in the clustering graph (the strongest)
  bool rewrites = false;         // also list rewrite pairs (StoryResult::rewrites)
  double rewrite_min = 0.3;      // share of the smaller text's idf-weighted vocabulary found in the other
};

// Two texts telling the same content in other words (a heavy revision, a
// paraphrase): `share` of the informative vocabulary of the one with less
// of it (terms weighted by idf, stop words out) is in the other. a < b.
struct RewritePair {
  uint32_t a, b;
  double share;
};

// One document's terms: stem hashes (each once) and, per term, its
// count in the low 31 bits and bit 31 set if it is a name, place or number.
struct StoryDoc {
  std::span<const uint64_t> terms;
  std::span<const uint32_t> counts;
  bool has_date = false;
  int64_t date_ms = 0;
};

struct StoryResult {
  std::vector<uint32_t> story;                 // per document: a document number naming its story
  std::vector<std::vector<uint64_t>> top_terms;  // per document that names a story: its top term hashes
  std::vector<RewritePair> rewrites;             // with options.rewrites: among nearest neighbours, sorted
};

// `copy_cluster[d]` is the copy-cluster centre of d (d itself if none).
// Documents without terms stay alone.
StoryResult StoryClusters(const std::vector<StoryDoc>& docs, const std::vector<uint32_t>& copy_cluster,
                          const StoryOptions& options, int threads);

}  // namespace doppel
