// Tests for golden comparison: numbers within tolerance and everything else exact, unified diffs,
// line endings, and paths of the spec removed from expected error text.
#include <doctest/doctest.h>

#include <string>

#include "spec/golden.h"

using ag::golden_match;
using ag::Tolerance;

TEST_CASE("golden: numbers match within the tolerance, text must be identical") {
  Tolerance tolerance;  // rtol 1e-5, atol 1e-8
  CHECK(golden_match("array([1.000001, 2.])", "array([1.0, 2.])", tolerance));
  CHECK_FALSE(golden_match("array([1.001, 2.])", "array([1.0, 2.])", tolerance));
  CHECK_FALSE(golden_match("array([1., 2.], dtype=float64)", "array([1., 2.], dtype=float32)", tolerance));
  CHECK_FALSE(golden_match("shape=(4, 1)", "shape=(4,  1)", tolerance));
  CHECK(golden_match("[nan inf -inf]", "[nan inf -inf]", tolerance));
  CHECK_FALSE(golden_match("[nan]", "[1.]", tolerance));
  CHECK_FALSE(golden_match("[inf]", "[-inf]", tolerance));
  CHECK(golden_match("1e-05", "1.00001e-05", Tolerance{1e-4, 0}));
  CHECK(golden_match("0.5", "0.6", Tolerance{0, 0.2}));
}

TEST_CASE("golden: line endings are normalised to LF") {
  CHECK(ag::normalize_newlines("a\r\nb\r\n") == "a\nb\n");
  CHECK(ag::normalize_newlines("a\rb") == "a\rb");  // a lone CR is text
}

TEST_CASE("golden: a unified diff has headers, a hunk header and 3 lines of context") {
  std::string expected = "1\n2\n3\n4\n5\n6\n7\n8\n";
  std::string actual = "1\n2\n3\n4\nfive\n6\n7\n8\n";
  CHECK(ag::unified_diff(expected, actual, "a.out", "output") ==
        "--- a.out\n+++ output\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  CHECK(ag::unified_diff("", "x\n", "a.out", "output") == "--- a.out\n+++ output\n@@ -0,0 +1 @@\n+x\n");
}

TEST_CASE("golden: the directories of the spec's path are dropped from expected errors") {
  CHECK(ag::without_directories_of("specs/errors/a.yaml:3:5: error: x\n", "a.yaml") == "a.yaml:3:5: error: x\n");
  CHECK(ag::without_directories_of("/abs/dir/a.yaml:1:1: error", "a.yaml") == "a.yaml:1:1: error");
  CHECK(ag::without_directories_of("a.yaml:1:1: error", "a.yaml") == "a.yaml:1:1: error");
  CHECK(ag::without_directories_of("see 'dir/a.yaml' and dir/ba.yaml", "a.yaml") == "see 'a.yaml' and dir/ba.yaml");
}
