// Ingest: batches of raw records are parsed, tokenised and shingled in
// parallel; documents are numbered in input order and each worker copies
// the lists it made into the corpus arenas.
#include <fmt/format.h>

#include "doppel/shingle.h"
#include "scan/corpus.h"
#include "util/parallel.h"

namespace doppel::detail {
namespace {

struct Processed {
  ParseError error = ParseError::kNone;
  std::string detail;
  ParsedDoc doc;
  std::vector<uint64_t> shingles, numbers, figures, story_terms;
  std::vector<uint32_t> story_counts;
  std::vector<uint16_t> positions, token_terms;  // stories: where shingles lie, each token's term
  uint64_t exact = 0;
  uint32_t tokens = 0;
  uint64_t length = 0;
};

// Calls fn(arena, list) for each list a record yields, with the arena that
// keeps it.
template <typename F>
void ForEachList(Corpus* c, const Processed& p, F&& fn) {
  fn(c->shingles, p.shingles);
  fn(c->numbers, p.numbers);
  fn(c->figures, p.figures);
  fn(c->story_terms, p.story_terms);
  fn(c->story_counts, p.story_counts);
  fn(c->story_positions, p.positions);
  fn(c->story_token_terms, p.token_terms);
}

// Ids seen so far, to skip a repeated one: an open-addressing table of
// (id hash, document), doubled at half load. (A node per id in an
// unordered_multimap cost a third of the serial bookkeeping per batch.)
class IdIndex {
 public:
  // The document that has `id`, or UINT32_MAX; then `id` is added as doc `d`.
  uint32_t FindOrAdd(uint64_t h, std::string_view id, uint32_t d, const Corpus& c) {
    if (2 * (used_ + 1) > slots_.size()) Grow();
    size_t i = h & (slots_.size() - 1);
    for (; slots_[i].doc != UINT32_MAX; i = (i + 1) & (slots_.size() - 1))
      if (slots_[i].hash == h && c.id(slots_[i].doc) == id) return slots_[i].doc;
    slots_[i] = Slot{h, d};
    ++used_;
    return UINT32_MAX;
  }

