// How `check` shows its results: plain or coloured text, JSON lines, a JUnit XML report, and the
// byte form a worker process sends its report in.
#pragma once

#include <string>
#include <vector>

#include "cli/check_spec.h"

namespace ag::cli {

/// The text report of one spec: nothing for a pass, "UPDATED PATH" for an update, else
/// "FAIL PATH (description)" and the diff and messages. With `color`, ANSI colours: a red FAIL,
/// diff lines red (-), green (+) and cyan (@@), headers bold.
std::string text_report(const SpecReport& report, bool color);
/// "N passed, N failed" plus ", N skipped" and ", N updated" when non-zero.
std::string summary_line(int passed, int failed, int skipped, int updated);
/// One JSON object (no newline): {"path", "status", "description", "diff", "message", "seconds"}.
std::string json_report(const SpecReport& report);
/// A JUnit XML document with one testcase per spec (failures carry the diff and messages).
std::string junit_report(const std::vector<SpecReport>& reports, double seconds);

std::string serialize_report(const SpecReport& report);
SpecReport deserialize_report(const std::string& bytes);

}  // namespace ag::cli
