// The one error type a user sees: a message, a place, and the exit status of the spec format.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "diag/source_span.h"

namespace ag {

/// Exit statuses of the spec format.
enum class ExitCode { kOk = 0, kMismatch = 1, kUsage = 2, kEval = 3 };

/// A failure the user can fix. Thrown anywhere; code that knows the place adds it and rethrows.
class UserError : public std::runtime_error {
 public:
  UserError(ExitCode code, std::string message) : std::runtime_error(std::move(message)), code_(code) {}
  UserError(ExitCode code, SourceSpan span, std::string message)
      : std::runtime_error(std::move(message)), code_(code), span_(std::move(span)) {}

  ExitCode code() const { return code_; }
  const SourceSpan& span() const { return span_; }
  /// Sets the place if none is known yet (the innermost place wins).
  void set_span_if_unknown(const SourceSpan& span) {
    if (!span_.known()) span_ = span;
  }

 private:
  ExitCode code_;
  SourceSpan span_;
};

/// Formats `file:line:col: error: message` (or `autograd-cli: error: message` without a place).
std::string format_error(const UserError& error);

}  // namespace ag
