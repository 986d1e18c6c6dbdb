// A place in a spec file, for compiler-style diagnostics.
#pragma once

#include <string>

namespace ag {

/// File, 1-based line and column, and the length of the text the diagnostic points at.
struct SourceSpan {
  std::string file;
  int line = 0;    ///< 0 means "no place known"
  int column = 0;
  int length = 1;
  bool known() const { return line > 0; }
};

}  // namespace ag
