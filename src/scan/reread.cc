// Second reads of the inputs; see reread.h.
#include "scan/reread.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include "doppel/normalize.h"
#include "doppel/shingle.h"
#include "util/parallel.h"

namespace doppel::detail {

namespace {

using Position = std::pair<uint32_t, uint64_t>;  // (file, line)
using DocFn = std::function<void(uint32_t doc, ParsedDoc& parsed, int worker)>;

// Compressed inputs have no byte offsets to seek to: they are streamed
// again, and the wanted records picked out by (file, line).
Status StreamSelected(const ScanOptions& o, const std::vector<InputFile>& files, const Corpus& c,
                      const std::vector<uint32_t>& docs, int threads, const DocFn& fn) {
  std::map<Position, uint32_t> want;
  for (uint32_t d : docs) want[{c.file[d], c.line[d]}] = d;
  PerWorker<RecordParser> parsers(threads, o.text_field, o.id_field, o.date_field);
  PerWorker<ParsedDoc> parsed(threads);
  PerWorker<std::string> details(threads);
  std::vector<std::pair<const RawRecord*, uint32_t>> picked;
  size_t left = want.size();
  auto next = want.begin();  // records come in input order: walk `want` alongside, no lookup per record
  return ReadRecords(files, o.chunk_bytes, [&](const std::vector<RawRecord>& recs) -> Status {
    picked.clear();
    for (const RawRecord& r : recs) {
      const Position at{r.file, r.line};
      while (next != want.end() && next->first < at) ++next;
      if (next != want.end() && next->first == at) picked.emplace_back(&r, next->second);
    }
    ParallelFor(picked.size(), threads, 16, [&](size_t b, size_t e, int w) {
      for (size_t i = b; i < e; ++i) {
        const RawRecord& r = *picked[i].first;
        if (parsers[w].Parse(r, files[r.file].kind, &parsed[w], &details[w]) == ParseError::kNone)
          fn(picked[i].second, parsed[w], w);
      }
    });
    left -= picked.size();
    return left == 0 ? StopReading() : Status::OK();  // every wanted record read
  });
}

// One worker's reader: the file it has open (workers take documents in
// input order, so they rarely switch) and a buffer with the padding the
// parser reads past a record.
struct SpanReader {
  int fd = -1;
  uint32_t file = UINT32_MAX;
  std::string buf;
  Status error;
  ~SpanReader() {
    if (fd >= 0) close(fd);
  }
  // Bytes [from, to) of file f, padded; shorter if the file shrank since
  // ingest (records past its end are then skipped), empty on an error.
  std::string_view Read(const std::vector<InputFile>& files, uint32_t f, uint64_t from, uint64_t to) {
    if (f != file) {
      if (fd >= 0) close(fd);
      file = f;
      fd = open(files[f].path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        error = Status::IOError(fmt::format("{}: cannot open again: {}", files[f].display, std::strerror(errno)));
    }
    if (fd < 0) return {};
    const uint64_t size = to - from;
    buf.resize(size + kRecordPadding);
    uint64_t got = 0;
    while (got < size) {
      const ssize_t n = pread(fd, buf.data() + got, size - got, static_cast<off_t>(from + got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        error = Status::IOError(fmt::format("{}: read failed: {}", files[f].display, std::strerror(errno)));
        return {};
      }
      if (n == 0) break;
      got += static_cast<uint64_t>(n);
    }
    std::memset(buf.data() + got, 0, kRecordPadding);
    return std::string_view(buf.data(), got);
  }
};

// Records closer than this are read in one call: copying the gap costs less
// than another system call.
constexpr uint64_t kJoinGap = 8 << 10;
constexpr uint64_t kMaxSpan = 1 << 20;

}  // namespace

Status ReadSelected(const ScanOptions& o, const std::vector<InputFile>& files, const Corpus& c,
                    std::vector<uint32_t> docs, int threads, const DocFn& fn) {
  std::sort(docs.begin(), docs.end());
  docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
  if (docs.empty()) return Status::OK();
  for (uint32_t d : docs)
    if (files[c.file[d]].compression != Compression::kNone) return StreamSelected(o, files, c, docs, threads, fn);
  // Uncompressed: each record read where ingest found it, by the workers
  // themselves (a stream of the whole input cost one serial pass per re-read).
  PerWorker<RecordParser> parsers(threads, o.text_field, o.id_field, o.date_field);
  PerWorker<SpanReader> readers(threads);
  PerWorker<ParsedDoc> parsed(threads);
  PerWorker<std::string> details(threads);
  auto end_of = [&](uint32_t d) { return c.offset[d] + c.record_bytes[d]; };
  ParallelFor(docs.size(), threads, 16, [&](size_t b, size_t e, int w) {
    for (size_t i = b, j; i < e; i = j) {
      const uint32_t first = docs[i];
      for (j = i + 1; j < e; ++j) {
        const uint32_t d = docs[j], prev = docs[j - 1];
        if (c.file[d] != c.file[first] || c.offset[d] > end_of(prev) + kJoinGap || end_of(d) - c.offset[first] > kMaxSpan)
          break;
      }
      const uint64_t from = c.offset[first];
      const std::string_view span = readers[w].Read(files, c.file[first], from, end_of(docs[j - 1]));
      for (size_t k = i; k < j; ++k) {
        const uint32_t d = docs[k];
        if (end_of(d) - from > span.size()) break;
        const RawRecord r{c.file[d], c.line[d], c.offset[d], span.substr(c.offset[d] - from, c.record_bytes[d])};
        if (parsers[w].Parse(r, files[r.file].kind, &parsed[w], &details[w]) == ParseError::kNone) fn(d, parsed[w], w);
      }
    }
  });
  for (int w = 0; w < threads; ++w)
    if (!readers[w].error.ok()) return readers[w].error;
  return Status::OK();
}

// Surface forms of story terms: a second pass reads a few members of each
// story and records the normalised word behind each wanted stem hash.
std::unordered_map<uint64_t, std::string> NameTerms(const ScanOptions& o, const std::vector<InputFile>& files,
                                                    const Corpus& c, const std::vector<StoryDoc>& docs,
                                                    const StoryResult& st, int threads) {
  // Per story, the fewest members whose words hold its top terms (one,
  // mostly): members in input order, each read only if it holds a term not
  // yet covered. A term found in no member (lent by a neighbourhood) stays
  // unnamed.
  std::vector<std::vector<uint64_t>> open(c.size());  // per story: top terms no chosen member holds
  std::vector<uint32_t> read;
  for (uint32_t d = 0; d < c.size(); ++d)
    if (st.story[d] == d) open[d] = st.top_terms[d];  // a story is named by one of its documents
  for (uint32_t d = 0; d < c.size(); ++d) {
    std::vector<uint64_t>& left = open[st.story[d]];
    if (left.empty()) continue;
    const auto terms = docs[d].terms;
    const size_t before = left.size();
    std::erase_if(left, [&](uint64_t t) { return std::find(terms.begin(), terms.end(), t) != terms.end(); });
    if (left.size() < before) read.push_back(d);
  }
  // Per worker: stem -> (document, word); the earliest document's word wins,
  // whichever worker read it.
  using Found = std::unordered_map<uint64_t, std::pair<uint32_t, std::string>>;
  PerWorker<Found> found(threads);
  PerWorker<std::vector<Token>> tokens(threads);
  Status s = ReadSelected(o, files, c, std::move(read), threads, [&](uint32_t d, ParsedDoc& doc, int w) {
    std::vector<Token>& toks = tokens[w];
    toks.clear();
    Tokenize(doc.text, &toks);
    // Tokens come in text order: one forward walk turns their code-point
    // offsets into bytes (a table of every code point cost more than the rest).
    CodePointCursor bytes(doc.text);
    const std::vector<uint64_t>& want = st.top_terms[st.story[d]];  // the few terms this document is read for
    for (const Token& t : toks) {
      if (std::find(want.begin(), want.end(), t.stem) == want.end()) continue;
      auto [it, fresh] = found[w].try_emplace(t.stem, d, std::string());
      if (!fresh && it->second.first <= d) continue;
      const size_t from = bytes.ByteAt(t.begin), to = bytes.ByteAt(t.end);
      std::string word = NormalizeWord(doc.text.substr(from, to - from));
      if (t.stem != t.hash && !word.empty()) word.pop_back();  // the stem drops a plural "s"
      it->second = {d, std::move(word)};
    }
  });
  (void)s;  // names are a convenience: an input that changed only leaves terms unnamed
  Found best;
  for (int w = 0; w < threads; ++w)
    for (auto& [stem, v] : found[w]) {
      auto [it, fresh] = best.try_emplace(stem, v);
      if (!fresh && v.first < it->second.first) it->second = std::move(v);
    }
  std::unordered_map<uint64_t, std::string> names;
  for (auto& [stem, v] : best) names[stem] = std::move(v.second);
  return names;
}

// Boilerplate report: for the most frequent common shingles, one document
// carrying each is read again and the run of common shingles around it is
// cut out as the passage; long runs are reported, most frequent first.
Status ReportBoilerplate(const ScanOptions& o, const std::vector<InputFile>& files, const Corpus& c,
                         const HashSetView& common, const std::vector<std::pair<uint32_t, uint64_t>>& top,
                         int threads, ScanReport* report) {
  if (top.empty() || o.boilerplate_report <= 0) return Status::OK();
  // Candidate shingles: the kBoilerplateCandidates most frequent. Stock phrases ("the company
  // said") are frequent but short; boilerplate is a long run of common
  // shingles, so only runs of at least kMinBoilerplateTokens (shingle.h,
  // the same runs the story terms leave out) are reported.
  const size_t want = std::min(top.size(), kBoilerplateCandidates);
  std::unordered_map<uint64_t, uint32_t> rank;
  for (size_t i = 0; i < want; ++i) rank.emplace(top[i].second, static_cast<uint32_t>(i));
  std::vector<uint32_t> holder(want, UINT32_MAX);
  size_t left = want;
  for (uint32_t d = 0; d < c.size() && left; ++d)
    for (uint64_t h : c.shingles[d].subspan(c.distinct[d])) {
      auto it = rank.find(common.Key(h));
      if (it != rank.end() && holder[it->second] == UINT32_MAX) {
        holder[it->second] = d;
        --left;
      }
    }
  std::vector<uint32_t> read;
  std::unordered_map<uint32_t, std::string> texts;  // keys set before the parallel read fills them
  for (uint32_t d : holder)
    if (d != UINT32_MAX) read.push_back(d), texts[d];
  Status s = ReadSelected(o, files, c, std::move(read), threads,
                          [&](uint32_t d, ParsedDoc& doc, int) { texts.find(d)->second = std::move(doc.text); });
  if (!s.ok()) return s;
  std::set<std::string> seen;
  std::vector<Token> toks;
  for (size_t i = 0; i < want && report->boilerplate.size() < static_cast<size_t>(o.boilerplate_report); ++i) {
    if (holder[i] == UINT32_MAX || texts[holder[i]].empty()) continue;
    const std::string& text = texts[holder[i]];
    toks.clear();
    Tokenize(text, &toks);
    const int k = o.shingle_size;
    for (size_t p = 0; p + k <= toks.size(); ++p) {
      if (common.Key(ShingleAt(toks, p, k)) != top[i].second) continue;
      size_t b = p, e = p;  // widen over neighbouring common shingles
      while (b > 0 && common.Contains(ShingleAt(toks, b - 1, k))) --b;
      while (e + k < toks.size() && common.Contains(ShingleAt(toks, e + 1, k))) ++e;
      std::vector<size_t> at = CodePointOffsets(text);
      std::string passage = text.substr(at[toks[b].begin], at[toks[e + k - 1].end] - at[toks[b].begin]);
      if (e + k - b >= kMinBoilerplateTokens && seen.insert(passage).second)
        report->boilerplate.push_back({passage, top[i].first});
      break;
    }
  }
  return Status::OK();
}

}  // namespace doppel::detail
