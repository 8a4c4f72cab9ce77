// Internal: summary.json — counts, skipped inputs, parameters, timings.
#pragma once

#include <string>

#include "doppel/options.h"
#include "doppel/scan.h"

namespace doppel::detail {

std::string SummaryJson(const ScanOptions& options, const ScanReport& report);
Status WriteSummary(const std::string& path, const ScanOptions& options, const ScanReport& report);

}  // namespace doppel::detail
