// End-to-end quality on committed real data: a planted corpus made from BBC
// and Reuters articles (tests/data/planted, truth included) and the seed
// articles. The figures are those of the scan issue's acceptance.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "doppel/eval.h"
#include "doppel/write.h"
#include "test_util.h"

namespace doppel {
namespace {

using test::DataPath;
using test::ReadJsonl;
using test::RunDoppel;
using test::TempDir;

double Field(const std::string& json, const std::string& key) {
  size_t p = json.find("\"" + key + "\": ");
  EXPECT_NE(p, std::string::npos) << key << " missing in " << json;
  if (p == std::string::npos) return -1;
  return std::stod(json.substr(p + key.size() + 4));
}

double KindRecall(const std::string& json, const std::string& kind) {
  size_t p = json.find("\"" + kind + "\": \"");
  EXPECT_NE(p, std::string::npos);
  size_t eq = json.find("= ", p);
  return std::stod(json.substr(eq + 2));
}

class PlantedCorpus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto r = RunDoppel("scan " + DataPath("planted/corpus.jsonl") + " --out " + (*dir_ / "r") + " -q");
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  static void TearDownTestSuite() { delete dir_; }
  static TempDir* dir_;
};
TempDir* PlantedCorpus::dir_ = nullptr;

TEST_F(PlantedCorpus, CopyClustersMeetTheAcceptanceFigures) {
  EvalOptions o;
  o.truth_pairs = DataPath("planted/truth.pairs.jsonl");
  o.truth_clusters = DataPath("planted/truth.clusters.jsonl");
  o.clusters = *dir_ / "r/clusters.jsonl";
  o.ignore = "partial";
  auto res = RunEval(o);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  const std::string& j = res.value();
  EXPECT_GE(Field(j, "precision"), 0.99) << j;
  EXPECT_GE(Field(j, "recall"), 0.95) << j;
  EXPECT_GE(KindRecall(j, "near-heavy"), 0.85) << j;
  EXPECT_GE(Field(j, "ari"), 0.95) << j;
}

TEST_F(PlantedCorpus, EveryWrittenPairIsEvidence) {
  EvalOptions o;
  o.truth_pairs = DataPath("planted/truth.pairs.jsonl");
  o.pairs = *dir_ / "r/pairs.jsonl";
  o.relations = "exact,near";
  o.ignore = "partial";
  auto res = RunEval(o);
  ASSERT_TRUE(res.ok());
  EXPECT_GE(Field(res.value(), "precision"), 0.99) << res.value();
}

// d0000117, a heavy reprint of d0000116, shares no LSH band with its
// cluster at the default seed; the partial stage's sampled shingles find
// the pairs, and as they verify near they are near copies (joining the
// cluster), not partial reuse.
TEST_F(PlantedCorpus, ANearCopyFoundByThePartialStageIsNear) {
  std::map<std::string, std::string> cluster;
  for (auto& row : ReadJsonl(*dir_ / "r/clusters.jsonl")) cluster[row["id"]] = row["cluster"];
  EXPECT_EQ(cluster["d0000117"], cluster["d0000116"]);
  bool seen = false;
  for (auto& row : ReadJsonl(*dir_ / "r/pairs.jsonl"))
    if (row["a"] == "d0000117" && row["b"] == "d0000116") {
      seen = true;
      EXPECT_EQ(row["relation"], "near");
    }
  EXPECT_TRUE(seen);
}

// Without dates, the source of a copy cluster is its member closest to the
// others, then the one its passages cover most: the planted original (the
// truth's cluster id) for most clusters that hold it. Light copies differ
// from their original by a few words only, so some clusters of two cannot
// be told apart.
TEST_F(PlantedCorpus, TheOriginalIsNamedSourceOfMostClusters) {
  std::map<std::string, std::string> truth;
  for (auto& row : ReadJsonl(DataPath("planted/truth.clusters.jsonl"))) truth[row["id"]] = row["cluster"];
  std::map<std::string, std::vector<std::string>> members;
  std::map<std::string, std::string> source;
  for (auto& row : ReadJsonl(*dir_ / "r/clusters.jsonl")) {
    members[row["cluster"]].push_back(row["id"]);
    source[row["cluster"]] = row["source"];
  }
  int with_original = 0, named = 0;
  for (auto& [c, m] : members) {
    if (m.size() < 2) continue;
    std::map<std::string, int> votes;
    for (auto& id : m) ++votes[truth[id]];
    auto top = std::max_element(votes.begin(), votes.end(), [](auto& x, auto& y) { return x.second < y.second; });
    if (std::find(m.begin(), m.end(), top->first) == m.end()) continue;
    ++with_original;
    named += source[c] == top->first;
  }
  ASSERT_GT(with_original, 100);
  EXPECT_GE(static_cast<double>(named) / with_original, 0.75) << named << " of " << with_original;
}

// A partial pair names as source the text the passage belongs to: in the
// truth, `a` is the article the passage was taken from, `b` the unrelated
// article it was inserted into.
TEST_F(PlantedCorpus, PartialPairsNameTheTextThePassageWasTakenFrom) {
  std::map<std::pair<std::string, std::string>, std::string> taken_from;
  for (auto& row : ReadJsonl(DataPath("planted/truth.pairs.jsonl")))
    if (row["kind"] == "partial") taken_from[std::minmax(row["a"], row["b"])] = row["a"];
  int found = 0, named = 0;
  for (auto& row : ReadJsonl(*dir_ / "r/pairs.jsonl")) {
    auto it = taken_from.find(std::minmax(row["a"], row["b"]));
    if (row["relation"] != "partial" || it == taken_from.end()) continue;
    ++found;
    named += row["source"] == it->second;
  }
  ASSERT_GT(found, 30);
  EXPECT_GE(static_cast<double>(named) / found, 0.95) << named << " of " << found;
}

TEST_F(PlantedCorpus, PartialReuseIsFoundWithItsPassages) {
  EvalOptions o;
  o.truth_pairs = DataPath("planted/truth.pairs.jsonl");
  o.pairs = *dir_ / "r/pairs.jsonl";
  auto res = RunEval(o);
  ASSERT_TRUE(res.ok());
  EXPECT_GE(KindRecall(res.value(), "partial"), 0.90) << res.value();
  // Over all pairs and relations: a background paragraph two wire stories
  // retell in their own words is not partial reuse (1 false pair of 797;
  // 7 of 809, 0.991, before passages had to be quoted word for word).
  EXPECT_GE(Field(res.value(), "precision"), 0.995) << res.value();
  // Passages: the planted spans must be covered, and what is reported must lie inside them.
  auto ints = test::IntegersIn;
  auto rows = ReadJsonl(*dir_ / "r/pairs.jsonl");
  std::map<std::pair<std::string, std::string>, const std::map<std::string, std::string>*> by_pair;
  for (auto& r : rows) by_pair[{r["a"], r["b"]}] = &r;
  double cov = 0, prec = 0;
  int n = 0, np = 0;
  for (auto& t : ReadJsonl(DataPath("planted/truth.pairs.jsonl"))) {
    if (t["kind"] != "partial") continue;
    ++n;
    bool same = by_pair.count({t["a"], t["b"]}) != 0;
    if (!same && !by_pair.count({t["b"], t["a"]})) continue;
    const auto& r = same ? *by_pair[{t["a"], t["b"]}] : *by_pair[{t["b"], t["a"]}];
    if (!r.count("passages")) continue;
    std::vector<int64_t> span = ints(t.at("a_span")), ps = ints(r.at("passages"));
    int64_t covered = 0, total = 0;
    for (size_t k = 0; k + 3 < ps.size(); k += 4) {
      int64_t x0 = same ? ps[k] : ps[k + 2], x1 = same ? ps[k + 1] : ps[k + 3];
      covered += std::max<int64_t>(0, std::min(x1, span[1]) - std::max(x0, span[0]));
      total += x1 - x0;
    }
    cov += static_cast<double>(covered) / (span[1] - span[0]);
    if (total) {
      prec += static_cast<double>(covered) / total;
      ++np;
    }
  }
  ASSERT_GT(n, 0);
  EXPECT_GE(cov / n, 0.85);
  ASSERT_GT(np, 0);
  EXPECT_GE(prec / np, 0.9);
}

// Every near and partial pair says where its shared text lies.
TEST_F(PlantedCorpus, EveryNearAndPartialPairCarriesPassages) {
  int near = 0, partial = 0;
  for (auto& row : ReadJsonl(*dir_ / "r/pairs.jsonl")) {
    if (row["relation"] != "near" && row["relation"] != "partial") continue;
    (row["relation"] == "near" ? near : partial)++;
    EXPECT_GE(test::IntegersIn(row["passages"]).size(), 4u) << row["a"] << " " << row["b"] << " " << row["relation"];
  }
  EXPECT_GT(near, 500);
  EXPECT_GT(partial, 30);
}

TEST_F(PlantedCorpus, OneLinePerDocumentAndRepresentativesAreMembers) {
  auto clusters = ReadJsonl(*dir_ / "r/clusters.jsonl");
  auto corpus = ReadJsonl(DataPath("planted/corpus.jsonl"));
  ASSERT_EQ(clusters.size(), corpus.size());
  std::map<std::string, std::string> cl;
  for (auto& row : clusters) cl[row["id"]] = row["cluster"];
  for (auto& row : clusters) {
    EXPECT_EQ(cl[row["cluster"]], row["cluster"]) << "representative " << row["cluster"] << " not in its cluster";
    EXPECT_EQ(row["representative"] == "true", row["id"] == row["cluster"]);
  }
}

TEST_F(PlantedCorpus, PairsCarryVerifiedSimilarities) {
  for (auto& row : ReadJsonl(*dir_ / "r/pairs.jsonl")) {
    double j = std::stod(row["jaccard"]), c = std::stod(row["containment"]);
    EXPECT_LE(j, c + 1e-9);
    EXPECT_TRUE(row["relation"] == "exact" || row["relation"] == "near" || row["relation"] == "partial");
    if (row["relation"] != "partial") {
      EXPECT_GE(j, 0.2 - 1e-9) << row["a"] << " " << row["b"];
    }
    if (row["relation"] != "exact") {
      EXPECT_TRUE(row.count("passages")) << row["a"] << " " << row["b"];
    }
    EXPECT_NE(row["a"], row["b"]);
  }
}

TEST(Seeds, ReprintPairIsNearAndRewriteStaysApart) {
  TempDir t;
  auto r = RunDoppel("scan " + DataPath("seeds.jsonl") + " --out " + (t / "r") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto pairs = ReadJsonl(t / "r/pairs.jsonl");
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0]["a"], "000_402cad66fb1d51d7");
  EXPECT_EQ(pairs[0]["b"], "001_eb0935f08012fcf1");
  EXPECT_EQ(pairs[0]["relation"], "near");
  std::map<std::string, std::string> cl, story;
  for (auto& row : ReadJsonl(t / "r/clusters.jsonl")) {
    cl[row["id"]] = row["cluster"];
    story[row["id"]] = row["story"];
  }
  EXPECT_EQ(cl["000_402cad66fb1d51d7"], cl["001_eb0935f08012fcf1"]);
  EXPECT_NE(cl["004_ce294b24d36e3fa3"], cl["000_402cad66fb1d51d7"]);
  // The rewrite tells the same story in other words: one story of three.
  EXPECT_EQ(story["000_402cad66fb1d51d7"], story["001_eb0935f08012fcf1"]);
  EXPECT_EQ(story["004_ce294b24d36e3fa3"], story["000_402cad66fb1d51d7"]);
  // Without dates the wire copy (001), which the reprint's passages cover
  // almost entirely, is the source; the reprint adds a headline and captions.
  for (auto& row : ReadJsonl(t / "r/clusters.jsonl"))
    if (row["id"] != "004_ce294b24d36e3fa3") {
      EXPECT_EQ(row["source"], "001_eb0935f08012fcf1");
    }
  // The passages cover at least 60% of 001's text (code points).
  std::string text001;
  for (auto& row : ReadJsonl(DataPath("seeds.jsonl")))
    if (row["id"] == "001_eb0935f08012fcf1") text001 = row["text"];
  size_t cps = 0;
  for (unsigned char ch : text001) cps += (ch & 0xC0) != 0x80;
  int64_t covered = 0;
  std::vector<int64_t> v = test::IntegersIn(pairs[0]["passages"]);
  for (size_t k = 0; k + 3 < v.size(); k += 4) covered += v[k + 3] - v[k + 2];  // b = 001
  EXPECT_GE(static_cast<double>(covered) / cps, 0.6);
}

