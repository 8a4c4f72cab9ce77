// Internal: the files a scan writes (pairs.jsonl, clusters.jsonl,
// stories.jsonl, --dedup-out). Each is written to a temporary file and
// renamed into place when complete (OutputFile).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "doppel/read.h"
#include "doppel/scan.h"
#include "doppel/story.h"
#include "scan/corpus.h"
#include "scan/verified_pair.h"

namespace doppel::detail {

// pairs.jsonl: one line per related pair, sorted by (a, b) in input order;
// exact pairs join each exact copy to its group's leader (`exact_relation`
// false writes them as near, for --find without exact); near and partial
// pairs carry their verified similarities, passages and (partial) source.
Status WritePairs(const std::string& path, const Corpus& c, const std::vector<uint32_t>& group,
                  const std::vector<VerifiedPair>& near, bool exact_relation, ScanReport* report);

// clusters.jsonl: one line per input document, with its cluster (the
// representative's id), whether it represents it, the cluster's source and,
// when stories were made, its story.
Status WriteClusters(const std::string& path, const Corpus& c, const std::vector<uint32_t>& rep,
                     const std::vector<uint32_t>& source, const std::vector<uint32_t>* story);

// stories.jsonl: one line per story of two or more documents, with its
// dates, top terms (named by `names`), members and the copy clusters in it.
Status WriteStories(const std::string& path, const Corpus& c, const StoryResult& st,
                    const std::vector<uint32_t>& rep, const std::unordered_map<uint64_t, std::string>& names,
                    ScanReport* report);

// Second pass over the inputs: copies the records of representatives, byte
// for byte (text files become {"id","text"} lines).
Status WriteDedup(const std::string& path, const std::vector<InputFile>& files, const Corpus& c,
                  const std::vector<uint32_t>& rep, size_t batch_bytes, ScanReport* report);

}  // namespace doppel::detail
