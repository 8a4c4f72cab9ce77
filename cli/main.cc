// doppel — command-line front end. The library does the work; this file
// defines the flags, turns Status values into messages and exit codes.
//
// Exit codes: 0 success; 1 the run failed (unreadable or corrupt input,
// write error); 2 usage error; 3 refused to overwrite or mix into user data.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "cli/compare_command.h"
#include "cli/progress.h"
#include "cli/terminal_text.h"
#include "doppel/eval.h"
#include "doppel/scan.h"

namespace {

using doppel::Status;

int ExitCode(const Status& s) {
  switch (s.code()) {
    case Status::Code::kOk: return 0;
    case Status::Code::kInvalidArgument: return 2;
    case Status::Code::kRefused: return 3;
    default: return 1;
  }
}

int Fail(const Status& s) {
  fmt::print(stderr, "doppel: error: {}\n", doppel::cli::ForTerminal(s.message()));
  return ExitCode(s);
}

constexpr int kWarningsPerKind = 10;

struct ScanFlags {
  std::string find = "exact,near,partial,story", keep = "earliest", window = "72h";
  bool quiet = false;
};

void AddScan(CLI::App& app, doppel::ScanOptions* o, ScanFlags* f) {
  CLI::App* scan = app.add_subcommand("scan", "Find exact and near copies, reused passages and stories; cluster them; write the results");
  scan->footer(
      "Examples:\n"
      "  doppel scan corpus.jsonl.zst --out results\n"
      "  doppel scan articles/ --out r --dedup-out clean.jsonl.gz\n"
      "  cat a.jsonl | doppel scan - --out r --text-field body --threads 4\n\n"
      "Writes DIR/pairs.jsonl (verified related pairs), DIR/clusters.jsonl (one line per\n"
      "document: its cluster = the id of the cluster's representative) and DIR/summary.json.\n"
      "Exit codes: 0 ok, 1 failed (unreadable/corrupt input), 2 usage, 3 refused (would\n"
      "overwrite files doppel did not write).");
  scan->add_option("inputs", o->inputs,
                   "JSONL files (.jsonl/.json/.ndjson, optionally .gz/.zst), text files (one document "
                   "each), directories (recursed), or - for JSONL on stdin")
      ->required();
  scan->add_option("-o,--out", o->out_dir, "Output folder (created; refused if it holds files doppel did not write)")
      ->required();
  scan->add_option("--text-field", o->text_field, "JSON field with the document text")->capture_default_str();
  scan->add_option("--id-field", o->id_field, "JSON field with the document id; missing ids become FILE:LINE")
      ->capture_default_str();
  scan->add_option("--date-field", o->date_field,
                   "JSON field with an ISO 8601 date; the earliest copy represents its cluster")
      ->capture_default_str();
  scan->add_option("--find", f->find,
                   "Relations to look for: exact, near, partial (a reused passage), story (the same "
                   "event in other words: writes stories.jsonl), rewrite (pairs telling the same content "
                   "in other words, as in plagiarism with heavy revision; not in the default), or all")
      ->capture_default_str();
  scan->add_option("-t,--threshold", o->threshold,
                   "Near-copy threshold: Jaccard of distinctive word 3-grams (0.2 catches reprints with "
                   "heavy edits; raise to 0.5 for light edits only)")
      ->capture_default_str();
  scan->add_option("--partial-verbatim", o->partial.min_verbatim,
                   "Share of the shorter text that partial reuse must copy word for word (runs of 5 words); "
                   "0 also reports reworded passages, as in plagiarism with heavy revision")
      ->capture_default_str();
  scan->add_option("--rewrite-min", o->story.rewrite_min,
                   "With --find rewrite: share of the smaller text's informative (idf-weighted) vocabulary "
                   "the other must hold")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  scan->add_option("--shingle", o->shingle_size, "Words per shingle")->capture_default_str();
  scan->add_option("--common-df", o->common_df,
                   "Shingles in more documents than this are common phrases or boilerplate and are not "
                   "evidence of copying")
      ->capture_default_str();
  scan->add_option("--story-window", f->window,
                   "Dated documents further apart than this are never one story (72h, 3d, 90m; 0 = no window)")
      ->capture_default_str();
  scan->add_option("--story-link", o->story.link,
                   "Average similarity two stories need to merge (cosine of neighbourhood-smoothed TF-IDF)")
      ->capture_default_str();
  scan->add_option("--story-neighbours", o->story.neighbours, "Nearest neighbours per document in the story graph")
      ->capture_default_str();
  scan->add_option("--keep", f->keep,
                   "Which document represents a cluster: earliest (date, then longest, then smallest id), "
                   "longest, first (input order)")
      ->capture_default_str();
  scan->add_option("-j,--threads", o->threads, "Worker threads (0 = all cores); results do not depend on it")
      ->capture_default_str();
  scan->add_option("--seed", o->seed, "Seed of the sketch hashing")->capture_default_str();
  scan->add_option("--num-perm", o->num_perm, "Sketch bins (power of two)")->capture_default_str();
  scan->add_option("--dedup-out", o->dedup_out,
                   "Write one representative per cluster: the original input lines, byte for byte "
                   "(.gz/.zst compress)");
  scan->add_flag_callback("--keep-boilerplate", [o] {
                            o->common_df = 1 << 30;
                            o->keep_boilerplate = true;
                          },
                          "Count shared boilerplate (footers, bylines, notices) as evidence of copying");
  // A callback, not a "!" flag: CLI11 2.1 prints a negated flag as "--no-passages{false}".
  scan->add_flag_callback("--no-passages", [o] { o->passages = false; },
                          "Do not compute aligned passages (saves a second read of the texts; near pairs then skip the footer rule and the checks that their figures agree, in the shared text and in the texts taken whole)");
  scan->add_flag("--force", o->force, "Write into an --out folder with other files; replace --dedup-out");
  scan->add_flag("-q,--quiet", f->quiet, "No progress, no per-record warnings, no closing summary");
}

int RunScanCommand(doppel::ScanOptions o, const ScanFlags& f) {
  auto find = doppel::ParseFindList(f.find);
  if (!find.ok()) return Fail(find.status());
  o.find = find.value();
  auto window = doppel::ParseWindow(f.window);
  if (!window.ok()) return Fail(window.status());
  o.story.window_hours = window.value();
  auto keep = doppel::ParseKeepRule(f.keep);
  if (!keep.ok()) return Fail(keep.status());
  o.keep = keep.value();
  bool tty = isatty(STDERR_FILENO) && !f.quiet;
  uint64_t total = 0;
  for (const std::string& in : o.inputs) {
    std::error_code ec;
    if (in != "-" && std::filesystem::is_regular_file(in, ec)) total += std::filesystem::file_size(in, ec);
  }
  doppel::cli::ProgressLine progress(tty, total);
  std::map<std::string, int> shown;
  if (!f.quiet) {
    o.on_diagnostic = [&](const doppel::Diagnostic& d) {
      int& k = shown[d.kind];
      if (++k > kWarningsPerKind) return;
      progress.Clear();
      std::string where = d.line ? fmt::format("{}:{}", d.file, d.line) : d.file;
      fmt::print(stderr, "doppel: warning: {}: {}{}\n", doppel::cli::ForTerminal(where), doppel::cli::ForTerminal(d.message),
                 k == kWarningsPerKind ? fmt::format(" (further '{}' warnings only counted in summary.json)", d.kind)
                                       : "");
    };
  }
  o.on_progress = [&](const doppel::Progress& p) { progress.Update(p.stage, p.docs, p.bytes); };
  auto report = doppel::RunScan(o);
  progress.Clear();
  if (!report.ok()) return Fail(report.status());
  const auto& r = report.value();
  if (!f.quiet) {
    uint64_t skipped = 0;
    for (const auto& [k, v] : r.skipped) skipped += v;
    fmt::print(stderr,
               "doppel: {} docs ({:.1f} MB) in {:.2f}s: {} exact + {} near pairs, {} clusters with copies "
               "(largest {}){}\n"
               "doppel: results in {}/ (pairs.jsonl, clusters.jsonl, summary.json{}){}\n",
               r.docs, r.bytes / 1e6, r.seconds, r.exact_pairs, r.near_pairs, r.clusters, r.largest_cluster,
               skipped ? fmt::format(", {} records skipped", skipped) : "", doppel::cli::ForTerminal(o.out_dir),
               (o.find & doppel::kFindStory) ? fmt::format(", stories.jsonl: {} stories", r.stories) : "",
               o.dedup_out.empty() ? "" : fmt::format("; {} kept lines in {}", r.dedup_written, doppel::cli::ForTerminal(o.dedup_out)));
  }
  return 0;
}

void AddEval(CLI::App& app, doppel::EvalOptions* e) {
  CLI::App* ev = app.add_subcommand("eval", "Score found pairs or clusters against a truth file");
  ev->footer(
      "Examples:\n"
      "  doppel eval --truth truth.pairs.jsonl --pairs r/pairs.jsonl --relations exact,near\n"
      "  doppel eval --truth truth.pairs.jsonl --truth-clusters truth.clusters.jsonl --clusters r/clusters.jsonl\n"
      "  doppel eval --truth stories.truth.jsonl --clusters r/clusters.jsonl --key story\n\n"
      "Reads the formats of score.py: truth pairs {a,b,kind}, truth clusters {id,cluster};\n"
      "prints one JSON object (precision, recall, F1, recall by kind, AUC, ARI, NMI, B-cubed).");
  ev->add_option("--truth", e->truth,
                 "Truth JSONL, either pairs {\"a\",\"b\",\"kind\"} or clusters {\"id\",\"cluster\"} (its first record tells)");
  ev->add_option("--truth-pairs", e->truth_pairs, "Truth pairs JSONL {\"a\",\"b\",\"kind\"}");
  ev->add_option("--truth-clusters", e->truth_clusters, "Truth clusters JSONL {\"id\",\"cluster\"}");
  ev->add_option("--pairs", e->pairs, "Found pairs JSONL (e.g. pairs.jsonl)");
  ev->add_option("--clusters", e->clusters, "Found clusters JSONL (e.g. clusters.jsonl)");
  ev->add_option("--key,--cluster-key", e->cluster_key, "Field of found clusters read as the cluster id")
      ->capture_default_str();
  ev->add_option("--negative", e->negative, "Comma list of truth kinds that are non-duplicates");
  ev->add_option("--ignore", e->ignore, "Comma list of truth kinds left out of the scoring");
  ev->add_option("--relations", e->relations, "Keep only found pairs with these relations");
  ev->add_option("--score-key", e->score_key, "Field of found pairs ranked for the AUC")->capture_default_str();
  ev->add_flag("--only-labelled", e->only_labelled, "Score found pairs only where the truth labels them");
}

void AddCompare(CLI::App& app, doppel::cli::CompareFlags* f) {
  CLI::App* c = app.add_subcommand("compare", "Show what two documents share, passage by passage, side by side");
  c->footer(
      "Examples:\n"
      "  doppel compare reprint.txt wire.txt\n"
      "  doppel compare --in corpus.jsonl d0000017 d0000018\n"
      "  doppel compare a.txt b.txt --json\n\n"
      "Each aligned passage is labelled [k] where it starts in both texts (a moved passage\n"
      "keeps its number) and shown in colour, or between \u00ab and \u00bb with --color never.\n"
      "Words changed inside a passage are red, or marked [-in A-] and {+in B+}; --json gives\n"
      "them as edits_a and edits_b (code-point ranges).");
  c->add_option("a", f->a, "First file, or an id with --in")->required();
  c->add_option("b", f->b, "Second file, or an id with --in")->required();
  c->add_option("--in", f->in, "Look A and B up as ids in this input (a JSONL file or a directory)");
  c->add_flag("--json", f->json, "Print the pair record as JSON instead");
  c->add_option("--width", f->width, "Total width of the side-by-side view (default: the terminal's)");
  c->add_option("--color", f->color, "Colour the passages: auto (on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

}  // namespace

// The block HeapOnHugePages keeps below the heap proper, for good; held here
// so that it stays reachable (a leak checker would report it otherwise).
static void* heap_pad = nullptr;

// Puts malloc's heap on 2 MiB pages. Freed memory stays in the process (a
// scan frees and reallocates large buffers per batch; returning them to the
// kernel cost a fault per page when they came back: 27k -> 22k faults, -8%
// time), and the heap is reserved up front and advised MADV_HUGEPAGE, as
// glibc's own glibc.malloc.hugetlb=1 tunable would (it is read from the
// environment only): with transparent huge pages in "madvise" mode,
// Debian's default, glibc's heap otherwise takes a fault per 4 KiB page, and
// in a virtual machine a fault costs microseconds (about 5,000 faults on a
// 20k-document scan; -8% time at one thread, see docs/benchmarks.md). The
// reservation is address space; pages are touched as malloc uses them. A
// heap that outgrows it goes on in 4 KiB pages. Worker threads allocate
// from this heap too (one arena): glibc would give each its own arena,
// mapped apart in 4 KiB pages, and the second thread of a 20k-document scan
// took 2,600 faults there (3,100 against 500 at one thread, ~30 ms of
// system time). Under a sanitizer's malloc the heap does not move and
// nothing is advised.
void HeapOnHugePages() {
  constexpr size_t kReserve = size_t{256} << 20, kHuge = size_t{2} << 20;
  // Room for malloc's chunk headers (and the probe's block, which a free
  // puts in a cache, not back in the heap): the next block's header must not
  // land on the boundary's page, or that page is mapped before the advice
  // and the first 2 MiB stay in 4 KiB pages after all.
  constexpr size_t kPadSlack = 4096;
  mallopt(M_ARENA_MAX, 1);
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  // The heap's free space starts where a small block would go now, at no
  // 2 MiB boundary: the part below the next boundary can only have 4 KiB
  // pages, and malloc fills the heap from the bottom, so the scan's first
  // allocations took a fault per 4 KiB page (~490 faults, ~10 ms of a 20k-
  // document scan in a VM). A block that is never freed or touched spans
  // that part (address space only), and the heap proper starts on a boundary.
  void* volatile probe = std::malloc(64);
  const auto low = reinterpret_cast<uintptr_t>(probe);
  std::free(probe);
  const uintptr_t begin = (low + 2 * kPadSlack + kHuge - 1) & ~(kHuge - 1);
  heap_pad = std::malloc(begin - low - kPadSlack);  // ends just below `begin`
  void* volatile reserve = std::malloc(kReserve);  // grows the heap (brk); volatile: kept by the optimiser
  std::free(reserve);                               // and kept by malloc: trimming is off
  const auto after = reinterpret_cast<uintptr_t>(sbrk(0));
  if (after > begin) madvise(reinterpret_cast<void*>(begin), after - begin, MADV_HUGEPAGE);
}

int main(int argc, char** argv) {
  HeapOnHugePages();
  CLI::App app{"doppel — find reused text: exact copies, near-copies, and clusters of them"};
  app.set_version_flag("-V,--version", fmt::format("doppel {}", doppel::Version()));
  app.require_subcommand(1);
  app.footer("Run 'doppel SUBCOMMAND --help' for the options of each subcommand.");
  doppel::ScanOptions scan;
  ScanFlags flags;
  AddScan(app, &scan, &flags);
  doppel::EvalOptions eval;
  AddEval(app, &eval);
  doppel::cli::CompareFlags compare;
  AddCompare(app, &compare);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    app.exit(e);
    return 2;
  }
  if (app.got_subcommand("scan")) return RunScanCommand(std::move(scan), flags);
  if (app.got_subcommand("compare")) return doppel::cli::RunCompare(compare, scan);
  auto result = doppel::RunEval(eval);
  if (!result.ok()) return Fail(result.status());
  fmt::print("{}\n", result.value());
  return 0;
}
