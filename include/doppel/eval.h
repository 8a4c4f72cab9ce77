// doppel/eval.h — scoring found pairs and clusters against a truth, the
// figures users need without Python. Reads the formats of the project's
// measuring script score.py and agrees with it (tests/eval_agreement_test).
//
// Thread safety: RunEval is safe for concurrent use.
//
// Pairs: precision, recall, F1 over unordered pairs; recall per truth kind;
// AUC of the found "score" over labelled pairs. Clusters: adjusted Rand index,
// pairwise precision/recall/F1, NMI and B-cubed precision/recall/F1.
#pragma once

#include <string>
#include <vector>

#include "doppel/status.h"

namespace doppel {

struct EvalOptions {
  std::string truth;           // either kind below, told apart by its first record
  std::string truth_pairs;     // {"a","b","kind"} per line
  std::string truth_clusters;  // {"id","cluster"} per line
  std::string pairs;           // found pairs
  std::string clusters;        // found clusters
  std::string cluster_key = "cluster";
  std::string score_key = "score";
  std::string negative;        // comma list of kinds that are non-duplicates
  std::string ignore;          // comma list of kinds left out
  std::string relations;       // comma list; found pairs with another relation are dropped
  bool only_labelled = false;
};

// Cluster agreement of two labelings over the union of their ids (an id
// missing from one side is a singleton there).
struct ClusterScores {
  double ari = 0, pair_precision = 0, pair_recall = 0, pair_f1 = 0;
  double nmi = 0, bcubed_precision = 0, bcubed_recall = 0, bcubed_f1 = 0;
  size_t docs = 0;
};
ClusterScores ScoreClusters(const std::vector<std::pair<std::string, std::string>>& truth,
                            const std::vector<std::pair<std::string, std::string>>& found);

// Runs the scoring and returns the JSON object it prints.
Result<std::string> RunEval(const EvalOptions& options);

}  // namespace doppel
