// doppel/read.h — stage 1: turn the user's inputs into documents.
//
// Thread safety: ExpandInputs and ReadRecords are not thread-safe with
// respect to their arguments; ParseRecord is safe for concurrent use as long
// as each thread passes its own RecordParser.
//
// Inputs are JSONL (.jsonl, .json, .ndjson; optionally .gz or .zst), plain
// text files (one document each, id = path relative to the directory given),
// directories (recursed in sorted order) and "-" (JSONL on stdin). Records
// come out in a fixed order — inputs as given, directory entries sorted, lines
// in file order — so document numbers are stable from run to run.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "doppel/status.h"

namespace doppel {

enum class InputKind { kJsonl, kText };
enum class Compression { kNone, kGzip, kZstd };

struct InputFile {
  std::string path;     // what is opened
  std::string display;  // what messages and ids say (as the user gave it)
  InputKind kind = InputKind::kJsonl;
  Compression compression = Compression::kNone;
  uint64_t size = 0;    // bytes on disk; 0 if unknown
};

// Expands directories and checks every path exists and is readable.
// "-" becomes stdin. Errors name the offending path.
Result<std::vector<InputFile>> ExpandInputs(const std::vector<std::string>& args);

// A sequential stream of decompressed bytes.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills up to n bytes; returns 0 at the end. A truncated or corrupt
  // compressed stream is a Corruption status naming the file.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
};
Result<std::unique_ptr<ByteSource>> OpenByteSource(const InputFile& file);

// Readable bytes a record's parser may look at past its end (simdjson's padding).
constexpr size_t kRecordPadding = 64;

// One JSONL line or one whole text file, as raw bytes.
struct RawRecord {
  uint32_t file = 0;     // index into the InputFile vector
  uint64_t line = 0;     // 1-based line (1 for a text file)
  uint64_t offset = 0;   // of its first byte in the file (decompressed stream)
  std::string_view bytes;  // valid until the sink returns; followed by >= kRecordPadding readable bytes
};

// Reads every input in order and hands batches of whole records (about
// batch_bytes each) to sink. A sink error stops the read and is returned.
// A sink that has what it needs returns StopReading(): ReadRecords then
// reads no further and returns OK. Any other error from the sink is returned.
Status ReadRecords(const std::vector<InputFile>& files, size_t batch_bytes,
                   const std::function<Status(const std::vector<RawRecord>&)>& sink,
                   const std::function<void(uint64_t bytes_read)>& on_bytes = {});
Status StopReading();

// As ReadRecords, for a sink that can overlap reading with its work: while
// it works on one batch it may call read_next() once, from any thread, to
// read the next batch meanwhile (the records it was given stay valid until
// it returns). If it does not, the next batch is read after it returns.
// on_bytes may then be called from that thread.
Status ReadRecordsAhead(
    const std::vector<InputFile>& files, size_t batch_bytes,
    const std::function<Status(const std::vector<RawRecord>&, const std::function<void()>& read_next)>& sink,
    const std::function<void(uint64_t bytes_read)>& on_bytes = {});

// What ParseRecord extracts from one record.
struct ParsedDoc {
  std::string id;         // empty if the id field is missing
  std::string text;       // valid UTF-8 (invalid sequences became U+FFFD)
  int64_t date_ms = 0;    // milliseconds since 1970-01-01 UTC
  bool has_date = false;
  bool repaired_utf8 = false;
  bool bad_date = false;  // a date field was present but not ISO 8601
};

// kBinary: a text file holding NUL bytes (an image, a PDF, UTF-16 text),
// skipped as ripgrep skips binary files rather than read as a document of
// replacement characters.
enum class ParseError { kNone, kMalformedJson, kNotAnObject, kMissingText, kTextNotString, kBinary };
const char* ParseErrorKind(ParseError e);  // stable key, e.g. "malformed_json"

// Parses records; keeps its buffers between calls. Not thread-safe: one per thread.
class RecordParser {
 public:
  RecordParser(std::string text_field, std::string id_field, std::string date_field);
  ~RecordParser();
  RecordParser(RecordParser&&) noexcept;
  RecordParser& operator=(RecordParser&&) noexcept;
  // REQUIRES: rec.bytes is followed by at least 64 readable bytes.
  ParseError Parse(const RawRecord& rec, InputKind kind, ParsedDoc* out, std::string* detail);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Replaces every invalid UTF-8 sequence with U+FFFD. Returns true if it changed anything.
bool RepairUtf8(std::string_view in, std::string* out);

// Parses ISO 8601 dates: YYYY-MM-DD with optional THH:MM[:SS[.fff]] and Z or +HH:MM.
bool ParseIsoDate(std::string_view s, int64_t* ms_since_epoch);

}  // namespace doppel