TEST(Determinism, SameBytesForAnyThreadCount) {
  TempDir t;
  std::string in = DataPath("planted/corpus.jsonl");
  ASSERT_EQ(RunDoppel("scan " + in + " --out " + (t / "a") + " -q --threads 1").exit_code, 0);
  ASSERT_EQ(RunDoppel("scan " + in + " --out " + (t / "b") + " -q --threads 3").exit_code, 0);
  ASSERT_EQ(RunDoppel("scan " + in + " --out " + (t / "c") + " -q --threads 2").exit_code, 0);
  EXPECT_EQ(test::ReadFile(t / "a/pairs.jsonl"), test::ReadFile(t / "b/pairs.jsonl"));
  EXPECT_EQ(test::ReadFile(t / "a/clusters.jsonl"), test::ReadFile(t / "b/clusters.jsonl"));
  EXPECT_EQ(test::ReadFile(t / "a/pairs.jsonl"), test::ReadFile(t / "c/pairs.jsonl"));
  EXPECT_EQ(test::ReadFile(t / "a/clusters.jsonl"), test::ReadFile(t / "c/clusters.jsonl"));
  EXPECT_EQ(test::ReadFile(t / "a/stories.jsonl"), test::ReadFile(t / "b/stories.jsonl"));
  EXPECT_EQ(test::ReadFile(t / "a/stories.jsonl"), test::ReadFile(t / "c/stories.jsonl"));
  EXPECT_FALSE(test::ReadFile(t / "a/pairs.jsonl").empty());
  EXPECT_FALSE(test::ReadFile(t / "a/stories.jsonl").empty());
}

}  // namespace
}  // namespace doppel

