// Tests of leaving a run's state to the process's exit: what is kept is never freed, a run asked to
// keep its state gives the same result, and the request covers the next run only.
#include <doctest/doctest.h>

#include <memory>
#include <sstream>

#include "../support.h"
#include "core/limits.h"
#include "spec/runner.h"

namespace ag {
namespace {

TEST_CASE("keep_until_exit: what is kept is never freed") {
  bool freed = false;
  keep_until_exit(std::shared_ptr<const int>(new int(7), [&freed](const int* p) {
    freed = true;
    delete p;
  }));
  CHECK_FALSE(freed);
}

TEST_CASE("keep_next_run_until_exit: same result; the state of that run only is kept") {
  // 1000 float64 values: 8000 bytes charged against the memory limit while they are alive.
  const char* yaml = "inputs:\n  x: {value: \"ones([1000], dtype=float64)\"}\noperations:\n  - y = sin(x) * 2.0\n"
                     "derivatives:\n  - g = gradient(reduce_sum(y), x)\noutput: [reduce_sum(g)]\n";
  const std::uint64_t base = limits::bytes_in_use();
  testing::SpecRun freed = testing::run_spec_text(yaml);
  CHECK(freed.exit_code == 0);
  CHECK(limits::bytes_in_use() == base);

  keep_next_run_until_exit();
  testing::SpecRun kept = testing::run_spec_text(yaml);
  CHECK(kept.output == freed.output);
  CHECK(kept.errors == freed.errors);
  const std::uint64_t after_kept = limits::bytes_in_use();
  CHECK(after_kept > base);  // the run's tensors are still alive

  testing::SpecRun next = testing::run_spec_text(yaml);  // not kept: the request was used up
  CHECK(next.output == freed.output);
  CHECK(limits::bytes_in_use() == after_kept);
}

}  // namespace
}  // namespace ag
