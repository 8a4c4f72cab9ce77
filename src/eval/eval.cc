// Scoring, written to match score.py line for line where both compute a
// figure (pair sets, ignore/negative kinds, AUC with tied ranks, ARI).
#include "doppel/eval.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "doppel/read.h"
#include "doppel/write.h"

namespace doppel {
namespace {

using Pair = std::pair<std::string, std::string>;

std::set<std::string> SplitList(const std::string& s) {
  std::set<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.insert(item);
  return out;
}

// A scalar JSON value as Python's str() would print it (strings bare).
bool Scalar(simdjson::dom::element e, std::string* out) {
  switch (e.type()) {
    case simdjson::dom::element_type::STRING: *out = std::string(e.get_string().value()); return true;
    case simdjson::dom::element_type::INT64: *out = std::to_string(e.get_int64().value()); return true;
    case simdjson::dom::element_type::UINT64: *out = std::to_string(e.get_uint64().value()); return true;
    case simdjson::dom::element_type::BOOL: *out = e.get_bool().value() ? "True" : "False"; return true;
    case simdjson::dom::element_type::DOUBLE: *out = fmt::format("{}", e.get_double().value()); return true;
    default: return false;
  }
}

Status ForEachLine(const std::string& path, const std::function<Status(simdjson::dom::object, size_t)>& fn) {
  std::ifstream in(path);
  if (!in) return Status::IOError(fmt::format("{}: cannot open", path));
  simdjson::dom::parser parser;
  std::string line;
  size_t no = 0;
  while (std::getline(in, line)) {
    ++no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    simdjson::dom::object obj;
    if (parser.parse(line).get(obj))
      return Status::InvalidArgument(fmt::format("{}:{}: not a JSON object", path, no));
    Status s = fn(obj, no);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Pair Ordered(std::string a, std::string b) {
  if (b < a) std::swap(a, b);
  return {std::move(a), std::move(b)};
}

Status PairOf(simdjson::dom::object o, const std::string& path, size_t no, Pair* out) {
  static const char* kNames[][2] = {{"a", "b"}, {"id1", "id2"}, {"doc_a", "doc_b"}};
  for (auto& n : kNames) {
    simdjson::dom::element x, y;
    if (!o[n[0]].get(x) && !o[n[1]].get(y)) {
      std::string a, b;
      if (Scalar(x, &a) && Scalar(y, &b)) {
        *out = Ordered(std::move(a), std::move(b));
        return Status::OK();
      }
    }
  }
  return Status::InvalidArgument(fmt::format("{}:{}: pair record without a/b ids", path, no));
}

Result<std::vector<Pair>> LoadClusters(const std::string& path, const std::string& key) {
  std::vector<Pair> out;
  Status s = ForEachLine(path, [&](simdjson::dom::object o, size_t no) -> Status {
    simdjson::dom::element id, c;
    if (o["id"].get(id)) return Status::InvalidArgument(fmt::format("{}:{}: no \"id\"", path, no));
    if (o[key].get(c) || c.is_null()) return Status::OK();
    std::string a, b;
    if (!Scalar(id, &a) || !Scalar(c, &b))
      return Status::InvalidArgument(fmt::format("{}:{}: id and {} must be scalars", path, no, key));
    out.emplace_back(std::move(a), std::move(b));
    return Status::OK();
  });
  if (!s.ok()) return s;
  return out;
}

double Comb2(double n) { return n * (n - 1) / 2; }

// Python's round(x, 4) printed by json.dumps, near enough for a report.
std::string R4(double v) {
  double r = std::nearbyint(v * 10000) / 10000;
  std::string s = fmt::format("{}", r);
  if (s.find('.') == std::string::npos && s.find('e') == std::string::npos) s += ".0";
  return s;
}

double Auc(std::vector<double> pos, std::vector<double> neg) {
  std::vector<std::pair<double, int>> all;
  for (double v : pos) all.emplace_back(v, 1);
  for (double v : neg) all.emplace_back(v, 0);
  std::sort(all.begin(), all.end());
  double rs = 0;
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j].first == all[i].first) ++j;
    double avg = (i + j + 1) / 2.0;
    for (size_t k = i; k < j; ++k) rs += avg * all[k].second;
    i = j;
  }
  double np = pos.size(), nn = neg.size();
  return (rs - np * (np + 1) / 2) / (np * nn);
}

// Whether a truth file lists pairs ({"a","b"}, as PairOf reads them) or
// cluster labels ({"id","cluster"}): its first record tells.
Result<bool> HoldsPairs(const std::string& path) {
  int kind = -1;  // 1 pairs, 0 clusters
  Status s = ForEachLine(path, [&](simdjson::dom::object obj, size_t no) -> Status {
    Pair p;
    simdjson::dom::element id, cluster;
    if (PairOf(obj, path, no, &p).ok()) {
      kind = 1;
    } else if (!obj["id"].get(id) && !obj["cluster"].get(cluster)) {
      kind = 0;
    } else {
      return Status::InvalidArgument(
          fmt::format("{}:{}: neither a pair (a, b) nor a cluster label (id, cluster)", path, no));
    }
    return StopReading();
  });
  if (kind < 0) return s.ok() ? Status::InvalidArgument(fmt::format("{}: no records", path)) : s;
  return kind == 1;
}

}  // namespace

