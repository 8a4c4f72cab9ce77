// Internal: the per-document state a scan keeps between stages, and the
// ingest step (read + parse + tokenise + shingle) that fills it.
//
// Memory model (per document, see docs/design.md): id bytes + ~80 bytes of
// fixed fields + 8 bytes per distinct shingle + 8 bytes per distinct number
// token + 32 bytes per figure (number run). The text itself is not kept: it is dropped right after shingling.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "doppel/options.h"
#include "doppel/read.h"
#include "doppel/scan.h"
#include "doppel/verify.h"

namespace doppel::detail {

struct Corpus {
  std::string id_bytes;
  std::vector<uint64_t> id_end;      // id of doc d is id_bytes[id_end[d-1], id_end[d])
  std::vector<int64_t> date_ms;
  std::vector<uint8_t> has_date;
  std::vector<uint64_t> length;      // code points
  std::vector<uint32_t> tokens;
  std::vector<uint32_t> file;
  std::vector<uint64_t> line;
  std::vector<uint64_t> exact;       // hash of the normalised token sequence
  std::vector<std::vector<uint64_t>> shingles;  // sorted; [0, distinct[d]) distinctive, rest common
  std::vector<uint32_t> distinct;
  std::vector<std::vector<uint64_t>> numbers;
  std::vector<std::vector<uint64_t>> figures;   // FigureSlots()

  size_t size() const { return id_end.size(); }
  std::string_view id(size_t d) const {
    uint64_t b = d ? id_end[d - 1] : 0;
    return std::string_view(id_bytes).substr(b, id_end[d] - b);
  }
  ShingleView view(size_t d) const {
    std::span<const uint64_t> all(shingles[d]);
    return ShingleView{all.first(distinct[d]), all.subspan(distinct[d]), std::span<const uint64_t>(numbers[d]),
                       std::span<const uint64_t>(figures[d])};
  }
};

// Reads every input into corpus, reporting bad records through
// options.on_diagnostic and counting them in report.
Status Ingest(const ScanOptions& options, const std::vector<InputFile>& files, int threads, Corpus* corpus,
              ScanReport* report);

}  // namespace doppel::detail
