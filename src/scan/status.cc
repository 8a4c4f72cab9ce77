#include "doppel/status.h"

namespace doppel {

std::string Status::ToString() const {
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kInvalidArgument: return "invalid argument: " + msg_;
    case Code::kNotFound: return "not found: " + msg_;
    case Code::kIOError: return "I/O error: " + msg_;
    case Code::kCorruption: return "corrupt input: " + msg_;
    case Code::kRefused: return "refused: " + msg_;
  }
  return msg_;
}

}  // namespace doppel
