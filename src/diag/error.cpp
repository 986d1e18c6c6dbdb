// Compiler-style rendering of a UserError.
#include "diag/error.h"

namespace ag {

std::string format_error(const UserError& error) {
  const SourceSpan& span = error.span();
  std::string text;
  if (span.known())
    text = span.file + ":" + std::to_string(span.line) + ":" + std::to_string(span.column) + ": ";
  else if (!span.file.empty())
    text = span.file + ": ";
  else
    text = "autograd-cli: ";
  return text + "error: " + error.what();
}

}  // namespace ag
