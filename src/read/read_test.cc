#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "doppel/read.h"

namespace doppel {
namespace {

TEST(Read, IsoDates) {
  int64_t ms;
  ASSERT_TRUE(ParseIsoDate("1970-01-02", &ms));
  EXPECT_EQ(ms, 86400000);
  ASSERT_TRUE(ParseIsoDate("1987-02-26T15:01:01", &ms));
  int64_t a = ms;
  ASSERT_TRUE(ParseIsoDate("1987-02-26T16:01:01+01:00", &ms));
  EXPECT_EQ(ms, a);
  ASSERT_TRUE(ParseIsoDate("2014-03-10T16:52:50.698000Z", &ms));
  EXPECT_EQ(ms % 1000, 698);
  EXPECT_FALSE(ParseIsoDate("yesterday", &ms));
  EXPECT_FALSE(ParseIsoDate("2014-13-01", &ms));
  EXPECT_FALSE(ParseIsoDate("2014-03-10Tnoon", &ms));
}

TEST(Read, Utf8Repair) {
  std::string out;
  EXPECT_FALSE(RepairUtf8("caf\xC3\xA9", &out));
  EXPECT_EQ(out, "caf\xC3\xA9");
  EXPECT_TRUE(RepairUtf8("a\xFF" "b", &out));
  EXPECT_EQ(out, "a\xEF\xBF\xBD" "b");
}

ParseError ParseLine(const std::string& line, ParsedDoc* d) {
  std::string padded = line + std::string(64, ' ');
  RecordParser p("text", "id", "date");
  std::string detail;
  return p.Parse(RawRecord{0, 1, 0, std::string_view(padded.data(), line.size())}, InputKind::kJsonl, d, &detail);
}

TEST(Read, RecordFields) {
  ParsedDoc d;
  ASSERT_EQ(ParseLine(R"({"id": 17, "date": "2020-01-01", "text": "hi \u00e9", "x": {"y": [1]}})", &d), ParseError::kNone);
  EXPECT_EQ(d.id, "17");
  EXPECT_EQ(d.text, "hi \xC3\xA9");
  EXPECT_TRUE(d.has_date);
  EXPECT_EQ(ParseLine(R"({"id": "a", "date": "soon", "text": "x"})", &d), ParseError::kNone);
  EXPECT_TRUE(d.bad_date);
  EXPECT_EQ(ParseLine(R"({"id": "a"})", &d), ParseError::kMissingText);
  EXPECT_EQ(ParseLine(R"({"text": [1]})", &d), ParseError::kTextNotString);
  EXPECT_EQ(ParseLine(R"({"text": "a"} trailing)", &d), ParseError::kMalformedJson);
  EXPECT_EQ(ParseLine(R"("just a string")", &d), ParseError::kNotAnObject);
}

// A JSONL file of lines of very different lengths (some far longer than the
// batch), CRLF endings, and no newline after the last line.
std::string WriteLines(std::vector<std::string>* lines) {
  for (int i = 0; i < 300; ++i) lines->push_back(std::string(i % 37 == 0 ? 5000 + i : i % 50, 'a' + i % 26));
  std::string path = testing::TempDir() + "/lines-" + std::to_string(getpid()) + ".jsonl";
  std::ofstream out(path, std::ios::binary);
  for (size_t i = 0; i < lines->size(); ++i) out << (*lines)[i] << (i + 1 == lines->size() ? "" : i % 3 ? "\n" : "\r\n");
  return path;
}

// Every record, whether the next batch is read by another thread while the
// sink works, after it returns, or not asked for: its bytes, its line, and
// its offset (the file read at that offset gives the same bytes).
TEST(Read, BatchesCarryLinesAndOffsets) {
  std::vector<std::string> lines;
  const std::string path = WriteLines(&lines);
  std::ifstream in(path, std::ios::binary);
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  InputFile f{path, path, InputKind::kJsonl, Compression::kNone, file.size()};
  for (int mode = 0; mode < 3; ++mode) {
    std::vector<RawRecord> seen;
    std::vector<std::string> bytes;
    Status s = ReadRecordsAhead({f}, 1000, [&](const std::vector<RawRecord>& recs, const std::function<void()>& read_next) {
      if (mode == 0) std::thread(read_next).join();
      if (mode == 1) read_next();
      for (const RawRecord& r : recs) {
        seen.push_back(r);
        bytes.emplace_back(r.bytes);
        for (size_t k = 0; k < kRecordPadding; ++k) (void)*(volatile const char*)(r.bytes.data() + r.bytes.size() + k);
      }
      return Status::OK();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(seen.size(), lines.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      EXPECT_EQ(bytes[i], lines[i]) << "mode " << mode << " line " << i + 1;
      EXPECT_EQ(seen[i].line, i + 1);
      EXPECT_EQ(file.substr(seen[i].offset, lines[i].size()), lines[i]) << "mode " << mode << " line " << i + 1;
    }
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace doppel
