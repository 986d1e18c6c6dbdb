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
};
ExitCode check_command(const CheckOptions& options);

}  // namespace ag::cli
