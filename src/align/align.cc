#include "doppel/align.h"

#include <iterator>

#include "doppel/verify.h"

#include <algorithm>
#include <cctype>
#include <bit>
#include <cmath>

#include "util/hash.h"

namespace doppel {

PassageCover Cover(const std::vector<Passage>& passages, size_t tokens_a, size_t tokens_b) {
  PassageCover c;
  for (const Passage& p : passages) {
    c.a_tokens += p.a_tokens;
    c.b_tokens += p.b_tokens;
  }
  c.a_share = static_cast<double>(c.a_tokens) / std::max<size_t>(1, tokens_a);
  c.b_share = static_cast<double>(c.b_tokens) / std::max<size_t>(1, tokens_b);
  return c;
}

std::span<const AlignToken> TokensIn(std::span<const AlignToken> t, uint32_t start, uint32_t end) {
  auto lo = std::lower_bound(t.begin(), t.end(), start, [](const AlignToken& x, uint32_t v) { return x.begin < v; });
  auto hi = std::lower_bound(lo, t.end(), end, [](const AlignToken& x, uint32_t v) { return x.begin < v; });
  return std::span<const AlignToken>(lo, hi);
}

namespace {

void SortUnique(std::vector<uint64_t>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

// Per token of `t`: 1 if it starts inside one of the passages, on side A
// (a_start/a_end) or side B.
std::vector<uint8_t> InsidePassages(std::span<const AlignToken> t, const std::vector<Passage>& passages, bool side_a) {
  std::vector<uint8_t> inside(t.size(), 0);
  for (const Passage& p : passages) {
    std::span<const AlignToken> in = TokensIn(t, side_a ? p.a_start : p.b_start, side_a ? p.a_end : p.b_end);
    std::fill_n(inside.begin() + (in.data() - t.data()), in.size(), 1);
  }
  return inside;
}

// The words and figure marks of prepared tokens, as the figure functions of
// shingle.h read them.
std::vector<Token> AsTokens(std::span<const AlignToken> t) {
  std::vector<Token> out(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    out[i].hash = LooseWord(t[i]);
    out[i].number = t[i].number;
  }
  return out;
}

}  // namespace

namespace {

// The ASCII digits of a UTF-8 word, two ways in one word (PrepareAlign):
// low 16 bits, their multiset — a sum of one random constant per digit, so
// equal whatever their order, and additive over the tokens of one figure
// ("159" + "000" == "15" + "9000"); high 16 bits, a hash of them in order. A
// number written without ASCII digits keeps its hash.
uint32_t DigitWord(std::string_view word, uint64_t hash) {
  static constexpr uint16_t kDigit[10] = {0xbcdc, 0xeba1, 0xd6c1, 0x7999, 0x79b9,
                                          0x7c15, 0xae35, 0xeb2f, 0x67b1, 0x646c};
  uint16_t sum = 0;
  uint64_t ordered = 0;
  bool any = false;
  for (char c : word)
    if (c >= '0' && c <= '9') {
      sum += kDigit[c - '0'];
      ordered = ordered * 11 + static_cast<uint64_t>(c - '0' + 1);
      any = true;
    }
  if (!any) return static_cast<uint32_t>(hash);
  return static_cast<uint32_t>(detail::Fmix64(ordered) >> 48) << 16 | sum;
}

}  // namespace

void PrepareAlign(std::span<const Token> tokens, int k, const std::function<bool(uint64_t)>& skip, AlignToken* out,
                  std::string_view text) {
  // Number tokens take their digits (DigitWord) from the text.
  CodePointCursor bytes(text);
  size_t number_end = 0;  // byte where the last number token ended
  for (size_t i = 0; i < tokens.size(); ++i) {
    AlignToken t;  // built in registers and stored whole: out is fresh memory
    t.word = static_cast<uint32_t>(tokens[i].hash);
    t.begin = tokens[i].begin;
    t.end = std::min<uint32_t>(tokens[i].end, (1u << 29) - 1);
    t.number = tokens[i].number;
    if (tokens[i].number && !text.empty()) {
      const size_t from = bytes.ByteAt(tokens[i].begin), to = bytes.ByteAt(tokens[i].end);
      t.word = DigitWord(text.substr(from, to - from), tokens[i].hash);
      // One figure with the number token before when a single mark that is
      // no space lies between them.
      t.joined = i && tokens[i - 1].number && tokens[i].begin == tokens[i - 1].end + 1 && from == number_end + 1 &&
                 !std::isspace(static_cast<unsigned char>(text[number_end]));
      number_end = to;
    }
    const uint64_t gram = i + k <= tokens.size() ? ShingleAt(tokens, i, k) : 0;
    t.gram = static_cast<uint32_t>(gram);
    t.boiler = i + k <= tokens.size() && skip && skip(gram);
    out[i] = t;
  }
}

bool FiguresDiffer(std::span<const AlignToken> a, std::span<const AlignToken> b, const Passage& p,
                   int number_veto_min) {
  const std::vector<Token> ta = AsTokens(TokensIn(a, p.a_start, p.a_end)), tb = AsTokens(TokensIn(b, p.b_start, p.b_end));
  std::vector<uint64_t> na, nb, fa, fb;
  NumberHashes(ta, &na);
  NumberHashes(tb, &nb);
  if (na.empty() && nb.empty()) return false;
  FigureSlots(ta, &fa);
  FigureSlots(tb, &fb);
  uint32_t slots = 0, conflicts = 0;
  CompareFigures(fa, fb, &slots, &conflicts);
  if (conflicts * 3 > slots) return true;
  if (static_cast<int>(std::min(na.size(), nb.size())) < number_veto_min) return false;
  std::vector<uint64_t> shared;
  std::set_intersection(na.begin(), na.end(), nb.begin(), nb.end(), std::back_inserter(shared));
  return shared.size() * 2 < std::min(na.size(), nb.size());
}

namespace {

// A figure: a run of number tokens joined by single punctuation marks
// ("3,000" is two tokens, "16-3/8" three; a table row is many figures).
struct Figure {
  uint32_t loose;  // the sum of its tokens' digit multisets: a moved separator or
                   // two swapped digits leave it alone (PrepareAlign)
  uint32_t exact;  // its tokens' digits in order: "1.3" is not "13", "31" not "13"
  uint32_t begin;  // code points
};

// Calls f(Figure) for each figure of t that starts at token i or later and
// before code point `to`. Returns the index of the token after the last
// figure's end, or of the first token at or after `to`.
template <typename F>
size_t ForEachFigure(std::span<const AlignToken> t, size_t i, uint32_t to, F&& f) {
  while (i < t.size() && t[i].begin < to) {
    if (!t[i].number) {
      ++i;
      continue;
    }
    Figure fig{LooseWord(t[i]), t[i].word >> 16, t[i].begin};
    for (++i; i < t.size() && t[i].begin < to && t[i].joined; ++i) {
      fig.loose += LooseWord(t[i]);
      fig.exact = fig.exact * 0x10001u + (t[i].word >> 16);
    }
    fig.loose &= 0xffff;
    f(fig);
  }
  return i;
}

}  // namespace

bool SharedFiguresDiffer(std::span<const AlignToken> a, std::span<const AlignToken> b,
                         const std::vector<Passage>& passages) {
  // One side's passages are taken in text order and its tokens swept once
  // (a binary search per passage cost more than the sweep: near pairs of
  // edited reprints hold dozens of passages).
  thread_local std::vector<std::pair<uint32_t, uint32_t>> spans;  // reused: this runs for every near pair
  auto figures = [](std::span<const AlignToken> t, std::vector<uint64_t>* out) {
    out->clear();
    std::sort(spans.begin(), spans.end());
    size_t i = 0;
    for (auto [start, end] : spans) {
      if (i > 0 && t[i - 1].begin >= start) i = TokensIn(t, start, end).data() - t.data();  // overlapping passages
      while (i < t.size() && t[i].begin < start) ++i;
      i = ForEachFigure(t, i, end, [&](const Figure& fig) { out->push_back(fig.loose); });
    }
    SortUnique(out);
  };
  thread_local std::vector<uint64_t> na, nb;
  spans.clear();
  for (const Passage& p : passages) spans.emplace_back(p.a_start, p.a_end);
  figures(a, &na);
  if (na.empty()) return false;
  spans.clear();
  for (const Passage& p : passages) spans.emplace_back(p.b_start, p.b_end);
  figures(b, &nb);
  if (nb.empty()) return false;
  const size_t shared = IntersectionSize(na, nb);
  return shared * 2 < na.size() + nb.size() - shared;
}

bool TextFiguresDiffer(std::span<const AlignToken> a, std::span<const AlignToken> b,
                       const std::vector<Passage>& passages) {
  // Each side's distinct figures (by their digits in order: "31" and "13"
  // are two dates), and apart those found only before the side's first
  // passage, its lead.
  struct Figures {
    std::vector<uint64_t> all, lead_only;
  };
  thread_local Figures fa, fb;
  auto collect = [&](std::span<const AlignToken> t, bool side_a, Figures* f) {
    uint32_t lead_end = 0;  // no passages: no lead
    if (!passages.empty()) {
      lead_end = UINT32_MAX;
      for (const Passage& p : passages) lead_end = std::min(lead_end, side_a ? p.a_start : p.b_start);
    }
    thread_local std::vector<uint64_t> lead, rest;
    lead.clear();
    rest.clear();
    ForEachFigure(t, 0, UINT32_MAX, [&](const Figure& fig) { (fig.begin < lead_end ? lead : rest).push_back(fig.exact); });
    SortUnique(&lead);
    SortUnique(&rest);
    f->all.clear();
    std::set_union(lead.begin(), lead.end(), rest.begin(), rest.end(), std::back_inserter(f->all));
    f->lead_only.clear();
    std::set_difference(lead.begin(), lead.end(), rest.begin(), rest.end(), std::back_inserter(f->lead_only));
  };
  collect(a, true, &fa);
  collect(b, false, &fb);
  if (fa.all.empty() && fb.all.empty()) return false;
  const size_t shared = IntersectionSize(fa.all, fb.all);
  size_t own_a = fa.all.size() - shared, own_b = fb.all.size() - shared;
  // Figures a text adds before all it shares with the other (a dateline, a
  // byline with a date, "UPDATE 1-") are the reprint's own when the other
  // text adds none there; when both leads carry figures the other lacks, a
  // headline's figure changed in place, as another week's report changes it.
  const size_t lead_a = fa.lead_only.size() - IntersectionSize(fa.lead_only, fb.all);
  const size_t lead_b = fb.lead_only.size() - IntersectionSize(fb.lead_only, fa.all);
  if (lead_a > 0 && lead_b == 0) own_a -= lead_a;
  if (lead_b > 0 && lead_a == 0) own_b -= lead_b;
  // A text with no figures of its own differs in none; it is a copy of the
  // whole when it is about as long as the other (a reprint that dropped the
  // paragraph holding the figures), a part of it when it is much shorter (a
  // re-send cut to the lines before them). A headline has no paragraph to
  // drop: "ONE BILLION DLR" for "2.5 BILLION DLR" is another amount.
  if (shared == 0 && (own_a == 0 || own_b == 0) && std::min(a.size(), b.size()) >= kStoryTokens &&
      std::min(a.size(), b.size()) >= kWholeTextShare * std::max(a.size(), b.size()))
    return false;
  return own_a + own_b > shared;
}

bool ReusedFiguresAgree(std::span<const AlignToken> a, std::span<const AlignToken> b, int number_veto_min,
                        std::vector<Passage>* passages) {
  std::erase_if(*passages, [&](const Passage& x) { return FiguresDiffer(a, b, x, number_veto_min); });
  return !SharedFiguresDiffer(a, b, *passages);
}

namespace {

// Sorted distinct hashes of the word n-grams of `t` (n = kVerbatimWords);
// with `inside` given, only the n-grams whose words all lie inside
// passages (inside[i] != 0).
std::vector<uint64_t> WordGrams(std::span<const AlignToken> t, const std::vector<uint8_t>* inside) {
  constexpr size_t n = kVerbatimWords;
  std::vector<uint64_t> out;
  if (t.size() < n) return out;
  out.reserve(t.size() - n + 1);
  size_t run = 0;  // tokens inside passages ending at i
  for (size_t i = 0; i < t.size(); ++i) {
    run = !inside || (*inside)[i] ? run + 1 : 0;
    if (i + 1 < n || (inside && run < n)) continue;
    uint64_t h = 0;
    for (size_t k = i + 1 - n; k <= i; ++k) h = detail::Fmix64(h + LooseWord(t[k]));
    out.push_back(h);
  }
  SortUnique(&out);
  return out;
}

}  // namespace

size_t DistinctWordGrams(std::span<const AlignToken> t) { return WordGrams(t, nullptr).size(); }

double VerbatimShare(std::span<const AlignToken> a, std::span<const AlignToken> b,
                     const std::vector<Passage>& passages, size_t grams_a, size_t grams_b) {
  if (grams_a == kCountWordGrams) grams_a = DistinctWordGrams(a);
  if (grams_b == kCountWordGrams) grams_b = DistinctWordGrams(b);
  const size_t whole = std::min(grams_a, grams_b);
  if (whole == 0 || passages.empty()) return 0.0;
  const std::vector<uint8_t> ia = InsidePassages(a, passages, true), ib = InsidePassages(b, passages, false);
  const std::vector<uint64_t> ga = WordGrams(a, &ia), gb = WordGrams(b, &ib);
  size_t shared = 0;
  for (size_t i = 0, j = 0; i < ga.size() && j < gb.size();) {
    if (ga[i] < gb[j]) ++i;
    else if (gb[j] < ga[i]) ++j;
    else ++shared, ++i, ++j;
  }
  return static_cast<double>(shared) / static_cast<double>(whole);
}

bool IsPartialReuse(std::span<const AlignToken> a, std::span<const AlignToken> b,
                    const std::vector<Passage>& passages, const ReuseRule& rule, PassageCover* cover,
                    const std::function<std::pair<size_t, size_t>()>& word_grams) {
  *cover = Cover(passages, a.size(), b.size());
  if (std::min(cover->a_tokens, cover->b_tokens) < static_cast<uint64_t>(rule.min_words) ||
      std::max(cover->a_share, cover->b_share) < rule.min_share)
    return false;
  const auto [grams_a, grams_b] = word_grams();
  cover->verbatim = VerbatimShare(a, b, passages, grams_a, grams_b);
  return cover->verbatim >= rule.min_verbatim;
}

bool IsPartialReuse(std::span<const AlignToken> a, std::span<const AlignToken> b,
                    const std::vector<Passage>& passages, const ReuseRule& rule, PassageCover* cover) {
  return IsPartialReuse(a, b, passages, rule, cover,
                        [&] { return std::pair{DistinctWordGrams(a), DistinctWordGrams(b)}; });
}

double PassageCoherence(std::span<const AlignToken> tokens, const std::vector<Passage>& passages, bool side_a,
                        const std::function<double(uint64_t)>& idf) {
  // Term counts inside and outside, keyed by word hash (sorted for a merge).
  const std::vector<uint8_t> inside = InsidePassages(tokens, passages, side_a);
  std::vector<uint64_t> in, out;
  for (size_t i = 0; i < tokens.size(); ++i) (inside[i] ? in : out).push_back(LooseWord(tokens[i]));
  std::sort(in.begin(), in.end());
  std::sort(out.begin(), out.end());
  double dot = 0, nin = 0, nout = 0;
  size_t i = 0, j = 0;
  while (i < in.size() || j < out.size()) {
    const uint64_t w = j == out.size() || (i < in.size() && in[i] < out[j]) ? in[i] : out[j];
    size_t ci = 0, co = 0;
    for (; i < in.size() && in[i] == w; ++i) ++ci;
    for (; j < out.size() && out[j] == w; ++j) ++co;
    const double f = idf(w);
    dot += ci * co * f * f;
    nin += ci * ci * f * f;
    nout += co * co * f * f;
  }
  return nin > 0 && nout > 0 ? dot / std::sqrt(nin * nout) : 0.0;
}

std::vector<Passage> Align(std::span<const Token> a, std::span<const Token> b, const AlignOptions& o,
                           const std::function<bool(uint64_t)>& skip) {
  std::vector<AlignToken> pa(a.size()), pb(b.size());
  PrepareAlign(a, o.shingle, skip, pa.data());
  PrepareAlign(b, o.shingle, {}, pb.data());
  return Align(pa, pb, o, true);
}

std::vector<Passage> Align(std::span<const AlignToken> a, std::span<const AlignToken> b, const AlignOptions& o,
                           bool boilerplate) {
  const int k = o.shingle;
  if (a.size() < static_cast<size_t>(k) || b.size() < static_cast<size_t>(k)) return {};
  // Positions of each k-gram of A, in an open-addressing table keyed by the
  // k-gram's first position, with the later positions of the same k-gram
  // chained behind it (a k-gram repeated many times in A is kept at its
  // first 8 places: enough to anchor, bounded work). Scratch space is reused
  // across calls: this runs once per reported pair.
  const size_t na = a.size() - k + 1;
  thread_local std::vector<uint32_t> table, next, last, count;
  // Also reused, for the same reason: with two workers aligning, their
  // growth was a stream of malloc calls on one shared heap (cli/main.cc),
  // and contention for its lock cost a quarter more CPU time than one
  // worker spent.
  struct Chain {
    uint32_t i0, j0, i1, j1;  // first i, first j, last i, last j
    uint32_t own;             // anchors that are not boilerplate
  };
  thread_local std::vector<Chain> chains;
  thread_local std::vector<size_t> open;  // chains that may still grow
  thread_local std::vector<Passage> out;
  chains.clear();
  open.clear();
  out.clear();
  next.assign(na, UINT32_MAX);
  last.resize(na);
  count.resize(na);
  const size_t mask = std::bit_ceil(2 * na) - 1;
  table.assign(mask + 1, UINT32_MAX);
  auto slot_of = [&](uint64_t h) {
    size_t s = h & mask;
    while (table[s] != UINT32_MAX && a[table[s]].gram != h) s = (s + 1) & mask;
    return s;
  };
  auto boiler = [&](uint32_t i) { return boilerplate && a[i].boiler; };
  for (size_t i = 0; i < na; ++i) {
    size_t s = slot_of(a[i].gram);
    uint32_t head = table[s];
    if (head == UINT32_MAX) {
      table[s] = last[i] = static_cast<uint32_t>(i);
      count[i] = 1;
    } else if (count[head] < 8) {
      next[last[head]] = static_cast<uint32_t>(i);
      last[head] = static_cast<uint32_t>(i);
      ++count[head];
    }
  }
  const int min_own = o.min_own_anchors > 0 ? o.min_own_anchors : std::max(1, o.min_tokens - k + 1);
  // Chains of anchors, extended as B is walked.
  for (size_t j = 0; j + k <= b.size(); ++j) {
    const uint32_t head = table[slot_of(b[j].gram)];
    if (head == UINT32_MAX) continue;
    for (uint32_t i = head; i != UINT32_MAX; i = next[i]) {
      // Extend the open chain whose end is closest behind (i, j).
      size_t best = SIZE_MAX;
      uint32_t best_gap = UINT32_MAX;
      for (size_t c : open) {
        const Chain& ch = chains[c];
        if (i <= ch.i1 || j <= ch.j1) continue;
        uint32_t gi = i - ch.i1, gj = static_cast<uint32_t>(j) - ch.j1;
        if (gi > static_cast<uint32_t>(o.max_gap) || gj > static_cast<uint32_t>(o.max_gap)) continue;
        uint32_t gap = std::max(gi, gj);
        if (gap < best_gap) {
          best_gap = gap;
          best = c;
        }
      }
      if (best != SIZE_MAX) {
        chains[best].i1 = i;
        chains[best].j1 = static_cast<uint32_t>(j);
        chains[best].own += !boiler(i);
      } else {
        chains.push_back({i, static_cast<uint32_t>(j), i, static_cast<uint32_t>(j), boiler(i) ? 0u : 1u});
        open.push_back(chains.size() - 1);
      }
    }
    // Chains left behind by more than max_gap cannot grow again.
    open.erase(std::remove_if(open.begin(), open.end(),
                              [&](size_t c) { return j - chains[c].j1 > static_cast<size_t>(o.max_gap); }),
               open.end());
  }
  for (const Chain& c : chains) {
    // Boilerplate is not reuse: a passage needs a core of its own anchors.
    if (static_cast<int>(c.own) < min_own) continue;
    uint32_t at = c.i1 - c.i0 + k, bt = c.j1 - c.j0 + k;
    if (at < static_cast<uint32_t>(o.min_tokens) || bt < static_cast<uint32_t>(o.min_tokens)) continue;
    out.push_back(Passage{a[c.i0].begin, a[c.i1 + k - 1].end, b[c.j0].begin, b[c.j1 + k - 1].end, at, bt});
  }
  std::sort(out.begin(), out.end(), [](const Passage& x, const Passage& y) {
    return x.a_start != y.a_start ? x.a_start < y.a_start : x.b_start < y.b_start;
  });
  // A passage inside another on both sides (a repeated phrase) adds nothing.
  std::vector<Passage> kept;
  for (const Passage& p : out) {
    bool inside = false;
    for (const Passage& q : kept)
      inside |= p.a_start >= q.a_start && p.a_end <= q.a_end && p.b_start >= q.b_start && p.b_end <= q.b_end;
    if (!inside) kept.push_back(p);
  }
  return kept;
}

}  // namespace doppel
