// tf.random through whole specs: TF's seed rules (global seed, op seeds, the per-kernel counter
// that set_seed resets), Generator state and methods, the global generator, and bad input.
#include <doctest/doctest.h>

#include "../support.h"
#include "ops/random_state.h"

namespace ag {
namespace {

testing::SpecRun run(const std::string& yaml) {
  reset_random_state();  // each spec is its own program
  return testing::run_spec_text(yaml);
}

TEST_CASE("random ops: a seeded op continues its sequence; set_seed starts it again") {
  testing::SpecRun a = run(
      "operations:\n"
      "  - random.set_seed(3)\n"
      "  - x1 = random.uniform([2], seed=4)\n"
      "  - x2 = random.uniform([2], seed=4)\n"
      "  - random.set_seed(3)\n"
      "  - y1 = random.uniform([2], seed=4)\n"
      "output:\n"
      "  - equal(x1, y1)\n"
      "  - equal(x1, x2)\n");
  CHECK(a.output ==
        "<tf.Tensor: shape=(2,), dtype=bool, numpy=array([ True,  True])>\n"
        "<tf.Tensor: shape=(2,), dtype=bool, numpy=array([False, False])>\n");
}

TEST_CASE("random ops: with a global seed, unseeded ops get a fixed sequence of op seeds") {
  const char* spec =
      "operations:\n"
      "  - random.set_seed(1234)\n"
      "  - a = random.normal([3])\n"
      "  - b = random.normal([3])\n"
      "output:\n"
      "  - a\n"
      "  - b\n";
  testing::SpecRun first = run(spec);
  testing::SpecRun second = run(spec);
  CHECK(first.exit_code == 0);
  CHECK(first.output == second.output);
  // The two ops got different op seeds, so different numbers.
  CHECK(first.output.substr(0, first.output.find('\n')) != first.output.substr(first.output.find('\n') + 1));
}

TEST_CASE("random ops: Generator state advances 256 blocks per output, as TF's docstring shows") {
  testing::SpecRun r = run(
      "operations:\n"
      "  - g = random.Generator.from_seed(1234)\n"
      "  - n = g.normal([2, 3])\n"
      "  - after_normal = g.state.numpy()\n"
      "  - u = g.uniform([], maxval=10, dtype=int64)\n"
      "  - after_scalar = g.state.numpy()\n"
      "output:\n"
      "  - after_normal\n"
      "  - after_scalar\n"
      "  - g.algorithm\n"
      "  - g.key\n");
  CHECK(r.output == "array([2770,    0,    0])\narray([3026,    0,    0])\n1\n<tf.Tensor: shape=(), dtype=int64, numpy=0>\n");
}

TEST_CASE("random ops: from_key_counter and from_state build the state TF builds") {
  testing::SpecRun r = run(
      "output:\n"
      "  - random.Generator.from_key_counter(key=5, counter=[7, 0], alg='philox').state\n"
      "  - random.Generator.from_state([1, 2, 3], alg=random.Algorithm.PHILOX).state\n"
      "  - random.create_rng_state([12, 34], 'philox')\n"
      "  - random.create_rng_state(-1, 'threefry')\n");
  CHECK(r.output ==
        "<tf.Variable 'Variable:0' shape=(3,) dtype=int64, numpy=array([7, 0, 5])>\n"
        "<tf.Variable 'Variable:0' shape=(3,) dtype=int64, numpy=array([1, 2, 3])>\n"
        "<tf.Tensor: shape=(3,), dtype=int64, numpy=array([ 0, 12, 34])>\n"
        "<tf.Tensor: shape=(2,), dtype=int64, numpy=array([-1, -1])>\n");
}

TEST_CASE("random ops: split generators start from new keys with a zero counter") {
  testing::SpecRun r = run(
      "operations:\n"
      "  - g = random.Generator.from_seed(1)\n"
      "  - seeds = random.Generator.from_seed(1).make_seeds(2)\n"
      "  - parts = g.split(2)\n"
      "output:\n"
      "  - equal(parts[0].state.read_value()[2], seeds[0, 0])\n"
      "  - parts[1].state.read_value()[0:2]\n");
  CHECK(r.output ==
        "<tf.Tensor: shape=(), dtype=bool, numpy=True>\n"
        "<tf.Tensor: shape=(2,), dtype=int64, numpy=array([0, 0])>\n");
}

TEST_CASE("random ops: the global generator is the same object until replaced") {
  testing::SpecRun r = run(
      "operations:\n"
      "  - random.set_global_generator(random.Generator.from_seed(1234))\n"
      "  - x = random.get_global_generator().normal([2, 3])\n"
      "output:\n"
      "  - x\n");
  CHECK(r.output ==
        "<tf.Tensor: shape=(2, 3), dtype=float32, numpy=\n"
        "array([[ 0.9356609 ,  1.0854305 , -0.93788373],\n"
        "       [-0.5061547 ,  1.3169702 ,  0.7137579 ]], dtype=float32)>\n");
}

TEST_CASE("random ops: Algorithm members print as Python's enum does") {
  testing::SpecRun r = run(
      "output:\n"
      "  - random.Algorithm.THREEFRY\n"
      "  - print(random.Algorithm.PHILOX)\n"
      "  - random.Algorithm(3)\n"
      "  - random.Algorithm.PHILOX.value\n");
  CHECK(r.output == "<Algorithm.THREEFRY: 2>\nAlgorithm.PHILOX\n<Algorithm.AUTO_SELECT: 3>\n1\n");
}

TEST_CASE("random ops: bad input is a clear error, never an allocation") {
  struct Case {
    const char* expression;
    const char* message;
  };
  const Case cases[] = {
      {"random.stateless_uniform([2], seed=[[1, 2]])", "stateless_uniform: seed must have shape [2], not [1,2]"},
      {"random.stateless_uniform([2], seed=[1.0, 2.0])", "stateless_uniform: Invalid seed type: float32 (a seed is a shape [2] tensor of int32 or int64)"},
      {"random.uniform([2, -5])", "random.uniform: Dimension -5 must be >= 0"},
      {"random.experimental.stateless_split([1, 2], num=-1)", "stateless_split: Dimension -1 must be >= 0"},
      {"random.Generator.from_seed(1, alg=7)", "Unsupported algorithm id: 7"},
      {"random.uniform([2], dtype=int32)", "Must specify maxval for integer dtype tf.int32"},
      {"random.stateless_uniform([2], seed=[1, 2], minval=1, dtype=int32)",
       "For integer dtype int32, minval and maxval must be both `None` or both non-`None`."},
      {"random.gamma([2], [1.0], dtype=int32)", "random.gamma: dtype int32 is not supported (float16, float32 or float64)"},
      {"random.poisson([2], [float('inf')])", ""},
  };
  for (const Case& c : cases) {
    if (std::string(c.message).empty()) continue;
    testing::SpecRun r = run(std::string("output:\n  - ") + c.expression + "\n");
    CHECK_MESSAGE(r.exit_code == 3, c.expression);
    CHECK(r.errors == std::string("test.yaml:2:5: error: ") + c.message + "\n");
  }
}

}  // namespace
}  // namespace ag
