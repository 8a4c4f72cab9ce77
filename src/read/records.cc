// Splits input streams into records (JSONL lines, whole text files) and
// hands them out in batches, so parsing can run in parallel on a batch while
// memory stays bounded by the batch size.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "doppel/read.h"
#include "util/huge_pages.h"

namespace doppel {
namespace {

constexpr size_t kPadding = kRecordPadding;

using Sink = std::function<Status(const std::vector<RawRecord>&, const std::function<void()>& read_next)>;

// Input bytes land here. read() overwrites the buffer, so growing it does
// not zero it, and a batch buffer (1 MiB and more) lies on huge pages: a
// malloc'd one cost a first-touch fault per 4 KiB page (util/huge_pages.h).
using InputBuffer = detail::HugeArray<char>;

// Grows (never shrinks) the buffer to n bytes.
void GrowTo(InputBuffer* buf, size_t n) {
  if (buf->size() < n) buf->resize(n);
}

Status ReadWholeFile(const InputFile& f, uint32_t index, InputBuffer* buf, const Sink& sink,
                     const std::function<void(uint64_t)>& on_bytes) {
  Result<std::unique_ptr<ByteSource>> src = OpenByteSource(f);
  if (!src.ok()) return src.status();
  size_t used = 0;
  for (;;) {
    if (buf->size() < used + (1 << 16) + kPadding) GrowTo(buf, (used + (1 << 16) + kPadding) * 2);
    Result<size_t> got = src.value()->Read(buf->data() + used, buf->size() - used - kPadding);
    if (!got.ok()) return got.status();
    if (got.value() == 0) break;
    used += got.value();
  }
  std::memset(buf->data() + used, 0, kPadding);
  if (on_bytes) on_bytes(used);
  std::vector<RawRecord> recs{RawRecord{index, 1, 0, std::string_view(buf->data(), used)}};
  return sink(recs, [] {});
}

// A batch of whole lines and the buffer that holds them (with an unfinished
// line after `end`, carried over to the next batch).
struct LineBatch {
  InputBuffer buf;
  size_t used = 0, end = 0;
  std::vector<RawRecord> recs;
};

// Batches alternate between two buffers, so that the next one can be read
// while the sink still works on the records of the other.
Status ReadLines(const InputFile& f, uint32_t index, size_t batch_bytes, LineBatch (&batch)[2], const Sink& sink,
                 const std::function<void(uint64_t)>& on_bytes) {
  Result<std::unique_ptr<ByteSource>> src = OpenByteSource(f);
  if (!src.ok()) return src.status();
  uint64_t line_no = 0;
  uint64_t consumed = 0;  // file offset of the first byte of the batch being filled
  bool eof = false;
  // Fills `x`: the unfinished line `prev` left, then fresh bytes up to the
  // batch size (more when one line is longer than that), cut into lines.
  auto fill = [&](LineBatch& x, const LineBatch* prev) -> Status {
    const size_t carry = prev ? prev->used - prev->end : 0;
    GrowTo(&x.buf, std::max(batch_bytes, 2 * carry) + kPadding);
    if (carry) std::memcpy(x.buf.data(), prev->buf.data() + prev->end, carry);
    x.used = carry;
    for (;;) {
      while (!eof && x.used + kPadding < x.buf.size()) {
        Result<size_t> got = src.value()->Read(x.buf.data() + x.used, x.buf.size() - kPadding - x.used);
        if (!got.ok()) return got.status();
        if (got.value() == 0) eof = true;
        x.used += got.value();
        if (on_bytes && got.value()) on_bytes(got.value());
      }
      x.end = x.used;  // bytes that form whole lines
      if (eof) break;
      const void* nl = memrchr(x.buf.data(), '\n', x.used);
      if (nl) {
        x.end = static_cast<const char*>(nl) - x.buf.data() + 1;
        break;
      }
      GrowTo(&x.buf, x.buf.size() * 2);
    }
    std::memset(x.buf.data() + x.used, 0, kPadding);
    x.recs.clear();
    const char* p = x.buf.data();
    const char* stop = p + x.end;
    while (p < stop) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', stop - p));
      const char* e = nl ? nl : stop;
      ++line_no;
      size_t len = e - p;
      if (len && p[len - 1] == '\r') --len;
      x.recs.push_back(RawRecord{index, line_no, consumed + (p - x.buf.data()), std::string_view(p, len)});
      p = nl ? nl + 1 : stop;
    }
    consumed += x.end;
    return Status::OK();
  };
  Status s = fill(batch[0], nullptr);
  for (int k = 0; s.ok() && !batch[k].recs.empty(); k = 1 - k) {
    Status ahead;
    bool read = false;
    auto read_next = [&] {
      if (!read) ahead = fill(batch[1 - k], &batch[k]);
      read = true;
    };
    s = sink(batch[k].recs, read_next);
    if (!s.ok()) return s;
    read_next();
    s = ahead;
  }
  return s;
}

constexpr const char kStopMessage[] = "stop reading: the sink has what it needs";

bool IsStop(const Status& s) { return s.code() == Status::Code::kNotFound && s.message() == kStopMessage; }

}  // namespace

Status StopReading() { return Status::NotFound(kStopMessage); }

Status ReadRecordsAhead(const std::vector<InputFile>& files, size_t batch_bytes, const Sink& sink,
                        const std::function<void(uint64_t)>& on_bytes) {
  LineBatch batch[2];
  for (uint32_t i = 0; i < files.size(); ++i) {
    Status s = files[i].kind == InputKind::kText ? ReadWholeFile(files[i], i, &batch[0].buf, sink, on_bytes)
                                                 : ReadLines(files[i], i, batch_bytes, batch, sink, on_bytes);
    if (IsStop(s)) return Status::OK();
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status ReadRecords(const std::vector<InputFile>& files, size_t batch_bytes,
                   const std::function<Status(const std::vector<RawRecord>&)>& sink,
                   const std::function<void(uint64_t)>& on_bytes) {
  return ReadRecordsAhead(
      files, batch_bytes, [&](const std::vector<RawRecord>& recs, const std::function<void()>&) { return sink(recs); },
      on_bytes);
}

}  // namespace doppel
