// doppel/verify.h — stage 6: exact similarity of candidate pairs.
//
// Thread safety: all functions are safe for concurrent use.
//
// Sketches only propose; this stage decides. Every pair doppel writes has
// been measured here on the real shingle sets (sorted 64-bit hashes), so the
// Jaccard and containment in pairs.jsonl are exact, not estimates.
//
// Figures decide templated reports: a pair is not near when more than a
// third of the figure slots both documents have hold different figures, or
// when both carry at least number_veto_min number tokens and fewer than half
// of the smaller set is shared.
//
// Each document's shingles are split in two sorted lists: distinctive ones
// and common ones (in more than common_df documents: stock phrases,
// boilerplate footers). The near-copy decision uses the distinctive lists:
// two unrelated stories that end in the same agency footer share only common
// shingles and stay apart. A document that is mostly common shingles (a
// story reprinted so often that its own phrases became common) is compared
// on all its shingles instead, with a stricter bar (kAllShinglesThreshold).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace doppel {

struct ShingleView {
  std::span<const uint64_t> distinctive;  // sorted
  std::span<const uint64_t> common;       // sorted
  std::span<const uint64_t> numbers;      // sorted hashes of number tokens
  std::span<const uint64_t> figures;      // FigureSlots(): (slot, figure) pairs, interleaved
};

struct NearRule {
  double threshold = 0.2;     // Jaccard of distinctive shingles
  int number_veto_min = 3;    // see ScanOptions::number_veto_min
  int min_shared = 2;         // one shared 3-gram is coincidence, not copying
};

// Below this share of distinctive shingles, a document is compared on all.
inline constexpr double kMostlyCommonFraction = 0.5;
// Jaccard over all shingles required in that case.
inline constexpr double kAllShinglesThreshold = 0.6;

enum class Basis : uint8_t { kDistinctive, kAll };

struct Similarity {
  double jaccard = 0;      // on the basis below
  double containment = 0;  // max of the two directed containments, same basis
  uint32_t shared = 0;     // shingles in common, same basis
  Basis basis = Basis::kDistinctive;
  bool numbers_differ = false;  // the template veto fired
  uint32_t figure_slots = 0;     // slots (word before/after a figure) found in both
  uint32_t figure_conflicts = 0; // of those, slots whose figures differ
};

// True if fewer than kMostlyCommonFraction of the document's shingles are
// distinctive: it is then compared (and sketched) on all its shingles.
bool MostlyCommon(const ShingleView& v);

// Size of the intersection of two sorted, duplicate-free lists.
size_t IntersectionSize(std::span<const uint64_t> a, std::span<const uint64_t> b);

Similarity Compare(const ShingleView& a, const ShingleView& b, const NearRule& rule);

// Counts the slots two documents share and those whose figures disagree
// ("Top 52.00 dlrs" against "Top 51.50 dlrs"). A templated report keeps its
// words and changes its figures in place; an edited copy keeps its figures.
void CompareFigures(std::span<const uint64_t> a, std::span<const uint64_t> b, uint32_t* shared,
                    uint32_t* conflicts);

// The near-copy decision for a measured pair.
bool IsNear(const Similarity& s, const NearRule& rule);

}  // namespace doppel
