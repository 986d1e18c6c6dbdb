// TF's gradient conventions for the math and nn ops of issue 4 where finite differences cannot
// decide (kinks, zeros, ties, stop_gradient, fused backward kernels) and the values of the list,
// scan and index ops. Expected values are hand-derived or TF's documented behaviour.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "../support.h"
#include "autodiff/tape.h"
#include "diag/error.h"
#include "ops/api.h"
#include "ops/random_state.h"

namespace ag {
namespace {

using testing::doubles;
using testing::evaluate_tensor;

/// d^n/dx^n of sum(expression), n = 1..max_order, on one persistent tape that keeps recording.
std::vector<std::optional<Tensor>> derivatives(const std::string& expression, const Tensor& x, int max_order) {
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor current = evaluate_tensor(expression, {{"x", Value::of(x)}});
  GradientSource source{{x.id()}, x.shape(), x.dtype()};
  std::vector<std::optional<Tensor>> result;
  for (int order = 1; order <= max_order; ++order) {
    std::optional<Tensor> next = tape.gradient({current}, {source}, {}, Unconnected::kNone)[0];
    result.push_back(next);
    if (!next) break;
    current = *next;
  }
  tape.pop();
  return result;
}

std::vector<double> first(const std::string& expression, const Tensor& x) {
  auto d = derivatives(expression, x, 1);
  REQUIRE(d[0].has_value());
  return doubles(*d[0]);
}

TEST_CASE("math nn: relu, relu6 and leaky_relu have gradient 0 (alpha) at 0 and zeros, not None, as second derivative") {
  Tensor x = testing::f32({3}, {-1, 0, 2});
  for (const char* expression : {"nn.relu(x)", "nn.relu6(x)", "nn.leaky_relu(x, alpha=0.25)"}) {
    auto d = derivatives(expression, x, 3);
    REQUIRE(d.size() >= 2);
    REQUIRE(d[1].has_value());
    CHECK(doubles(*d[1]) == std::vector<double>{0, 0, 0});
  }
  CHECK(first("nn.relu(x)", x) == std::vector<double>{0, 0, 1});
  CHECK(first("nn.leaky_relu(x, alpha=0.25)", x) == std::vector<double>{0.25, 0.25, 1});
}

TEST_CASE("math nn: elu's second derivative is where(y < 0, exp(x), 0) through EluGrad's gradient") {
  Tensor x = testing::f64({3}, {-1.0, 0.0, 2.0});
  auto d = derivatives("nn.elu(x)", x, 2);
  REQUIRE(d[1].has_value());
  std::vector<double> d2 = doubles(*d[1]);
  CHECK(d2[0] == doctest::Approx(std::exp(-1.0)).epsilon(1e-15));
  CHECK(d2[1] == 0.0);
  CHECK(d2[2] == 0.0);
}

TEST_CASE("math nn: reduce_prod's gradient is right with one and with two zeros") {
  Tensor x = testing::f32({2, 3}, {2, 0, 3, 0, 0, 5});
  CHECK(first("reduce_prod(x, axis=1)", x) == std::vector<double>{0, 6, 0, 0, 0, 0});
  CHECK(first("reduce_prod(x)", testing::f64({3}, {-2, 0.5, 4})) == std::vector<double>{2, -8, -1});
}

TEST_CASE("math nn: SigmoidGrad orders its products differently on packets and on the scalar tail, as TF's functor") {
  // packet: g * (y * (1 - y)); scalar: (g * y) * (1 - y). These operands round differently.
  const float y = 0.26978672f, g = -1.1498239f;
  Tensor ys = testing::f32({9}, std::vector<double>(9, y));
  Tensor gs = testing::f32({9}, std::vector<double>(9, g));
  std::vector<double> out = doubles(ops::sigmoid_grad(ys, gs));
  for (int i = 0; i < 8; ++i) CHECK(static_cast<float>(out[i]) == -0.22651742f);
  CHECK(static_cast<float>(out[8]) == -0.22651744f);
  // SqrtGrad: packet (0.5 / y) * g, scalar (0.5 * g) / y.
  std::vector<double> root = doubles(ops::sqrt_grad(testing::f32({9}, std::vector<double>(9, 0.8934392f)),
                                                    testing::f32({9}, std::vector<double>(9, 0.4279815f))));
  CHECK(static_cast<float>(root[0]) == 0.23951349f);
  CHECK(static_cast<float>(root[8]) == 0.2395135f);
}

TEST_CASE("math nn: sqrt's gradient is 0 where the incoming gradient is 0, even at sqrt(0)") {
  Tensor y = testing::f32({2}, {0, 4});
  CHECK(doubles(ops::sqrt_grad(y, testing::f32({2}, {0, 1}))) == std::vector<double>{0, 0.125});
  CHECK(std::isinf(doubles(ops::sqrt_grad(y, testing::f32({2}, {1, 1})))[0]));
  CHECK(doubles(ops::rsqrt_grad(testing::f32({1}, {2}), testing::f32({1}, {0})))[0] == 0.0);
}

TEST_CASE("math nn: the fifth derivative of tanh runs through TanhGrad's own gradient") {
  Tensor x = testing::f64({2}, {-0.7, 0.4});
  auto d = derivatives("tanh(x)", x, 5);
  REQUIRE(d.size() == 5);
  REQUIRE(d[4].has_value());
  // With t = tanh(x) and t' = 1 - t²: d⁵ tanh = (16 - 120 t² + 120 t⁴)(1 - t²).
  for (std::size_t i = 0; i < 2; ++i) {
    double t = std::tanh(doubles(x)[i]);
    double t2 = t * t;
    double expected = (16 - 120 * t2 + 120 * t2 * t2) * (1 - t2);
    CHECK(doubles(*d[4])[i] == doctest::Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("math nn: digamma is +inf at its poles and polygamma(1, 1) is pi²/6") {
  std::vector<double> psi = doubles(evaluate_tensor("math.digamma(x)", {{"x", Value::of(testing::f64({3}, {0, -2, 1}))}}));
  CHECK(std::isinf(psi[0]));
  CHECK(psi[0] > 0);
  CHECK(std::isinf(psi[1]));
  CHECK(psi[2] == doctest::Approx(-0.5772156649015329).epsilon(1e-15));
  const double pi = std::acos(-1.0);
  CHECK(doubles(evaluate_tensor("math.polygamma(1.0, x)", {{"x", Value::of(testing::f64({1}, {1}))}}))[0] ==
        doctest::Approx(pi * pi / 6).epsilon(1e-14));
  CHECK(std::isnan(doubles(evaluate_tensor("math.polygamma(0.5, x)", {{"x", Value::of(testing::f64({1}, {1}))}}))[0]));
}

TEST_CASE("math nn: moments' variance holds the mean constant, so its second derivative is 2/n") {
  Tensor x = testing::f64({4}, {1, 2, 4, 7});
  auto d = derivatives("nn.moments(x, axes=[0])[1]", x, 2);
  REQUIRE(d[1].has_value());
  // var = mean((x - m)²): d var/dx = 2 (x - m) / n with m = 3.5, and the stop_gradient drops the
  // -2/n² term of the true Hessian.
  CHECK(doubles(*d[0]) == std::vector<double>{-1.25, -0.75, 0.25, 1.75});
  CHECK(doubles(*d[1]) == std::vector<double>{0.5, 0.5, 0.5, 0.5});
}

TEST_CASE("math nn: cross-entropy gradients: labels get -log_softmax, sparse labels get None") {
  Tensor logits = testing::f64({1, 3}, {1, 2, 3});
  Tensor labels = testing::f64({1, 3}, {0.2, 0.3, 0.5});
  GradientTape tape(true, true);
  tape.push();
  tape.watch(logits);
  tape.watch(labels);
  Tensor loss = evaluate_tensor("nn.softmax_cross_entropy_with_logits(labels=z, logits=x)",
                                {{"z", Value::of(labels)}, {"x", Value::of(logits)}});
  tape.pop();
  auto grads = tape.gradient({loss}, {{{logits.id()}, logits.shape(), logits.dtype()}, {{labels.id()}, labels.shape(), labels.dtype()}},
                             {}, Unconnected::kNone);
  REQUIRE(grads[1].has_value());
  const double lse = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
  std::vector<double> dz = doubles(*grads[1]);
  for (int i = 0; i < 3; ++i) CHECK(dz[i] == doctest::Approx(lse - (i + 1)).epsilon(1e-14));
  Tensor sparse_loss = evaluate_tensor("nn.sparse_softmax_cross_entropy_with_logits(labels=[2], logits=x)", {{"x", Value::of(logits)}});
  CHECK(doubles(sparse_loss)[0] == doctest::Approx(lse - 3).epsilon(1e-14));
}

TEST_CASE("math nn: a label outside the classes is TF's InvalidArgument") {
  CHECK_THROWS_WITH_AS(evaluate_tensor("nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 3], logits=[[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])"),
                       "Received a label value of 3 which is outside the valid range of [0, 3).  Label values: 0 3", UserError);
}

TEST_CASE("math nn: cumsum and cumprod, exclusive and reversed") {
  CHECK(doubles(evaluate_tensor("cumsum([1.0, 2.0, 3.0], exclusive=True, reverse=True)")) == std::vector<double>{5, 3, 0});
  CHECK(doubles(evaluate_tensor("math.cumprod([1.0, 2.0, 3.0], exclusive=True)")) == std::vector<double>{1, 1, 2});
  CHECK(doubles(evaluate_tensor("cumsum([[1, 2], [3, 4]], axis=1)")) == std::vector<double>{1, 3, 3, 7});
}

TEST_CASE("math nn: argmax keeps the first of tied maxima and skips NaN; where() gives coordinates") {
  CHECK(doubles(evaluate_tensor("argmax([[1.0, 5.0, 5.0], [nan_value, 2.0, 1.0]], axis=1)",
                                {{"nan_value", Value::of_float(std::nan(""))}})) == std::vector<double>{1, 1});
  Tensor where = evaluate_tensor("where([[True, False], [False, True]])");
  CHECK(where.dtype() == DType::kInt64);
  CHECK(where.shape() == Shape{2, 2});
  CHECK(doubles(where) == std::vector<double>{0, 0, 1, 1});
}

TEST_CASE("math nn: add_n of one tensor is a new tensor, and the gradient goes to every input") {
  Tensor x = testing::f32({2}, {1, 2});
  CHECK(first("add_n([x, x, 2.0 * x])", x) == std::vector<double>{4, 4});
  CHECK(ops::add_n({x}).id() != x.id());
}

TEST_CASE("math nn: a seeded dropout keeps the elements whose uniform sample is >= rate and scales them") {
  reset_random_state();
  Tensor dropped = evaluate_tensor("nn.dropout(ones([64]), 0.5, seed=7)");
  reset_random_state();
  std::vector<double> sample = doubles(evaluate_tensor("random.uniform([64], seed=7)"));
  std::vector<double> expected;
  for (double u : sample) expected.push_back(u >= 0.5 ? 2.0 : 0.0);
  CHECK(doubles(dropped) == expected);
  reset_random_state();
  CHECK_THROWS_AS(evaluate_tensor("nn.dropout(ones([2]), 1.0)"), UserError);
}

}  // namespace
}  // namespace ag
