// Comparing output with golden text: numbers within a tolerance, everything else exactly; and
// the unified diff shown for a mismatch.
#pragma once

#include <string>

namespace ag {

struct Tolerance {
  double rtol = 1e-5;
  double atol = 1e-8;
};

/// True when the texts match: the same text outside numbers, and each number of `actual`
/// within atol + rtol * |expected| of its counterpart (nan matches nan, inf matches inf).
bool golden_match(const std::string& actual, const std::string& expected, const Tolerance& tolerance);

/// A unified diff (---/+++ headers, @@ hunks with 3 lines of context) from expected to actual.
std::string unified_diff(const std::string& expected, const std::string& actual, const std::string& expected_label,
                         const std::string& actual_label);

/// The text with the directory part of every path to `file_name` removed
/// ("specs/errors/a.yaml:3:5:" and "/abs/a.yaml:3:5:" both become "a.yaml:3:5:"), so that an expected
/// error text matches however the spec was named on the command line.
std::string without_directories_of(const std::string& text, const std::string& file_name);

/// Line endings normalised to LF.
std::string normalize_newlines(const std::string& text);

}  // namespace ag
