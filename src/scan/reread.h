// Internal: the stages that read the inputs a second time. A scan keeps no
// texts; the few stages that need words or offsets (passages, story names,
// the boilerplate report) re-read just the records they want.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "doppel/index.h"
#include "doppel/options.h"
#include "doppel/read.h"
#include "doppel/scan.h"
#include "doppel/story.h"
#include "scan/corpus.h"

namespace doppel::detail {

// Reads the records of `docs` (document numbers) again and calls
// fn(document, parsed record, worker) for each that still parses, from
// `threads` workers in no fixed order. Uncompressed inputs are read at the
// byte ranges ingest recorded; compressed ones are streamed again. Texts are
// not kept by the scan; the few stages that need them read them again. A
// file that can no longer be opened or read is an error.
Status ReadSelected(const ScanOptions& o, const std::vector<InputFile>& files, const Corpus& c,
                    std::vector<uint32_t> docs, int threads,
                    const std::function<void(uint32_t doc, ParsedDoc& parsed, int worker)>& fn);

// Surface forms of story terms: a second pass reads a few members of each
// story and records the normalised word behind each wanted stem hash.
std::unordered_map<uint64_t, std::string> NameTerms(const ScanOptions& o, const std::vector<InputFile>& files,
                                                    const Corpus& c, const std::vector<StoryDoc>& docs,
                                                    const StoryResult& st, int threads);

// The most frequent common shingles ReportBoilerplate looks at.
inline constexpr size_t kBoilerplateCandidates = 2000;

// Boilerplate report: for the most frequent common shingles, one document
// carrying each is read again and the run of common shingles around it is
// cut out as the passage; long runs are reported, most frequent first.
Status ReportBoilerplate(const ScanOptions& o, const std::vector<InputFile>& files, const Corpus& c,
                         const HashSetView& common, const std::vector<std::pair<uint32_t, uint64_t>>& top,
                         int threads, ScanReport* report);

}  // namespace doppel::detail
