#include "doppel/compare.h"

#include <fmt/format.h>

#include <algorithm>

#include "doppel/read.h"
#include "doppel/shingle.h"
#include "doppel/verify.h"

namespace doppel {
namespace {

// The tokens [first, last) of `t` that lie inside [begin, end).
std::pair<size_t, size_t> TokensIn(const std::vector<Token>& t, uint32_t begin, uint32_t end) {
  auto first = std::lower_bound(t.begin(), t.end(), begin, [](const Token& x, uint32_t v) { return x.begin < v; });
  auto last = std::lower_bound(first, t.end(), end, [](const Token& x, uint32_t v) { return x.begin < v; });
  return {static_cast<size_t>(first - t.begin()), static_cast<size_t>(last - t.begin())};
}

// Appends to *out the runs of tokens [from, to) of `t` not in `kept`.
void AppendRuns(const std::vector<Token>& t, size_t from, const std::vector<bool>& kept, std::vector<Span>* out) {
  for (size_t i = 0; i < kept.size();) {
    if (kept[i]) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < kept.size() && !kept[j]) ++j;
    out->push_back(Span{t[from + i].begin, t[from + j - 1].end});
    i = j;
  }
}

// Word diff of each passage's two slices: a longest common subsequence of
// their normalised words; the words outside it are the edits.
void PassageEdits(const std::vector<Token>& ta, const std::vector<Token>& tb, const std::vector<Passage>& passages,
                  std::vector<Span>* edits_a, std::vector<Span>* edits_b) {
  for (const Passage& p : passages) {
    const auto [a0, a1] = TokensIn(ta, p.a_start, p.a_end);
    const auto [b0, b1] = TokensIn(tb, p.b_start, p.b_end);
    const size_t n = a1 - a0, m = b1 - b0;
    if (n == 0 || m == 0 || n * m > kMaxDiffCells) continue;
    // lcs[i][j]: LCS length of the words from i and from j on (n*m <= 4 Mi,
    // so min(n, m) <= 2048 and 16 bits hold it).
    std::vector<uint16_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint16_t& { return lcs[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        at(i, j) = ta[a0 + i].hash == tb[b0 + j].hash ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    std::vector<bool> kept_a(n, false), kept_b(m, false);
    for (size_t i = 0, j = 0; i < n && j < m;) {
      if (ta[a0 + i].hash == tb[b0 + j].hash) {
        kept_a[i++] = kept_b[j++] = true;
      } else if (at(i + 1, j) >= at(i, j + 1)) {
        ++i;
      } else {
        ++j;
      }
    }
    AppendRuns(ta, a0, kept_a, edits_a);
    AppendRuns(tb, b0, kept_b, edits_b);
  }
  auto by_start = [](const Span& x, const Span& y) { return x.begin < y.begin; };
  std::sort(edits_a->begin(), edits_a->end(), by_start);
  std::sort(edits_b->begin(), edits_b->end(), by_start);
}

}  // namespace

PairReport ComparePair(const std::string& a, const std::string& b, const ScanOptions& o) {
  PairReport r;
  std::vector<Token> ta, tb;
  Tokenize(a, &ta);
  Tokenize(b, &tb);
  std::vector<uint64_t> sa, sb, na, nb, fa, fb;
  ShingleHashes(ta, o.shingle_size, &sa);
  ShingleHashes(tb, o.shingle_size, &sb);
  NumberHashes(ta, &na);
  NumberHashes(tb, &nb);
  FigureSlots(ta, &fa);
  FigureSlots(tb, &fb);
  NearRule rule{o.threshold, o.number_veto_min, 2};
  Similarity s = Compare({sa, {}, na, fa}, {sb, {}, nb, fb}, rule);
  r.jaccard = s.jaccard;
  r.containment = s.containment;
  r.figures_differ = s.numbers_differ;
  AlignOptions ao;
  ao.shingle = o.shingle_size;
  std::vector<AlignToken> pa(ta.size()), pb(tb.size());
  PrepareAlign(ta, ao.shingle, {}, pa.data(), a);
  PrepareAlign(tb, ao.shingle, {}, pb.data(), b);
  r.passages = Align(pa, pb, ao);
  // The scan's near rule also asks the figures inside the shared text to
  // agree, and those of the texts taken whole (else it tests partial reuse).
  r.figures_differ = r.figures_differ || SharedFiguresDiffer(pa, pb, r.passages);
  r.text_figures_differ = TextFiguresDiffer(pa, pb, r.passages);
  // As the scan decides partial reuse (the cover is shown either way).
  std::vector<Passage> reused = r.passages;
  const bool figures_agree = ReusedFiguresAgree(pa, pb, o.number_veto_min, &reused);
  PassageCover cover;
  const bool partial = IsPartialReuse(pa, pb, reused, o.partial, &cover) && figures_agree;
  r.cover_a = std::min(1.0, cover.a_share);
  r.cover_b = std::min(1.0, cover.b_share);
  PassageEdits(ta, tb, r.passages, &r.edits_a, &r.edits_b);
  if (!ta.empty() && ExactHash(ta) == ExactHash(tb) && ta.size() == tb.size())
    r.relation = "exact";
  else if (IsNear(s, rule) && !r.figures_differ && !r.text_figures_differ)
    r.relation = "near";
  else if (partial)
    r.relation = "partial";
  else
    r.relation = "none";
  return r;
}

Status LoadById(const ScanOptions& o, const std::vector<std::string>& inputs, const std::vector<std::string>& ids,
                std::vector<std::string>* texts) {
  Result<std::vector<InputFile>> files = ExpandInputs(inputs);
  if (!files.ok()) return files.status();
  texts->assign(ids.size(), "");
  std::vector<bool> found(ids.size(), false);
  RecordParser parser(o.text_field, o.id_field, o.date_field);
  ParsedDoc doc;
  std::string detail;
  Status s = ReadRecords(files.value(), o.chunk_bytes, [&](const std::vector<RawRecord>& recs) -> Status {
    for (const RawRecord& r : recs) {
      const InputFile& f = files.value()[r.file];
      if (parser.Parse(r, f.kind, &doc, &detail) != ParseError::kNone) continue;
      std::string id = !doc.id.empty() ? doc.id
                       : f.kind == InputKind::kText ? f.display
                                                    : fmt::format("{}:{}", f.display, r.line);
      for (size_t i = 0; i < ids.size(); ++i)
        if (!found[i] && ids[i] == id) {
          (*texts)[i] = doc.text;
          found[i] = true;
        }
    }
    return std::count(found.begin(), found.end(), false) == 0 ? StopReading() : Status::OK();
  });
  if (!s.ok()) return s;
  for (size_t i = 0; i < ids.size(); ++i)
    if (!found[i]) return Status::NotFound(fmt::format("no document with id '{}' in the inputs", ids[i]));
  return Status::OK();
}

}  // namespace doppel
