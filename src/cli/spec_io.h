// Reading a spec from a file or standard input and running it to text, shared by run and check.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "spec/golden.h"

#include "diag/error.h"

namespace ag::cli {

/// The outcome of running one spec: what it printed on each stream and its exit status.
struct SpecOutcome {
  std::string out;
  std::string err;
  ExitCode code = ExitCode::kOk;
  std::vector<std::string> expect_failures;  ///< `expect` entries that did not hold
  Tolerance tolerance;                       ///< the spec's tolerance over the defaults
};

/// Reads the whole file ("-" is standard input); throws UserError(kUsage) naming the file.
std::string read_spec_file(const std::string& path);
/// Loads and runs a spec's text. Never throws: failures become the outcome's err and code,
/// and a failed spec's standard output is empty.
/// `override_tolerance` (from the command line) wins over the spec's own.
SpecOutcome run_spec_text(const std::string& text, const std::string& path,
                          std::optional<double> rtol = std::nullopt, std::optional<double> atol = std::nullopt);

}  // namespace ag::cli
