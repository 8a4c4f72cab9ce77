#include "doppel/compare.h"

#include <fmt/format.h>

#include <algorithm>

#include "doppel/read.h"
#include "doppel/shingle.h"
#include "doppel/verify.h"

namespace doppel {

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
  PrepareAlign(ta, ao.shingle, {}, pa.data());
  PrepareAlign(tb, ao.shingle, {}, pb.data());
  r.passages = Align(pa, pb, ao);
  PassageCover cover;
  const bool partial = IsPartialReuse(pa, pb, r.passages, o.partial, &cover);
  r.cover_a = std::min(1.0, cover.a_share);
  r.cover_b = std::min(1.0, cover.b_share);
  if (!ta.empty() && ExactHash(ta) == ExactHash(tb) && ta.size() == tb.size())
    r.relation = "exact";
  else if (IsNear(s, rule))
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
