// The scan pipeline. Each stage below is one call into its stage folder;
// this file only sequences them, times them and keeps the bookkeeping.
#include "doppel/scan.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <numeric>
#include <unordered_set>

#include "doppel/align.h"
#include "doppel/cluster.h"
#include "doppel/index.h"
#include "doppel/normalize.h"
#include "doppel/shingle.h"
#include "doppel/sketch.h"
#include "doppel/story.h"
#include "doppel/verify.h"
#include "doppel/write.h"
#include "scan/corpus.h"
#include "scan/outputs.h"
#include "scan/reread.h"
#include "scan/shared_edges.h"
#include "scan/sources.h"
#include "scan/summary.h"
#include "scan/verified_pair.h"
#include "util/huge_pages.h"
#include "util/parallel.h"
#include "util/sort_hashes.h"

namespace doppel {

const char* Version() { return DOPPEL_VERSION; }

namespace {
namespace fs = std::filesystem;
using detail::Corpus;
using detail::ParallelFor;
using detail::ParallelForWith;
using detail::PerWorker;
using detail::VerifiedPair;
using detail::PairRelation;
using detail::ClusterSources;
using detail::NamePartialSources;
using detail::NameTerms;
using detail::ReadSelected;
using detail::ReportBoilerplate;
using detail::WriteClusters;
using detail::WriteDedup;
using detail::WritePairs;
using detail::WriteStories;

class StageClock {
 public:
  explicit StageClock(ScanReport* r) : report_(r), start_(Now()), last_(start_) {}
  void Done(const char* stage) {
    auto now = Now();
    report_->stages.push_back(StageTime{stage, std::chrono::duration<double>(now - last_).count()});
    last_ = now;
  }
  double Total() const { return std::chrono::duration<double>(Now() - start_).count(); }

