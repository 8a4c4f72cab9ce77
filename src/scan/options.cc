#include "doppel/options.h"

#include <fmt/format.h>

#include <sstream>

namespace doppel {

Status ScanOptions::Validate() const {
  if (inputs.empty()) return Status::InvalidArgument("no input given");
  if (out_dir.empty()) return Status::InvalidArgument("--out is required");
  if (!(threshold > 0.0 && threshold <= 1.0))
    return Status::InvalidArgument(fmt::format("--threshold ({}) must be in (0, 1]", threshold));
  if (!(partial.min_verbatim >= 0.0 && partial.min_verbatim <= 1.0))
    return Status::InvalidArgument(fmt::format("--partial-verbatim ({}) must be in [0, 1]", partial.min_verbatim));
  if (shingle_size < 1 || shingle_size > 16)
    return Status::InvalidArgument(fmt::format("--shingle ({}) must be 1..16", shingle_size));
  if (common_df < 2) return Status::InvalidArgument(fmt::format("--common-df ({}) must be >= 2", common_df));
  if (num_perm < 16 || num_perm > 1024 || (num_perm & (num_perm - 1)) != 0)
    return Status::InvalidArgument(fmt::format("--num-perm ({}) must be a power of two in 16..1024", num_perm));
  if (threads < 0) return Status::InvalidArgument(fmt::format("--threads ({}) must be >= 0", threads));
  if (text_field.empty()) return Status::InvalidArgument("--text-field must not be empty");
  if (find == 0) return Status::InvalidArgument("--find selects no relation");
  if (!(lsh_false_negative_weight > 0 && lsh_false_negative_weight < 1))
    return Status::InvalidArgument("lsh_false_negative_weight must be in (0, 1)");
  return Status::OK();
}

Result<uint32_t> ParseFindList(const std::string& list) {
  uint32_t flags = 0;
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item == "exact") flags |= kFindExact;
    else if (item == "near") flags |= kFindNear;
    else if (item == "story") flags |= kFindStory;
    else if (item == "partial") flags |= kFindPartial;
    else if (item == "rewrite") flags |= kFindRewrite;
    else if (item == "all") flags |= kFindAllImplemented;
    else if (item.empty()) continue;
    else
      return Status::InvalidArgument(
          fmt::format("--find: unknown relation '{}' (known: exact, near, partial, story, rewrite, all)", item));
  }
  if (!flags) return Status::InvalidArgument("--find selects no relation");
  return flags;
}

Result<double> ParseWindow(const std::string& text) {
  if (text.empty()) return Status::InvalidArgument("--story-window is empty");
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (...) {
    used = 0;
  }
  std::string unit = text.substr(used);
  double hours = unit == "h" || unit.empty() ? v : unit == "d" ? v * 24 : unit == "m" ? v / 60 : -1;
  if (used == 0 || hours < 0 || v < 0)
    return Status::InvalidArgument(fmt::format("--story-window: '{}' is not a duration like 72h, 3d, 90m or 0", text));
  return hours;
}

Result<KeepRule> ParseKeepRule(const std::string& name) {
  if (name == "earliest") return KeepRule::kEarliest;
  if (name == "longest") return KeepRule::kLongest;
  if (name == "first") return KeepRule::kFirst;
  return Status::InvalidArgument(fmt::format("--keep: '{}' is not one of earliest, longest, first", name));
}

}  // namespace doppel
