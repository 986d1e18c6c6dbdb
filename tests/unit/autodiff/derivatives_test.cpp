// Tests of jacobian, batch_jacobian, hessian and jvp (reference/tf-semantics.md B.9, B.10), from
// the engine (autodiff/derivatives.h) up to the spec calls, and of the nan-trap warning.
// Expected values are TF's docstring values or hand-derived calculus, never output of the code
// under test.
#include <doctest/doctest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "../support.h"
#include "autodiff/derivatives.h"
#include "autodiff/tape.h"
#include "diag/error.h"
#include "ops/api.h"

namespace ag {
namespace {

using testing::doubles;
using testing::f32;
using testing::f64;

using testing::source_of;

Tensor eval(const std::string& expression, const Tensor& x) { return testing::evaluate_tensor(expression, {{"x", Value::of(x)}}); }

/// Runs a spec and returns its standard output, requiring success.
std::string run_ok(const std::string& yaml) {
  testing::SpecRun run = testing::run_spec_text(yaml);
  INFO(run.errors);
  REQUIRE(run.exit_code == 0);
  return run.output;
}

// ---------------------------------------------------------------------------------------------
// jacobian

TEST_CASE("derivatives: jacobian of x * x is TF's docstring [[2, 0], [0, 4]]") {
  Tensor x = f32({2}, {1, 2});
  GradientTape tape(true, true);
  tape.watch(x);
  tape.push();
  Tensor y = eval("x * x", x);
  tape.pop();
  std::optional<Tensor> j = jacobian(tape, y, {source_of(x)}, Unconnected::kNone)[0];
  REQUIRE(j);
  CHECK(j->shape() == Shape{2, 2});
  CHECK(j->dtype() == DType::kFloat32);
  CHECK(doubles(*j) == std::vector<double>{2, 0, 0, 4});
}

TEST_CASE("derivatives: jacobian shape is target.shape + source.shape, row i the gradient of element i") {
  // y[i, k] = sum_j a[i, j] x[j, k]: d y[i, k] / d x[j, l] = a[i, j] if k == l.
  Tensor a = f64({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor x = f64({3, 2}, {0.5, -1, 2, 0, 1, 3});
  GradientTape tape(true, true);
  tape.watch(x);
  tape.push();
  Tensor y = ops::matmul(a, x, false, false);
  tape.pop();
  std::optional<Tensor> j = jacobian(tape, y, {source_of(x)}, Unconnected::kNone)[0];
  REQUIRE(j);
  CHECK(j->shape() == Shape{2, 2, 3, 2});
  std::vector<double> values = doubles(*j);
  std::vector<double> av = doubles(a);
  for (int i = 0; i < 2; ++i)
    for (int k = 0; k < 2; ++k)
      for (int jj = 0; jj < 3; ++jj)
        for (int l = 0; l < 2; ++l) CHECK(values[((i * 2 + k) * 3 + jj) * 2 + l] == (k == l ? av[i * 3 + jj] : 0.0));
}

TEST_CASE("derivatives: a scalar target's jacobian is its gradient") {
  Tensor x = f64({3}, {1, -2, 0.5});
  GradientTape tape(true, true);
  tape.watch(x);
  tape.push();
  Tensor y = eval("reduce_sum(x * x * x)", x);
  tape.pop();
  std::optional<Tensor> j = jacobian(tape, y, {source_of(x)}, Unconnected::kNone)[0];
  REQUIRE(j);
  CHECK(j->shape() == Shape{3});
  CHECK(doubles(*j) == std::vector<double>{3, 12, 0.75});
}

TEST_CASE("derivatives: an unconnected source gives None, or zeros of the full shape with 'zero'") {
  Tensor x = f32({2}, {1, 2});
  Tensor u = f32({3}, {1, 2, 3});
  GradientTape tape(true, true);
  tape.watch(x);
  tape.watch(u);
  tape.push();
  Tensor y = eval("x * 2.0", x);
  tape.pop();
  std::vector<std::optional<Tensor>> none = jacobian(tape, y, {source_of(x), source_of(u)}, Unconnected::kNone);
  REQUIRE(none[0]);
  CHECK(doubles(*none[0]) == std::vector<double>{2, 0, 0, 2});
  CHECK_FALSE(none[1]);
  std::optional<Tensor> zero = jacobian(tape, y, {source_of(u)}, Unconnected::kZero)[0];
  REQUIRE(zero);
  CHECK(zero->shape() == Shape{2, 3});
  CHECK(doubles(*zero) == std::vector<double>(6, 0.0));
}

TEST_CASE("derivatives: a jacobian computed on a recording tape can be differentiated again") {
  // J = diag(3 x²); d sum(J) / dx = 6 x.
  Tensor x = f64({3}, {1, -2, 0.5});
  GradientTape tape(true, true);
  tape.watch(x);
  tape.push();
  Tensor y = eval("x * x * x", x);
  std::optional<Tensor> j = jacobian(tape, y, {source_of(x)}, Unconnected::kNone)[0];
  REQUIRE(j);
  std::optional<Tensor> d = tape.gradient({*j}, {source_of(x)}, {}, Unconnected::kNone)[0];
  tape.pop();
  REQUIRE(d);
  CHECK(doubles(*d) == std::vector<double>{6, -12, 3});
}

TEST_CASE("derivatives: pack_rows stacks along a new first axis and its gradient slices the rows back") {
  Tensor a = f64({2}, {1, 2});
  Tensor b = f64({2}, {3, 4});
  GradientTape tape(true, true);
  tape.watch(a);
  tape.watch(b);
  tape.push();
  Tensor packed = pack_rows({a, b});
  Tensor loss = eval("reduce_sum(x * [[1.0, 2.0], [3.0, 4.0]])", packed);
  tape.pop();
  CHECK(packed.shape() == Shape{2, 2});
  CHECK(doubles(packed) == std::vector<double>{1, 2, 3, 4});
  std::vector<std::optional<Tensor>> g = tape.gradient({loss}, {source_of(a), source_of(b)}, {}, Unconnected::kNone);
  REQUIRE(g[0]);
  REQUIRE(g[1]);
  CHECK(doubles(*g[0]) == std::vector<double>{1, 2});
  CHECK(doubles(*g[1]) == std::vector<double>{3, 4});
}

// ---------------------------------------------------------------------------------------------
// batch_jacobian

TEST_CASE("derivatives: batch_jacobian of x * x is TF's docstring [[[2, 0], [0, 4]], [[6, 0], [0, 8]]]") {
  Tensor x = f32({2, 2}, {1, 2, 3, 4});
  GradientTape tape(true, true);
  tape.watch(x);
  tape.push();
  Tensor y = eval("x * x", x);
  tape.pop();
  std::optional<Tensor> j = batch_jacobian(tape, y, source_of(x), Unconnected::kNone);
  REQUIRE(j);
  CHECK(j->shape() == Shape{2, 2, 2});
  CHECK(doubles(*j) == std::vector<double>{2, 0, 0, 4, 6, 0, 0, 8});
}

TEST_CASE("derivatives: batch_jacobian keeps target.shape + source.shape[1:]") {
  // y[b, i, k] = x[b, i] * w[k]: d y[b, i, k] / d x[b, j] = w[k] if i == j.
  Tensor x = f64({2, 3}, {1, 2, 3, 4, 5, 6});
  GradientTape tape(true, true);
  tape.watch(x);
  tape.push();
  Tensor y = eval("reshape(x, [2, 3, 1]) * [0.5, -1.0]", x);
  tape.pop();
  std::optional<Tensor> j = batch_jacobian(tape, y, source_of(x), Unconnected::kNone);
  REQUIRE(j);
  CHECK(j->shape() == Shape{2, 3, 2, 3});
  std::vector<double> values = doubles(*j);
  const double w[2] = {0.5, -1.0};
  for (int b = 0; b < 2; ++b)
    for (int i = 0; i < 3; ++i)
      for (int k = 0; k < 2; ++k)
        for (int jj = 0; jj < 3; ++jj) CHECK(values[((b * 3 + i) * 2 + k) * 3 + jj] == (i == jj ? w[k] : 0.0));
}

TEST_CASE("derivatives: batch_jacobian's shape errors are TF's ValueErrors") {
  Tensor x = f32({2, 2}, {1, 2, 3, 4});
  Tensor v = f32({3}, {1, 2, 3});
  GradientTape tape(true, true);
  tape.watch(x);
  tape.push();
  Tensor y = eval("reshape(x, [4, 1])", x);
  tape.pop();
  CHECK_THROWS_WITH(batch_jacobian(tape, y, source_of(x), Unconnected::kNone),
                    "Need first dimension of target shape (4, 1) and source shape (2, 2) to match.");
  CHECK_THROWS_WITH(batch_jacobian(tape, v, source_of(x), Unconnected::kNone), "Shape (3,) must have rank at least 2");
}

// ---------------------------------------------------------------------------------------------
// hessian

TEST_CASE("derivatives: the hessian of a quadratic form xᵀAx is A + Aᵀ") {
  Tensor a = f64({3, 3}, {2, 1, 0, -1, 3, 4, 0.5, 0, 1});
  Tensor x = f64({3, 1}, {0.3, -1.2, 2.0});
  GradientTape tape(true, true);
  tape.watch(x);
  tape.push();
  Tensor y = ops::matmul(x, ops::matmul(a, x, false, false), true, false);
  std::optional<Tensor> h = hessian(tape, {y}, {source_of(x)}, Unconnected::kNone)[0];
  tape.pop();
  REQUIRE(h);
  CHECK(h->shape() == Shape{3, 1, 3, 1});
  std::vector<double> av = doubles(a), hv = doubles(*h);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) CHECK(hv[i * 3 + j] == doctest::Approx(av[i * 3 + j] + av[j * 3 + i]).epsilon(1e-12));
}

TEST_CASE("derivatives: the hessian of a linear function is None, zeros with 'zero'") {
  Tensor x = f32({2}, {1, 2});
  GradientTape tape(true, true);
  tape.watch(x);
  tape.push();
  Tensor y = eval("reduce_sum(3.0 * x)", x);
  CHECK_FALSE(hessian(tape, {y}, {source_of(x)}, Unconnected::kNone)[0]);
  std::optional<Tensor> zero = hessian(tape, {y}, {source_of(x)}, Unconnected::kZero)[0];
  tape.pop();
  REQUIRE(zero);
  CHECK(zero->shape() == Shape{2, 2});
}

// ---------------------------------------------------------------------------------------------
// jvp

TEST_CASE("derivatives: jvp is J·v, the transpose of the VJP") {
  // y = x * reverse(x) + sin(x): J = [[x1 + cos x0, x0], [x1, x0 + cos x1]].
  const double x0 = 0.7, x1 = -1.5, v0 = 2.0, v1 = 0.25;
  Tensor x = f64({2}, {x0, x1});
  Tensor v = f64({2}, {v0, v1});
  GradientTape tape(true, true);
  tape.watch(x);
  tape.push();
  Tensor y = eval("x * x[::-1] + sin(x)", x);
  tape.pop();
  std::optional<Tensor> jv = jvp(tape, {y}, {source_of(x)}, {v}, Unconnected::kNone)[0];
  REQUIRE(jv);
  std::vector<double> got = doubles(*jv);
  CHECK(got[0] == doctest::Approx((x1 + std::cos(x0)) * v0 + x0 * v1).epsilon(1e-14));
  CHECK(got[1] == doctest::Approx(x1 * v0 + (x0 + std::cos(x1)) * v1).epsilon(1e-14));
}

TEST_CASE("derivatives: jvp of an unconnected target is None, zeros_like(target) with 'zero'") {
  Tensor x = f32({2}, {1, 2});
  Tensor c = f32({3}, {1, 2, 3});
  GradientTape tape(true, true);
  tape.watch(x);
  tape.push();
  Tensor y = eval("x * 2.0", c);
  tape.pop();
  CHECK_FALSE(jvp(tape, {y}, {source_of(x)}, {f32({2}, {1, 1})}, Unconnected::kNone)[0]);
  std::optional<Tensor> zero = jvp(tape, {y}, {source_of(x)}, {f32({2}, {1, 1})}, Unconnected::kZero)[0];
  REQUIRE(zero);
  CHECK(zero->shape() == Shape{3});
}

// ---------------------------------------------------------------------------------------------
// The spec calls

TEST_CASE("derivatives: ForwardAccumulator's docstring values, inner and nested jvp of x ** 3.5 at 1.1") {
  CHECK(run_ok("inputs:\n  x: 1.1\noperations:\n  - y = x ** 3.5\nderivatives:\n  - inner = jvp(y, x, 1.0)\n"
               "  - outer = jvp(inner, x, 1.0)\n") ==
        "<tf.Tensor: shape=(), dtype=float32, numpy=4.4417057>\n<tf.Tensor: shape=(), dtype=float32, numpy=10.094786>\n");
}

TEST_CASE("derivatives: forward over backward, TF's HVP docstring: gradient [3, 12], jvp [6, 0]") {
  CHECK(run_ok("inputs:\n  v: {value: [1.0, 2.0], variable: true}\noperations:\n  - y = reduce_sum(v ** 3)\n"
               "derivatives:\n  - g = gradient(y, v)\n  - hvp = jvp(g, v, [1.0, 0.0])\n") ==
        "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([ 3., 12.], dtype=float32)>\n"
        "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([6., 0.], dtype=float32)>\n");
}

TEST_CASE("derivatives: batch_jacobian in a spec prints TF's docstring tensor") {
  CHECK(run_ok("inputs:\n  x: [[1.0, 2.0], [3.0, 4.0]]\noperations:\n  - y = x * x\nderivatives:\n"
               "  - j = batch_jacobian(y, x)\n") ==
        "<tf.Tensor: shape=(2, 2, 2), dtype=float32, numpy=\narray([[[2., 0.],\n        [0., 4.]],\n\n"
        "       [[6., 0.],\n        [0., 8.]]], dtype=float32)>\n");
}

TEST_CASE("derivatives: jacobian is the one call of a non-persistent tape; jvp does not use it") {
  const std::string head = "inputs:\n  x: [1.0, 2.0]\ntape: {persistent: false}\noperations:\n  - y = x * x\nderivatives:\n";
  testing::SpecRun twice = testing::run_spec_text(head + "  - j = jacobian(y, x)\n  - g = gradient(y, x)\n");
  CHECK(twice.exit_code == 3);
  CHECK(twice.errors ==
        "test.yaml:8:9: error: A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)\n");
  testing::SpecRun forward = testing::run_spec_text(head + "  - t = jvp(y, x, [1.0, 1.0])\n  - j = jacobian(y, x)\n");
  CHECK(forward.exit_code == 0);
  testing::SpecRun no_pfor = testing::run_spec_text(head + "  - j = jacobian(y, x, experimental_use_pfor=False)\n");
  CHECK(no_pfor.errors ==
        "test.yaml:7:9: error: GradientTape must be created with persistent=True to compute the jacobian with eager "
        "execution enabled and with  experimental_use_pfor set to False.\n");
}

TEST_CASE("derivatives: hessian in a spec has shape source.shape + source.shape") {
  // y = sum(x0² x1) : H = [[2 x1, 2 x0], [2 x0, 0]] at (1, 2).
  CHECK(run_ok("inputs:\n  x: [1.0, 2.0]\noperations:\n  - y = x[0] * x[0] * x[1]\nderivatives:\n  - h = hessian(y, x)\n") ==
        "<tf.Tensor: shape=(2, 2), dtype=float32, numpy=\narray([[4., 2.],\n       [2., 0.]], dtype=float32)>\n");
}

TEST_CASE("derivatives: jvp checks that each tangent has its source's shape") {
  testing::SpecRun run = testing::run_spec_text("inputs:\n  x: [1.0, 2.0]\noperations:\n  - y = x * x\nderivatives:\n"
                                                "  - t = jvp(y, x, [1.0, 2.0, 3.0])\n");
  CHECK(run.exit_code == 3);
  CHECK(run.errors == "test.yaml:6:9: error: jvp(): the tangent of source 0 has shape (3,) but the source has shape (2,)\n");
}

// ---------------------------------------------------------------------------------------------
// The nan trap

TEST_CASE("derivatives: a where whose branch not taken has an infinite derivative is named on stderr") {
  // log'(0) = inf: the zero where sends to log(x) at x = 0 becomes 0 * inf = nan.
  testing::SpecRun run = testing::run_spec_text(
      "inputs:\n  x: [0.0, 4.0]\noperations:\n  - y = where(x > 0, math.log(x), 0.)\nderivatives:\n  - g = gradient(y, x)\n");
  REQUIRE(run.exit_code == 0);
  CHECK(run.output == "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([ nan, 0.25], dtype=float32)>\n");
  CHECK(run.errors.rfind("test.yaml:4:9: warning: gradient() is nan at 1 element(s) because of 'where': where it does not "
                         "take its x argument",
                         0) == 0);
}

TEST_CASE("derivatives: the trap names maximum too, and the right one of several selections") {
  testing::SpecRun run = testing::run_spec_text(
      "inputs:\n  x: [0.0, 2.0]\noperations:\n  - a = minimum(x, 5.0)\n  - y = a + maximum(math.log(x), -10.0)\n"
      "derivatives:\n  - g = gradient(y, x)\n");
  REQUIRE(run.exit_code == 0);
  CHECK(run.errors.rfind("test.yaml:5:13: warning: gradient() is nan at 1 element(s) because of 'maximum'", 0) == 0);
  CHECK(run.errors.find("'minimum'") == std::string::npos);
}

TEST_CASE("derivatives: no warning when the gradient is finite, or when the nan is not a selection's") {
  testing::SpecRun safe = testing::run_spec_text(
      "inputs:\n  x: [0.0, 4.0]\noperations:\n  - y = where(x > 0, math.log(where(x > 0, x, 1.0)), 0.)\n"
      "derivatives:\n  - g = gradient(y, x)\n");
  CHECK(safe.output == "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([0.  , 0.25], dtype=float32)>\n");
  CHECK(safe.errors.empty());
  testing::SpecRun plain = testing::run_spec_text("inputs:\n  x: [0.0]\noperations:\n  - y = math.log(x)\nderivatives:\n"
                                                  "  - g = gradient(y, x)\n");
  CHECK(plain.errors.empty());
}

}  // namespace
}  // namespace ag
