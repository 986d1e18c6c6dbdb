// Tests for expanding check's paths (sorted, recursive, symlinks, loops) and for shard options.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli/spec_walk.h"
#include "diag/error.h"

namespace {

namespace fs = std::filesystem;

struct Tree {
  fs::path root;
  Tree() {
    root = fs::temp_directory_path() / ("autograd-walk-test-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root);
  }
  ~Tree() { fs::remove_all(root); }
  void file(const std::string& name) {
    fs::create_directories((root / name).parent_path());
    std::ofstream(root / name) << "{}\n";
  }
  std::string relative(const std::string& path) const { return fs::path(path).lexically_relative(root).generic_string(); }
};

std::string walk_error(const std::vector<std::string>& paths) {
  try {
    ag::cli::collect_specs(paths);
  } catch (const ag::UserError& error) {
    return ag::format_error(error);
  }
  return "no error";
}

std::string shard_error(const std::string& option) {
  try {
    ag::cli::shard_from(option);
  } catch (const ag::UserError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("walk: every *.yaml below a directory, sorted, hidden entries skipped, each file once") {
  Tree t;
  for (const char* name : {"specs/b.yaml", "specs/a/z.yaml", "specs/a/b/c.yaml", "specs/a.yaml", "specs/notes.txt",
                           "specs/.hidden/x.yaml", "specs/a/.x.yaml", "shared/s.yaml"})
    t.file(name);
  fs::create_directory_symlink(t.root / "shared", t.root / "specs" / "link");        // followed
  fs::create_directory_symlink(t.root / "specs" / "a", t.root / "specs" / "same");  // already listed
  std::vector<std::string> specs = ag::cli::collect_specs({(t.root / "specs").string(), (t.root / "specs" / "b.yaml").string()});
  std::vector<std::string> relative;
  for (const std::string& spec : specs) relative.push_back(t.relative(spec));
  CHECK(relative == std::vector<std::string>{"specs/a.yaml", "specs/a/b/c.yaml", "specs/a/z.yaml", "specs/b.yaml",
                                             "specs/link/s.yaml"});
}

TEST_CASE("walk: a symlink loop is an error naming the link, not an endless walk") {
  Tree t;
  t.file("specs/a.yaml");
  fs::create_directory_symlink(t.root, t.root / "specs" / "up");
  CHECK(walk_error({(t.root / "specs").string()}) ==
        (t.root / "specs" / "up" / "specs").generic_string() + ": error: symlink loop: this directory is " +
            (t.root / "specs").generic_string() + ", which contains it; remove the link or check a narrower path");
  fs::create_symlink(t.root / "self.yaml", t.root / "self.yaml");
  CHECK(walk_error({(t.root / "self.yaml").string()}) ==
        (t.root / "self.yaml").generic_string() + ": error: symlink loop: the link leads back to itself");
}

TEST_CASE("walk: a path that does not exist is a usage error") {
  CHECK(walk_error({"no/such/dir"}) == "no/such/dir: error: no such spec file or directory");
}

TEST_CASE("shard: --shard I/N is 1-based; Bazel's variables are 0-based") {
  std::optional<ag::cli::Shard> shard = ag::cli::shard_from("2/4");
  REQUIRE(shard);
  CHECK(shard->index == 1);
  CHECK(shard->count == 4);
  CHECK(shard_error("0/4") == "--shard must be I/N with 1 <= I <= N, e.g. --shard 2/4; got '0/4'");
  CHECK(shard_error("5/4") == "--shard must be I/N with 1 <= I <= N, e.g. --shard 2/4; got '5/4'");
  CHECK(shard_error("2") == "--shard must be I/N with 1 <= I <= N, e.g. --shard 2/4; got '2'");
  ::setenv("TEST_SHARD_INDEX", "3", 1);
  ::setenv("TEST_TOTAL_SHARDS", "4", 1);
  shard = ag::cli::shard_from("");
  REQUIRE(shard);
  CHECK(shard->index == 3);
  ::setenv("TEST_SHARD_INDEX", "4", 1);
  CHECK(shard_error("") == "TEST_SHARD_INDEX and TEST_TOTAL_SHARDS must satisfy 0 <= index < total; got 4 and 4");
  ::unsetenv("TEST_SHARD_INDEX");
  ::unsetenv("TEST_TOTAL_SHARDS");
  CHECK_FALSE(ag::cli::shard_from(""));
}

TEST_CASE("shard: specs are dealt round-robin, so shares differ by at most one and cover everything once") {
  int counts[3] = {0, 0, 0};
  for (std::size_t position = 0; position < 10; ++position) {
    int owners = 0;
    for (int index = 0; index < 3; ++index)
      if (ag::cli::in_shard(position, {index, 3})) {
        ++owners;
        ++counts[index];
      }
    CHECK(owners == 1);
  }
  CHECK(counts[0] == 4);
  CHECK(counts[1] == 3);
  CHECK(counts[2] == 3);
}
