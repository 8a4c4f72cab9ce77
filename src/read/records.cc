// Splits input streams into records (JSONL lines, whole text files) and
// hands them out in batches, so parsing can run in parallel on a batch while
// memory stays bounded by the batch size.
#include <fmt/format.h>

#include <cstring>
#include <vector>

#include "doppel/read.h"

namespace doppel {
namespace {

constexpr size_t kPadding = 64;  // simdjson reads up to this far past a record

Status ReadWholeFile(const InputFile& f, uint32_t index, std::vector<char>* buf,
                     const std::function<Status(const std::vector<RawRecord>&)>& sink,
                     const std::function<void(uint64_t)>& on_bytes) {
  Result<std::unique_ptr<ByteSource>> src = OpenByteSource(f);
  if (!src.ok()) return src.status();
  size_t used = 0;
  for (;;) {
    if (buf->size() < used + (1 << 16) + kPadding) buf->resize((used + (1 << 16) + kPadding) * 2);
    Result<size_t> got = src.value()->Read(buf->data() + used, buf->size() - used - kPadding);
    if (!got.ok()) return got.status();
    if (got.value() == 0) break;
    used += got.value();
  }
  std::memset(buf->data() + used, 0, kPadding);
  if (on_bytes) on_bytes(used);
  std::vector<RawRecord> recs{RawRecord{index, 1, std::string_view(buf->data(), used)}};
  return sink(recs);
}

Status ReadLines(const InputFile& f, uint32_t index, size_t batch_bytes, std::vector<char>* buf,
                 const std::function<Status(const std::vector<RawRecord>&)>& sink,
                 const std::function<void(uint64_t)>& on_bytes) {
  Result<std::unique_ptr<ByteSource>> src = OpenByteSource(f);
  if (!src.ok()) return src.status();
  if (buf->size() < batch_bytes + kPadding) buf->resize(batch_bytes + kPadding);
  size_t used = 0;
  uint64_t line_no = 0;
  bool eof = false;
  std::vector<RawRecord> recs;
  while (!eof) {
    // Fill the buffer; grow it when one line is longer than the whole buffer.
    while (used + kPadding < buf->size()) {
      Result<size_t> got = src.value()->Read(buf->data() + used, buf->size() - kPadding - used);
      if (!got.ok()) return got.status();
      if (got.value() == 0) {
        eof = true;
        break;
      }
      used += got.value();
      if (on_bytes) on_bytes(got.value());
    }
    size_t end = used;  // bytes that form whole lines
    if (!eof) {
      const void* nl = memrchr(buf->data(), '\n', used);
      if (!nl) {
        buf->resize(buf->size() * 2);
        continue;
      }
      end = static_cast<const char*>(nl) - buf->data() + 1;
    }
    std::memset(buf->data() + used, 0, kPadding);
    recs.clear();
    const char* p = buf->data();
    const char* stop = p + end;
    while (p < stop) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', stop - p));
      const char* e = nl ? nl : stop;
      ++line_no;
      size_t len = e - p;
      if (len && p[len - 1] == '\r') --len;
      recs.push_back(RawRecord{index, line_no, std::string_view(p, len)});
      p = nl ? nl + 1 : stop;
    }
    if (!recs.empty()) {
      Status s = sink(recs);
      if (!s.ok()) return s;
    }
    std::memmove(buf->data(), buf->data() + end, used - end);
    used -= end;
  }
  return Status::OK();
}

constexpr const char kStopMessage[] = "stop reading: the sink has what it needs";

bool IsStop(const Status& s) { return s.code() == Status::Code::kNotFound && s.message() == kStopMessage; }

}  // namespace

Status StopReading() { return Status::NotFound(kStopMessage); }

Status ReadRecords(const std::vector<InputFile>& files, size_t batch_bytes,
                   const std::function<Status(const std::vector<RawRecord>&)>& sink,
                   const std::function<void(uint64_t)>& on_bytes) {
  std::vector<char> buf;
  for (uint32_t i = 0; i < files.size(); ++i) {
    Status s = files[i].kind == InputKind::kText ? ReadWholeFile(files[i], i, &buf, sink, on_bytes)
                                                 : ReadLines(files[i], i, batch_bytes, &buf, sink, on_bytes);
    if (IsStop(s)) return Status::OK();
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace doppel