 private:
  static std::chrono::steady_clock::time_point Now() { return std::chrono::steady_clock::now(); }
  ScanReport* report_;
  std::chrono::steady_clock::time_point start_, last_;
};

// Moves document d's common shingles behind its distinctive ones.
void SplitCommon(Corpus* c, const HashSetView& common, size_t d, std::vector<uint64_t>* tail) {
  std::span<uint64_t> s = c->shingles.mutable_list(d);
  tail->clear();
  size_t keep = 0;
  for (uint64_t h : s) {
    if (common.Contains(h)) tail->push_back(h);
    else s[keep++] = h;
  }
  std::copy(tail->begin(), tail->end(), s.begin() + keep);
  c->distinct[d] = static_cast<uint32_t>(keep);
}

// Candidate pairs a document may take per LSH band (its bucket's first
// member and the newest before it), and in all (its most similar earlier
// documents by the sketch). Copy clusters of a few documents never reach
// them; a thousand reprints of one story do, and then make a star around
// the first reprint plus short chains instead of half a million pairs to
// verify, align and write (index.h).
constexpr int kBucketPairs = 8;
constexpr int kMaxPartners = 16;

// Keeps the elements of *v whose keep[i] is set, in order.
template <typename T>
void KeepMarked(std::vector<T>* v, const std::vector<uint8_t>& keep) {
  size_t kept = 0;
  for (size_t i = 0; i < v->size(); ++i) {
    if (!keep[i]) continue;
    if (kept != i) (*v)[kept] = std::move((*v)[i]);  // a self-move would empty a pair's passages
    ++kept;
  }
  v->resize(kept);
}

// Pairs that may share a passage without being near-copies: documents that
// share at least `min_shared` sampled distinctive shingles (every shingle
// whose hash is even: a fixed, content-defined sample, so a shared passage
// of n words yields about n/2 shared samples). Lists are short by
// construction — distinctive shingles occur in at most common_df documents.
std::vector<std::pair<uint32_t, uint32_t>> PartialCandidates(const Corpus& c, const std::vector<uint32_t>& group,
                                                             const HashSetView& near_pairs, int min_shared,
                                                             int threads) {
  struct Sample {
    uint64_t hash;
    uint32_t doc;
  };
  // Samples are grouped by hash in parts cut by its top bits (uniform), so
  // each part is sorted on its own, in cache and in parallel.
  size_t total = 0;
  for (uint32_t d = 0; d < c.size(); ++d)
    if (group[d] == d) total += c.distinct[d] / 2 + 1;
  const int bits = std::min(16, static_cast<int>(std::bit_width(total >> 12)));
  auto part_of = [bits](uint64_t h) { return bits ? static_cast<size_t>(h >> (64 - bits)) : size_t{0}; };
  const size_t parts = size_t{1} << bits;
  std::vector<uint64_t> start(parts + 1, 0);
  auto each_sample = [&](auto&& fn) {
    for (uint32_t d = 0; d < c.size(); ++d) {
      if (group[d] != d) continue;
      for (uint64_t h : c.shingles[d].first(c.distinct[d]))
        if ((h & 1) == 0) fn(h, d);
    }
  };
  each_sample([&](uint64_t h, uint32_t) { ++start[part_of(h) + 1]; });
  for (size_t p = 0; p < parts; ++p) start[p + 1] += start[p];
  detail::HugeArray<Sample> samples(start[parts]);
  {
    std::vector<uint64_t> at(start.begin(), start.end() - 1);
    each_sample([&](uint64_t h, uint32_t d) { samples[at[part_of(h)]++] = Sample{h, d}; });
  }
  std::vector<std::vector<uint64_t>> pairs_of(parts);
  ParallelFor(parts, threads, 16, [&](size_t b, size_t e, int) {
    for (size_t p = b; p < e; ++p) {
      Sample* lo = samples.data() + start[p];
      Sample* hi = samples.data() + start[p + 1];
      // By hash; samples were scattered in document order and the sort is
      // stable, so each hash's documents stay ascending.
      thread_local std::vector<Sample> scratch;
      detail::SortByUniformKey(lo, static_cast<size_t>(hi - lo), &scratch, bits, [](const Sample& x) { return x.hash; });
      for (Sample* x = lo; x < hi;) {
        Sample* y = x;
        while (y < hi && y->hash == x->hash) ++y;
        // Near pairs share most of their samples and are reported already:
        // left out here, they no longer crowd the list to be sorted.
        for (Sample* i = x; i < y; ++i)
          for (Sample* j = i + 1; j < y; ++j) {
            const uint64_t pair = uint64_t{i->doc} << 32 | j->doc;
            if (!near_pairs.Contains(pair)) pairs_of[p].push_back(pair);
          }
        x = y;
      }
    }
  });
  std::vector<uint64_t> pairs;
  for (auto& v : pairs_of) {
    pairs.insert(pairs.end(), v.begin(), v.end());
    std::vector<uint64_t>().swap(v);
  }
  std::sort(pairs.begin(), pairs.end());
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (size_t i = 0; i < pairs.size();) {
    size_t j = i;
    while (j < pairs.size() && pairs[j] == pairs[i]) ++j;
    if (static_cast<int>(j - i) >= min_shared)
      out.emplace_back(static_cast<uint32_t>(pairs[i] >> 32), static_cast<uint32_t>(pairs[i]));
    i = j;
  }
  return out;
}

// Copies stdin to a file in the output folder, so it can be read twice.
Result<std::string> SpoolStdin(const std::string& out_dir) {
  std::string path = (fs::path(out_dir) / fmt::format(".stdin-{}.spool", getpid())).string();
  FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) return Status::IOError(path + ": cannot create spool file for stdin");
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
    if (std::fwrite(buf, 1, n, out) != n) {
      std::fclose(out);
      std::remove(path.c_str());
      return Status::IOError(path + ": write failed while spooling stdin");
    }
  }
  std::fclose(out);
  return path;
}

struct SpoolGuard {
  std::string path;
  ~SpoolGuard() {
    if (!path.empty()) std::remove(path.c_str());
  }
};

}  // namespace

