// `doppel compare A B`: one pair explained, side by side or as JSON.
#pragma once

#include <string>
#include <vector>

#include "doppel/options.h"

namespace doppel::cli {

struct CompareFlags {
  std::string a, b;                // two files, or two ids with --in
  std::string in;                  // input to look ids up in ("" = A and B are files)
  bool json = false;
  int width = 0;                   // 0: terminal width (or 120)
  std::string color = "auto";      // auto, always, never
};

// Returns the process exit code.
int RunCompare(const CompareFlags& flags, const ScanOptions& options);

}  // namespace doppel::cli
