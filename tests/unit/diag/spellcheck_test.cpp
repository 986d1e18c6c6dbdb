// "Did you mean" suggestions: typos within about a third of the word, swapped letters included.
#include <doctest/doctest.h>

#include "diag/spellcheck.h"

namespace ag {
namespace {

const std::vector<std::string> kNames = {"range", "reshape", "reduce_sum", "reduce_mean", "keepdims", "matmul", "exp"};

TEST_CASE("spellcheck: one substitution, insertion or deletion is suggested") {
  CHECK(closest_name("matmull", kNames) == "matmul");
  CHECK(closest_name("reshap", kNames) == "reshape");
  CHECK(closest_name("reduce_sun", kNames) == "reduce_sum");
  CHECK(did_you_mean("keep_dims", kNames) == " (did you mean 'keepdims'?)");
}

TEST_CASE("spellcheck: two swapped neighbouring letters count as one edit") {
  CHECK(closest_name("rnage", kNames) == "range");
  CHECK(closest_name("mtamul", kNames) == "matmul");
  CHECK(closest_name("reduce_mane", kNames) == "reduce_mean");
}

TEST_CASE("spellcheck: unrelated or too distant names get no suggestion") {
  CHECK(closest_name("foo", kNames).empty());
  CHECK(closest_name("xpe", kNames).empty());  // two edits from exp: too many for three letters
  CHECK(did_you_mean("tensordot", kNames).empty());
  // The name itself is not a suggestion.
  CHECK(closest_name("exp", kNames).empty());
}

}  // namespace
}  // namespace ag
