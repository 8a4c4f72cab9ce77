// Bad input: every case is reported with file and line, skipped or repaired,
// counted in summary.json, and the run goes on; unreadable or truncated
// files stop the run with a non-zero exit; user files are never overwritten.
#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include "test_util.h"

namespace doppel {
namespace {

using test::JsonNumber;
using test::ReadFile;
using test::ReadJsonl;
using test::RunDoppel;
using test::TempDir;
using test::WriteFile;

const char* kGoodA = R"({"id":"a","text":"The quick brown fox jumps over the lazy dog near the river bank today"})";
const char* kGoodB = R"({"id":"b","text":"The quick brown fox jumps over the lazy dog near the river bank today"})";

TEST(BadInput, EachBadRecordIsReportedCountedAndSkipped) {
  TempDir t;
  std::string in = t / "in.jsonl";
  WriteFile(in, std::string(kGoodA) + "\n" +
                    "{\"id\":\"x\",\"text\":\"unterminated\n" +                       // line 2: malformed
                    "{\"id\":\"y\",\"body\":\"no text field\"}\n" +                  // line 3: missing text
                    "{\"id\":\"u\",\"text\":\"bad \xff\xfe bytes here\"}\n" +         // line 4: invalid UTF-8
                    "{\"id\":\"e\",\"text\":\"\"}\n" +                                 // line 5: empty
                    std::string(kGoodA) + "\n" +                                       // line 6: duplicate id
                    "[1,2]\n" +                                                        // line 7: not an object
                    "{\"id\":\"n\",\"text\":42}\n" +                                   // line 8: text not string
                    kGoodB + "\n");
  auto r = RunDoppel("scan " + in + " --out " + (t / "r"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(in + ":2:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(in + ":3:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(in + ":4:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(in + ":6:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(in + ":7:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(in + ":8:"), std::string::npos) << r.output;
  std::string s = t / "r/summary.json";
  EXPECT_EQ(JsonNumber(s, "/skipped/malformed_json"), 1);
  EXPECT_EQ(JsonNumber(s, "/skipped/missing_text"), 1);
  EXPECT_EQ(JsonNumber(s, "/skipped/duplicate_id"), 1);
  EXPECT_EQ(JsonNumber(s, "/skipped/not_an_object"), 1);
  EXPECT_EQ(JsonNumber(s, "/skipped/text_not_string"), 1);
  EXPECT_EQ(JsonNumber(s, "/repaired/invalid_utf8"), 1);
  EXPECT_EQ(JsonNumber(s, "/empty_docs"), 1);
  EXPECT_EQ(JsonNumber(s, "/docs"), 4);  // a, u, e, b
  auto clusters = ReadJsonl(t / "r/clusters.jsonl");
  ASSERT_EQ(clusters.size(), 4u);
  // The two good documents are exact copies; the empty one is not clustered.
  auto pairs = ReadJsonl(t / "r/pairs.jsonl");
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0]["relation"], "exact");
  for (auto& row : clusters)
    if (row["id"] == "e") {
      EXPECT_EQ(row["cluster"], "e");
    }
}

TEST(BadInput, MissingIdFallsBackToFileAndLine) {
  TempDir t;
  std::string in = t / "in.jsonl";
  WriteFile(in, "{\"text\":\"first document here\"}\n{\"text\":\"second document there\"}\n");
  ASSERT_EQ(RunDoppel("scan " + in + " --out " + (t / "r") + " -q").exit_code, 0);
  auto clusters = ReadJsonl(t / "r/clusters.jsonl");
  ASSERT_EQ(clusters.size(), 2u);
  EXPECT_EQ(clusters[1]["id"], in + ":2");
}

// Ids and file names are quoted in warnings and errors; an escape sequence
// in them must reach the terminal as text, not as a command.
TEST(BadInput, ControlCharactersInQuotedInputAreShownEscaped) {
  TempDir t;
  std::string in = t / "in.jsonl";
  WriteFile(in, "{\"id\":\"x\\u001b[2Jy\",\"text\":\"first document here\"}\n"
                "{\"id\":\"x\\u001b[2Jy\",\"text\":\"second document there\"}\n");
  auto r = RunDoppel("scan " + in + " --out " + (t / "r"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("was seen before"), std::string::npos) << r.output;  // the warning is there
  EXPECT_EQ(r.output.find('\x1b'), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("x\\x1b[2Jy"), std::string::npos) << r.output;
  auto missing = RunDoppel("scan '" + (t / "no\x1b]0;title\x07.jsonl") + "' --out " + (t / "r2"));
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_EQ(missing.output.find('\x1b'), std::string::npos) << missing.output;
  EXPECT_EQ(missing.output.find('\x07'), std::string::npos) << missing.output;
}

std::string Gzip(const std::string& s) {
  uLongf n = compressBound(s.size()) + 64;
  std::string out(n, '\0');
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  zs.avail_in = s.size();
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = n;
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST(BadInput, TruncatedGzipIsAnErrorNamingTheFile) {
  TempDir t;
  std::string body;
  for (int i = 0; i < 200; ++i) body += "{\"id\":\"d" + std::to_string(i) + "\",\"text\":\"text number " + std::to_string(i) + " with some words\"}\n";
  std::string gz = Gzip(body);
  WriteFile(t / "ok.jsonl.gz", gz);
  WriteFile(t / "cut.jsonl.gz", gz.substr(0, gz.size() / 2));
  auto ok = RunDoppel("scan " + (t / "ok.jsonl.gz") + " --out " + (t / "r1") + " -q");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_EQ(JsonNumber(t / "r1/summary.json", "/docs"), 200);
  auto cut = RunDoppel("scan " + (t / "cut.jsonl.gz") + " --out " + (t / "r2") + " -q");
  EXPECT_EQ(cut.exit_code, 1);
  EXPECT_NE(cut.output.find("cut.jsonl.gz"), std::string::npos) << cut.output;
  EXPECT_NE(cut.output.find("truncated"), std::string::npos) << cut.output;
}

TEST(BadInput, TruncatedZstdIsAnError) {
  TempDir t;
  std::string body;
  for (int i = 0; i < 500; ++i) body += "{\"id\":\"d" + std::to_string(i) + "\",\"text\":\"zstd text " + std::to_string(i * 7919) + " words\"}\n";
  std::string z(ZSTD_compressBound(body.size()), '\0');
  z.resize(ZSTD_compress(z.data(), z.size(), body.data(), body.size(), 3));
  WriteFile(t / "ok.jsonl.zst", z);
  WriteFile(t / "cut.jsonl.zst", z.substr(0, z.size() - 10));
  EXPECT_EQ(RunDoppel("scan " + (t / "ok.jsonl.zst") + " --out " + (t / "r1") + " -q").exit_code, 0);
  EXPECT_EQ(JsonNumber(t / "r1/summary.json", "/docs"), 500);
  auto cut = RunDoppel("scan " + (t / "cut.jsonl.zst") + " --out " + (t / "r2") + " -q");
  EXPECT_EQ(cut.exit_code, 1);
  EXPECT_NE(cut.output.find("cut.jsonl.zst"), std::string::npos) << cut.output;
}

TEST(BadInput, MissingInputIsAnError) {
  TempDir t;
  auto r = RunDoppel("scan " + (t / "nope.jsonl") + " --out " + (t / "r") + " -q");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("nope.jsonl"), std::string::npos);
}

TEST(UserData, ForeignFilesInOutIsRefusedUnlessForced) {
  TempDir t;
  std::string in = t / "in.jsonl";
  WriteFile(in, std::string(kGoodA) + "\n");
  WriteFile(t / "r/notes.txt", "");  // fails: folder does not exist yet
  std::filesystem::create_directories(t / "r");
  WriteFile(t / "r/notes.txt", "mine");
  auto r = RunDoppel("scan " + in + " --out " + (t / "r"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("notes.txt"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(t / "r/pairs.jsonl"));
  EXPECT_EQ(RunDoppel("scan " + in + " --out " + (t / "r") + " --force -q").exit_code, 0);
  EXPECT_EQ(ReadFile(t / "r/notes.txt"), "mine");
  // doppel's own earlier results may be replaced without --force.
  EXPECT_EQ(RunDoppel("scan " + in + " --out " + (t / "r2") + " -q").exit_code, 0);
  EXPECT_EQ(RunDoppel("scan " + in + " --out " + (t / "r2") + " -q").exit_code, 0);
}

TEST(UserData, DedupOutNeverOverwritesAndKeepsOriginalBytes) {
  TempDir t;
  std::string in = t / "in.jsonl";
  // Odd spacing and key order must survive byte for byte.
  std::string c = R"({ "text" : "The quick brown fox jumps over the lazy dog near the river bank today", "id":"c", "extra":[1,2] })";
  WriteFile(in, std::string(kGoodA) + "\n" + c + "\n" + R"({"id":"z","text":"Something else entirely, about markets and prices"})" + "\n");
  auto r = RunDoppel("scan " + in + " --out " + (t / "r") + " --keep first --dedup-out " + (t / "dedup.jsonl") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(ReadFile(t / "dedup.jsonl"),
            std::string(kGoodA) + "\n" + R"({"id":"z","text":"Something else entirely, about markets and prices"})" + "\n");
  auto again = RunDoppel("scan " + in + " --out " + (t / "r") + " --dedup-out " + (t / "dedup.jsonl") + " -q");
  EXPECT_EQ(again.exit_code, 3);
  auto self = RunDoppel("scan " + in + " --out " + (t / "r") + " --dedup-out " + in + " --force -q");
  EXPECT_EQ(self.exit_code, 3);
  EXPECT_NE(ReadFile(in).find("extra"), std::string::npos);
  // Compressed output by extension.
  ASSERT_EQ(RunDoppel("scan " + in + " --out " + (t / "r") + " --dedup-out " + (t / "d.jsonl.gz") + " -q").exit_code, 0);
  auto back = RunDoppel("scan " + (t / "d.jsonl.gz") + " --out " + (t / "r3") + " -q");
  EXPECT_EQ(back.exit_code, 0);
  EXPECT_EQ(JsonNumber(t / "r3/summary.json", "/docs"), 2);
}

TEST(Inputs, StdinDirectoriesAndTextFiles) {
  TempDir t;
  std::filesystem::create_directories(t / "docs/sub");
  std::string text = "Shares of the company rose sharply after the quarterly report beat forecasts by a wide margin";
  WriteFile(t / "docs/one.txt", text);
  WriteFile(t / "docs/sub/two.txt", text + ".");
  WriteFile(t / "docs/sub/three.txt", "A completely different note about the weather in the mountains");
  auto r = RunDoppel("scan " + (t / "docs") + " --out " + (t / "r") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto clusters = ReadJsonl(t / "r/clusters.jsonl");
  ASSERT_EQ(clusters.size(), 3u);
  EXPECT_EQ(clusters[0]["id"], "one.txt");
  EXPECT_EQ(clusters[1]["id"], "sub/three.txt");
  EXPECT_EQ(clusters[2]["id"], "sub/two.txt");
  EXPECT_EQ(clusters[2]["cluster"], clusters[0]["cluster"]);
  // Binary files (NUL bytes: an image, UTF-16 text) are skipped and counted.
  WriteFile(t / "docs/picture.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + text);
  WriteFile(t / "docs/sub/wide.txt", std::string("h\0i\0 \0t\0h\0e\0r\0e\0", 16));
  auto b = RunDoppel("scan " + (t / "docs") + " --out " + (t / "rb"));
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_EQ(ReadJsonl(t / "rb/clusters.jsonl").size(), 3u);
  EXPECT_EQ(JsonNumber(t / "rb/summary.json", "/skipped/binary_file"), 2);
  EXPECT_NE(b.output.find("picture.png: binary file"), std::string::npos) << b.output;
  WriteFile(t / "in.jsonl", std::string(kGoodA) + "\n" + kGoodB + "\n");
  auto s = RunDoppel("scan - --out " + (t / "r2") + " -q --dedup-out " + (t / "d.jsonl"), t / "in.jsonl");
  ASSERT_EQ(s.exit_code, 0) << s.output;
  EXPECT_EQ(ReadFile(t / "d.jsonl"), std::string(kGoodA) + "\n");
  for (const auto& e : std::filesystem::directory_iterator(t / "r2"))
    EXPECT_EQ(e.path().filename().string().find(".stdin"), std::string::npos) << "spool file left behind";
}

// The stages that read records again (passages, story names, the
// boilerplate report) seek to them in a plain file and stream a compressed
// one or stdin's spool: every way gives the same results.
TEST(Inputs, PlainCompressedAndStdinGiveTheSameResults) {
  TempDir t;
  const std::string plain = test::DataPath("planted/corpus.jsonl");
  WriteFile(t / "corpus.jsonl.gz", Gzip(ReadFile(plain)));
  ASSERT_EQ(RunDoppel("scan " + plain + " --out " + (t / "p") + " -q --threads 2").exit_code, 0);
  ASSERT_EQ(RunDoppel("scan " + (t / "corpus.jsonl.gz") + " --out " + (t / "z") + " -q --threads 2").exit_code, 0);
  ASSERT_EQ(RunDoppel("scan - --out " + (t / "s") + " -q --threads 2", plain).exit_code, 0);
  auto boilerplate = [](const std::string& summary) {
    const size_t from = summary.find("\"boilerplate\"");
    return from == std::string::npos ? std::string() : summary.substr(from, summary.find("\"parameters\"") - from);
  };
  const std::string pairs = ReadFile(t / "p/pairs.jsonl");
  EXPECT_NE(pairs.find("\"passages\":[{"), std::string::npos);
  EXPECT_NE(boilerplate(ReadFile(t / "p/summary.json")).find("\"docs\""), std::string::npos);
  for (const char* other : {"z", "s"}) {
    EXPECT_EQ(ReadFile(t / (std::string(other) + "/pairs.jsonl")), pairs) << other;
    EXPECT_EQ(ReadFile(t / (std::string(other) + "/stories.jsonl")), ReadFile(t / "p/stories.jsonl")) << other;
    EXPECT_EQ(boilerplate(ReadFile(t / (std::string(other) + "/summary.json"))), boilerplate(ReadFile(t / "p/summary.json")))
        << other;
  }
}

TEST(Cli, HelpAndUsageErrors) {
  auto h = RunDoppel("scan --help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.output.find("--threshold"), std::string::npos);
  EXPECT_NE(h.output.find("Examples"), std::string::npos);
  EXPECT_EQ(h.output.find("{false}"), std::string::npos) << "a flag's help shows CLI11's internals";
  EXPECT_EQ(RunDoppel("scan").exit_code, 2);
  TempDir t;
  WriteFile(t / "in.jsonl", std::string(kGoodA) + "\n");
  auto bad = RunDoppel("scan " + (t / "in.jsonl") + " --out " + (t / "r") + " --find nearish");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("nearish"), std::string::npos);
  EXPECT_EQ(RunDoppel("scan " + (t / "in.jsonl") + " --out " + (t / "r") + " --threshold 1.5").exit_code, 2);
  auto share = RunDoppel("scan " + (t / "in.jsonl") + " --out " + (t / "r") + " --partial-verbatim 1.5");
  EXPECT_EQ(share.exit_code, 2);
  EXPECT_NE(share.output.find("--partial-verbatim"), std::string::npos);
}

TEST(Cli, NoPassagesKeepsThePairsAndDropsTheirPassages) {
  TempDir t;
  for (const char* flag : {"", " --no-passages"}) {
    const std::string out = t / (*flag ? "without" : "with");
    ASSERT_EQ(RunDoppel("scan " + test::DataPath("seeds.jsonl") + " --out " + out + " -q" + flag).exit_code, 0);
    auto rows = ReadJsonl(out + "/pairs.jsonl");
    ASSERT_FALSE(rows.empty());
    for (const auto& row : rows) {
      if (row.at("relation") == "near") {
        EXPECT_EQ(row.count("passages"), *flag ? 0u : 1u) << flag;
      }
    }
  }
}

}  // namespace
}  // namespace doppel