namespace doppel {
namespace {

TEST(Stories, DefaultScanNestsCopiesInStoriesOfBoundedSize) {
  test::TempDir t;
  auto r = test::RunDoppel("scan " + test::DataPath("planted/corpus.jsonl") + " --out " + (t / "r") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::map<std::string, std::string> story, copy;
  for (auto& row : test::ReadJsonl(t / "r/clusters.jsonl")) {
    ASSERT_TRUE(row.count("story")) << row["id"];
    story[row["id"]] = row["story"];
    copy[row["id"]] = row["cluster"];
  }
  for (auto& [id, c] : copy) EXPECT_EQ(story[id], story[c]) << "copy cluster " << c << " split across stories";
  size_t near = 0, same = 0;
  for (auto& p : test::ReadJsonl(test::DataPath("planted/truth.pairs.jsonl"))) {
    if (p["kind"].rfind("near", 0) != 0) continue;
    ++near;
    same += story[p["a"]] == story[p["b"]];
  }
  EXPECT_GE(static_cast<double>(same) / near, 0.99);
  auto stories = test::ReadJsonl(t / "r/stories.jsonl");
  EXPECT_FALSE(stories.empty());
  for (auto& s : stories) {
    EXPECT_GE(std::stoi(s["size"]), 2);
    // At most 1% of the 20k acceptance corpus (measured: 0.24%); this
    // 2,000-document sample holds proportionally more templated earnings
    // reports, which share all their words but the company's name (32 of
    // them form its largest story).
    EXPECT_LE(std::stoi(s["size"]), static_cast<int>(copy.size() * 2 / 100)) << "a story holds over 2% of the corpus";
  }
}

// The fixture's hard negatives: unrelated reports that end in the same
// agency-style paragraph (a last line of 80+ characters found in five or
// more documents). The footer's words are rare and repeated, so without
// boilerplate taken out of story terms four stories formed around footers
// (28 documents: the Glazer bid, the Matif, a Chad report, ...).
TEST(Stories, SharedFooterDoesNotMakeAStory) {
  test::TempDir t;
  auto r = test::RunDoppel("scan " + test::DataPath("planted/corpus.jsonl") + " --out " + (t / "r") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::map<std::string, std::string> last;  // id -> last line of its text
  std::map<std::string, int> carriers;      // last line -> documents ending in it
  for (auto& row : test::ReadJsonl(test::DataPath("planted/corpus.jsonl"))) {
    const std::string& text = row["text"];
    const size_t nl = text.rfind('\n');
    if (nl == std::string::npos) continue;
    last[row["id"]] = text.substr(nl + 1);
    ++carriers[last[row["id"]]];
  }
  auto is_footer = [&](const std::string& line) { return carriers[line] >= 5 && line.size() > 80; };
  int footers = 0;
  for (auto& [line, c] : carriers) footers += is_footer(line);
  ASSERT_GE(footers, 3) << "the fixture lost its hard negatives";
  for (auto& s : test::ReadJsonl(t / "r/stories.jsonl")) {
    std::map<std::string, int> in_story;
    for (const std::string& id : test::StringsIn(s["members"])) {
      auto it = last.find(id);
      if (it != last.end() && is_footer(it->second)) ++in_story[it->second];
    }
    for (auto& [line, c] : in_story) EXPECT_LT(c, 3) << "story " << s["story"] << " gathers " << c << " carriers of: " << line;
  }
}

}  // namespace
}  // namespace doppel

namespace doppel {
namespace {

TEST(Boilerplate, SharedFooterAloneMakesNoPairAndIsReported) {
  test::TempDir t;
  const std::string footer =
      "This article is distributed by the Example Wire Service under licence and may not be reproduced, "
      "copied or broadcast without the written permission of the copyright holder in any country.";
  const char* topics[] = {"harvest", "election", "football", "bridge", "hospital", "museum", "airline", "school",
                          "festival", "factory", "river", "satellite", "bakery", "orchestra", "railway", "mine",
                          "vaccine", "library", "harbour", "stadium", "forest", "tunnel", "theatre", "market"};
  std::string body;
  int n = 0;
  for (const char* topic : topics) {
    std::string text = std::string("Story number ") + std::to_string(n) + " is about the " + topic +
                       " and nothing else: the " + topic + " opened, the " + topic +
                       " closed, reporters from many outlets asked about the " + topic + " again. " + footer;
    body += "{\"id\":\"s" + std::to_string(n++) + "\",\"text\":\"" + text + "\"}\n";
  }
  test::WriteFile(t / "in.jsonl", body);
  auto r = RunDoppel("scan " + (t / "in.jsonl") + " --out " + (t / "r") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(test::ReadFile(t / "r/pairs.jsonl"), "");
  std::string summary = test::ReadFile(t / "r/summary.json");
  size_t at = summary.find("{\"docs\": 24, \"text\": ");
  ASSERT_NE(at, std::string::npos) << summary;
  EXPECT_NE(summary.find("This article is distributed by the Example Wire Service", at), std::string::npos) << summary;
  // --keep-boilerplate counts the footer as shared text again. (No figure
  // sits near it: a passage through a figure that differs is a template.)
  auto k = RunDoppel("scan " + (t / "in.jsonl") + " --out " + (t / "k") + " -q --keep-boilerplate");
  ASSERT_EQ(k.exit_code, 0) << k.output;
  EXPECT_NE(test::ReadFile(t / "k/pairs.jsonl"), "");
}

// Templated reports whose figures change inside the text both share are
// not copies, even where the slot rule of verify.h lets them pass (two
// Reuters reports each: another week's money-supply headline, whose label
// "M-1" agrees; another market's hog report). A reprint with a dated header
// and a mistyped figure ("15,9000") is still a near-copy. Without passages
// the two templates come back: it is this check that keeps them apart.
TEST(Templates, FiguresChangedInsideTheSharedTextAreNoCopy) {
  test::TempDir t;
  const std::string story =
      "The mill, which has an annual capacity of some 282,000 tons of newsprint and 159,000 tons of "
      "linerboard, is scheduled to resume production on Monday after the strike that began on March 3, "
      "the company said.";
  std::string reprint = "Updated 12 March 2019 - Jane Doe reports. " + story;
  reprint.replace(reprint.find("159,000"), 7, "15,9000");
  const std::pair<const char*, std::string> docs[] = {
      {"m1-week1", "CANADIAN MONEY SUPPLY M-1 FALLS 1.16 BILLION DLRS IN WEEK, BANK OF CANADA SAID"},
      {"m1-week2", "CANADIAN MONEY SUPPLY M-1 FALLS 291 MLN DLRS IN WEEK, BANK OF CANADA SAID"},
      {"hogs-st-louis",
       "ST LOUIS HOGS SEEN STEADY/UP 0.50 DLR - PRIVATE\\nHog\\nprices are expected to range from steady to 0.50 "
       "dlr higher on\\nestimated receipts of 3,000 head, private sources said. Top\\nseen at 50.00 to 50.50 dlrs "
       "per cwt.\\n Reuter"},
      {"hogs-sioux-falls",
       "SIOUX FALLS HOGS SEEN UP 0.50 DLR - PRIVATE\\nHog prices\\nare expected 0.50 dlr higher on estimated "
       "receipts of 3,000\\nhead, private sources said. Top seen at 51.00 dlrs per cwt.\\n Reuter"},
      {"mill", story},
      {"mill-reprint", reprint}};
  std::string body;
  for (const auto& [id, text] : docs) body += std::string("{\"id\":\"") + id + "\",\"text\":\"" + text + "\"}\n";
  test::WriteFile(t / "in.jsonl", body);
  auto pairs_in = [&](const std::string& out) {
    std::set<std::pair<std::string, std::string>> found;
    for (auto& row : ReadJsonl(t / (out + "/pairs.jsonl"))) {
      EXPECT_EQ(row["relation"], "near");
      found.insert(std::minmax(row["a"], row["b"]));
    }
    return found;
  };
  auto r = RunDoppel("scan " + (t / "in.jsonl") + " --out " + (t / "r") + " -q --find exact,near");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(pairs_in("r"), (std::set<std::pair<std::string, std::string>>{{"mill", "mill-reprint"}}));
  EXPECT_GE(Field(test::ReadFile(t / "r/summary.json"), "vetoed_by_numbers"), 2);
  auto n = RunDoppel("scan " + (t / "in.jsonl") + " --out " + (t / "n") + " -q --find exact,near --no-passages");
  ASSERT_EQ(n.exit_code, 0) << n.output;
  const auto without = pairs_in("n");
  EXPECT_TRUE(without.count({"m1-week1", "m1-week2"})) << "the slot rule alone now rejects it: pick another pair";
  EXPECT_TRUE(without.count({"hogs-sioux-falls", "hogs-st-louis"})) << "the slot rule alone now rejects it: pick another pair";
}

// A re-send cut to its first paragraph shares the story's words but few of
// its figures: partial reuse of the story, not a near-copy of it. A reprint
// that adds a dated header is a near-copy. Without passages (no alignment,
// so no figure test of the texts taken whole) the re-send is near again, so
// the rule is what keeps it apart.
TEST(ReSends, ACutShortReSendIsPartialReuseNotANearCopy) {
  test::TempDir t;
  const std::string reprint = "Updated 12 March 2019 - Jane Doe reports\n" + test::kTenderStory;
  std::string body;
  for (auto [id, text] : {std::pair<std::string, std::string>{"story", test::kTenderStory},
                          {"flash", test::kTenderFlash}, {"reprint", reprint}}) {
    for (size_t at = 0; (at = text.find('\n', at)) != std::string::npos;) text.replace(at, 1, "\\n");  // JSON
    body += "{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}\n";
  }
  test::WriteFile(t / "in.jsonl", body);
  // out/pairs.jsonl -> relation of each pair, keyed "a b" with a < b.
  auto relations = [&](const std::string& out) {
    std::map<std::string, std::string> found;
    for (auto& row : ReadJsonl(t / (out + "/pairs.jsonl"))) {
      const auto [a, b] = std::minmax(row["a"], row["b"]);
      found[a + " " + b] = row["relation"];
    }
    return found;
  };
  auto r = RunDoppel("scan " + (t / "in.jsonl") + " --out " + (t / "r") + " -q --find exact,near,partial");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto with = relations("r");
  EXPECT_EQ(with["reprint story"], "near");
  EXPECT_EQ(with["flash story"], "partial");
  EXPECT_GE(Field(test::ReadFile(t / "r/summary.json"), "near_by_words_not_figures"), 1);
  auto n = RunDoppel("scan " + (t / "in.jsonl") + " --out " + (t / "n") + " -q --find exact,near,partial --no-passages");
  ASSERT_EQ(n.exit_code, 0) << n.output;
  EXPECT_EQ(relations("n")["flash story"], "near") << "the words alone no longer make them near: pick other texts";
}

// Footers too rare to be common phrases: unrelated texts of the planted
// fixture end with the opening words of another text (left out), fewer
// than --common-df of them. Five long texts share a 60-word footer: every
// two of them share it, but at the very end of both, as three or more
// unrelated texts do: boilerplate, not partial reuse. Five short reports
// without figures share a 24-word one, up to half of each, which made some
// of them near-copies. Before the shared-edge rule every two carriers were
// reported, as partial reuse or near pairs, and two short ones told one
// story. The planted partial pairs,
// whose passages sit anywhere in their hosts, are still found, and
// --keep-boilerplate reports the footer pairs again.
TEST(Boilerplate, RareFooterEndingUnrelatedTextsIsNoEvidence) {
  test::TempDir t;
  std::set<std::string> paired;
  size_t truth_partial = 0;
  for (auto& row : ReadJsonl(DataPath("planted/truth.pairs.jsonl"))) {
    paired.insert(row["a"]);
    paired.insert(row["b"]);
    truth_partial += row["kind"] == "partial";
  }
  auto rows = ReadJsonl(DataPath("planted/corpus.jsonl"));
  auto first_words = [](const std::string& text, int n) {
    size_t end = 0;
    for (int word = 0; word < n && end != std::string::npos; ++word) end = text.find(' ', end + 1);
    return text.substr(0, end);
  };
  struct Footer {
    size_t words, min_size, max_size;  // of the footer; of the texts that carry it
    bool figures;                      // carriers may hold digits
    std::string text;
    std::set<std::string> carriers;
  } footers[] = {{60, 1500, 1u << 20, true, "", {}}, {24, 150, 400, false, "", {}}};
  std::set<std::string> left_out;
  for (auto& row : rows) {  // each footer is the opening of an unpaired long text
    if (left_out.size() == std::size(footers)) break;
    if (paired.count(row["id"]) || row["text"].size() < 1500) continue;
    footers[left_out.size()].text = first_words(row["text"], static_cast<int>(footers[left_out.size()].words));
    left_out.insert(row["id"]);
  }
  std::string body;
  for (auto& row : rows) {
    if (left_out.count(row["id"])) continue;
    std::string text = row["text"];
    for (Footer& f : footers) {
      if (paired.count(row["id"]) || text.size() < f.min_size || text.size() > f.max_size || f.carriers.size() == 5 ||
          (!f.figures && text.find_first_of("0123456789") != std::string::npos))
        continue;
      f.carriers.insert(row["id"]);
      text += "\n" + f.text;
      break;
    }
    body += "{\"id\":";
    AppendJsonString(row["id"], &body);
    body += ",\"text\":";
    AppendJsonString(text, &body);
    body += "}\n";
  }
  for (const Footer& f : footers) ASSERT_EQ(f.carriers.size(), 5u);
  test::WriteFile(t / "in.jsonl", body);
  // Pairs of carriers of one footer, by relation.
  auto carrier_pairs = [&](const std::string& out) {
    std::map<std::string, size_t> n;
    for (auto& row : ReadJsonl(t / (out + "/pairs.jsonl")))
      for (const Footer& f : footers) n[row["relation"]] += f.carriers.count(row["a"]) && f.carriers.count(row["b"]);
    return n;
  };
  auto r = RunDoppel("scan " + (t / "in.jsonl") + " --out " + (t / "r") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto found = carrier_pairs("r");
  EXPECT_EQ(found["near"], 0u);
  EXPECT_EQ(found["partial"], 0u);
  EXPECT_GE(test::JsonNumber(t / "r/summary.json", "/boilerplate_edges/docs"), 10);
  EXPECT_GE(test::JsonNumber(t / "r/summary.json", "/boilerplate_edges/near_dropped"), 1);
  size_t partial = 0;
  for (auto& row : ReadJsonl(t / "r/pairs.jsonl")) partial += row["relation"] == "partial";
  EXPECT_GE(partial, truth_partial * 95 / 100);  // 59 of 60 at the start
  // Nor do their words make them one story (two short carriers were one).
  std::map<std::string, std::string> story;
  for (auto& row : ReadJsonl(t / "r/clusters.jsonl")) story[row["id"]] = row["story"];
  for (const Footer& f : footers) {
    std::map<std::string, int> carriers_in;
    for (const std::string& id : f.carriers) EXPECT_EQ(++carriers_in[story[id]], 1) << id << " joins a carrier's story";
  }
  auto k = RunDoppel("scan " + (t / "in.jsonl") + " --out " + (t / "k") + " -q --keep-boilerplate");
  ASSERT_EQ(k.exit_code, 0) << k.output;
  auto kept = carrier_pairs("k");
  EXPECT_GE(kept["near"], 1u);
  EXPECT_GE(kept["near"] + kept["partial"], 10u);
}

// Scripts written without spaces are shingled as character n-grams: an
// edited reprint of a Chinese news paragraph and of a Thai one are near
// pairs, with passages in code points of the original text; an unrelated
// Chinese report is paired with neither.
TEST(Scripts, NearCopiesInChineseAndThai) {
  test::TempDir t;
  const char* texts[][2] = {
      {"zh_wire",
       "北京时间昨天晚上，国家统计局发布了最新的经济数据。数据显示，今年第三季度国内生产总值同比增长百分之五点二，"
       "比上一季度加快零点三个百分点。专家认为，消费和投资的回升是经济增长的主要动力，但外部环境仍然存在不确定性。"},
      {"zh_reprint",
       "国家统计局昨晚发布最新经济数据。数据显示，今年第三季度国内生产总值同比增长百分之五点二，"
       "比上一季度加快零点三个百分点。分析人士认为，消费和投资的回升是经济增长的主要动力，不过外部环境仍存在不确定性。"},
      {"zh_other",
       "东京时间今天上午，日本气象厅发布台风预警。预计第十四号台风将于明天登陆九州地区，届时将有强风和暴雨，"
       "居民需要做好防范准备，交通部门已宣布部分航班取消。"},
      {"th_wire",
       "สำนักงานสถิติแห่งชาติเปิดเผยข้อมูลเศรษฐกิจล่าสุดเมื่อคืนนี้ "
       "ข้อมูลแสดงให้เห็นว่าผลิตภัณฑ์มวลรวมในประเทศไตรมาสที่สามเติบโตร้อยละห้าจุดสอง"},
      {"th_reprint",
       "สำนักงานสถิติแห่งชาติเปิดเผยข้อมูลเศรษฐกิจล่าสุดเมื่อวานนี้ "
       "ข้อมูลแสดงว่าผลิตภัณฑ์มวลรวมในประเทศไตรมาสที่สามเติบโตร้อยละห้าจุดสอง"}};
  std::string body;
  for (auto& [id, text] : texts) body += std::string("{\"id\":\"") + id + "\",\"text\":\"" + text + "\"}\n";
  test::WriteFile(t / "in.jsonl", body);
  auto r = RunDoppel("scan " + (t / "in.jsonl") + " --out " + (t / "r") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::map<std::string, std::string> text_of;
  for (auto& [id, text] : texts) text_of[id] = text;
  // text[from:to] in code points, as Python slices it.
  auto slice = [](const std::string& s, int64_t from, int64_t to) {
    std::vector<size_t> at;  // byte offset of each code point, and the end
    for (size_t i = 0; i < s.size(); ++i)
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) at.push_back(i);
    at.push_back(s.size());
    EXPECT_LT(to, static_cast<int64_t>(at.size()));
    return s.substr(at[from], at[std::min<size_t>(to, at.size() - 1)] - at[from]);
  };
  std::set<std::string> near;
  for (auto& row : ReadJsonl(t / "r/pairs.jsonl")) {
    EXPECT_EQ(row["relation"], "near") << row["a"] << " " << row["b"];
    near.insert(row["a"] + " " + row["b"]);
    // The first passage's two slices open with the same sentence.
    const std::vector<int64_t> o = test::IntegersIn(row["passages"]);
    ASSERT_GE(o.size(), 4u);
    const std::string a = slice(text_of[row["a"]], o[0], o[1]), b = slice(text_of[row["b"]], o[2], o[3]);
    ASSERT_GE(a.size(), 30u);
    EXPECT_EQ(a.substr(0, 30), b.substr(0, 30)) << a << " | " << b;
  }
  EXPECT_EQ(near, (std::set<std::string>{"zh_wire zh_reprint", "th_wire th_reprint"}));
}

// Two stories (seeds 001 and 004), each reprinted 200 times with a few
// words changed: two copy clusters of 200, and candidates bounded per
// document (each pairs with its bucket's first member and its most similar
// earlier documents) instead of every reprint with every other.
TEST(Reprints, ManyReprintsMakeOneClusterEachWithBoundedPairs) {
  test::TempDir t;
  std::vector<std::string> bases;
  for (auto& row : ReadJsonl(DataPath("seeds.jsonl")))
    if (row["id"].starts_with("001") || row["id"].starts_with("004")) bases.push_back(row["text"]);
  ASSERT_EQ(bases.size(), 2u);
  auto edit_word = [](int n) {  // letters only: a digit would make it a figure
    std::string w = "zq";
    for (int i = 0; i < 4; ++i, n /= 26) w += static_cast<char>('a' + n % 26);
    return w;
  };
  std::string body;
  for (size_t s = 0; s < bases.size(); ++s) {
    std::vector<std::string> words;
    for (size_t at = 0, next; at <= bases[s].size(); at = next + 1) {
      next = bases[s].find(' ', at);
      if (next == std::string::npos) next = bases[s].size();
      words.push_back(bases[s].substr(at, next - at));
    }
    for (int k = 0; k < 200; ++k) {
      std::string text;
      for (size_t i = 0; i < words.size(); ++i)
        text += (i ? " " : "") + ((i * 7 + k) % 33 ? words[i] : edit_word(k * 1000 + static_cast<int>(i)));
      body += "{\"id\":\"s" + std::to_string(s) + "r" + std::to_string(k) + "\",\"text\":";
      AppendJsonString(text, &body);
      body += "}\n";
    }
  }
  test::WriteFile(t / "in.jsonl", body);
  auto r = RunDoppel("scan " + (t / "in.jsonl") + " --out " + (t / "r") + " -q --find exact,near");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::map<std::string, std::set<char>> stories_of_cluster;
  std::map<std::string, int> size;
  for (auto& row : ReadJsonl(t / "r/clusters.jsonl")) {
    stories_of_cluster[row["cluster"]].insert(row["id"][1]);
    ++size[row["cluster"]];
  }
  ASSERT_EQ(size.size(), 2u);
  for (auto& [c, n] : size) EXPECT_EQ(n, 200) << c;
  for (auto& [c, s] : stories_of_cluster) EXPECT_EQ(s.size(), 1u) << c;
  // Pairing every reprint with every other finds ~35,000 pairs; at most 16
  // earlier partners per document allows 6,400.
  size_t near = ReadJsonl(t / "r/pairs.jsonl").size();
  EXPECT_GT(near, 400u);
  EXPECT_LE(near, 16u * 400u);
}

// Scans a committed corpus with `flags` and scores what it wrote with the
// project's scorer: `o` names the truth; the found files are filled in.
std::string ScanAndScore(const std::string& corpus, const std::string& flags, EvalOptions o) {
  TempDir t;
  auto r = RunDoppel("scan " + DataPath(corpus) + " " + flags + " --out " + (t / "r") + " -q");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  if (!o.truth_pairs.empty()) o.pairs = t / "r/pairs.jsonl";
  if (!o.truth_clusters.empty()) o.clusters = t / "r/clusters.jsonl";
  auto res = RunEval(o);
  EXPECT_TRUE(res.ok()) << res.status().ToString();
  return res.ok() ? res.value() : std::string();
}

// The three seed reports alone are a corpus too small for document
// frequencies to say much; the rewrite must still join the story with room to
// spare, not only at the default threshold (with IDF ln((N + 1) / df) it
// left at 0.123).
TEST(Seeds, RewriteJoinsTheStoryWellAboveTheDefaultLink) {
  TempDir t;
  auto r = RunDoppel("scan " + DataPath("seeds.jsonl") + " --out " + (t / "r") + " -q --story-link 0.16");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::map<std::string, std::string> story;
  for (auto& row : ReadJsonl(t / "r/clusters.jsonl")) story[row["id"]] = row["story"];
  EXPECT_EQ(story["004_ce294b24d36e3fa3"], story["000_402cad66fb1d51d7"]);
  EXPECT_EQ(story["001_eb0935f08012fcf1"], story["000_402cad66fb1d51d7"]);
}

// Same-story clusters of real headlines (tests/data/uci: the first 3,000
// rows of the UCI News Aggregator set with their story labels): retellings
// in other words group together with default story options.
TEST(Stories, HeadlinesOfOneStoryGroupTogether) {
  EvalOptions o;
  o.truth_clusters = DataPath("uci/truth.clusters.jsonl");
  o.cluster_key = "story";
  const std::string j = ScanAndScore("uci/corpus.jsonl", "--find story", o);
  EXPECT_GE(Field(j, "ari"), 0.75) << j;  // 0.82 at the end of the second session
}

// Graded, human-made reuse (tests/data/clough): answers copied from or
// revised from a Wikipedia source are reported with it, answers written
// independently are not. (Two answers labelled `cut` share no word 3-gram
// with the source they are labelled against, so 17 of 19 is all a copy
// detector can find. Revisions that keep too few runs of five words are not
// partial reuse by design — the same rule keeps retold wire paragraphs out
// — which costs four revised answers: docs/design.md, "Partial reuse".)
// The Clough corpus scanned with `flags`, scored on its labelled pairs.
std::string ScanClough(const std::string& flags) {
  EvalOptions o;
  o.truth_pairs = DataPath("clough/truth.pairs.jsonl");
  o.only_labelled = true;
  o.negative = "non";
  return ScanAndScore("clough/corpus.jsonl", flags, o);
}

TEST(Clough, CopiedAnswersAreFoundAndIndependentOnesAreNot) {
  const std::string j = ScanClough("");
  EXPECT_GE(KindRecall(j, "cut"), 0.89) << j;    // 17 of 19 (printed rounded)
  EXPECT_GE(KindRecall(j, "light"), 0.68) << j;  // 13 of 19
  EXPECT_EQ(KindRecall(j, "non"), 0.0) << j;
  EXPECT_GE(Field(j, "auc_pos_vs_negative"), 0.82) << j;
}

// Without the word-for-word rule (--partial-verbatim 0, for plagiarism with
// heavy revision) the reworded answers come back and independent ones stay out.
TEST(Clough, RevisedAnswersWithoutTheVerbatimRule) {
  const std::string j = ScanClough("--partial-verbatim 0");
  EXPECT_GE(KindRecall(j, "light"), 0.78) << j;  // 15 of 19
  EXPECT_GE(KindRecall(j, "heavy"), 0.52) << j;  // 10 of 19
  EXPECT_EQ(KindRecall(j, "non"), 0.0) << j;
  EXPECT_GE(Field(j, "auc_pos_vs_negative"), 0.86) << j;
}

// With rewrites on (--find ...,rewrite: same content in other words), the
// heavily revised answers are found too, ranked above independent answers
// on the same task: the AUC the issue asks of an indexed tool (>= 0.97;
// plain unigram containment over all pairs reaches 0.97). One independent
// answer shares 31 % of the source's informative words and is reported.
// One light revision (g1pA_taskc) is in its source's copy cluster only
// through another answer that copied both; its own rewrite record is what
// ties it to the source directly (it was missing while pairs in one copy
// cluster got no rewrite record: 18 of 19, AUC 0.973).
TEST(Clough, RewritesFindHeavyRevisions) {
  const std::string j = ScanClough("--find exact,near,partial,rewrite");
  EXPECT_GE(KindRecall(j, "heavy"), 0.99) << j;  // 19 of 19
  EXPECT_GE(KindRecall(j, "light"), 0.99) << j;  // 19 of 19
  EXPECT_LE(KindRecall(j, "non"), 0.03) << j;    // 1 of 38
  EXPECT_GE(Field(j, "auc_pos_vs_negative"), 0.98) << j;  // 0.982
}

}  // namespace
}  // namespace doppel