ClusterScores ScoreClusters(const std::vector<Pair>& truth, const std::vector<Pair>& found) {
  std::unordered_map<std::string, std::string> t, f;
  for (const auto& [i, c] : truth) t[i] = "t:" + c;
  for (const auto& [i, c] : found) f[i] = "f:" + c;
  std::set<std::string> ids;
  for (const auto& [i, c] : t) ids.insert(i);
  for (const auto& [i, c] : f) ids.insert(i);
  std::map<std::string, double> st, sf;
  std::map<std::pair<std::string, std::string>, double> both;
  for (const std::string& i : ids) {
    std::string ti = t.count(i) ? t[i] : "ts:" + i, fi = f.count(i) ? f[i] : "fs:" + i;
    t[i] = ti;
    f[i] = fi;
    st[ti] += 1;
    sf[fi] += 1;
    both[{ti, fi}] += 1;
  }
  ClusterScores s;
  const double n = ids.size();
  s.docs = ids.size();
  double tp = 0, tpairs = 0, fpairs = 0;
  for (auto& [k, v] : both) tp += Comb2(v);
  for (auto& [k, v] : st) tpairs += Comb2(v);
  for (auto& [k, v] : sf) fpairs += Comb2(v);
  double all = Comb2(n);
  double exp = all ? tpairs * fpairs / all : 0, mx = (tpairs + fpairs) / 2;
  s.ari = mx != exp ? (tp - exp) / (mx - exp) : 1.0;
  s.pair_precision = fpairs ? tp / fpairs : 1.0;
  s.pair_recall = tpairs ? tp / tpairs : 1.0;
  s.pair_f1 = s.pair_precision + s.pair_recall ? 2 * s.pair_precision * s.pair_recall /
                                                     (s.pair_precision + s.pair_recall)
                                               : 0.0;
  // NMI (arithmetic-mean normalisation, as scikit-learn's default).
  double mi = 0, ht = 0, hf = 0;
  for (auto& [k, v] : both) mi += v / n * std::log(n * v / (st[k.first] * sf[k.second]));
  for (auto& [k, v] : st) ht -= v / n * std::log(v / n);
  for (auto& [k, v] : sf) hf -= v / n * std::log(v / n);
  s.nmi = (ht + hf) > 0 ? 2 * mi / (ht + hf) : 1.0;
  // B-cubed: per item, the share of its found cluster in its truth cluster and back.
  double bp = 0, br = 0;
  for (auto& [k, v] : both) {
    bp += v * v / sf[k.second];
    br += v * v / st[k.first];
  }
  s.bcubed_precision = n ? bp / n : 1;
  s.bcubed_recall = n ? br / n : 1;
  s.bcubed_f1 = s.bcubed_precision + s.bcubed_recall
                    ? 2 * s.bcubed_precision * s.bcubed_recall / (s.bcubed_precision + s.bcubed_recall)
                    : 0;
  return s;
}

