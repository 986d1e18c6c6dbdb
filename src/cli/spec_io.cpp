// Spec files in, text out, errors caught and rendered in one place.
#include "cli/spec_io.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <new>
#include <sstream>

#include "spec/expect.h"
#include "spec/runner.h"
#include "spec/spec.h"

namespace ag::cli {

std::string read_spec_file(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    SourceSpan span;
    span.file = path;
    throw UserError(ExitCode::kUsage, span, "cannot read spec file: " + std::string(std::strerror(errno)));
  }
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

SpecOutcome run_spec_text(const std::string& text, const std::string& path, std::optional<double> rtol,
                          std::optional<double> atol) {
  SpecOutcome outcome;
  std::ostringstream warnings;
  auto fail = [&](ExitCode code, const std::string& message) {
    outcome.out.clear();
    outcome.err = warnings.str() + message + "\n";
    outcome.code = code;
  };
  try {
    Spec spec = load_spec(text, path == "-" ? "<stdin>" : path);
    outcome.tolerance.rtol = rtol.value_or(spec.rtol.value_or(outcome.tolerance.rtol));
    outcome.tolerance.atol = atol.value_or(spec.atol.value_or(outcome.tolerance.atol));
    SpecResult result = run_spec(spec, warnings);
    outcome.out = render_text(result);
    outcome.expect_failures = check_expectations(spec, result, outcome.tolerance);
    outcome.err = warnings.str();
  } catch (UserError& error) {
    if (error.span().file.empty()) {
      SourceSpan span = error.span();
      span.file = path == "-" ? "<stdin>" : path;
      error = UserError(error.code(), span, error.what());
    }
    fail(error.code(), format_error(error));
  } catch (const std::bad_alloc&) {
    fail(ExitCode::kEval, (path == "-" ? "<stdin>" : path) + ": error: out of memory (resource limit)");
  } catch (const std::exception& error) {
    fail(ExitCode::kEval, (path == "-" ? "<stdin>" : path) + ": error: internal error: " + error.what());
  }
  return outcome;
}

}  // namespace ag::cli
