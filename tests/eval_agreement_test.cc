// `doppel eval` must agree with score.py: its figures on frozen inputs are
// compared with what score.py printed for the same files (tests/data/eval).
#include <gtest/gtest.h>

#include "doppel/eval.h"
#include <map>

#include "test_util.h"

namespace doppel {
namespace {

using test::DataPath;

// Flattens a JSON object into path -> value text (numbers as doubles).
void Flatten(simdjson::dom::element x, const std::string& path, std::map<std::string, std::string>* out) {
  if (x.type() == simdjson::dom::element_type::OBJECT) {
    simdjson::dom::object obj = x.get_object().value_unsafe();
    for (simdjson::dom::key_value_pair kv : obj) Flatten(kv.value, path + "/" + std::string(kv.key), out);
  } else if (x.type() == simdjson::dom::element_type::STRING) {
    (*out)[path] = std::string(x.get_string().value_unsafe());
  } else if (x.is_number()) {
    double d = x.type() == simdjson::dom::element_type::DOUBLE ? x.get_double().value_unsafe()
               : x.type() == simdjson::dom::element_type::INT64 ? static_cast<double>(x.get_int64().value_unsafe())
                                                                 : static_cast<double>(x.get_uint64().value_unsafe());
    (*out)[path] = std::to_string(d);
  }
}

// Every value score.py printed must appear with the same value.
void ExpectAgrees(const std::string& expected_file, const EvalOptions& o) {
  auto got = RunEval(o);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  simdjson::dom::parser pe, pg;
  simdjson::padded_string expected_text = simdjson::padded_string::load(DataPath(expected_file)).value();
  simdjson::padded_string got_text(got.value());
  std::map<std::string, std::string> want, have;
  Flatten(pe.parse(expected_text).value(), "", &want);
  Flatten(pg.parse(got_text).value(), "", &have);
  int compared = 0;
  for (const auto& [path, value] : want) {
    if (path.rfind("/passages", 0) == 0) continue;  // passage scoring belongs to the partial-reuse issue
    ASSERT_TRUE(have.count(path)) << "missing " << path << " in\n" << got.value();
    if (value.find('/') != std::string::npos || value.find_first_not_of("0123456789.-e") != std::string::npos) {
      EXPECT_EQ(have[path], value) << path;
    } else {
      EXPECT_NEAR(std::stod(have[path]), std::stod(value), 1e-4) << path;
    }
    ++compared;
  }
  EXPECT_GE(compared, 5);
}

TEST(EvalAgreesWithScorePy, Clusters) {
  EvalOptions o;
  o.truth_pairs = DataPath("planted/truth.pairs.jsonl");
  o.truth_clusters = DataPath("planted/truth.clusters.jsonl");
  o.clusters = DataPath("eval/found.clusters.jsonl");
  o.ignore = "partial";
  ExpectAgrees("eval/expected.clusters.json", o);
}

TEST(EvalAgreesWithScorePy, PairsWithRelations) {
  EvalOptions o;
  o.truth_pairs = DataPath("planted/truth.pairs.jsonl");
  o.pairs = DataPath("eval/found.pairs.jsonl");
  o.relations = "exact,near";
  o.ignore = "partial";
  ExpectAgrees("eval/expected.pairs.json", o);
}

TEST(EvalAgreesWithScorePy, AllPairsWithScores) {
  EvalOptions o;
  o.truth_pairs = DataPath("planted/truth.pairs.jsonl");
  o.pairs = DataPath("eval/found.pairs.jsonl");
  ExpectAgrees("eval/expected.pairs_all.json", o);
}

// --truth takes either kind of truth file and tells them apart by its first
// record, so `--truth T --clusters C` and `--truth T --pairs P` both work.
TEST(EvalTruth, EitherKindIsRecognised) {
  EvalOptions by_kind, told;
  by_kind.truth_clusters = told.truth = DataPath("planted/truth.clusters.jsonl");
  by_kind.clusters = told.clusters = DataPath("eval/found.clusters.jsonl");
  auto a = RunEval(by_kind), b = RunEval(told);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.value(), b.value());
  EXPECT_NE(b.value().find("\"ari\""), std::string::npos);
  told = EvalOptions{};
  told.truth = DataPath("planted/truth.pairs.jsonl");
  told.pairs = DataPath("eval/found.pairs.jsonl");
  auto c = RunEval(told);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(c.value().find("\"precision\""), std::string::npos);
  told.truth = DataPath("eval/found.clusters.jsonl");  // clusters, scored against found pairs: nothing to compare
  told.pairs.clear();
  told.clusters = DataPath("eval/found.clusters.jsonl");
  EXPECT_TRUE(RunEval(told).ok());
  told.truth = DataPath("eval/expected.clusters.json");  // neither kind
  EXPECT_FALSE(RunEval(told).ok());
}

TEST(ScoreClusters, HandExample) {
  // Truth {a,b,c}{d,e}; found {a,b}{c,d,e}: 2 of 4 true pairs kept, 2 of 4 found pairs right.
  std::vector<std::pair<std::string, std::string>> t = {{"a", "1"}, {"b", "1"}, {"c", "1"}, {"d", "2"}, {"e", "2"}};
  std::vector<std::pair<std::string, std::string>> f = {{"a", "x"}, {"b", "x"}, {"c", "y"}, {"d", "y"}, {"e", "y"}};
  ClusterScores s = ScoreClusters(t, f);
  EXPECT_NEAR(s.pair_precision, 0.5, 1e-12);
  EXPECT_NEAR(s.pair_recall, 0.5, 1e-12);
  // ARI: tp=2, expected = 4*4/10 = 1.6, max = 4 -> (2-1.6)/(4-1.6) = 1/6
  EXPECT_NEAR(s.ari, 1.0 / 6, 1e-12);
  ClusterScores same = ScoreClusters(t, t);
  EXPECT_NEAR(same.ari, 1.0, 1e-12);
  EXPECT_NEAR(same.nmi, 1.0, 1e-12);
  EXPECT_NEAR(same.bcubed_f1, 1.0, 1e-12);
}

}  // namespace
}  // namespace doppel
