// Tests for checking one spec: pass, diff, missing golden, expected failures, and when --update
// may and may not touch a golden file.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/check_spec.h"

namespace {

namespace fs = std::filesystem;

/// A scratch directory, removed at the end of the test.
struct Scratch {
  fs::path dir;
  Scratch() {
    dir = fs::temp_directory_path() / ("autograd-check-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    fs::permissions(dir, fs::perms::owner_all, ec);
    fs::remove_all(dir, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
  std::string read(const std::string& name) const {
    std::ifstream file(dir / name, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  }
};

constexpr const char* kSpec = "inputs:\n  x: {value: 3.0, dtype: float32}\noutput:\n  - print(x * 2)\n";
constexpr const char* kBroken = "inputs:\n  x: {value: 3.0, dtype: float32}\noutput:\n  - print(reshape(x, [2]))\n";

ag::cli::SpecReport check(const std::string& path, bool update = false) {
  ag::cli::CheckSpecSettings settings;
  settings.update = update;
  return ag::cli::check_spec(path, settings);
}

}  // namespace

TEST_CASE("check: a matching golden passes, CRLF line endings and all") {
  Scratch s;
  std::string spec = s.write("a.yaml", kSpec);
  s.write("a.out", "tf.Tensor(6.0, shape=(), dtype=float32)\r\n");
  ag::cli::SpecReport report = check(spec);
  CHECK(report.status == ag::cli::SpecStatus::kPassed);
  CHECK(report.message.empty());
}

TEST_CASE("check: a mismatch gives a unified diff, and --update rewrites the golden") {
  Scratch s;
  std::string spec = s.write("a.yaml", kSpec);
  s.write("a.out", "tf.Tensor(7.0, shape=(), dtype=float32)\n");
  ag::cli::SpecReport report = check(spec);
  CHECK(report.status == ag::cli::SpecStatus::kFailed);
  CHECK(report.diff == "--- " + (s.dir / "a.out").generic_string() +
                           "\n+++ output\n@@ -1 +1 @@\n-tf.Tensor(7.0, shape=(), dtype=float32)\n"
                           "+tf.Tensor(6.0, shape=(), dtype=float32)\n");
  CHECK(check(spec, true).status == ag::cli::SpecStatus::kUpdated);
  CHECK(s.read("a.out") == "tf.Tensor(6.0, shape=(), dtype=float32)\n");
  CHECK(check(spec).status == ag::cli::SpecStatus::kPassed);
}

TEST_CASE("check: a missing golden fails with a hint; only --update creates it") {
  Scratch s;
  std::string spec = s.write("a.yaml", kSpec);
  ag::cli::SpecReport report = check(spec);
  CHECK(report.status == ag::cli::SpecStatus::kFailed);
  CHECK(report.message.find("no golden file") == 0);
  CHECK(report.message.find("--update") != std::string::npos);
  CHECK_FALSE(fs::exists(s.dir / "a.out"));
  CHECK(check(spec, true).status == ag::cli::SpecStatus::kUpdated);
  CHECK(fs::exists(s.dir / "a.out"));
}

TEST_CASE("check: --update never writes for a spec that fails") {
  Scratch s;
  std::string spec = s.write("a.yaml", kBroken);
  s.write("a.out", "old\n");
  ag::cli::SpecReport report = check(spec, true);
  CHECK(report.status == ag::cli::SpecStatus::kFailed);
  CHECK(s.read("a.out") == "old\n");
  CHECK_FALSE(fs::exists(s.dir / "a.err"));

  // Without any golden file: still nothing written, and a hint about NAME.err.
  fs::remove(s.dir / "a.out");
  report = check(spec, true);
  CHECK(report.status == ag::cli::SpecStatus::kFailed);
  CHECK(report.message.find("a.err") != std::string::npos);
  CHECK_FALSE(fs::exists(s.dir / "a.out"));
  CHECK_FALSE(fs::exists(s.dir / "a.err"));
}

TEST_CASE("check: --update never writes when an expect entry fails") {
  Scratch s;
  std::string spec = s.write("a.yaml", std::string(kSpec) + "expect:\n  x: 4.0\n");
  s.write("a.out", "old\n");
  ag::cli::SpecReport report = check(spec, true);
  CHECK(report.status == ag::cli::SpecStatus::kFailed);
  CHECK(report.message.find("expect x: element 0 is 3.0, expected 4.0") != std::string::npos);
  CHECK(s.read("a.out") == "old\n");
}

TEST_CASE("check: expect None (as the spec format writes it, or YAML's null) asks for no value") {
  Scratch s;
  const std::string tape = "inputs:\n  x: {value: 3.0, dtype: float32}\n  c: {value: 1.0, dtype: float32}\n"
                           "operations:\n  - y = x * x\nderivatives:\n  - dy_dc = gradient(y, c)\n  - dy_dx = gradient(y, x)\n";
  for (const char* none : {"None", "~", "null"}) {
    std::string spec = s.write("a.yaml", tape + "expect:\n  dy_dc: " + none + "\n");
    // (The first run writes the golden: updated, not failed.)
    CHECK_MESSAGE(check(spec, true).status != ag::cli::SpecStatus::kFailed, std::string(none));
    spec = s.write("a.yaml", tape + "expect:\n  dy_dx: " + none + "\n");
    ag::cli::SpecReport report = check(spec, true);
    CHECK(report.status == ag::cli::SpecStatus::kFailed);
    CHECK(report.message.find("expect dy_dx: expected None, got tf.Tensor") != std::string::npos);
  }
  // A quoted 'None' is the string, which a tensor does not match.
  std::string spec = s.write("a.yaml", tape + "expect:\n  dy_dc: 'None'\n");
  CHECK(check(spec, true).status == ag::cli::SpecStatus::kFailed);
}

TEST_CASE("check: a spec with NAME.err must fail with exactly that text") {
  Scratch s;
  std::string spec = s.write("a.yaml", kBroken);
  ag::cli::SpecReport report = check(spec);  // writes nothing: NAME.err is made by hand
  s.write("a.err", "elsewhere/a.yaml:4:11: error: Input to reshape is a tensor with 1 values, but the requested shape has 2\n");
  CHECK(check(spec).status == ag::cli::SpecStatus::kPassed);  // the spec's directory does not matter

  s.write("a.err", "a.yaml:1:1: error: something else\n");
  CHECK(check(spec).status == ag::cli::SpecStatus::kFailed);
  CHECK(check(spec, true).status == ag::cli::SpecStatus::kUpdated);
  CHECK(check(spec).status == ag::cli::SpecStatus::kPassed);

  // A spec expected to fail that succeeds is a failure, and --update does not turn its .err into output.
  s.write("a.yaml", kSpec);
  std::string before = s.read("a.err");
  report = check(spec, true);
  CHECK(report.status == ag::cli::SpecStatus::kFailed);
  CHECK(report.message.find("expected the spec to fail") == 0);
  CHECK(s.read("a.err") == before);
}

TEST_CASE("check: both NAME.out and NAME.err is an error") {
  Scratch s;
  std::string spec = s.write("a.yaml", kSpec);
  s.write("a.out", "tf.Tensor(6.0, shape=(), dtype=float32)\n");
  s.write("a.err", "x\n");
  ag::cli::SpecReport report = check(spec, true);
  CHECK(report.status == ag::cli::SpecStatus::kFailed);
  CHECK(report.message.find("a spec has one golden file") != std::string::npos);
}

TEST_CASE("check: a golden file that is not UTF-8 is named, with the place of the bad byte") {
  Scratch s;
  std::string spec = s.write("a.yaml", kSpec);
  s.write("a.out", "tf.Tensor(6.0,\nshape=\xff)\n");
  ag::cli::SpecReport report = check(spec);
  CHECK(report.status == ag::cli::SpecStatus::kFailed);
  CHECK(report.message == "golden file " + (s.dir / "a.out").generic_string() +
                              " is not valid UTF-8 (byte 0xff at line 2, column 7); golden files hold the tool's "
                              "text output, which is UTF-8\n");
  CHECK(ag::cli::utf8_problem("ok \xc3\xa9\n") == "");
  CHECK(ag::cli::utf8_problem("\xed\xa0\x80") == "byte 0xed at line 1, column 1");  // a surrogate
}

TEST_CASE("check: a golden that cannot be replaced fails clearly and is left as it was") {
  Scratch s;
  std::string spec = s.write("a.yaml", kSpec);
  fs::create_directories(s.dir / "a.out" / "inside");  // a directory where the golden file should be
  ag::cli::SpecReport report = check(spec, true);
  CHECK(report.status == ag::cli::SpecStatus::kFailed);
  CHECK(report.message.find("cannot read golden file") == 0);
  CHECK(fs::is_directory(s.dir / "a.out" / "inside"));
}

TEST_CASE("check: an unwritable golden directory fails clearly and leaves the golden as it was") {
  if (::geteuid() == 0) return;  // root writes anywhere; the permission cannot be tested
  Scratch s;
  std::string spec = s.write("a.yaml", kSpec);
  s.write("a.out", "old\n");
  fs::permissions(s.dir, fs::perms::owner_read | fs::perms::owner_exec);
  ag::cli::SpecReport report = check(spec, true);
  fs::permissions(s.dir, fs::perms::owner_all);
  CHECK(report.status == ag::cli::SpecStatus::kFailed);
  CHECK(report.message.find("Permission denied (golden file not updated)") != std::string::npos);
  CHECK(s.read("a.out") == "old\n");
}
