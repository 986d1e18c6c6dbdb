// Whole-file reads and atomic writes (mkstemp in the target's directory, then rename).
#include "cli/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace ag::cli {

std::optional<std::string> read_whole_file(const std::string& path, std::string& error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    ::close(fd);
    error = std::strerror(EISDIR);
    return std::nullopt;
  }
  std::string content;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::strerror(errno);
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return content;
}

bool write_atomically(const std::string& path, const std::string& content, std::string& error) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path directory = target.parent_path();
  std::string pattern = (directory / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkstemp(&pattern[0]);
  if (fd < 0) {
    error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  // Keep an existing file's permissions; a new one gets the usual 0644 (less the umask).
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) {
    ::fchmod(fd, info.st_mode & 07777);
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
  }
  const char* data = content.data();
  std::size_t left = content.size();
  int saved_errno = 0;
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      saved_errno = errno;
      break;
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  if (saved_errno == 0 && ::fsync(fd) != 0) saved_errno = errno;
  if (::close(fd) != 0 && saved_errno == 0) saved_errno = errno;
  if (saved_errno == 0 && std::rename(pattern.c_str(), path.c_str()) != 0) saved_errno = errno;
  if (saved_errno != 0) {
    ::unlink(pattern.c_str());
    error = "cannot write " + path + ": " + std::strerror(saved_errno);
    return false;
  }
  return true;
}

}  // namespace ag::cli
