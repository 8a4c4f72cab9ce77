#include "cli/compare_command.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "doppel/compare.h"
#include "doppel/normalize.h"
#include "doppel/read.h"
#include "doppel/write.h"
#include "cli/side_by_side.h"
#include "cli/terminal_text.h"

namespace doppel::cli {
namespace {

int TerminalWidth() {
  struct winsize w;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 40) return w.ws_col;
  return 120;
}

}  // namespace

int RunCompare(const CompareFlags& f, const ScanOptions& options) {
  std::vector<std::string> texts(2);
  if (!f.in.empty()) {
    Status s = LoadById(options, {f.in}, {f.a, f.b}, &texts);
    if (!s.ok()) {
      fmt::print(stderr, "doppel: error: {}\n", ForTerminal(s.message()));
      return s.code() == Status::Code::kNotFound ? 1 : 2;
    }
  } else {
    for (int i = 0; i < 2; ++i) {
      const std::string& path = i ? f.b : f.a;
      auto files = ExpandInputs({path});
      if (!files.ok() || files.value().size() != 1) {
        fmt::print(stderr, "doppel: error: {}: {}\n", ForTerminal(path),
                   ForTerminal(files.ok() ? "give a file, or ids with --in" : files.status().message()));
        return 1;
      }
      InputFile file = files.value()[0];
      file.kind = InputKind::kText;  // the whole file is the document
      Status s = ReadRecords({file}, options.chunk_bytes, [&](const std::vector<RawRecord>& recs) -> Status {
        RepairUtf8(recs[0].bytes, &texts[i]);
        return Status::OK();
      });
      if (!s.ok()) {
        fmt::print(stderr, "doppel: error: {}\n", ForTerminal(s.message()));
        return 1;
      }
    }
  }
  PairReport r = ComparePair(texts[0], texts[1], options);
  if (f.json) {
    std::string j = "{\"a\":";
    AppendJsonString(f.a, &j);
    j += ",\"b\":";
    AppendJsonString(f.b, &j);
    j += fmt::format(",\"relation\":\"{}\",\"jaccard\":{},\"containment\":{},\"cover_a\":{},\"cover_b\":{},\"passages\":[",
                     r.relation, FormatScore(r.jaccard), FormatScore(r.containment), FormatScore(r.cover_a),
                     FormatScore(r.cover_b));
    for (size_t i = 0; i < r.passages.size(); ++i) {
      const Passage& p = r.passages[i];
      j += fmt::format("{}{{\"a_start\":{},\"a_end\":{},\"b_start\":{},\"b_end\":{}}}", i ? "," : "", p.a_start, p.a_end,
                       p.b_start, p.b_end);
    }
    j += "]";
    for (const auto& [name, edits] : {std::pair{"edits_a", &r.edits_a}, std::pair{"edits_b", &r.edits_b}}) {
      j += fmt::format(",\"{}\":[", name);
      for (size_t i = 0; i < edits->size(); ++i) j += fmt::format("{}[{},{}]", i ? "," : "", (*edits)[i].begin, (*edits)[i].end);
      j += "]";
    }
    fmt::print("{}}}\n", j);
    return 0;
  }
  bool colour = f.color == "always" || (f.color == "auto" && isatty(STDOUT_FILENO));
  size_t total = f.width > 40 ? f.width : TerminalWidth();
  const size_t col = (total - 3) / 2;
  fmt::print("{} | {}\n", ForTerminal(f.a), ForTerminal(f.b));
  fmt::print("relation {}  jaccard {:.3f}  containment {:.3f}  {} passages covering {:.0f}% | {:.0f}%{}\n\n",
             r.relation, r.jaccard, r.containment, r.passages.size(), 100 * r.cover_a, 100 * r.cover_b,
             r.figures_differ        ? "  (figures differ: a template, not a copy)"
             : r.text_figures_differ ? "  (figures differ taken whole: a part, not a copy)"
                                     : "");
  for (const std::string& row : SideBySide(texts[0], texts[1], r, col, colour)) fmt::print("{}\n", row);
  return 0;
}

}  // namespace doppel::cli
