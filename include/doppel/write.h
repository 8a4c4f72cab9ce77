// doppel/write.h — stage 8: result files, written so that nothing is lost.
//
// Thread safety: an OutputFile is not thread-safe; the free functions are.
//
// Every file is written under a temporary name in its destination folder and
// renamed over the final name only when complete (Commit), so a crash leaves
// the previous result or none, never half a file. An output folder holding
// files that doppel did not write is refused unless forced; doppel marks its
// folders with a `.doppel` file listing what it wrote.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "doppel/status.h"

namespace doppel {

class OutputFile {
 public:
  // Opens `path` for writing through a temporary file; compresses with gzip
  // or zstd when the name ends in .gz or .zst.
  static Result<std::unique_ptr<OutputFile>> Create(const std::string& path);
  virtual ~OutputFile();  // removes the temporary file unless committed
  virtual Status Write(std::string_view bytes) = 0;
  // Flushes, closes and renames into place.
  virtual Status Commit() = 0;
};

// Makes `dir` ready for doppel's files (pairs.jsonl, clusters.jsonl,
// summary.json, ...). Refuses a folder with other files unless force.
Status PrepareOutputDir(const std::string& dir, bool force);

// Records the names doppel wrote in dir/.doppel (so a later run may replace them).
Status MarkOutputDir(const std::string& dir, const std::vector<std::string>& names);

// Appends s as a JSON string literal (quotes included) to out.
void AppendJsonString(std::string_view s, std::string* out);

// Shortest round-trip-safe decimal for a score in [0, 1], at most 6 digits.
std::string FormatScore(double v);
// The same, appended to out (no string made per score).
void AppendScore(double v, std::string* out);

}  // namespace doppel
