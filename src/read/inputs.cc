// Input discovery: turns command-line arguments into an ordered file list.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "doppel/read.h"

namespace doppel {
namespace fs = std::filesystem;

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Classifies a file by its name; JSON lines unless it looks like plain text.
InputFile Classify(const std::string& path, const std::string& display) {
  InputFile f;
  f.path = path;
  f.display = display;
  std::string base = path;
  if (EndsWith(base, ".gz")) {
    f.compression = Compression::kGzip;
    base.resize(base.size() - 3);
  } else if (EndsWith(base, ".zst")) {
    f.compression = Compression::kZstd;
    base.resize(base.size() - 4);
  }
  bool json = EndsWith(base, ".jsonl") || EndsWith(base, ".json") || EndsWith(base, ".ndjson");
  f.kind = json ? InputKind::kJsonl : InputKind::kText;
  std::error_code ec;
  f.size = fs::file_size(path, ec);
  if (ec) f.size = 0;
  return f;
}

// Files inside a directory that doppel reads: JSONL and text; hidden files skipped.
bool WantedInDirectory(const fs::path& p) {
  std::string name = p.filename().string();
  if (name.empty() || name[0] == '.') return false;
  return true;
}

}  // namespace

Result<std::vector<InputFile>> ExpandInputs(const std::vector<std::string>& args) {
  std::vector<InputFile> out;
  for (const std::string& arg : args) {
    if (arg == "-") {
      InputFile f;
      f.path = "-";
      f.display = "-";
      out.push_back(f);
      continue;
    }
    std::error_code ec;
    fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) return Status::NotFound(fmt::format("{}: no such file or directory", arg));
    if (fs::is_directory(st)) {
      std::vector<fs::path> found;
      fs::recursive_directory_iterator it(arg, fs::directory_options::skip_permission_denied, ec), end;
      if (ec) return Status::IOError(fmt::format("{}: cannot list directory: {}", arg, ec.message()));
      for (; it != end; it.increment(ec)) {
        if (ec) return Status::IOError(fmt::format("{}: cannot list directory: {}", arg, ec.message()));
        const fs::path& p = it->path();
        if (it->is_directory() && !p.filename().string().empty() && p.filename().string()[0] == '.') {
          it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file() && WantedInDirectory(p)) found.push_back(p);
      }
      std::sort(found.begin(), found.end());
      for (const fs::path& p : found) {
        std::string rel = fs::relative(p, arg, ec).generic_string();
        if (ec) rel = p.generic_string();
        out.push_back(Classify(p.string(), rel));
      }
      continue;
    }
    if (!fs::is_regular_file(st) && !fs::is_fifo(st) && !fs::is_character_file(st))
      return Status::InvalidArgument(fmt::format("{}: not a regular file or directory", arg));
    out.push_back(Classify(arg, arg));
  }
  if (out.empty()) return Status::InvalidArgument("the inputs hold no files");
  return out;
}

}  // namespace doppel
