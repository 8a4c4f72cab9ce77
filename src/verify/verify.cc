#include "doppel/verify.h"

#include <algorithm>

namespace doppel {

size_t IntersectionSize(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (a.empty()) return 0;
  size_t n = 0;
  // Galloping when one list is much shorter keeps skewed pairs cheap.
  if (a.size() * 16 < b.size()) {
    auto lo = b.begin();
    for (uint64_t x : a) {
      lo = std::lower_bound(lo, b.end(), x);
      if (lo == b.end()) break;
      n += *lo == x;
    }
    return n;
  }
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    uint64_t x = a[i], y = b[j];
    n += x == y;
    i += x <= y;
    j += y <= x;
  }
  return n;
}

namespace {

void Fill(size_t inter, size_t na, size_t nb, Similarity* s) {
  size_t uni = na + nb - inter;
  s->shared = static_cast<uint32_t>(inter);
  s->jaccard = uni ? static_cast<double>(inter) / uni : 0.0;
  size_t smaller = std::min(na, nb);
  s->containment = smaller ? static_cast<double>(inter) / smaller : 0.0;
}

}  // namespace

bool MostlyCommon(const ShingleView& v) {
  size_t total = v.distinctive.size() + v.common.size();
  return total && static_cast<double>(v.distinctive.size()) < kMostlyCommonFraction * total;
}

void CompareFigures(std::span<const uint64_t> a, std::span<const uint64_t> b, uint32_t* shared,
                    uint32_t* conflicts) {
  *shared = *conflicts = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      i += 2;
    } else if (b[j] < a[i]) {
      j += 2;
    } else {
      const uint64_t key = a[i];
      size_t ie = i, je = j;
      while (ie < a.size() && a[ie] == key) ie += 2;
      while (je < b.size() && b[je] == key) je += 2;
      bool agree = false;
      for (size_t x = i; x < ie && !agree; x += 2)
        for (size_t y = j; y < je && !agree; y += 2) agree = a[x + 1] == b[y + 1];
      ++*shared;
      *conflicts += !agree;
      i = ie;
      j = je;
    }
  }
}

Similarity Compare(const ShingleView& a, const ShingleView& b, const NearRule& rule) {
  Similarity s;
  size_t inter = IntersectionSize(a.distinctive, b.distinctive);
  Fill(inter, a.distinctive.size(), b.distinctive.size(), &s);
  if ((MostlyCommon(a) || MostlyCommon(b)) && s.jaccard < rule.threshold) {
    size_t all = inter + IntersectionSize(a.common, b.common);
    Similarity t;
    Fill(all, a.distinctive.size() + a.common.size(), b.distinctive.size() + b.common.size(), &t);
    t.basis = Basis::kAll;
    if (t.jaccard >= kAllShinglesThreshold) s = t;
  }
  size_t na = a.numbers.size(), nb = b.numbers.size();
  if (static_cast<int>(std::min(na, nb)) >= rule.number_veto_min) {
    size_t shared_numbers = IntersectionSize(a.numbers, b.numbers);
    s.numbers_differ = shared_numbers * 2 < std::min(na, nb);
  }
  CompareFigures(a.figures, b.figures, &s.figure_slots, &s.figure_conflicts);
  if (s.figure_conflicts * 3 > s.figure_slots) s.numbers_differ = true;
  return s;
}

bool IsNear(const Similarity& s, const NearRule& rule) {
  if (s.numbers_differ) return false;
  if (s.shared < static_cast<uint32_t>(rule.min_shared)) return false;
  if (s.basis == Basis::kAll) return s.jaccard >= kAllShinglesThreshold;
  return s.jaccard >= rule.threshold;
}

}  // namespace doppel