Result<ScanReport> RunScan(const ScanOptions& options) {
  Status s = options.Validate();
  if (!s.ok()) return s;
  // Declared first, so it runs last: after the corpus and every buffer
  // below are freed, the large blocks kept for reuse go back to the system.
  struct ReleaseKeptBlocks {
    ~ReleaseKeptBlocks() { detail::ReleaseFreedHugeBlocks(); }
  } release_kept_blocks;
  ScanReport report;
  report.threads = detail::ResolveThreads(options.threads);
  const int threads = report.threads;
  StageClock clock(&report);

  Result<std::vector<InputFile>> expanded = ExpandInputs(options.inputs);
  if (!expanded.ok()) return expanded.status();
  std::vector<InputFile> files = std::move(expanded.value());
  if (!options.dedup_out.empty()) {
    std::error_code ec;
    for (const InputFile& f : files)
      if (f.display != "-" && fs::equivalent(f.path, options.dedup_out, ec))
        return Status::Refused(fmt::format("--dedup-out {} is one of the inputs", options.dedup_out));
    if (fs::exists(options.dedup_out) && !options.force)
      return Status::Refused(
          fmt::format("--dedup-out {} exists; doppel never overwrites it unless --force", options.dedup_out));
  }
  s = PrepareOutputDir(options.out_dir, options.force);
  if (!s.ok()) return s;
  SpoolGuard spool;
  for (InputFile& f : files) {
    if (f.display != "-") continue;
    if (!spool.path.empty()) return Status::InvalidArgument("stdin ('-') is given twice");
    Result<std::string> p = SpoolStdin(options.out_dir);
    if (!p.ok()) return p.status();
    spool.path = f.path = p.value();
  }

  // 1-3. read, normalise, shingle
  Corpus corpus;
  s = detail::Ingest(options, files, threads, &corpus, &report);
  if (!s.ok()) return s;
  clock.Done("read+normalise+shingle");
  const size_t n = corpus.size();

  // 4. exact copies
  std::vector<uint32_t> group = std::move(corpus.exact_group);  // found while reading
  clock.Done("exact");

  std::vector<VerifiedPair> near;
  std::vector<NearEdge> edges;
  // Footers found by their place (shared_edges.h), by document.
  std::vector<std::pair<uint32_t, TokenRange>> edge_spans;
  // A verified near pair: written (ranked by its Jaccard) and an edge of the clusters.
  auto add_near = [&](uint32_t a, uint32_t b, const Similarity& sim) {
    near.push_back(VerifiedPair{a, b, sim, PairRelation::kNear, sim.jaccard, {}, {}, UINT32_MAX});
    edges.push_back(NearEdge{a, b, sim.jaccard});
  };
  NearRule rule{options.threshold, options.number_veto_min, 2};
  report.lsh = OptimalLshParams(options.threshold, options.num_perm, options.lsh_false_negative_weight);
  std::optional<HashSetView> common;
  if (options.find & (kFindNear | kFindPartial)) {
    // 5. common shingles (document frequency over distinct texts)
    std::vector<std::span<const uint64_t>> lists;
    for (uint32_t d = 0; d < n; ++d)
      if (group[d] == d && !corpus.shingles[d].empty()) lists.push_back(corpus.shingles[d]);
    const FrequentKeys frequent = FrequentHashes(lists, options.common_df, threads);
    common.emplace(frequent.keys, frequent.mask);
    report.common_shingles = common->size();
    clock.Done("common-shingles");
    // The most frequent common shingles, to show the boilerplate they come
    // from (verification reports it): picked by one worker while the others
    // sketch.
    std::vector<std::pair<uint32_t, uint64_t>> top;
    auto pick_top = [&] {
      for (size_t i = 0; i < frequent.keys.size(); ++i) top.push_back({frequent.counts[i], frequent.keys[i]});
      const size_t shown = std::min(top.size(), detail::kBoilerplateCandidates);
      std::partial_sort(top.begin(), top.begin() + shown, top.end(),
                        [](auto& x, auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
      top.resize(shown);
    };

    // 6. sketch + LSH bands. Each document's common shingles are moved
    // behind its distinctive ones (SplitCommon) right before it is sketched:
    // one pass over the lists, each still in cache for the sketch.
    const LshParams lp = report.lsh;
    OphSketcher sketcher(options.num_perm, options.seed);
    detail::HugeArray<uint64_t> keys(n * lp.bands);  // bands x docs; read only where has[d]
    std::vector<uint8_t> has(n, 0);
    ParallelForWith(n, threads, 256, pick_top, [&](size_t b, size_t e, int) {
      std::vector<uint32_t> sk(options.num_perm);
      std::vector<uint64_t> band_keys(lp.bands);
      std::vector<uint64_t> tail;
      for (size_t d = b; d < e; ++d) {
        SplitCommon(&corpus, *common, d, &tail);
        if (group[d] != d) continue;
        std::span<const uint64_t> sh = corpus.shingles[d];
        // Sketch what verification will compare: distinctive shingles, or all
        // of them for a document that is mostly common phrases.
        size_t len = MostlyCommon(corpus.view(d)) ? sh.size() : corpus.distinct[d];
        if (sketcher.Sketch(sh.data(), len, sk.data())) {
          BandKeys(sk.data(), lp, band_keys.data());
          for (int b = 0; b < lp.bands; ++b) keys[b * n + d] = band_keys[b];
          has[d] = 1;
        }
      }
    });
    clock.Done("sketch");
    std::vector<std::pair<uint32_t, uint32_t>> cand = LshCandidates(keys, has, lp.bands, kBucketPairs, kMaxPartners, threads);
    keys = detail::HugeArray<uint64_t>();
    report.candidates = cand.size();
    clock.Done("lsh");

    // 7. verify every candidate on the real sets; meanwhile one worker
    // reads back and reports the boilerplate (it needs nothing from here).
    std::vector<Similarity> sims(cand.size());
    Status boilerplate;
    ParallelForWith(
        cand.size(), threads, 1024,
        [&] { boilerplate = ReportBoilerplate(options, files, corpus, *common, top, threads, &report); },
        [&](size_t b, size_t e, int) {
          for (size_t i = b; i < e; ++i) sims[i] = Compare(corpus.view(cand[i].first), corpus.view(cand[i].second), rule);
        });
    if (!boilerplate.ok()) return boilerplate;
    for (size_t i = 0; i < cand.size(); ++i) {
      if (IsNear(sims[i], rule)) {
        add_near(cand[i].first, cand[i].second, sims[i]);
      } else if (sims[i].numbers_differ && sims[i].jaccard >= rule.threshold) {
        ++report.vetoed_by_numbers;
      }
    }
    clock.Done("verify");

    // 7b. partial reuse and aligned passages
    const bool want_partial = (options.find & kFindPartial) != 0;
    std::vector<VerifiedPair> partial;
    if (want_partial) {
      std::vector<uint64_t> near_keys;
      for (const VerifiedPair& p : near) near_keys.push_back(uint64_t{p.a} << 32 | p.b);
      std::sort(near_keys.begin(), near_keys.end());
      const HashSetView is_near(std::move(near_keys));
      // Three samples: a 12-word passage (10 shingles) reaches them with
      // probability 0.95, a 20-word one with 0.9998 (docs/design.md).
      auto cand2 = PartialCandidates(corpus, group, is_near, 3, threads);
      report.partial_candidates = cand2.size();
      std::vector<Similarity> psims(cand2.size());
      std::vector<uint8_t> keep(cand2.size(), 0);
      ParallelFor(cand2.size(), threads, 1024, [&](size_t b, size_t e, int) {
        for (size_t i = b; i < e; ++i) {
          psims[i] = Compare(corpus.view(cand2[i].first), corpus.view(cand2[i].second), rule);
          // A passage of w words shares about w - 2 distinctive 3-grams.
          keep[i] = psims[i].shared + 2 >= static_cast<uint32_t>(options.partial.min_words);
        }
      });
      for (size_t i = 0; i < cand2.size(); ++i) {
        // A candidate found here that verifies as near is a near copy LSH
        // did not offer (a miss of the S-curve, or a partner over a large
        // bucket's limits), not partial reuse.
        if (IsNear(psims[i], rule)) {
          add_near(cand2[i].first, cand2[i].second, psims[i]);
        } else if (keep[i]) {
          partial.push_back(VerifiedPair{cand2[i].first, cand2[i].second, psims[i], PairRelation::kPartial, 0, {}, {}, UINT32_MAX});
        }
      }
    }
    if (options.passages || want_partial) {
      std::vector<uint8_t> wanted(n, 0);
      if (options.passages)
        for (const VerifiedPair& p : near) wanted[p.a] = wanted[p.b] = 1;
      for (const VerifiedPair& p : partial) wanted[p.a] = wanted[p.b] = 1;
      std::vector<uint32_t> want;
      for (uint32_t d = 0; d < n; ++d)
        if (wanted[d]) want.push_back(d);
      // Every wanted document prepared for alignment once (its k-grams
      // hashed and checked against the common set here, not once per pair
      // it is in), in one arena laid out from the token counts of the first
      // pass (a vector per document cost a page fault every few documents).
      // A document whose count differs now was changed on disk during the
      // scan: it gets no passages.
      std::vector<uint64_t> at(n + 1, 0);
      for (uint32_t d : want) at[d + 1] = corpus.tokens[d];
      for (uint32_t d = 0; d < n; ++d) at[d + 1] += at[d];
      detail::HugeArray<AlignToken> arena(at[n]);
      std::vector<uint8_t> filled(n, 0);
      PerWorker<std::vector<Token>> scratch(threads);
      const std::function<bool(uint64_t)> skip = [&](uint64_t h) { return common->Contains(h); };
      s = ReadSelected(options, files, corpus, std::move(want), threads, [&](uint32_t d, ParsedDoc& doc, int w) {
        scratch[w].clear();
        Tokenize(doc.text, &scratch[w], /*stems=*/false);
        if (scratch[w].size() != at[d + 1] - at[d]) return;
        PrepareAlign(scratch[w], options.shingle_size, skip, arena.data() + at[d], doc.text);
        filled[d] = 1;
      });
      if (!s.ok()) return s;
      auto tokens_of = [&](uint32_t d) {
        return filled[d] ? std::span<const AlignToken>(arena.data() + at[d], at[d + 1] - at[d])
                         : std::span<const AlignToken>();
      };
      // Each text's distinct word 5-grams, which the verbatim test divides
      // by, counted the first time a pair needs them (a sort of the whole
      // text: per pair it was a quarter of the partial stage where texts
      // sit in dozens of candidate pairs). 0: not yet; else count + 1. Two
      // workers may both count a text, and store the same value.
      std::vector<std::atomic<uint32_t>> word_grams(n);
      auto word_grams_of = [&](uint32_t d) -> size_t {
        uint32_t v = word_grams[d].load(std::memory_order_relaxed);
        if (v == 0) {
          v = static_cast<uint32_t>(DistinctWordGrams(tokens_of(d))) + 1;
          word_grams[d].store(v, std::memory_order_relaxed);
        }
        return v - 1;
      };
      AlignOptions ao;
      ao.shingle = options.shingle_size;
      AlignOptions near_ao = ao;
      near_ao.min_own_anchors = 1;  // a verified near-copy: passages only locate it
      // Aligns a pair; false when a partial candidate turns out not to be
      // reuse (it is then dropped).
      auto align = [&](VerifiedPair& p) -> bool {
        std::span<const AlignToken> a = tokens_of(p.a), b = tokens_of(p.b);
        // A pair compared on all its shingles (mostly common phrases: an
        // earnings table) is aligned on all of them too.
        const bool all = MostlyCommon(corpus.view(p.a)) || MostlyCommon(corpus.view(p.b));
        const bool partial_pair = p.relation == PairRelation::kPartial;
        p.passages = Align(a, b, partial_pair ? ao : near_ao, /*boilerplate=*/!all);
        if (!partial_pair) {
          p.cover = Cover(p.passages, a.size(), b.size());
          return true;
        }
        // A passage of a template with other figures is not reuse.
        if (!ReusedFiguresAgree(a, b, options.number_veto_min, &p.passages)) return false;
        return IsPartialReuse(a, b, p.passages, options.partial, &p.cover,
                              [&] { return std::pair{word_grams_of(p.a), word_grams_of(p.b)}; });
      };
      // Near pairs that share nothing but the ends of their texts
      // (shared_edges.h), noted while each pair's tokens are in cache, and
      // those whose shared text carries other figures (a template: they
      // are no near pair).
      std::vector<uint8_t> near_edge_only(near.size(), 0);
      std::vector<uint8_t> near_figures_agree(near.size(), 1);
      if (options.passages) {
        // 1: figures agree; 0: the shared text carries other figures (a
        // template, dropped); 2: only the texts taken whole do (a re-send
        // cut short or extended: tested as partial reuse instead).
        ParallelFor(near.size(), threads, 64, [&](size_t b, size_t e, int) {
          for (size_t i = b; i < e; ++i) {
            align(near[i]);
            const std::span<const AlignToken> ta = tokens_of(near[i].a), tb = tokens_of(near[i].b);
            near_edge_only[i] = detail::OnlySharedEdges(near[i], ta, tb);
            near_figures_agree[i] = SharedFiguresDiffer(ta, tb, near[i].passages)     ? 0
                                    : TextFiguresDiffer(ta, tb, near[i].passages) ? 2
                                                                                  : 1;
          }
        });
        const size_t before = near.size();
        size_t moved = 0;
        for (size_t i = 0; i < near.size(); ++i) {
          if (near_figures_agree[i] != 2) continue;
          near_figures_agree[i] = 0;
          ++moved;
          if (!want_partial) continue;
          VerifiedPair p = std::move(near[i]);
          p.relation = PairRelation::kPartial;
          p.near_by_words = !near_edge_only[i];
          p.passages.clear();
          partial.push_back(std::move(p));
        }
        KeepMarked(&near, near_figures_agree);
        KeepMarked(&edges, near_figures_agree);
        KeepMarked(&near_edge_only, near_figures_agree);
        report.near_figures_partial += moved;
        report.vetoed_by_numbers += before - near.size() - moved;
      }
      std::vector<uint8_t> reuse(partial.size(), 0);
      ParallelFor(partial.size(), threads, 64, [&](size_t b, size_t e, int) {
        for (size_t i = b; i < e; ++i) reuse[i] = align(partial[i]);
      });
      // Footers too rare to be common phrases (shared_edges.h).
      if (!options.keep_boilerplate) {
        const detail::SharedEdges footers =
            detail::DropSharedEdges(n, group, tokens_of, options.partial, near, near_edge_only, &partial, &reuse);
        report.edge_boilerplate_docs = footers.docs;
        report.edge_boilerplate_near = footers.near_pairs;
        report.edge_boilerplate_partial = footers.partial_pairs;
        KeepMarked(&near, footers.near_kept);
        KeepMarked(&edges, footers.near_kept);
        edge_spans = std::move(footers.spans);
      }
      KeepMarked(&partial, reuse);
      for (VerifiedPair& p : partial) p.score = std::max(p.cover.a_share, p.cover.b_share);
      NamePartialSources(corpus, tokens_of, threads, &partial);
      clock.Done("partial+passages");
    }
    if (!(options.find & kFindNear)) {
      near.clear();
      edges.clear();
    }
    for (VerifiedPair& p : partial) near.push_back(std::move(p));
  }

  // 8. clusters and representatives
  std::vector<uint32_t> center, rep, source;
  std::vector<uint32_t> copies(n, 0);  // members of the copy cluster d represents
  auto cluster = [&] {
    NearRule drift = rule;
    drift.threshold = rule.threshold / 2;
    center = StarClusters(group, edges, [&](uint32_t c, uint32_t x) {
      return IsNear(Compare(corpus.view(c), corpus.view(x), drift), drift);
    });
    rep = ChooseRepresentatives(center, options.keep, [&](uint32_t d) {
      return KeepKey{corpus.has_date[d] != 0, corpus.date_ms[d], corpus.length[d], corpus.id(d)};
    });
    for (uint32_t d = 0; d < n; ++d) ++copies[rep[d]];
    for (uint32_t d = 0; d < n; ++d) {
      if (rep[d] != d || copies[d] < 2) continue;
      ++report.clusters;
      report.docs_in_clusters += copies[d];
      report.largest_cluster = std::max<uint64_t>(report.largest_cluster, copies[d]);
    }
    clock.Done("cluster");
    // Source of every copy cluster (sources.h).
    source = ClusterSources(corpus, group, center, rep, near);
  };
  // 10. write (pairs and clusters side by side, each formatting its lines
  // and waiting for its own fsync). Without stories and rewrites nothing
  // after this point changes the pairs, so pairs.jsonl is written while the
  // clusters are made: they were the only step left for the second worker.
  const bool want_story = (options.find & kFindStory) != 0;
  const bool want_rewrite = (options.find & kFindRewrite) != 0;
  StoryResult stories;
  const fs::path dir(options.out_dir);
  Status written_files[2];
  auto write = [&](bool pairs) {
    written_files[pairs ? 0 : 1] =
        pairs ? WritePairs((dir / "pairs.jsonl").string(), corpus, group, near, (options.find & kFindExact) != 0, &report)
              : WriteClusters((dir / "clusters.jsonl").string(), corpus, rep, source, want_story ? &stories.story : nullptr);
  };
  const bool pairs_final = !want_story && !want_rewrite;
  if (pairs_final) {
    ParallelFor(2, threads, 1, [&](size_t b, size_t e, int) {
      for (size_t i = b; i < e; ++i) {
        if (i == 0) {
          write(/*pairs=*/true);
        } else {
          cluster();
          write(/*pairs=*/false);
        }
      }
    });
  } else {
    cluster();
  }

  // 9. stories: same event in other words; copy clusters nest inside
  std::vector<StoryDoc> sd;
  if (want_story || want_rewrite) {
    // Boilerplate out of the story terms: a footer that a hundred unrelated
    // reports carry must not make them one story, any more than it makes
    // them copies. A run of common shingles is boilerplate unless the
    // document's own copy cluster is large enough to have made it common
    // (a wire story reprinted more than common_df times); so is a footer
    // too rare to be common, found by its place (shared_edges.h).
    std::vector<uint32_t> kept(n);
    ParallelFor(n, threads, 256, [&](size_t b, size_t e, int) {
      for (size_t d = b; d < e; ++d) {
        std::span<uint64_t> terms = corpus.story_terms.mutable_list(d);
        kept[d] = static_cast<uint32_t>(terms.size());
        if (copies[rep[d]] > static_cast<uint32_t>(options.common_df)) continue;
        const auto [from, to] = std::equal_range(
            edge_spans.begin(), edge_spans.end(), std::make_pair(static_cast<uint32_t>(d), TokenRange{}),
            [](const auto& x, const auto& y) { return x.first < y.first; });
        std::vector<TokenRange> footer;
        for (auto it = from; it != to; ++it) footer.push_back(it->second);
        kept[d] = static_cast<uint32_t>(StripBoilerplateTerms(
            corpus.story_positions[d], options.shingle_size, corpus.story_token_terms[d],
            corpus.shingles[d].subspan(corpus.distinct[d]), terms, corpus.story_counts.mutable_list(d), footer));
      }
    });
    corpus.story_positions = {};
    corpus.story_token_terms = {};
    sd.resize(n);
    for (uint32_t d = 0; d < n; ++d)
      sd[d] = StoryDoc{corpus.story_terms[d].first(kept[d]), corpus.story_counts[d].first(kept[d]),
                       corpus.has_date[d] != 0, corpus.date_ms[d]};
    StoryOptions so = options.story;
    so.rewrites = want_rewrite;
    stories = StoryClusters(sd, center, so, threads);
    // Rewrites: pairs with no direct evidence of copying. A pair of exact
    // copies, or one reported as near or partial (through its exact-copy
    // leaders, which LSH compared), keeps that stronger relation. A pair in
    // one copy cluster only through a chain of other copies is listed: the
    // chain says they belong together, the rewrite record is what the two
    // texts share directly (a student's light revision of a source that
    // another answer copied word for word). Their score ranks them below
    // copies (a near pair scores its Jaccard, at least the threshold; a
    // partial pair its passage share, at least min_share): the vocabulary
    // share times the lower of the two.
    if (want_rewrite) {
      const double scale = std::min(options.threshold, options.partial.min_share);
      std::unordered_set<uint64_t> related;
      auto key = [](uint32_t x, uint32_t y) { return uint64_t{std::min(x, y)} << 32 | std::max(x, y); };
      for (const VerifiedPair& p : near) related.insert(key(p.a, p.b));
      for (const RewritePair& rp : stories.rewrites) {
        if (group[rp.a] == group[rp.b] || related.count(key(group[rp.a], group[rp.b]))) continue;
        VerifiedPair p{rp.a, rp.b, Compare(corpus.view(rp.a), corpus.view(rp.b), rule), PairRelation::kRewrite, rp.share * scale,
                       {}, {}, UINT32_MAX};
        near.push_back(std::move(p));
      }
    }
    clock.Done("story");
  }

  // 10. write (continued)
  if (!pairs_final)
    ParallelFor(2, threads, 1, [&](size_t b, size_t e, int) {
      for (size_t i = b; i < e; ++i) write(/*pairs=*/i == 0);
    });
  for (const Status& w : written_files)
    if (!w.ok()) return w;
  std::vector<std::string> written = {"pairs.jsonl", "clusters.jsonl", "summary.json"};
  if (want_story) {
    s = WriteStories((dir / "stories.jsonl").string(), corpus, stories, rep, NameTerms(options, files, corpus, sd, stories, threads),
                     &report);
    if (!s.ok()) return s;
    written.push_back("stories.jsonl");
  }
  if (!options.dedup_out.empty()) {
    s = WriteDedup(options.dedup_out, files, corpus, rep, options.chunk_bytes, &report);
    if (!s.ok()) return s;
  }
  clock.Done("write");
  report.seconds = clock.Total();
  s = detail::WriteSummary((dir / "summary.json").string(), options, report);
  if (!s.ok()) return s;
  s = MarkOutputDir(options.out_dir, written);
  if (!s.ok()) return s;
  return report;
}

}  // namespace doppel
