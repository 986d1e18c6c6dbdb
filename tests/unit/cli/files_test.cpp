// Tests for whole-file reads and atomic writes: the target is replaced whole or not at all.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/files.h"

namespace {

namespace fs = std::filesystem;

fs::path scratch() {
  fs::path dir = fs::temp_directory_path() / ("autograd-files-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::size_t entries(const fs::path& dir) {
  std::size_t count = 0;
  for (auto it = fs::directory_iterator(dir); it != fs::directory_iterator(); ++it) ++count;
  return count;
}

}  // namespace

TEST_CASE("files: an atomic write replaces the file and keeps its permissions") {
  fs::path dir = scratch();
  std::string path = (dir / "a.out").string();
  std::ofstream(path) << "old\n";
  ::chmod(path.c_str(), 0640);
  std::string error;
  REQUIRE(ag::cli::write_atomically(path, "new\n", error));
  std::string read_error;
  CHECK(ag::cli::read_whole_file(path, read_error) == std::optional<std::string>("new\n"));
  struct stat info {};
  ::stat(path.c_str(), &info);
  CHECK((info.st_mode & 0777) == 0640);
  CHECK(entries(dir) == 1);  // no temporary file left behind
  fs::remove_all(dir);
}

TEST_CASE("files: a failed atomic write says why and leaves no file behind") {
  fs::path dir = scratch();
  std::string error;
  CHECK_FALSE(ag::cli::write_atomically((dir / "missing" / "a.out").string(), "x", error));
  CHECK(error == "cannot write " + (dir / "missing" / "a.out").string() + ": No such file or directory");

  // A directory where the file should be: the rename fails, the temporary file is removed.
  fs::create_directories(dir / "a.out" / "inside");
  CHECK_FALSE(ag::cli::write_atomically((dir / "a.out").string(), "x", error));
  CHECK(error == "cannot write " + (dir / "a.out").string() + ": Is a directory");
  CHECK(entries(dir) == 1);
  CHECK(fs::is_directory(dir / "a.out" / "inside"));
  fs::remove_all(dir);
}

TEST_CASE("files: a read failure gives the reason") {
  std::string error;
  CHECK_FALSE(ag::cli::read_whole_file("/no/such/file", error));
  CHECK(error == "No such file or directory");
  CHECK_FALSE(ag::cli::read_whole_file("/tmp", error));
  CHECK(error == "Is a directory");
}
