// One spec against its golden file.
#include "cli/check_spec.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cli/files.h"
#include "cli/spec_io.h"
#include "spec/golden.h"

namespace ag::cli {
namespace {

namespace fs = std::filesystem;

/// A golden file as found on disk.
struct Golden {
  std::string path;
  bool exists = false;
  std::optional<std::string> text;  ///< normalised to LF; nullopt when missing or unreadable
  std::string problem;              ///< why it cannot be used (unreadable, not UTF-8)
};

Golden read_golden(const fs::path& path) {
  Golden golden;
  golden.path = path.generic_string();
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  golden.exists = fs::exists(status);
  if (!golden.exists) return golden;
  std::string error;
  std::optional<std::string> content = read_whole_file(path.string(), error);
  if (!content) {
    golden.problem = "cannot read golden file " + golden.path + ": " + error;
    return golden;
  }
  std::string where = utf8_problem(*content);
  if (!where.empty()) {
    golden.problem = "golden file " + golden.path + " is not valid UTF-8 (" + where +
                     "); golden files hold the tool's text output, which is UTF-8";
    return golden;
  }
  golden.text = normalize_newlines(*content);
  return golden;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

std::string utf8_problem(const std::string& text) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    unsigned char lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    bool valid = length > 0 && i + length <= text.size();
    std::uint32_t code = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; valid && k < length; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3F);
    }
    static const std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (valid && (code < kMinimum[length] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF)) valid = false;
    if (!valid) {
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02x", lead);
      return "byte " + std::string(byte) + " at line " + std::to_string(line) + ", column " + std::to_string(column);
    }
    if (lead == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += length;
  }
  return "";
}

SpecReport check_spec(const std::string& path, const CheckSpecSettings& settings) {
  auto start = std::chrono::steady_clock::now();
  SpecReport report;
  report.path = path;
  SpecSettings run_settings;
  run_settings.rtol = settings.rtol;
  run_settings.atol = settings.atol;
  SpecOutcome outcome = run_spec_file(path, run_settings);
  report.description = first_line(outcome.description);

  Golden out = read_golden(fs::path(path).replace_extension(".out"));
  Golden err = read_golden(fs::path(path).replace_extension(".err"));
  bool succeeded = outcome.code == ExitCode::kOk;
  bool expects_failure = err.exists;
  const Golden& golden = expects_failure ? err : out;
  std::string actual = normalize_newlines(expects_failure ? outcome.err : outcome.out);

  bool ok = false;
  bool may_update = false;  // the spec behaved as its kind of golden file says it should
  if (out.exists && err.exists) {
    report.message = "both " + out.path + " and " + err.path + " exist; a spec has one golden file: delete the stale one\n";
  } else if (!golden.problem.empty()) {
    report.message = golden.problem + "\n";
    may_update = !golden.text && golden.problem.rfind("golden file", 0) == 0 &&
                 (expects_failure ? !succeeded : succeeded && outcome.expect_failures.empty());
  } else if (expects_failure) {
    if (succeeded) {
      report.message = "expected the spec to fail (it has " + err.path + ") but it succeeded; if that is right, delete " +
                       err.path + " and run `autograd-cli check --update " + path + "`\n";
    } else {
      std::string file_name = fs::path(path).filename().string();
      ok = without_directories_of(actual, file_name) == without_directories_of(*err.text, file_name);
      if (!ok) report.diff = unified_diff(*err.text, actual, err.path, "stderr");
      may_update = true;
    }
  } else if (!succeeded) {
    report.message = outcome.err;
    if (!out.exists)
      report.message += "(a spec that is meant to fail keeps its expected standard error in " + err.path +
                        ": autograd-cli run " + path + " 2> " + err.path + ")\n";
  } else {
    if (!out.text) {
      report.message = "no golden file " + out.path + " (run `autograd-cli check --update " + path + "` to create it)\n";
    } else {
      ok = golden_match(actual, *out.text, outcome.tolerance);
      if (!ok) report.diff = unified_diff(*out.text, actual, out.path, "output");
    }
    for (const std::string& failure : outcome.expect_failures) report.message += failure + "\n";
    if (!outcome.expect_failures.empty()) ok = false;
    may_update = outcome.expect_failures.empty();
  }

  if (ok) {
    report.status = SpecStatus::kPassed;
  } else if (settings.update && may_update) {
    std::string error;
    if (write_atomically(golden.path, actual, error)) {
      report.status = SpecStatus::kUpdated;
      report.diff.clear();
      report.message.clear();
    } else {
      report.message += error + " (golden file not updated)\n";
    }
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace ag::cli
