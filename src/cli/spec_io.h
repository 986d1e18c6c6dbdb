// Reading a spec from a file or standard input and running it to text, shared by run and check.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diag/error.h"
#include "spec/golden.h"

namespace ag::cli {

enum class OutputFormat { kText, kJson };

/// How to run one spec: what to print, where to save, which tolerance to check `expect` with.
struct SpecSettings {
  OutputFormat format = OutputFormat::kText;
  std::optional<double> rtol;            ///< from the command line; wins over the spec's own
  std::optional<double> atol;
  std::optional<std::string> save_directory;  ///< run --save: write each output tensor as .npy
  bool quiet = false;                    ///< drop TensorFlow's warnings (errors are kept)
  /// Nothing runs after this spec: its state is left for the process's exit to reclaim rather than
  /// freed (keep_until_exit in spec/runner.h).
  bool keep_until_exit = false;
};

/// The outcome of running one spec: what it printed on each stream and its exit status.
struct SpecOutcome {
  std::string out;
  std::string err;
  ExitCode code = ExitCode::kOk;
  std::vector<std::string> expect_failures;  ///< `expect` entries that did not hold
  Tolerance tolerance;                       ///< the spec's tolerance over the defaults
  std::string description;                   ///< the spec's description, when it loaded
};

/// The name a spec path has in messages: "<stdin>" for "-".
std::string spec_display_name(const std::string& path);
/// Reads the whole file ("-" is standard input); throws UserError(kUsage) naming the file.
std::string read_spec_file(const std::string& path);
/// Loads and runs a spec's text. Never throws: failures become the outcome's err and code,
/// and a failed spec's standard output is empty (and nothing is saved). load() paths resolve
/// against the directory of `path`.
SpecOutcome run_spec_text(const std::string& text, const std::string& path, const SpecSettings& settings = {});
/// read_spec_file, then run_spec_text; a file that cannot be read is a failed outcome too.
SpecOutcome run_spec_file(const std::string& path, const SpecSettings& settings = {});

}  // namespace ag::cli
