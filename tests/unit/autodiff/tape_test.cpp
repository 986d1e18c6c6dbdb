// Tests of GradientTape semantics (reference/tf-semantics.md B.1-B.8): what is recorded, what a
// gradient call returns for unwatched, unconnected, integer and stopped sources, and the "None
// at higher order" rules that follow from recording. Expected values are TF's docstring values
// or hand-derived calculus, never output of the code under test.
#include <doctest/doctest.h>

#include <cmath>
#include <optional>
#include <vector>

#include "../support.h"
#include "autodiff/tape.h"
#include "diag/error.h"
#include "ops/api.h"
#include "ops/convert.h"

namespace ag {
namespace {

using testing::doubles;
using testing::f32;
using testing::f64;
using testing::scalar;

using testing::source_of;

/// tape.gradient(target, source) for one target and one source.
std::optional<Tensor> grad(GradientTape& tape, const Tensor& target, const Tensor& source,
                           Unconnected unconnected = Unconnected::kNone) {
  return tape.gradient({target}, {source_of(source)}, {}, unconnected)[0];
}

double only(const std::optional<Tensor>& t) {
  REQUIRE(t.has_value());
  REQUIRE(t->size() == 1);
  return t->element_as_double(0);
}

/// Evaluates an expression of x with the spec evaluator (records on the active tapes).
Tensor eval(const std::string& expression, const Tensor& x) { return testing::evaluate_tensor(expression, {{"x", Value::of(x)}}); }

// ---------------------------------------------------------------------------------------------
// B.1, B.2: what gets recorded

TEST_CASE("tape: an unwatched constant source gets no gradient") {
  Tensor x = scalar(3.0);
  Tensor c = scalar(2.0);
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor y = ops::multiply(x, c);
  tape.pop();
  CHECK(only(grad(tape, y, x)) == 2.0);
  CHECK_FALSE(grad(tape, y, c).has_value());
}

TEST_CASE("tape: only ops with a watched input are recorded, and their outputs become watched") {
  Tensor x = scalar(3.0);
  Tensor c = scalar(2.0);
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor unrelated = ops::multiply(c, c);
  CHECK(tape.node_count() == 0);
  Tensor y = ops::multiply(x, c);
  CHECK(tape.node_count() == 1);
  CHECK(tape.watches(y.id()));
  Tensor z = ops::sin(y);
  CHECK(tape.node_count() == 2);
  tape.pop();
  CHECK_FALSE(tape.watches(unrelated.id()));
  CHECK(only(grad(tape, z, x)) == doctest::Approx(2.0 * std::cos(6.0)));
}

TEST_CASE("tape: the first recorded where, maximum or minimum is known without a walk") {
  Tensor x = f32({2}, {1.0, -1.0});
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor y = ops::sin(ops::multiply(x, x));
  CHECK(tape.first_selection() == tape.node_count());  // none yet
  Tensor m = ops::maximum(y, ops::zeros_like(y));
  const std::size_t at = tape.node_count() - 1;
  CHECK(tape.first_selection() == at);
  Tensor w = ops::minimum(ops::exp(m), y);
  CHECK(tape.first_selection() == at);  // the first stays the first
  tape.pop();
  CHECK(tape.node(at).op->selects_branch);
  CHECK_FALSE(tape.node(0).op->selects_branch);
}

TEST_CASE("tape: ops run before watch() or outside the block are not recorded") {
  Tensor x = scalar(4.0);
  GradientTape tape(true, true);
  tape.push();
  Tensor before = ops::square(x);
  tape.watch(x);
  Tensor after = ops::square(x);
  tape.pop();
  Tensor outside = ops::square(x);
  CHECK_FALSE(grad(tape, before, x).has_value());
  CHECK(only(grad(tape, after, x)) == 8.0);
  CHECK_FALSE(grad(tape, outside, x).has_value());
}

TEST_CASE("tape: integer and bool tensors are never recorded, even when watched") {
  Tensor i = testing::tensor_of(DType::kInt32, {2}, {3, 4});
  Tensor b = testing::tensor_of(DType::kBool, {2}, {1, 0});
  GradientTape tape(true, true);
  tape.push();
  tape.watch(i);
  tape.watch(b);
  Tensor j = ops::multiply(i, i);
  Tensor k = ops::where(b, i, j);
  Tensor as_float = ops::cast(i, DType::kFloat32);
  tape.pop();
  CHECK(tape.node_count() == 0);
  CHECK_FALSE(grad(tape, j, i).has_value());
  CHECK_FALSE(grad(tape, k, b).has_value());
  CHECK_FALSE(grad(tape, as_float, i).has_value());
  // With 'zero', an integer source gets zeros of its own dtype.
  std::optional<Tensor> zero = grad(tape, j, i, Unconnected::kZero);
  REQUIRE(zero);
  CHECK(zero->dtype() == DType::kInt32);
  CHECK(doubles(*zero) == std::vector<double>{0, 0});
}

TEST_CASE("tape: recording happens on every active tape that watches an input, independently") {
  Tensor x = scalar(2.0);
  Tensor y = scalar(5.0);
  GradientTape outer(true, true);
  GradientTape inner(true, true);
  outer.push();
  inner.push();
  outer.watch(x);
  inner.watch(y);
  Tensor z = ops::multiply(x, y);
  inner.pop();
  outer.pop();
  CHECK(outer.node_count() == 1);
  CHECK(inner.node_count() == 1);
  CHECK(only(grad(outer, z, x)) == 5.0);
  CHECK_FALSE(grad(outer, z, y).has_value());
  CHECK(only(grad(inner, z, y)) == 2.0);
  CHECK_FALSE(grad(inner, z, x).has_value());
}

TEST_CASE("tape: re-entering an active tape fails with TF's message") {
  GradientTape tape(false, true);
  tape.push();
  try {
    tape.push();
    FAIL("a second push was accepted");
  } catch (const UserError& error) {
    CHECK(std::string(error.what()) ==
          "Tape is still recording, This can happen if you try to re-enter an already-active tape.");
  }
  tape.pop();
  CHECK(active_tapes().empty());
}

// ---------------------------------------------------------------------------------------------
// B.3: variables

TEST_CASE("tape: a trainable variable read inside the tape is watched automatically") {
  VariableState v;
  v.value = scalar(3.0);
  GradientTape tape(true, true);
  tape.push();
  Tensor y = ops::square(read_variable(v));
  tape.pop();
  GradientSource source{{v.reads[0].id()}, v.value.shape(), v.value.dtype()};
  CHECK(only(tape.gradient({y}, {source}, {}, Unconnected::kNone)[0]) == 6.0);
}

TEST_CASE("tape: a variable read before the tape, a non-trainable one, or any with watch_accessed_variables off is not watched") {
  VariableState early;
  early.value = scalar(1.0);
  Tensor early_read = read_variable(early);
  VariableState frozen;
  frozen.value = scalar(2.0);
  frozen.trainable = false;
  VariableState plain;
  plain.value = scalar(3.0);

  GradientTape tape(true, true);
  tape.push();
  Tensor a = ops::square(early_read);
  Tensor b = ops::square(read_variable(frozen));
  tape.pop();
  CHECK(tape.node_count() == 0);

  GradientTape manual(true, false);
  manual.push();
  Tensor c = ops::square(read_variable(plain));
  CHECK(manual.node_count() == 0);
  // An explicit watch makes any variable a source (TF's docstring: watch x only, w gets None).
  watch_variable(frozen, &manual);
  Tensor d = ops::square(read_variable(frozen));
  manual.pop();
  CHECK(manual.node_count() == 1);
  CHECK_FALSE(grad(manual, c, plain.reads.back()).has_value());
  CHECK(only(grad(manual, d, frozen.reads.back())) == 4.0);
}

TEST_CASE("tape: a variable read several times gets the sum over its reads") {
  VariableState v;
  v.value = scalar(3.0);
  GradientTape tape(true, true);
  tape.push();
  Tensor y = ops::multiply(read_variable(v), read_variable(v));
  tape.pop();
  REQUIRE(v.reads.size() == 2);
  GradientSource source{{v.reads[0].id(), v.reads[1].id()}, v.value.shape(), v.value.dtype()};
  CHECK(only(tape.gradient({y}, {source}, {}, Unconnected::kNone)[0]) == 6.0);
}

// ---------------------------------------------------------------------------------------------
// B.4: gradient()

TEST_CASE("tape: TF's docstring example, x = 3 and y = x * x, gives dy_dx = 6") {
  Tensor x = scalar(3.0);
  GradientTape tape(false, true);
  tape.push();
  tape.watch(x);
  Tensor y = ops::multiply(x, x);
  tape.pop();
  std::optional<Tensor> dy_dx = grad(tape, y, x);
  CHECK(only(dy_dx) == 6.0);
  CHECK(dy_dx->dtype() == DType::kFloat32);
  CHECK(dy_dx->shape().empty());
}

TEST_CASE("tape: an unconnected source gets None, or zeros of its shape and dtype with 'zero'") {
  Tensor x = f64({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor u = f64({4}, {1, 1, 1, 1});
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  tape.watch(u);
  Tensor y = ops::reduce_sum(ops::square(x), {0, 1}, false);
  tape.pop();
  std::vector<std::optional<Tensor>> none = tape.gradient({y}, {source_of(x), source_of(u)}, {}, Unconnected::kNone);
  REQUIRE(none[0]);
  CHECK(doubles(*none[0]) == std::vector<double>{2, 4, 6, 8, 10, 12});
  CHECK_FALSE(none[1].has_value());
  std::optional<Tensor> zero = grad(tape, y, u, Unconnected::kZero);
  REQUIRE(zero);
  CHECK(zero->shape() == Shape{4});
  CHECK(zero->dtype() == DType::kFloat64);
  CHECK(doubles(*zero) == std::vector<double>{0, 0, 0, 0});
}

TEST_CASE("tape: gradient(x, x) is ones even if x was never watched") {
  Tensor x = f32({3}, {1.5, -2, 7});
  GradientTape tape(true, true);
  tape.push();
  tape.pop();
  std::optional<Tensor> g = grad(tape, x, x);
  REQUIRE(g);
  CHECK(g->dtype() == DType::kFloat32);
  CHECK(doubles(*g) == std::vector<double>{1, 1, 1});
}

TEST_CASE("tape: a target that is neither recorded nor a source contributes nothing") {
  Tensor x = scalar(2.0);
  Tensor c = scalar(10.0);
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor y = ops::square(x);
  tape.pop();
  std::vector<std::optional<Tensor>> g = tape.gradient({y, c}, {source_of(x)}, {}, Unconnected::kNone);
  CHECK(only(g[0]) == 4.0);
  CHECK_FALSE(tape.gradient({c}, {source_of(x)}, {}, Unconnected::kNone)[0].has_value());
}

TEST_CASE("tape: a non-scalar target is differentiated as the sum of its elements") {
  Tensor x = f64({3}, {1, 2, 3});
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor y = ops::multiply(x, x);  // d sum(x²) = 2x
  Tensor z = ops::reduce_sum(x, {0}, false);
  tape.pop();
  CHECK(doubles(*grad(tape, y, x)) == std::vector<double>{2, 4, 6});
  // Several targets: the gradient of the sum of all of them.
  std::optional<Tensor> both = tape.gradient({y, z}, {source_of(x)}, {}, Unconnected::kNone)[0];
  REQUIRE(both);
  CHECK(doubles(*both) == std::vector<double>{3, 5, 7});
}

TEST_CASE("tape: output_gradients replaces ones_like(target), and None keeps ones") {
  Tensor x = f64({3}, {1, 2, 3});
  Tensor w = f64({3}, {10, 0, -1});
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor y = ops::multiply(x, x);
  Tensor z = ops::multiply(x, scalar(3.0, DType::kFloat64));
  tape.pop();
  std::optional<Tensor> g = tape.gradient({y}, {source_of(x)}, {w}, Unconnected::kNone)[0];
  REQUIRE(g);
  CHECK(doubles(*g) == std::vector<double>{20, 0, -6});
  // One entry per target; a missing one means ones.
  std::optional<Tensor> mixed = tape.gradient({y, z}, {source_of(x)}, {w, std::nullopt}, Unconnected::kNone)[0];
  REQUIRE(mixed);
  CHECK(doubles(*mixed) == std::vector<double>{23, 3, -3});
}

TEST_CASE("tape: gradients reaching a tensor along several paths are summed") {
  Tensor x = scalar(0.5, DType::kFloat64);
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor y = eval("x * x + sin(x) + x / 4.0 + exp(x) * x", x);
  tape.pop();
  double expected = 2 * 0.5 + std::cos(0.5) + 0.25 + std::exp(0.5) * (1 + 0.5);
  CHECK(only(grad(tape, y, x)) == doctest::Approx(expected).epsilon(1e-15));
}

// ---------------------------------------------------------------------------------------------
// B.8: stop_gradient

TEST_CASE("tape: stop_gradient blocks the path it is on, other paths still count") {
  Tensor x = scalar(3.0);
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor stopped = ops::stop_gradient(x);
  Tensor y = ops::multiply(stopped, x);     // d/dx = stop_gradient(x) = 3
  Tensor z = ops::square(stopped);          // no path at all
  tape.pop();
  CHECK(only(grad(tape, y, x)) == 3.0);
  CHECK_FALSE(grad(tape, z, x).has_value());
  CHECK(doubles(*grad(tape, z, x, Unconnected::kZero)) == std::vector<double>{0});
}

// ---------------------------------------------------------------------------------------------
// B.6: nested tapes and higher orders

TEST_CASE("tape: nested tapes give the second derivative, TF's docstring x = 5: dy_dx 10, d2y_dx2 2") {
  Tensor x = scalar(5.0);
  GradientTape outer(false, true);
  outer.push();
  outer.watch(x);
  GradientTape inner(false, true);
  inner.push();
  inner.watch(x);
  Tensor y = ops::multiply(x, x);
  inner.pop();
  std::optional<Tensor> dy_dx = grad(inner, y, x);  // inside the outer block: recorded there
  outer.pop();
  std::optional<Tensor> d2y_dx2 = grad(outer, *dy_dx, x);
  CHECK(only(dy_dx) == 10.0);
  CHECK(only(d2y_dx2) == 2.0);
}

TEST_CASE("tape: an inner gradient taken after the outer block ended is not differentiable") {
  Tensor x = scalar(5.0);
  GradientTape outer(false, true);
  GradientTape inner(false, true);
  outer.push();
  outer.watch(x);
  inner.push();
  inner.watch(x);
  Tensor y = ops::multiply(x, x);
  inner.pop();
  outer.pop();
  std::optional<Tensor> dy_dx = grad(inner, y, x);
  CHECK(only(dy_dx) == 10.0);
  CHECK_FALSE(grad(outer, *dy_dx, x).has_value());
}

TEST_CASE("tape: TF's persistent docstring example at x = 3 gives dz_dx 108 and dy_dx 6") {
  Tensor x = scalar(3.0);
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor y = ops::multiply(x, x);
  Tensor z = ops::multiply(y, y);
  tape.pop();
  CHECK(only(grad(tape, z, x)) == 108.0);
  CHECK(only(grad(tape, y, x)) == 6.0);
}

TEST_CASE("tape: a persistent tape still recording differentiates its own gradients") {
  Tensor x = scalar(0.7, DType::kFloat64);
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor y = ops::multiply(ops::sin(x), x);
  std::optional<Tensor> first = grad(tape, y, x);
  std::optional<Tensor> second = grad(tape, *first, x);
  tape.pop();
  CHECK(only(first) == doctest::Approx(std::cos(0.7) * 0.7 + std::sin(0.7)).epsilon(1e-15));
  CHECK(only(second) == doctest::Approx(-std::sin(0.7) * 0.7 + 2 * std::cos(0.7)).epsilon(1e-15));
}

/// d²f/dx² by two nested tapes, as gradient(..., order=2) does.
std::optional<Tensor> second_derivative(const std::string& expression, const Tensor& x, Unconnected unconnected) {
  GradientTape outer(false, true);
  outer.push();
  outer.watch(x);
  GradientTape inner(false, true);
  inner.push();
  inner.watch(x);
  Tensor y = eval(expression, x);
  inner.pop();
  std::optional<Tensor> first = grad(inner, y, x);
  outer.pop();
  REQUIRE(first);
  return grad(outer, *first, x, unconnected);
}

TEST_CASE("tape: d²(3x)/dx² and d²(x+1)/dx² are None: the first derivative is built from constants") {
  Tensor x = scalar(2.0);
  CHECK_FALSE(second_derivative("3.0 * x", x, Unconnected::kNone).has_value());
  CHECK_FALSE(second_derivative("x + 1.0", x, Unconnected::kNone).has_value());
  CHECK(only(second_derivative("x + 1.0", x, Unconnected::kZero)) == 0.0);
}

TEST_CASE("tape: d²(x*x)/dx² is 2") { CHECK(only(second_derivative("x * x", scalar(-1.5), Unconnected::kNone)) == 2.0); }

TEST_CASE("tape: the second derivative of abs is zeros, not None (Sign's gradient is zeros)") {
  Tensor x = f32({3}, {-2, 0.5, 3});
  std::optional<Tensor> d2 = second_derivative("abs(x)", x, Unconnected::kNone);
  REQUIRE(d2.has_value());
  CHECK(doubles(*d2) == std::vector<double>{0, 0, 0});
}

TEST_CASE("tape: the second derivative of maximum(x, 0.) is None (a mask selects the ones)") {
  Tensor x = f32({3}, {-2, 0.5, 3});
  CHECK_FALSE(second_derivative("maximum(x, 0.)", x, Unconnected::kNone).has_value());
}

TEST_CASE("tape: the exponent's gradient of pow is 0 where the base is <= 0, not nan") {
  Tensor x = f64({3}, {-2, 0, 2});
  Tensor y = f64({3}, {2, 3, 0.5});
  GradientTape tape(true, true);
  tape.push();
  tape.watch(y);
  Tensor z = ops::pow(x, y);
  tape.pop();
  std::vector<double> g = doubles(*grad(tape, z, y));
  CHECK(g[0] == 0.0);
  CHECK(g[1] == 0.0);
  CHECK(g[2] == doctest::Approx(std::sqrt(2.0) * std::log(2.0)).epsilon(1e-15));
}

// ---------------------------------------------------------------------------------------------
// Tape semantics as a spec user sees them (runner: warnings, errors, None)

TEST_CASE("tape: an integer source prints None after TF's three warnings") {
  testing::SpecRun run = testing::run_spec_text(
      "inputs:\n"
      "  x: {value: 3, dtype: int32}\n"
      "operations:\n"
      "  - y = x * x\n"
      "derivatives:\n"
      "  - dy_dx = gradient(y, x)\n");
  CHECK(run.exit_code == 0);
  CHECK(run.output == "None\n");
  CHECK(run.errors ==
        "WARNING:tensorflow:The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.int32\n"
        "WARNING:tensorflow:The dtype of the target tensor must be floating (e.g. tf.float32) when calling "
        "GradientTape.gradient, got tf.int32\n"
        "WARNING:tensorflow:The dtype of the source tensor must be floating (e.g. tf.float32) when calling "
        "GradientTape.gradient, got tf.int32\n");
}

TEST_CASE("tape: watching an integer tensor warns at most five times") {
  std::string spec = "inputs:\n";
  for (int i = 0; i < 7; ++i) spec += "  i" + std::to_string(i) + ": {value: 1, dtype: int64}\n";
  spec += "tape:\n  watch: [i0, i1, i2, i3, i4, i5, i6]\n";
  testing::SpecRun run = testing::run_spec_text(spec);
  CHECK(run.exit_code == 0);
  std::string line = "WARNING:tensorflow:The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.int64\n";
  std::string five;
  for (int i = 0; i < 5; ++i) five += line;
  CHECK(run.errors == five);
}

TEST_CASE("tape: a second gradient on a non-persistent tape fails with TF's message") {
  testing::SpecRun run = testing::run_spec_text(
      "inputs:\n"
      "  x: 3.0\n"
      "tape: {persistent: false}\n"
      "operations:\n"
      "  - y = x * x\n"
      "derivatives:\n"
      "  - a = gradient(y, x)\n"
      "  - b = gradient(y, x)\n",
      "specs/t.yaml");
  CHECK(run.exit_code == 3);
  CHECK(run.output.empty());
  CHECK(run.errors ==
        "specs/t.yaml:8:9: error: A non-persistent GradientTape can only be used to compute one set of gradients (or "
        "jacobians)\n");
}

TEST_CASE("tape: an unknown unconnected_gradients value is TF's ValueError") {
  testing::SpecRun run = testing::run_spec_text(
      "inputs:\n"
      "  x: 3.0\n"
      "operations:\n"
      "  - y = x * x\n"
      "derivatives:\n"
      "  - a = gradient(y, x, unconnected_gradients='foo')\n",
      "specs/t.yaml");
  CHECK(run.exit_code == 3);
  CHECK(run.errors.find("error: Unknown value for unconnected_gradients: 'foo'\n") != std::string::npos);
}

TEST_CASE("tape: watch_accessed_variables false leaves an unwatched variable with None (TF's docstring)") {
  testing::SpecRun run = testing::run_spec_text(
      "inputs:\n"
      "  x: {value: 2.0, variable: true}\n"
      "  w: {value: 5.0, variable: true}\n"
      "tape: {watch: [x], watch_accessed_variables: false}\n"
      "operations:\n"
      "  - y = x ** 2\n"
      "  - z = w ** 3\n"
      "derivatives:\n"
      "  - dy_dx = gradient(y, x)\n"
      "  - dz_dw = gradient(z, w)\n"
      "output:\n"
      "  - print(dy_dx)\n"
      "  - print(dz_dw)\n");
  CHECK(run.exit_code == 0);
  CHECK(run.output == "tf.Tensor(4.0, shape=(), dtype=float32)\nNone\n");
}

}  // namespace
}  // namespace ag

// ---------------------------------------------------------------------------------------------
// What a node keeps for the reverse sweep (a packed record of ids, ranks and differentiable inputs)

namespace ag {
namespace {

TEST_CASE("tape: a node's attributes read back as recorded; ops without any read as defaults") {
  Tensor x = f32({2, 3}, {1, 2, 3, 4, 5, 6});
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor t = ops::transpose(x, {1, 0});   // attributes: the permutation
  Tensor s = ops::sin(t);                 // none
  tape.pop();
  REQUIRE(tape.node_count() == 2);
  const Attrs& permuted = tape.node(0).attrs;
  CHECK(permuted.ints == std::vector<std::int64_t>{1, 0});
  const Attrs& plain = tape.node(1).attrs;
  CHECK(plain.ints.empty());
  CHECK(plain.shape.empty());
  CHECK_FALSE(plain.flag_a);
  CHECK_FALSE(plain.flag_b);
  CHECK(plain.dtype == Attrs{}.dtype);
  CHECK(plain.slices.empty());
  // The gradient goes back through the transpose's recorded permutation.
  std::optional<Tensor> g = grad(tape, s, x);
  REQUIRE(g.has_value());
  CHECK(g->shape() == Shape{2, 3});
  std::vector<double> expected;
  for (double v : {1, 2, 3, 4, 5, 6}) expected.push_back(std::cos(v));
  std::vector<double> got = doubles(*g);
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(got[i] == doctest::Approx(expected[i]).epsilon(1e-6));
}

TEST_CASE("tape: an op with more than 64 inputs gets a gradient for each (inputs past 64 are looked up)") {
  std::vector<Tensor> inputs;
  for (int i = 0; i < 70; ++i) inputs.push_back(scalar(static_cast<double>(i)));
  GradientTape tape(true, true);
  tape.push();
  for (int i = 0; i < 70; i += 3) tape.watch(inputs[static_cast<std::size_t>(i)]);  // every third
  Tensor total = ops::add_n(inputs);
  Tensor y = ops::multiply(total, scalar(2.0));
  tape.pop();
  for (int i = 0; i < 70; ++i) {
    CAPTURE(i);
    std::optional<Tensor> g = grad(tape, y, inputs[static_cast<std::size_t>(i)]);
    if (i % 3 == 0) {
      CHECK(only(g) == 2.0);
    } else {
      CHECK_FALSE(g.has_value());
    }
  }
}

TEST_CASE("tape: scalar and non-scalar gradients are broadcast where a rule hands back a smaller one") {
  // reduce_sum's gradient is a scalar that the sin node (of shape [3]) must see broadcast; the
  // scalar chain after it keeps scalar gradients.
  Tensor x = f32({3}, {0.5, 1.0, 1.5});
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor total = ops::reduce_sum(ops::sin(x), {0}, false);
  Tensor y = ops::multiply(ops::sin(total), scalar(3.0));
  tape.pop();
  std::optional<Tensor> g = grad(tape, y, x);
  REQUIRE(g.has_value());
  const double s = std::sin(0.5) + std::sin(1.0) + std::sin(1.5);
  std::vector<double> got = doubles(*g);
  REQUIRE(got.size() == 3);
  for (std::size_t i = 0; i < 3; ++i)
    CHECK(got[i] == doctest::Approx(3.0 * std::cos(s) * std::cos(0.5 * static_cast<double>(i + 1))).epsilon(1e-5));
}

}  // namespace
}  // namespace ag

namespace ag {
namespace {

TEST_CASE("TensorList: in place up to two tensors, on the heap beyond; copies and moves keep the tensors") {
  std::vector<Tensor> five;
  for (int i = 0; i < 5; ++i) five.push_back(scalar(static_cast<double>(i)));
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{5}}) {
    CAPTURE(n);
    TensorList list(std::vector<Tensor>(five.begin(), five.begin() + static_cast<std::ptrdiff_t>(n)));
    REQUIRE(list.size() == n);
    CHECK(list.empty() == (n == 0));
    for (std::size_t i = 0; i < n; ++i) CHECK(list[i].id() == five[i].id());
    TensorList copy(list);
    TensorList assigned{five[4]};
    assigned = list;
    TensorList moved(std::move(copy));
    CHECK(copy.size() == 0);  // NOLINT: moved-from lists are empty
    TensorList move_assigned{five[0], five[1], five[2]};
    move_assigned = std::move(assigned);
    for (const TensorList* l : {&list, &moved, &move_assigned}) {
      REQUIRE(l->size() == n);
      std::size_t i = 0;
      for (const Tensor& t : *l) CHECK(t.id() == five[i++].id());
    }
  }
  TensorList braced{five[3], five[1]};
  REQUIRE(braced.size() == 2);
  CHECK(braced[0].id() == five[3].id());
  CHECK(braced[1].id() == five[1].id());
}

}  // namespace
}  // namespace ag
