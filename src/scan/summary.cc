#include "scan/summary.h"

#include <fmt/format.h>

#include "doppel/write.h"

namespace doppel::detail {
namespace {

void AppendCounts(const std::map<std::string, uint64_t>& m, std::string* out) {
  *out += "{";
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) *out += ",";
    first = false;
    AppendJsonString(k, out);
    *out += fmt::format(":{}", v);
  }
  *out += "}";
}

const char* KeepName(KeepRule k) {
  switch (k) {
    case KeepRule::kEarliest: return "earliest";
    case KeepRule::kLongest: return "longest";
    case KeepRule::kFirst: return "first";
  }
  return "?";
}

}  // namespace

std::string SummaryJson(const ScanOptions& o, const ScanReport& r) {
  std::string j = "{\n";
  j += fmt::format("  \"doppel_version\": \"{}\",\n", Version());
  j += fmt::format("  \"docs\": {},\n  \"records\": {},\n  \"bytes\": {},\n  \"words\": {},\n", r.docs, r.records,
                   r.bytes, r.words);
  j += fmt::format("  \"empty_docs\": {},\n  \"short_docs\": {},\n", r.empty_docs, r.short_docs);
  j += "  \"skipped\": ";
  AppendCounts(r.skipped, &j);
  j += ",\n  \"repaired\": ";
  AppendCounts(r.repaired, &j);
  j += fmt::format(",\n  \"pairs\": {{\"exact\": {}, \"near\": {}, \"partial\": {}, \"rewrite\": {}}},\n",
                   r.exact_pairs, r.near_pairs, r.partial_pairs, r.rewrite_pairs);
  j += fmt::format("  \"partial_candidates\": {},\n", r.partial_candidates);
  j += fmt::format("  \"boilerplate_edges\": {{\"docs\": {}, \"near_dropped\": {}, \"partial_dropped\": {}}},\n",
                   r.edge_boilerplate_docs, r.edge_boilerplate_near, r.edge_boilerplate_partial);
  j += fmt::format("  \"candidates_verified\": {},\n  \"vetoed_by_numbers\": {},\n", r.candidates,
                   r.vetoed_by_numbers);
  j += fmt::format("  \"near_by_words_not_figures\": {},\n", r.near_figures_partial);
  j += fmt::format("  \"clusters\": {{\"with_copies\": {}, \"docs_in_them\": {}, \"largest\": {}, \"all\": {}}},\n",
                   r.clusters, r.docs_in_clusters, r.largest_cluster, r.docs - r.docs_in_clusters + r.clusters);
  j += fmt::format("  \"dedup_written\": {},\n", r.dedup_written);
  j += "  \"boilerplate\": [";
  for (size_t i = 0; i < r.boilerplate.size(); ++i) {
    j += i ? ",\n    {\"docs\": " : "\n    {\"docs\": ";
    j += fmt::format("{}, \"text\": ", r.boilerplate[i].docs);
    AppendJsonString(r.boilerplate[i].text, &j);
    j += "}";
  }
  j += r.boilerplate.empty() ? "],\n" : "\n  ],\n";
  if (o.find & kFindStory)
    j += fmt::format("  \"stories\": {{\"with_several_docs\": {}, \"docs_in_them\": {}, \"largest\": {}}},\n",
                     r.stories, r.docs_in_stories, r.largest_story);
  std::string find;
  if (o.find & kFindExact) find += "\"exact\"";
  if (o.find & kFindNear) find += std::string(find.empty() ? "" : ", ") + "\"near\"";
  if (o.find & kFindPartial) find += std::string(find.empty() ? "" : ", ") + "\"partial\"";
  if (o.find & kFindStory) find += std::string(find.empty() ? "" : ", ") + "\"story\"";
  if (o.find & kFindRewrite) find += std::string(find.empty() ? "" : ", ") + "\"rewrite\"";
  j += "  \"parameters\": {\n";
  j += fmt::format("    \"find\": [{}],\n    \"threshold\": {},\n    \"shingle\": {{\"unit\": \"word\", \"size\": {}}},\n",
                   find, o.threshold, o.shingle_size);
  j += fmt::format("    \"partial\": {{\"min_words\": {}, \"min_share\": {}, \"min_verbatim\": {}}},\n",
                   o.partial.min_words, o.partial.min_share, o.partial.min_verbatim);
  j += fmt::format("    \"common_df\": {},\n    \"common_shingles\": {},\n    \"number_veto_min\": {},\n",
                   o.common_df, r.common_shingles, o.number_veto_min);
  j += fmt::format("    \"sketch\": {{\"kind\": \"one-permutation minhash, optimal densification\", \"bins\": {}, \"seed\": {}}},\n",
                   o.num_perm, o.seed);
  j += fmt::format("    \"lsh\": {{\"bands\": {}, \"rows\": {}, \"candidate_probability\": {{", r.lsh.bands, r.lsh.rows);
  const double sims[] = {0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.8};
  for (size_t i = 0; i < std::size(sims); ++i)
    j += fmt::format("{}\"{}\": {:.4f}", i ? ", " : "", sims[i], CandidateProbability(sims[i], r.lsh));
  j += "}},\n";
  if (o.find & kFindStory)
    j += fmt::format("    \"story\": {{\"window_hours\": {}, \"neighbours\": {}, \"neighbour_min\": {}, \"link\": {}, "
                     "\"max_terms\": {}, \"boost\": {}, \"max_df_fraction\": {}, \"max_postings\": {}, "
                     "\"head_terms\": {}, \"prefilter\": {}, \"prior_words\": {}, \"plain_words\": {}, "
                     "\"max_links\": {}}},\n",
                     o.story.window_hours, o.story.neighbours, o.story.neighbour_min, o.story.link, o.story.max_terms,
                     o.story.boost, o.story.max_df_fraction, o.story.max_postings, o.story.head_terms,
                     o.story.prefilter, o.story.prior_words, o.story.plain_words, o.story.max_links);
  if (o.find & kFindRewrite) j += fmt::format("    \"rewrite_min\": {},\n", o.story.rewrite_min);
  j += fmt::format("    \"keep\": \"{}\",\n    \"text_field\": ", KeepName(o.keep));
  AppendJsonString(o.text_field, &j);
  j += ",\n    \"id_field\": ";
  AppendJsonString(o.id_field, &j);
  j += ",\n    \"date_field\": ";
  AppendJsonString(o.date_field, &j);
  j += "\n  },\n";
  j += fmt::format("  \"threads\": {},\n  \"seconds\": {{", r.threads);
  for (size_t i = 0; i < r.stages.size(); ++i)
    j += fmt::format("{}\"{}\": {:.3f}", i ? ", " : "", r.stages[i].stage, r.stages[i].seconds);
  j += fmt::format(", \"total\": {:.3f}}}\n}}\n", r.seconds);
  return j;
}

Status WriteSummary(const std::string& path, const ScanOptions& options, const ScanReport& report) {
  Result<std::unique_ptr<OutputFile>> f = OutputFile::Create(path);
  if (!f.ok()) return f.status();
  Status s = f.value()->Write(SummaryJson(options, report));
  if (!s.ok()) return s;
  return f.value()->Commit();
}

}  // namespace doppel::detail
