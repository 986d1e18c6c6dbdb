// The io family: load("file.npy"), a spec-level helper (not a TF name, so `list` and dir() skip it)
// that reads a numpy .npy file into a tensor.
#include "ops/io_ops.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/limits.h"
#include "diag/error.h"
#include "format/npy.h"
#include "ops/call_args.h"
#include "ops/families.h"

namespace ag {
namespace {

thread_local std::string load_directory;

/// A .npy file over this size is refused before reading it: a spec's data, not a dataset.
constexpr std::uintmax_t kMaxLoadBytes = std::uintmax_t{1} << 32;

/// Whether `path` (absolute, symlinks resolved) is `root` or below it.
bool is_below(const std::filesystem::path& path, const std::filesystem::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (r->empty() && std::next(r) == root.end()) break;  // a trailing separator
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

/// load() reads only below the spec's directory (the working directory for standard input) or a
/// directory given with --allow-read; symlinks are resolved first, so one that leaves is refused.
void check_readable(const std::filesystem::path& path, const std::string& shown) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path resolved = fs::weakly_canonical(fs::absolute(path, ec), ec);
  // Fail closed: a path that cannot be resolved cannot be shown to stay inside.
  if (ec) throw UserError(ExitCode::kUsage, "load: cannot resolve " + shown + ": " + ec.message());
  std::vector<std::string> roots = limits::settings().allow_read;
  roots.push_back(load_directory.empty() ? "." : load_directory);
  for (const std::string& root : roots) {
    std::error_code root_error;
    fs::path canonical_root = fs::weakly_canonical(fs::absolute(root, root_error), root_error);
    if (!root_error && is_below(resolved, canonical_root)) return;
  }
  throw UserError(ExitCode::kUsage, "load: " + shown + " is outside the spec's directory (allow it with --allow-read DIR)");
}

Value eval_load(CallArgs& a) {
  namespace fs = std::filesystem;
  std::string given = a.string("path");
  fs::path path(given);
  if (path.is_relative() && !load_directory.empty()) path = fs::path(load_directory) / path;
  // The file as written (so that the message does not depend on where the tool was started).
  std::string shown = "'" + given + "'" + (fs::path(given).is_relative() ? " (relative to the spec's directory)" : "");
  std::error_code ec;
  check_readable(path, shown);
  if (fs::is_directory(path, ec)) throw UserError(ExitCode::kUsage, "load: " + shown + " is a directory, not a .npy file");
  std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kMaxLoadBytes)
    throw UserError(ExitCode::kEval, "load: " + shown + " is too large (" + std::to_string(size) + " bytes; the limit is 4 GiB)");
  std::ifstream file(path, std::ios::binary);
  if (!file) throw UserError(ExitCode::kUsage, "load: cannot open " + shown + ": " + std::strerror(errno));
  std::ostringstream content;
  content << file.rdbuf();
  return Value::of(format::read_npy(content.str(), "load: '" + given + "'"));
}

const std::vector<OpDef> kRows = {
    {"load", "", MemberKind::kFunction, "load(path)",
     "Reads a numpy .npy file (format 1.0 to 3.0, either byte order, C or Fortran order) into a tensor of its dtype; "
     "a relative path is relative to the spec's directory. Not a TensorFlow name: a spec helper.",
     "", eval_load},
};

}  // namespace

LoadDirectoryScope::LoadDirectoryScope(std::string directory) : previous_(std::move(load_directory)) {
  load_directory = std::move(directory);
}

LoadDirectoryScope::~LoadDirectoryScope() { load_directory = std::move(previous_); }

const std::vector<OpDef>& io_ops() { return kRows; }

}  // namespace ag
