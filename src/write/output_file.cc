#include <fmt/compile.h>
#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "doppel/write.h"

namespace doppel {
namespace fs = std::filesystem;

OutputFile::~OutputFile() = default;

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Plain file under a temporary name; subclasses compress before writing.
class TempFile : public OutputFile {
 public:
  TempFile(std::string path, std::string tmp, FILE* f) : path_(std::move(path)), tmp_(std::move(tmp)), f_(f) {}
  ~TempFile() override {
    if (f_) std::fclose(f_);
    if (!committed_) std::remove(tmp_.c_str());
  }
  Status Write(std::string_view bytes) override { return Raw(bytes); }
  Status Commit() override {
    Status s = Finish();
    if (!s.ok()) return s;
    return Close();
  }

 protected:
  virtual Status Finish() { return Status::OK(); }
  Status Raw(std::string_view bytes) {
    if (bytes.empty()) return Status::OK();
    if (std::fwrite(bytes.data(), 1, bytes.size(), f_) != bytes.size())
      return Status::IOError(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
    return Status::OK();
  }
  Status Close() {
    if (std::fflush(f_) != 0 || fsync(fileno(f_)) != 0) {
      return Status::IOError(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
    }
    std::fclose(f_);
    f_ = nullptr;
    if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
      return Status::IOError(fmt::format("{}: cannot rename into place: {}", path_, std::strerror(errno)));
    committed_ = true;
    return Status::OK();
  }
  std::string path_, tmp_;
  FILE* f_;
  bool committed_ = false;
};

class GzipFile : public TempFile {
 public:
  using TempFile::TempFile;
  ~GzipFile() override { deflateEnd(&zs_); }
  Status Init() {
    std::memset(&zs_, 0, sizeof zs_);
    if (deflateInit2(&zs_, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      return Status::IOError(path_ + ": cannot start gzip");
    return Status::OK();
  }
  Status Write(std::string_view bytes) override { return Pump(bytes, Z_NO_FLUSH); }

 protected:
  Status Finish() override { return Pump({}, Z_FINISH); }
  Status Pump(std::string_view in, int flush) {
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs_.avail_in = static_cast<uInt>(in.size());
    char buf[1 << 16];
    int rc;
    do {
      zs_.next_out = reinterpret_cast<Bytef*>(buf);
      zs_.avail_out = sizeof buf;
      rc = deflate(&zs_, flush);
      Status s = Raw(std::string_view(buf, sizeof buf - zs_.avail_out));
      if (!s.ok()) return s;
    } while (zs_.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    return Status::OK();
  }
  z_stream zs_;
};

class ZstdFile : public TempFile {
 public:
  using TempFile::TempFile;
  ~ZstdFile() override { ZSTD_freeCStream(cs_); }
  Status Init() {
    cs_ = ZSTD_createCStream();
    ZSTD_initCStream(cs_, 3);
    return Status::OK();
  }
  Status Write(std::string_view bytes) override { return Pump(bytes, ZSTD_e_continue); }

 protected:
  Status Finish() override { return Pump({}, ZSTD_e_end); }
  Status Pump(std::string_view bytes, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
    char buf[1 << 16];
    for (;;) {
      ZSTD_outBuffer out{buf, sizeof buf, 0};
      size_t left = ZSTD_compressStream2(cs_, &out, &in, mode);
      if (ZSTD_isError(left)) return Status::IOError(fmt::format("{}: zstd: {}", path_, ZSTD_getErrorName(left)));
      Status s = Raw(std::string_view(buf, out.pos));
      if (!s.ok()) return s;
      if (mode == ZSTD_e_end ? left == 0 : in.pos == in.size) break;
    }
    return Status::OK();
  }
  ZSTD_CStream* cs_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<OutputFile>> OutputFile::Create(const std::string& path) {
  fs::path p(path);
  std::string tmp = (p.parent_path() / ("." + p.filename().string() + fmt::format(".tmp-{}", getpid()))).string();
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::IOError(fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
  if (EndsWith(path, ".gz")) {
    auto g = std::make_unique<GzipFile>(path, tmp, f);
    Status s = g->Init();
    if (!s.ok()) return s;
    return std::unique_ptr<OutputFile>(std::move(g));
  }
  if (EndsWith(path, ".zst")) {
    auto z = std::make_unique<ZstdFile>(path, tmp, f);
    Status s = z->Init();
    if (!s.ok()) return s;
    return std::unique_ptr<OutputFile>(std::move(z));
  }
  return std::unique_ptr<OutputFile>(std::make_unique<TempFile>(path, tmp, f));
}

namespace {
constexpr const char* kMarker = ".doppel";

std::set<std::string> ReadMarker(const fs::path& dir) {
  std::set<std::string> names;
  std::ifstream in(dir / kMarker);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') names.insert(line);
  return names;
}
}  // namespace

Status PrepareOutputDir(const std::string& dir, bool force) {
  std::error_code ec;
  fs::path d(dir);
  if (!fs::exists(d, ec)) {
    if (!fs::create_directories(d, ec))
      return Status::IOError(fmt::format("{}: cannot create output folder: {}", dir, ec.message()));
    return Status::OK();
  }
  if (!fs::is_directory(d, ec)) return Status::Refused(fmt::format("{}: exists and is not a folder", dir));
  if (force) return Status::OK();
  std::set<std::string> ours = ReadMarker(d);
  for (const auto& entry : fs::directory_iterator(d, ec)) {
    std::string name = entry.path().filename().string();
    if (name == kMarker || ours.count(name)) continue;
    return Status::Refused(fmt::format(
        "{}: folder holds '{}', which doppel did not write; choose another --out or pass --force", dir, name));
  }
  return Status::OK();
}

Status MarkOutputDir(const std::string& dir, const std::vector<std::string>& names) {
  std::set<std::string> all = ReadMarker(dir);
  all.insert(names.begin(), names.end());
  Result<std::unique_ptr<OutputFile>> f = OutputFile::Create((fs::path(dir) / kMarker).string());
  if (!f.ok()) return f.status();
  std::string body = "# files written by doppel; it may replace these\n";
  for (const std::string& n : all) body += n + "\n";
  Status s = f.value()->Write(body);
  if (!s.ok()) return s;
  return f.value()->Commit();
}

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20) out->append(fmt::format("\\u{:04x}", c));
        else out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

void AppendScore(double v, std::string* out) {
  fmt::memory_buffer buf;  // on the stack for any score
  fmt::format_to(std::back_inserter(buf), FMT_COMPILE("{:.6f}"), v);  // compiled: no format string parsed per score
  size_t n = buf.size();
  while (n > 1 && buf[n - 1] == '0') --n;
  if (buf[n - 1] == '.') --n;
  out->append(buf.data(), n);
}

std::string FormatScore(double v) {
  std::string s;
  AppendScore(v, &s);
  return s;
}

}  // namespace doppel
