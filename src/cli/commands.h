// The subcommands. Each takes parsed options, writes results to stdout and diagnostics to
// stderr, and returns the exit status of the spec format.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diag/error.h"

namespace ag::cli {

struct RunOptions {
  std::vector<std::string> specs;
  std::string format = "text";
  std::string save;  ///< --save DIR: write each output tensor as DIR/NAME.npy
  bool quiet = false;
  bool profile = false;  ///< --profile: one line of phase times per spec on stderr
};
ExitCode run_command(const RunOptions& options);

struct ListOptions {
  std::string module;
  bool json = false;
};
ExitCode list_command(const ListOptions& options);

struct CheckOptions {
  std::vector<std::string> paths;
  bool update = false;
  std::optional<double> rtol;
  std::optional<double> atol;
  std::string format = "text";  ///< text, json (one object per spec) or junit (see junit_file)
  std::string junit_file;       ///< write a JUnit XML report here
  std::string color = "auto";   ///< auto, always, never
  int jobs = 1;
  std::string shard;            ///< "I/N"; empty: TEST_SHARD_INDEX / TEST_TOTAL_SHARDS
  bool quiet = false;
};
ExitCode check_command(const CheckOptions& options);

/// `doc NAME`: a catalog row's signature, summary, traced gradient rule, verified orders and live
/// example; `doc MODULE`: the module's members with one-line summaries.
struct DocOptions {
  std::string name;
  bool json = false;
};
ExitCode doc_command(const DocOptions& options);

/// `verify SPEC...`: every derivative recomputed by central finite differences in float64.
struct VerifyOptions {
  std::vector<std::string> specs;
  std::optional<double> rtol;  ///< default 1e-4
  std::optional<double> atol;  ///< default 1e-6
};
ExitCode verify_command(const VerifyOptions& options);

/// `completion bash`: a bash completion script for the CLI definition and the catalog.
struct CompletionOptions {
  std::string shell = "bash";
};

}  // namespace ag::cli
