// The io family: load("file.npy"), a spec-level helper (not a TF name, so `list` and dir() skip it)
// that reads a numpy .npy file into a tensor.
#include "ops/io_ops.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iterator>

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
/// Returns the resolved path: the file load() then opens, so that what was checked is what is read.
std::filesystem::path check_readable(const std::filesystem::path& path, const std::string& shown) {
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
    if (!root_error && is_below(resolved, canonical_root)) return resolved;
  }
  throw UserError(ExitCode::kUsage, "load: " + shown + " is outside the spec's directory (allow it with --allow-read DIR)");
}

/// What a file that is not a regular file is, for the message refusing it.
const char* file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

/// Closes the descriptor however load() leaves.
struct FileDescriptor {
  int fd;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

Value eval_load(CallArgs& a) {
  namespace fs = std::filesystem;
  std::string given = a.string("path");
  fs::path path(given);
  if (path.is_relative() && !load_directory.empty()) path = fs::path(load_directory) / path;
  // The file as written (so that the message does not depend on where the tool was started).
  std::string shown = "'" + given + "'" + (fs::path(given).is_relative() ? " (relative to the spec's directory)" : "");
  fs::path resolved = check_readable(path, shown);
  auto not_regular = [&](mode_t mode) {
    if (S_ISDIR(mode)) return UserError(ExitCode::kUsage, "load: " + shown + " is a directory, not a .npy file");
    return UserError(ExitCode::kUsage, "load: " + shown + " is " + file_kind(mode) + ", not a regular .npy file");
  };
  // Open first, then look at what was opened (no window between a check and the read). O_NONBLOCK:
  // opening a FIFO with no writer would otherwise wait forever; O_NOFOLLOW: the checked path has
  // no symlinks left, so one found now was put there since.
  FileDescriptor file{::open(resolved.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)};
  if (file.fd < 0) {
    int error = errno;
    struct stat info {};
    // A socket cannot be opened (ENXIO): say what it is rather than "No such device or address".
    if (::lstat(resolved.c_str(), &info) == 0 && !S_ISREG(info.st_mode) && !S_ISLNK(info.st_mode)) throw not_regular(info.st_mode);
    throw UserError(ExitCode::kUsage, "load: cannot open " + shown + ": " + std::strerror(error));
  }
  struct stat info {};
  if (::fstat(file.fd, &info) != 0)
    throw UserError(ExitCode::kUsage, "load: cannot open " + shown + ": " + std::strerror(errno));
  // A FIFO, a device (/dev/zero, /dev/urandom: endless) or a socket is never a .npy file.
  if (!S_ISREG(info.st_mode)) throw not_regular(info.st_mode);
  std::uintmax_t size = static_cast<std::uintmax_t>(info.st_size);
  if (size > kMaxLoadBytes)
    throw UserError(ExitCode::kEval, "load: " + shown + " is too large (" + std::to_string(size) + " bytes; the limit is 4 GiB)");
  // Read the size fstat saw, no more: a file growing meanwhile cannot make the read endless.
  std::string content(static_cast<std::size_t>(size), '\0');
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t got = ::read(file.fd, content.data() + done, content.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw UserError(ExitCode::kUsage, "load: cannot read " + shown + ": " + std::strerror(errno));
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  content.resize(done);
  return Value::of(format::read_npy(content, "load: '" + given + "'"));
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
