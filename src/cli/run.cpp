// `autograd-cli run`: each spec's output on stdout (under a tail-style header when there are
// several), diagnostics on stderr.
#include <iostream>

#include "cli/commands.h"
#include "cli/spec_io.h"

namespace ag::cli {

ExitCode run_command(const RunOptions& options) {
  if (options.format != "text")
    throw UserError(ExitCode::kUsage, "--format " + options.format + " is not supported yet (only text)");
  ExitCode status = ExitCode::kOk;
  bool several = options.specs.size() > 1;
  bool first = true;
  for (const std::string& path : options.specs) {
    SpecOutcome outcome;
    try {
      outcome = run_spec_text(read_spec_file(path), path);
    } catch (const UserError& error) {
      outcome.err = format_error(error) + "\n";
      outcome.code = error.code();
    }
    std::cerr << outcome.err;
    if (outcome.code != ExitCode::kOk) {
      if (status == ExitCode::kOk) status = outcome.code;
      continue;
    }
    if (several) std::cout << (first ? "" : "\n") << "==> " << path << " <==\n";
    first = false;
    std::cout << outcome.out;
    std::cout.flush();
  }
  return status;
}

}  // namespace ag::cli
