// Decompressing byte streams: plain, gzip (zlib) and zstd. A stream that ends
// inside a compressed frame is reported as corrupt: a cut download must not
// pass for a shorter corpus.
#include <fmt/format.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "doppel/read.h"

namespace doppel {
namespace {

class FileSource : public ByteSource {
 public:
  FileSource(FILE* f, std::string name, bool owned) : f_(f), name_(std::move(name)), owned_(owned) {}
  ~FileSource() override {
    if (owned_) std::fclose(f_);
  }
  Result<size_t> Read(char* buf, size_t n) override {
    size_t got = std::fread(buf, 1, n, f_);
    if (got < n && std::ferror(f_))
      return Status::IOError(fmt::format("{}: read failed: {}", name_, std::strerror(errno)));
    return got;
  }

 protected:
  FILE* f_;
  std::string name_;
  bool owned_;
};

class GzipSource : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> raw, std::string name) : raw_(std::move(raw)), name_(std::move(name)) {
    std::memset(&zs_, 0, sizeof zs_);
    inflateInit2(&zs_, 15 + 32);  // gzip or zlib header, concatenated members handled below
    in_.resize(1 << 18);
  }
  ~GzipSource() override { inflateEnd(&zs_); }
  Result<size_t> Read(char* buf, size_t n) override {
    zs_.next_out = reinterpret_cast<Bytef*>(buf);
    zs_.avail_out = static_cast<uInt>(n);
    while (zs_.avail_out == n) {
      if (zs_.avail_in == 0) {
        if (eof_) {
          if (in_member_) return Status::Corruption(fmt::format("{}: truncated gzip stream", name_));
          return size_t{0};
        }
        Result<size_t> got = raw_->Read(in_.data(), in_.size());
        if (!got.ok()) return got.status();
        if (got.value() == 0) {
          eof_ = true;
          continue;
        }
        zs_.next_in = reinterpret_cast<Bytef*>(in_.data());
        zs_.avail_in = static_cast<uInt>(got.value());
      }
      in_member_ = true;
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
        inflateReset(&zs_);  // a following gzip member, if any
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Status::Corruption(fmt::format("{}: corrupt gzip data ({})", name_, zs_.msg ? zs_.msg : "inflate"));
      }
    }
    return n - zs_.avail_out;
  }

 private:
  std::unique_ptr<ByteSource> raw_;
  std::string name_;
  z_stream zs_;
  std::vector<char> in_;
  bool eof_ = false;
  bool in_member_ = false;
};

class ZstdSource : public ByteSource {
 public:
  ZstdSource(std::unique_ptr<ByteSource> raw, std::string name)
      : raw_(std::move(raw)), name_(std::move(name)), ds_(ZSTD_createDStream()) {
    in_.resize(ZSTD_DStreamInSize());
  }
  ~ZstdSource() override { ZSTD_freeDStream(ds_); }
  Result<size_t> Read(char* buf, size_t n) override {
    ZSTD_outBuffer out{buf, n, 0};
    while (out.pos == 0) {
      if (pos_ == len_) {
        if (eof_) {
          if (last_hint_ != 0) return Status::Corruption(fmt::format("{}: truncated zstd stream", name_));
          return size_t{0};
        }
        Result<size_t> got = raw_->Read(in_.data(), in_.size());
        if (!got.ok()) return got.status();
        pos_ = 0;
        len_ = got.value();
        if (len_ == 0) {
          eof_ = true;
          continue;
        }
      }
      ZSTD_inBuffer in{in_.data(), len_, pos_};
      size_t hint = ZSTD_decompressStream(ds_, &out, &in);
      if (ZSTD_isError(hint))
        return Status::Corruption(fmt::format("{}: corrupt zstd data ({})", name_, ZSTD_getErrorName(hint)));
      last_hint_ = hint;
      pos_ = in.pos;
      if (out.pos == 0 && pos_ == len_ && eof_) break;
    }
    return out.pos;
  }

 private:
  std::unique_ptr<ByteSource> raw_;
  std::string name_;
  ZSTD_DStream* ds_;
  std::vector<char> in_;
  size_t pos_ = 0, len_ = 0, last_hint_ = 0;
  bool eof_ = false;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> OpenByteSource(const InputFile& file) {
  std::unique_ptr<ByteSource> raw;
  if (file.path == "-") {
    raw = std::make_unique<FileSource>(stdin, "-", false);
  } else {
    FILE* f = std::fopen(file.path.c_str(), "rb");
    if (!f) return Status::IOError(fmt::format("{}: cannot open: {}", file.display, std::strerror(errno)));
    raw = std::make_unique<FileSource>(f, file.display, true);
  }
  switch (file.compression) {
    case Compression::kNone: return raw;
    case Compression::kGzip: return std::unique_ptr<ByteSource>(new GzipSource(std::move(raw), file.display));
    case Compression::kZstd: return std::unique_ptr<ByteSource>(new ZstdSource(std::move(raw), file.display));
  }
  return raw;
}

}  // namespace doppel
