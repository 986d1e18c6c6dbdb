// Tests of the backward pass's shortcuts: a reduction's gradient that reaches the next rule
// without being broadcast to a full tensor first, and the sin/cos rules' fused product when no
// tape records them. Both must give the numbers of the plain rules bit for bit, gradients of the
// sources' full shapes, and the right values where the shortcut does not apply (broadcasting
// inputs, several uses of a tensor, higher orders). Expected values are hand-derived calculus or
// the plain rules' ops computed outside any tape.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <optional>
#include <vector>

#include "../support.h"
#include "autodiff/tape.h"
#include "kernels/kernels.h"
#include "ops/api.h"

namespace ag {
namespace {

using testing::doubles;
using testing::f32;
using testing::f64;

using testing::source_of;

/// Float32 values spread over several periods, with huge, tiny and special arguments mixed in,
/// of a length that is neither a multiple of a packet nor small enough to stay on one thread.
Tensor awkward_values(std::int64_t n) {
  Tensor t = Tensor::allocate(DType::kFloat32, {n});
  float* p = t.mutable_data<float>();
  for (std::int64_t i = 0; i < n; ++i) p[i] = static_cast<float>(std::sin(static_cast<double>(i) * 0.37) * 40.0);
  const float specials[] = {0.0f, -0.0f, 1e-40f, -3e-39f, 25966.0f, -30000.5f, 1e30f, INFINITY, -INFINITY, NAN};
  for (std::size_t k = 0; k < sizeof specials / sizeof specials[0]; ++k) p[static_cast<std::int64_t>(k) * 977 % n] = specials[k];
  return t;
}

/// The same float32 numbers bit for bit, any NaN matching any NaN: which operand's NaN a product
/// keeps is the compiler's choice in every multiply kernel, and prints the same.
bool same_bits(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape() || a.dtype() != b.dtype()) return false;
  const float* pa = a.data<float>();
  const float* pb = b.data<float>();
  for (std::int64_t i = 0; i < a.size(); ++i) {
    if (std::isnan(pa[i]) && std::isnan(pb[i])) continue;
    if (std::memcmp(pa + i, pb + i, sizeof(float)) != 0) return false;
  }
  return true;
}

TEST_CASE("unary_times: g * f(x) and -g * f(x) are the separate multiply's bits, for full and scalar g") {
  const std::int64_t n = 100'003;
  Tensor x = awkward_values(n);
  Tensor g = ops::cos(ops::multiply(x, ops::scalar_like(x, 0.1)));
  Tensor g_scalar = f32({}, {-1.75});
  Tensor g_one = f32({1}, {3.25});
  for (kernels::UnaryOp op : {kernels::UnaryOp::kCos, kernels::UnaryOp::kSin, kernels::UnaryOp::kExp}) {
    CAPTURE(kernels::op_name(op));
    Tensor fx = kernels::unary(op, x);
    Tensor neg_g = kernels::unary(kernels::UnaryOp::kNegative, g);
    CHECK(same_bits(kernels::unary_times(op, x, g, false), kernels::binary(kernels::BinaryOp::kMultiply, g, fx)));
    CHECK(same_bits(kernels::unary_times(op, x, g, true), kernels::binary(kernels::BinaryOp::kMultiply, neg_g, fx)));
    CHECK(same_bits(kernels::unary_times(op, x, g_scalar, false), kernels::binary(kernels::BinaryOp::kMultiply, g_scalar, fx)));
    CHECK(same_bits(kernels::unary_times(op, x, g_one, true),
                    kernels::binary(kernels::BinaryOp::kMultiply, kernels::unary(kernels::UnaryOp::kNegative, g_one), fx)));
  }
  // Short tensors take the scalar tail on their last n % 8 elements.
  for (std::int64_t m : {1, 7, 8, 9, 23}) {
    Tensor xs = awkward_values(m);
    Tensor fx = kernels::unary(kernels::UnaryOp::kCos, xs);
    CHECK(same_bits(kernels::unary_times(kernels::UnaryOp::kCos, xs, g_scalar, false),
                    kernels::binary(kernels::BinaryOp::kMultiply, g_scalar, fx)));
  }
  // Other dtypes and g of another shape go the separate way, with its broadcasting.
  Tensor x64 = f64({3}, {0.5, -1.0, 2.0});
  std::vector<double> got = doubles(kernels::unary_times(kernels::UnaryOp::kSin, x64, f64({}, {2.0}), true));
  REQUIRE(got.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) CHECK(got[i] == -2.0 * std::sin(doubles(x64)[i]));
  Tensor row = f32({1, 3}, {1.0, 2.0, 3.0});
  Tensor broadcast = kernels::unary_times(kernels::UnaryOp::kCos, f32({2, 1}, {0.0, 1.0}), row, false);
  CHECK(broadcast.shape() == Shape{2, 3});
  CHECK(doubles(broadcast)[5] == doctest::Approx(3.0 * std::cos(1.0)));
}

TEST_CASE("in-place products write over g only when g is its values' sole owner") {
  const std::int64_t n = 70'001;
  Tensor x = awkward_values(n);
  Tensor y = ops::cos(x);
  auto fresh_g = [&] { return kernels::binary(kernels::BinaryOp::kMultiply, y, ops::scalar_like(y, 0.5)); };
  const Tensor expected_product = kernels::binary(kernels::BinaryOp::kMultiply, fresh_g(), x);
  const Tensor expected_cos = kernels::unary_times(kernels::UnaryOp::kCos, x, fresh_g(), true);

  // Sole owner: the result is g's own buffer, holding the separate kernels' numbers.
  Tensor g = fresh_g();
  const void* buffer = g.raw();
  Tensor product = kernels::binary_in_place(kernels::BinaryOp::kMultiply, std::move(g), x);
  CHECK(product.raw() == buffer);
  CHECK(same_bits(product, expected_product));
  Tensor g2 = fresh_g();
  const void* buffer2 = g2.raw();
  Tensor by_cos = kernels::unary_times_in_place(kernels::UnaryOp::kCos, x, std::move(g2), true);
  CHECK(by_cos.raw() == buffer2);
  CHECK(same_bits(by_cos, expected_cos));

  // Another handle to the values (a copy, or a reshape sharing them): g is left as it was.
  Tensor shared = fresh_g();
  Tensor copy = shared;
  Tensor not_in_place = kernels::binary_in_place(kernels::BinaryOp::kMultiply, std::move(shared), x);
  CHECK(not_in_place.raw() != copy.raw());
  CHECK(same_bits(copy, fresh_g()));
  CHECK(same_bits(not_in_place, expected_product));
  Tensor base = fresh_g();
  Tensor view = base.reshaped({n, 1});
  Tensor flat = view.reshaped({n});
  Tensor not_in_place2 = kernels::unary_times_in_place(kernels::UnaryOp::kCos, x, std::move(flat), true);
  CHECK(not_in_place2.raw() != base.raw());
  CHECK(same_bits(base, fresh_g()));
  CHECK(same_bits(not_in_place2, expected_cos));

  // A scalar factor and float64 in place; a broadcasting product goes to a new tensor.
  Tensor d = f64({3}, {1.5, -2.0, 4.0});
  const void* d_buffer = d.raw();
  Tensor scaled = kernels::binary_in_place(kernels::BinaryOp::kMultiply, std::move(d), f64({}, {-2.0}));
  CHECK(scaled.raw() == d_buffer);
  CHECK(doubles(scaled) == std::vector<double>{-3.0, 4.0, -8.0});
  Tensor column = f32({2, 1}, {1.0, 2.0});
  Tensor outer = kernels::binary_in_place(kernels::BinaryOp::kMultiply, std::move(column), f32({3}, {1.0, 10.0, 100.0}));
  CHECK(outer.shape() == Shape{2, 3});
  CHECK(doubles(outer) == std::vector<double>{1, 10, 100, 2, 20, 200});
  // A sum in place, as the tape accumulates gradients; another op goes to a new tensor.
  Tensor total = f64({3}, {1.0, 2.0, 3.0});
  const void* total_buffer = total.raw();
  Tensor sum = kernels::binary_in_place(kernels::BinaryOp::kAdd, std::move(total), f64({3}, {0.5, 0.25, -3.0}));
  CHECK(sum.raw() == total_buffer);
  CHECK(doubles(sum) == std::vector<double>{1.5, 2.25, 0.0});
  Tensor quotient_of = f64({2}, {1.0, 2.0});
  const void* quotient_buffer = quotient_of.raw();
  Tensor quotient = kernels::binary_in_place(kernels::BinaryOp::kDivide, std::move(quotient_of), f64({}, {4.0}));
  CHECK(quotient.raw() != quotient_buffer);
  CHECK(doubles(quotient) == std::vector<double>{0.25, 0.5});
}

/// d/dx of target(x) with a non-persistent tape that has stopped recording (the fused rules),
/// and with the same computation recorded under an outer tape (the plain rules).
struct BothWays {
  Tensor fused;
  Tensor plain;
};
template <class F>
BothWays gradient_both_ways(const Tensor& x, F target) {
  BothWays out;
  {
    GradientTape tape(false, true);
    tape.push();
    tape.watch(x);
    Tensor y = target(x);
    tape.pop();
    out.fused = *tape.gradient({y}, {source_of(x)}, {}, Unconnected::kNone)[0];
  }
  {
    GradientTape outer(false, true);
    outer.push();
    outer.watch(x);
    GradientTape tape(false, true);
    tape.push();
    tape.watch(x);
    Tensor y = target(x);
    tape.pop();
    out.plain = *tape.gradient({y}, {source_of(x)}, {}, Unconnected::kNone)[0];
    outer.pop();
  }
  return out;
}

TEST_CASE("fused sin and cos rules give the recorded rules' gradient bit for bit") {
  Tensor x = awkward_values(70'001);
  BothWays sin_grad = gradient_both_ways(x, [](const Tensor& v) { return ops::reduce_sum(ops::sin(v), {0}, false); });
  CHECK(same_bits(sin_grad.fused, sin_grad.plain));
  BothWays cos_grad = gradient_both_ways(x, [](const Tensor& v) {
    return ops::reduce_sum(ops::multiply(ops::cos(v), ops::exp(ops::multiply(v, ops::scalar_like(v, 0.01)))), {0}, false);
  });
  CHECK(same_bits(cos_grad.fused, cos_grad.plain));
  // The notebook's workload, W4: reduce_sum(exp(sin(x)) * x).
  BothWays w4 = gradient_both_ways(x, [](const Tensor& v) { return ops::reduce_sum(ops::multiply(ops::exp(ops::sin(v)), v), {0}, false); });
  CHECK(same_bits(w4.fused, w4.plain));
  // And the value: exp(sin x) (x cos x + 1).
  const float* g = w4.fused.data<float>();
  const float* v = x.data<float>();
  for (std::int64_t i : {std::int64_t{3}, std::int64_t{1000}, std::int64_t{69'999}}) {
    double xi = v[i];
    CHECK(g[i] == doctest::Approx(std::exp(std::sin(xi)) * (xi * std::cos(xi) + 1.0)).epsilon(1e-5));
  }
}

/// d/dx of target(x) on a persistent tape, as a list of doubles, checking the shape.
template <class F>
std::vector<double> grad_values(const Tensor& x, F target) {
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor y = target(x);
  tape.pop();
  std::optional<Tensor> g = tape.gradient({y}, {source_of(x)}, {}, Unconnected::kNone)[0];
  REQUIRE(g.has_value());
  CHECK(g->shape() == x.shape());
  CHECK(g->dtype() == x.dtype());
  return doubles(*g);
}

TEST_CASE("a reduction's gradient reaches its source with the source's full shape") {
  Tensor x = f64({2, 3}, {1, 2, 3, 4, 5, 6});
  // reduce_sum straight to the source: ones of x's shape.
  CHECK(grad_values(x, [](const Tensor& v) { return ops::reduce_sum(v, {0, 1}, false); }) == std::vector<double>(6, 1.0));
  CHECK(grad_values(x, [](const Tensor& v) { return ops::reduce_sum(v, {1}, false); }) == std::vector<double>(6, 1.0));
  // reduce_mean: 1/N over the reduced axis.
  CHECK(grad_values(x, [](const Tensor& v) { return ops::reduce_mean(v, {0}, true); }) == std::vector<double>(6, 0.5));
  // Through a rule that takes the small gradient (Mul of equal shapes): d sum(x*x) = 2x.
  CHECK(grad_values(x, [](const Tensor& v) { return ops::reduce_sum(ops::multiply(v, v), {0, 1}, false); }) ==
        std::vector<double>{2, 4, 6, 8, 10, 12});
  // A mean over one axis feeding exp: exp(x) / 2.
  std::vector<double> mean_exp = grad_values(x, [](const Tensor& v) { return ops::reduce_mean(ops::exp(v), {0}, false); });
  for (std::size_t i = 0; i < 6; ++i) CHECK(mean_exp[i] == doctest::Approx(std::exp(doubles(x)[i]) / 2.0));
  // Through a rule that does not take it (Add): still ones.
  CHECK(grad_values(x, [](const Tensor& v) { return ops::reduce_sum(ops::add(v, ops::scalar_like(v, 1.0)), {0, 1}, false); }) ==
        std::vector<double>(6, 1.0));
  // x used twice, one use through the small gradient: 1 + exp(x).
  std::vector<double> twice = grad_values(x, [](const Tensor& v) {
    return ops::add(ops::reduce_sum(v, {0, 1}, false), ops::reduce_sum(ops::exp(v), {0, 1}, false));
  });
  for (std::size_t i = 0; i < 6; ++i) CHECK(twice[i] == doctest::Approx(1.0 + std::exp(doubles(x)[i])));
}

TEST_CASE("every rule given a reduction's small gradient returns the numbers of the full-shape gradient") {
  // reduce_mean(f(x)) hands back 1/N; the reference seeds f(x) with a full tensor of 1/N instead,
  // so each rule sees the materialised gradient. Bits must agree (a kernel with separate packet
  // and scalar formulas, such as SigmoidGrad's, must not see the small one).
  const std::int64_t n = 1'003;
  Tensor x = ops::multiply(awkward_values(n), f32({}, {0.01}));
  Tensor y_const = ops::add(ops::cos(x), f32({}, {2.0}));
  using Fn = Tensor (*)(const Tensor&, const Tensor&);
  const std::vector<std::pair<const char*, Fn>> rules = {
      {"exp", [](const Tensor& v, const Tensor&) { return ops::exp(v); }},
      {"log", [](const Tensor& v, const Tensor&) { return ops::log(ops::add(ops::multiply(v, v), f32({}, {1.0}))); }},
      {"sin", [](const Tensor& v, const Tensor&) { return ops::sin(v); }},
      {"cos", [](const Tensor& v, const Tensor&) { return ops::cos(v); }},
      {"tanh", [](const Tensor& v, const Tensor&) { return ops::tanh(v); }},
      {"sigmoid", [](const Tensor& v, const Tensor&) { return ops::sigmoid(v); }},
      {"square", [](const Tensor& v, const Tensor&) { return ops::square(v); }},
      {"sinh", [](const Tensor& v, const Tensor&) { return ops::sinh(v); }},
      {"cosh", [](const Tensor& v, const Tensor&) { return ops::cosh(v); }},
      {"multiply", [](const Tensor& v, const Tensor& w) { return ops::multiply(v, w); }},
      {"divide", [](const Tensor& v, const Tensor& w) { return ops::divide(v, w); }},
  };
  for (const auto& rule : rules) {
    const char* name = rule.first;  // a plain variable: CAPTURE's lambda cannot capture a structured binding
    const Fn f = rule.second;
    CAPTURE(name);
    GradientTape small(true, true);
    small.push();
    small.watch(x);
    Tensor mean = ops::reduce_mean(f(x, y_const), {0}, false);
    small.pop();
    Tensor got = *small.gradient({mean}, {source_of(x)}, {}, Unconnected::kNone)[0];
    GradientTape full(true, true);
    full.push();
    full.watch(x);
    Tensor fx = f(x, y_const);
    full.pop();
    Tensor seed = ops::broadcast_to(ops::divide(f32({}, {1.0}), f32({}, {static_cast<double>(n)})), fx.shape());
    Tensor expected = *full.gradient({fx}, {source_of(x)}, {seed}, Unconnected::kNone)[0];
    CHECK(same_bits(got, expected));
  }
}

TEST_CASE("a reduction's gradient into a broadcasting product is summed over the broadcast axes") {
  // z = a * b with a of shape (2, 1) and b of shape (1, 3): d sum(z)/da = row sums of b, times 1.
  Tensor a = f64({2, 1}, {2.0, -1.0});
  Tensor b = f64({1, 3}, {1.0, 10.0, 100.0});
  GradientTape tape(true, true);
  tape.push();
  tape.watch(a);
  tape.watch(b);
  Tensor y = ops::reduce_sum(ops::multiply(a, b), {0, 1}, false);
  tape.pop();
  std::vector<std::optional<Tensor>> g = tape.gradient({y}, {source_of(a), source_of(b)}, {}, Unconnected::kNone);
  REQUIRE(g[0].has_value());
  REQUIRE(g[1].has_value());
  CHECK(g[0]->shape() == Shape{2, 1});
  CHECK(doubles(*g[0]) == std::vector<double>{111.0, 111.0});
  CHECK(g[1]->shape() == Shape{1, 3});
  CHECK(doubles(*g[1]) == std::vector<double>{1.0, 1.0, 1.0});
  // A scalar times a vector, reduced: d/ds = sum(v), d/dv = s.
  Tensor s = f64({}, {3.0});
  Tensor v = f64({4}, {1.0, 2.0, 3.0, 4.0});
  GradientTape second(true, true);
  second.push();
  second.watch(s);
  second.watch(v);
  Tensor w = ops::reduce_sum(ops::multiply(s, v), {0}, false);
  second.pop();
  std::vector<std::optional<Tensor>> h = second.gradient({w}, {source_of(s), source_of(v)}, {}, Unconnected::kNone);
  CHECK(h[0]->shape() == Shape{});
  CHECK(doubles(*h[0]) == std::vector<double>{10.0});
  CHECK(h[1]->shape() == Shape{4});
  CHECK(doubles(*h[1]) == std::vector<double>(4, 3.0));
}

TEST_CASE("second derivatives through a reduction's small gradient") {
  // d²/dx² sum(sin(x) * x) = 2 cos x - x sin x, with the first gradient recorded on an outer tape.
  Tensor x = f64({3}, {0.3, -1.2, 2.5});
  GradientTape outer(true, true);
  outer.push();
  outer.watch(x);
  GradientTape inner(true, true);
  inner.push();
  inner.watch(x);
  Tensor y = ops::reduce_sum(ops::multiply(ops::sin(x), x), {0}, false);
  inner.pop();
  Tensor first = *inner.gradient({y}, {source_of(x)}, {}, Unconnected::kNone)[0];
  outer.pop();
  CHECK(first.shape() == Shape{3});
  std::optional<Tensor> second = outer.gradient({first}, {source_of(x)}, {}, Unconnected::kNone)[0];
  REQUIRE(second.has_value());
  CHECK(second->shape() == Shape{3});
  std::vector<double> values = doubles(*second);
  for (std::size_t i = 0; i < 3; ++i) {
    double xi = doubles(x)[i];
    CHECK(values[i] == doctest::Approx(2.0 * std::cos(xi) - xi * std::sin(xi)));
  }
}

}  // namespace
}  // namespace ag
