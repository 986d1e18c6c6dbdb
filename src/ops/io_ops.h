// Files a spec reads: load("x.npy") resolves a relative path against the spec's own directory,
// which the code running a spec sets here for the current thread.
#pragma once

#include <string>

namespace ag {

/// While alive, load() on this thread resolves relative paths against `directory` (the directory
/// of the spec being run; empty means the current directory). Scopes nest.
class LoadDirectoryScope {
 public:
  explicit LoadDirectoryScope(std::string directory);
  ~LoadDirectoryScope();
  LoadDirectoryScope(const LoadDirectoryScope&) = delete;
  LoadDirectoryScope& operator=(const LoadDirectoryScope&) = delete;

 private:
  std::string previous_;
};

}  // namespace ag