static Result<std::string> RunEvalResolved(const EvalOptions& o) {
  const std::set<std::string> keep_rel = SplitList(o.relations), neg = SplitList(o.negative),
                              ign = SplitList(o.ignore);
  std::vector<std::string> fields;
  std::vector<Pair> found_clusters;
  bool have_clusters = !o.clusters.empty();
  if (have_clusters) {
    auto fc = LoadClusters(o.clusters, o.cluster_key);
    if (!fc.ok()) return fc.status();
    found_clusters = std::move(fc.value());
  }
  std::map<Pair, double> found;
  bool have_found = false;
  if (!o.pairs.empty()) {
    have_found = true;
    Status s = ForEachLine(o.pairs, [&](simdjson::dom::object obj, size_t no) -> Status {
      std::string_view rel;
      if (!keep_rel.empty() && !obj["relation"].get_string().get(rel) && !keep_rel.count(std::string(rel)))
        return Status::OK();
      Pair p;
      Status ps = PairOf(obj, o.pairs, no, &p);
      if (!ps.ok()) return ps;
      double score = 1.0;
      simdjson::dom::element sc;
      if (!obj[o.score_key].get(sc)) {
        if (sc.is_number()) score = sc.get_double().value();
      }
      auto it = found.find(p);
      found[p] = it == found.end() ? std::max(0.0, score) : std::max(it->second, score);
      return Status::OK();
    });
    if (!s.ok()) return s;
  } else if (have_clusters) {
    have_found = true;
    std::map<std::string, std::vector<std::string>> members;
    for (const auto& [i, c] : found_clusters) members[c].push_back(i);
    for (auto& [c, m] : members)
      for (size_t x = 0; x < m.size(); ++x)
        for (size_t y = x + 1; y < m.size(); ++y) found[Ordered(m[x], m[y])] = 1.0;
  }
  if (!o.truth_pairs.empty() && have_found) {
    std::map<Pair, std::string> kind;
    Status s = ForEachLine(o.truth_pairs, [&](simdjson::dom::object obj, size_t no) -> Status {
      Pair p;
      Status ps = PairOf(obj, o.truth_pairs, no, &p);
      if (!ps.ok()) return ps;
      std::string_view k = "dup";
      if (obj["kind"].get_string().get(k)) k = "dup";
      kind[p] = std::string(k);
      return Status::OK();
    });
    if (!s.ok()) return s;
    size_t pos = 0, counted = 0, tp = 0;
    for (auto& [p, k] : kind) pos += !neg.count(k) && !ign.count(k);
    for (auto& [p, score] : found) {
      auto it = kind.find(p);
      if (it != kind.end() && ign.count(it->second)) continue;
      if (it == kind.end() && o.only_labelled) continue;
      ++counted;
      tp += it != kind.end() && !neg.count(it->second);
    }
    double prec = counted ? double(tp) / counted : 1.0, rec = pos ? double(tp) / pos : 1.0;
    fields.push_back(fmt::format("\"precision\": {}", R4(prec)));
    fields.push_back(fmt::format("\"recall\": {}", R4(rec)));
    fields.push_back(fmt::format("\"f1\": {}", R4(prec + rec ? 2 * prec * rec / (prec + rec) : 0)));
    fields.push_back(fmt::format("\"found_pairs\": {}", found.size()));
    fields.push_back(fmt::format("\"truth_pairs\": {}", pos));
    fields.push_back(fmt::format("\"false_positives\": {}", counted - tp));
    std::map<std::string, std::pair<size_t, size_t>> by;
    for (auto& [p, k] : kind) {
      by[k].second++;
      by[k].first += found.count(p);
    }
    std::string kinds = "\"found_by_kind\": {";
    bool first = true;
    for (auto& [k, hn] : by) {
      kinds += fmt::format("{}\n  \"{}\": \"{}/{} = {:.3f}\"", first ? "" : ",", k, hn.first, hn.second,
                           double(hn.first) / hn.second);
      first = false;
    }
    fields.push_back(kinds + "\n }");
    bool scored = std::any_of(found.begin(), found.end(), [](auto& kv) { return kv.second != 1.0; });
    if (scored) {
      std::vector<double> ps, ns;
      for (auto& [p, k] : kind) {
        auto it = found.find(p);
        double v = it == found.end() ? 0.0 : it->second;
        if (neg.count(k)) ns.push_back(v);
        else if (!ign.count(k)) ps.push_back(v);
      }
      if (!ps.empty() && !ns.empty()) fields.push_back(fmt::format("\"auc_pos_vs_negative\": {}", R4(Auc(ps, ns))));
    }
  }
  if (!o.truth_clusters.empty() && have_clusters) {
    auto tc = LoadClusters(o.truth_clusters, "cluster");
    if (!tc.ok()) return tc.status();
    ClusterScores c = ScoreClusters(tc.value(), found_clusters);
    fields.push_back(fmt::format(
        "\"clusters\": {{\n  \"ari\": {},\n  \"pair_precision\": {},\n  \"pair_recall\": {},\n  \"pair_f1\": {},\n"
        "  \"nmi\": {},\n  \"bcubed_precision\": {},\n  \"bcubed_recall\": {},\n  \"bcubed_f1\": {},\n  \"docs\": {}\n }}",
        R4(c.ari), R4(c.pair_precision), R4(c.pair_recall), R4(c.pair_f1), R4(c.nmi), R4(c.bcubed_precision),
        R4(c.bcubed_recall), R4(c.bcubed_f1), c.docs));
  }
  if (fields.empty())
    return Status::InvalidArgument("give a truth and something found to score (e.g. --truth T --pairs P)");
  std::string out = "{\n";
  for (size_t i = 0; i < fields.size(); ++i) out += " " + fields[i] + (i + 1 < fields.size() ? ",\n" : "\n");
  return out + "}";
}

Result<std::string> RunEval(const EvalOptions& options) {
  EvalOptions o = options;
  if (!o.truth.empty()) {  // either kind: its first record tells
    Result<bool> pairs = HoldsPairs(o.truth);
    if (!pairs.ok()) return pairs.status();
    (pairs.value() ? o.truth_pairs : o.truth_clusters) = o.truth;
  }
  return RunEvalResolved(o);
}

}  // namespace doppel
