// `autograd-cli run`: each spec's output on stdout (under a tail-style header when there are
// several; JSON lines carry the spec in each object instead), diagnostics on stderr.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

#include "cli/commands.h"
#include "cli/outputs.h"
#include "cli/spec_io.h"
#include "spec/runner.h"

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
    // The process ends after the last spec: what it built is left to the exit to reclaim.
    settings.keep_until_exit = &path == &options.specs.back();
    if (!options.save.empty()) {
      // Several specs: one subdirectory each, named by the spec's file name without .yaml.
      std::string stem = path == "-" ? "stdin" : std::filesystem::path(path).stem().string();
      settings.save_directory = several ? (std::filesystem::path(options.save) / output_file_name(stem, directories)).string()
                                        : options.save;
    }
    double started_ms = steady_now_ms();
    unsigned long runs_before = last_run_profile().runs;
    SpecOutcome outcome = run_spec_file(path, settings);
    std::cerr << outcome.err;
    if (options.profile && outcome.code == ExitCode::kOk && last_run_profile().runs != runs_before) {
      // parse: reading, loading and parsing the spec; print: the output items and their text.
      const RunProfile& profile = last_run_profile();
      double finished_ms = steady_now_ms();
      char line[256];
      std::snprintf(line, sizeof line, "profile: parse %.3f ms, inputs %.3f ms, record %.3f ms, backward %.3f ms, print %.3f ms\n",
                    profile.started_ms - started_ms, profile.times.inputs, profile.times.record, profile.times.backward,
                    profile.times.output + (finished_ms - profile.finished_ms));
      std::cerr << line;
    }
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
