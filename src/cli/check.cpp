// `autograd-cli check`: runs specs and compares them with their golden files (NAME.out, or
// NAME.err for a spec expected to fail), with numbers compared within a tolerance.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/check_report.h"
#include "cli/check_spec.h"
#include "cli/commands.h"
#include "cli/files.h"
#include "cli/parallel.h"
#include "cli/spec_walk.h"

namespace ag::cli {
namespace {

/// Below this many specs a run is quick and a progress line would only flicker.
constexpr std::size_t kProgressThreshold = 20;

bool use_color(const std::string& option) {
  if (option == "always") return true;
  if (option == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string(term) == "dumb") return false;
  return ::isatty(STDOUT_FILENO);
}

/// Tells Bazel that this test runner understands sharding (its TEST_SHARD_STATUS_FILE protocol).
void acknowledge_bazel_sharding() {
  if (const char* status_file = std::getenv("TEST_SHARD_STATUS_FILE"))
    if (*status_file) std::ofstream touch(status_file, std::ios::app);
}

}  // namespace

ExitCode check_command(const CheckOptions& options) {
  if (options.jobs < 1) throw UserError(ExitCode::kUsage, "-j must be at least 1, got " + std::to_string(options.jobs));
  if (!options.junit_file.empty()) {
    // `--format junit specs/` (the FILE forgotten) must not overwrite a directory or a spec.
    std::error_code ec;
    if (std::filesystem::is_directory(options.junit_file, ec) || std::filesystem::path(options.junit_file).extension() == ".yaml")
      throw UserError(ExitCode::kUsage, "--format junit needs a report FILE before the paths (e.g. --format junit report.xml "
                                        "specs/); got '" + options.junit_file + "'");
  }
  std::optional<Shard> shard = shard_from(options.shard);
  std::vector<std::string> found = collect_specs(options.paths);
  if (found.empty()) throw UserError(ExitCode::kUsage, "no specs (*.yaml) found under the given paths");
  if (shard) acknowledge_bazel_sharding();
  std::vector<std::string> specs;
  for (std::size_t i = 0; i < found.size(); ++i)
    if (!shard || in_shard(i, *shard)) specs.push_back(found[i]);
  int skipped = static_cast<int>(found.size() - specs.size());

  bool json = options.format == "json";
  bool color = !json && use_color(options.color);
  bool progress = !options.quiet && specs.size() >= kProgressThreshold && ::isatty(STDERR_FILENO);
  CheckSpecSettings settings{options.update, options.rtol, options.atol};
  auto start = std::chrono::steady_clock::now();
  std::vector<SpecReport> reports;
  int passed = 0, failed = 0, updated = 0;
  std::size_t finished = 0;
  auto clear_progress = [&] {
    if (progress) std::cerr << "\r\033[K" << std::flush;
  };
  auto show_progress = [&] {
    if (progress && finished < specs.size())
      std::cerr << "\r\033[K[" << finished << "/" << specs.size() << "] " << passed << " passed, " << failed << " failed"
                << std::flush;
  };

  run_jobs(
      specs.size(), options.jobs, [&](std::size_t i) { return serialize_report(check_spec(specs[i], settings)); },
      [&](std::size_t, const std::string& bytes) {
        SpecReport report = deserialize_report(bytes);
        if (report.status == SpecStatus::kFailed) ++failed;
        else ++passed;
        if (report.status == SpecStatus::kUpdated) ++updated;
        std::string text = json ? json_report(report) + "\n" : text_report(report, color);
        if (options.quiet && report.status == SpecStatus::kUpdated) text.clear();
        if (!text.empty()) {
          clear_progress();
          std::cout << text << std::flush;
        }
        reports.push_back(std::move(report));
        show_progress();
      },
      [&](std::size_t i, const std::string& why) {
        SpecReport report;
        report.path = specs[i];
        report.message = "the worker process checking this spec " + why + "\n";
        return serialize_report(report);
      },
      [&](std::size_t count) {
        finished = count;
        show_progress();
      });
  clear_progress();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (!options.junit_file.empty()) {
    std::string error;
    if (!write_atomically(options.junit_file, junit_report(reports, seconds), error))
      throw UserError(ExitCode::kUsage, "--format junit: " + error);
  }
  if (!options.quiet || failed > 0) {
    std::string summary = summary_line(passed, failed, skipped, updated) + "\n";
    // With JSON on standard output, the summary goes to standard error so stdout stays parseable.
    (json ? std::cerr : std::cout) << summary;
  }
  return failed > 0 ? ExitCode::kMismatch : ExitCode::kOk;
}

}  // namespace ag::cli
