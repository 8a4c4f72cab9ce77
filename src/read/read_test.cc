#include <gtest/gtest.h>

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
  return p.Parse(RawRecord{0, 1, std::string_view(padded.data(), line.size())}, InputKind::kJsonl, d, &detail);
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

}  // namespace
}  // namespace doppel
