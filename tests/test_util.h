// Helpers for tests that run the doppel binary on real files.
#pragma once

#include <simdjson.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "doppel/normalize.h"

namespace doppel::test {

namespace fs = std::filesystem;

inline std::string DataPath(const std::string& rel) { return std::string(DOPPEL_TEST_DATA) + "/" + rel; }

// A fresh folder under the system temp dir, removed at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "doppel-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (fs::path(path_) / name).string(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const std::string& path, const std::string& body) {
  std::ofstream out(path, std::ios::binary);
  out << body;
}

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `doppel ARGS` through the shell (args are passed as written).
inline RunResult RunDoppel(const std::string& args, const std::string& stdin_file = "") {
  TempDir tmp;
  std::string out = tmp / "out.txt";
  std::string cmd = std::string(DOPPEL_BINARY) + " " + args + (stdin_file.empty() ? " </dev/null" : " <" + stdin_file) +
                    " >" + out + " 2>&1";
  int rc = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.output = ReadFile(out);
  return r;
}

// Every line of a JSONL file parsed as an object of string fields (numbers
// and booleans printed as JSON).
inline std::vector<std::map<std::string, std::string>> ReadJsonl(const std::string& path) {
  std::vector<std::map<std::string, std::string>> rows;
  std::ifstream in(path);
  std::string line;
  simdjson::dom::parser parser;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    simdjson::dom::object obj = parser.parse(line).get_object().value();
    std::map<std::string, std::string> row;
    for (auto [k, v] : obj) {
      std::string_view s;
      if (v.is_string()) row[std::string(k)] = std::string(v.get_string().value());
      else row[std::string(k)] = simdjson::to_string(v);
      (void)s;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// A number at a JSON pointer in a file (e.g. "/skipped/malformed_json").
inline double JsonNumber(const std::string& path, const std::string& pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(path).value();
  simdjson::dom::element v;
  if (doc.at_pointer(pointer).get(v)) return -1;
  if (v.is_int64()) return static_cast<double>(v.get_int64().value());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64().value());
  return v.get_double().value();
}

// A wire story with figures in each of its three paragraphs, and its first
// paragraph alone: a re-send cut short, near to the story by its words but
// not by its figures (the whole-text figure test of align.h, compare and
// scan tests).
inline const std::string kTenderFlash =
    "Sri Lanka's central bank offered 250 mln rupees worth of three-month treasury bills at its weekly "
    "tender closing on March 6, a bank spokesman said in Colombo on Tuesday.";
inline const std::string kTenderStory =
    kTenderFlash +
    "\nThe bank accepted bids totalling 180 mln rupees at an average yield of 11.25 pct, against 11.40 pct "
    "at the previous tender, the spokesman added.\nOutstanding bills rose to 4.2 billion rupees from 3.9 "
    "billion a week earlier.";

// Tokens of a text (normalise stage), for stage tests.
inline std::vector<Token> Tokens(std::string_view text) {
  std::vector<Token> t;
  Tokenize(text, &t);
  return t;
}

// Every non-negative integer in a JSON text, in order (e.g. the offsets of
// a "passages" array, which doppel writes as a_start, a_end, b_start, b_end).
inline std::vector<int64_t> IntegersIn(const std::string& json) {
  std::vector<int64_t> v;
  for (size_t i = 0; i < json.size();) {
    if (json[i] >= '0' && json[i] <= '9') {
      size_t used;
      v.push_back(std::stoll(json.substr(i), &used));
      i += used;
    } else {
      ++i;
    }
  }
  return v;
}

// The strings of a JSON array (e.g. a story's "members").
inline std::vector<std::string> StringsIn(const std::string& json) {
  std::vector<std::string> v;
  simdjson::dom::parser parser;
  simdjson::dom::array a;
  if (parser.parse(json).get(a)) return v;
  for (simdjson::dom::element e : a) v.emplace_back(std::string_view(e.get_string()));
  return v;
}

}  // namespace doppel::test
