// TF's gradient convention for complex inputs: for a real loss L(z), tape.gradient gives
// dL/dRe(z) + i dL/dIm(z), which is what every rule's grad * conj(df/dz) adds up to. Each op that
// takes complex tensors is checked against central finite differences along the real and the
// imaginary axis, at first and second order, and TF's documented values are checked directly.
#include <doctest/doctest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "../support.h"
#include "autodiff/tape.h"
#include "ops/api.h"
#include "ops/dtypes_values.h"

namespace ag {
namespace {

using testing::doubles;
using testing::evaluate_tensor;

struct ComplexValues {
  std::vector<double> re;
  std::vector<double> im;
};

Tensor complex_tensor(const ComplexValues& v, Shape shape) {
  return ops::complex(testing::f64(shape, v.re), testing::f64(shape, v.im));
}

ComplexValues parts(const Tensor& t) { return {doubles(ops::real(t)), doubles(ops::imag(t))}; }

/// The gradient of `loss` (an expression of x giving a real scalar) with respect to x, and its
/// value; `order` 2 differentiates real(sum(gradient * w2)) again.
std::optional<Tensor> gradient_of(const std::string& loss, const Tensor& x, const testing::Bindings& extra) {
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  testing::Bindings names = extra;
  names.emplace_back("x", Value::of(x));
  Tensor value = evaluate_tensor(loss, names);
  GradientSource source{{x.id()}, x.shape(), x.dtype()};
  std::optional<Tensor> g = tape.gradient({value}, {source}, {}, Unconnected::kNone)[0];
  tape.pop();
  return g;
}

double loss_value(const std::string& loss, const Tensor& x, const testing::Bindings& extra) {
  testing::Bindings names = extra;
  names.emplace_back("x", Value::of(x));
  return doubles(evaluate_tensor(loss, names))[0];
}

/// dL/dRe + i dL/dIm by central differences in float64.
ComplexValues finite_difference(const std::string& loss, const ComplexValues& at, const Shape& shape,
                                const testing::Bindings& extra) {
  const double h = 1e-6;
  ComplexValues out{std::vector<double>(at.re.size()), std::vector<double>(at.re.size())};
  for (std::size_t i = 0; i < at.re.size(); ++i) {
    for (int part = 0; part < 2; ++part) {
      ComplexValues plus = at;
      ComplexValues minus = at;
      (part == 0 ? plus.re : plus.im)[i] += h;
      (part == 0 ? minus.re : minus.im)[i] -= h;
      double d = (loss_value(loss, complex_tensor(plus, shape), extra) - loss_value(loss, complex_tensor(minus, shape), extra)) /
                 (2 * h);
      (part == 0 ? out.re : out.im)[i] = d;
    }
  }
  return out;
}

void check_close(const ComplexValues& actual, const ComplexValues& expected, const std::string& what) {
  long where = -1;
  INFO(what);
  CHECK_MESSAGE(testing::all_close(actual.re, expected.re, 1e-5, &where), "real part, element " << where);
  CHECK_MESSAGE(testing::all_close(actual.im, expected.im, 1e-5, &where), "imaginary part, element " << where);
}

TEST_CASE("complex gradients: every complex op agrees with finite differences along Re and Im, orders 1 and 2") {
  // Points away from branch cuts and zeros; w and w2 make the loss real without symmetry.
  ComplexValues at{{0.7, -0.4, 0.3}, {0.5, 0.6, -0.8}};
  Shape shape{3};
  testing::Bindings extra{{"w", Value::of(complex_tensor({{0.9, -1.3, 0.4}, {0.2, 0.7, -1.1}}, shape))},
                          {"w2", Value::of(complex_tensor({{-0.6, 0.8, 1.2}, {1.0, 0.3, -0.5}}, shape))}};
  const char* functions[] = {
      "x * w",        "x / w",          "w / x",        "x ** w",           "x ** 3.0",     "exp(x)",       "log(x)",
      "sin(x)",       "cos(x)",         "tan(x)",       "sinh(x)",          "cosh(x)",      "tanh(x)",      "sigmoid(x)",
      "sqrt(x)",      "rsqrt(x)",       "1.0 / x",      "math.reciprocal(x)", "square(x)",  "expm1(x)",     "log1p(x)",
      "asinh(x)",     "acosh(x + 2.0)", "atanh(x)",     "math.conj(x) * x", "math.conj(x)", "cast(abs(x), complex128) * w",   "x - w * x",
      "reduce_prod(x) * w", "cumsum(x) * w", "math.cumprod(x) * w", "matmul(reshape(x, [1, 3]), reshape(w, [3, 1]))",
      "matmul(reshape(x, [3, 1]), reshape(x * w, [3, 1]), adjoint_a=True)", "linalg.adjoint(reshape(x, [1, 3]) * x)",
      "transpose(reshape(x, [1, 3]), conjugate=True)", "einsum('i,i->', x, w * x)", "einsum('i,j->ij', x, w)[0]",
      "concat([x, w * x], 0)[1:4]", "gather(x * x, [2, 0, 2])", "reduce_mean(x * x) * w", "complex(math.real(x) * 2.0, math.imag(x) ** 2.0)",
  };
  Tensor x = complex_tensor(at, shape);
  for (const char* f : functions) {
    // A real loss of f: L = sum(real(f * w)) (broadcast over f's shape).
    std::string loss = std::string("reduce_sum(math.real((") + f + ") * w[0] + (" + f + ") * math.conj(w[1])))";
    std::optional<Tensor> g = gradient_of(loss, x, extra);
    REQUIRE_MESSAGE(g.has_value(), f);
    CHECK(g->dtype() == DType::kComplex128);
    check_close(parts(*g), finite_difference(loss, at, shape, extra), std::string(f) + " (order 1)");

    // Order 2: the gradient is itself differentiable; its real projection on w2 is a real loss.
    std::string second = "reduce_sum(math.real(gradient_of_loss * w2))";
    GradientTape outer(true, true);
    outer.push();
    outer.watch(x);
    std::optional<Tensor> inner = gradient_of(loss, x, extra);
    REQUIRE(inner.has_value());
    testing::Bindings names = extra;
    names.emplace_back("gradient_of_loss", Value::of(*inner));
    Tensor projected = evaluate_tensor(second, names);
    GradientSource source{{x.id()}, x.shape(), x.dtype()};
    std::optional<Tensor> g2 = outer.gradient({projected}, {source}, {}, Unconnected::kNone)[0];
    outer.pop();
    ComplexValues expected{std::vector<double>(at.re.size()), std::vector<double>(at.re.size())};
    const double h = 1e-5;
    auto projected_at = [&](const ComplexValues& p) {
      std::optional<Tensor> gp = gradient_of(loss, complex_tensor(p, shape), extra);
      REQUIRE(gp.has_value());
      testing::Bindings n2 = extra;
      n2.emplace_back("gradient_of_loss", Value::of(*gp));
      return doubles(evaluate_tensor(second, n2))[0];
    };
    for (std::size_t i = 0; i < at.re.size(); ++i)
      for (int part = 0; part < 2; ++part) {
        ComplexValues plus = at;
        ComplexValues minus = at;
        (part == 0 ? plus.re : plus.im)[i] += h;
        (part == 0 ? minus.re : minus.im)[i] -= h;
        (part == 0 ? expected.re : expected.im)[i] = (projected_at(plus) - projected_at(minus)) / (2 * h);
      }
    if (!g2) {
      // A loss linear in x has a constant gradient: no second derivative is connected.
      for (double v : expected.re) CHECK_MESSAGE(std::abs(v) < 1e-6, f);
      for (double v : expected.im) CHECK_MESSAGE(std::abs(v) < 1e-6, f);
      continue;
    }
    check_close(parts(*g2), expected, std::string(f) + " (order 2)");
  }
}

TEST_CASE("complex gradients: TF's conj(f'(z)) for a holomorphic f with a ones output gradient") {
  Tensor x = evaluate_tensor("complex([1.0, -0.5], [2.0, 0.25])");
  // tape.gradient(x * (1+2j), x) is 1-2j in TF.
  std::optional<Tensor> g = gradient_of("x * (1+2j)", x, {});
  REQUIRE(g.has_value());
  ComplexValues p = parts(*g);
  CHECK(p.re == std::vector<double>{1.0, 1.0});
  CHECK(p.im == std::vector<double>{-2.0, -2.0});
  // d|z|²/dz̄ convention: the gradient of real(z * conj(z)) is 2z.
  g = gradient_of("math.real(x * math.conj(x))", x, {});
  REQUIRE(g.has_value());
  p = parts(*g);
  CHECK(p.re == std::vector<double>{2.0, -1.0});
  CHECK(p.im == std::vector<double>{4.0, 0.5});
}

TEST_CASE("complex gradients: abs of a complex tensor is differentiable, 0 at 0 (TF's ComplexAbs)") {
  Tensor x = evaluate_tensor("complex([3.0, 0.0], [4.0, 0.0])");
  std::optional<Tensor> g = gradient_of("abs(x)", x, {});
  REQUIRE(g.has_value());
  ComplexValues p = parts(*g);
  CHECK(p.re[0] == doctest::Approx(0.6));
  CHECK(p.im[0] == doctest::Approx(0.8));
  CHECK(p.re[1] == 0.0);
  CHECK(p.im[1] == 0.0);
}

TEST_CASE("complex: conj, real and imag of real tensors follow TF") {
  Tensor r = testing::f32({2}, {1.5, -2.0});
  CHECK(doubles(evaluate_tensor("math.conj(r)", {{"r", Value::of(r)}})) == std::vector<double>{1.5, -2.0});
  CHECK(doubles(evaluate_tensor("math.real(r)", {{"r", Value::of(r)}})) == std::vector<double>{1.5, -2.0});
  CHECK(doubles(evaluate_tensor("math.imag(r)", {{"r", Value::of(r)}})) == std::vector<double>{0.0, 0.0});
  Tensor z = evaluate_tensor("math.conj([1+2j, -3-4j])");
  CHECK(z.dtype() == DType::kComplex128);
  ComplexValues p = parts(z);
  CHECK(p.re == std::vector<double>{1.0, -3.0});
  CHECK(p.im == std::vector<double>{-2.0, 4.0});
}

}  // namespace
}  // namespace ag
