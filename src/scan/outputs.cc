// The files a scan writes; see outputs.h.
#include "scan/outputs.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "doppel/write.h"

namespace doppel::detail {
namespace {

// ISO 8601 UTC with seconds, e.g. 2014-03-10T16:52:50Z (civil_from_days, H. Hinnant).
std::string FormatDate(int64_t ms) {
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t sod = secs - days * 86400;
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", y + (m <= 2), m, d, sod / 3600, sod / 60 % 60,
                     sod % 60);
}

// Output lines are gathered in a buffer and written in ~1 MB pieces.
Status FlushIfLarge(OutputFile* f, std::string* buf) {
  if (buf->size() < (1 << 20)) return Status::OK();
  Status s = f->Write(*buf);
  buf->clear();
  return s;
}

Status WriteAndCommit(OutputFile* f, const std::string& rest) {
  Status s = f->Write(rest);
  if (!s.ok()) return s;
  return f->Commit();
}

void AppendPassages(const std::vector<Passage>& ps, bool swap, std::string* buf) {
  *buf += ",\"passages\":[";
  for (size_t i = 0; i < ps.size(); ++i) {
    const Passage& p = ps[i];
    if (i) *buf += ',';
    fmt::format_to(std::back_inserter(*buf), FMT_COMPILE("{{\"a_start\":{},\"a_end\":{},\"b_start\":{},\"b_end\":{}}}"),
                   swap ? p.b_start : p.a_start, swap ? p.b_end : p.a_end, swap ? p.a_start : p.b_start,
                   swap ? p.a_end : p.b_end);
  }
  *buf += "]";
}

}  // namespace

Status WritePairs(const std::string& path, const Corpus& c, const std::vector<uint32_t>& group,
                  const std::vector<VerifiedPair>& near, bool exact_relation, ScanReport* report) {
  struct Row {
    uint32_t a, b;
    const VerifiedPair* pair;  // null for exact
  };
  std::vector<Row> rows;
  for (uint32_t d = 0; d < c.size(); ++d)
    if (group[d] != d) rows.push_back(Row{group[d], d, nullptr});
  for (const VerifiedPair& p : near) rows.push_back(Row{p.a, p.b, &p});
  std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  Result<std::unique_ptr<OutputFile>> f = OutputFile::Create(path);
  if (!f.ok()) return f.status();
  std::string buf;
  for (const Row& r : rows) {
    buf += "{\"a\":";
    AppendJsonString(c.id(r.a), &buf);
    buf += ",\"b\":";
    AppendJsonString(c.id(r.b), &buf);
    if (!r.pair) {
      buf += exact_relation ? ",\"relation\":\"exact\"" : ",\"relation\":\"near\"";
      buf += ",\"jaccard\":1,\"containment\":1,\"score\":1}\n";
      ++(exact_relation ? report->exact_pairs : report->near_pairs);
    } else {
      const VerifiedPair& p = *r.pair;
      buf += ",\"relation\":\"";
      buf += RelationName(p.relation);
      buf += '"';
      buf += ",\"jaccard\":";
      AppendScore(p.sim.jaccard, &buf);
      buf += ",\"containment\":";
      AppendScore(p.sim.containment, &buf);
      buf += ",\"score\":";
      AppendScore(p.score, &buf);
      buf += p.sim.basis == Basis::kAll ? ",\"shingles\":\"all\"" : ",\"shingles\":\"distinctive\"";
      const bool partial = p.relation == PairRelation::kPartial;
      if (partial && p.source != UINT32_MAX) {
        buf += ",\"source\":";
        AppendJsonString(c.id(p.source), &buf);
      }
      if (!p.passages.empty() || partial) AppendPassages(p.passages, false, &buf);
      buf += "}\n";
      ++(p.relation == PairRelation::kRewrite ? report->rewrite_pairs : partial ? report->partial_pairs : report->near_pairs);
    }
    Status s = FlushIfLarge(f.value().get(), &buf);
    if (!s.ok()) return s;
  }
  return WriteAndCommit(f.value().get(), buf);
}

Status WriteClusters(const std::string& path, const Corpus& c, const std::vector<uint32_t>& rep,
                     const std::vector<uint32_t>& source, const std::vector<uint32_t>* story) {
  Result<std::unique_ptr<OutputFile>> f = OutputFile::Create(path);
  if (!f.ok()) return f.status();
  std::string buf;
  for (uint32_t d = 0; d < c.size(); ++d) {
    buf += "{\"id\":";
    AppendJsonString(c.id(d), &buf);
    buf += ",\"cluster\":";
    AppendJsonString(c.id(rep[d]), &buf);
    buf += rep[d] == d ? ",\"representative\":true" : ",\"representative\":false";
    buf += ",\"source\":";
    AppendJsonString(c.id(source[d]), &buf);
    if (story) {
      buf += ",\"story\":";
      AppendJsonString(c.id((*story)[d]), &buf);
    }
    if (c.tokens[d] == 0) buf += ",\"empty\":true";
    buf += "}\n";
    Status s = FlushIfLarge(f.value().get(), &buf);
    if (!s.ok()) return s;
  }
  return WriteAndCommit(f.value().get(), buf);
}

