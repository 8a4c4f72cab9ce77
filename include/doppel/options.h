// doppel/options.h — what a scan is asked to do, as one plain struct.
//
// Thread safety: a plain value; not synchronised.
//
// Every field states its default and its trade-off. Parameters that define
// the results (shingle size, seed, permutations, thresholds) are echoed into
// summary.json so a run can be reproduced. Call Validate() before use: it
// names the first bad field and its value.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "doppel/align.h"
#include "doppel/status.h"
#include "doppel/story.h"

namespace doppel {

// Which relations a scan looks for (--find). Values are bit flags.
enum Relation : uint32_t {
  kFindExact = 1u << 0,  // same token sequence after normalisation
  kFindNear = 1u << 1,   // verified near-copy (edited reprint)
  kFindStory = 1u << 2,  // same story in other words (story clusters)
  kFindPartial = 1u << 3,  // a passage of one document reused inside another
  kFindRewrite = 1u << 4,  // the same content in other words (heavy revision, paraphrase)
};
inline constexpr uint32_t kFindAllImplemented = kFindExact | kFindNear | kFindStory | kFindPartial | kFindRewrite;
// The default of --find: every relation but rewrite. Rewrites are what
// plagiarism detection asks for (a student's heavy revision of a source);
// in news, a follow-up story that retells an earlier one is a rewrite too,
// and a user looking for copies does not want thousands of those
// (docs/design.md, "Rewrites").
inline constexpr uint32_t kFindDefault = kFindExact | kFindNear | kFindStory | kFindPartial;

// How a cluster's representative (the document kept by --dedup-out) is chosen.
enum class KeepRule {
  kEarliest,  // earliest date, then longest text, then smallest id (default)
  kLongest,   // longest text, then earliest date, then smallest id
  kFirst,     // first in input order
};

// One problem with one input record, reported as it is met.
struct Diagnostic {
  std::string file;     // input path as the user gave it ("-" for stdin)
  uint64_t line = 0;    // 1-based line number; 0 for whole-file problems
  std::string kind;     // stable key, also used in summary.json "skipped"/"repaired"
  std::string message;  // one human sentence
};

// Stage names and work done so far, for a progress display.
struct Progress {
  const char* stage = "";
  uint64_t docs = 0;
  uint64_t bytes = 0;
  uint64_t total_bytes = 0;  // 0 when unknown (stdin, compressed input)
};

struct ScanOptions {
  // ---- affects behaviour ----
  std::vector<std::string> inputs;   // files, directories, "-" for stdin
  std::string out_dir;               // where pairs/clusters/summary are written
  std::string text_field = "text";
  std::string id_field = "id";       // missing -> "<file>:<line>"
  std::string date_field = "date";   // ISO 8601; missing or unparsable -> undated
  uint32_t find = kFindDefault;
  // Near-copy threshold: Jaccard similarity of the documents' distinctive
  // word 3-gram sets (3-grams that are not common phrases or boilerplate,
  // see common_df). 0.2 keeps heavily edited reprints (the seed reprint pair
  // has 0.52) while unrelated articles score under 0.1. See docs/design.md.
  double threshold = 0.2;
  // Words per shingle. 3 survives word edits far better than the usual 5
  // (a 10% edit rate keeps 73% of 3-grams but 59% of 5-grams) and is still
  // specific once common phrases are removed.
  int shingle_size = 3;
  // A shingle found in more than this many distinct documents is a common
  // phrase or boilerplate (agency footers, legal notices): it is no evidence
  // of copying and is left out of the near-copy similarity.
  int common_df = 10;                // --keep-boilerplate: no limit (nothing is common)
  // False: a passage that ends (or opens) three or more texts that are not
  // copies of each other is boilerplate too, however few they are
  // (docs/design.md, "Boilerplate"). --keep-boilerplate sets it.
  bool keep_boilerplate = false;
  int boilerplate_report = 10;       // boilerplate passages listed in summary.json
  // Numbers decide templated reports (dividend notices, price tables): when
  // both documents carry at least this many distinct number tokens and fewer
  // than half of the smaller set is shared, they are not near-copies.
  int number_veto_min = 3;
  // Partial reuse: passages found by alignment that do not make the two
  // documents near-copies, holding at least `min_words` words, at least
  // `min_share` of one document (a stock quote shared by two long articles
  // is not "substantial"), `min_verbatim` of the shorter one word for word.
  ReuseRule partial;
  // Aligned passages for near and partial pairs (needs a second read of the
  // documents involved). Off with --no-passages.
  bool passages = true;
  KeepRule keep = KeepRule::kEarliest;
  uint64_t seed = 42;                // sketch hashing seed
  std::string dedup_out;             // "" = none; .gz/.zst by extension
  bool force = false;                // allow --out dir with foreign files
  StoryOptions story;                // same-story clustering (--story-window and internals)

  // ---- affects performance (never the results) ----
  int threads = 0;                   // 0 = all cores
  int num_perm = 256;                // sketch bins (one-permutation hashing)
  // Weight of a missed pair against a needless candidate when choosing
  // bands x rows; candidates are verified exactly, so misses cost more.
  double lsh_false_negative_weight = 0.95;
  size_t chunk_bytes = 1u << 20;     // input read per parallel batch

  // ---- reporting ----
  std::function<void(const Diagnostic&)> on_diagnostic;  // may be empty
  std::function<void(const Progress&)> on_progress;      // may be empty

  Status Validate() const;
};

// Parses "exact,near" into Relation flags; "all" = every implemented relation.
Result<uint32_t> ParseFindList(const std::string& list);
Result<KeepRule> ParseKeepRule(const std::string& name);
// Parses a duration such as "72h", "3d", "90m" or "0" (no window) into hours.
Result<double> ParseWindow(const std::string& text);

}  // namespace doppel