 private:
  struct Slot {
    uint64_t hash;
    uint32_t doc;
  };
  void Grow() {
    std::vector<Slot> old(std::max<size_t>(1024, 2 * slots_.size()), Slot{0, UINT32_MAX});
    old.swap(slots_);
    for (const Slot& x : old) {
      if (x.doc == UINT32_MAX) continue;
      size_t i = x.hash & (slots_.size() - 1);
      while (slots_[i].doc != UINT32_MAX) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = x;
    }
  }
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

void Report(const ScanOptions& o, const InputFile& f, uint64_t line, const char* kind, std::string msg) {
  if (o.on_diagnostic) o.on_diagnostic(Diagnostic{f.display, line, kind, std::move(msg)});
}

}  // namespace

Status Ingest(const ScanOptions& options, const std::vector<InputFile>& files, int threads, Corpus* corpus,
              ScanReport* report) {
  PerWorker<RecordParser> parsers(threads, options.text_field, options.id_field, options.date_field);
  PerWorker<std::vector<Token>> token_buf(threads);
  // Each worker keeps its own results, reused batch after batch, and copies
  // them into the arenas itself: a record's lists are written and read by
  // one core. (One array of results for all workers, handed out in chunks,
  // put a record on another core than last batch's and made every write a
  // cache-line transfer: each thread did 23 % more work at two threads.)
  PerWorker<std::vector<Processed>> results(threads);
  PerWorker<std::vector<uint32_t>> done(threads);  // the records each worker did, in its results' order
  struct Where {
    uint32_t worker, slot;
  };
  std::vector<Where> where;
  std::vector<uint32_t> doc_of;  // record -> document number; UINT32_MAX: skipped
  IdIndex ids;
  uint64_t bytes_read = 0;
  const bool story = (options.find & (kFindStory | kFindRewrite)) != 0;  // rewrites are measured on story terms
  // Reserve the arenas from the input size (news JSONL: about one shingle per
  // 6 bytes, one number per 130, one figure word per 40, one distinct story
  // term per 11; compressed inputs count at 4x their size) with room to
  // spare, so they do not regrow and copy: a reservation costs address space
  // only, pages are touched as lists arrive.
  uint64_t expect = 0;
  for (const InputFile& f : files) expect += f.compression == Compression::kNone ? f.size : 4 * f.size;
  corpus->shingles.data.reserve(expect / 5);
  corpus->numbers.data.reserve(expect / 64);
  corpus->figures.data.reserve(expect / 20);
  if (story) {
    corpus->story_terms.data.reserve(expect / 8);
    corpus->story_counts.data.reserve(expect / 8);
    corpus->story_positions.data.reserve(expect / 5);
    corpus->story_token_terms.data.reserve(expect / 5);
  }

  auto sink = [&](const std::vector<RawRecord>& recs, const std::function<void()>& read_next) -> Status {
    where.resize(recs.size());
    for (int w = 0; w < threads; ++w) done[w].clear();
    // One worker reads the next batch while the others start on this one.
    ParallelForWith(recs.size(), threads, 64, read_next, [&](size_t b, size_t e, int w) {
      std::vector<Processed>& mine = results[w];
      for (size_t i = b; i < e; ++i) {
        const uint32_t slot = static_cast<uint32_t>(done[w].size());
        if (mine.size() <= slot) mine.emplace_back();
        done[w].push_back(static_cast<uint32_t>(i));
        where[i] = Where{static_cast<uint32_t>(w), slot};
        Processed& p = mine[slot];
        const RawRecord& r = recs[i];
        p.detail.clear();
        p.error = parsers[w].Parse(r, files[r.file].kind, &p.doc, &p.detail);
        p.shingles.clear();
        p.numbers.clear();
        p.figures.clear();
        p.story_terms.clear();
        p.story_counts.clear();
        p.positions.clear();
        p.token_terms.clear();
        if (p.error != ParseError::kNone) continue;
        std::vector<Token>& toks = token_buf[w];
        toks.clear();
        p.length = Tokenize(p.doc.text, &toks, /*stems=*/story);
        p.tokens = static_cast<uint32_t>(toks.size());
        ShingleHashes(toks, options.shingle_size, &p.shingles, story ? &p.positions : nullptr);
        NumberHashes(toks, &p.numbers);
        FigureSlots(toks, &p.figures);
        if (story) StoryTerms(toks, &p.story_terms, &p.story_counts, &p.token_terms);
        p.exact = ExactHash(toks);
        p.doc.text.clear();  // keeps its capacity for the next batch; texts are not kept
      }
    });
    auto out = [&](uint32_t i) -> Processed& { return results[where[i].worker][where[i].slot]; };
    doc_of.assign(recs.size(), UINT32_MAX);
    for (uint32_t i = 0; i < recs.size(); ++i) {
      Processed& p = out(i);
      const RawRecord& r = recs[i];
      const InputFile& f = files[r.file];
      ++report->records;
      if (f.kind == InputKind::kJsonl && r.bytes.find_first_not_of(" \t") == std::string_view::npos) {
        ++report->skipped["blank_line"];
        continue;
      }
      if (p.error != ParseError::kNone) {
        const char* kind = ParseErrorKind(p.error);
        ++report->skipped[kind];
        Report(options, f, r.line, kind, fmt::format("{} — record skipped", p.detail));
        continue;
      }
      if (p.doc.repaired_utf8) {
        ++report->repaired["invalid_utf8"];
        Report(options, f, r.line, "invalid_utf8", "invalid UTF-8 replaced with U+FFFD");
      }
      if (p.doc.bad_date) {
        ++report->repaired["bad_date"];
        Report(options, f, r.line, "bad_date",
               fmt::format("field '{}' is not an ISO 8601 date — document treated as undated", options.date_field));
      }
      std::string id = std::move(p.doc.id);
      if (id.empty()) {
        id = f.kind == InputKind::kText ? f.display : fmt::format("{}:{}", f.display, r.line);
        if (f.kind == InputKind::kJsonl) ++report->repaired["missing_id"];
      }
      const uint32_t d = static_cast<uint32_t>(corpus->size());
      if (ids.FindOrAdd(std::hash<std::string>{}(id), id, d, *corpus) != UINT32_MAX) {
        ++report->skipped["duplicate_id"];
        Report(options, f, r.line, "duplicate_id", fmt::format("id '{}' was seen before — record skipped", id));
        continue;
      }
      doc_of[i] = d;
      corpus->id_bytes += id;
      corpus->id_end.push_back(corpus->id_bytes.size());
      corpus->date_ms.push_back(p.doc.date_ms);
      corpus->has_date.push_back(p.doc.has_date);
      corpus->length.push_back(p.length);
      corpus->tokens.push_back(p.tokens);
      corpus->file.push_back(r.file);
      corpus->line.push_back(r.line);
      corpus->offset.push_back(r.offset);
      corpus->record_bytes.push_back(r.bytes.size());
      corpus->exact.push_back(p.exact);
      corpus->distinct.push_back(static_cast<uint32_t>(p.shingles.size()));
      // The lists' places in the arenas, in input order; filled below.
      ForEachList(corpus, p, [](auto& arena, const auto& list) {
        arena.data.resize(arena.data.size() + list.size());
        arena.end.push_back(arena.data.size());
      });
      report->words += p.tokens;
      if (p.tokens == 0) {
        ++report->empty_docs;
      } else if (p.tokens < static_cast<uint32_t>(options.shingle_size)) {
        ++report->short_docs;
      }
    }
    RunOnWorkers(threads, [&](int w) {
      for (size_t k = 0; k < done[w].size(); ++k) {
        const uint32_t d = doc_of[done[w][k]];
        if (d == UINT32_MAX) continue;
        ForEachList(corpus, results[w][k], [d](auto& arena, const auto& list) {
          std::copy(list.begin(), list.end(), arena.mutable_list(d).begin());
        });
      }
    });
    report->docs = corpus->size();
    if (options.on_progress) options.on_progress(Progress{"read", report->docs, bytes_read, 0});
    return Status::OK();
  };
  Status s = ReadRecordsAhead(files, options.chunk_bytes, sink, [&](uint64_t n) { bytes_read += n; });
  report->bytes = bytes_read;
  return s;
}

}  // namespace doppel::detail
