// Ingest: batches of raw records are parsed, tokenised and shingled in
// parallel, each worker writing the lists it makes into its own arena
// blocks; then the documents are numbered in input order (bad records and
// repeated ids skipped) and given their lists.
#include <fmt/format.h>

#include "doppel/shingle.h"
#include "scan/corpus.h"
#include "util/parallel.h"

namespace doppel::detail {
namespace {

// The lists one record yields, made in a worker's reused buffers.
struct Lists {
  std::vector<uint64_t> shingles, numbers, figures, story_terms;
  std::vector<uint32_t> story_counts;
  std::vector<uint16_t> positions, token_terms;  // stories: where shingles lie, each token's term
};

// Where a record's lists were written (in its worker's arena blocks).
struct Placed {
  std::span<const uint64_t> shingles, numbers, figures, story_terms;
  std::span<const uint32_t> story_counts;
  std::span<const uint16_t> positions, token_terms;
};

Placed Place(Corpus* c, int w, const Lists& l) {
  return Placed{c->shingles.writer(w).Append(l.shingles),         c->numbers.writer(w).Append(l.numbers),
                c->figures.writer(w).Append(l.figures),           c->story_terms.writer(w).Append(l.story_terms),
                c->story_counts.writer(w).Append(l.story_counts), c->story_positions.writer(w).Append(l.positions),
                c->story_token_terms.writer(w).Append(l.token_terms)};
}

// Makes a kept record's lists the next document's.
void AddLists(Corpus* c, const Placed& p) {
  c->shingles.Add(p.shingles);
  c->numbers.Add(p.numbers);
  c->figures.Add(p.figures);
  c->story_terms.Add(p.story_terms);
  c->story_counts.Add(p.story_counts);
  c->story_positions.Add(p.positions);
  c->story_token_terms.Add(p.token_terms);
}

// What a worker keeps of a record until it is numbered (its text is gone,
// and its batch's buffer may already hold the next batch).
struct Processed {
  uint32_t file = 0;
  uint64_t line = 0, offset = 0, record_bytes = 0;
  bool blank = false;  // a JSONL line of nothing but spaces
  ParseError error = ParseError::kNone;
  std::string detail, id;
  int64_t date_ms = 0;
  bool has_date = false, repaired_utf8 = false, bad_date = false;
  Placed lists;
  uint64_t exact = 0;
  uint32_t tokens = 0;
  uint64_t length = 0;
};

// The documents seen so far by a 64-bit key: an open-addressing table of
// (key, document), doubled at half load. Keys may collide; `same` decides.
// Used for ids (a repeated id is skipped; a node per id in an
// unordered_multimap cost a third of the serial bookkeeping per batch) and
// for exact copies (the first document with the same normalised text leads
// its group: found here, while the workers shingle the next batch, instead
// of by a sort of every document afterwards, when nothing else can run).
class FirstByKey {
 public:
  // The first document added under `h` for which same(doc) holds, or
  // UINT32_MAX; then `d` is added under `h`.
  template <typename Same>
  uint32_t FindOrAdd(uint64_t h, uint32_t d, Same&& same) {
    if (2 * (used_ + 1) > slots_.size()) Grow();
    size_t i = h & (slots_.size() - 1);
    for (; slots_[i].doc != UINT32_MAX; i = (i + 1) & (slots_.size() - 1))
      if (slots_[i].hash == h && same(slots_[i].doc)) return slots_[i].doc;
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
  PerWorker<ParsedDoc> parsed(threads);
  PerWorker<std::vector<Token>> token_buf(threads);
  PerWorker<Lists> lists(threads);
  // Each worker keeps its own results, reused every other batch (one array
  // for all workers, handed out in chunks, put a record on another core
  // than last batch's and made every write a cache-line transfer). Two
  // sets: while the workers process one batch, the last one is numbered.
  struct Where {
    uint32_t worker, slot;
  };
  struct Batch {
    PerWorker<std::vector<Processed>> results;
    std::vector<Where> where;
  };
  Batch batches[2] = {Batch{PerWorker<std::vector<Processed>>(threads), {}},
                      Batch{PerWorker<std::vector<Processed>>(threads), {}}};
  FirstByKey ids, texts;
  uint64_t bytes_read = 0;
  const bool story = (options.find & (kFindStory | kFindRewrite)) != 0;  // rewrites are measured on story terms
  // Arena blocks sized from the input (news JSONL: about one shingle per 6
  // bytes, one number per 130, one figure word per 40, one distinct story
  // term per 11; compressed inputs count at 4x their size) with room to
  // spare, so a worker mostly fills one block: a block costs address space
  // only, pages are touched as lists arrive.
  uint64_t expect = 0;
  for (const InputFile& f : files) expect += f.compression == Compression::kNone ? f.size : 4 * f.size;
  expect = expect / threads + (1 << 20);
  corpus->shingles.StartWriters(threads, expect / 5);
  corpus->numbers.StartWriters(threads, expect / 64);
  corpus->figures.StartWriters(threads, expect / 20);
  corpus->story_terms.StartWriters(threads, story ? expect / 8 : 0);
  corpus->story_counts.StartWriters(threads, story ? expect / 8 : 0);
  corpus->story_positions.StartWriters(threads, story ? expect / 5 : 0);
  corpus->story_token_terms.StartWriters(threads, story ? expect / 5 : 0);

  uint64_t processed = 0, numbered = 0;  // batches
  // Numbers a processed batch's records in input order: bad records and
  // repeated ids are reported and skipped, the rest become documents.
  auto number = [&](Batch& batch) {
    for (const Where& at : batch.where) {
      Processed& p = batch.results[at.worker][at.slot];
      const InputFile& f = files[p.file];
      ++report->records;
      if (p.blank) {
        ++report->skipped["blank_line"];
        continue;
      }
      if (p.error != ParseError::kNone) {
        const char* kind = ParseErrorKind(p.error);
        ++report->skipped[kind];
        const bool whole_file = f.kind == InputKind::kText;  // a text file is one record: name no line
        Report(options, f, whole_file ? 0 : p.line, kind,
               fmt::format("{} — {} skipped", p.detail, whole_file ? "file" : "record"));
        continue;
      }
      if (p.repaired_utf8) {
        ++report->repaired["invalid_utf8"];
        Report(options, f, p.line, "invalid_utf8", "invalid UTF-8 replaced with U+FFFD");
      }
      if (p.bad_date) {
        ++report->repaired["bad_date"];
        Report(options, f, p.line, "bad_date",
               fmt::format("field '{}' is not an ISO 8601 date — document treated as undated", options.date_field));
      }
      std::string id = std::move(p.id);
      if (id.empty()) {
        id = f.kind == InputKind::kText ? f.display : fmt::format("{}:{}", f.display, p.line);
        if (f.kind == InputKind::kJsonl) ++report->repaired["missing_id"];
      }
      const uint32_t d = static_cast<uint32_t>(corpus->size());
      if (ids.FindOrAdd(std::hash<std::string>{}(id), d, [&](uint32_t x) { return corpus->id(x) == id; }) != UINT32_MAX) {
        ++report->skipped["duplicate_id"];
        Report(options, f, p.line, "duplicate_id", fmt::format("id '{}' was seen before — record skipped", id));
        continue;
      }
      corpus->id_bytes += id;
      corpus->id_end.push_back(corpus->id_bytes.size());
      corpus->date_ms.push_back(p.date_ms);
      corpus->has_date.push_back(p.has_date);
      corpus->length.push_back(p.length);
      corpus->tokens.push_back(p.tokens);
      corpus->file.push_back(p.file);
      corpus->line.push_back(p.line);
      corpus->offset.push_back(p.offset);
      corpus->record_bytes.push_back(p.record_bytes);
      corpus->distinct.push_back(static_cast<uint32_t>(p.lists.shingles.size()));
      AddLists(corpus, p.lists);
      // An exact copy: the same hash of the token sequence, and (against a
      // 64-bit collision) as many tokens and the same shingles. Empty
      // documents are counted, not grouped.
      uint32_t leader = UINT32_MAX;
      if (p.tokens > 0)
        leader = texts.FindOrAdd(p.exact, d, [&](uint32_t x) {
          auto a = corpus->shingles[d], b = corpus->shingles[x];
          return corpus->tokens[x] == p.tokens && std::equal(a.begin(), a.end(), b.begin(), b.end());
        });
      corpus->exact_group.push_back(leader == UINT32_MAX ? d : leader);
      report->words += p.tokens;
      if (p.tokens == 0) {
        ++report->empty_docs;
      } else if (p.tokens < static_cast<uint32_t>(options.shingle_size)) {
        ++report->short_docs;
      }
    }
    report->docs = corpus->size();
    ++numbered;
  };
  auto sink = [&](const std::vector<RawRecord>& recs, const std::function<void()>& read_next) -> Status {
    const int parity = processed % 2;
    Batch& batch = batches[parity];
    batch.where.resize(recs.size());
    PerWorker<uint32_t> slots(threads, 0u);
    // One worker reads the next batch and numbers the last one while the
    // others start on this one.
    auto side = [&] {
      read_next();
      if (numbered < processed) number(batches[1 - parity]);
    };
    ParallelForWith(recs.size(), threads, 64, side, [&](size_t b, size_t e, int w) {
      std::vector<Processed>& mine = batch.results[w];
      for (size_t i = b; i < e; ++i) {
        const uint32_t slot = slots[w]++;
        if (mine.size() <= slot) mine.emplace_back();
        batch.where[i] = Where{static_cast<uint32_t>(w), slot};
        Processed& p = mine[slot];
        const RawRecord& r = recs[i];
        p.file = r.file;
        p.line = r.line;
        p.offset = r.offset;
        p.record_bytes = r.bytes.size();
        p.blank = files[r.file].kind == InputKind::kJsonl && r.bytes.find_first_not_of(" \t") == std::string_view::npos;
        ParsedDoc& doc = parsed[w];
        p.detail.clear();
        p.error = parsers[w].Parse(r, files[r.file].kind, &doc, &p.detail);
        if (p.error != ParseError::kNone) continue;
        p.id.swap(doc.id);
        p.date_ms = doc.date_ms;
        p.has_date = doc.has_date;
        p.repaired_utf8 = doc.repaired_utf8;
        p.bad_date = doc.bad_date;
        std::vector<Token>& toks = token_buf[w];
        toks.clear();
        p.length = Tokenize(doc.text, &toks, /*stems=*/story);
        p.tokens = static_cast<uint32_t>(toks.size());
        Lists& l = lists[w];
        l.shingles.clear();
        l.numbers.clear();
        l.figures.clear();
        l.story_terms.clear();
        l.story_counts.clear();
        l.positions.clear();
        l.token_terms.clear();
        ShingleHashes(toks, options.shingle_size, &l.shingles, story ? &l.positions : nullptr);
        NumberHashes(toks, &l.numbers);
        FigureSlots(toks, &l.figures);
        if (story) StoryTerms(toks, &l.story_terms, &l.story_counts, &l.token_terms);
        p.exact = ExactHash(toks);
        // Written once, where the corpus keeps it; a record skipped when
        // numbered leaves its lists unused in the block.
        p.lists = Place(corpus, w, l);
      }
    });
    ++processed;
    if (options.on_progress) options.on_progress(Progress{"read", report->docs, bytes_read, 0});
    return Status::OK();
  };
  Status s = ReadRecordsAhead(files, options.chunk_bytes, sink, [&](uint64_t n) { bytes_read += n; });
  if (s.ok() && numbered < processed) number(batches[(processed - 1) % 2]);
  report->bytes = bytes_read;
  return s;
}

}  // namespace doppel::detail