Status WriteStories(const std::string& path, const Corpus& c, const StoryResult& st,
                    const std::vector<uint32_t>& rep, const std::unordered_map<uint64_t, std::string>& names,
                    ScanReport* report) {
  const size_t n = c.size();
  std::vector<std::vector<uint32_t>> members(n);
  for (uint32_t d = 0; d < n; ++d) members[st.story[d]].push_back(d);
  Result<std::unique_ptr<OutputFile>> f = OutputFile::Create(path);
  if (!f.ok()) return f.status();
  std::string buf;
  for (uint32_t s = 0; s < n; ++s) {
    const auto& m = members[s];
    if (m.size() < 2) continue;
    ++report->stories;
    report->docs_in_stories += m.size();
    report->largest_story = std::max<uint64_t>(report->largest_story, m.size());
    buf += "{\"story\":";
    AppendJsonString(c.id(s), &buf);
    buf += fmt::format(",\"size\":{}", m.size());
    bool dated = false;
    int64_t lo = 0, hi = 0;
    for (uint32_t d : m)
      if (c.has_date[d]) {
        lo = dated ? std::min(lo, c.date_ms[d]) : c.date_ms[d];
        hi = dated ? std::max(hi, c.date_ms[d]) : c.date_ms[d];
        dated = true;
      }
    if (dated) buf += fmt::format(",\"earliest\":\"{}\",\"latest\":\"{}\"", FormatDate(lo), FormatDate(hi));
    buf += ",\"top_terms\":[";
    bool first = true;
    for (uint64_t t : st.top_terms[s]) {
      auto it = names.find(t);
      if (it == names.end()) continue;
      if (!first) buf += ",";
      first = false;
      AppendJsonString(it->second, &buf);
    }
    buf += "],\"members\":[";
    for (size_t i = 0; i < m.size(); ++i) {
      if (i) buf += ",";
      AppendJsonString(c.id(m[i]), &buf);
    }
    buf += "],\"copy_clusters\":[";
    std::map<uint32_t, int> copies;
    for (uint32_t d : m) ++copies[rep[d]];
    first = true;
    for (const auto& [r, k] : copies) {
      if (k < 2) continue;
      if (!first) buf += ",";
      first = false;
      AppendJsonString(c.id(r), &buf);
    }
    buf += "]}\n";
    Status w = FlushIfLarge(f.value().get(), &buf);
    if (!w.ok()) return w;
  }
  return WriteAndCommit(f.value().get(), buf);
}

// Second pass over the inputs: copies the records of representatives, byte
// for byte (text files become {"id","text"} lines).
Status WriteDedup(const std::string& path, const std::vector<InputFile>& files, const Corpus& c,
                  const std::vector<uint32_t>& rep, size_t batch_bytes, ScanReport* report) {
  // (file, line) of every record to keep, in input order.
  std::vector<std::pair<uint32_t, uint64_t>> keep;
  for (uint32_t d = 0; d < c.size(); ++d)
    if (rep[d] == d) keep.emplace_back(c.file[d], c.line[d]);
  Result<std::unique_ptr<OutputFile>> f = OutputFile::Create(path);
  if (!f.ok()) return f.status();
  size_t next = 0;
  std::string buf;
  Status s = ReadRecords(files, batch_bytes, [&](const std::vector<RawRecord>& recs) -> Status {
    for (const RawRecord& r : recs) {
      if (next >= keep.size() || keep[next] != std::make_pair(r.file, r.line)) continue;
      ++next;
      if (files[r.file].kind == InputKind::kText) {
        std::string text;
        RepairUtf8(r.bytes, &text);
        buf += "{\"id\":";
        AppendJsonString(files[r.file].display, &buf);
        buf += ",\"text\":";
        AppendJsonString(text, &buf);
        buf += "}\n";
      } else {
        buf.append(r.bytes);
        buf += '\n';
      }
      ++report->dedup_written;
    }
    Status w = f.value()->Write(buf);
    buf.clear();
    return w;
  });
  if (!s.ok()) return s;
  if (next != keep.size())
    return Status::IOError("an input changed between the two passes over it; --dedup-out not written");
  return f.value()->Commit();
}

}  // namespace doppel::detail
