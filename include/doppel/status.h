// doppel/status.h — the one error type of the library.
//
// Thread safety: a Status is a value; distinct objects may be used from
// distinct threads, a shared one only for const access.
//
// The library never prints, never aborts and never throws across its API:
// every fallible call returns a Status (or a Result<T>), and the CLI turns it
// into a message and an exit code. Success carries no message and allocates
// nothing.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace doppel {

class [[nodiscard]] Status {
 public:
  enum class Code { kOk = 0, kInvalidArgument, kNotFound, kIOError, kCorruption, kRefused };

  Status() = default;  // OK
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  // Input that cannot be read to its end (a cut .gz, a broken .zst frame).
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  // An action doppel will not take because it could lose user data.
  static Status Refused(std::string msg) { return Status(Code::kRefused, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return msg_; }
  std::string ToString() const;

 private:
  Status(Code c, std::string m) : code_(c), msg_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string msg_;
};

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}    // NOLINT: REQUIRES: !status.ok()
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace doppel
