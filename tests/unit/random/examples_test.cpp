// Every tf.random and tf.dtypes row has a summary and an example that runs as a spec output.
#include <doctest/doctest.h>

#include "../support.h"
#include "ops/catalog.h"
#include "ops/random_state.h"

namespace ag {
namespace {

TEST_CASE("random and dtypes rows: each example runs and each row documents itself") {
  int checked = 0;
  for (const OpDef* op : catalog()) {
    std::string path(op->path);
    if (path.rfind("random.", 0) != 0 && path.rfind("dtypes.", 0) != 0) continue;
    CHECK_MESSAGE(!op->summary.empty(), path);
    CHECK_MESSAGE(!op->example.empty(), path);
    reset_random_state();
    std::string example(op->example);
    bool bare_call = example.rfind("random.set_seed", 0) == 0 || example.rfind("random.set_global_generator", 0) == 0;
    testing::SpecRun run = testing::run_spec_text(bare_call ? "operations:\n  - " + example + "\n"
                                                            : "output:\n  - \"" + example + "\"\n");
    CHECK_MESSAGE(run.exit_code == 0, path << ": " << example << " -> " << run.errors);
    ++checked;
  }
  CHECK(checked >= 59);
}

}  // namespace
}  // namespace ag
