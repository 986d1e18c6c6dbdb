// Checking one spec against its golden file: run it, compare, and (with --update) rewrite the
// golden file when that is safe.
#pragma once

#include <optional>
#include <string>

namespace ag::cli {

enum class SpecStatus { kPassed, kFailed, kUpdated };

/// What `check` reports for one spec.
struct SpecReport {
  std::string path;
  SpecStatus status = SpecStatus::kFailed;
  std::string description;  ///< the spec's description (first line), when it loaded
  std::string diff;         ///< unified diff from the golden file to the actual text, if any
  std::string message;      ///< every other line of the report (errors, hints, expect failures)
  double seconds = 0;
};

struct CheckSpecSettings {
  bool update = false;
  std::optional<double> rtol;
  std::optional<double> atol;
};

/// Runs the spec at `path` and compares it with NAME.out (or NAME.err for a spec that must fail).
/// With `update`, a missing or changed golden file is rewritten atomically, but only when the
/// spec ran as its golden file says it should (it succeeded and its `expect` entries hold, or it
/// has NAME.err and failed); a golden file that cannot be read is never replaced.
SpecReport check_spec(const std::string& path, const CheckSpecSettings& settings);

/// Where the first byte that is not valid UTF-8 is ("line 3, column 7"), or empty for valid text.
std::string utf8_problem(const std::string& text);

}  // namespace ag::cli
