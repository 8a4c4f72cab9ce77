#include <bit>

#include <algorithm>
#include <iterator>
#include <cmath>
#include <vector>

#include "doppel/index.h"
#include "util/parallel.h"

namespace doppel {
namespace {

// Midpoint-rule integrals of the S-curve; it is smooth, so 64 steps put the
// error far below the differences between neighbouring (b, r).
constexpr int kSteps = 64;

}  // namespace

double CandidateProbability(double s, LshParams p) {
  return 1.0 - std::pow(1.0 - std::pow(s, p.rows), p.bands);
}

LshParams OptimalLshParams(double threshold, int num_perm, double fn_weight) {
  // More than 16 rows would need a threshold above 0.9 to be useful.
  constexpr int kMaxRows = 16;
  // err[b][r], every band count at once per row count: at a sample point s,
  // 1 - P(candidate) = (1 - s^r)^b is a running product over b (a pow per
  // (b, r, s) took 8 ms, longer than scanning a small input).
  std::vector<double> fp(static_cast<size_t>(num_perm + 1) * (kMaxRows + 1), 0.0);
  std::vector<double> fn(fp.size(), 0.0);
  auto at = [](int b, int r) { return static_cast<size_t>(b) * (kMaxRows + 1) + r; };
  const double h_fp = threshold / kSteps, h_fn = (1.0 - threshold) / kSteps;
  for (int r = 1; r <= kMaxRows && r <= num_perm; ++r) {
    const int max_b = num_perm / r;
    for (int i = 0; i < kSteps; ++i) {
      const double miss_fp = 1.0 - std::pow((i + 0.5) * h_fp, r);
      const double miss_fn = 1.0 - std::pow(threshold + (i + 0.5) * h_fn, r);
      double not_fp = 1.0, not_fn = 1.0;
      for (int b = 1; b <= max_b; ++b) {
        not_fp *= miss_fp;
        not_fn *= miss_fn;
        fp[at(b, r)] += 1.0 - not_fp;  // a candidate below the threshold
        fn[at(b, r)] += not_fn;        // no candidate above it
      }
    }
  }
  LshParams best{1, 1};
  double best_err = 1e300;
  for (int b = 1; b <= num_perm; ++b) {
    for (int r = 1; r * b <= num_perm && r <= kMaxRows; ++r) {
      const double err = (1.0 - fn_weight) * fp[at(b, r)] * h_fp + fn_weight * fn[at(b, r)] * h_fn;
      if (err < best_err - 1e-12) {
        best_err = err;
        best = LshParams{b, r};
      }
    }
  }
  return best;
}

void BandKeys(const uint32_t* sketch, LshParams p, uint64_t* keys) {
  // Band b takes bins b, b + bands, b + 2*bands, ...: neighbouring bins are
  // correlated after densification (they may borrow from one source), bins
  // far apart are not, so a band of strided bins keeps the S-curve honest.
  for (int b = 0; b < p.bands; ++b) {
    uint64_t h = 0x9E3779B97F4A7C15ULL * (static_cast<uint64_t>(b) + 1);
    for (int r = 0; r < p.rows; ++r) h = (std::rotl(h, 29) ^ sketch[b + r * p.bands]) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
    h *= 0x94D049BB133111EBULL;
    keys[b] = h ^ (h >> 29);
  }
}

std::vector<std::pair<uint32_t, uint32_t>> LshCandidates(std::span<const uint64_t> keys,
                                                         const std::vector<uint8_t>& has_sketch, int bands,
                                                         int max_bucket, int max_partners, int threads) {
  const size_t n = has_sketch.size();
  size_t cap = 16;
  while (cap < 2 * n) cap <<= 1;
  std::vector<detail::Padded<std::vector<uint64_t>>> per_band(bands);  // bands are written by different workers
  // Per band, an open-addressing table maps a key to the first and the
  // newest document of its bucket; `prev` links each document to the one
  // before it in the same bucket. A new document pairs with the first
  // member and with up to max_bucket - 1 of the newest.
  struct Slot {
    uint64_t key;
    uint32_t doc;    // newest member
    uint32_t first;  // first member
    uint32_t band;   // slot is free unless it holds this band's key
  };
  // One table per worker, kept across the bands it takes (bands are handed
  // out one at a time: a table per band cost a 1.5 MB allocation and fill
  // each, at 20k documents).
  struct Tables {
    std::vector<Slot> table;
    std::vector<uint32_t> prev;
  };
  detail::PerWorker<Tables> tables(std::max(1, threads));
  detail::ParallelFor(static_cast<size_t>(bands), threads, 1, [&](size_t b0, size_t b1, int w) {
    std::vector<Slot>& table = tables[w].table;
    std::vector<uint32_t>& prev = tables[w].prev;
    if (table.empty()) {
      table.assign(cap, Slot{0, 0, 0, UINT32_MAX});
      prev.resize(n);
    }
    for (size_t b = b0; b < b1; ++b) {
      const uint32_t tag = static_cast<uint32_t>(b);
      std::vector<uint64_t>& out = per_band[b].value;
      for (uint32_t d = 0; d < n; ++d) {
        if (!has_sketch[d]) continue;
        uint64_t key = keys[b * n + d];
        size_t i = (key * 0x9E3779B97F4A7C15ULL) >> 1 & (cap - 1);
        while (table[i].band == tag && table[i].key != key) i = (i + 1) & (cap - 1);
        if (table[i].band != tag) {
          table[i] = Slot{key, d, d, tag};
          prev[d] = UINT32_MAX;
          continue;
        }
        uint32_t m = table[i].doc;
        bool first_paired = false;
        for (int k = 0; m != UINT32_MAX && k < max_bucket - 1; ++k, m = prev[m]) {
          out.push_back(static_cast<uint64_t>(d) << 32 | m);
          first_paired |= m == table[i].first;
        }
        if (!first_paired) out.push_back(static_cast<uint64_t>(d) << 32 | table[i].first);
        prev[d] = table[i].doc;
        table[i].doc = d;
      }
    }
  });
  // Each band's pairs are in order of their later document (documents are
  // taken in order), so the later documents can be cut into ranges, each
  // range's pairs gathered from every band, sorted and counted on its own:
  // all in parallel (a tree of two-way merges ended in one serial merge of
  // every pair, and a serial pass over them). Within a band a pair occurs
  // once, so its count is the number of bands that found it.
  const size_t ranges = std::max<size_t>(1, std::min<size_t>(n, 8 * static_cast<size_t>(std::max(1, threads))));
  // Range r holds the later documents [cut[r], cut[r + 1]), cut where the
  // first band's pairs (a fair sample of all) divide evenly.
  std::vector<uint32_t> cut(ranges + 1, static_cast<uint32_t>(n));
  cut[0] = 0;
  if (!per_band.empty() && !per_band[0].value.empty()) {
    const std::vector<uint64_t>& v = per_band[0].value;
    for (size_t r = 1; r < ranges; ++r) cut[r] = std::max(cut[r - 1], static_cast<uint32_t>(v[v.size() * r / ranges] >> 32));
  } else {
    for (size_t r = 1; r < ranges; ++r) cut[r] = static_cast<uint32_t>(n * r / ranges);
  }
  auto earlier_first = [](uint64_t later_earlier) { return later_earlier << 32 | later_earlier >> 32; };
  std::vector<std::vector<uint64_t>> kept_in(ranges);
  detail::ParallelFor(ranges, threads, 1, [&](size_t r0, size_t r1, int) {
    std::vector<uint64_t> pairs;
    std::vector<std::pair<uint64_t, uint32_t>> group;  // (later doc << 32 | earlier doc, bands)
    for (size_t r = r0; r < r1; ++r) {
      pairs.clear();
      const uint64_t lo = uint64_t{cut[r]} << 32, hi = uint64_t{cut[r + 1]} << 32;
      for (const auto& band : per_band) {
        const std::vector<uint64_t>& v = band.value;
        auto by_later = [](uint64_t x, uint64_t y) { return x >> 32 < y >> 32; };
        auto from = std::lower_bound(v.begin(), v.end(), lo, by_later);
        auto to = std::lower_bound(from, v.end(), hi, by_later);
        pairs.insert(pairs.end(), from, to);
      }
      std::sort(pairs.begin(), pairs.end());
      // Each document keeps the max_partners earlier documents it shares the
      // most bands with (the most similar, by the sketch); ties go to the
      // earlier document.
      std::vector<uint64_t>& kept = kept_in[r];
      for (size_t i = 0; i < pairs.size();) {
        group.clear();
        const uint64_t later = pairs[i] >> 32;
        for (; i < pairs.size() && pairs[i] >> 32 == later;) {
          size_t j = i;
          while (j < pairs.size() && pairs[j] == pairs[i]) ++j;
          group.emplace_back(pairs[i], static_cast<uint32_t>(j - i));
          i = j;
        }
        if (group.size() > static_cast<size_t>(max_partners)) {
          std::partial_sort(group.begin(), group.begin() + max_partners, group.end(), [](const auto& x, const auto& y) {
            return x.second != y.second ? x.second > y.second : x.first < y.first;
          });
          group.resize(max_partners);
        }
        for (const auto& g : group) kept.push_back(earlier_first(g.first));
      }
    }
  });
  per_band.clear();
  std::vector<uint64_t> kept;
  for (const auto& k : kept_in) kept.insert(kept.end(), k.begin(), k.end());
  std::sort(kept.begin(), kept.end());  // (earlier << 32 | later): pairs in (a, b) order
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  pairs.reserve(kept.size());
  for (uint64_t v : kept) pairs.emplace_back(static_cast<uint32_t>(v >> 32), static_cast<uint32_t>(v));
  return pairs;
}

}  // namespace doppel
