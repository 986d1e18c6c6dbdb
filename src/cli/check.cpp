// `autograd-cli check`: runs specs and compares them with their golden files (NAME.out, or
// NAME.err for a spec expected to fail), with numbers compared within a tolerance.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/spec_io.h"
#include "spec/golden.h"

namespace ag::cli {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> collect_specs(const std::vector<std::string>& paths) {
  std::vector<std::string> specs;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      // Symlinked directories are not followed, so a symlink loop cannot trap the walk.
      for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".yaml") found.push_back(it->path().generic_string());
      }
      if (ec) throw UserError(ExitCode::kUsage, path + ": error: cannot read directory: " + ec.message());
      std::sort(found.begin(), found.end());
      specs.insert(specs.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      specs.push_back(path);
    } else {
      SourceSpan span;
      span.file = path;
      throw UserError(ExitCode::kUsage, span, "no such spec file or directory");
    }
  }
  return specs;
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream content;
  content << file.rdbuf();
  return normalize_newlines(content.str());
}

/// Writes through a temporary file in the same directory and renames it over the target, so a
/// golden file is never left half-written.
bool write_atomically(const fs::path& path, const std::string& content, std::string& error) {
  fs::path temporary = path;
  temporary += ".tmp-autograd-cli";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file || !(file << content) || !file.flush()) {
      error = "cannot write " + temporary.string();
      std::error_code ignored;
      fs::remove(temporary, ignored);
      return false;
    }
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    error = "cannot replace " + path.string() + ": " + ec.message();
    fs::remove(temporary, ec);
    return false;
  }
  return true;
}

}  // namespace

ExitCode check_command(const CheckOptions& options) {
  std::vector<std::string> specs = collect_specs(options.paths);
  if (specs.empty()) throw UserError(ExitCode::kUsage, "no specs (*.yaml) found under the given paths");
  int passed = 0, failed = 0, updated = 0;
  for (const std::string& spec_path : specs) {
    fs::path out_path = fs::path(spec_path).replace_extension(".out");
    fs::path err_path = fs::path(spec_path).replace_extension(".err");
    SpecOutcome outcome;
    try {
      outcome = run_spec_text(read_spec_file(spec_path), spec_path, options.rtol, options.atol);
    } catch (const UserError& error) {
      outcome.err = format_error(error) + "\n";
      outcome.code = error.code();
    }
    std::optional<std::string> expected_err = read_file(err_path);
    std::optional<std::string> expected_out = expected_err ? std::nullopt : read_file(out_path);
    std::string report;
    bool ok = false;
    fs::path golden_path = expected_err ? err_path : out_path;
    std::string actual;
    if (expected_err) {
      actual = normalize_newlines(outcome.err);
      ok = outcome.code != ExitCode::kOk && actual == *expected_err;
      if (!ok && outcome.code == ExitCode::kOk) report = "expected the spec to fail (it has " + err_path.generic_string() + ") but it succeeded\n";
      else if (!ok) report = unified_diff(*expected_err, actual, err_path.generic_string(), "stderr");
    } else if (outcome.code != ExitCode::kOk) {
      report = outcome.err;
    } else {
      actual = normalize_newlines(outcome.out);
      if (!expected_out) {
        report = "no golden file " + out_path.generic_string() + " (run `autograd-cli check --update` to create it)\n";
      } else {
        ok = golden_match(actual, *expected_out, outcome.tolerance);
        if (!ok) report = unified_diff(*expected_out, actual, out_path.generic_string(), "output");
      }
      for (const std::string& failure : outcome.expect_failures) {
        ok = false;
        report += failure + "\n";
      }
    }
    bool can_update = options.update && outcome.expect_failures.empty() && (expected_err || outcome.code == ExitCode::kOk);
    if (!ok && can_update && (expected_err || expected_out || outcome.code == ExitCode::kOk)) {
      std::string error;
      if (write_atomically(golden_path, actual, error)) {
        ++updated;
        ++passed;
        std::cout << "UPDATED " << spec_path << "\n";
        continue;
      }
      report += error + "\n";
    }
    if (ok) {
      ++passed;
    } else {
      ++failed;
      std::cout << "FAIL " << spec_path << "\n" << report;
    }
  }
  std::cout << passed << " passed, " << failed << " failed";
  if (updated > 0) std::cout << ", " << updated << " updated";
  std::cout << "\n";
  return failed > 0 ? ExitCode::kMismatch : ExitCode::kOk;
}

}  // namespace ag::cli
