// `autograd-cli run`: each spec's output on stdout (under a tail-style header when there are
// several; JSON lines carry the spec in each object instead), diagnostics on stderr.
#include <filesystem>
#include <iostream>
#include <set>

#include "cli/commands.h"
#include "cli/outputs.h"
#include "cli/spec_io.h"

namespace ag::cli {

ExitCode run_command(const RunOptions& options) {
  SpecSettings settings;
  settings.format = options.format == "json" ? OutputFormat::kJson : OutputFormat::kText;
  settings.quiet = options.quiet;
  ExitCode status = ExitCode::kOk;
  bool several = options.specs.size() > 1;
  bool first = true;
  std::set<std::string> directories;
  for (const std::string& path : options.specs) {
    if (!options.save.empty()) {
      // Several specs: one subdirectory each, named by the spec's file name without .yaml.
      std::string stem = path == "-" ? "stdin" : std::filesystem::path(path).stem().string();
      settings.save_directory = several ? (std::filesystem::path(options.save) / output_file_name(stem, directories)).string()
                                        : options.save;
    }
    SpecOutcome outcome = run_spec_file(path, settings);
    std::cerr << outcome.err;
    if (outcome.code != ExitCode::kOk) {
      if (status == ExitCode::kOk) status = outcome.code;
      continue;
    }
    if (several && settings.format == OutputFormat::kText) std::cout << (first ? "" : "\n") << "==> " << path << " <==\n";
    first = false;
    std::cout << outcome.out;
    std::cout.flush();
  }
  return status;
}

}  // namespace ag::cli
