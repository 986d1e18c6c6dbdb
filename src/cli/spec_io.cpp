// Spec files in, text out, errors caught and rendered in one place.
#include "cli/spec_io.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <new>
#include <sstream>

#include "cli/files.h"
#include "cli/outputs.h"
#include "core/limits.h"
#include "ops/io_ops.h"
#include "ops/random_state.h"
#include "spec/expect.h"
#include "spec/runner.h"
#include "spec/spec.h"

namespace ag::cli {

std::string spec_display_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

/// Reads at most one byte past the limit, so load_spec reports an endless stream as too large.
std::string read_bounded(std::istream& in) {
  std::string text;
  char buffer[65536];
  while (text.size() <= limits::kMaxSpecBytes) {
    std::size_t want = std::min<std::size_t>(sizeof buffer, limits::kMaxSpecBytes + 1 - text.size());
    if (in.read(buffer, static_cast<std::streamsize>(want)).gcount() <= 0) break;
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  return text;
}

std::string read_spec_file(const std::string& path) {
  if (path == "-") return read_bounded(std::cin);
  // A FIFO (`run <(generate)`) or a device has no size to check first: read it as standard input
  // is read, so /dev/zero or an endless pipe stops at the limit instead of filling the memory.
  std::error_code status_error;
  std::filesystem::file_status status = std::filesystem::status(path, status_error);
  if (!status_error && (std::filesystem::is_fifo(status) || std::filesystem::is_character_file(status) ||
                        std::filesystem::is_block_file(status))) {
    std::ifstream in(path, std::ios::binary);
    if (in) return read_bounded(in);
  }
  std::error_code size_error;
  std::uintmax_t size = std::filesystem::file_size(path, size_error);
  if (!size_error && size > limits::kMaxSpecBytes) {
    SourceSpan span;
    span.file = path;
    throw UserError(ExitCode::kUsage, span, "spec is too large (" + std::to_string(size) + " bytes; the limit is " +
                                                limits::size_text(limits::kMaxSpecBytes) + ")");
  }
  std::string error;
  std::optional<std::string> content = read_whole_file(path, error);
  if (!content) {
    SourceSpan span;
    span.file = path;
    throw UserError(ExitCode::kUsage, span, "cannot read spec file: " + error);
  }
  return *content;
}

SpecOutcome run_spec_text(const std::string& text, const std::string& path, const SpecSettings& settings) {
  SpecOutcome outcome;
  std::ostringstream warnings;
  std::string name = spec_display_name(path);
  auto fail = [&](ExitCode code, const std::string& message) {
    outcome.out.clear();
    outcome.err = (settings.quiet ? "" : warnings.str()) + message + "\n";
    outcome.code = code;
  };
  try {
    auto loaded = std::make_shared<Spec>(load_spec(text, name));
    const Spec& spec = *loaded;
    outcome.description = spec.description;
    outcome.tolerance.rtol = settings.rtol.value_or(spec.rtol.value_or(outcome.tolerance.rtol));
    outcome.tolerance.atol = settings.atol.value_or(spec.atol.value_or(outcome.tolerance.atol));
    SpecResult result;
    {
      // Each spec is its own program: `run a.yaml b.yaml` and `check` run many in one process.
      reset_random_state();
      LoadDirectoryScope directory(path == "-" ? "" : std::filesystem::path(path).parent_path().string());
      limits::DeadlineScope deadline(name);
      if (settings.keep_until_exit) keep_next_run_until_exit();
      result = run_spec(spec, warnings);
    }
    if (settings.keep_until_exit) keep_until_exit(std::move(loaded));
    std::string notes;
    if (settings.save_directory) save_outputs(result, *settings.save_directory, notes);
    outcome.out = settings.format == OutputFormat::kJson ? render_json(result, name) : render_text(result);
    outcome.expect_failures = check_expectations(spec, result, outcome.tolerance);
    outcome.err = settings.quiet ? "" : warnings.str() + notes;
  } catch (UserError& error) {
    if (error.span().file.empty()) {
      SourceSpan span = error.span();
      span.file = name;
      error = UserError(error.code(), span, error.what());
    }
    fail(error.code(), format_error(error));
  } catch (const std::bad_alloc&) {
    fail(ExitCode::kEval, name + ": error: out of memory (resource limit)");
  } catch (const std::exception& error) {
    fail(ExitCode::kEval, name + ": error: internal error: " + error.what());
  }
  return outcome;
}

SpecOutcome run_spec_file(const std::string& path, const SpecSettings& settings) {
  try {
    return run_spec_text(read_spec_file(path), path, settings);
  } catch (const UserError& error) {
    SpecOutcome outcome;
    outcome.err = format_error(error) + "\n";
    outcome.code = error.code();
    return outcome;
  }
}

}  // namespace ag::cli
